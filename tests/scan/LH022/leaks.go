// Positive cases for LH022 stop-check-then-block: the select looks at the stop signal, then the goroutine blocks
// on a channel operation that the stop signal no longer reaches.
package lh022

import "context"

type Event struct{ ID int }

// An event pump: the send sits in the select's default case, so once the reader has returned on the same stop
// channel, the pump blocks in the send for good.
type Transport struct {
	Events chan Event
	stop   chan struct{}
}

func (t *Transport) pump(next func() Event) {
	for {
		select {
		case <-t.stop:
			return
		default:
			t.Events <- next() // want "send on t.Events can block forever: the select at line 18 looks at <-t.stop only before it \\(in its default case\\)"
		}
	}
}

// The check-then-send form: an empty default, then the send.
func Produce(ctx context.Context, out chan<- int, n int) error {
	for i := 0; i < n; i++ {
		select {
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		out <- i // want "send on out can block forever: .*<-ctx.Done\\(\\) only before it \\(right after it\\)"
	}
	return nil
}

// The same with a receive: a worker that checks for shutdown, then waits for a job.
func Work(ctx context.Context, jobs <-chan func()) {
	for {
		select {
		case <-ctx.Done():
			return
		default:
		}
		job := <-jobs // want "receive from jobs can block forever"
		job()
	}
}

// A pool's Submit: it checks that the pool is open, then queues the job; after Close the workers are gone and the
// send waits forever.
type Pool struct {
	jobs chan func()
	quit chan struct{}
}

func (p *Pool) Submit(job func()) bool {
	select {
	case <-p.quit:
		return false
	default:
		p.jobs <- job // want "send on p.jobs can block forever"
		return true
	}
}
