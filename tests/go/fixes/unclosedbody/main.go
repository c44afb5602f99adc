// Command unclosedbody leaks the way HTTP clients that never close response bodies do, in a form `leakhound scan
// --fix` repairs: fetch reads the status of a response and returns without closing its Body (LH009), so its
// connection can never go back to the pool; every call opens a new one, and each keeps its transport's readLoop and
// writeLoop goroutines for good. The fix closes the body after the error check: one pooled connection serves all.
//
// Usage: unclosedbody [-n 50]. Starts a server on 127.0.0.1, fetches from it n times, and prints "GOROUTINES N"
// on stdout.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"time"
)

func fetch(c *http.Client, url string) (int, error) {
	resp, err := c.Get(url)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

func main() {
	n := flag.Int("n", 50, "requests")
	flag.Parse()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go func() {
		_ = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprintln(w, "ok")
		}))
	}()
	c := &http.Client{Timeout: 5 * time.Second}
	url := "http://" + ln.Addr().String() + "/"
	for i := 0; i < *n; i++ {
		if _, err := fetch(c, url); err != nil {
			panic(err)
		}
	}
	time.Sleep(200 * time.Millisecond)
	fmt.Printf("GOROUTINES %d\n", runtime.NumGoroutine())
}
