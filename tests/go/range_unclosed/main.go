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
	"runtime"
	"strings"
	"time"
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
	waitParked("main.consume", "chan receive", *n)

	fmt.Printf("READY http://%s\n", ln.Addr())
	fmt.Fprintf(os.Stderr, "range_unclosed: checksum %d\n", sum)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.Serve(ln))
}

// waitParked returns once at least n goroutines are parked in `state` with `fn` on their stack, as the runtime's own
// traceback of all goroutines shows them. It exits the process if that does not happen within 30 seconds.
func waitParked(fn, state string, n int) {
	deadline := time.Now().Add(30 * time.Second)
	buf := make([]byte, 1<<20)
	for {
		m := runtime.Stack(buf, true)
		if m == len(buf) {
			buf = make([]byte, 2*len(buf))
			continue
		}
		got := countParked(string(buf[:m]), fn, state)
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			fmt.Fprintf(os.Stderr, "range_unclosed: only %d of %d goroutines parked in [%s] at %s (NumGoroutine=%d)\n",
				got, n, state, fn, runtime.NumGoroutine())
			os.Exit(1)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func countParked(dump, fn, state string) int {
	count := 0
	for _, g := range strings.Split(dump, "\n\n") {
		header, body, _ := strings.Cut(g, "\n")
		if strings.Contains(header, "["+state) && strings.Contains("\n"+body, "\n"+fn+"(") {
			count++
		}
	}
	return count
}
