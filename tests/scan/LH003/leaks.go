// Positive cases for LH003 range-unclosed: each loop waits for a close that never comes.
package lh003

import "fmt"

// The producer forgets to close; the range in this function never ends.
func Sum(nums []int) int {
	ch := make(chan int)
	go func() {
		for _, n := range nums {
			ch <- n
		}
	}()
	total := 0
	for n := range ch { // want "range over channel ch never ends: nothing closes it .made at line 8.*this loop"
		total += n
	}
	return total
}

// The consumer goroutine ranges; nobody closes the channel, so it leaks.
func StartPrinter(lines []string) {
	ch := make(chan string, len(lines))
	go func() {
		for l := range ch { // want "this goroutine blocks forever"
			fmt.Println(l)
		}
	}()
	for _, l := range lines {
		ch <- l
	}
}

// The consumer is a package function, followed one level.
func StartConsumer(jobs []string) {
	ch := make(chan string)
	go consume(ch) // want "consume ranges over channel ch, which nothing closes"
	for _, j := range jobs {
		ch <- j
	}
}

func consume(in <-chan string) {
	for j := range in {
		fmt.Println(j)
	}
}

// Buffered or not, a range needs a close.
func Drain() int {
	results := make(chan int, 8)
	for i := 0; i < 8; i++ {
		results <- i
	}
	n := 0
	for range results { // want "range over channel results never ends"
		n++
	}
	return n
}

// A range with both key forms: `for v = range ch` assigns to an outer variable.
func Last() int {
	ch := make(chan int, 1)
	ch <- 1
	v := 0
	for v = range ch { // want "range over channel ch never ends"
		fmt.Println(v)
	}
	return v
}
