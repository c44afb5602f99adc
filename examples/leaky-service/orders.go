package main

// The healthy part of the service: orders are queued on a bounded worker pool and processed in the background.
// Nothing here leaks. The pool's workers do sit in `chan receive` while idle, but there is a fixed number of them
// (4), the queue is bounded (a full queue answers 503 instead of starting more goroutines), and Close ends them all.

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

type Order struct {
	ID       int64  `json:"id"`
	Customer string `json:"customer"`
	SKU      string `json:"sku"`
	Qty      int    `json:"qty"`
	Status   string `json:"status"`
}

type orderStore struct {
	mu     sync.Mutex
	nextID int64
	orders map[int64]*Order
}

func newOrderStore() *orderStore { return &orderStore{orders: make(map[int64]*Order)} }

func (s *orderStore) add(o Order) Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	o.ID = s.nextID
	o.Status = "queued"
	s.orders[o.ID] = &o
	return o
}

func (s *orderStore) get(id int64) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[id]
	if !ok {
		return Order{}, false
	}
	return *o, true
}

func (s *orderStore) setStatus(id int64, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.orders[id]; ok {
		o.Status = status
	}
}

// stats counts orders by status; the report loops in report.go call it.
func (s *orderStore) stats() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := make(map[string]int)
	for _, o := range s.orders {
		m[o.Status]++
	}
	return m
}

// workerPool runs a fixed number of workers over a bounded queue.
type workerPool struct {
	jobs chan int64
	wg   sync.WaitGroup
}

func newWorkerPool(workers, queue int, process func(id int64)) *workerPool {
	p := &workerPool{jobs: make(chan int64, queue)}
	for i := 0; i < workers; i++ {
		p.wg.Add(1)
		go p.work(process)
	}
	return p
}

//go:noinline
func (p *workerPool) work(process func(id int64)) {
	defer p.wg.Done()
	for id := range p.jobs { // ends when Close closes the queue
		process(id)
	}
}

// Submit queues a job without blocking; false means the queue is full and the caller should shed load.
func (p *workerPool) Submit(id int64) bool {
	select {
	case p.jobs <- id:
		return true
	default:
		return false
	}
}

// Close stops accepting jobs and waits for the workers to finish the queue.
// REQUIRES: no Submit after or concurrently with Close.
func (p *workerPool) Close() {
	close(p.jobs)
	p.wg.Wait()
}

func (a *app) processOrder(id int64) {
	time.Sleep(2 * time.Millisecond) // stand-in for the payment call
	a.orders.setStatus(id, "confirmed")
	a.hub.Publish(Event{Topic: "orders", OrderID: id, Status: "confirmed", At: time.Now()})
}

func (a *app) handleCreateOrder(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	qty, err := strconv.Atoi(q.Get("qty"))
	if err != nil || qty <= 0 {
		qty = 1
	}
	o := a.orders.add(Order{Customer: q.Get("customer"), SKU: q.Get("sku"), Qty: qty})
	if !a.pool.Submit(o.ID) {
		a.orders.setStatus(o.ID, "rejected")
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": "order queue full, retry later"})
		return
	}
	writeJSON(w, http.StatusAccepted, o)
}

func (a *app) handleGetOrder(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "bad order id"})
		return
	}
	o, ok := a.orders.get(id)
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "no such order"})
		return
	}
	writeJSON(w, http.StatusOK, o)
}
