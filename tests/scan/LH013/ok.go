// Negative cases for LH013.
package lh013

import (
	"fmt"
	"time"
)

// Declared, then made.
func Made() int {
	var ch chan int
	ch = make(chan int, 1)
	ch <- 1
	return <-ch
}

// Tricky: a nil channel in a select disables that case; the other case still fires.
func Disabled(tick <-chan time.Time) {
	var in chan int
	select {
	case v := <-in:
		fmt.Println(v)
	case <-tick:
	}
}

// Made by a function through its address.
func ByAddress() int {
	var ch chan int
	initChan(&ch)
	ch <- 1
	return <-ch
}

func initChan(p *chan int) { *p = make(chan int, 1) }

// Assigned from a call.
func Assigned() int {
	var ch chan int
	ch = newChan()
	return <-ch
}

func newChan() chan int {
	ch := make(chan int, 1)
	ch <- 7
	return ch
}

// Declared with a value.
func WithValue() int {
	var ch = make(chan int, 1)
	ch <- 2
	return <-ch
}

// A select with cases is not `select {}`.
func Nonempty(a, b <-chan int) int {
	select {
	case v := <-a:
		return v
	case v := <-b:
		return v
	}
}

// Tricky: the caller parks itself on purpose (a stub that must never return, or waiting for another goroutine to
// exit the process); no goroutine is started to run it.
func Forever() {
	select {}
}

// Package-level channels that are fine: made in init, exported (another package may make it), address handed to a
// setter, or only ever a select case beside others.
var ready chan struct{}

func init() { ready = make(chan struct{}) }

func WaitReady() { <-ready }

var Events chan string

func Emit(s string) { Events <- s }

var hooks chan int

func install(p *chan int) { *p = make(chan int, 1) }

func Hook(v int) {
	install(&hooks)
	hooks <- v
}

var paused chan struct{}

func Tick() bool {
	select {
	case <-paused:
		return false
	case <-time.After(time.Millisecond):
		return true
	}
}
