// Positive cases for LH010 lock-or-waitgroup-misuse.
package lh010

import (
	"errors"
	"sync"
)

var errNotFound = errors.New("not found")

type Cache struct {
	mu sync.Mutex
	rw sync.RWMutex
	m  map[string]string
	wg sync.WaitGroup
}

// The error path returns with the mutex held.
func (c *Cache) Load(key string) (string, error) {
	c.mu.Lock()
	v, ok := c.m[key]
	if !ok {
		return "", errNotFound // want "return leaves c.mu locked \\(c.mu.Lock\\(\\) at line 20"
	}
	c.mu.Unlock()
	return v, nil
}

// RLock: the early return skips RUnlock.
func (c *Cache) Has(key string) bool {
	c.rw.RLock()
	if c.m == nil {
		return false // want "return leaves c.rw locked .*no RUnlock"
	}
	_, ok := c.m[key]
	c.rw.RUnlock()
	return ok
}

// A return inside a switch case.
func (c *Cache) Kind(key string) int {
	c.mu.Lock()
	switch c.m[key] {
	case "":
		return 0 // want "return leaves c.mu locked"
	case "x":
		c.mu.Unlock()
		return 1
	}
	c.mu.Unlock()
	return 2
}

// A return inside a loop after a local mutex is locked.
func Sum(values []int) int {
	var mu sync.Mutex
	total := 0
	mu.Lock()
	for _, v := range values {
		if v < 0 {
			return -1 // want "return leaves mu locked"
		}
		total += v
	}
	mu.Unlock()
	return total
}

// wg.Add inside the goroutine it counts (after a check, so go vet's first-statement check misses it).
func Run(jobs []func()) {
	var wg sync.WaitGroup
	for _, job := range jobs {
		go func() {
			if job == nil {
				return
			}
			wg.Add(1) // want "wg.Add inside the goroutine it counts"
			defer wg.Done()
			job()
		}()
	}
	wg.Wait()
}

// The same with a field and a deferred closure calling Done.
func (c *Cache) Refresh(keys []string) {
	for _, k := range keys {
		go func() {
			key := k + "/"
			c.wg.Add(1) // want "c.wg.Add inside the goroutine"
			defer func() { c.wg.Done() }()
			_ = key
		}()
	}
	c.wg.Wait()
}
