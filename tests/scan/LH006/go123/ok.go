// With go 1.23 in go.mod the GC collects unreferenced unstopped timers: LH006 reports nothing (unless the project
// file sets its severity).
package go123

import "time"

func Poll(done <-chan struct{}) {
	t := time.NewTicker(time.Second)
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
	}
}
