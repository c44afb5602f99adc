// Package app follows a configuration key of the watcher store, as a service does with its feature flags.
package app

import (
	"sync/atomic"

	"leakhound.test/scan/shapes/watcher/buggy"
)

// Flags holds the latest value of a watched key.
type Flags struct {
	value atomic.Value
	stop  func()
}

// Follow keeps f up to date with key until Close.
func Follow(s *watcher.Store, key string) *Flags {
	f := &Flags{}
	if v, ok := s.Get(key); ok {
		f.value.Store(v)
	}
	w := s.Watch(key)
	f.stop = w.Stop
	go func() {
		for e := range w.Updates() { // with the buggy watcher this range never ends after Close
			f.value.Store(e.Value)
		}
	}()
	return f
}

// Value returns the latest value.
func (f *Flags) Value() string {
	v, _ := f.value.Load().(string)
	return v
}

// Close stops following the key.
func (f *Flags) Close() { f.stop() }
