// Package leakcheck reports the goroutines a package's tests leave running, for `leakhound test`.
//
// `leakhound test` needs no change to a package: it adds a TestMain to packages that have none, and rewrites the
// os.Exit calls of a TestMain that calls m.Run itself. A TestMain that hands m to other code (a shared test harness)
// needs one line instead:
//
//	func TestMain(m *testing.M) {
//		os.Exit(leakcheck.Run(m))   // or: code := m.Run(); ...teardown...; leakcheck.Report(); os.Exit(code)
//	}
//
// Outside `leakhound test` (LEAKHOUND_TEST_DIR unset) both do nothing but run the tests.
package leakcheck

import "testing"

// Run runs the tests, then reports the goroutines still running after they settle. It returns m.Run's exit code.
func Run(m *testing.M) int {
	code := m.Run()
	Report()
	return code
}

// Report lets the goroutines the tests started settle (up to 2 s, or LEAKHOUND_TEST_SETTLE), then writes every
// goroutine still running for `leakhound test` to judge. Call it after teardown, just before os.Exit.
func Report() {
	leakhoundReport()
}
