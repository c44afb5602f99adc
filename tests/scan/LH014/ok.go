// Negative cases for LH014: the lock is released before it is taken again, or the second lock is another one.
package lh014

import (
	"net"
	"sync"
	"time"
)

// The fixed LRU: Put releases c.mu before it calls evict, which takes it on its own.
func (c *LRU) Put(key string, v []byte) {
	c.mu.Lock()
	c.items[key] = v
	c.order = append(c.order, key)
	full := len(c.items) > c.max
	c.mu.Unlock()
	if full {
		c.evict()
	}
}

// Tricky: getLocked looks like evict but expects c.mu held and never locks it itself.
func (c *LRU) Peek(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.getLocked(key)
}

// getLocked expects c.mu held.
func (c *LRU) getLocked(key string) ([]byte, bool) {
	v, ok := c.items[key]
	return v, ok
}

// Tricky: two different instances of one type, both locked directly: the early return rules out the same cache,
// and the fixed order (by name) rules out two moves in opposite directions waiting for each other.
type Shard struct {
	mu   sync.Mutex
	name string
	keys map[string][]byte
}

func MoveKey(from, to *Shard, key string) {
	if from == to {
		return
	}
	first, second := from, to
	if to.name < from.name {
		first, second = to, from
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock()
	defer second.mu.Unlock()
	if v, ok := from.keys[key]; ok {
		to.keys[key] = v
		delete(from.keys, key)
	}
}

// Tricky: RLock, RUnlock, then Lock (the checked "upgrade": release the read lock first, then re-check under the
// write lock).
func (r *Registry) Resolve(name string, resolve func(string) string) string {
	r.mu.RLock()
	addr, ok := r.services[name]
	r.mu.RUnlock()
	if ok {
		return addr
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if addr, ok := r.services[name]; ok {
		return addr
	}
	addr = resolve(name)
	r.services[name] = addr
	return addr
}

// Tricky: the early return unlocks, and the lock taken afterwards on the other path is the first one on that path.
func (p *Pool) Put(c net.Conn) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		_ = c.Close()
		return
	}
	p.idle = append(p.idle, c)
	p.mu.Unlock()
}

// Tricky: unlock around slow work in a loop, then lock again for the next key.
func (m *Manager) CloseEach() {
	m.mu.Lock()
	for addr, c := range m.conns {
		delete(m.conns, addr)
		m.mu.Unlock()
		_ = c.Close()
		m.mu.Lock()
	}
	m.mu.Unlock()
}

// Tricky: a goroutine started while the lock is held waits for it, but this goroutine does not: it unlocks on return
// and the other one goes on.
func (m *Manager) DropAsync(addr string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.conns[addr]; ok {
		go m.drop(addr)
	}
}

// Tricky: a deferred call that locks runs after the deferred Unlock registered after it (defers run last-in
// first-out), when the lock is no longer held.
func (m *Manager) Replace(addr string, c net.Conn) {
	defer m.drop(addr + ".old")
	m.mu.Lock()
	defer m.mu.Unlock()
	m.conns[addr] = c
}

// Tricky: two mutexes of one struct: holding statsMu while calling a method that locks mu is not a relock.
type Stats struct {
	mu      sync.Mutex
	statsMu sync.Mutex
	hits    int
	keys    []string
}

func (s *Stats) Record(key string) {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	s.hits++
	s.remember(key)
}

func (s *Stats) remember(key string) {
	s.mu.Lock()
	s.keys = append(s.keys, key)
	s.mu.Unlock()
}

// Tricky: hand-over-hand locking down a tree: the node and its child are different instances of one type.
type node struct {
	mu       sync.Mutex
	children map[string]*node
	value    string
}

func (n *node) Find(path []string) string {
	n.mu.Lock()
	cur := n
	for _, p := range path {
		next := cur.children[p]
		if next == nil {
			cur.mu.Unlock()
			return ""
		}
		next.mu.Lock()
		cur.mu.Unlock()
		cur = next
	}
	v := cur.value
	cur.mu.Unlock()
	return v
}

// Tricky: `continue` after the Unlock: the next iteration's Lock finds it free.
func (s *Sessions) SweepOK(ids []string, now time.Time) int {
	removed := 0
	for _, id := range ids {
		s.mu.Lock()
		if exp, ok := s.expires[id]; !ok || exp.After(now) {
			s.mu.Unlock()
			continue
		}
		delete(s.expires, id)
		s.mu.Unlock()
		removed++
	}
	return removed
}

// Tricky: the `break` leaves the select, not the loop, and the lock was released before it.
func (q *JobQueue) Run(quit <-chan struct{}) {
	for {
		q.mu.Lock()
		select {
		case <-quit:
			q.mu.Unlock()
			return
		default:
			if len(q.jobs) == 0 {
				q.mu.Unlock()
				break
			}
			job := q.jobs[0]
			q.jobs = q.jobs[1:]
			q.mu.Unlock()
			job()
		}
	}
}

// Tricky: one function literal per iteration with a deferred Unlock: each return releases the lock.
func (s *Sessions) Touch(ids []string, ttl time.Duration) {
	for _, id := range ids {
		func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if _, ok := s.expires[id]; !ok {
				return
			}
			s.expires[id] = time.Now().Add(ttl)
		}()
	}
}

// Tricky: sync.Cond.Wait releases the lock while it waits and takes it back before returning; the loop around it
// never locks twice.
type Mailbox struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []string
}

func NewMailbox() *Mailbox {
	m := &Mailbox{}
	m.cond = sync.NewCond(&m.mu)
	return m
}

func (m *Mailbox) Put(s string) {
	m.mu.Lock()
	m.items = append(m.items, s)
	m.mu.Unlock()
	m.cond.Signal()
}

func (m *Mailbox) Take() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	for len(m.items) == 0 {
		m.cond.Wait()
	}
	s := m.items[0]
	m.items = m.items[1:]
	return s
}
