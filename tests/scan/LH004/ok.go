// Negative cases for LH004: every loop has a way out.
package lh004

import (
	"context"
	"fmt"
	"log"
)

func WithContext(ctx context.Context, in <-chan int) {
	go func() {
		for {
			select {
			case v := <-in:
				fmt.Println(v)
			case <-ctx.Done():
				return
			}
		}
	}()
}

// A labeled break leaves the loop.
func Labeled(in <-chan int, done <-chan struct{}) {
	go func() {
	loop:
		for {
			select {
			case v := <-in:
				fmt.Println(v)
			case <-done:
				break loop
			}
		}
		fmt.Println("stopped")
	}()
}

// The ok check returns when the channel is closed.
func OkCheck(in <-chan int) {
	go func() {
		for {
			v, ok := <-in
			if !ok {
				return
			}
			fmt.Println(v)
		}
	}()
}

// Tricky: the context is checked at the top of the loop, outside the select.
func OuterCheck(ctx context.Context, in <-chan int) {
	go func() {
		for {
			if ctx.Err() != nil {
				return
			}
			select {
			case v := <-in:
				fmt.Println(v)
			}
		}
	}()
}

// A polling loop with a default case does not block (a different problem, not this rule's).
func Poll(in <-chan int, stop func() bool) {
	go func() {
		for {
			select {
			case v := <-in:
				fmt.Println(v)
			default:
				if stop() {
					return
				}
			}
		}
	}()
}

// log.Fatal ends the program.
func FatalExit(errs <-chan error) {
	go func() {
		for {
			select {
			case err := <-errs:
				log.Fatal(err)
			}
		}
	}()
}

// Not a goroutine: a function that loops is the caller's choice.
func Serve(in <-chan int) {
	for {
		select {
		case v := <-in:
			fmt.Println(v)
		}
	}
}
