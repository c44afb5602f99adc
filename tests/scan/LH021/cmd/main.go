// Negative cases for LH021: func main and init own the process lifetime.
package main

import "context"

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	<-ctx.Done()
}

func init() { _ = context.TODO() }
