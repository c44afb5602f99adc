// Negative cases for LH022: the blocking operation is a case of the select that watches the stop signal, or the
// select is no stop check.
package lh022

import (
	"context"
	"time"
)

// The fixed pump: the send is a case beside the stop signal.
func (t *Transport) pumpFixed(next func() Event) {
	for {
		ev := next()
		select {
		case <-t.stop:
			return
		case t.Events <- ev:
		}
	}
}

// Tricky: a non-blocking probe of the same channel, then a send on it (the probe is no stop signal).
func Refill(c chan int) {
	select {
	case <-c:
		return
	default:
	}
	c <- 0
}

// Tricky: after the check the goroutine waits on a ticker: bounded, and the next pass checks again.
func Poll(ctx context.Context, t *time.Ticker, poll func()) {
	for {
		select {
		case <-ctx.Done():
			return
		default:
		}
		<-t.C
		poll()
	}
}

// Tricky: the default case selects again, with the stop signal among its cases (what follows a case of that inner
// select is not this rule's).
func Forward(ctx context.Context, in <-chan int, out chan<- int) {
	for {
		select {
		case <-ctx.Done():
			return
		default:
			select {
			case v := <-in:
				out <- v
			case <-ctx.Done():
				return
			}
		}
	}
}

// Tricky: a default case with no stop case in the select: a non-blocking send that falls back to a blocking one is
// a choice, not a check.
func SendOrQueue(out chan<- int, overflow chan<- int, v int) {
	select {
	case out <- v:
	default:
		overflow <- v
	}
}

// Tricky: a dialer whose result send sits in the default case, but when the caller gives up it starts a goroutine
// that receives the late result (and closes the connection): the send always has a taker.
func DialTimeout(dial func() (int, error), timeout time.Duration) (int, error) {
	stopC := make(chan struct{})
	synC := make(chan int)
	go func() {
		defer close(synC)
		for {
			select {
			case <-stopC:
				return
			default:
				c, err := dial()
				if err != nil {
					continue
				}
				synC <- c
				return
			}
		}
	}()
	select {
	case c := <-synC:
		return c, nil
	case <-time.After(timeout):
		close(stopC)
		go func() { <-synC }()
		return 0, context.DeadlineExceeded
	}
}

const totalEvents = 1000

// Tricky: the checked send goes to a local buffer sized by name for all the work: it never waits.
func Dispatch(ctx context.Context, in <-chan Event) []Event {
	delivered := make(chan Event, totalEvents)
	go func() {
		for ev := range in {
			select {
			case <-ctx.Done():
				return
			default:
			}
			delivered <- ev
		}
	}()
	var out []Event
	for len(out) < totalEvents {
		select {
		case ev := <-delivered:
			out = append(out, ev)
		case <-ctx.Done():
			return out
		}
	}
	return out
}
