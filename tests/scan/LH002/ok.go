// Negative cases for LH002: every sender's value is received, or the channel holds them all.
package lh002

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// One receive per goroutine, no early exit.
func CollectAll(items []string) []string {
	ch := make(chan string)
	for _, it := range items {
		go func() {
			s, _ := fetch(it)
			ch <- s
		}()
	}
	var out []string
	for range items {
		out = append(out, <-ch)
	}
	return out
}

// Tricky: returns on the first error, but the channel has room for every goroutine.
func BufferedFirstError(items []string) error {
	errc := make(chan error, len(items))
	for _, it := range items {
		go func() { errc <- process(it) }()
	}
	for range items {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// Tricky: `for range ch` with a closer run after a WaitGroup, no early exit.
func RangeWithCloser(items []string) int {
	ch := make(chan int)
	var wg sync.WaitGroup
	for i := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ch <- i
		}()
	}
	go func() {
		wg.Wait()
		close(ch)
	}()
	total := 0
	for v := range ch {
		total += v
	}
	return total
}

// Tricky: the receive loop leaves only once it has counted every result.
func CountedExit(items []string) int {
	ch := make(chan int)
	for i := range items {
		go func() { ch <- i }()
	}
	got := 0
	sum := 0
	for {
		v := <-ch
		sum += v
		got++
		if got == len(items) {
			return sum
		}
	}
}

// The senders give up with the context: nothing is stranded.
func SendersSelect(ctx context.Context, items []string) string {
	ch := make(chan string)
	for _, it := range items {
		go func() {
			select {
			case ch <- it:
			case <-ctx.Done():
			}
		}()
	}
	return <-ch
}

// Tricky: each iteration makes its own channel; one sender, one receive.
func ChannelPerIteration(items []string) []string {
	var out []string
	for _, it := range items {
		ch := make(chan string)
		go func() {
			s, _ := fetch(it)
			ch <- s
		}()
		out = append(out, <-ch)
	}
	return out
}

// The receive happens in the loop that starts the goroutines.
func ReceiveInSameLoop(items []string) int {
	ch := make(chan int)
	n := 0
	for i := range items {
		go func() { ch <- i }()
		n += <-ch
	}
	return n
}

// Tricky: a constant buffer as large as the constant count.
func BigEnoughBuffer() int {
	ch := make(chan int, 4)
	for i := 0; i < 4; i++ {
		go func() { ch <- i }()
	}
	return <-ch
}

// Receives until the close, with `ok`: a full drain.
func DrainWithOk(items []string) int {
	ch := make(chan int)
	var wg sync.WaitGroup
	for i := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ch <- i
		}()
	}
	go func() { wg.Wait(); close(ch) }()
	n := 0
	for {
		v, ok := <-ch
		if !ok {
			return n
		}
		n += v
	}
}

// Another goroutine drains what is left after the early return.
func DrainedElsewhere(items []string) error {
	errc := make(chan error)
	for _, it := range items {
		go func() { errc <- process(it) }()
	}
	defer func() {
		go func() {
			for range errc {
			}
		}()
	}()
	for range items {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// A single-element literal: one goroutine.
func OneMirror() string {
	ch := make(chan string)
	for _, m := range []string{"a"} {
		go func() { ch <- m }()
	}
	select {
	case s := <-ch:
		return s
	case <-time.After(time.Second):
		return ""
	}
}

// Tricky: only the last goroutine to arrive sends (an atomic counter), so one receive is enough.
func LastArrives(n int) {
	done := make(chan bool)
	var x atomic.Int32
	for i := 0; i < n; i++ {
		go func() {
			if x.Add(1) == int32(n) {
				done <- true
			}
		}()
	}
	<-done
}
