// Command verdict_classes reproduces, one -mode at a time, the classes of leaks that one snapshot must not call
// healthy, each with a -fixed twin that does not leak:
//
//	handler  HTTP handlers that block on a channel nobody sends on (`<-never`): each request the program sends
//	         itself (with a client timeout, so the client gives up) leaves its handler goroutine parked in
//	         main.stuckHandler under net/http's conn.serve. Fixed: the handler also selects on r.Context().Done(),
//	         which the server cancels when the client goes away.
//	stopper  a job started per request runs -n consumers that range over a channel; its Stop() never closes the
//	         channel, and the job's goroutine returns: the consumers stay parked in main.(*pipeline).consume and the
//	         goroutine that created them is gone. Fixed: Stop() closes the channel.
//	slowloris -n clients connect and send half a request header, then nothing: with no ReadHeaderTimeout the server's
//	         connection goroutines wait in conn.serve -> readRequest, reading a request, not idle between requests.
//	         Fixed: ReadHeaderTimeout drops them.
//	proof    three goroutines parked in main.waitOn: two on a package-level channel (reachable: not provably
//	         leaked) and one on a channel only it can reach (the runtime's leak detector proves it leaked, when the
//	         program is built with GOEXPERIMENT=goroutineleakprofile). Fixed: nothing is started.
//
// Usage: verdict_classes -mode handler|stopper|slowloris|proof [-n 20] [-fixed] [-every D]. Prints
// "READY http://127.0.0.1:PORT" once the goroutines of the mode are parked (net/http/pprof is served there) and serves
// until killed; with -every D (handler, stopper) one more request, or job, runs every D: a leak that keeps growing,
// for `leakhound watch`.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"leakhound.test/cases/internal/parked"
)

var never = make(chan struct{})

// stuckHandler is where the leaked handler goroutines block.
//
//go:noinline
func stuckHandler(w http.ResponseWriter, r *http.Request) {
	<-never
	io.WriteString(w, "done\n")
}

// patientHandler is the fixed twin: the request's context ends the wait when the client goes away.
//
//go:noinline
func patientHandler(w http.ResponseWriter, r *http.Request) {
	select {
	case <-never:
		io.WriteString(w, "done\n")
	case <-r.Context().Done():
	}
}

type pipeline struct {
	items chan int
	wg    sync.WaitGroup
	fixed bool
}

// consume is where the leaked consumers block: the range ends only when items is closed.
//
//go:noinline
func (p *pipeline) consume() {
	defer p.wg.Done()
	for it := range p.items {
		_ = it * 2
	}
}

// Stop is the bug: it forgets close(p.items) unless fixed.
func (p *pipeline) Stop() {
	if p.fixed {
		close(p.items)
		p.wg.Wait()
	}
}

// runJob is one request's worth of work: it starts the consumers, feeds them and stops the pipeline, then returns.
//
//go:noinline
func runJob(n int, fixed bool) {
	p := &pipeline{items: make(chan int), fixed: fixed}
	for i := 0; i < n; i++ {
		p.wg.Add(1)
		go p.consume()
	}
	for i := 0; i < 3*n; i++ {
		p.items <- i
	}
	p.Stop()
}

var shared = make(chan int)

// waitOn is where the proof mode's goroutines block.
//
//go:noinline
func waitOn(c chan int) {
	<-c
}

func main() {
	mode := flag.String("mode", "", "handler, stopper or proof")
	n := flag.Int("n", 20, "goroutines to leave parked")
	fixed := flag.Bool("fixed", false, "run the fixed twin")
	every := flag.Duration("every", 0, "after READY, one more request (handler) or job (stopper) this often")
	flag.Parse()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	mux := http.DefaultServeMux
	if *fixed {
		mux.HandleFunc("/work", patientHandler)
	} else {
		mux.HandleFunc("/work", stuckHandler)
	}
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second}
	if *mode == "slowloris" {
		srv.ReadHeaderTimeout = 0 // the bug
		if *fixed {
			srv.ReadHeaderTimeout = 100 * time.Millisecond
		}
	}
	go srv.Serve(ln)
	base := "http://" + ln.Addr().String()

	request := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", base+"/work", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}
	switch *mode {
	case "handler":
		var wg sync.WaitGroup
		for i := 0; i < *n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				request()
			}()
		}
		wg.Wait()
		http.DefaultClient.CloseIdleConnections()
		if !*fixed {
			parked.Wait("verdict_classes", "main.stuckHandler", "chan receive", *n)
		}
	case "stopper":
		done := make(chan struct{})
		go func() { // one request's goroutine: it runs the job and returns
			runJob(*n, *fixed)
			close(done)
		}()
		<-done
		if !*fixed {
			parked.Wait("verdict_classes", "main.(*pipeline).consume", "chan receive", *n)
		}
	case "slowloris":
		for i := 0; i < *n; i++ {
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				log.Fatal(err)
			}
			fmt.Fprintf(c, "GET /work HTTP/1.1\r\nHost: x\r\nX-Slow: ")
			defer c.Close()
		}
		if !*fixed {
			parked.Wait("verdict_classes", "net/http.(*conn).readRequest", "IO wait", *n)
		} else {
			time.Sleep(500 * time.Millisecond)
		}
	case "proof":
		if !*fixed {
			go waitOn(shared)
			go waitOn(shared)
			go waitOn(make(chan int))
			parked.Wait("verdict_classes", "main.waitOn", "chan receive", 3)
		}
	default:
		log.Fatalf("unknown -mode %q", *mode)
	}
	time.Sleep(200 * time.Millisecond) // let the fixed twins' goroutines finish returning
	fmt.Printf("READY %s\n", base)
	if *every > 0 && (*mode == "handler" || *mode == "stopper") {
		go func() {
			for range time.Tick(*every) {
				if *mode == "handler" {
					go request()
				} else {
					go runJob(2, *fixed) // one job's goroutine, gone once the job returns
				}
			}
		}()
	}
	fmt.Fprintf(os.Stderr, "verdict_classes: mode %s fixed=%v\n", *mode, *fixed)
	// Wait for the signal that stops the program: a channel the signal package reaches (a `select {}` here would
	// itself be a leak the runtime proves).
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
}
