// Package slow answers slowly but surely: a test that waits for it longer than -timeout allows times out while the
// answer is still asleep on its way. Slow, not stuck.
package slow

import "time"

func Answer(delay time.Duration) <-chan int {
	ch := make(chan int)
	go answer(delay, ch)
	return ch
}

func answer(delay time.Duration, ch chan<- int) {
	time.Sleep(delay)
	ch <- 42
}
