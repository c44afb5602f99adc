// Package app serves the cached table over HTTP.
//
// The fixed twin of ../../buggy/app: the cache is made once, when the server is built, with a context that Close
// cancels; requests only read it. One refresh goroutine for the server's life, ended on shutdown.
package app

import (
	"context"
	"net/http"
	"time"

	"leakhound.test/scan/shapes/ctxcache/fixed"
)

// Server answers GET /flag?key=K with the value of K.
type Server struct {
	cache  *ctxcache.Cache
	cancel context.CancelFunc
}

// NewServer loads the table and starts its refresh; call Close on shutdown.
func NewServer(load ctxcache.Loader) *Server {
	ctx, cancel := context.WithCancel(context.Background())
	return &Server{cache: ctxcache.NewCache(ctx, load, time.Minute), cancel: cancel}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v, ok := s.cache.Get(r.URL.Query().Get("key"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	_, _ = w.Write([]byte(v))
}

// Close stops the cache's refresh goroutine.
func (s *Server) Close() { s.cancel() }
