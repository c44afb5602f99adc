// Negative cases for LH012 (exec.Command). context.Background() is LH021's (tests/scan/LH021).
package lh012

import (
	"context"
	"net/http"
	"os/exec"
)

func Uses(ctx context.Context, s Store) error {
	if err := exec.CommandContext(ctx, "git", "fetch").Run(); err != nil {
		return err
	}
	return s.Save(ctx, nil)
}

// No context in scope.
func NoContext() error { return exec.Command("true").Run() }

// Tricky: deliberately detached with WithoutCancel.
func Detach(ctx context.Context) error {
	_ = context.WithoutCancel(ctx)
	return exec.Command("sync").Run()
}

// Tricky: a goroutine detaches on purpose.
func Spawn(ctx context.Context) {
	go func() { _ = exec.Command("cleanup").Run() }()
}

// Tricky: the parameter is `_`: ignored on purpose (interface conformance).
func Ignore(_ context.Context) error { return exec.Command("true").Run() }

// Tricky: an outgoing request the function prepares (not a request it serves).
func Prepare(req *http.Request) error {
	req.Header.Set("X-Trace", "1")
	return exec.Command("true").Run()
}
