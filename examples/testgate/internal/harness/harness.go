// Package harness is a shared TestMain that exits itself, as large projects have.
package harness

import (
	"os"
	"testing"
)

func Main(m *testing.M) {
	os.Exit(m.Run())
}
