// A goroutine started from func main lives as long as the program: not reported.
package main

import (
	"fmt"
	"time"
)

func main() {
	tick := time.NewTicker(time.Second)
	go func() {
		for {
			select {
			case t := <-tick.C:
				fmt.Println(t)
			}
		}
	}()
	time.Sleep(time.Millisecond)
}
