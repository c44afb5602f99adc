// Positive cases for LH001 abandoned-sender: each flagged goroutine can block forever in `chan send`.
package lh001

import (
	"context"
	"errors"
	"time"
)

func compute() int { return 42 }

// The timeout case leaves without receiving.
func Timeout() (int, error) {
	ch := make(chan int)
	go func() {
		ch <- compute() // want "unbuffered channel ch .*other select case at line 21"
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-time.After(time.Second):
		return 0, errors.New("timeout")
	}
}

// ctx.Done() leaves without receiving.
func Cancelled(ctx context.Context) error {
	errc := make(chan error)
	go func() {
		errc <- work(ctx) // want "make\\(chan error, 1\\)"
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func work(ctx context.Context) error { return ctx.Err() }

// An early error return comes before the receive.
func EarlyReturn(validate func() error) (int, error) {
	res := make(chan int)
	go func() { res <- compute() }() // want "can return at line 47 before receiving"
	if err := validate(); err != nil {
		return 0, err
	}
	return <-res, nil
}

// The goroutine is a package function, followed one level.
func ViaWorker(ctx context.Context) (string, error) {
	out := make(chan string)
	go produce(out) // want "goroutine produce sends on unbuffered channel out"
	select {
	case s := <-out:
		return s, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func produce(out chan<- string) {
	out <- "done"
}

// Nothing receives at all.
func FireAndForget() {
	done := make(chan struct{})
	go func() {
		done <- struct{}{} // want "nothing in FireAndForget receives"
	}()
}

// A select in a loop whose other case returns.
func PollUntil(ctx context.Context) (int, error) {
	ch := make(chan int)
	go func() {
		ch <- compute() // want "other select case at line 86"
	}()
	for {
		select {
		case v := <-ch:
			return v, nil
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

// Senders started in a loop: the buffer must hold one value per goroutine the loop starts, not one.
func FirstOf(backends []func() int) int {
	ch := make(chan int)
	for _, b := range backends {
		go func(b func() int) {
			ch <- b() // want "buffered for every sender the loop at line 95 starts: make\\(chan int, len\\(backends\\)\\)"
		}(b)
	}
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Second):
		return -1
	}
}

// Senders started in a loop of unknown length, with a context: the fix is the stop case, not a buffer.
func Gather(ctx context.Context, jobs <-chan func() int) int {
	ch := make(chan int)
	for job := range jobs {
		go func() {
			ch <- job() // want "give it a slot for every goroutine the loop at line 111 starts"
		}()
	}
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}
