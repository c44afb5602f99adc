// Command waitgroup_forever leaks goroutines that wait on a sync.WaitGroup whose Add is never balanced.
//
// How it leaks: runBatch calls wg.Add(len(items)) up front and starts one worker per item, but a worker that rejects
// its item returns before it reaches `defer wg.Done()`. The counter never gets back to zero, so the goroutine that
// waits for the batch stays parked in [sync.WaitGroup.Wait] inside main.awaitBatch, created by main.runBatch, forever.
// The fix is to put `defer wg.Done()` first in the worker (or Add only for accepted items).
//
// Usage: waitgroup_forever [-n 200]. Runs -n batches (each with one rejected item), waits until the -n batch waiters
// are parked, prints "READY http://127.0.0.1:PORT" (net/http/pprof is served there) and serves until killed.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"leakhound.test/cases/internal/parked"
)

var errRejected = errors.New("rejected")

func validate(item int) error {
	if item%3 == 2 {
		return errRejected
	}
	return nil
}

//go:noinline
func work(item int, wg *sync.WaitGroup, processed *atomic.Int64) {
	if err := validate(item); err != nil {
		return // the bug: returns before deferring wg.Done()
	}
	defer wg.Done()
	processed.Add(1)
}

// awaitBatch is where the leaked goroutines block: wg never reaches zero.
//
//go:noinline
func awaitBatch(id int, wg *sync.WaitGroup, done chan<- int) {
	wg.Wait()
	done <- id
}

//go:noinline
func runBatch(id int, items []int, processed *atomic.Int64, done chan<- int) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	for _, it := range items {
		go work(it, &wg, processed)
	}
	go awaitBatch(id, &wg, done)
}

func main() {
	n := flag.Int("n", 200, "number of leaked goroutines to create")
	flag.Parse()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}

	var processed atomic.Int64
	done := make(chan int, *n)
	for b := 0; b < *n; b++ {
		runBatch(b, []int{3 * b, 3*b + 1, 3*b + 2}, &processed, done)
	}
	parked.Wait("waitgroup_forever", "main.awaitBatch", "sync.WaitGroup.Wait", *n)

	fmt.Printf("READY http://%s\n", ln.Addr())
	fmt.Fprintf(os.Stderr, "waitgroup_forever: %d items processed, %d batches done\n", processed.Load(), len(done))
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.Serve(ln))
}
