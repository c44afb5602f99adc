// Positive cases for LH004 for-select-no-exit: goroutines nothing can stop.
package lh004

import (
	"context"
	"fmt"
	"time"
)

type Worker struct {
	jobs chan string
	tick *time.Ticker
}

// A literal goroutine with for-select and no exit case.
func (w *Worker) Start() {
	go func() {
		for { // want "loops forever in for-select with no exit"
			select {
			case j := <-w.jobs:
				fmt.Println(j)
			case <-w.tick.C:
				fmt.Println("flush")
			}
		}
	}()
}

// A method started with go, followed one level.
func (w *Worker) Run() {
	go w.loop()
}

func (w *Worker) loop() {
	for { // want "for-select with no exit"
		select {
		case j := <-w.jobs:
			fmt.Println(j)
		}
	}
}

// A bare receive loop: the closed channel yields zero values forever and nothing returns.
func Pump(in <-chan int, out chan<- int) {
	go func() {
		for { // want "loops forever receiving with no exit"
			v := <-in
			out <- v
		}
	}()
}

// Tricky: `break` inside a select leaves the select, not the loop.
func BreakOnlySelect(in <-chan int) {
	go func() {
		for { // want "for-select with no exit"
			select {
			case v, ok := <-in:
				if !ok {
					break
				}
				fmt.Println(v)
			}
		}
	}()
}

// A package function started with go.
func StartTicker(tick <-chan time.Time) {
	go heartbeat(tick)
}

func heartbeat(tick <-chan time.Time) {
	for { // want "for-select with no exit"
		select {
		case t := <-tick:
			fmt.Println(t)
		}
	}
}

// A context is in scope but the loop ignores it: the fix adds the stop case.
func Forward(ctx context.Context, in <-chan int, out chan<- int) {
	go func() {
		for { // want "for-select with no exit"
			select {
			case v := <-in:
				out <- v
			}
		}
	}()
}
