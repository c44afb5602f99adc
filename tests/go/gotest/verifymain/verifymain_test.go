// Package verifymain checks itself with goleak.VerifyTestMain, which exits on its own: leakhound test lays nothing
// over it and reads goleak's report.
package verifymain

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func stuckReceiver(ch chan int) { <-ch }

func TestLeavesAReceiver(t *testing.T) {
	go stuckReceiver(make(chan int))
}
