package flaky

import "testing"

func TestLookupOnce(t *testing.T) {
	Lookup()
}
