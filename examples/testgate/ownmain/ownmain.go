// Package ownmain has its own TestMain with a shared server stopped in teardown; one function polls without a way
// out.
package ownmain

import "context"

// Server is a shared background loop the tests start once and stop in teardown.
type Server struct{ stop chan struct{} }

func NewServer() *Server {
	s := &Server{stop: make(chan struct{})}
	go s.loop()
	return s
}

func (s *Server) loop() {
	<-s.stop
}

func (s *Server) Close() { close(s.stop) }

// Poll sends ticks on out until ctx is done; it looks at ctx only between sends, so once the reader leaves it
// blocks in the send for good.
func Poll(ctx context.Context, out chan<- int) {
	for i := 0; ; i++ {
		if ctx.Err() != nil {
			return
		}
		out <- i // no ctx.Done() here
	}
}
