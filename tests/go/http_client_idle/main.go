// Command http_client_idle leaks the connection goroutines of HTTP clients that are made per request.
//
// How it leaks: checkBackend builds a new http.Client with its own http.Transport for every call, reads the response
// and closes the body, which hands the keep-alive connection back to that Transport's idle pool. Nothing ever calls
// CloseIdleConnections and the server keeps idle connections open, so every call leaves one connection behind with
// its two goroutines: net/http.(*persistConn).readLoop parked in [IO wait] (waiting for bytes that never come) and
// net/http.(*persistConn).writeLoop parked in [select], both created by net/http.(*Transport).dialConn. The fix is one
// shared Client/Transport for the process (or DisableKeepAlives, or CloseIdleConnections after use).
//
// Usage: http_client_idle [-n 200]. Starts a backend on 127.0.0.1, calls it -n times through checkBackend, waits
// until -n readLoops and writeLoops are parked, prints "READY http://127.0.0.1:PORT" (net/http/pprof is served there)
// and serves until killed.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"time"

	"leakhound.test/cases/internal/parked"
)

// startBackend is a minimal httptest.Server: a real HTTP server on a loopback port.
func startBackend() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok\n")
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String()
}

// checkBackend has the bug: a fresh Transport per call whose idle connection is never closed.
//
//go:noinline
func checkBackend(url string) (int, error) {
	client := &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second}
	resp, err := client.Get(url + "/healthz")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

func main() {
	n := flag.Int("n", 200, "number of leaked connections to create")
	flag.Parse()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}

	backend := startBackend()
	for i := 0; i < *n; i++ {
		code, err := checkBackend(backend)
		if err != nil || code != http.StatusOK {
			log.Fatalf("http_client_idle: call %d: status %d, %v", i, code, err)
		}
	}
	parked.Wait("http_client_idle", "net/http.(*persistConn).readLoop", "IO wait", *n)
	parked.Wait("http_client_idle", "net/http.(*persistConn).writeLoop", "select", *n)

	fmt.Printf("READY http://%s\n", ln.Addr())
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.Serve(ln))
}
