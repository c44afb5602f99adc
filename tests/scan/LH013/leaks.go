// Positive cases for LH013 nil-channel.
package lh013

import "fmt"

// A send on a channel that was declared but never made.
func Publish(v int) {
	var events chan int
	go func() {
		events <- v // want "send on nil channel events blocks forever: it is declared at line 8"
	}()
}

// A receive on it.
func Wait() {
	var done chan struct{}
	<-done // want "receive from nil channel done blocks forever"
}

// A range over it.
func Collect() []int {
	var results chan int
	var out []int
	for v := range results { // want "range over nil channel results"
		out = append(out, v)
	}
	return out
}

// select {} in a goroutine outside main.
func Block() {
	go func() {
		fmt.Println("started")
		select {} // want "select \\{\\} blocks forever"
	}()
}

// A select whose only case is on the nil channel blocks too.
func OnlyNil() int {
	var ch chan int
	select {
	case v := <-ch: // want "receive from nil channel ch"
		return v
	}
}

// Closing it panics.
func Shutdown() {
	var quit chan bool
	close(quit) // want "close of nil channel quit panics"
}

// The package-level channel of shutdown.go, received from in another file of the package.
func Serve() {
	<-shutdown // want "receive from nil channel shutdown blocks forever: it is declared at .*shutdown.go:4"
}
