// Positive cases for LH002 senders-outnumber-receives: goroutines started in a loop send more values than the
// function receives; the senders left over block in `chan send` forever.
package lh002

import (
	"context"
	"errors"
)

func fetch(s string) (string, error) {
	if s == "" {
		return "", errors.New("empty")
	}
	return s, nil
}

// The first result wins; the other goroutines block forever.
func FirstResult(mirrors []string) string {
	ch := make(chan string)
	for _, m := range mirrors {
		go func(m string) { // want "goroutines started in the loop at line 20 send on unbuffered channel ch .*receives from it only once \\(line 26\\)"
			s, _ := fetch(m)
			ch <- s
		}(m)
	}
	return <-ch
}

// The receive loop returns on the first error: the remaining senders block.
func FirstError(items []string) error {
	errc := make(chan error)
	for _, it := range items {
		go func() { errc <- process(it) }() // want "receive loop at line 35 can leave at line 37 before every sender"
	}
	for range items {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

func process(s string) error {
	_, err := fetch(s)
	return err
}

// A buffer of 2 for 8 goroutines, one receive.
func SmallBuffer() int {
	ch := make(chan int, 2)
	for i := 0; i < 8; i++ {
		go func() { ch <- i * i }() // want "\\(8 of them\\) send on channel ch with buffer 2"
	}
	return <-ch
}

// The workers are a package function, followed one level; a select receives once.
func ViaWorker(ctx context.Context, urls []string) (string, error) {
	out := make(chan string)
	for _, u := range urls {
		go worker(u, out) // want "goroutines running worker started in the loop at line 60"
	}
	select {
	case s := <-out:
		return s, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func worker(u string, out chan<- string) {
	s, _ := fetch(u)
	out <- s
}

// A `for range ch` that returns at the first match: the other senders block.
func FindAny(items []string, match func(string) bool) (string, bool) {
	found := make(chan string)
	for _, it := range items {
		go func() { // want "receive loop at line 84 can leave at line 86"
			found <- it
		}()
	}
	for s := range found {
		if match(s) {
			return s, true
		}
	}
	return "", false
}

// A constant loop count larger than the number of receives.
func Three() (int, int) {
	ch := make(chan int)
	for i := range 3 {
		go func() { ch <- i }() // want "\\(3 of them\\).*receives from it only 2 times"
	}
	a := <-ch
	b := <-ch
	return a, b
}
