// Command abandoned leaks the way a handler with a timeout does, in a form `leakhound scan --fix` repairs: lookup
// starts a goroutine that sends its answer on an unbuffered channel and gives up after a timeout shorter than the
// backend's latency, so every call leaves a sender parked in [chan send] for good (LH001). The fix gives the channel
// a buffer slot: the late send completes and the goroutine ends.
//
// Usage: abandoned [-n 50]. Calls lookup n times, lets the stragglers finish, and prints "GOROUTINES N" (the
// number of goroutines still alive) on stdout.
package main

import (
	"errors"
	"flag"
	"fmt"
	"runtime"
	"time"
)

func backend(q string) string {
	time.Sleep(20 * time.Millisecond)
	return "answer to " + q
}

func lookup(q string) (string, error) {
	ch := make(chan string)
	go func() {
		ch <- backend(q)
	}()
	select {
	case s := <-ch:
		return s, nil
	case <-time.After(time.Millisecond):
		return "", errors.New("timeout")
	}
}

func main() {
	n := flag.Int("n", 50, "calls")
	flag.Parse()
	for i := 0; i < *n; i++ {
		_, _ = lookup(fmt.Sprint(i))
	}
	time.Sleep(200 * time.Millisecond) // every backend call has returned by now
	fmt.Printf("GOROUTINES %d\n", runtime.NumGoroutine())
}
