// A handler that makes a JWKS cache per request with a background context: jwk.NewCache starts the cache's refresh
// goroutines, which end only when that context does, so every request leaves them behind. The project's rewrite
// (.leakhound.yaml) hands the cache the request's context instead.
package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwk"
)

func keys(w http.ResponseWriter, r *http.Request) {
	cache := jwk.NewCache(context.Background())
	if cache.IsRegistered("https://127.0.0.1/jwks.json") {
		w.WriteHeader(http.StatusConflict)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func main() {
	srv := httptest.NewServer(http.HandlerFunc(keys))
	client := srv.Client()
	for i := 0; i < 20; i++ {
		resp, err := client.Get(srv.URL)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
	}
	client.CloseIdleConnections()
	srv.Close()
	time.Sleep(300 * time.Millisecond) // let goroutines that can end, end
	fmt.Printf("GOROUTINES %d\n", runtime.NumGoroutine())
}
