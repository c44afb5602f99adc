package slow

import (
	"os"
	"testing"
	"time"
)

// With SLOW_ANSWER=1 the answer takes 30 s: run it with -timeout 1s for a timeout dump of a slow test.
func TestSlowAnswer(t *testing.T) {
	delay := 10 * time.Millisecond
	if os.Getenv("SLOW_ANSWER") != "" {
		delay = 30 * time.Second
	}
	if v := <-Answer(delay); v != 42 {
		t.Fatalf("got %d", v)
	}
}
