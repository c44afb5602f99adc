// Command jwk_caches leaks the background goroutines of a real library: github.com/lestrrat-go/jwx/v3's jwk.Cache,
// which runs httprc/v3 workers (5 per cache) and a controller until the context given to jwk.NewCache is cancelled.
//
// How it leaks: verifyRequest, one call per incoming request, makes its own cache with context.Background() and
// never cancels it: every call leaves six goroutines behind, parked in httprc's worker.Run and (*ctrlBackend).loop.
// -fixed makes one cache for the process (the library's intended use) and reuses it.
//
// Usage: jwk_caches [-n 5] [-fixed] [-every 0]. Serves a JWKS document and net/http/pprof on 127.0.0.1, runs -n
// requests, prints "READY http://127.0.0.1:PORT" and serves until killed; with -every D, one more request every D
// (a leak that keeps growing, for `leakhound watch`).
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

	"github.com/lestrrat-go/httprc/v3"
	"github.com/lestrrat-go/jwx/v3/jwk"
)

const jwks = `{"keys":[{"kty":"oct","kid":"k1","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0"}]}`

var (
	shared     *jwk.Cache
	sharedOnce sync.Once
)

// verifyRequest looks the signing keys up as a handler would. The bug: a cache per call, never stopped.
//
//go:noinline
func verifyRequest(jwksURL string, fixed bool) error {
	ctx := context.Background()
	var cache *jwk.Cache
	if fixed {
		var err error
		sharedOnce.Do(func() {
			shared, err = jwk.NewCache(ctx, httprc.NewClient())
			if err == nil {
				err = shared.Register(ctx, jwksURL)
			}
		})
		if err != nil {
			return err
		}
		cache = shared
	} else {
		c, err := jwk.NewCache(ctx, httprc.NewClient())
		if err != nil {
			return err
		}
		if err := c.Register(ctx, jwksURL); err != nil {
			return err
		}
		cache = c
	}
	set, err := cache.Lookup(ctx, jwksURL)
	if err != nil {
		return err
	}
	if set.Len() != 1 {
		return fmt.Errorf("want 1 key, got %d", set.Len())
	}
	return nil
}

func main() {
	n := flag.Int("n", 5, "requests to run before READY")
	fixed := flag.Bool("fixed", false, "share one cache (the fix)")
	every := flag.Duration("every", 0, "after READY, run one more request this often (0: never)")
	flag.Parse()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("/jwks.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, jwks)
	})
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	base := "http://" + ln.Addr().String()
	jwksURL := base + "/jwks.json"

	for i := 0; i < *n; i++ {
		if err := verifyRequest(jwksURL, *fixed); err != nil {
			log.Fatal(err)
		}
	}
	time.Sleep(300 * time.Millisecond) // the workers park
	fmt.Printf("READY %s\n", base)
	fmt.Fprintf(os.Stderr, "jwk_caches: %d requests, fixed=%v\n", *n, *fixed)
	if *every > 0 {
		go func() {
			for range time.Tick(*every) {
				if err := verifyRequest(jwksURL, *fixed); err != nil {
					log.Print(err)
				}
			}
		}()
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
}
