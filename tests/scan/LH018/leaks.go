// Positive cases for LH018 wait-for-self: a goroutine counted by a WaitGroup waits on it before its own Done.
package lh018

import (
	"net"
	"sync"
	"time"
)

// A client connection: Close runs the shutdown in a counted goroutine that also waits for the group, deferred after
// its Done (deferred calls run last-in first-out: the Wait runs first and needs this goroutine's Done).
type Conn struct {
	wg sync.WaitGroup
	nc net.Conn
}

func (c *Conn) Close() {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer c.wg.Wait() // want "Conn.Close.func waits on c.wg before its own Done \\(line 20\\) runs"
		_ = c.nc.Close()
	}()
}

// A batch uploader: the flusher goroutine is counted and waits for all uploads (itself included) before it marks
// itself done.
type Uploader struct {
	wg      sync.WaitGroup
	pending [][]byte
	put     func([]byte) error
}

func (u *Uploader) Flush() {
	for _, p := range u.pending {
		u.wg.Add(1)
		go func() {
			defer u.wg.Done()
			_ = u.put(p)
		}()
	}
	u.wg.Add(1)
	go func() {
		u.wg.Wait() // want "Uploader.Flush.func waits on u.wg before its own Done \\(line 46\\) runs"
		u.pending = nil
		u.wg.Done()
	}()
}

// A supervisor: run is started with `go` and counted; it waits for the group (its workers and itself) and defers its
// own Done, which only runs after the Wait.
type Supervisor struct {
	wg      sync.WaitGroup
	workers []func()
}

func (s *Supervisor) Start() {
	s.wg.Add(1)
	go s.run()
}

func (s *Supervisor) run() {
	defer s.wg.Done()
	for _, w := range s.workers {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			w()
		}()
	}
	s.wg.Wait() // want "Supervisor.run waits on s.wg before its own Done \\(line 63\\) runs"
}

// A package-level group for background jobs: the reaper is one of them and waits for all of them first.
var background sync.WaitGroup

func StartReaper(interval time.Duration, reap func()) {
	background.Add(1)
	go func() {
		defer background.Done()
		time.Sleep(interval)
		reap()
		background.Wait() // want "StartReaper.func waits on background before its own Done"
	}()
}

// A fan-out with a local WaitGroup: the collector goroutine is counted too and waits for the group before its
// deferred Done.
func Gather(sources []func() []string) []string {
	var wg sync.WaitGroup
	results := make(chan []string, len(sources))
	var all []string
	for _, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- src()
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		wg.Wait() // want "Gather.func waits on the local variable before its own Done"
		close(results)
	}()
	for r := range results {
		all = append(all, r...)
	}
	return all
}

// A pub/sub subscriber: its Done is in a deferred closure (with recover), its Wait deferred after it.
type Subscriber struct {
	wg      sync.WaitGroup
	msgs    chan string
	handler func(string)
}

func (s *Subscriber) Run() {
	s.wg.Add(1)
	go func() {
		defer func() {
			recover()
			s.wg.Done()
		}()
		defer s.wg.Wait() // want "Subscriber.Run.func waits on s.wg before its own Done"
		for m := range s.msgs {
			s.handler(m)
		}
	}()
}
