// Negative cases for LH021.
package lh021

import (
	"context"
	"net/http"
	"time"
)

func Uses(ctx context.Context, s Store) error { return s.Save(ctx, nil) }

// No context in scope.
func NoContextBackground(s Store) error { return s.Save(context.Background(), nil) }

// Tricky: deliberately detached with WithoutCancel.
func Detach(ctx context.Context, s Store) {
	_ = s.Save(context.WithoutCancel(ctx), nil)
	_ = s.Save(context.Background(), nil)
}

// Tricky: Background() as the parent of a bounded shutdown context, after the ctx is over.
func Run(ctx context.Context, srv *http.Server) error {
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

// Tricky: cleanup after ctx is done, and the nil-ctx guard.
func Cleanup(ctx context.Context, srv *http.Server, s Store) error {
	if ctx == nil {
		ctx = context.Background()
	}
	defer func() { _ = s.Save(context.Background(), []byte("bye")) }()
	if err := ctx.Err(); err != nil {
		return srv.Shutdown(context.Background())
	}
	return nil
}

// Tricky: a goroutine detaches on purpose.
func Spawn(ctx context.Context, s Store) {
	go func() { _ = s.Save(context.Background(), nil) }()
}

// Tricky: the parameter is `_`: ignored on purpose (interface conformance).
func Ignore(_ context.Context, s Store) error { return s.Save(context.Background(), nil) }

func init() { _ = context.Background() }

// Tricky: an outgoing request the function prepares (not a request it serves): its context is the caller's business;
// the function has no context of its own to pass on.
func Prepare(req *http.Request, s Store) error {
	req.Header.Set("X-Trace", "1")
	return s.Save(context.Background(), nil)
}

// Tricky: a context cancelled by hand, detached from the caller on purpose.
func Detached(ctx context.Context, s Store) error {
	bg, cancel := context.WithCancel(context.Background())
	defer cancel()
	return s.Save(bg, nil)
}

// Tricky: error-path rollback must not be cut short with the request that failed.
func Commit(ctx context.Context, s Store) error {
	if err := s.Save(ctx, []byte("tx")); err != nil {
		_ = s.Save(context.Background(), []byte("rollback"))
		return err
	}
	return nil
}
