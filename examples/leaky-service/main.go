// Command leaky-service is the service `make demo` points leakhound at: a small order and notification API that
// leaks goroutines the way production Go services do. Each leaking endpoint lives in its own file, with a comment
// saying how it leaks and what the fix is:
//
//	/search     search.go     fan-out to 3 backends; the losers block forever in `chan send`
//	/subscribe  subscribe.go  a watcher `for ev := range events` on a channel nobody closes (`chan receive`)
//	/report     report.go     `for { select { case <-ticker.C: ... } }` with no way out (`select`)
//	/fetch      fetch.go      a fresh http.Transport per call; idle keep-alive connections pile up (`IO wait`, `select`)
//
// The rest (orders.go: a bounded worker pool and plain handlers) is healthy and must not show up as a leak.
//
// Usage:
//
//	leaky-service [-addr 127.0.0.1:0]
//
// It prints "LISTENING http://HOST:PORT" on stdout once the listener is open, serves net/http/pprof under
// /debug/pprof/, and shuts down cleanly on SIGINT or SIGTERM. Meant for loopback only: pprof is not for the internet.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// app holds the state the handlers share.
type app struct {
	base    string // the service's own base URL; /fetch calls back into it as its "upstream"
	orders  *orderStore
	pool    *workerPool
	hub     *hub
	reports *reportRegistry
}

func newApp(base string) *app {
	a := &app{
		base:    base,
		orders:  newOrderStore(),
		hub:     newHub(),
		reports: newReportRegistry(),
	}
	a.pool = newWorkerPool(4, 256, a.processOrder)
	return a
}

func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", a.handleIndex)
	mux.HandleFunc("GET /healthz", a.handleHealthz)

	// Healthy: orders through a bounded worker pool (orders.go).
	mux.HandleFunc("POST /orders", a.handleCreateOrder)
	mux.HandleFunc("GET /orders/{id}", a.handleGetOrder)

	// Leaky (one file each).
	mux.HandleFunc("GET /search", a.handleSearch)
	mux.HandleFunc("/subscribe", a.handleSubscribe)
	mux.HandleFunc("/report", a.handleReport)
	mux.HandleFunc("POST /report/{id}/refresh", a.handleReportRefresh)
	mux.HandleFunc("GET /fetch", a.handleFetch)
	mux.HandleFunc("GET /internal/inventory", a.handleInventory) // the "upstream" that /fetch calls

	// net/http/pprof, mounted on this mux (importing it for side effects only registers on DefaultServeMux).
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

func (a *app) handleIndex(w http.ResponseWriter, r *http.Request) {
	fmt.Fprint(w, `leaky-service: an order and notification API that leaks goroutines on purpose.

healthy:
  GET  /healthz
  POST /orders?customer=C&sku=S&qty=N    queue an order on a bounded worker pool
  GET  /orders/{id}

leaky:
  GET  /search?q=Q                       fan-out; the slower backends block forever in chan send
  GET  /subscribe?topic=T                a watcher ranges over a channel nobody closes
  GET  /report?every=5s                  a ticker loop with no exit
  GET  /fetch?sku=S                      a new http.Transport per call; idle connections pile up

profiles:
  GET  /debug/pprof/goroutine?debug=2
`)
}

func (a *app) handleHealthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok"})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("write response: %v", err)
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on, host:port (port 0 picks a free port)")
	flag.Parse()
	log.SetPrefix("leaky-service: ")
	log.SetFlags(0)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("listen: %v", err)
	}
	base := "http://" + ln.Addr().String()
	a := newApp(base)

	// No IdleTimeout on purpose: an idle timeout here would close the connections /fetch leaks and so hide that
	// leak. A production server should set IdleTimeout (and ReadTimeout/WriteTimeout) as well.
	srv := &http.Server{Handler: a.routes(), ReadHeaderTimeout: 5 * time.Second}

	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
		<-sigs
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			log.Printf("shutdown: %v", err)
		}
	}()

	fmt.Printf("LISTENING %s\n", base)
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatalf("serve: %v", err)
	}
	<-stopped
	a.pool.Close()
	// The leaked goroutines die with the process; that is the only thing that ever ends them.
}
