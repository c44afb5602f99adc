package lh006

import (
	"testing"
	"time"
)

// Tricky: a test's ticker ends with the test binary.
func TestTicker(t *testing.T) {
	tick := time.NewTicker(time.Millisecond)
	<-tick.C
	<-time.Tick(time.Millisecond)
}
