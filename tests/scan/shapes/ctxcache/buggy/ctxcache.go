// Package ctxcache is a read-through cache of a small table (feature flags, tenants, routing rules) that a
// background goroutine reloads at a fixed interval.
//
// NewCache ties the refresh goroutine's life to ctx: the goroutine ends only when ctx is done. That is a fine API
// for a value made once at startup with a context the process cancels on shutdown; the bug of this shape is in the
// caller (see ./app).
package ctxcache

import (
	"context"
	"sync"
	"time"
)

// Loader fetches the whole table.
type Loader func(ctx context.Context) (map[string]string, error)

// Cache holds the last table loaded. Its methods are safe for concurrent use.
type Cache struct {
	load Loader

	mu   sync.RWMutex
	data map[string]string
	err  error
}

// NewCache loads the table once and starts a goroutine that reloads it every interval until ctx is done.
func NewCache(ctx context.Context, load Loader, every time.Duration) *Cache {
	c := &Cache{load: load}
	c.refresh(ctx)
	go c.refreshLoop(ctx, every)
	return c
}

func (c *Cache) refreshLoop(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.refresh(ctx)
		}
	}
}

func (c *Cache) refresh(ctx context.Context) {
	data, err := c.load(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.err = err // keep serving the last good table
		return
	}
	c.data, c.err = data, nil
}

// Get returns the value of key in the last table loaded.
func (c *Cache) Get(key string) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.data[key]
	return v, ok
}

// Err returns the error of the last reload, nil when it succeeded.
func (c *Cache) Err() error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.err
}
