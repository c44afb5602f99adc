// Negative cases for LH014: the lock is released before it is taken again, or the second lock is another one.
package lh014

import (
	"net"
	"sync"
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

// Tricky: two different instances of one type. Holding dst.mu while src.evict locks src.mu is another mutex (the
// call's receiver is src, not dst).
func (c *LRU) CopyOldest(src *LRU) {
	c.mu.Lock()
	defer c.mu.Unlock()
	src.evict()
}

// Tricky: the same with a function given the other buffer: flushBuffer locks its argument, which is not the buffer
// whose lock is held.
func Spill(dst, overflow *Buffer) {
	dst.mu.Lock()
	defer dst.mu.Unlock()
	if len(dst.data) > 4096 {
		flushBuffer(overflow)
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
