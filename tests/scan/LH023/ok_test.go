package lh023

import (
	"sync"
	"testing"
)

// Tricky: a test orders its goroutines itself (the signaller runs only once the waiter holds the lock and waits):
// test files are not looked at.
func TestSignal(t *testing.T) {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	mu.Lock()
	go func() {
		mu.Lock()
		c.Signal()
		mu.Unlock()
	}()
	c.Wait()
	mu.Unlock()
}
