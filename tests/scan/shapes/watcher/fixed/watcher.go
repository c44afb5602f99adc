// Package watcher is an in-memory key-value store whose clients can watch a key: every Set of the key is delivered
// to the key's watchers on a channel, the way etcd or Kubernetes watches deliver events.
//
// The fixed twin of ../buggy: Stop closes the channel Updates hands out, exactly once (sync.Once) and never while a
// delivery may still send on it (deliver checks, under w.mu, that the watcher is not stopped; Stop first wakes a
// delivery blocked on a slow consumer, then closes under the same lock). A consumer's range ends after Stop.
package watcher

import "sync"

// Event is one change of a watched key.
type Event struct {
	Key   string
	Value string
}

// Store holds the values and the watchers. Its methods are safe for concurrent use.
type Store struct {
	mu       sync.Mutex
	data     map[string]string
	watchers map[*Watcher]struct{}
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{data: make(map[string]string), watchers: make(map[*Watcher]struct{})}
}

// Get returns the value of key.
func (s *Store) Get(key string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.data[key]
	return v, ok
}

// Set stores value under key and delivers the change to the key's watchers.
func (s *Store) Set(key, value string) {
	s.mu.Lock()
	s.data[key] = value
	var ws []*Watcher
	for w := range s.watchers {
		if w.key == key {
			ws = append(ws, w)
		}
	}
	s.mu.Unlock()
	for _, w := range ws {
		w.deliver(Event{Key: key, Value: value})
	}
}

// Watch subscribes to the changes of key until Stop.
func (s *Store) Watch(key string) *Watcher {
	w := &Watcher{store: s, key: key, updates: make(chan Event, 16), done: make(chan struct{})}
	s.mu.Lock()
	s.watchers[w] = struct{}{}
	s.mu.Unlock()
	return w
}

func (s *Store) unsubscribe(w *Watcher) {
	s.mu.Lock()
	delete(s.watchers, w)
	s.mu.Unlock()
}

// Watcher delivers the changes of one key.
type Watcher struct {
	store    *Store
	key      string
	updates  chan Event
	done     chan struct{}
	stopOnce sync.Once

	mu      sync.Mutex // held while delivering; guards stopped and the close of updates
	stopped bool
}

// Updates returns the channel the changes arrive on, in order. It is closed by Stop.
func (w *Watcher) Updates() <-chan Event {
	return w.updates
}

// deliver hands e to the consumer, or drops it once the watcher is stopped.
func (w *Watcher) deliver(e Event) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped {
		return
	}
	select {
	case w.updates <- e:
	case <-w.done:
	}
}

// Stop ends the watch: no more changes are delivered, and Updates is closed.
func (w *Watcher) Stop() {
	w.stopOnce.Do(func() {
		w.store.unsubscribe(w)
		close(w.done) // wakes a deliver waiting for the consumer
		w.mu.Lock()
		w.stopped = true
		close(w.updates)
		w.mu.Unlock()
	})
}
