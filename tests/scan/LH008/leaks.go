// Positive cases for LH008 handler-goroutine-no-deadline: each goroutine can outlive its request with nothing to
// bound it.
package lh008

import (
	"context"
	"net"
	"net/http"
	"time"
)

type Server struct {
	audit  string
	events chan string
}

func save(ctx context.Context, v string) error { return ctx.Err() }

// context.Background() in the goroutine: nothing cancels it, no deadline.
func (s *Server) Upload(w http.ResponseWriter, r *http.Request) {
	go func() { // want "uses context.Background\\(\\)"
		_ = save(context.Background(), r.URL.Path)
	}()
	w.WriteHeader(http.StatusAccepted)
}

// Passed as an argument of a named function.
func Notify(w http.ResponseWriter, r *http.Request) {
	go save(context.TODO(), r.URL.Path) // want "uses context.TODO\\(\\)"
}

// Through a variable of the handler.
func Detached(w http.ResponseWriter, r *http.Request) {
	bg := context.Background()
	go func() { // want "uses bg"
		_ = save(bg, "x")
	}()
}

// No context at all, and an HTTP request that can hang forever.
func (s *Server) Audit(w http.ResponseWriter, r *http.Request) {
	go func() { // want "no context and calls http.Post"
		resp, err := http.Post(s.audit, "text/plain", nil)
		if err == nil {
			resp.Body.Close()
		}
	}()
}

// A func literal converted with http.HandlerFunc: blocks on a channel the handler did not make.
func (s *Server) Routes(mux *http.ServeMux) {
	mux.Handle("/event", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		go func() { s.events <- r.URL.Path }() // want "sends on s.events"
	}))
}

// Middleware: the inner literal is a handler.
func Logging(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		go func() { // want "no context and calls net.Dial"
			c, err := net.Dial("tcp", "log:514")
			if err == nil {
				c.Close()
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Followed one level into a function of the package.
func (s *Server) Poll(w http.ResponseWriter, r *http.Request) {
	go s.poll() // want "sleeps in a loop with no way out \\(in poll"
}

func (s *Server) poll() {
	for {
		time.Sleep(time.Second)
		s.events <- "tick"
	}
}
