package lh022

import "testing"

// Tricky: a test asserting that something has not happened yet, then driving the next step: the select is an
// assertion, not a stop check.
func TestOrder(t *testing.T) {
	started := make(chan struct{}, 1)
	step := make(chan struct{}, 1)
	select {
	case <-started:
		t.Error("started too early")
		return
	default:
	}
	step <- struct{}{}
}
