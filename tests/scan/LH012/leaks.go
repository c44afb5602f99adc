// Positive cases for LH012 context-ignored: a context is at hand and the work ignores it.
package lh012

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
	out, err := exec.Command("git", "fetch").Output() // want "exec.Command although context ctx .*exec.CommandContext\\(ctx"
	if err != nil {
		return err
	}
	return s.Save(context.Background(), out)
}

// A request in scope: use r.Context().
func Handle(w http.ResponseWriter, r *http.Request) {
	_ = exec.Command("convert", "in.png", "out.jpg").Run() // want "exec.CommandContext\\(r.Context\\(\\)"
	_ = Store{}.Save(context.TODO(), nil)
}

// A local context.
func Timed() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_ = ctx
	return exec.Command("sleep", "1").Run() // want "exec.Command although context ctx"
}

// Inside a callback literal the caller's ctx is still in scope.
func Each(ctx context.Context, items []string, s Store) {
	forEach(items, func(it string) {
		_ = s.Save(context.Background(), []byte(it))
	})
}

func forEach(items []string, f func(string)) {
	for _, it := range items {
		f(it)
	}
}

// A method with a context: the command is not killed when it ends.
func (s Store) Sync(ctx context.Context, dir string) error {
	return exec.Command("rsync", "-a", dir, "backup:").Run() // want "exec.Command although context ctx .*exec.CommandContext\\(ctx"
}
