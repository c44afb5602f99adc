// Negative cases for LH018: the Wait runs in a goroutine the WaitGroup does not count, or after this goroutine's own
// Done.
package lh018

import (
	"sync"
)

// The fixed connection: the counted goroutine only calls Done; Close waits for it itself.
type Session struct {
	wg      sync.WaitGroup
	closeFn func() error
}

func (s *Session) Close() {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		_ = s.closeFn()
	}()
	s.wg.Wait()
}

// Tricky: the classic closer goroutine waits on the group, but it is not counted by it (no Add for it, no Done in
// it), so the Wait returns when the producers are done.
func Merge(inputs []<-chan int) <-chan int {
	var wg sync.WaitGroup
	out := make(chan int)
	for _, in := range inputs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range in {
				out <- v
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Tricky: a one-shot barrier: each worker calls Done for its part first, then waits for the others.
func Phases(workers []func(phase int)) {
	var ready sync.WaitGroup
	var finished sync.WaitGroup
	ready.Add(len(workers))
	finished.Add(len(workers))
	for _, w := range workers {
		go func() {
			defer finished.Done()
			w(1)
			ready.Done()
			ready.Wait()
			w(2)
		}()
	}
	finished.Wait()
}

// Tricky: the goroutine is counted by one group (handlers) and waits on another (inflight).
type Dispatcher struct {
	handlers sync.WaitGroup
	inflight sync.WaitGroup
	reqs     chan func()
}

func (d *Dispatcher) Start() {
	d.handlers.Add(1)
	go func() {
		defer d.handlers.Done()
		for r := range d.reqs {
			d.inflight.Add(1)
			go func() {
				defer d.inflight.Done()
				r()
			}()
		}
		d.inflight.Wait()
	}()
}

func (d *Dispatcher) Stop() {
	close(d.reqs)
	d.handlers.Wait()
}

// Tricky: the deferred Wait is registered before the deferred Done, so (last-in first-out) the Done runs first.
type Flusher struct {
	wg    sync.WaitGroup
	flush func()
}

func (f *Flusher) FlushAsync(parts []func()) {
	for _, p := range parts {
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			p()
		}()
	}
	f.wg.Add(1)
	go func() {
		defer f.wg.Wait()
		defer f.wg.Done()
		f.flush()
	}()
}

// Tricky: a counted goroutine starts an uncounted one that does the waiting (its own function, without a Done).
type Reloader struct {
	wg     sync.WaitGroup
	reload func()
	done   func()
}

func (r *Reloader) Trigger() {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		r.reload()
		go func() {
			r.wg.Wait()
			r.done()
		}()
	}()
}
