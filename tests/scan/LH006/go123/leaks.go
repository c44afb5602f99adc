// With go 1.23 in go.mod the GC collects unreferenced unstopped timers: LH006's findings are notes.
package go123

import "time"

func Poll(done <-chan struct{}) {
	t := time.NewTicker(time.Second) // want "never stopped.*note only: go.mod says go 1.23"
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
	}
}
