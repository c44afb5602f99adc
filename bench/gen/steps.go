package main

// Step kinds: each is a real Go function (or a few) that the runtime prints as one or more frames, and that
// continues the goroutine's chain by calling c.sh.chain[i](c, i+1). The chain ends in a blocker (blockers.go).
//
// Every step is written so that its frames show a different construct a dump reader must handle: plain and
// mutually recursive functions, pointer and value receivers, generic functions and methods ([...]), closures
// (.func1, .func1.1), range-over-func bodies (-range1), stdlib frames that call back into user code (fmt, encoding/json,
// sort, io, sync.Once, net/http), deferred calls and a deferred call running during a panic (panic(...) frame).

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"net/http"
	"sort"
	"sync"
)

// stepFunc continues the chain at index i.
type stepFunc func(c *ctx, i int)

// stepKind describes one kind of step: its name (unique per printed function set) and roughly how many frames the
// runtime prints for it, used to aim each shape at a target depth.
type stepKind struct {
	name   string
	frames int
	fn     stepFunc
}

// Each step indexes the chain itself (c.sh.chain[i](c, i+1)) rather than through a helper: an inlined helper would
// still be printed as an extra inlined frame.

var stepKinds = []stepKind{
	{"descend", 1, descend},
	{"ping-pong", 4, func(c *ctx, i int) { ping(c, i, 2) }},
	{"worker-method", 2, func(c *ctx, i int) { c.w.step(c, i, c.id, c.label) }},
	{"value-method", 2, func(c *ctx, i int) { pipeline{stage: i, name: c.label, weight: 0.5}.run(c, i) }},
	{"generic-int", 1, walk[int]},
	{"generic-method", 2, func(c *ctx, i int) { (&Box[string]{v: c.label}).Visit(c, i, c.label) }},
	{"generic-pair", 2, func(c *ctx, i int) { mapPair[uint64, string](c, i, c.id, c.label) }},
	{"closure", 3, closureStep},
	{"nested-closure", 5, nestedClosureStep},
	{"fmt-stringer", 6, fmtStep},
	{"json-marshaler", 7, jsonStep},
	{"sort-less", 5, sortStep},
	{"io-copy", 5, ioStep},
	{"once", 4, onceStep},
	{"range-func", 3, rangeStep},
	{"iface", 2, ifaceStep},
	{"http-handler", 3, httpStep},
	{"defer", 2, deferStep},
	{"panic-defer", 3, panicStep},
}

//go:noinline
func descend(c *ctx, i int) {
	c.sh.chain[i](c, i+1)
}

//go:noinline
func ping(c *ctx, i int, n int) {
	if n == 0 {
		c.sh.chain[i](c, i+1)
		return
	}
	pong(c, i, n-1, byte(n))
}

//go:noinline
func pong(c *ctx, i int, n int, b byte) {
	ping(c, i, n-1)
}

// Worker is reached through a pointer receiver: main.(*Worker).step.
type Worker struct {
	name  string
	shard int
	busy  bool
}

//go:noinline
func (w *Worker) step(c *ctx, i int, id uint64, label string) {
	w.busy = true
	c.sh.chain[i](c, i+1)
}

// pipeline is reached through a value receiver: main.pipeline.run, with the struct spread over the arguments.
type pipeline struct {
	stage  int
	name   string
	weight float64
}

//go:noinline
func (p pipeline) run(c *ctx, i int) {
	c.sh.chain[i](c, i+1)
}

//go:noinline
func walk[T any](c *ctx, i int) {
	var zero T
	_ = zero
	c.sh.chain[i](c, i+1)
}

// Box is a generic type: main.(*Box[...]).Visit.
type Box[T any] struct{ v T }

//go:noinline
func (b *Box[T]) Visit(c *ctx, i int, v T) {
	b.v = v
	c.sh.chain[i](c, i+1)
}

//go:noinline
func mapPair[K comparable, V any](c *ctx, i int, k K, v V) {
	c.sh.chain[i](c, i+1)
}

//go:noinline
func closureStep(c *ctx, i int) {
	calls := 0
	f := func(n int) {
		calls++
		c.sh.chain[n](c, n+1)
	}
	invoke1(f, i)
}

//go:noinline
func invoke1(f func(int), n int) { f(n) }

//go:noinline
func invoke0(f func()) { f() }

//go:noinline
func nestedClosureStep(c *ctx, i int) {
	outer := func() {
		depth := i
		inner := func() {
			c.sh.chain[depth](c, depth+1)
		}
		invoke0(inner)
	}
	invoke0(outer)
}

// stringer continues the chain from inside fmt: main.stringer.String <- fmt.(*pp).handleMethods <- ...
type stringer struct {
	c *ctx
	i int
}

func (s stringer) String() string {
	s.c.sh.chain[s.i](s.c, s.i+1)
	return "unreachable"
}

//go:noinline
func fmtStep(c *ctx, i int) {
	_ = fmt.Sprint(stringer{c, i})
}

// marshaler continues the chain from inside encoding/json.
type marshaler struct {
	c *ctx
	i int
}

func (m *marshaler) MarshalJSON() ([]byte, error) {
	m.c.sh.chain[m.i](m.c, m.i+1)
	return []byte("null"), nil
}

type envelope struct {
	Kind    string      `json:"kind"`
	Payload *marshaler  `json:"payload"`
	Extra   interface{} `json:"extra,omitempty"`
}

//go:noinline
func jsonStep(c *ctx, i int) {
	_, _ = json.Marshal(envelope{Kind: c.label, Payload: &marshaler{c, i}})
}

//go:noinline
func sortStep(c *ctx, i int) {
	items := []int{2, 1}
	sort.Slice(items, func(a, b int) bool {
		c.sh.chain[i](c, i+1)
		return items[a] < items[b]
	})
}

// chainReader continues the chain from inside io.Copy.
type chainReader struct {
	c *ctx
	i int
}

func (r *chainReader) Read(p []byte) (int, error) {
	r.c.sh.chain[r.i](r.c, r.i+1)
	return 0, io.EOF
}

//go:noinline
func ioStep(c *ctx, i int) {
	_, _ = io.Copy(io.Discard, &chainReader{c, i})
}

//go:noinline
func onceStep(c *ctx, i int) {
	var once sync.Once
	once.Do(func() { c.sh.chain[i](c, i+1) })
}

func countTo(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for k := 0; k < n; k++ {
			if !yield(k) {
				return
			}
		}
	}
}

//go:noinline
func rangeStep(c *ctx, i int) {
	for k := range countTo(3) {
		if k == 1 {
			c.sh.chain[i](c, i+1)
		}
	}
}

// Handler is called through an interface with a context argument.
type Handler interface {
	Handle(ctx context.Context, c *ctx, i int) error
}

type authHandler struct{ realm string }

//go:noinline
func (h *authHandler) Handle(ctx context.Context, c *ctx, i int) error {
	c.sh.chain[i](c, i+1)
	return ctx.Err()
}

var theHandler Handler = &authHandler{realm: "bench"}

//go:noinline
func ifaceStep(c *ctx, i int) {
	_ = theHandler.Handle(context.Background(), c, i)
}

//go:noinline
func httpStep(c *ctx, i int) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.sh.chain[i](c, i+1)
	})
	h.ServeHTTP(nil, nil)
}

//go:noinline
func deferStep(c *ctx, i int) {
	defer func() {
		c.sh.chain[i](c, i+1)
	}()
	c.w.shard++
}

//go:noinline
func panicStep(c *ctx, i int) {
	defer func() {
		// Runs while the panic is in flight: the dump shows panic(...) below this frame.
		c.sh.chain[i](c, i+1)
		_ = recover()
	}()
	panic(fmt.Sprintf("shape %d", c.sh.id))
}
