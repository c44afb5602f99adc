// Positive cases for LH005 context-cancel-not-called: the cancel func is discarded or missed on some path.
package lh005

import (
	"context"
	ctxpkg "context"
	"errors"
	"time"
)

func get(ctx context.Context, url string) error { return ctx.Err() }

// Discarded with _.
func Discarded(parent context.Context) error {
	ctx, _ := context.WithTimeout(parent, time.Second) // want "cancel func of context.WithTimeout is discarded"
	return get(ctx, "x")
}

// Discarded, with an aliased import and a deadline.
func DiscardedAliased(parent ctxpkg.Context) error {
	ctx, _ := ctxpkg.WithDeadline(parent, time.Now().Add(time.Second)) // want "cancel func of ctxpkg.WithDeadline is discarded"
	return get(ctx, "x")
}

// An early return misses cancel.
func EarlyReturn(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent) // want "cancel func cancel of context.WithCancel is not called on every path \\(the return on line 29"
	if err := get(ctx, "a"); err != nil {
		return err
	}
	cancel()
	return nil
}

// Falling off the end of a function without results.
func FallsOff(parent context.Context, fail bool) {
	ctx, cancel := context.WithTimeoutCause(parent, time.Second, errors.New("slow")) // want "not called on every path \\(the end of the block"
	if fail {
		cancel()
	}
	_ = get(ctx, "b")
}

// A continue skips the cancel in a loop body.
func LoopContinue(parent context.Context, urls []string) {
	for _, u := range urls {
		ctx, cancel := context.WithCancelCause(parent) // want "the continue on line 49"
		if u == "" {
			continue
		}
		_ = get(ctx, u)
		cancel(nil)
	}
}
