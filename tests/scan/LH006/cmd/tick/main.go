// time.Tick in func main (and its goroutines) is fine: main lives as long as the program.
package main

import (
	"fmt"
	"time"
)

func main() {
	go func() {
		for range time.Tick(time.Second) {
			fmt.Println("tick")
		}
	}()
	for now := range time.Tick(time.Second) {
		fmt.Println(now)
	}
}
