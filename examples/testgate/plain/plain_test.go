package plain

import (
	"testing"
	"time"
)

func TestWorkerGivesUp(t *testing.T) {
	if _, ok := StartWorker(time.Millisecond); ok {
		t.Fatal("the worker was expected to be slower")
	}
}

func TestWorkerAnswers(t *testing.T) {
	if v, ok := StartWorker(time.Second); !ok || v != 42 {
		t.Fatalf("got %d %v", v, ok)
	}
}

// A goroutine that ends 150 ms after the test: it settles, it is no leak.
func TestFinishesLater(t *testing.T) {
	Finish(func() {})
}
