// Command range_unclosed leaks consumer goroutines that range over a channel nobody closes.
//
// How it leaks: processAll starts `workers` consumers that each run `for item := range jobs`, feeds them every item,
// collects one result per item and returns, but never calls close(jobs). The consumers have drained the channel and
// wait for the next item forever: each one stays parked in [chan receive] inside main.consume, created by
// main.processAll. The fix is `close(jobs)` once the last item is sent.
//
// Usage: range_unclosed [-n 200]. Runs one processAll with -n workers, waits until they are all parked, prints
// "READY http://127.0.0.1:PORT" (net/http/pprof is served there) and serves until killed.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"time"

	"leakhound.test/cases/internal/parked"
)

type item struct {
	id   int
	name string
}

// consume is where the leaked goroutines block: the range never ends because jobs is never closed.
//
//go:noinline
func consume(jobs <-chan item, results chan<- int) {
	for it := range jobs {
		results <- len(it.name) + it.id
	}
}

// processAll checksums items with `workers` consumers. The bug: jobs is never closed.
//
//go:noinline
func processAll(items []item, workers int) int {
	jobs := make(chan item)
	results := make(chan int, len(items))
	for w := 0; w < workers; w++ {
		go consume(jobs, results)
	}
	for _, it := range items {
		jobs <- it
	}
	sum := 0
	for range items {
		sum += <-results
	}
	return sum
}

func main() {
	n := flag.Int("n", 200, "number of leaked goroutines to create")
	flag.Parse()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}

	items := make([]item, 3**n)
	for i := range items {
		items[i] = item{id: i, name: fmt.Sprintf("item-%d", i)}
	}
	sum := processAll(items, *n)
	parked.Wait("range_unclosed", "main.consume", "chan receive", *n)

	fmt.Printf("READY http://%s\n", ln.Addr())
	fmt.Fprintf(os.Stderr, "range_unclosed: checksum %d\n", sum)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.Serve(ln))
}
