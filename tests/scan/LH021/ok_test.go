package lh021

import (
	"context"
	"testing"
)

// Test files are not checked.
func helper(ctx context.Context, t *testing.T) {
	if err := (Store{}).Save(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
}

func TestHelper(t *testing.T) { helper(context.Background(), t) }
