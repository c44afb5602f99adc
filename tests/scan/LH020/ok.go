package lh020

import (
	"context"
	"os/exec"
	"reflect"
	"time"
)

type runner struct{}

func (runner) Command(args ...string) *exec.Cmd { return nil }

// What the rewrites do not match.
func Fine(ctx context.Context, a, b []int, ch chan int) {
	_ = exec.CommandContext(ctx, "ls") // another function
	var exec runner                    // "exec" is a local here, still the same text: see below
	_ = exec
	_ = "exec.Command(x)" // text in a string
	// exec.Command("in a comment")
	c, cancel := context.WithTimeout(ctx, time.Second) // not a background context
	defer cancel()
	_ = c
	_ = reflect.DeepEqual(a, b)      // two different values
	go func() { ch <- 1; ch <- 2 }() // two statements, the pattern has one
	go func() { <-ch }()             // a receive
	t := time.NewTimer(time.Second)  // a timer, not a ticker
	t.Stop()
	var tick *time.Ticker = time.NewTicker(time.Second) // a var declaration, not :=
	tick.Stop()
}
