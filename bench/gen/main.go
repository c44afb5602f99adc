// Command gen starts a large number of real goroutines, parks them in many distinct stack shapes, and writes the
// process's own goroutine dump in the debug=2 traceback format, for benchmarking goroutine-dump readers.
//
//	go run . -o dump.txt -n 150000 -shapes 64
//
// Every goroutine is started by one of several creator functions (so the dump has varied "created by ... in
// goroutine N" lines), walks a chain of steps (steps.go) that the runtime prints as frames with real arguments, and
// parks in a blocker (blockers.go). The chain of each shape is drawn from a seeded PRNG, so a given flag set always
// yields the same shapes; goroutine counts per shape follow a Zipf-like law, as in real leaks (a few huge buckets,
// a long tail).
//
// runtime/pprof's goroutine profile with debug=2 is runtime.Stack(buf, true) capped at 64 MB
// (writeGoroutineStacks in runtime/pprof/pprof.go). To get dumps of production size (100 MB and more) the default
// -via=stack calls runtime.Stack(buf, true) with a buffer that grows until the whole dump fits: the bytes are the same
// traceback text, without the cap. -via=pprof uses pprof.Lookup("goroutine").WriteTo(w, 2) and is truncated at 64 MB.
//
// After writing the dump the program prints one summary line (size, goroutines, distinct stacks, depths) and exits.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"time"
)

// ctx is what a goroutine carries down its chain.
type ctx struct {
	sh    *shape
	res   *resources
	w     *Worker
	id    uint64
	label string
}

// shape is one distinct stack: creator, steps, blocker.
type shape struct {
	id      int
	creator int
	steps   []int
	blocker int
	chain   []stepFunc // steps then the blocker
	count   int
	target  int // aimed-at depth in frames
}

func (s *shape) key() string {
	var b strings.Builder
	b.WriteString(creatorKinds[s.creator].name)
	for _, k := range s.steps {
		b.WriteString("|" + stepKinds[k].name)
	}
	b.WriteString("|" + blockerKinds[s.blocker].name)
	return b.String()
}

func newCtx(sh *shape, res *resources, k int) *ctx {
	return &ctx{
		sh:    sh,
		res:   res,
		w:     &Worker{name: "w", shard: k % 16},
		id:    uint64(sh.id)<<32 | uint64(k),
		label: fmt.Sprintf("shape-%02d", sh.id),
	}
}

// ---- creators: the functions that contain the go statements ----

type creatorKind struct {
	name   string
	frames int // entry frames printed for the goroutine
	fn     func(sh *shape, res *resources)
}

var creatorKinds = []creatorKind{
	{"spawnDirect", 1, spawnDirect},
	{"pool", 1, func(sh *shape, res *resources) { (&Pool{name: "pool"}).Start(sh, res) }},
	{"startTyped", 1, func(sh *shape, res *resources) { startTyped[float64](sh, res, 1.5) }},
	{"server", 1, func(sh *shape, res *resources) { (&Server{addr: "127.0.0.1"}).acceptLoop(sh, res) }},
	{"group", 2, spawnGroup},
	{"afterFunc", 1, spawnTimers},
}

//go:noinline
func runChain(c *ctx) {
	c.sh.chain[0](c, 1)
}

//go:noinline
func spawnDirect(sh *shape, res *resources) {
	for k := 0; k < sh.count; k++ {
		go runChain(newCtx(sh, res, k))
	}
}

type Pool struct {
	name    string
	started int
}

//go:noinline
func (p *Pool) Start(sh *shape, res *resources) {
	for k := 0; k < sh.count; k++ {
		p.started++
		go p.worker(newCtx(sh, res, k), k)
	}
}

//go:noinline
func (p *Pool) worker(c *ctx, slot int) {
	c.sh.chain[0](c, 1)
}

//go:noinline
func startTyped[T any](sh *shape, res *resources, v T) {
	for k := 0; k < sh.count; k++ {
		c := newCtx(sh, res, k)
		go func(v T) {
			c.sh.chain[0](c, 1)
		}(v)
	}
}

type Server struct {
	addr  string
	conns int
}

//go:noinline
func (s *Server) acceptLoop(sh *shape, res *resources) {
	for k := 0; k < sh.count; k++ {
		s.conns++
		go s.handleConn(newCtx(sh, res, k), "conn")
	}
}

//go:noinline
func (s *Server) handleConn(c *ctx, proto string) {
	c.sh.chain[0](c, 1)
}

// Group is an errgroup look-alike: the go statement is in (*Group).Go.
type Group struct {
	wg  sync.WaitGroup
	err error
}

func (g *Group) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.err = err
		}
	}()
}

//go:noinline
func spawnGroup(sh *shape, res *resources) {
	var g Group
	for k := 0; k < sh.count; k++ {
		c := newCtx(sh, res, k)
		g.Go(func() error {
			c.sh.chain[0](c, 1)
			return nil
		})
	}
}

//go:noinline
func spawnTimers(sh *shape, res *resources) {
	for k := 0; k < sh.count; k++ {
		c := newCtx(sh, res, k)
		time.AfterFunc(time.Millisecond, func() {
			c.sh.chain[0](c, 1)
		})
	}
}

// ---- shapes ----

func buildShapes(rng *rand.Rand, n, nShapes, minDepth, maxDepth int, skew, alpha float64) []*shape {
	seen := map[string]bool{}
	var shapes []*shape
	for len(shapes) < nShapes {
		id := len(shapes)
		sh := &shape{id: id, creator: id % len(creatorKinds)}
		if id < len(blockerKinds) {
			sh.blocker = id // every blocker at least once
		} else {
			sh.blocker = rng.IntN(len(blockerKinds))
		}
		base := creatorKinds[sh.creator].frames + blockerKinds[sh.blocker].frames
		lo := max(minDepth, base+1)
		// Depths are skewed towards the shallow end (u^skew), as in real dumps where most goroutines sit in a
		// handful of moderately deep stacks and a few are very deep.
		sh.target = lo + int(math.Pow(rng.Float64(), skew)*float64(max(0, maxDepth-lo))+0.5)
		depth := base
		for depth < sh.target {
			var fits []int
			for k, sk := range stepKinds {
				if depth+sk.frames <= sh.target {
					fits = append(fits, k)
				}
			}
			if len(fits) == 0 {
				break
			}
			k := fits[rng.IntN(len(fits))]
			sh.steps = append(sh.steps, k)
			depth += stepKinds[k].frames
		}
		if len(sh.steps) == 0 || seen[sh.key()] {
			continue
		}
		seen[sh.key()] = true
		for _, k := range sh.steps {
			sh.chain = append(sh.chain, stepKinds[k].fn)
		}
		sh.chain = append(sh.chain, blockerKinds[sh.blocker].fn)
		shapes = append(shapes, sh)
	}
	// Zipf-like counts over a random ranking of the shapes; every shape gets at least one goroutine.
	ranks := rng.Perm(nShapes)
	weights := make([]float64, nShapes)
	total := 0.0
	for i := range shapes {
		weights[i] = 1 / math.Pow(float64(ranks[i]+1), alpha)
		total += weights[i]
	}
	assigned := 0
	for i, sh := range shapes {
		sh.count = max(1, int(float64(n)*weights[i]/total))
		assigned += sh.count
	}
	// Put the rounding remainder on the biggest bucket.
	biggest := 0
	for i, sh := range shapes {
		if sh.count > shapes[biggest].count {
			biggest = i
		}
	}
	shapes[biggest].count += n - assigned
	return shapes
}

// ---- resources ----

func newResources(nConns int) (*resources, error) {
	res := &resources{
		recvCh:  make(chan int),
		sendCh:  make(chan int),
		otherCh: make(chan string),
		sem:     make(chan struct{}, 8),
		cond:    sync.NewCond(&sync.Mutex{}),
	}
	for i := 0; i < cap(res.sem); i++ {
		res.sem <- struct{}{}
	}
	res.mu.Lock()
	res.rw.Lock()
	res.wg.Add(1)
	ctx, cancel := context.WithCancel(context.Background())
	_ = cancel // never called: ctx.Done() never closes
	res.ctx = ctx
	var err error
	if res.pipeR, res.pipeW, err = os.Pipe(); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	accepted := make(chan net.Conn, nConns)
	go func() {
		for i := 0; i < nConns; i++ {
			c, err := ln.Accept()
			if err != nil {
				close(accepted)
				return
			}
			accepted <- c
		}
	}()
	for i := 0; i < nConns; i++ {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			return nil, err
		}
		res.conns = append(res.conns, c)
	}
	for i := 0; i < nConns; i++ {
		c, ok := <-accepted
		if !ok {
			return nil, fmt.Errorf("accept failed")
		}
		res.peers = append(res.peers, c)
	}
	return res, nil
}

// ---- dump ----

func dumpStacks(via string) []byte {
	if via == "pprof" {
		var b bytes.Buffer
		if err := pprof.Lookup("goroutine").WriteTo(&b, 2); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
		return b.Bytes()
	}
	buf := make([]byte, 256<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return buf[:n]
		}
		buf = make([]byte, 2*len(buf))
	}
}

// Stats describes the written dump; it is what the benchmark reports.
type Stats struct {
	Bytes           int            `json:"bytes"`
	Goroutines      int            `json:"goroutines"`
	Shapes          int            `json:"shapes_generated"`
	DistinctStacks  int            `json:"distinct_stacks_functions_only"`
	MinDepth        int            `json:"min_depth"` // depths are over the parked goroutines
	MaxDepth        int            `json:"max_depth"`
	MeanDepth       float64        `json:"mean_depth"`
	WaitReasons     map[string]int `json:"wait_reasons"`
	Creators        int            `json:"distinct_creators"`
	GoVersion       string         `json:"go_version"`
	Via             string         `json:"via"`
	BiggestBucket   int            `json:"largest_shape_goroutines"`
	SmallestBucket  int            `json:"smallest_shape_goroutines"`
	SecondsToDump   float64        `json:"seconds_to_dump"`
	SecondsToCreate float64        `json:"seconds_to_create"`
}

// measure reads the dump back the simple way: one goroutine per blank-line separated block.
func measure(dump []byte) Stats {
	st := Stats{WaitReasons: map[string]int{}, MinDepth: math.MaxInt}
	stacks := map[string]bool{}
	creators := map[string]bool{}
	totalDepth := 0
	for _, block := range bytes.Split(dump, []byte("\n\n")) {
		lines := strings.Split(strings.TrimRight(string(block), "\n"), "\n")
		if len(lines) == 0 || !strings.HasPrefix(lines[0], "goroutine ") {
			continue
		}
		st.Goroutines++
		h := lines[0]
		if a, b := strings.IndexByte(h, '['), strings.LastIndexByte(h, ']'); a >= 0 && b > a {
			reason := h[a+1 : b]
			if c := strings.Index(reason, ", "); c >= 0 {
				reason = reason[:c]
			}
			st.WaitReasons[reason]++
		}
		var sig strings.Builder
		depth := 0
		for _, l := range lines[1:] {
			if l == "" || l[0] == '\t' {
				continue
			}
			if strings.HasPrefix(l, "created by ") {
				fn := strings.TrimPrefix(l, "created by ")
				if i := strings.Index(fn, " in goroutine "); i >= 0 {
					fn = fn[:i]
				}
				creators[fn] = true
				sig.WriteString("<" + fn)
				continue
			}
			fn := l
			if i := strings.LastIndexByte(fn, '('); i > 0 && strings.HasSuffix(fn, ")") {
				fn = fn[:i]
			}
			sig.WriteString(fn + ";")
			depth++
		}
		stacks[sig.String()] = true
		if strings.Contains(h, "[running]") {
			continue // the generator's own goroutine, calling runtime.Stack
		}
		totalDepth += depth
		st.MinDepth = min(st.MinDepth, depth)
		st.MaxDepth = max(st.MaxDepth, depth)
	}
	st.Bytes = len(dump)
	st.DistinctStacks = len(stacks)
	st.Creators = len(creators)
	if parked := st.Goroutines - st.WaitReasons["running"]; parked > 0 {
		st.MeanDepth = math.Round(10*float64(totalDepth)/float64(parked)) / 10
	}
	return st
}

func main() {
	out := flag.String("o", "dump.txt", "output file")
	n := flag.Int("n", 150000, "number of goroutines to park")
	nShapes := flag.Int("shapes", 64, "number of distinct stack shapes")
	minDepth := flag.Int("min-depth", 5, "minimum stack depth in frames (approximate)")
	maxDepth := flag.Int("max-depth", 40, "maximum stack depth in frames (approximate)")
	skew := flag.Float64("depth-skew", 2.5, "depth = min + (max-min)*u^skew, u uniform in [0,1): >1 favours shallow stacks")
	alpha := flag.Float64("alpha", 0.8, "Zipf exponent of goroutines per shape")
	seed := flag.Uint64("seed", 1, "PRNG seed for the shapes")
	nConns := flag.Int("conns", 256, "loopback TCP connections for IO-wait goroutines")
	via := flag.String("via", "stack", "stack: runtime.Stack(buf, true), uncapped; pprof: goroutine profile debug=2 (64 MB cap)")
	statsOut := flag.String("stats", "", "also write the dump statistics as JSON to this file")
	flag.Parse()
	if *nShapes > *n {
		fmt.Fprintln(os.Stderr, "gen: -shapes must not exceed -n")
		os.Exit(2)
	}

	res, err := newResources(*nConns)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	rng := rand.New(rand.NewPCG(*seed, 0x1eac))
	shapes := buildShapes(rng, *n, *nShapes, *minDepth, *maxDepth, *skew, *alpha)

	start := time.Now()
	// Each shape is spawned from its own short-lived goroutine, so "created by ... in goroutine N" varies.
	var spawners sync.WaitGroup
	for _, sh := range shapes {
		spawners.Add(1)
		go func() {
			defer spawners.Done()
			creatorKinds[sh.creator].fn(sh, res)
		}()
	}
	spawners.Wait()
	deadline := time.Now().Add(5 * time.Minute)
	for res.ready.Load() < int64(*n) {
		if time.Now().After(deadline) {
			fmt.Fprintf(os.Stderr, "gen: only %d of %d goroutines reached their blocker\n", res.ready.Load(), *n)
			os.Exit(1)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Let the last ones park (they have announced themselves just before blocking).
	time.Sleep(2 * time.Second)
	created := time.Since(start)

	start = time.Now()
	dump := dumpStacks(*via)
	dumped := time.Since(start)
	if err := os.WriteFile(*out, dump, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}

	st := measure(dump)
	st.Shapes = len(shapes)
	st.GoVersion = runtime.Version()
	st.Via = *via
	st.SecondsToCreate = math.Round(100*created.Seconds()) / 100
	st.SecondsToDump = math.Round(100*dumped.Seconds()) / 100
	counts := make([]int, len(shapes))
	for i, sh := range shapes {
		counts[i] = sh.count
	}
	sort.Ints(counts)
	st.SmallestBucket, st.BiggestBucket = counts[0], counts[len(counts)-1]
	if *statsOut != "" {
		j, _ := json.MarshalIndent(st, "", "  ")
		if err := os.WriteFile(*statsOut, append(j, '\n'), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
	fmt.Printf("gen: wrote %s: %.1f MB, %d goroutines, %d shapes, %d distinct stacks (functions only), depth %d-%d (mean %.1f), %d creators, dump took %.2fs\n",
		*out, float64(st.Bytes)/1e6, st.Goroutines, st.Shapes, st.DistinctStacks, st.MinDepth, st.MaxDepth, st.MeanDepth,
		st.Creators, st.SecondsToDump)
	os.Exit(0)
}
