// Negative cases for LH012: func main and init own the process lifetime.
package main

import (
	"context"
	"os/exec"
)

func main() {
	ctx := context.Background()
	_ = exec.CommandContext(ctx, "true").Run()
	_ = exec.Command("true").Run()
}

func init() { _ = exec.Command("true").Run() }
