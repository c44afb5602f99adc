// Negative cases for LH024: the producer has a way out, the consumer drains, or the buffer holds everything.
package lh024

import "context"

// The fixed restore: the splitter's send is a case beside ctx.Done().
func RestoreFixed(ctx context.Context, spans []Span) error {
	ready := make(chan Span, chanSize)
	go func() {
		defer close(ready)
		for _, sp := range spans {
			select {
			case ready <- sp:
			case <-ctx.Done():
				return
			}
		}
	}()
	for sp := range ready {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		_ = sp
	}
	return nil
}

// Tricky: the buffer is sized for every item: the producer never waits.
func FirstErrorBuffered(items []int, check func(int) error) error {
	results := make(chan error, len(items))
	go func() {
		defer close(results)
		for _, it := range items {
			results <- check(it)
		}
	}()
	for err := range results {
		if err != nil {
			return err
		}
	}
	return nil
}

// Tricky: the consumer breaks out, then drains what is left.
func FindThenDrain(keys []string, want string) bool {
	found := false
	ch := make(chan string)
	go func() {
		defer close(ch)
		for _, k := range keys {
			ch <- k
		}
	}()
	for k := range ch {
		if k == want {
			found = true
			break
		}
	}
	for range ch {
	}
	return found
}

// Tricky: the consumer never leaves early (a break of an inner loop does not leave the range).
func Sum(xs [][]int) int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for _, row := range xs {
			for _, x := range row {
				ch <- x
			}
		}
	}()
	total := 0
	for v := range ch {
		for i := 0; i < v; i++ {
			if i > 10 {
				break
			}
		}
		total += v
	}
	return total
}
