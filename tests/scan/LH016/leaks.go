// Positive cases for LH016 never-completed: a blocking operation on an object only this package sees, which no code
// of the package can complete.
package lh016

import (
	"sync"
	"time"
)

// A server whose Shutdown waits for the serve loop to report that it stopped, but the loop never closes (or sends
// on) stopped.
type Server struct {
	mu      sync.Mutex
	quit    chan struct{}
	stopped chan struct{}
	conns   map[int]func()
}

func NewServer() *Server {
	s := &Server{quit: make(chan struct{}), stopped: make(chan struct{}), conns: map[int]func(){}}
	go s.serve()
	return s
}

func (s *Server) serve() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-s.quit:
			return
		case <-t.C:
			s.mu.Lock()
			for _, ping := range s.conns {
				ping()
			}
			s.mu.Unlock()
		}
	}
}

func (s *Server) Shutdown() {
	close(s.quit)
	<-s.stopped // want "receive on s.stopped blocks forever: no code of the package sends on it or closes it"
}

// A worker pool: the workers range over jobs, but Close only flags the pool closed and never closes jobs, so every
// worker goroutine stays parked in its range.
type WorkerPool struct {
	mu     sync.Mutex
	closed bool
	jobs   chan func()
}

func NewWorkerPool(n int) *WorkerPool {
	p := &WorkerPool{jobs: make(chan func(), n)}
	for i := 0; i < n; i++ {
		go p.worker()
	}
	return p
}

func (p *WorkerPool) worker() {
	for job := range p.jobs { // want "range on p.jobs blocks forever: nothing closes it, so the range never ends after the last send"
		job()
	}
}

func (p *WorkerPool) Submit(job func()) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.jobs <- job
	return true
}

func (p *WorkerPool) Close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
}

// A fan-out group: Go counts each task but the goroutine never calls Done, so Wait never returns.
type Group struct {
	wg   sync.WaitGroup
	mu   sync.Mutex
	errs []error
}

func (g *Group) Go(task func() error) {
	g.wg.Add(1)
	go func() {
		if err := task(); err != nil {
			g.mu.Lock()
			g.errs = append(g.errs, err)
			g.mu.Unlock()
		}
	}()
}

func (g *Group) Wait() []error {
	g.wg.Wait() // want "Wait on g.wg blocks forever: its WaitGroup is added to but no code of the package calls Done"
	return g.errs
}

// A blocking queue: Take waits on the condition, but Put appends without Signal or Broadcast.
type BlockingQueue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []string
}

func NewBlockingQueue() *BlockingQueue {
	q := &BlockingQueue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *BlockingQueue) Put(s string) {
	q.mu.Lock()
	q.items = append(q.items, s)
	q.mu.Unlock()
}

func (q *BlockingQueue) Take() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait() // want "Wait on q.cond blocks forever: no code of the package calls Signal or Broadcast on it"
	}
	s := q.items[0]
	q.items = q.items[1:]
	return s
}

// A package-level shutdown signal that nothing in the package ever closes.
var shutdownRequested = make(chan struct{})

func WaitForShutdown(cleanup func()) {
	<-shutdownRequested // want "receive on shutdownRequested blocks forever: no code of the package sends on it or closes it"
	cleanup()
}

// A health checker whose probes report failures on an unbuffered channel that nothing receives from.
type HealthChecker struct {
	targets  []string
	failures chan string
}

func NewHealthChecker(targets []string) *HealthChecker {
	return &HealthChecker{targets: targets, failures: make(chan string)}
}

func (h *HealthChecker) probeAll(probe func(string) error) {
	for _, t := range h.targets {
		go func() {
			if probe(t) != nil {
				h.failures <- t // want "send on h.failures blocks forever: it is unbuffered and no code of the package receives from it"
			}
		}()
	}
}

// A config watcher hands out its update channel; Stop ends the polling but never closes the channel, so a consumer's
// `for cfg := range w.Updates()` never ends.
type ConfigWatcher struct {
	updates chan map[string]string
	stop    chan struct{}
}

func NewConfigWatcher(poll func() map[string]string) *ConfigWatcher {
	w := &ConfigWatcher{updates: make(chan map[string]string), stop: make(chan struct{})}
	go func() {
		t := time.NewTicker(10 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-w.stop:
				return
			case <-t.C:
				select {
				case w.updates <- poll():
				case <-w.stop:
					return
				}
			}
		}
	}()
	return w
}

func (w *ConfigWatcher) Updates() <-chan map[string]string {
	return w.updates // want "ConfigWatcher.Updates hands out ConfigWatcher.updates, which the package sends on but never closes, not even in Stop"
}

func (w *ConfigWatcher) Stop() { close(w.stop) }

// The consumer that blocks: it ranges over Updates(), which never ends after Stop.
func ApplyConfig(w *ConfigWatcher, apply func(map[string]string)) {
	for cfg := range w.Updates() {
		apply(cfg)
	}
}

// A cache whose Invalidate sends to the background loop with a plain send, but that loop returns on stop: after Stop,
// every Invalidate blocks forever.
type Cache struct {
	mu            sync.Mutex
	data          map[string][]byte
	invalidations chan string
	stop          chan struct{}
}

func NewCache() *Cache {
	c := &Cache{data: map[string][]byte{}, invalidations: make(chan string), stop: make(chan struct{})}
	go c.loop()
	return c
}

func (c *Cache) loop() {
	for {
		select {
		case key := <-c.invalidations:
			c.mu.Lock()
			delete(c.data, key)
			c.mu.Unlock()
		case <-c.stop:
			return
		}
	}
}

func (c *Cache) Invalidate(key string) {
	c.invalidations <- key // want "send on c.invalidations can block forever: its only counterpart, in Cache.loop, is a select case and that loop returns on another case"
}

func (c *Cache) Stop() { close(c.stop) }

// A dialer that waits for its balancer watcher to say it is done, but the watcher never uses the channel it is given:
// nothing sends on done or closes it.
type Balancer struct{ addrs chan []string }

func (b *Balancer) Update(addrs []string) { b.addrs <- addrs }

func (b *Balancer) Close() { close(b.addrs) }

func (b *Balancer) watch(done chan bool) {
	for range b.addrs {
	}
}

func (b *Balancer) Dial() {
	go func() {
		done := make(chan bool)
		go b.watch(done)
		<-done // want "receive from done blocks forever: nothing sends on it or closes it \\(it is passed to watch, which does neither\\)"
	}()
}
