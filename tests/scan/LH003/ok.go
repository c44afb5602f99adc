// Negative cases for LH003: every ranged channel is closed somewhere, or may be.
package lh003

import (
	"fmt"
	"os"
	"os/signal"
	"sync"
	"time"
)

// Tricky: closed by a deferred call in the producer.
func SumClosed(nums []int) int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for _, n := range nums {
			ch <- n
		}
	}()
	total := 0
	for n := range ch {
		total += n
	}
	return total
}

// Closed once every worker is done.
func FanIn(parts [][]int) int {
	ch := make(chan int)
	var wg sync.WaitGroup
	for _, p := range parts {
		wg.Add(1)
		go func(p []int) {
			defer wg.Done()
			for _, v := range p {
				ch <- v
			}
		}(p)
	}
	go func() {
		wg.Wait()
		close(ch)
	}()
	total := 0
	for v := range ch {
		total += v
	}
	return total
}

// Closed by a package function it is handed to.
func Generated() int {
	ch := make(chan int)
	go generate(ch, 3)
	n := 0
	for v := range ch {
		n += v
	}
	return n
}

func generate(out chan<- int, n int) {
	defer close(out)
	for i := 0; i < n; i++ {
		out <- i
	}
}

// Handed to code we cannot see: it may close it (and the rule stays quiet).
func Signals() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt)
	for s := range ch {
		fmt.Println(s)
		return
	}
}

// Returned: the caller owns closing.
func Stream() chan int {
	ch := make(chan int)
	go func() {
		for v := range ch {
			fmt.Println(v)
		}
	}()
	return ch
}

// A range over a channel this function did not make is the caller's business.
func Print(in <-chan string) {
	for s := range in {
		fmt.Println(s)
	}
}

// Suppressed with staticcheck's form.
func Ignored() {
	ch := make(chan int, 1)
	ch <- 1
	//lint:ignore LH003 handle exits the process on the first value
	for v := range ch {
		handle(v)
	}
}

func handle(v int) {
	fmt.Println(v)
	os.Exit(0)
}

// Tricky: the producers never stop, and the loop ends on its own deadline (a return) instead of a close.
func SampleFor(d time.Duration, next func() int) int {
	ch := make(chan int, 16)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case <-done:
				return
			case ch <- next():
			}
		}
	}()
	start, n := time.Now(), 0
	for range ch {
		n++
		if time.Since(start) > d {
			return n
		}
	}
	return n
}

// Tricky: the consumer stops at a sentinel value, so the producer's missing close does not matter.
func UntilEnd(words []string) int {
	ch := make(chan string)
	go func() {
		for _, w := range words {
			ch <- w
		}
		ch <- "end"
	}()
	return countUntilEnd(ch)
}

func countUntilEnd(in <-chan string) int {
	n := 0
	for w := range in {
		if w == "end" {
			break
		}
		n++
	}
	return n
}
