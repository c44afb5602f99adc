// Package app serves the cached table over HTTP.
//
// The bug (the "ctxcache" shape): the handler builds a cache per request with context.Background(). Each request
// starts a refresh goroutine that only ctx.Done() ends, and a background context is never done: every request leaks
// one goroutine (and its ticker, and the table it keeps reloading) for the life of the process.
package app

import (
	"context"
	"net/http"
	"time"

	"leakhound.test/scan/shapes/ctxcache/buggy"
)

// Handler answers GET /flag?key=K with the value of K.
type Handler struct {
	Load ctxcache.Loader
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	cache := ctxcache.NewCache(context.Background(), h.Load, time.Minute) // want "NewCache.*goroutine.*context\\.Background\\(\\)"
	v, ok := cache.Get(r.URL.Query().Get("key"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	_, _ = w.Write([]byte(v))
}
