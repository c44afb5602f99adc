// select {} in func main parks the main goroutine on purpose: not reported.
package main

import "fmt"

func main() {
	go fmt.Println("serving")
	select {}
}
