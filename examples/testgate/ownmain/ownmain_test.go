package ownmain

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"
)

var shared *Server

func TestMain(m *testing.M) {
	shared = NewServer()
	code := m.Run()
	shared.Close() // teardown: the server's goroutine ends here, after the tests
	if code != 0 {
		fmt.Println("tests failed")
	}
	os.Exit(code)
}

func TestPollLeavesEarly(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make(chan int)
	go Poll(ctx, out)
	if v := <-out; v != 0 {
		t.Fatalf("first tick %d", v)
	}
	time.Sleep(10 * time.Millisecond) // Poll is in its next send by now
	// Returns without draining out: Poll stays blocked sending the next tick although ctx is cancelled.
}
