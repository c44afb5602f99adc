// Command watch-leaky is a service that leaks one goroutine per request, at a steady rate under steady load: the
// case `leakhound watch` must alert on.
//
// How it leaks: handleOrder starts notifyAudit in a goroutine that reports on an unbuffered channel, then waits for
// that report only until a 1 ms deadline. The audit backend takes 5 ms, so the handler always gives up first and
// returns; nobody receives from the channel again, and the sender stays parked in [chan send] inside
// main.notifyAudit (created by main.handleOrder) for the life of the process. Every request to /order adds exactly
// one. The fix is a buffered channel of size 1, or a select on the request context in the sender.
//
// Usage: watch-leaky. Serves /order and net/http/pprof on 127.0.0.1 and prints "READY http://127.0.0.1:PORT".
package main

import (
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"time"
)

// notifyAudit reports an order to the (slow) audit backend. It is where the leaked goroutines block.
//
//go:noinline
func notifyAudit(order string, done chan string) {
	time.Sleep(5 * time.Millisecond)
	done <- order
}

func handleOrder(w http.ResponseWriter, r *http.Request) {
	done := make(chan string)
	go notifyAudit(r.URL.Query().Get("id"), done)
	select {
	case <-done:
		fmt.Fprintln(w, "audited")
	case <-time.After(time.Millisecond):
		fmt.Fprintln(w, "accepted")
	}
}

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("/order", handleOrder)
	fmt.Printf("READY http://%s\n", ln.Addr())
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.Serve(ln))
}
