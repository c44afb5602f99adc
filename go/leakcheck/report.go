// This file is also compiled into every test binary `leakhound test` runs, as a generated _test.go file of the
// package under test (its package clause replaced): so every top-level name starts with "leakhound", every import is
// aliased with "lh", and it uses the standard library only.

package leakcheck

import (
	lhbytes "bytes"
	lhos "os"
	lhfilepath "path/filepath"
	lhruntime "runtime"
	lhpprof "runtime/pprof"
	lhstrconv "strconv"
	lhstrings "strings"
	lhtime "time"
)

// The environment `leakhound test` sets for the test binaries it runs.
const (
	leakhoundDirEnv    = "LEAKHOUND_TEST_DIR"    // where the report goes; unset: leakhoundReport does nothing
	leakhoundSettleEnv = "LEAKHOUND_TEST_SETTLE" // how long goroutines may take to end (a Go duration; default 2s)
)

// leakhoundStartDir is the package directory, where go test starts the binary: taken before any test can chdir.
var leakhoundStartDir, _ = lhos.Getwd()

// leakhoundDefaultSettle is how long leakhoundReport waits at most for the goroutines tests started to end.
const leakhoundDefaultSettle = 2 * lhtime.Second

// leakhoundStable: goroutines that are all parked in waits that only another goroutine can end (channels, select,
// locks, I/O) and have not changed for this long are stuck; waiting longer would only make the run slower.
const leakhoundStable = 300 * lhtime.Millisecond

// Frames of goroutines that belong to the runtime, the test framework or os/signal, not to the tests: they do not
// keep leakhoundReport waiting (leakhound judges every goroutine of the dump on its own).
var leakhoundFramework = []string{
	"os/signal.signal_recv", "os/signal.loop", "runtime.ensureSigM", "testing.(*M).startAlarm",
	"runtime/trace.", "testing.runFuzzTests", "testing.runFuzzing",
}

// leakhoundStuckStates are the wait states that only another goroutine can end.
var leakhoundStuckStates = []string{
	"chan send", "chan receive", "select", "sync.", "semacquire", "IO wait",
}

// leakhoundStacks is runtime.Stack of every goroutine, the calling one first.
func leakhoundStacks() []byte {
	buf := make([]byte, 1<<16)
	for {
		n := lhruntime.Stack(buf, true)
		if n < len(buf) {
			return buf[:n]
		}
		buf = make([]byte, 2*len(buf))
	}
}

// leakhoundPending returns the goroutines other than the caller and the framework's, one "id [state]" line each
// (wait times dropped, so that a goroutine that stays where it is gives the same line), and whether every one of
// them is parked in a wait only another goroutine can end.
func leakhoundPending() (lines []string, stuck bool) {
	blocks := lhbytes.Split(leakhoundStacks(), []byte("\n\n"))
	stuck = true
	for i, b := range blocks {
		if i == 0 || len(b) == 0 { // the calling goroutine
			continue
		}
		text := string(b)
		framework := false
		for _, f := range leakhoundFramework {
			if lhstrings.Contains(text, f) {
				framework = true
				break
			}
		}
		if framework {
			continue
		}
		header, _, _ := lhstrings.Cut(text, "\n")
		state := ""
		if open := lhstrings.IndexByte(header, '['); open >= 0 {
			state = header[open+1:]
			if end := lhstrings.IndexAny(state, ",]"); end >= 0 {
				state = state[:end]
			}
		}
		parked := false
		for _, s := range leakhoundStuckStates {
			if lhstrings.HasPrefix(state, s) {
				parked = true
				break
			}
		}
		stuck = stuck && parked
		id := lhstrings.TrimPrefix(header, "goroutine ")
		if sp := lhstrings.IndexByte(id, ' '); sp >= 0 {
			id = id[:sp]
		}
		lines = append(lines, id+" ["+state+"]")
	}
	return lines, stuck
}

// leakhoundSettle waits until no goroutine but the framework's is left, or the ones left are stuck and unchanged
// for leakhoundStable, or `limit` has passed; goleak's retry with back-off, without its ignore lists. Returns the
// number of goroutines left.
func leakhoundSettle(limit lhtime.Duration) int {
	start := lhtime.Now()
	delay := lhtime.Millisecond
	last := ""
	var same lhtime.Time
	for {
		lines, stuck := leakhoundPending()
		if len(lines) == 0 {
			return 0
		}
		now := lhtime.Now()
		key := lhstrings.Join(lines, "\n")
		if key != last {
			last, same = key, now
		} else if stuck && now.Sub(same) >= leakhoundStable {
			return len(lines)
		}
		if now.Sub(start) >= limit {
			return len(lines)
		}
		lhtime.Sleep(delay)
		if delay *= 2; delay > 100*lhtime.Millisecond {
			delay = 100 * lhtime.Millisecond
		}
	}
}

// leakhoundReport is called when the package's tests have ended: it lets the goroutines they started settle, then
// writes every goroutine's stack (debug=2) to $LEAKHOUND_TEST_DIR/<pid>.txt and what it knows about the run to
// <pid>.json, for `leakhound test` to judge. With Go's goroutineleak profile (GOEXPERIMENT=goroutineleakprofile) the
// dump marks the goroutines the garbage collector proves leaked. Without $LEAKHOUND_TEST_DIR it does nothing.
func leakhoundReport() {
	dir := lhos.Getenv(leakhoundDirEnv)
	if dir == "" {
		return
	}
	limit := leakhoundDefaultSettle
	if s := lhos.Getenv(leakhoundSettleEnv); s != "" {
		if d, err := lhtime.ParseDuration(s); err == nil {
			limit = d
		}
	}
	start := lhtime.Now()
	left := leakhoundSettle(limit)
	settled := lhtime.Since(start)
	profile, proof := lhpprof.Lookup("goroutineleak"), true
	if profile == nil {
		profile, proof = lhpprof.Lookup("goroutine"), false
	}
	var dump lhbytes.Buffer
	if left > 0 {
		_ = profile.WriteTo(&dump, 2)
	}
	base := lhfilepath.Join(dir, lhstrconv.Itoa(lhos.Getpid()))
	info := "{\"dir\":" + lhstrconv.Quote(leakhoundStartDir) +
		",\"proof\":" + lhstrconv.FormatBool(proof) +
		",\"left\":" + lhstrconv.Itoa(left) +
		",\"settle_ms\":" + lhstrconv.FormatInt(settled.Milliseconds(), 10) + "}\n"
	// The dump first: leakhound reads a run's dump when it finds its .json.
	if left > 0 {
		_ = lhos.WriteFile(base+".txt", dump.Bytes(), 0o644)
	}
	_ = lhos.WriteFile(base+".json", []byte(info), 0o644)
}
