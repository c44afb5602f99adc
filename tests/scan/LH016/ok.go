// Negative cases for LH016: something in the package completes the operation, or the object is visible to code
// outside the package, which may.
package lh016

import (
	"sync"
	"time"
)

// Tricky: the channel is handed to the producer in the go statement (it escapes): splitRows sends on it and closes
// it through its parameter.
type Exporter struct {
	batches chan []string
	write   func([]string)
}

func (e *Exporter) Export(rows []string, size int) int {
	e.batches = make(chan []string)
	go splitRows(rows, size, e.batches)
	n := 0
	for b := range e.batches {
		e.write(b)
		n++
	}
	return n
}

func splitRows(rows []string, size int, out chan<- []string) {
	defer close(out)
	for len(rows) > size {
		out <- rows[:size]
		rows = rows[size:]
	}
	out <- rows
}

// Tricky: the request channel is returned to callers (it escapes): they send and close it; the package only ranges.
type Sink struct {
	requests chan string
	handle   func(string)
}

func NewSink(handle func(string)) *Sink {
	s := &Sink{requests: make(chan string), handle: handle}
	go s.drain()
	return s
}

func (s *Sink) Requests() chan<- string { return s.requests }

func (s *Sink) drain() {
	for r := range s.requests {
		s.handle(r)
	}
}

// Tricky: an exported field: code outside the package may close it.
type Runner struct {
	Quit chan struct{}
	tick func()
}

func (r *Runner) Run() {
	for {
		select {
		case <-r.Quit:
			return
		case <-time.After(time.Second):
			r.tick()
		}
	}
}

func (r *Runner) WaitQuit() { <-r.Quit }

// Tricky: Done only in deferred calls, a plain one and one inside a deferred closure.
type Batch struct {
	wg   sync.WaitGroup
	mu   sync.Mutex
	errs []error
}

func (b *Batch) Go(task func() error) {
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		if err := task(); err != nil {
			b.mu.Lock()
			b.errs = append(b.errs, err)
			b.mu.Unlock()
		}
	}()
}

func (b *Batch) GoRecover(task func()) {
	b.wg.Add(1)
	go func() {
		defer func() {
			recover()
			b.wg.Done()
		}()
		task()
	}()
}

func (b *Batch) Wait() []error {
	b.wg.Wait()
	return b.errs
}

// Tricky: Done in a method that the go statement starts, not in a literal.
type Crawler struct {
	wg    sync.WaitGroup
	fetch func(string)
}

func (c *Crawler) Crawl(urls []string) {
	for _, u := range urls {
		c.wg.Add(1)
		go c.visit(u)
	}
	c.wg.Wait()
}

func (c *Crawler) visit(u string) {
	defer c.wg.Done()
	c.fetch(u)
}

// Tricky: the condition is broadcast from Close, not from Put.
type Gate struct {
	mu     sync.Mutex
	cond   *sync.Cond
	open   bool
	closed bool
}

func NewGate() *Gate {
	g := &Gate{}
	g.cond = sync.NewCond(&g.mu)
	return g
}

func (g *Gate) Open() {
	g.mu.Lock()
	g.open = true
	g.mu.Unlock()
	g.cond.Broadcast()
}

func (g *Gate) Close() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	g.cond.Broadcast()
}

func (g *Gate) Pass() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	for !g.open && !g.closed {
		g.cond.Wait()
	}
	return g.open
}

// Tricky: the fixed watcher: Stop closes the channel it hands out, once, after the producer is gone.
type Watcher struct {
	mu       sync.Mutex
	updates  chan string
	stop     chan struct{}
	stopOnce sync.Once
	done     chan struct{}
}

func NewWatcher(poll func() string) *Watcher {
	w := &Watcher{updates: make(chan string), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for {
			select {
			case <-w.stop:
				return
			case w.updates <- poll():
			}
		}
	}()
	return w
}

func (w *Watcher) Updates() <-chan string { return w.updates }

func (w *Watcher) Stop() {
	w.stopOnce.Do(func() {
		close(w.stop)
		<-w.done
		close(w.updates)
	})
}

// Tricky: the producer closes its output in a deferred call.
type Lister struct {
	out  chan string
	list func() []string
}

func (l *Lister) produce() {
	defer close(l.out)
	for _, name := range l.list() {
		l.out <- name
	}
}

func (l *Lister) All() []string {
	l.out = make(chan string)
	go l.produce()
	var names []string
	for n := range l.out {
		names = append(names, n)
	}
	return names
}

// Tricky: the send has the same way out as the loop that receives it: after Stop both give up.
type Invalidator struct {
	keys chan string
	stop chan struct{}
	drop func(string)
}

func (v *Invalidator) loop() {
	for {
		select {
		case k := <-v.keys:
			v.drop(k)
		case <-v.stop:
			return
		}
	}
}

func (v *Invalidator) Invalidate(key string) bool {
	select {
	case v.keys <- key:
		return true
	case <-v.stop:
		return false
	}
}

func (v *Invalidator) Stop() { close(v.stop) }

// Tricky: a buffered result slot with exactly one send; nobody has to be receiving when it is sent.
type Attempt struct {
	result chan error
}

func StartAttempt(op func() error) *Attempt {
	a := &Attempt{result: make(chan error, 1)}
	go func() { a.result <- op() }()
	return a
}

func (a *Attempt) Wait(d time.Duration) (error, bool) {
	select {
	case err := <-a.result:
		return err, true
	case <-time.After(d):
		return nil, false
	}
}

// Tricky: the channel handed to the watcher is closed by it, through its parameter.
type EventWatcher struct{ events chan string }

func (w *EventWatcher) Publish(e string) { w.events <- e }

func (w *EventWatcher) Close() { close(w.events) }

func (w *EventWatcher) run(done chan struct{}) {
	defer close(done)
	for range w.events {
	}
}

func (w *EventWatcher) Start() {
	done := make(chan struct{})
	go w.run(done)
	<-done
}

// Tricky: a local channel received from beside a timeout: the receive can give up.
func WaitOrTimeout(d time.Duration) bool {
	never := make(chan struct{})
	select {
	case <-never:
		return true
	case <-time.After(d):
		return false
	}
}

// Tricky: a handed-out channel nobody closes, but every consumer in sight selects on it beside its own stop signal
// (the usual way to consume a watch): nobody ranges over it, so nobody blocks forever.
type LeaderWatch struct {
	leaderCh chan bool
	stop     chan struct{}
}

func NewLeaderWatch(elect func() bool) *LeaderWatch {
	w := &LeaderWatch{leaderCh: make(chan bool), stop: make(chan struct{})}
	go func() {
		for {
			select {
			case w.leaderCh <- elect():
			case <-w.stop:
				return
			}
		}
	}()
	return w
}

func (w *LeaderWatch) LeaderCh() <-chan bool { return w.leaderCh }

func (w *LeaderWatch) Shutdown() { close(w.stop) }

func FollowLeader(w *LeaderWatch, quit <-chan struct{}, lead func(bool)) {
	for {
		select {
		case l := <-w.LeaderCh():
			lead(l)
		case <-quit:
			return
		}
	}
}

// Tricky: a process-wide worker started once (sync.Once) ranges over a package-level queue that nothing closes: it
// is meant to live as long as the process.
var (
	ingressOnce sync.Once
	ingressJobs = make(chan func())
)

func StartIngress() { ingressOnce.Do(func() { go ingressWorker() }) }

func ingressWorker() {
	for job := range ingressJobs {
		job()
	}
}

func SubmitIngress(job func()) { ingressJobs <- job }
