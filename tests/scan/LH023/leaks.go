// Positive cases for LH023 cond-wait-unchecked: a sync.Cond Wait that checks no condition, so a Signal or Broadcast
// that came first is lost.
package lh023

import "sync"

// A work queue whose Get waits without looking at the queue: a Put that signalled before Get took the lock is lost,
// and Get sleeps forever with an item in the queue.
type Queue struct {
	cond  *sync.Cond
	items []int
}

func NewQueue() *Queue {
	return &Queue{cond: sync.NewCond(&sync.Mutex{})}
}

func (q *Queue) Get() {
	q.cond.L.Lock()
	defer q.cond.L.Unlock()
	q.cond.Wait() // want "q.cond.Wait\\(\\) checks no condition first"
}

func (q *Queue) Put(it int) {
	q.cond.L.Lock()
	q.items = append(q.items, it)
	q.cond.L.Unlock()
	q.cond.Signal()
}

// A one-shot latch waited on in a goroutine that may start after the Broadcast.
func After(mu *sync.Mutex, c *sync.Cond, done chan<- struct{}) {
	go func() {
		mu.Lock()
		c.Wait() // want "c.Wait\\(\\) checks no condition first"
		mu.Unlock()
		close(done)
	}()
}

// A service that waits to be started, and a Start that may run first.
type Service struct {
	mu      sync.Mutex
	started *sync.Cond
}

func (s *Service) WaitStarted() {
	s.mu.Lock()
	s.started.Wait() // want "s.started.Wait\\(\\) checks no condition first"
	s.mu.Unlock()
}

func (s *Service) Start() {
	s.mu.Lock()
	s.started.Broadcast()
	s.mu.Unlock()
}

// A closure handed to a helper goroutine: the wait is the whole job.
func WaitInBackground(c *sync.Cond, run func(func())) {
	run(func() {
		c.L.Lock()
		defer c.L.Unlock()
		c.Wait() // want "c.Wait\\(\\) checks no condition first"
	})
}

// A watcher's Remove waits for an event in a loop on a local nothing changes: every Broadcast finds it still true.
type FileWatcher struct {
	mu sync.Mutex
	cv *sync.Cond
}

func (w *FileWatcher) Remove() {
	w.mu.Lock()
	defer w.mu.Unlock()
	exists := true
	for exists {
		w.cv.Wait() // want "w.cv.Wait\\(\\) is in a loop whose condition \\(exists\\) nothing can change"
	}
}
