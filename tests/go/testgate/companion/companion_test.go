// Package companion reports through leakcheck itself (what a package with a shared harness does): leakhound test
// lays nothing over it.
package companion

import (
	"os"
	"testing"

	"leakhound.dev/leakcheck"
)

func TestMain(m *testing.M) { os.Exit(leakcheck.Run(m)) }

func waitForever(ch chan struct{}) { <-ch }

func TestAbandonsAReceiver(t *testing.T) {
	go waitForever(make(chan struct{}))
}
