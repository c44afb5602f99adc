// Negative cases for LH006: timers that are stopped, handed on, or cannot outlive their use.
package lh006

import (
	"context"
	"time"
)

// The usual form.
func Stopped(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Stopped inside a goroutine.
func StoppedInGoroutine(done <-chan struct{}) {
	t := time.NewTicker(time.Second)
	go func() {
		defer t.Stop()
		<-done
	}()
}

type poller struct{ t *time.Ticker }

// Stored in a struct: its owner stops it.
func (p *poller) Start() {
	t := time.NewTicker(time.Second)
	p.t = t
}

// Returned: the caller stops it.
func NewHeartbeat() *time.Ticker {
	t := time.NewTicker(time.Second)
	return t
}

// A single timer that is always waited for: it has fired when the function returns.
func Sleep() {
	timer := time.NewTimer(time.Second)
	<-timer.C
}

// A reused timer (Reset): its owner manages it.
func Debounce(events <-chan struct{}, flush func()) {
	timer := time.NewTimer(time.Hour)
	for {
		select {
		case <-events:
			timer.Reset(100 * time.Millisecond)
		case <-timer.C:
			flush()
		}
	}
}

// time.After in a loop whose other case returns: one timer at most is left.
func WaitOrStop(ctx context.Context, work func()) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
			work()
		}
	}
}

// time.After outside a loop.
func Timeout(result <-chan int) int {
	select {
	case v := <-result:
		return v
	case <-time.After(time.Second):
		return -1
	}
}

// A package-level Tick is one ticker for the life of the program.
var tick = time.Tick(time.Minute)

func Tock() { <-tick }

// Tricky: a clock abstraction hands time.Tick's channel to its caller.
func Every(d time.Duration) <-chan time.Time {
	return time.Tick(d)
}

// Tricky: tickers that live exactly as long as the endless loop that reads them (a metrics exporter).
func Export(report func()) {
	go func() {
		t := time.NewTicker(time.Minute)
		for range t.C {
			report()
		}
	}()
	go func() {
		for range time.Tick(time.Hour) {
			report()
		}
	}()
	tick := time.Tick(time.Hour)
	go func() {
		for {
			<-tick
			report()
		}
	}()
}

// Tricky: the other case sets what the loop condition tests, so taking it ends the loop.
func Drain(quit chan error, work func()) error {
	var errc error
	for errc == nil {
		select {
		case errc = <-quit:
			continue
		case <-time.After(time.Second):
			work()
		}
	}
	return errc
}
