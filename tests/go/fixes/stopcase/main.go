// Two leaks the stop-case strategy fixes, each in a function that has a context it ignores:
//   - first: a goroutine per job, reading jobs from a channel (so no buffer size is known); the first result wins
//     and the other senders block forever on the unbuffered channel (LH001);
//   - watch: a goroutine that forwards events in a for-select with no way out (LH004, enabled in .leakhound.yaml).
//
// Each call's context is cancelled when the call is done, so once the fix gives every blocking operation a
// `case <-ctx.Done()`, the goroutines end.
package main

import (
	"context"
	"fmt"
	"runtime"
	"time"
)

func first(ctx context.Context, jobs <-chan func() int) int {
	ch := make(chan int)
	for job := range jobs {
		go func() {
			ch <- job()
		}()
	}
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		return 0
	}
}

func watch(ctx context.Context, events <-chan string, seen func(string)) {
	go func() {
		for {
			select {
			case e := <-events:
				seen(e)
			}
		}
	}()
}

func main() {
	for i := 0; i < 10; i++ {
		ctx, cancel := context.WithCancel(context.Background())
		jobs := make(chan func() int, 4)
		for k := 0; k < 4; k++ {
			jobs <- func() int { return k }
		}
		close(jobs)
		_ = first(ctx, jobs)
		watch(ctx, make(chan string), func(string) {})
		cancel()
	}
	time.Sleep(300 * time.Millisecond)
	fmt.Printf("GOROUTINES %d\n", runtime.NumGoroutine())
}
