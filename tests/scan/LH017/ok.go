// Negative cases for LH017: the locks are taken in one order everywhere, not held together, or are two instances of
// one lock ordered by the code.
package lh017

import (
	"sync"
)

// One order everywhere: the inventory before the order book, directly and through a call.
type Inventory struct {
	mu    sync.Mutex
	stock map[string]int
}

type OrderBook struct {
	mu     sync.Mutex
	orders []string
}

func Reserve(inv *Inventory, ob *OrderBook, sku string) bool {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	if inv.stock[sku] == 0 {
		return false
	}
	inv.stock[sku]--
	ob.mu.Lock()
	ob.orders = append(ob.orders, sku)
	ob.mu.Unlock()
	return true
}

func (ob *OrderBook) record(sku string) {
	ob.mu.Lock()
	ob.orders = append(ob.orders, sku)
	ob.mu.Unlock()
}

func (inv *Inventory) Restock(ob *OrderBook, sku string, n int) {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	inv.stock[sku] += n
	ob.record("restock:" + sku)
}

// Tricky: the order book is read first, but its lock is released before the inventory's is taken: never both held.
func Reconcile(ob *OrderBook, inv *Inventory) int {
	ob.mu.Lock()
	n := len(ob.orders)
	ob.mu.Unlock()
	inv.mu.Lock()
	defer inv.mu.Unlock()
	return n - len(inv.stock)
}

// Tricky: the same lock of two instances (same key), taken in an order fixed by the code (lower id first), so two
// concurrent transfers in opposite directions cannot deadlock.
type Wallet struct {
	mu      sync.Mutex
	id      int
	balance int64
}

func Move(from, to *Wallet, amount int64) {
	first, second := from, to
	if to.id < from.id {
		first, second = to, from
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock()
	defer second.mu.Unlock()
	from.balance -= amount
	to.balance += amount
}

// Tricky: parent before child down a tree, always: two nodes of one type (same key).
type Dir struct {
	mu       sync.Mutex
	children map[string]*Dir
	size     int64
}

func (d *Dir) Add(name string, size int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.size += size
	if child := d.children[name]; child != nil {
		child.mu.Lock()
		child.size += size
		child.mu.Unlock()
	}
}

// Tricky: while holding the order book, a goroutine is started that locks the inventory: the goroutine waits for
// nothing this one holds (it does not inherit the lock).
func (ob *OrderBook) Replay(inv *Inventory) {
	ob.mu.Lock()
	defer ob.mu.Unlock()
	for _, sku := range ob.orders {
		go inv.release(sku)
	}
}

func (inv *Inventory) release(sku string) {
	inv.mu.Lock()
	inv.stock[sku]++
	inv.mu.Unlock()
}

// Tricky: the inventory call is deferred before the order book is locked, so it runs after the book's deferred
// Unlock (last-in first-out): the two locks are never held together.
func (ob *OrderBook) Cancel(inv *Inventory, sku string) {
	defer inv.release(sku)
	ob.mu.Lock()
	defer ob.mu.Unlock()
	for i, o := range ob.orders {
		if o == sku {
			ob.orders = append(ob.orders[:i], ob.orders[i+1:]...)
			break
		}
	}
}

// Tricky: a read lock and a write lock of two RWMutexes, in the same order on both paths.
type Index struct {
	termsMu sync.RWMutex
	docsMu  sync.RWMutex
	terms   map[string][]int
	docs    map[int]string
}

func (x *Index) Lookup(term string) []string {
	x.termsMu.RLock()
	defer x.termsMu.RUnlock()
	x.docsMu.RLock()
	defer x.docsMu.RUnlock()
	var out []string
	for _, id := range x.terms[term] {
		out = append(out, x.docs[id])
	}
	return out
}

func (x *Index) Add(id int, doc string, terms []string) {
	x.termsMu.Lock()
	defer x.termsMu.Unlock()
	for _, t := range terms {
		x.terms[t] = append(x.terms[t], id)
	}
	x.docsMu.Lock()
	x.docs[id] = doc
	x.docsMu.Unlock()
}
