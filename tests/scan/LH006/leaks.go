// Positive cases for LH006 timer-not-stopped: tickers and timers that stay armed after they are needed.
package lh006

import (
	"context"
	"time"
	tm "time"
)

// A ticker that is never stopped keeps ticking after Poll returns.
func Poll(ctx context.Context, work func()) {
	t := time.NewTicker(time.Second) // want "ticker t from time.NewTicker is never stopped"
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			work()
		}
	}
}

// The same with an aliased import.
func PollAliased(done <-chan struct{}) {
	ticker := tm.NewTicker(tm.Second) // want "ticker ticker from tm.NewTicker is never stopped"
	for {
		select {
		case <-done:
			return
		case <-ticker.C:
		}
	}
}

// time.Tick outside main.
func Heartbeat(done <-chan struct{}, beat func()) {
	for {
		select {
		case <-done:
			return
		case <-time.Tick(time.Second): // want "time.Tick outside func main"
			beat()
		}
	}
}

// time.After in a for-select: each message leaves a 1-minute timer behind.
func Consume(msgs <-chan string, handle func(string)) {
	for {
		select {
		case m := <-msgs:
			handle(m)
		case <-time.After(time.Minute): // want "time.After in a select inside a loop"
			return
		}
	}
}

// A timer per iteration, never stopped.
func Retry(try func() bool) {
	for i := 0; i < 3; i++ {
		timer := time.NewTimer(time.Second) // want "timer timer from time.NewTimer is never stopped and a new one is made each iteration"
		if try() {
			return
		}
		<-timer.C
	}
}

// A timer raced against a result: the function can return with it armed.
func Wait(result <-chan int) int {
	timer := time.NewTimer(time.Minute) // want "a select can leave before it fires"
	select {
	case v := <-result:
		return v
	case <-timer.C:
		return -1
	}
}

// Ranging over a ticker nobody can stop, in a loop that ends: the ticker outlives it.
func Until(done func() bool, work func()) {
	for range time.NewTicker(time.Second).C { // want "can never be stopped"
		if done() {
			return
		}
		work()
	}
}
