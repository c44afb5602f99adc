// Positive cases for LH011 handle-never-stopped.
package lh011

import (
	"context"
	"errors"
)

var errClosed = errors.New("closed")

// The watch is left running once a ready pod is seen.
func WaitReady(ctx context.Context, pods Pods) error {
	w, err := pods.Watch(ctx, "app=web") // want "w from Watch\\(\\) is never stopped"
	if err != nil {
		return err
	}
	for ev := range w.ResultChan() {
		if ev.Name == "ready" {
			return nil
		}
	}
	return errClosed
}

// An fsnotify-style watcher that is never closed.
func WatchOnce(path string) (Event, error) {
	fw, err := NewFileWatcher() // want "fw from NewFileWatcher\\(\\) is never stopped"
	if err != nil {
		return Event{}, err
	}
	if err := fw.Add(path); err != nil {
		return Event{}, err
	}
	select {
	case ev := <-fw.Events:
		return ev, nil
	case err := <-fw.Errors:
		return Event{}, err
	}
}

// A NATS-style subscription that is never unsubscribed.
func NextOrder(nc *Conn) (string, error) {
	sub, err := nc.SubscribeSync("orders") // want "sub from SubscribeSync\\(\\) is never stopped"
	if err != nil {
		return "", err
	}
	return sub.NextMsg()
}

// Used in a goroutine that never stops it.
func Follow(ctx context.Context, pods Pods, out chan<- Event) error {
	w, err := pods.Watch(ctx, "") // want "w from Watch\\(\\) is never stopped"
	if err != nil {
		return err
	}
	go func() {
		for ev := range w.ResultChan() {
			out <- ev
		}
	}()
	return nil
}

// Re-watching in a loop: each handle is dropped without Stop.
func Rewatch(ctx context.Context, pods Pods, n int) int {
	seen := 0
	for i := 0; i < n; i++ {
		w, err := pods.Watch(ctx, "") // want "never stopped"
		if err != nil {
			continue
		}
		if ev, ok := <-w.ResultChan(); ok && ev.Name != "" {
			seen++
		}
	}
	return seen
}
