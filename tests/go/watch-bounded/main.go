// Command watch-bounded is a busy service whose goroutines rise and fall but stay bounded: the case `leakhound
// watch` must not alert on.
//
// How it does not leak: every request to /work fans out to eight workers that each finish within 20 ms, and the
// handler waits for all of them before it answers. A background batcher starts 40 goroutines that wait for a flush
// signal, flushes them 300 ms later, and does it again every 600 ms: a sawtooth of parked goroutines that always
// drains. Nothing outlives its request or its batch.
//
// Usage: watch-bounded. Serves /work and net/http/pprof on 127.0.0.1 and prints "READY http://127.0.0.1:PORT".
package main

import (
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"sync"
	"time"
)

//go:noinline
func work(i int, wg *sync.WaitGroup) {
	defer wg.Done()
	select {
	case <-time.After(time.Duration(5+i*2) * time.Millisecond):
	}
}

func handleWork(w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go work(i, &wg)
	}
	wg.Wait()
	fmt.Fprintln(w, "done")
}

// waitFlush parks until its batch is flushed.
//
//go:noinline
func waitFlush(flush chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	<-flush
}

func batcher() {
	for {
		flush := make(chan struct{})
		var wg sync.WaitGroup
		for i := 0; i < 40; i++ {
			wg.Add(1)
			go waitFlush(flush, &wg)
		}
		time.Sleep(300 * time.Millisecond)
		close(flush)
		wg.Wait()
		time.Sleep(300 * time.Millisecond)
	}
}

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("/work", handleWork)
	go batcher()
	fmt.Printf("READY http://%s\n", ln.Addr())
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.Serve(ln))
}
