// Command gostackparse-count parses a goroutine dump with github.com/DataDog/gostackparse and prints the number of
// goroutines it found (parse only: no aggregation, no output of the stacks). It is the "fast Go parser" baseline of
// bench/run.sh.
//
//	gostackparse-count FILE
package main

import (
	"bufio"
	"fmt"
	"os"

	"github.com/DataDog/gostackparse"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gostackparse-count FILE")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer f.Close()
	goroutines, errs := gostackparse.Parse(bufio.NewReaderSize(f, 1<<20))
	frames := 0
	for _, g := range goroutines {
		frames += len(g.Stack)
	}
	fmt.Printf("goroutines=%d frames=%d errors=%d\n", len(goroutines), frames, len(errs))
	for i, e := range errs {
		if i == 3 {
			break
		}
		fmt.Fprintln(os.Stderr, "gostackparse:", e)
	}
}
