// Negative cases for LH011: the handle is stopped, or someone else owns it.
package lh011

import (
	"context"
	"time"
)

// defer Stop right after the watch starts.
func WaitReadyOK(ctx context.Context, pods Pods) error {
	w, err := pods.Watch(ctx, "app=web")
	if err != nil {
		return err
	}
	defer w.Stop()
	for ev := range w.ResultChan() {
		if ev.Name == "ready" {
			return nil
		}
	}
	return errClosed
}

// Returned to the caller, who stops it.
func StartWatch(ctx context.Context, pods Pods) (Watcher, error) {
	w, err := pods.Watch(ctx, "")
	if err != nil {
		return nil, err
	}
	return w, nil
}

type Controller struct {
	w   Watcher
	sub *Subscription
}

// Stored in a struct field.
func (c *Controller) Start(ctx context.Context, pods Pods) error {
	w, err := pods.Watch(ctx, "")
	if err != nil {
		return err
	}
	c.w = w
	return nil
}

// Passed to another function, which owns it from then on.
func Handoff(ctx context.Context, pods Pods) error {
	w, err := pods.Watch(ctx, "")
	if err != nil {
		return err
	}
	consume(w)
	return nil
}

func consume(w Watcher) {
	defer w.Stop()
	for range w.ResultChan() {
	}
}

// Tricky: stopped by a goroutine when the context ends.
func StopOnDone(ctx context.Context, pods Pods, out chan<- Event) error {
	w, err := pods.Watch(ctx, "")
	if err != nil {
		return err
	}
	go func() {
		<-ctx.Done()
		w.Stop()
	}()
	go func() {
		for ev := range w.ResultChan() {
			out <- ev
		}
	}()
	return nil
}

// Tricky: captured by a closure that is stored (a cleanup func the caller runs).
func WithCleanup(nc *Conn) (func(), error) {
	sub, err := nc.SubscribeSync("x")
	if err != nil {
		return nil, err
	}
	cleanup := func() { _ = sub.NextMsg }
	return cleanup, nil
}

// Unsubscribed in a deferred closure.
func NextOrderOK(nc *Conn) (string, error) {
	sub, err := nc.SubscribeSync("orders")
	if err != nil {
		return "", err
	}
	defer func() { _ = sub.Unsubscribe() }()
	return sub.NextMsg()
}

// time.NewTicker belongs to LH006, not LH011.
func Tick() {
	t := time.NewTicker(time.Second)
	<-t.C
}

// A watch API that hands back a channel its context ends (etcd clientv3.Watch): not a handle to stop.
func WatchChan(ctx context.Context, c *EtcdClient) string {
	wc := c.Watch(ctx, "key")
	for resp := range wc {
		return resp
	}
	return ""
}

type EtcdClient struct{}

func (c *EtcdClient) Watch(ctx context.Context, key string) <-chan string { return nil }

// Closed explicitly on every path.
func WatchOnceOK(path string) error {
	fw, err := NewFileWatcher()
	if err != nil {
		return err
	}
	err = fw.Add(path)
	fw.Close()
	return err
}

// Tricky: the stop func is handed to the caller as a method value.
func StartWithStop(ctx context.Context, pods Pods, handle func(Event)) (func(), error) {
	w, err := pods.Watch(ctx, "")
	if err != nil {
		return nil, err
	}
	go func() {
		for ev := range w.ResultChan() {
			handle(ev)
		}
	}()
	return w.Stop, nil
}

// Tricky: waits until the server ends the watch (the result channel is closed).
func UntilClosed(ctx context.Context, pods Pods) bool {
	w, err := pods.Watch(ctx, "")
	if err != nil {
		return false
	}
	_, ok := <-w.ResultChan()
	return !ok
}
