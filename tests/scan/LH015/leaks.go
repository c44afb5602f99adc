// Positive cases for LH015 lock-across-channel: a channel operation while holding a mutex that the goroutine on the
// other end takes first.
package lh015

import (
	"sync"
	"time"
)

type Event struct {
	Topic string
	Body  []byte
}

// An event bus: publish sends while holding b.mu; the dispatcher takes b.mu (to read the handler table) before each
// receive, so it can never get to the receive while publish waits in the send.
type Bus struct {
	mu       sync.Mutex
	handlers map[string][]func(Event)
	events   chan Event
	sent     int
}

func (b *Bus) Publish(e Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sent++
	b.events <- e // want "send on b.events while holding b.mu: the receive that would complete it \\(Bus.dispatch, .*leaks.go:36\\) first locks Bus.mu \\(.*leaks.go:33\\)"
}

func (b *Bus) dispatch() {
	for {
		b.mu.Lock()
		hs := b.handlers
		b.mu.Unlock()
		e := <-b.events
		for _, h := range hs[e.Topic] {
			h(e)
		}
	}
}

// A worker: Wait holds w.mu while it waits for done, and the goroutine that closes done locks w.mu to record the
// result first.
type Worker struct {
	mu   sync.Mutex
	err  error
	done chan struct{}
}

func (w *Worker) Start(job func() error) {
	go w.run(job)
}

func (w *Worker) run(job func() error) {
	err := job()
	w.mu.Lock()
	w.err = err
	w.mu.Unlock()
	close(w.done)
}

func (w *Worker) Wait() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	<-w.done // want "receive on w.done while holding w.mu: the close that would complete it \\(Worker.run"
	return w.err
}

// A batcher: Flush ranges over the pending channel while holding its lock; the producers lock before they send.
type Batcher struct {
	mu      sync.Mutex
	pending chan []byte
	size    int
	out     func([][]byte)
}

func (b *Batcher) Add(p []byte) {
	b.mu.Lock()
	b.size += len(p)
	b.mu.Unlock()
	b.pending <- p
}

func (b *Batcher) Flush() {
	b.mu.Lock()
	defer b.mu.Unlock()
	var batch [][]byte
	for p := range b.pending { // want "range on b.pending while holding b.mu: the send that would complete it \\(Batcher.Add"
		batch = append(batch, p)
		if len(batch) == 64 {
			break
		}
	}
	b.out(batch)
}

// Package-level state: a config reloader sends the new config while holding cfgMu, and the applier reads the
// current config under cfgMu before it receives the next.
var (
	cfgMu   sync.Mutex
	current map[string]string
	updates = make(chan map[string]string)
)

func Reload(load func() map[string]string) {
	cfgMu.Lock()
	defer cfgMu.Unlock()
	next := load()
	updates <- next // want "send on updates while holding cfgMu: the receive that would complete it \\(applyLoop"
	current = next
}

func applyLoop(apply func(old, next map[string]string)) {
	for {
		cfgMu.Lock()
		old := current
		cfgMu.Unlock()
		apply(old, <-updates)
	}
}

// A connection's writer: Send holds c.mu and hands a frame to the write loop, which takes c.mu through a helper
// (stats) before it receives the next frame.
type Conn struct {
	mu      sync.Mutex
	frames  chan []byte
	written int
	write   func([]byte) error
}

func (c *Conn) Send(frame []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.frames <- frame // want "send on c.frames while holding c.mu: the receive that would complete it \\(Conn.writeLoop, .*\\) first locks Conn.mu"
}

func (c *Conn) stats() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.written
}

func (c *Conn) writeLoop() {
	for {
		if c.stats() > 1<<20 {
			time.Sleep(time.Millisecond)
		}
		f := <-c.frames
		if c.write(f) != nil {
			return
		}
	}
}

// A pub/sub hub with an embedded RWMutex: Subscribe receives the subscription ack while holding the read lock, and
// the hub loop takes the write lock before it sends the ack.
type Hub struct {
	sync.RWMutex
	closed bool
	subs   map[string]chan string
	acks   chan string
	reqs   chan string
}

func (h *Hub) Subscribe(topic string) string {
	h.RLock()
	defer h.RUnlock()
	h.reqs <- topic // want "send on h.reqs while holding h.RWMutex: the receive that would complete it \\(Hub.loop"
	return <-h.acks // want "receive on h.acks while holding h.RWMutex: the send that would complete it \\(Hub.loop"
}

func (h *Hub) loop() {
	for {
		h.Lock()
		closed := h.closed
		h.Unlock()
		if closed {
			return
		}
		topic := <-h.reqs
		h.Lock()
		h.subs[topic] = make(chan string, 1)
		h.Unlock()
		h.acks <- topic
	}
}

// An RPC client: Call holds c.mu (to number the request) while it hands the request to the writer goroutine started
// in Dial, and that goroutine locks c.mu (to count in-flight calls) before each receive.
type Client struct {
	mu       sync.Mutex
	seq      uint64
	inflight int
	reqs     chan uint64
}

func Dial(write func(uint64) error) *Client {
	c := &Client{reqs: make(chan uint64)}
	go func() {
		for {
			c.mu.Lock()
			c.inflight++
			c.mu.Unlock()
			if write(<-c.reqs) != nil {
				return
			}
		}
	}()
	return c
}

func (c *Client) Call() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	c.reqs <- c.seq // want "send on c.reqs while holding c.mu: the receive that would complete it \\(Dial.func, .*\\) first locks Client.mu"
	return c.seq
}

// Constructors: every channel above is made unbuffered (the rule judges only channels it sees made so).
func NewBus() *Bus { return &Bus{handlers: map[string][]func(Event){}, events: make(chan Event)} }

func NewWorker() *Worker { return &Worker{done: make(chan struct{})} }

func NewBatcher(out func([][]byte)) *Batcher { return &Batcher{pending: make(chan []byte), out: out} }

func NewConn(write func([]byte) error) *Conn { return &Conn{frames: make(chan []byte), write: write} }

func NewHub() *Hub {
	return &Hub{subs: map[string]chan string{}, acks: make(chan string), reqs: make(chan string)}
}
