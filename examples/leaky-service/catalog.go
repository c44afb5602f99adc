package main

// Catalog endpoints: product search and inventory look-ups. Both leak.

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"net/url"
	"time"
)

// ---------------------------------------------------------------------------------------------------------------
// (a) /search: fan-out where the losers block forever in `chan send`.
//
// handleSearch asks three backends at once and answers with whichever replies first (or 504 after 50 ms). The
// backends reply on an UNBUFFERED channel. Only one reply is ever received; once the handler has returned nobody
// receives from `results` again, so every slower backend blocks for ever in `results <- ...`. Each request leaks
// two goroutines (three if it timed out), each holding its query and result alive:
//
//	goroutine 1234 [chan send]:
//	main.queryBackend(...)  .../catalog.go:NN
//	created by main.(*app).handleSearch in goroutine 1200
//
// Fix: give the channel room for every sender, `make(chan searchResult, len(searchBackends))`, so each backend can
// always deliver and exit; or have senders `select { case results <- r: case <-ctx.Done(): }` with the request's
// context (and cancel it when the handler returns).
// ---------------------------------------------------------------------------------------------------------------

type backend struct {
	name    string
	latency time.Duration
}

var searchBackends = []backend{
	{"primary", 2 * time.Millisecond},
	{"replica-eu", 15 * time.Millisecond},
	{"replica-us", 30 * time.Millisecond},
}

type searchResult struct {
	Backend string   `json:"backend"`
	Query   string   `json:"query"`
	Hits    []string `json:"hits"`
}

func (a *app) handleSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	results := make(chan searchResult) // LEAK: unbuffered, and abandoned after the first reply
	for _, b := range searchBackends {
		go queryBackend(b, q, results)
	}
	select {
	case res := <-results:
		writeJSON(w, http.StatusOK, res)
	case <-time.After(50 * time.Millisecond):
		writeJSON(w, http.StatusGatewayTimeout, map[string]any{"error": "search timed out"})
	}
}

// queryBackend stands in for an RPC to one search backend.
//
//go:noinline
func queryBackend(b backend, q string, results chan<- searchResult) {
	time.Sleep(b.latency)
	h := fnv.New32a()
	h.Write([]byte(q))
	res := searchResult{Backend: b.name, Query: q, Hits: []string{fmt.Sprintf("sku-%d", h.Sum32()%1000)}}
	results <- res // LEAK: blocks for ever once handleSearch has returned
}

// ---------------------------------------------------------------------------------------------------------------
// (d) /fetch: a fresh http.Transport per call, never closed.
//
// handleFetch asks the inventory "upstream" (this service's own /internal/inventory) about a SKU with a client
// built for this one call. The response body is read to the end and closed, so the connection goes back to the
// idle pool of THAT transport, where it stays: nothing ever reuses it (the transport is dropped) and nothing closes
// it (no CloseIdleConnections, no IdleConnTimeout, and the upstream has no IdleTimeout). Each call leaks one TCP
// connection and three goroutines:
//
//	net/http.(*persistConn).readLoop   [IO wait]  client side, waiting for bytes that never come
//	net/http.(*persistConn).writeLoop  [select]   client side, waiting for a request that never comes
//	net/http.(*conn).serve             [IO wait]  the upstream's side of the same connection
//
// The goroutines keep the transport reachable, so the garbage collector never reclaims any of it; the process runs
// out of file descriptors first.
//
// Fix: one long-lived client for the process (`var inventoryClient = &http.Client{Timeout: 2 * time.Second}`,
// sharing http.DefaultTransport or one Transport of your own); if a per-call transport is really needed, call
// `transport.CloseIdleConnections()` when done, or set `DisableKeepAlives: true`.
// ---------------------------------------------------------------------------------------------------------------

type inventory struct {
	SKU       string `json:"sku"`
	InStock   int    `json:"in_stock"`
	Warehouse string `json:"warehouse"`
}

func (a *app) handleFetch(w http.ResponseWriter, r *http.Request) {
	sku := r.URL.Query().Get("sku")
	inv, err := fetchInventory(a.base, sku)
	if err != nil {
		writeJSON(w, http.StatusBadGateway, map[string]any{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, inv)
}

//go:noinline
func fetchInventory(base, sku string) (inventory, error) {
	client := &http.Client{Transport: &http.Transport{}, Timeout: 2 * time.Second} // LEAK: new pool per call
	resp, err := client.Get(base + "/internal/inventory?sku=" + url.QueryEscape(sku))
	if err != nil {
		return inventory{}, fmt.Errorf("inventory upstream: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body) // read to EOF, so the connection is kept alive (in a pool nobody uses)
	if err != nil {
		return inventory{}, fmt.Errorf("inventory upstream: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return inventory{}, fmt.Errorf("inventory upstream: %s", resp.Status)
	}
	var inv inventory
	if err := json.Unmarshal(body, &inv); err != nil {
		return inventory{}, fmt.Errorf("inventory upstream: %w", err)
	}
	return inv, nil
}

// handleInventory is the upstream /fetch talks to. It is healthy.
func (a *app) handleInventory(w http.ResponseWriter, r *http.Request) {
	sku := r.URL.Query().Get("sku")
	h := fnv.New32a()
	h.Write([]byte(sku))
	writeJSON(w, http.StatusOK, inventory{SKU: sku, InStock: int(h.Sum32() % 50), Warehouse: "ams-1"})
}
