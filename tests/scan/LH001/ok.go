// Negative cases for LH001: none of these senders can be abandoned.
package lh001

import (
	"context"
	"fmt"
	"os"
	"time"
)

// A buffer of one: the send completes even when nobody receives.
func Buffered() (int, error) {
	ch := make(chan int, 1)
	go func() { ch <- compute() }()
	select {
	case v := <-ch:
		return v, nil
	case <-time.After(time.Second):
		return 0, fmt.Errorf("timeout")
	}
}

// The sender selects on the same context, so it can give up too.
func SenderSelects(ctx context.Context) (int, error) {
	ch := make(chan int)
	go func() {
		select {
		case ch <- compute():
		case <-ctx.Done():
		}
	}()
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// The receive always happens.
func AlwaysReceives() int {
	ch := make(chan int)
	go func() { ch <- compute() }()
	fmt.Println("waiting")
	return <-ch
}

// Tricky: the receiver loops; the other case only logs and loops again, so it always receives in the end.
func ReceiverInLoop() int {
	ch := make(chan int)
	go func() { ch <- compute() }()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case v := <-ch:
			return v
		case <-tick.C:
			fmt.Println("still waiting")
		}
	}
}

// The channel is handed to the caller, who may receive later.
func Escapes() <-chan int {
	ch := make(chan int)
	go func() { ch <- compute() }()
	return ch
}

// The worker selects on ctx.Done() around its send.
func ViaCarefulWorker(ctx context.Context) (string, error) {
	out := make(chan string)
	go carefulProduce(ctx, out)
	select {
	case s := <-out:
		return s, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func carefulProduce(ctx context.Context, out chan<- string) {
	select {
	case out <- "done":
	case <-ctx.Done():
	}
}

// One goroutine per item and exactly as many receives in a loop.
func FanIn(items []int) int {
	ch := make(chan int)
	for _, it := range items {
		go func(v int) { ch <- v * 2 }(it)
	}
	total := 0
	for range items {
		total += <-ch
	}
	return total
}

// Suppressed on the line above.
func Suppressed(ctx context.Context) int {
	ch := make(chan int)
	go func() {
		//nolint:LH001 // the process exits right after
		ch <- compute()
	}()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

// The timeout case drains the channel itself before leaving (as net and os tests do after closing the listener).
func TimeoutDrains(stop func()) error {
	ch := make(chan error)
	go func() {
		ch <- work(context.Background())
	}()
	timer := time.NewTimer(time.Second)
	defer timer.Stop()
	select {
	case err := <-ch:
		return err
	case <-timer.C:
		stop()
		return <-ch
	}
}

// The select's default falls through to a receive after it.
func ReceivesAfterSelect(n int) int {
	results := make(chan int)
	go func(x int) { results <- x * compute() }(n)
	select {
	case v := <-results:
		return v
	default:
		fmt.Println("not ready yet")
	}
	return <-results
}

// Tricky: the case the loop leaves on receives the reader's last signal: the reader sends its error and returns,
// so once that case is taken nobody sends on msgs any more.
func HandleUntilReadError(read func() (int, error)) {
	msgs := make(chan int)
	errs := make(chan error, 1)
	go func() {
		for {
			m, err := read()
			if err != nil {
				errs <- err
				return
			}
			msgs <- m
		}
	}()
	for {
		select {
		case m := <-msgs:
			_ = m
		case <-errs:
			return
		}
	}
}

// Tricky: the case that gives up ends the process (a command-line probe): nothing outlives it.
func Probe(connect func() error) {
	errc := make(chan error)
	go func() { errc <- connect() }()
	select {
	case err := <-errc:
		if err != nil {
			os.Exit(1)
		}
	case <-time.After(5 * time.Second):
		fmt.Println("timed out")
		os.Exit(1)
	}
}
