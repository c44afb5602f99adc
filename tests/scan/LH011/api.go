// Stand-ins for the watch / subscription APIs of client-go, fsnotify and NATS, so the fixtures compile without
// third-party modules.
package lh011

import "context"

type Event struct{ Name string }

// Watcher is shaped like k8s.io/apimachinery's watch.Interface.
type Watcher interface {
	ResultChan() <-chan Event
	Stop()
}

type Pods struct{}

func (Pods) Watch(ctx context.Context, selector string) (Watcher, error) { return nil, ctx.Err() }

// FileWatcher is shaped like fsnotify.Watcher.
type FileWatcher struct {
	Events chan Event
	Errors chan error
}

func (w *FileWatcher) Add(path string) error { return nil }
func (w *FileWatcher) Close() error          { return nil }

func NewFileWatcher() (*FileWatcher, error) { return &FileWatcher{}, nil }

// Subscription is shaped like nats.Subscription.
type Subscription struct{}

func (s *Subscription) NextMsg() (string, error) { return "", nil }
func (s *Subscription) Unsubscribe() error       { return nil }

type Conn struct{}

func (c *Conn) SubscribeSync(subject string) (*Subscription, error) { return &Subscription{}, nil }
