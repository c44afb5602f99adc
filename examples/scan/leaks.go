// Package leaks holds three goroutine leaks for `leakhound scan examples/scan` to find (see the README's
// `leakhound scan` section): two senders their caller can abandon, and a receive on a channel that was never made.
package leaks

import (
	"errors"
	"time"
)

func compute() int { return 42 }

// Timeout gives up after a second; the goroutine is then left blocked in its send forever.
func Timeout() (int, error) {
	ch := make(chan int)
	go func() {
		ch <- compute()
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-time.After(time.Second):
		return 0, errors.New("timeout")
	}
}

// EarlyReturn returns on a validation error before it receives the result.
func EarlyReturn(validate func() error) (int, error) {
	res := make(chan int)
	go func() { res <- compute() }()
	if err := validate(); err != nil {
		return 0, err
	}
	return <-res, nil
}

// Wait receives from a channel that is declared but never made: it blocks forever.
func Wait() {
	var done chan struct{}
	<-done
}
