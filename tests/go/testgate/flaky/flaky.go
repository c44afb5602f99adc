// Package flaky leaks only when a race goes one way: the answer and the deadline arrive at about the same time.
package flaky

import (
	"math/rand"
	"time"
)

func Lookup() (string, bool) {
	ch := make(chan string)
	go func() {
		if rand.Intn(4) == 0 { // one lookup in four is slow
			time.Sleep(10 * time.Millisecond)
		}
		ch <- "found"
	}()
	select {
	case v := <-ch:
		return v, true
	case <-time.After(5 * time.Millisecond):
		return "", false
	}
}
