package lh001

import (
	stdctx "context"
	. "time"
)

// Imports under other names are still recognised.
func Aliased(ctx stdctx.Context) int {
	ch := make(chan int)
	go func() {
		ch <- 1 // want "abandoned|other select case"
	}()
	select {
	case v := <-ch:
		return v
	case <-After(Second):
		return -1
	}
}
