package lh020

import (
	"context"
	"net/http"
	"os/exec"
	"reflect"
	"time"
)

// A list metavariable takes any number of arguments, a variadic one too.
func Run(ctx context.Context, name string, args ...string) error {
	return exec.Command(name, args...).Run() // want "a command that outlives its caller's context \\(rewrite 'command-with-context'\\)"
}

func List(ctx context.Context) ([]byte, error) {
	return exec.Command("ls").Output() // want "rewrite 'command-with-context'"
}

// No context in scope: reported, without a fix.
func Version() ([]byte, error) {
	return exec.Command("go", "version").Output() // want "no context in scope here for \\$ctx, so no fix is offered"
}

// Spread over lines, with a comment inside: matched on the syntax tree.
func Build(ctx context.Context, pkg string) error {
	cmd := exec.Command( // want "rewrite 'command-with-context'"
		"go", "build", // the package
		pkg,
	)
	return cmd.Run()
}

// The request's context in a handler.
func Handle(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second) // want "rewrite 'timeout-from-caller'"
	defer cancel()
	<-ctx.Done()
}

// A repeated metavariable matches the same expression twice, spaces aside.
func Same(a []int) bool {
	return reflect.DeepEqual(a[0:1], a[0:1]) // want "matches rewrite 'same-value'"
}

// A statement pattern.
func Publish(ctx context.Context, ch chan<- int) {
	go func() { ch <- 1 }() // want "rewrite 'send-or-give-up'"
}

func Poll(ctx context.Context) {
	tick := time.NewTicker(time.Second) // want "rewrite 'ticker-stop'"
	select {
	case <-tick.C:
	case <-ctx.Done():
	}
}

// Nested in other code, the match is still found once.
func Nested(ctx context.Context) error {
	if err := exec.Command("true").Run(); err != nil { // want "rewrite 'command-with-context'"
		return err
	}
	return nil
}
