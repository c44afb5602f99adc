// Negative cases for LH008: every goroutine is bounded by a context with a deadline, or cannot block.
package lh008

import (
	"context"
	"log"
	"net/http"
	"time"
)

// The request context is cancelled when the handler returns: a deadline.
func WithRequestContext(w http.ResponseWriter, r *http.Request) {
	go func() { _ = save(r.Context(), "x") }()
}

// Tricky: Background() only as the parent of a timeout.
func WithTimeout(w http.ResponseWriter, r *http.Request) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = save(ctx, "x")
	}()
}

// Detached from the request but bounded: the recommended fix.
func WithoutCancel(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 5*time.Second)
	go func() {
		defer cancel()
		_ = save(ctx, "x")
	}()
}

// Tricky: no context, but nothing that can block (logging, computing).
func Fire(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	go func() { log.Printf("hit %s", path) }()
}

// Tricky: the channel is made (buffered) by the handler; the send cannot block.
func Buffered(w http.ResponseWriter, r *http.Request) {
	done := make(chan struct{}, 1)
	go func() { done <- struct{}{} }()
	select {
	case <-done:
	case <-r.Context().Done():
	}
}

// Tricky: the goroutine selects with a way out.
func (s *Server) Offer(w http.ResponseWriter, r *http.Request) {
	go func() {
		select {
		case s.events <- "x":
		default:
		}
	}()
}

// Not a handler: three parameters.
func NotHandler(w http.ResponseWriter, r *http.Request, s *Server) {
	go func() { s.events <- "x" }()
}

// Not a handler: Background in a goroutine of an ordinary function (LH012's business, if anything).
func Background() {
	go func() { _ = save(context.Background(), "x") }()
}
