// Command select_noexit leaks goroutines that loop over a select with no way out.
//
// How it leaks: every subscriber of the broker runs `for { select { case ev := <-s.events: ... case cmd :=
// <-s.control: ... } }` with no case that returns (no done channel, no context, no closed-channel check).
// Unsubscribe only removes the subscriber from the broker's map, so the channels go quiet and the loop waits on them
// forever: each subscriber stays parked in [select] inside main.(*subscriber).loop, created by
// main.(*broker).Subscribe. The fix is a done channel (or ctx.Done()) case that returns, closed by Unsubscribe.
//
// Usage: select_noexit [-n 200]. Subscribes -n subscribers, publishes a few events, unsubscribes them all, waits until
// their loops are parked, prints "READY http://127.0.0.1:PORT" (net/http/pprof is served there) and serves until
// killed.
package main

import (
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

type subscriber struct {
	id      int
	events  chan string
	control chan string
	seen    *atomic.Int64
}

// loop is where the leaked goroutines block: the select has no exit case.
//
//go:noinline
func (s *subscriber) loop() {
	for {
		select {
		case ev := <-s.events:
			if ev != "" {
				s.seen.Add(1)
			}
		case cmd := <-s.control:
			if cmd == "reset" {
				s.seen.Store(0)
			}
		}
	}
}

type broker struct {
	mu   sync.Mutex
	next int
	subs map[int]*subscriber
	seen atomic.Int64
}

//go:noinline
func (b *broker) Subscribe() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.next++
	s := &subscriber{id: b.next, events: make(chan string), control: make(chan string), seen: &b.seen}
	b.subs[s.id] = s
	go s.loop()
	return s.id
}

// Unsubscribe forgets the subscriber but leaves its loop running: the bug.
func (b *broker) Unsubscribe(id int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.subs, id)
}

func (b *broker) Publish(ev string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.subs {
		s.events <- ev
	}
}

func main() {
	n := flag.Int("n", 200, "number of leaked goroutines to create")
	flag.Parse()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}

	b := &broker{subs: make(map[int]*subscriber)}
	ids := make([]int, 0, *n)
	for i := 0; i < *n; i++ {
		ids = append(ids, b.Subscribe())
	}
	for i := 0; i < 3; i++ {
		b.Publish(fmt.Sprintf("event-%d", i))
	}
	for _, id := range ids {
		b.Unsubscribe(id)
	}
	parked.Wait("select_noexit", "main.(*subscriber).loop", "select", *n)

	fmt.Printf("READY http://%s\n", ln.Addr())
	fmt.Fprintf(os.Stderr, "select_noexit: %d events delivered\n", b.seen.Load())
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.Serve(ln))
}
