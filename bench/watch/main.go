// Command watch-replay serves many pprof-like endpoints on loopback for the `leakhound watch` benchmark.
//
// It first becomes a real service with -goroutines parked goroutines spread over -shapes different stacks (channel
// receives and sends, selects, mutexes, WaitGroups, condition variables, sleeps and pipe reads, at call depths from
// 2 to 12, in Zipf-like bucket sizes), and takes its own goroutine profiles at debug=0 and debug=1 — the bodies `watch` scrapes —
// plus smaller ones at 1/5 and 3/5 of the goroutines for -mix. Then it listens on -targets loopback ports, each
// replaying one of those real profiles at /debug/pprof/goroutine?debug=0 and =1 (and the full traceback at ?debug=2, and a
// mutex profile header with a per-endpoint cycles/second fingerprint), and writes the base URLs, one a line, to
// -urls. It prints "READY" and serves until killed.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"math"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"time"
)

var (
	mu   sync.Mutex
	cond = sync.NewCond(&sync.Mutex{})
	wg   sync.WaitGroup
	// Nobody sends on recvOnly and nobody receives from sendOnly, so no two parked goroutines ever pair up.
	recvOnly = make(chan int)
	sendOnly = make(chan int)
)

// Blocking ops, one per shape kind.
//
//go:noinline
func block(kind int, ready *sync.WaitGroup, pr *os.File) {
	ready.Done()
	switch kind % 8 {
	case 0:
		<-recvOnly
	case 1:
		sendOnly <- 1
	case 2:
		select {
		case <-recvOnly:
		case sendOnly <- 2:
		}
	case 3:
		mu.Lock()
	case 4:
		wg.Wait()
	case 5:
		cond.L.Lock()
		cond.Wait()
	case 6:
		time.Sleep(24 * time.Hour)
	case 7:
		buf := make([]byte, 1)
		pr.Read(buf)
	}
}

//go:noinline
func stepA(depth, kind int, ready *sync.WaitGroup, pr *os.File) {
	if depth == 0 {
		block(kind, ready, pr)
		return
	}
	if depth%2 == 0 {
		stepB(depth-1, kind, ready, pr)
	} else {
		stepC(depth-1, kind, ready, pr)
	}
}

//go:noinline
func stepB(depth, kind int, ready *sync.WaitGroup, pr *os.File) { stepA(depth, kind, ready, pr) }

//go:noinline
func stepC(depth, kind int, ready *sync.WaitGroup, pr *os.File) {
	if depth > 3 {
		stepB(depth-1, kind, ready, pr)
		return
	}
	stepA(depth, kind, ready, pr)
}

func profile(debug int) []byte {
	var b bytes.Buffer
	pprof.Lookup("goroutine").WriteTo(&b, debug)
	return b.Bytes()
}

// spawn parks n goroutines over `shapes` stacks, Zipf-like sizes.
func spawn(n, shapes int, pr *os.File) {
	weights := make([]float64, shapes)
	sum := 0.0
	for i := range weights {
		weights[i] = 1 / math.Pow(float64(i+1), 0.8)
		sum += weights[i]
	}
	var ready sync.WaitGroup
	left := n
	for s := 0; s < shapes && left > 0; s++ {
		k := int(math.Round(float64(n) * weights[s] / sum))
		if s == shapes-1 || k > left {
			k = left
		}
		if k == 0 {
			k = 1
		}
		for i := 0; i < k; i++ {
			ready.Add(1)
			go stepA(2+s%11, s, &ready, pr)
		}
		left -= k
	}
	ready.Wait()
	time.Sleep(200 * time.Millisecond) // let them all park
}

func main() {
	goroutines := flag.Int("goroutines", 5000, "goroutines in the profile every endpoint replays")
	shapes := flag.Int("shapes", 60, "distinct stacks")
	targets := flag.Int("targets", 200, "endpoints (loopback ports)")
	mix := flag.Bool("mix", false, "replay profiles of 1/5, 3/5 and all of -goroutines in turn across endpoints")
	urls := flag.String("urls", "urls.txt", "file to write the base URLs to")
	flag.Parse()

	mu.Lock()
	wg.Add(1)
	pr, pw, err := os.Pipe()
	if err != nil {
		log.Fatal(err)
	}
	defer pw.Close()
	// Profiles of increasing size from the same process: spawn in three steps.
	var debug0, debug1, debug2 [][]byte
	done := 0
	for _, share := range []int{1, 3, 5} {
		want := *goroutines * share / 5
		spawn(want-done, *shapes, pr)
		done = want
		debug0 = append(debug0, profile(0))
		debug1 = append(debug1, profile(1))
		debug2 = append(debug2, profile(2))
	}
	fmt.Fprintf(os.Stderr, "replay: %d goroutines live; debug=0 bodies %d/%d/%d bytes; debug=1 %d/%d/%d; debug=2 %d\n",
		runtime.NumGoroutine(), len(debug0[0]), len(debug0[1]), len(debug0[2]), len(debug1[0]), len(debug1[1]),
		len(debug1[2]), len(debug2[2]))

	var list strings.Builder
	for i := 0; i < *targets; i++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			log.Fatal(err)
		}
		which := 2
		if *mix {
			which = i % 3
		}
		body0, body1, body2 := debug0[which], debug1[which], debug2[which]
		fingerprint := fmt.Sprintf("--- mutex:\ncycles/second=%d\nsampling period=0\n", 2445400000+i)
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/goroutine", func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Query().Get("debug") {
			case "", "0":
				w.Header().Set("Content-Type", "application/octet-stream")
				w.Write(body0)
			case "2":
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.Write(body2)
			default:
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.Write(body1)
			}
		})
		mux.HandleFunc("/debug/pprof/mutex", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(fingerprint))
		})
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln)
		fmt.Fprintf(&list, "http://%s\n", ln.Addr())
	}
	if err := os.WriteFile(*urls, []byte(list.String()), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Println("READY")
	select {}
}
