// Package plain has no TestMain: leakhound test adds one. Its worker abandons a result nobody receives.
package plain

import "time"

// StartWorker starts a worker that reports on an unbuffered channel; the caller gives up after `wait`.
func StartWorker(wait time.Duration) (int, bool) {
	ch := make(chan int)
	go compute(ch)
	select {
	case v := <-ch:
		return v, true
	case <-time.After(wait):
		return 0, false
	}
}

func compute(ch chan int) {
	time.Sleep(20 * time.Millisecond)
	ch <- 42 // blocks forever once the caller gave up
}

// Finish starts a goroutine that ends on its own a little later.
func Finish(done func()) {
	go func() {
		time.Sleep(150 * time.Millisecond)
		done()
	}()
}
