// Negative cases for LH003: every ranged channel is closed somewhere, or may be.
package lh003

import (
	"fmt"
	"os"
	"os/signal"
	"sync"
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
	//lint:ignore LH003 the loop exits through os.Exit in the handler
	for v := range ch {
		fmt.Println(v)
		os.Exit(0)
	}
}
