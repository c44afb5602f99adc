// Negative cases for LH019 goroutine-until-cancel: the goroutine is given a context that ends, the value holding
// the cancel is kept and closed, or the goroutine has another way out.
package lh019

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// Fine: the cache is built per request, but with the request's context, which net/http cancels when the handler
// returns; the refresh goroutine ends with it.
func ReportHandler(load func(context.Context) (map[string][]byte, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		cache := NewCache(r.Context(), time.Minute, load)
		_, _ = w.Write(cache.Get(r.URL.Path))
	}
}

// Fine: the token source lives as long as the batch; its context is cancelled (deferred) when the batch is done.
func RunBatch(parent context.Context, fetch func(context.Context) (Token, error), jobs []func(Token)) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	ts := NewRefreshingTokenSource(ctx, fetch)
	for _, job := range jobs {
		job(ts.Token())
	}
}

// Fine: the pollers get a context with a deadline (derived from Background, but WithTimeout ends it), so each poll
// goroutine returns after at most the timeout.
func ProbeOnce(endpoints []string, probe func(string) bool) []Status {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out []Status
	for _, ep := range endpoints {
		select {
		case s := <-StartPoller(ctx, ep, time.Second, probe):
			out = append(out, s)
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// Fine: the rows are kept and closed; Close cancels the context awaitDone waits on.
func CountActive(ctx context.Context, db *DB) (int, error) {
	rows, err := db.Query(ctx, "SELECT count(*) FROM sessions WHERE active")
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	return 1, nil
}

// Fine: the lease is kept and released when the critical section is over, which cancels the keepalive's context.
func WithLock(ctx context.Context, l *Locker, key string, fn func() error) error {
	lease := l.Acquire(ctx, key, 10*time.Second)
	defer lease.Release()
	return fn()
}

// Fine: the session watcher waits only on ctx.Done(), but WatchSession is only ever called with a context that ends
// (the caller's own ctx, here a request's); nothing in the package hands it Background or TODO.
type Session struct {
	mu      sync.Mutex
	expired bool
}

func WatchSession(ctx context.Context, s *Session) {
	go func() {
		<-ctx.Done()
		s.mu.Lock()
		s.expired = true
		s.mu.Unlock()
	}()
}

func SessionHandler(w http.ResponseWriter, r *http.Request) {
	s := &Session{}
	WatchSession(r.Context(), s)
	w.WriteHeader(http.StatusNoContent)
}

// Fine: the cache is made once, at startup, with the application context that main cancels on shutdown (the fix the
// rule suggests).
type App struct {
	cache *Cache
}

func NewApp(appCtx context.Context, load func(context.Context) (map[string][]byte, error)) *App {
	return &App{cache: NewCache(appCtx, time.Minute, load)}
}
