// A package whose TestMain uses leakcheck.Run: one test abandons a sender, one starts a goroutine that ends 100 ms
// after the tests (it must not be reported: it settles).
package leaky

import (
	"os"
	"testing"
	"time"

	"leakhound.dev/leakcheck"
)

func TestMain(m *testing.M) { os.Exit(leakcheck.Run(m)) }

func abandonedSender(ch chan int) { ch <- 1 }

func TestAbandons(t *testing.T) {
	go abandonedSender(make(chan int))
}

func lateFinisher() { time.Sleep(100 * time.Millisecond) }

func TestFinishesLate(t *testing.T) {
	go lateFinisher()
}

// A test that changes the working directory for good: the report still names the package's.
func TestChangesDirectory(t *testing.T) {
	if err := os.Chdir(os.TempDir()); err != nil {
		t.Fatal(err)
	}
}
