// Package leaky is a small library with the leaks `leakhound check` must find in `go test` output.
//
// How it leaks: Watch starts a goroutine that ranges over a channel its caller never closes (the Stop method
// exists, but the tests forget it); Fetch starts a sender on an unbuffered channel and gives up after a timeout,
// leaving the sender parked in chan send; Hang blocks forever on a channel nobody sends on (used with -timeout).
package leaky

import "time"

// Watcher delivers events until Stop is called.
type Watcher struct{ events chan int }

// Watch starts the watcher's goroutine.
func Watch() *Watcher {
	w := &Watcher{events: make(chan int)}
	go w.loop()
	return w
}

//go:noinline
func (w *Watcher) loop() {
	for range w.events {
	}
}

// Stop ends the watcher's goroutine.
func (w *Watcher) Stop() { close(w.events) }

//go:noinline
func slowBackend(out chan int) {
	time.Sleep(20 * time.Millisecond)
	out <- 42
}

// Fetch waits for the backend at most `timeout`; the backend's sender is abandoned when it is slower.
func Fetch(timeout time.Duration) (int, bool) {
	out := make(chan int)
	go slowBackend(out)
	select {
	case v := <-out:
		return v, true
	case <-time.After(timeout):
		return 0, false
	}
}

// Hang never returns.
//
//go:noinline
func Hang() {
	never := make(chan struct{})
	<-never
}
