// Package parked lets a test program wait until its leaked goroutines are really parked, as the runtime's own
// traceback of all goroutines shows them, before it announces that it is ready to be dumped.
package parked

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

// Wait returns once at least n goroutines are parked in `state` with `fn` on their stack. It exits the process
// (naming `program`) if that does not happen within 30 seconds.
func Wait(program, fn, state string, n int) {
	deadline := time.Now().Add(30 * time.Second)
	buf := make([]byte, 1<<20)
	for {
		m := runtime.Stack(buf, true)
		if m == len(buf) {
			buf = make([]byte, 2*len(buf))
			continue
		}
		got := Count(string(buf[:m]), fn, state)
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			fmt.Fprintf(os.Stderr, "%s: only %d of %d goroutines parked in [%s] at %s (NumGoroutine=%d)\n",
				program, got, n, state, fn, runtime.NumGoroutine())
			os.Exit(1)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Count counts the goroutines of a traceback dump that are in `state` and have `fn` on their stack.
func Count(dump, fn, state string) int {
	count := 0
	for _, g := range strings.Split(dump, "\n\n") {
		header, body, _ := strings.Cut(g, "\n")
		if strings.Contains(header, "["+state) && strings.Contains("\n"+body, "\n"+fn+"(") {
			count++
		}
	}
	return count
}
