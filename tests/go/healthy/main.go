// Command healthy is the negative case: a busy program that does not leak.
//
// How it (does not) leak: a ticker feeds jobs to a small, fixed worker pool; each job spawns a short-lived audit
// goroutine that finishes within a millisecond, and one collector sums the results. The number of goroutines stays
// small and constant however long it runs: a handful of pool goroutines waiting for the next tick or job, and the
// HTTP server. No bucket of goroutines should be called a leak.
//
// Usage: healthy [-n ignored]. Starts the pool, waits until it has processed some jobs and the audit goroutines come
// and go, prints "READY http://127.0.0.1:PORT" (net/http/pprof is served there) and keeps working until killed.
package main

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"sync/atomic"
	"time"
)

const workers = 4

type job struct {
	id      int
	payload []byte
}

var audited atomic.Int64

//go:noinline
func audit(j job) {
	time.Sleep(200 * time.Microsecond)
	audited.Add(1)
}

//go:noinline
func worker(jobs <-chan job, results chan<- [32]byte) {
	for j := range jobs {
		go audit(j)
		results <- sha256.Sum256(j.payload)
	}
}

//go:noinline
func dispatch(tick <-chan time.Time, jobs chan<- job) {
	id := 0
	for t := range tick {
		id++
		jobs <- job{id: id, payload: []byte(t.String())}
	}
}

//go:noinline
func collect(results <-chan [32]byte, done *atomic.Int64) {
	for r := range results {
		if r[0] != 0 || r[1] != 0 {
			done.Add(1)
		} else {
			done.Add(1)
		}
	}
}

func main() {
	flag.Int("n", 0, "ignored: this program does not leak")
	flag.Parse()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}

	jobs := make(chan job)
	results := make(chan [32]byte, workers)
	var done atomic.Int64
	for i := 0; i < workers; i++ {
		go worker(jobs, results)
	}
	go collect(results, &done)
	ticker := time.NewTicker(5 * time.Millisecond)
	go dispatch(ticker.C, jobs)

	deadline := time.Now().Add(30 * time.Second)
	for done.Load() < 20 || audited.Load() < 20 {
		if time.Now().After(deadline) {
			fmt.Fprintf(os.Stderr, "healthy: pool made no progress (%d done, %d audited, NumGoroutine=%d)\n",
				done.Load(), audited.Load(), runtime.NumGoroutine())
			os.Exit(1)
		}
		time.Sleep(10 * time.Millisecond)
	}

	fmt.Printf("READY http://%s\n", ln.Addr())
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.Serve(ln))
}
