// Negative cases for LH005: the cancel func is called on every path, or handed to someone who will.
package lh005

import (
	"context"
	"time"
)

// The usual form.
func Deferred(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	return get(ctx, "x")
}

// Deferred through a func literal.
func DeferredLiteral(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	defer func() { cancel() }()
	return get(ctx, "x")
}

// Called before every return.
func EveryPath(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	if err := get(ctx, "a"); err != nil {
		cancel()
		return err
	}
	cancel()
	return nil
}

// Returned to the caller: its job now.
func Returned(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	return ctx, cancel
}

type holder struct{ stop context.CancelFunc }

// Stored in a struct.
func Stored(parent context.Context, h *holder) context.Context {
	ctx, cancel := context.WithCancel(parent)
	h.stop = cancel
	return ctx
}

// A goroutine calls it when done.
func InGoroutine(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		defer cancel()
		_ = get(ctx, "x")
	}()
}

// The return before the With call does not count; the one in the other branch is not reachable from it.
func OtherBranch(parent context.Context, fast bool) error {
	if parent == nil {
		return nil
	}
	var ctx context.Context
	var cancel context.CancelFunc
	if fast {
		ctx, cancel = context.WithTimeout(parent, time.Millisecond)
	} else {
		return get(parent, "slow")
	}
	err := get(ctx, "fast")
	cancel()
	return err
}

// Re-armed in a loop: the previous one is cancelled before it is replaced.
func Rearm(parent context.Context, ticks <-chan struct{}) {
	ctx, cancel := context.WithCancel(parent)
	defer func() { cancel() }()
	for range ticks {
		cancel()
		ctx, cancel = context.WithCancel(parent)
		_ = get(ctx, "tick")
	}
}

// Passed to a function that will call it.
func PassedOn(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent)
	time.AfterFunc(time.Second, cancel)
	return ctx
}

// Both branches call it before falling off the end.
func BothBranches(parent context.Context, quick bool) {
	ctx, cancel := context.WithCancel(parent)
	if quick {
		_ = get(ctx, "quick")
		cancel()
	} else {
		cancel()
	}
}

// Every case of a switch with a default calls it or returns.
func Switch(parent context.Context, mode int) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	switch mode {
	case 0:
		cancel()
		return nil
	case 1:
		err := get(ctx, "one")
		cancel()
		if err != nil {
			return err
		}
	default:
		cancel()
	}
	return nil
}
