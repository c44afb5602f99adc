// Negative cases for LH023: every Wait checks its condition (in a loop, or under an if with the lock held).
package lh023

import "sync"

type Latch struct {
	mu   sync.Mutex
	cond *sync.Cond
	done bool
}

func (l *Latch) Wait() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for !l.done {
		l.cond.Wait()
	}
}

func (l *Latch) Open() {
	l.mu.Lock()
	l.done = true
	l.mu.Unlock()
	l.cond.Broadcast()
}

// Tricky: the loop is a for with its condition checked inside.
func (q *Queue) GetLoop() int {
	q.cond.L.Lock()
	defer q.cond.L.Unlock()
	for {
		if len(q.items) > 0 {
			break
		}
		q.cond.Wait()
	}
	it := q.items[0]
	q.items = q.items[1:]
	return it
}

// Tricky: checked once under the lock: a Put that came first left an item, so Get does not wait; the wakeup cannot
// be lost (only a Broadcast's extra wakeup finds nothing, which the caller handles).
func (q *Queue) TryGet() (int, bool) {
	q.cond.L.Lock()
	defer q.cond.L.Unlock()
	if len(q.items) == 0 {
		q.cond.Wait()
	}
	if len(q.items) == 0 {
		return 0, false
	}
	it := q.items[0]
	q.items = q.items[1:]
	return it, true
}

// Tricky: the loop's local is updated in the loop after each wakeup.
func (w *FileWatcher) RemoveWhenGone(stat func() bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	exists := stat()
	for exists {
		w.cv.Wait()
		exists = stat()
	}
}

// Tricky: a constant condition, but the loop breaks out after a check.
func (w *FileWatcher) RemoveOnce(stat func() bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	waiting := true
	for waiting {
		w.cv.Wait()
		if !stat() {
			break
		}
	}
}
