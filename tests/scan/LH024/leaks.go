// Positive cases for LH024 consumer-leaves-early: a goroutine produces into a channel in a loop, and the range that
// consumes it can leave before the channel is drained.
package lh024

import (
	"context"
	"errors"
)

type Span struct{ Key string }

var errBad = errors.New("bad span")

// A restore job: the splitter sends more spans than the channel holds; the consumer returns on cancellation and the
// splitter is stuck on its next send.
const chanSize = 6

func Restore(ctx context.Context, spans []Span) error {
	ready := make(chan Span, chanSize)
	go func() {
		defer close(ready)
		split(spans, ready) // want "goroutine's split sends on ready in a loop, but the range over ready at line 24 can return at line 27"
	}()
	for sp := range ready {
		select {
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		_ = sp
	}
	return nil
}

func split(spans []Span, out chan<- Span) {
	for _, sp := range spans {
		out <- sp
	}
}

// The producer's own loop, and a consumer that gives up on the first bad item.
func FirstError(items []int, check func(int) error) error {
	results := make(chan error)
	go func() {
		defer close(results)
		for _, it := range items {
			results <- check(it) // want "goroutine sends on results in a loop, but the range over results at line 50 can return at line 52"
		}
	}()
	for err := range results {
		if err != nil {
			return err
		}
	}
	return nil
}

// A consumer that breaks out after the first match.
func Find(keys []string, want string) bool {
	found := false
	ch := make(chan string)
	go func() {
		for _, k := range keys {
			ch <- k // want "range over ch at line 68 can break at line 71"
		}
		close(ch)
	}()
	for k := range ch {
		if k == want {
			found = true
			break
		}
	}
	return found
}

// A named producer started with go, and a consumer that returns on a decode error.
func produce(lines []string, out chan<- string) {
	defer close(out)
	for _, l := range lines {
		out <- l
	}
}

func Decode(lines []string, decode func(string) error) error {
	ch := make(chan string)
	go produce(lines, ch) // want "goroutine's produce sends on ch in a loop"
	for l := range ch {
		if err := decode(l); err != nil {
			return errBad
		}
	}
	return nil
}
