// Command abandoned_sender leaks goroutines the way request handlers with a timeout often do.
//
// How it leaks: handleSearch starts fetchBackend in a goroutine that sends its result on an unbuffered channel, then
// selects between that channel and a short time.After timeout. The backend is slower than the timeout, so the
// handler takes the timeout branch, answers 504 and returns; nobody will ever receive from the channel, and the
// sender stays parked in [chan send] inside main.fetchBackend (created by main.handleSearch) for the life of the
// process. The fix is a buffered channel of size 1 (or a select on the request context in the sender).
//
// Usage: abandoned_sender [-n 200]. Sends -n requests to its own /search handler over loopback, waits until that
// many senders are parked, prints "READY http://127.0.0.1:PORT" (net/http/pprof is served there; the application
// listens on a second port; /search is served on both, so that a test can make the leak grow) and serves until
// killed.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"sync"
	"time"

	"leakhound.test/cases/internal/parked"
)

const (
	backendLatency = 30 * time.Millisecond
	handlerTimeout = 2 * time.Millisecond
)

type result struct {
	query string
	hits  int
}

// fetchBackend asks the (slow) backend and reports on out. It is where the leaked goroutines block.
//
//go:noinline
func fetchBackend(query string, out chan result) {
	time.Sleep(backendLatency)
	out <- result{query: query, hits: len(query)}
}

// handleSearch is the handler with the bug: `results` is unbuffered and abandoned on timeout.
func handleSearch(w http.ResponseWriter, r *http.Request) {
	results := make(chan result)
	go fetchBackend(r.URL.Query().Get("q"), results)
	select {
	case res := <-results:
		fmt.Fprintf(w, "%s: %d hits\n", res.query, res.hits)
	case <-time.After(handlerTimeout):
		http.Error(w, "backend timeout", http.StatusGatewayTimeout)
	}
}

// issueRequests calls the application's own /search endpoint n times over loopback, a few at a time.
func issueRequests(appURL string, n int) {
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			resp, err := client.Get(fmt.Sprintf("%s/search?q=item%d", appURL, i))
			if err != nil {
				log.Fatalf("abandoned_sender: request %d: %v", i, err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}(i)
	}
	wg.Wait()
}

func main() {
	n := flag.Int("n", 200, "number of leaked goroutines to create")
	flag.Parse()

	adminLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	appLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	app := http.NewServeMux()
	app.HandleFunc("/search", handleSearch)
	// Also on the admin port, so that tests can make the leak grow between two snapshots.
	http.HandleFunc("/search", handleSearch)
	appSrv := &http.Server{Handler: app, ReadHeaderTimeout: 10 * time.Second}
	go appSrv.Serve(appLn)

	issueRequests("http://"+appLn.Addr().String(), *n)
	parked.Wait("abandoned_sender", "main.fetchBackend", "chan send", *n)

	fmt.Printf("READY http://%s\n", adminLn.Addr())
	adminSrv := &http.Server{ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(adminSrv.Serve(adminLn))
}
