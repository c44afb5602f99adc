// Positive cases for LH013: a package-level channel that no file of the package ever makes.
package lh013

var shutdown chan struct{}

// Stop is meant to wake Serve, but shutdown was never made: closing a nil channel panics.
func Stop() {
	close(shutdown) // want "close of nil channel shutdown panics: it is declared at line 4 but never made; use shutdown = make\\(chan struct\\{\\}\\) before it is used"
}
