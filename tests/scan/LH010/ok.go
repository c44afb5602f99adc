// Negative cases for LH010: every path unlocks, or the lock is handed on deliberately.
package lh010

import "sync"

// defer right after the Lock.
func (c *Cache) Get(key string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		return ""
	}
	return c.m[key]
}

// Tricky: the early return unlocks first.
func (c *Cache) Put(key, v string) bool {
	c.mu.Lock()
	if c.m == nil {
		c.mu.Unlock()
		return false
	}
	c.m[key] = v
	c.mu.Unlock()
	return true
}

// Tricky: Lock here, Unlock in another method (handed off).
func (c *Cache) lock()   { c.mu.Lock() }
func (c *Cache) unlock() { c.mu.Unlock() }

// Tricky: returns with the lock held on purpose (the caller unlocks); no Unlock follows the return.
func (c *Cache) lockIfPresent(key string) bool {
	c.mu.Lock()
	if _, ok := c.m[key]; !ok {
		c.mu.Unlock()
		return false
	}
	return true
}

// Tricky: unlock and relock around slow work in a loop.
func (c *Cache) Drain(work func(string)) {
	c.mu.Lock()
	for k := range c.m {
		c.mu.Unlock()
		work(k)
		c.mu.Lock()
	}
	c.mu.Unlock()
}

// Conditional locking: not followed.
func (c *Cache) Maybe(locked bool) int {
	if locked {
		c.mu.Lock()
	}
	n := len(c.m)
	if locked {
		c.mu.Unlock()
	}
	return n
}

// A deferred closure unlocks.
func (c *Cache) Deferred(key string) string {
	c.rw.RLock()
	defer func() {
		c.rw.RUnlock()
	}()
	if c.m == nil {
		return ""
	}
	return c.m[key]
}

// Unlock through a helper named for it.
func (c *Cache) ViaHelper(key string) string {
	c.mu.Lock()
	if c.m == nil {
		c.unlockAndLog()
		return ""
	}
	v := c.m[key]
	c.mu.Unlock()
	return v
}

func (c *Cache) unlockAndLog() { c.mu.Unlock() }

// wg.Add before the go statement.
func RunOK(jobs []func()) {
	var wg sync.WaitGroup
	for _, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			job()
		}()
	}
	wg.Wait()
}

// Tricky: a counted goroutine adds for the goroutines it starts.
func Nested(jobs []func()) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, job := range jobs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				job()
			}()
		}
	}()
	wg.Wait()
}

// Tricky: panics with the lock held are not returns.
func (c *Cache) MustGet(key string) string {
	c.mu.Lock()
	v, ok := c.m[key]
	if !ok {
		panic("missing " + key)
	}
	c.mu.Unlock()
	return v
}

// Tricky: a retry loop that returns with the lock held on success (the caller unlocks) and unlocks only to retry.
func (c *Cache) lockWhenReady(ready func() bool) {
	for {
		c.mu.Lock()
		if ready() {
			return
		}
		c.mu.Unlock()
	}
}

// Tricky (etcd, nats-server): the lock is held for the whole function by a defer, released around slow calls and
// taken again; the deferred Unlock releases it on every return.
func (c *Cache) refresh(load func() map[string]string, save func(map[string]string)) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.mu.Unlock()
	m := load()
	c.mu.Lock()
	if m == nil {
		return errNotFound
	}
	c.m = m
	c.mu.Unlock()
	save(m)
	c.mu.Lock()
	return nil
}

// Tricky: called with the lock held (its first operation on it is an Unlock), it lets go around slow calls and takes
// the lock back for its caller before every return.
func (c *Cache) reloadLocked(load func() map[string]string, save func(map[string]string)) error {
	c.mu.Unlock()
	m := load()
	c.mu.Lock()
	if m == nil {
		return errNotFound
	}
	c.m = m
	c.mu.Unlock()
	save(m)
	c.mu.Lock()
	return nil
}

// Tricky: the deferred unlock is a function literal.
func (c *Cache) refreshLiteral(load func() map[string]string, save func(map[string]string)) error {
	c.mu.Lock()
	defer func() { c.mu.Unlock() }()
	c.mu.Unlock()
	m := load()
	c.mu.Lock()
	if m == nil {
		return errNotFound
	}
	c.mu.Unlock()
	save(m)
	c.mu.Lock()
	return nil
}
