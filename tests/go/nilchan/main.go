// Command nilchan leaks goroutines that send on a nil channel.
//
// How it leaks: a publisher only makes its events channel when a sink is configured. This process runs without a
// sink, so p.events stays nil, yet Publish still starts one goroutine per event that sends on it. A send on a nil
// channel blocks forever: every one of those goroutines is parked in [chan send (nil chan)] inside
// main.(*publisher).deliver, created by main.(*publisher).Publish, and nothing can ever wake it.
//
// Usage: nilchan [-n 200]. Publishes -n events, waits until that many deliver goroutines are parked, prints
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

type event struct {
	name  string
	value int
}

type publisher struct {
	events chan event // nil unless a sink is configured
}

func newPublisher(sink string) *publisher {
	p := &publisher{}
	if sink != "" {
		p.events = make(chan event, 16)
		go p.drain(sink)
	}
	return p
}

func (p *publisher) drain(sink string) {
	for e := range p.events {
		log.Printf("%s: %s=%d", sink, e.name, e.value)
	}
}

// Publish hands e to the sink without blocking the caller.
//
//go:noinline
func (p *publisher) Publish(e event) {
	go p.deliver(e)
}

// deliver is where the leaked goroutines block: p.events is nil.
//
//go:noinline
func (p *publisher) deliver(e event) {
	p.events <- e
}

func main() {
	n := flag.Int("n", 200, "number of leaked goroutines to create")
	sink := flag.String("sink", "", "where events go (empty: nowhere, which is the bug)")
	flag.Parse()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}

	p := newPublisher(*sink)
	for i := 0; i < *n; i++ {
		p.Publish(event{name: "requests", value: i})
	}
	waitParked("main.(*publisher).deliver", "chan send (nil chan)", *n)

	fmt.Printf("READY http://%s\n", ln.Addr())
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
			fmt.Fprintf(os.Stderr, "nilchan: only %d of %d goroutines parked in [%s] at %s (NumGoroutine=%d)\n",
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
