// Positive cases for LH021 background-context: a context is at hand and the work ignores it.
package lh021

import (
	"context"
	"net/http"
	"os/exec"
	"time"
)

type Store struct{}

func (Store) Save(ctx context.Context, b []byte) error { return ctx.Err() }

// exec.Command with a ctx parameter; Background() passed on.
func Refresh(ctx context.Context, s Store) error {
	out, err := exec.Command("git", "fetch").Output()
	if err != nil {
		return err
	}
	return s.Save(context.Background(), out) // want "context.Background\\(\\) although context ctx"
}

// A request in scope: use r.Context().
func Handle(w http.ResponseWriter, r *http.Request) {
	_ = exec.Command("convert", "in.png", "out.jpg").Run()
	_ = Store{}.Save(context.TODO(), nil) // want "context.TODO\\(\\) although request r .*pass r.Context\\(\\)"
}

// A local context.
func Timed() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_ = ctx
	return exec.Command("sleep", "1").Run()
}

// Inside a callback literal the caller's ctx is still in scope.
func Each(ctx context.Context, items []string, s Store) {
	forEach(items, func(it string) {
		_ = s.Save(context.Background(), []byte(it)) // want "although context ctx"
	})
}

func forEach(items []string, f func(string)) {
	for _, it := range items {
		f(it)
	}
}

// A method with a request: the request's context is the one to pass.
func (s Store) Serve(w http.ResponseWriter, r *http.Request) {
	_ = s.Save(context.Background(), nil) // want "context.Background\\(\\) although request r"
}

// The cancel is kept in a field that nothing calls: the context never ends.
type Conn struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func Dial(ctx context.Context) *Conn {
	c := &Conn{}
	c.ctx, c.cancel = context.WithCancel(context.Background()) // want "context.Background\\(\\) although context ctx"
	return c
}
