package main

// Notifications: subscriptions to order events and periodic reports. Both leak.

import (
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Event is what subscribers receive when an order changes.
type Event struct {
	Topic   string    `json:"topic"`
	OrderID int64     `json:"order_id"`
	Status  string    `json:"status"`
	At      time.Time `json:"at"`
}

type subscription struct {
	id        int64
	topic     string
	events    chan Event
	delivered atomic.Int64
	dropped   atomic.Int64
}

// hub fans order events out to subscriptions.
type hub struct {
	mu     sync.Mutex
	nextID int64
	subs   map[string]map[int64]*subscription
}

func newHub() *hub { return &hub{subs: make(map[string]map[int64]*subscription)} }

func (h *hub) Subscribe(topic string) *subscription {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.nextID++
	s := &subscription{id: h.nextID, topic: topic, events: make(chan Event, 16)}
	if h.subs[topic] == nil {
		h.subs[topic] = make(map[int64]*subscription)
	}
	h.subs[topic][s.id] = s
	return s
}

// Unsubscribe removes the subscription and closes its channel, which ends its watcher. Nothing calls it: that is
// leak (b).
func (h *hub) Unsubscribe(s *subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[s.topic][s.id]; ok {
		delete(h.subs[s.topic], s.id)
		close(s.events)
	}
}

// Publish never blocks: a subscriber whose buffer is full misses the event.
func (h *hub) Publish(ev Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, s := range h.subs[ev.Topic] {
		select {
		case s.events <- ev:
		default:
			s.dropped.Add(1)
		}
	}
}

// ---------------------------------------------------------------------------------------------------------------
// (b) /subscribe: a watcher ranges over a channel nobody closes.
//
// handleSubscribe registers a subscription and starts a goroutine that delivers its events. The watcher ends only
// when `sub.events` is closed, which only hub.Unsubscribe does, and nobody calls it: not when the client goes
// away, not after a TTL, not on shutdown. Every call leaks one goroutine parked in `chan receive` (plus the
// subscription, which the hub keeps reachable and keeps publishing to):
//
//	goroutine 77 [chan receive]:
//	main.watchSubscription(...)  .../notify.go:NN
//	created by main.(*app).handleSubscribe in goroutine 70
//
// Fix: tie the subscription to something that ends. For a streaming endpoint, `defer a.hub.Unsubscribe(sub)` in
// the handler and serve events until r.Context().Done(); for a webhook-style subscription, give it a lease and
// unsubscribe when it expires; in either case, have the watcher also select on a context so it can be stopped.
// ---------------------------------------------------------------------------------------------------------------

func (a *app) handleSubscribe(w http.ResponseWriter, r *http.Request) {
	topic := r.URL.Query().Get("topic")
	if topic == "" {
		topic = "orders"
	}
	sub := a.hub.Subscribe(topic)
	go watchSubscription(sub) // LEAK: nothing ever ends this goroutine
	writeJSON(w, http.StatusCreated, map[string]any{"subscription": sub.id, "topic": topic})
}

//go:noinline
func watchSubscription(sub *subscription) {
	for ev := range sub.events { // LEAK: blocks for ever; sub.events is never closed
		_ = ev // stand-in for POSTing the event to the subscriber's webhook
		sub.delivered.Add(1)
	}
}

// ---------------------------------------------------------------------------------------------------------------
// (c) /report: a ticker loop with no exit.
//
// handleReport starts a background job that refreshes an order report every `every` (default 5s) and can be
// nudged through POST /report/{id}/refresh. The loop selects on the ticker and the nudge channel only: there is no
// `case <-ctx.Done(): return`, and nobody stops the ticker. Every call leaks one goroutine that sits in `select`
// between ticks and wakes up for ever:
//
//	goroutine 88 [select]:
//	main.(*reportJob).run(...)  .../notify.go:NN
//	created by main.(*app).handleReport in goroutine 80
//
// Fix: pass the job a context it owns (cancelled by a DELETE /report/{id}, on shutdown, or when the requester is
// gone) and add `case <-ctx.Done(): return` to the select, with `defer ticker.Stop()`.
// ---------------------------------------------------------------------------------------------------------------

type reportJob struct {
	id      int64
	every   time.Duration
	refresh chan struct{}
	runs    atomic.Int64
	mu      sync.Mutex
	last    map[string]int
}

type reportRegistry struct {
	mu     sync.Mutex
	nextID int64
	jobs   map[int64]*reportJob
}

func newReportRegistry() *reportRegistry { return &reportRegistry{jobs: make(map[int64]*reportJob)} }

func (rr *reportRegistry) add(every time.Duration) *reportJob {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	rr.nextID++
	j := &reportJob{id: rr.nextID, every: every, refresh: make(chan struct{}, 1)}
	rr.jobs[j.id] = j
	return j
}

func (rr *reportRegistry) get(id int64) *reportJob {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	return rr.jobs[id]
}

func (a *app) handleReport(w http.ResponseWriter, r *http.Request) {
	every, err := time.ParseDuration(r.URL.Query().Get("every"))
	if err != nil || every < 100*time.Millisecond {
		every = 5 * time.Second
	}
	job := a.reports.add(every)
	ticker := time.NewTicker(every) // LEAK: never stopped
	go job.run(ticker, a.orders)    // LEAK: nothing ever ends this goroutine
	writeJSON(w, http.StatusAccepted, map[string]any{"report": job.id, "every": every.String()})
}

func (a *app) handleReportRefresh(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	job := a.reports.get(id)
	if err != nil || job == nil {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "no such report"})
		return
	}
	select {
	case job.refresh <- struct{}{}:
	default: // a refresh is already pending
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"report": id})
}

//go:noinline
func (j *reportJob) run(ticker *time.Ticker, orders *orderStore) {
	for {
		select { // LEAK: no `case <-ctx.Done(): return`, so this loop never ends
		case <-ticker.C:
			j.rebuild(orders)
		case <-j.refresh:
			j.rebuild(orders)
		}
	}
}

func (j *reportJob) rebuild(orders *orderStore) {
	stats := orders.stats()
	j.mu.Lock()
	j.last = stats
	j.mu.Unlock()
	j.runs.Add(1)
}
