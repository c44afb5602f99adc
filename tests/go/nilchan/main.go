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
	"time"

	"leakhound.test/cases/internal/parked"
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
	parked.Wait("nilchan", "main.(*publisher).deliver", "chan send (nil chan)", *n)

	fmt.Printf("READY http://%s\n", ln.Addr())
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.Serve(ln))
}
