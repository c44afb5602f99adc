// Package watcher is an in-memory key-value store whose clients can watch a key: every Set of the key is delivered
// to the key's watchers on a channel, the way etcd or Kubernetes watches deliver events.
//
// The bug (the "watcher" shape): Stop unsubscribes the watcher (no more events are delivered) but never closes the
// channel Updates hands out, so a consumer that ranges over Updates() -- the natural way to consume a watch --
// blocks in its range forever after Stop, and its goroutine leaks.
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
}

// Updates returns the channel the changes arrive on, in order.
func (w *Watcher) Updates() <-chan Event {
	return w.updates // want "Watcher.Updates hands out Watcher.updates, which the package sends on but never closes, not even in Stop"
}

// deliver hands e to the consumer, or drops it once the watcher is stopped.
func (w *Watcher) deliver(e Event) {
	select {
	case w.updates <- e:
	case <-w.done:
	}
}

// Stop ends the watch: no more changes are delivered.
func (w *Watcher) Stop() {
	w.stopOnce.Do(func() {
		w.store.unsubscribe(w)
		close(w.done)
	})
}
