// Command mutex_never_unlocked leaks goroutines blocked on a mutex that an error path left locked.
//
// How it leaks: tokenCache.refresh locks c.mu and returns early when fetching the token fails, without unlocking
// (no defer). The mutex stays locked for good, and every later reader blocks in c.mu.Lock(): each lookup goroutine
// stays parked in [sync.Mutex.Lock] inside main.(*tokenCache).get, created by main.main. The fix is
// `defer c.mu.Unlock()` right after Lock.
//
// Usage: mutex_never_unlocked [-n 200]. Makes one refresh fail, starts -n lookups, waits until they are all parked,
// prints "READY http://127.0.0.1:PORT" (net/http/pprof is served there) and serves until killed.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"strings"
	"sync"
	"time"

	"leakhound.test/cases/internal/parked"
)

type tokenCache struct {
	mu     sync.Mutex
	tokens map[string]string
}

var errUpstream = errors.New("token endpoint unavailable")

func fetchToken(key string) (string, error) {
	if strings.HasPrefix(key, "broken-") {
		return "", errUpstream
	}
	return "tok-" + key, nil
}

// refresh has the bug: the error return leaves c.mu locked.
//
//go:noinline
func (c *tokenCache) refresh(key string) error {
	c.mu.Lock()
	tok, err := fetchToken(key)
	if err != nil {
		return fmt.Errorf("refresh %s: %w", key, err)
	}
	c.tokens[key] = tok
	c.mu.Unlock()
	return nil
}

// get is where the leaked goroutines block.
//
//go:noinline
func (c *tokenCache) get(key string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tokens[key]
}

func main() {
	n := flag.Int("n", 200, "number of leaked goroutines to create")
	flag.Parse()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}

	c := &tokenCache{tokens: make(map[string]string)}
	if err := c.refresh("service-a"); err != nil {
		log.Fatal(err)
	}
	if err := c.refresh("broken-b"); err != nil {
		fmt.Fprintf(os.Stderr, "mutex_never_unlocked: %v\n", err)
	}
	for i := 0; i < *n; i++ {
		go c.get("service-a")
	}
	parked.Wait("mutex_never_unlocked", "main.(*tokenCache).get", "sync.Mutex.Lock", *n)

	fmt.Printf("READY http://%s\n", ln.Addr())
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.Serve(ln))
}
