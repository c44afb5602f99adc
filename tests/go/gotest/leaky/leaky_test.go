package leaky

import (
	"os"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// TestWatchLeaks forgets Stop: goleak reports the watcher's loop.
func TestWatchLeaks(t *testing.T) {
	defer goleak.VerifyNone(t)
	Watch()
}

// TestWatchStopped is clean (the earlier test's leak is not its own).
func TestWatchStopped(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	Watch().Stop()
}

// TestFetchLeaksInParallel runs two parallel subtests that each abandon a sender; the same leak in two tests must
// come out as one bucket listing both.
func TestFetchLeaksInParallel(t *testing.T) {
	for _, name := range []string{"first", "second"} {
		t.Run(name, func(t *testing.T) {
			before := goleak.IgnoreCurrent() // earlier tests' leaks are theirs
			t.Parallel()
			if _, ok := Fetch(time.Millisecond); ok {
				t.Fatal("the backend was expected to be slower than the timeout")
			}
			time.Sleep(50 * time.Millisecond) // let the sender park
			goleak.VerifyNone(t, before)
		})
	}
}

// TestHang blocks forever; run it alone with -run TestHang -timeout 2s to get a timeout panic.
func TestHang(t *testing.T) {
	if os.Getenv("LEAKY_HANG") == "" {
		t.Skip("set LEAKY_HANG=1 to run")
	}
	Hang()
}
