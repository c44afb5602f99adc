// Positive cases for LH017 lock-order: two mutexes taken in opposite orders on two paths (AB-BA).
package lh017

import (
	"errors"
	"net"
	"sync"
	"time"
)

// A bank: Transfer locks the account then the ledger, Audit the ledger then the account.
type Account struct {
	mu      sync.Mutex
	balance int64
}

type Ledger struct {
	mu      sync.Mutex
	entries []int64
}

var errInsufficient = errors.New("insufficient funds")

func Transfer(a *Account, l *Ledger, amount int64) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.balance < amount {
		return errInsufficient
	}
	a.balance -= amount
	l.mu.Lock() // want "Transfer locks l.mu while holding a.mu, but Audit \\(.*leaks.go:44\\) locks them the other way round"
	l.entries = append(l.entries, -amount)
	l.mu.Unlock()
	return nil
}

func Audit(l *Ledger, a *Account) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	var sum int64
	for _, e := range l.entries {
		sum += e
	}
	a.mu.Lock() // want "Audit locks a.mu while holding l.mu, but Transfer \\(.*leaks.go:31\\) locks them the other way round"
	defer a.mu.Unlock()
	return sum+a.balance >= 0
}

// An HTTP-like server: closeIdle holds the server lock and locks each connection (in closeIfIdle); a connection's
// Close holds its own lock and calls back into the server (untrack), which takes the server lock.
type Server struct {
	mu    sync.Mutex
	conns map[*conn]bool
}

type conn struct {
	mu     sync.Mutex
	srv    *Server
	nc     net.Conn
	idle   bool
	closed bool
}

func (s *Server) closeIdle() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		s.closeIfIdle(c) // want "Server.closeIdle locks conn.mu while holding s.mu, but conn.Close .* locks them the other way round"
	}
}

// closeIfIdle expects s.mu held.
func (s *Server) closeIfIdle(c *conn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idle {
		_ = c.nc.Close()
		delete(s.conns, c)
	}
}

func (s *Server) untrack(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

func (c *conn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	c.srv.untrack(c) // want "conn.Close locks Server.mu while holding c.mu, but Server.closeIdle .* locks them the other way round"
	return c.nc.Close()
}

// Package-level locks: Login takes users then sessions, Logout sessions then users.
var (
	usersMu    sync.Mutex
	sessionsMu sync.Mutex
	users      = map[string]int{}
	sessions   = map[string]string{}
)

func Login(user, token string) {
	usersMu.Lock()
	defer usersMu.Unlock()
	users[user]++
	sessionsMu.Lock() // want "Login locks sessionsMu while holding usersMu, but Logout .* locks them the other way round"
	sessions[token] = user
	sessionsMu.Unlock()
}

func Logout(token string) {
	sessionsMu.Lock()
	defer sessionsMu.Unlock()
	user := sessions[token]
	delete(sessions, token)
	usersMu.Lock() // want "Logout locks usersMu while holding sessionsMu, but Login .* locks them the other way round"
	users[user]--
	usersMu.Unlock()
}

// A metrics cache with two RWMutexes: Snapshot read-locks stats then data; Set locks data and, through bump, stats.
type MetricsCache struct {
	dataMu  sync.RWMutex
	statsMu sync.RWMutex
	data    map[string]float64
	writes  int
}

func (m *MetricsCache) Snapshot() (map[string]float64, int) {
	m.statsMu.RLock()
	defer m.statsMu.RUnlock()
	m.dataMu.RLock() // want "MetricsCache.Snapshot locks m.dataMu while holding m.statsMu, but MetricsCache.Set .* locks them the other way round"
	defer m.dataMu.RUnlock()
	out := make(map[string]float64, len(m.data))
	for k, v := range m.data {
		out[k] = v
	}
	return out, m.writes
}

func (m *MetricsCache) bump() {
	m.statsMu.Lock()
	m.writes++
	m.statsMu.Unlock()
}

func (m *MetricsCache) Set(key string, v float64) {
	m.dataMu.Lock()
	defer m.dataMu.Unlock()
	m.data[key] = v
	m.bump() // want "MetricsCache.Set locks MetricsCache.statsMu while holding m.dataMu, but MetricsCache.Snapshot .* locks them the other way round"
}

// A connection pool with an embedded mutex and a dialer with its own: Get holds the pool and, two calls down, locks
// the dialer; the dialer's backoff reset holds its lock and drains the pool.
type Pool struct {
	sync.Mutex
	d    *Dialer
	idle []net.Conn
}

type Dialer struct {
	mu      sync.Mutex
	addr    string
	backoff time.Duration
	pool    *Pool
}

func (p *Pool) Get() (net.Conn, error) {
	p.Lock()
	defer p.Unlock()
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		return c, nil
	}
	return p.dialLocked() // want "Pool.Get locks Dialer.mu while holding p.Mutex, but Dialer.Reset .* locks them the other way round"
}

func (p *Pool) dialLocked() (net.Conn, error) {
	return p.d.dial()
}

func (d *Dialer) dial() (net.Conn, error) {
	d.mu.Lock()
	wait := d.backoff
	d.mu.Unlock()
	time.Sleep(wait)
	return net.Dial("tcp", d.addr)
}

func (d *Dialer) Reset() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.backoff = 0
	d.pool.Lock() // want "Dialer.Reset locks Pool.Mutex while holding d.mu, but Pool.Get .* locks them the other way round"
	for _, c := range d.pool.idle {
		_ = c.Close()
	}
	d.pool.idle = nil
	d.pool.Unlock()
}
