// Positive cases for LH014 relock: a goroutine takes a mutex it already holds.
package lh014

import (
	"errors"
	"net"
	"sync"
	"time"
)

// An LRU cache: Get holds c.mu and, on a full cache, calls evict, which locks c.mu again.
type LRU struct {
	mu    sync.Mutex
	max   int
	items map[string][]byte
	order []string
}

func (c *LRU) Get(key string, load func(string) []byte) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.items[key]; ok {
		return v
	}
	v := load(key)
	if len(c.items) >= c.max {
		c.evict() // want "LRU.Get calls LRU.evict, which locks c.mu again \\(.*leaks.go:38\\) while this goroutine holds it \\(line 20\\)"
	}
	c.items[key] = v
	c.order = append(c.order, key)
	return v
}

func (c *LRU) evict() {
	if len(c.order) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	oldest := c.order[0]
	c.order = c.order[1:]
	delete(c.items, oldest)
}

// A connection pool: the dial path was meant to release the lock before dialing, but locks it again instead.
type Pool struct {
	mu     sync.Mutex
	addr   string
	idle   []net.Conn
	closed bool
}

var errPoolClosed = errors.New("pool closed")

func (p *Pool) Get() (net.Conn, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, errPoolClosed
	}
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	p.mu.Lock() // want "p.mu is locked again while already held \\(line 56\\): sync mutexes are not reentrant"
	defer p.mu.Unlock()
	return net.DialTimeout("tcp", p.addr, time.Second)
}

// A registry of services: Lookup holds the read lock and, on a miss, calls register, which takes the write lock on
// the same RWMutex (a lock "upgrade" Go does not have).
type Registry struct {
	mu       sync.RWMutex
	services map[string]string
}

func (r *Registry) Lookup(name string, resolve func(string) string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if addr, ok := r.services[name]; ok {
		return addr
	}
	addr := resolve(name)
	r.register(name, addr) // want "Registry.Lookup calls Registry.register, which locks r.mu again .* while this goroutine holds it \\(line 80\\)"
	return addr
}

func (r *Registry) register(name, addr string) {
	r.mu.Lock()
	r.services[name] = addr
	r.mu.Unlock()
}

// The same RLock taken twice on one path: a writer that queues between the two blocks the second RLock, and the
// writer waits for the first.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	names := make([]string, 0, len(r.services))
	for name := range r.services {
		names = append(names, name)
	}
	r.mu.RLock() // want "r.mu is read-locked again while this goroutine holds its read lock \\(line 99\\)"
	n := len(r.services)
	r.mu.RUnlock()
	return names[:n]
}

// A pub/sub broker with an embedded mutex: Publish holds it and drops slow subscribers through unsubscribe, which
// locks it too.
type Broker struct {
	sync.Mutex
	subs map[int]chan string
}

func (b *Broker) Publish(msg string) {
	b.Lock()
	defer b.Unlock()
	for id, ch := range b.subs {
		select {
		case ch <- msg:
		default:
			b.unsubscribe(id) // want "Broker.Publish calls Broker.unsubscribe, which locks b.Mutex again"
		}
	}
}

func (b *Broker) unsubscribe(id int) {
	b.Lock()
	defer b.Unlock()
	if ch, ok := b.subs[id]; ok {
		close(ch)
		delete(b.subs, id)
	}
}

// A package-level registry lock: Register holds it and calls lookupDriver, which locks it again.
var (
	driversMu sync.Mutex
	drivers   = map[string]func() error{}
)

func Register(name string, open func() error) {
	driversMu.Lock()
	defer driversMu.Unlock()
	if lookupDriver(name) != nil { // want "Register calls lookupDriver, which locks driversMu again"
		panic("driver registered twice: " + name)
	}
	drivers[name] = open
}

func lookupDriver(name string) func() error {
	driversMu.Lock()
	defer driversMu.Unlock()
	return drivers[name]
}

// A write buffer handed to a function: flushBuffer locks the buffer it is given, and Write calls it with the buffer
// whose lock it holds.
type Buffer struct {
	mu   sync.Mutex
	data []byte
	sink func([]byte)
}

func Write(b *Buffer, p []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.data = append(b.data, p...)
	if len(b.data) > 4096 {
		flushBuffer(b) // want "Write calls flushBuffer, which locks b.mu again"
	}
}

func flushBuffer(buf *Buffer) {
	buf.mu.Lock()
	defer buf.mu.Unlock()
	buf.sink(buf.data)
	buf.data = buf.data[:0]
}

// A connection manager: Close holds m.mu and calls closeAll, which calls drop for each connection, which locks m.mu:
// the relock is two calls down.
type Manager struct {
	mu    sync.Mutex
	conns map[string]net.Conn
}

func (m *Manager) Close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closeAll() // want "Manager.Close calls Manager.closeAll, which locks m.mu again \\(.*leaks.go:\\d+\\)"
}

func (m *Manager) closeAll() {
	for addr := range m.conns {
		m.drop(addr)
	}
}

func (m *Manager) drop(addr string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c, ok := m.conns[addr]; ok {
		_ = c.Close()
		delete(m.conns, addr)
	}
}

// A session store: Sweep skips live sessions with `continue` while still holding s.mu; the next iteration's Lock
// waits for itself.
type Sessions struct {
	mu      sync.Mutex
	expires map[string]time.Time
}

func (s *Sessions) Sweep(ids []string, now time.Time) int {
	removed := 0
	for _, id := range ids {
		s.mu.Lock()
		exp, ok := s.expires[id]
		if !ok || exp.After(now) {
			continue // want "continue goes back to the Lock of s.mu \\(line 222\\) with it still held"
		}
		delete(s.expires, id)
		s.mu.Unlock()
		removed++
	}
	return removed
}

// A job queue: Drain leaves its loop with `break` while holding q.mu; nothing unlocks it afterwards, so the next
// Push (or Drain) blocks forever.
type JobQueue struct {
	mu   sync.Mutex
	jobs []func()
}

func (q *JobQueue) Push(job func()) {
	q.mu.Lock()
	q.jobs = append(q.jobs, job)
	q.mu.Unlock()
}

func (q *JobQueue) Drain() {
	for {
		q.mu.Lock()
		if len(q.jobs) == 0 {
			break // want "break leaves the loop with q.mu locked \\(line 249\\), and nothing after the loop unlocks it"
		}
		job := q.jobs[0]
		q.jobs = q.jobs[1:]
		q.mu.Unlock()
		job()
	}
}
