// Positive cases for LH019 goroutine-until-cancel: a function starts a goroutine that returns only when the
// function's ctx parameter is done, and a caller hands it context.Background() or context.TODO(), which never are.
package lh019

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"
)

// A read-through cache with a refresh goroutine: refresh loops on a ticker and its only return is the ctx.Done
// case.
type Cache struct {
	mu    sync.RWMutex
	items map[string][]byte
	load  func(context.Context) (map[string][]byte, error)
}

func NewCache(ctx context.Context, every time.Duration, load func(context.Context) (map[string][]byte, error)) *Cache {
	c := &Cache{items: map[string][]byte{}, load: load}
	go c.refresh(ctx, every)
	return c
}

func (c *Cache) refresh(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done(): // want "Cache.refresh waits only for its context to be done, and NewCache \\(which starts it\\) is called with a context that never ends"
			return
		case <-t.C:
			items, err := c.load(ctx)
			if err != nil {
				continue
			}
			c.mu.Lock()
			c.items = items
			c.mu.Unlock()
		}
	}
}

func (c *Cache) Get(key string) []byte {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.items[key]
}

// A cache built per request with a background context: one refresh goroutine per request, forever.
func ProfileHandler(load func(context.Context) (map[string][]byte, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		cache := NewCache(context.Background(), time.Minute, load) // want "NewCache starts a goroutine \\(Cache.refresh\\) that ends only when its context is done, and context.Background\\(\\) never is"
		_, _ = w.Write(cache.Get(r.URL.Path))
	}
}

// An OAuth-style token source whose refresher (a function literal) renews the token before it expires, until ctx is
// done.
type Token struct {
	Value  string
	Expiry time.Time
}

type TokenSource struct {
	mu  sync.Mutex
	tok Token
}

func NewRefreshingTokenSource(ctx context.Context, fetch func(context.Context) (Token, error)) *TokenSource {
	ts := &TokenSource{}
	go func() {
		timer := time.NewTimer(0)
		defer timer.Stop()
		for {
			select {
			case <-ctx.Done(): // want "NewRefreshingTokenSource.func\\w* waits only for its context to be done, and NewRefreshingTokenSource \\(which starts it\\) is called with a context that never ends"
				return
			case <-timer.C:
				tok, err := fetch(ctx)
				if err != nil {
					timer.Reset(5 * time.Second)
					continue
				}
				ts.mu.Lock()
				ts.tok = tok
				ts.mu.Unlock()
				timer.Reset(time.Until(tok.Expiry) / 2)
			}
		}
	}()
	return ts
}

func (ts *TokenSource) Token() Token {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.tok
}

// One token source per tenant on every sync pass, with a TODO context: the refreshers pile up.
func SyncTenants(tenants []string, fetch func(string) func(context.Context) (Token, error), push func(string, Token)) {
	for _, tenant := range tenants {
		ts := NewRefreshingTokenSource(context.TODO(), fetch(tenant)) // want "NewRefreshingTokenSource starts a goroutine \\(NewRefreshingTokenSource.func\\w*\\) that ends only when its context is done, and context.TODO\\(\\) never is"
		push(tenant, ts.Token())
	}
}

// A connection that is closed when its context is done: the watcher blocks on a plain receive of ctx.Done().
type Conn struct {
	nc net.Conn
}

func closeOnDone(ctx context.Context, nc net.Conn) {
	go func() {
		<-ctx.Done() // want "closeOnDone.func\\w* waits only for its context to be done, and closeOnDone \\(which starts it\\) is called with a context that never ends"
		_ = nc.Close()
	}()
}

func Dial(addr string) (*Conn, error) {
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	closeOnDone(context.Background(), nc) // want "closeOnDone starts a goroutine \\(closeOnDone.func\\w*\\) that ends only when its context is done, and context.Background\\(\\) never is"
	return &Conn{nc: nc}, nil
}

// A health poller per endpoint, started in a loop with a background context: each poller (and its channel) lives
// forever, and every call of WatchAll adds more.
type Status struct {
	Endpoint string
	Up       bool
}

func StartPoller(ctx context.Context, endpoint string, every time.Duration, probe func(string) bool) <-chan Status {
	out := make(chan Status, 1)
	go poll(ctx, endpoint, every, probe, out)
	return out
}

func poll(ctx context.Context, endpoint string, every time.Duration, probe func(string) bool, out chan<- Status) {
	for {
		select {
		case <-ctx.Done(): // want "poll waits only for its context to be done, and StartPoller \\(which starts it\\) is called with a context that never ends"
			return
		case <-time.After(every):
			select {
			case out <- Status{Endpoint: endpoint, Up: probe(endpoint)}:
			default:
			}
		}
	}
}

func WatchAll(endpoints []string, probe func(string) bool) []<-chan Status {
	var chans []<-chan Status
	for _, ep := range endpoints {
		chans = append(chans, StartPoller(context.Background(), ep, 10*time.Second, probe)) // want "StartPoller starts a goroutine \\(poll\\) that ends only when its context is done, and context.Background\\(\\) never is"
	}
	return chans
}

// A pub/sub client method: Subscribe's forwarder stops only when ctx is done; the handler subscribes per request
// with a TODO context.
type Broker struct {
	mu   sync.Mutex
	subs map[string][]chan string
}

func (b *Broker) Subscribe(ctx context.Context, topic string, fn func(string)) {
	ch := make(chan string, 16)
	b.mu.Lock()
	b.subs[topic] = append(b.subs[topic], ch)
	b.mu.Unlock()
	go func() {
		for {
			select {
			case <-ctx.Done(): // want "Broker.Subscribe.func\\w* waits only for its context to be done, and Broker.Subscribe \\(which starts it\\) is called with a context that never ends"
				return
			case m := <-ch:
				fn(m)
			}
		}
	}()
}

func EventsHandler(b *Broker) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b.Subscribe(context.TODO(), r.URL.Query().Get("topic"), func(string) {}) // want "Broker.Subscribe starts a goroutine \\(Broker.Subscribe.func\\w*\\) that ends only when its context is done, and context.TODO\\(\\) never is"
		w.WriteHeader(http.StatusAccepted)
	}
}

// A metrics batcher: on ctx.Done() it breaks out of its loop, flushes once more and returns; that labeled break is
// still the only way out. Each import job makes its own batcher with a background context.
type Batcher struct {
	mu      sync.Mutex
	pending []float64
	send    func([]float64)
}

func NewBatcher(ctx context.Context, every time.Duration, send func([]float64)) *Batcher {
	b := &Batcher{send: send}
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
	loop:
		for {
			select {
			case <-ctx.Done(): // want "NewBatcher.func\\w* waits only for its context to be done, and NewBatcher \\(which starts it\\) is called with a context that never ends"
				break loop
			case <-t.C:
				b.flush()
			}
		}
		b.flush()
	}()
	return b
}

func (b *Batcher) Add(v float64) {
	b.mu.Lock()
	b.pending = append(b.pending, v)
	b.mu.Unlock()
}

func (b *Batcher) flush() {
	b.mu.Lock()
	p := b.pending
	b.pending = nil
	b.mu.Unlock()
	if len(p) > 0 {
		b.send(p)
	}
}

func ImportJob(rows [][]float64, send func([]float64)) {
	b := NewBatcher(context.Background(), time.Second, send) // want "NewBatcher starts a goroutine \\(NewBatcher.func\\w*\\) that ends only when its context is done, and context.Background\\(\\) never is"
	for _, r := range rows {
		for _, v := range r {
			b.Add(v)
		}
	}
}

// A constructor over a constructor: NewClient passes its ctx to NewCache, which starts the refresh goroutine; a
// client made per call with a background context leaks it all the same.
type Client struct{ cache *Cache }

func NewClient(ctx context.Context, load func(context.Context) (map[string][]byte, error)) *Client {
	return &Client{cache: NewCache(ctx, time.Minute, load)}
}

func Lookup(key string, load func(context.Context) (map[string][]byte, error)) []byte {
	c := NewClient(context.Background(), load) // want "NewClient starts a goroutine \\(Cache.refresh\\) that ends only when its context is done, and context.Background\\(\\) never is"
	return c.cache.Get(key)
}
