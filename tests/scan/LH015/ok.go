// Negative cases for LH015: the lock is released before the channel operation, the operation can give up, or the
// other end never takes the lock.
package lh015

import (
	"context"
	"sync"
	"time"
)

// The fixed bus: the counter is updated under the lock, the send happens after the Unlock.
func (b *Bus) PublishOK(e Event) {
	b.mu.Lock()
	b.sent++
	b.mu.Unlock()
	b.events <- e
}

// Tricky: the send holds the lock but selects on ctx.Done too, so the publisher gives up when the dispatcher is stuck
// on the lock (and releases it).
func (b *Bus) PublishCtx(ctx context.Context, e Event) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case b.events <- e:
		b.sent++
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Tricky: the same with a timeout.
func (c *Conn) SendTimeout(frame []byte, d time.Duration) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case c.frames <- frame:
		return true
	case <-time.After(d):
		return false
	}
}

// Tricky: a non-blocking send (select with default) never waits for the receiver.
func (b *Bus) TryPublish(e Event) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case b.events <- e:
		b.sent++
		return true
	default:
		return false
	}
}

// Tricky: the lock is held across the send, but the receiver never takes it: it can always get to the receive.
type Notifier struct {
	mu      sync.Mutex
	pending []string
	notes   chan string
}

func (n *Notifier) Notify(s string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.pending = append(n.pending, s)
	n.notes <- s
}

func (n *Notifier) deliver(send func(string)) {
	for s := range n.notes {
		send(s)
	}
}

// Tricky: the receiver takes a different mutex of the struct before the receive (statsMu, not mu).
type Tracker struct {
	mu      sync.Mutex
	statsMu sync.Mutex
	seen    int
	spans   chan string
	names   []string
}

func (t *Tracker) Record(name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.names = append(t.names, name)
	t.spans <- name
}

func (t *Tracker) collect() {
	for {
		t.statsMu.Lock()
		t.seen++
		t.statsMu.Unlock()
		<-t.spans
	}
}

// Tricky: the worker's result is recorded under the lock after the close, and Wait receives without the lock.
type Task struct {
	mu   sync.Mutex
	err  error
	done chan struct{}
}

func (t *Task) run(job func() error) {
	err := job()
	close(t.done)
	t.mu.Lock()
	t.err = err
	t.mu.Unlock()
}

func (t *Task) Wait() error {
	<-t.done
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

// Tricky: a channel local to the function: its other end is in this function's own goroutine, which does not lock.
func (t *Tracker) Snapshot() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(chan []string)
	go func() {
		out <- append([]string(nil), "snapshot")
	}()
	return append(<-out, t.names...)
}

// Tricky: Subscribe waits for the first event while holding the lock, but deliver takes the lock only after its
// send, in straight-line code: the send completes the receive, Subscribe unlocks, then deliver locks.
type Subscription struct {
	mu     sync.Mutex
	topics map[string]bool
	first  chan string
}

func (s *Subscription) Subscribe(topic string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.topics[topic] = true
	return <-s.first
}

func (s *Subscription) deliver(topic string) {
	s.first <- topic
	s.mu.Lock()
	delete(s.topics, topic)
	s.mu.Unlock()
}
