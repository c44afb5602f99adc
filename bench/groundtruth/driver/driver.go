// Command driver is the main package of leakhound's ground-truth bench. run.sh compiles it together with the case
// files of the Go runtime's own goroutine leak test program ($(go env GOROOT)/src/runtime/testdata/
// testgoroutineleakprofile and its goker/ subdirectory), copied to a temporary directory at run time, in place of
// that program's main.go. It provides the same registration API the case files call (register, registerInit,
// yieldCount) and takes over the moment a case writes its leak profile:
//
//   - run.sh rewrites each case's `pprof.Lookup("goroutineleak")` into `deferredLeakProfile(pprof.Lookup)`, so the
//     case's own `prof.WriteTo(os.Stdout, 2)` only records when the case considers its leaks to have happened (T0).
//     Leak detection is deferred on purpose: it moves the goroutines it finds to the runtime status _Gleaked, and
//     every goroutine dump taken afterwards would print "(leaked)" in their headers, which leakhound reads as the
//     runtime's proof. The snapshots must show what a normal build shows.
//   - the driver then writes two goroutine dumps (pprof "goroutine", debug=2) at T0+t1 and T0+t2, and only then the
//     real goroutineleak profile at debug=2, which lists every goroutine with its id and marks the leaked ones
//     "(leaked)": the ground truth, from the same process, after both snapshots.
//
// Usage:
//
//	driver -list                                   # the registered case names, one a line
//	driver -out DIR [-t1 50ms] [-t2 300ms] [-gc] CASE    # writes DIR/snap1.txt, snap2.txt, truth.txt, meta.json
//
// Built alone (no case files) it has no cases, which is how `go vet ./...` sees it.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"sync/atomic"
	"time"
)

// yieldCount is how often a case's main goroutine yields before it writes its profile (the case files use it).
const yieldCount = 10

var cases = map[string]func(){}

// register is called by the case files' init functions.
func register(name string, f func()) {
	if cases[name] != nil {
		panic("duplicate registration: " + name)
	}
	cases[name] = f
}

// registerInit registers a case that the original program would run inside init; here it runs from main like every
// other case, so that the snapshots can be taken around it.
func registerInit(name string, f func()) { register(name, f) }

// deferredProfile stands in for the goroutineleak profile inside the cases: WriteTo only records the call.
type deferredProfile struct{}

var (
	writeCalls   atomic.Int32
	stdoutWrites atomic.Int32
	leakMoment   = make(chan time.Time, 1) // the first WriteTo(os.Stdout, ...) of the case
)

// deferredLeakProfile replaces `pprof.Lookup("goroutineleak")` in the case files; taking pprof.Lookup as an argument
// keeps their runtime/pprof import in use.
func deferredLeakProfile(func(string) *pprof.Profile) *deferredProfile { return &deferredProfile{} }

func (*deferredProfile) WriteTo(w io.Writer, debug int) error {
	writeCalls.Add(1)
	if w == os.Stdout {
		stdoutWrites.Add(1)
		select {
		case leakMoment <- time.Now():
		default:
		}
	}
	return nil
}

type meta struct {
	Case            string  `json:"case"`
	GOMAXPROCS      int     `json:"gomaxprocs"`
	GC              bool    `json:"gc_after_t0"`
	ProfileCalls    int32   `json:"profile_calls"`
	StdoutWrites    int32   `json:"stdout_writes"`
	CaseReturned    bool    `json:"case_returned"`
	T0Source        string  `json:"t0_source"`         // "profile" (the case wrote its profile) or "timeout"
	T0AfterStartMs  float64 `json:"t0_after_start_ms"` // when the case wrote its profile
	Snap1AfterT0Ms  float64 `json:"snap1_after_t0_ms"`
	Snap2AfterT0Ms  float64 `json:"snap2_after_t0_ms"`
	TruthAfterT0Ms  float64 `json:"truth_after_t0_ms"`
	LeakProfileSize int     `json:"leak_profile_count"` // pprof's count of the goroutineleak profile after writing it
}

func writeProfile(path, name string) error {
	p := pprof.Lookup(name)
	if p == nil {
		return fmt.Errorf("no %q profile in this binary (built without GOEXPERIMENT=goroutineleakprofile?)", name)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := p.WriteTo(f, 2); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "driver: "+format+"\n", args...)
	os.Exit(2)
}

func main() {
	list := flag.Bool("list", false, "print the registered case names and exit")
	out := flag.String("out", "", "directory for snap1.txt, snap2.txt, truth.txt and meta.json")
	t1 := flag.Duration("t1", 50*time.Millisecond, "first snapshot, after the case wrote its profile")
	t2 := flag.Duration("t2", 300*time.Millisecond, "second snapshot, after the case wrote its profile")
	wait := flag.Duration("wait", 10*time.Second, "how long to wait for a case to write its profile")
	gc := flag.Bool("gc", false, "run two (ordinary) GC cycles right after T0, which stamp the wait start of every "+
		"parked goroutine, so that dumps taken a minute later print wait times as a long-running service's do")
	flag.Parse()

	if *list {
		names := make([]string, 0, len(cases))
		for name := range cases {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			fmt.Println(name)
		}
		return
	}
	if flag.NArg() != 1 || *out == "" {
		fail("usage: driver -out DIR [-t1 D] [-t2 D] [-gc] CASE  |  driver -list")
	}
	name := flag.Arg(0)
	f := cases[name]
	if f == nil {
		fail("unknown case %q", name)
	}
	if pprof.Lookup("goroutineleak") == nil {
		fail("no goroutineleak profile: build with GOEXPERIMENT=goroutineleakprofile")
	}

	m := meta{Case: name, GOMAXPROCS: runtime.GOMAXPROCS(0)}
	start := time.Now()
	returned := make(chan struct{})
	go func() {
		f()
		close(returned)
	}()

	var t0 time.Time
	select {
	case t0 = <-leakMoment:
		m.T0Source = "profile"
	case <-returned:
		// A case that returned without writing to stdout: its leaks have happened by now.
		t0 = time.Now()
		m.T0Source = "returned"
	case <-time.After(*wait):
		t0 = time.Now()
		m.T0Source = "timeout"
	}
	m.T0AfterStartMs = float64(t0.Sub(start).Microseconds()) / 1000
	if *gc {
		// Two cycles: a cycle stamps a parked goroutine with the start time of the previous cycle's mark
		// termination (work.tstart), which is still zero during the first cycle of a process.
		runtime.GC()
		runtime.GC()
		m.GC = true
	}

	snap := func(path string, at time.Duration) float64 {
		time.Sleep(time.Until(t0.Add(at)))
		taken := time.Now()
		if err := writeProfile(filepath.Join(*out, path), "goroutine"); err != nil {
			fail("%s: %v", path, err)
		}
		return float64(taken.Sub(t0).Microseconds()) / 1000
	}
	m.Snap1AfterT0Ms = snap("snap1.txt", *t1)
	m.Snap2AfterT0Ms = snap("snap2.txt", *t2)

	m.TruthAfterT0Ms = float64(time.Since(t0).Microseconds()) / 1000
	if err := writeProfile(filepath.Join(*out, "truth.txt"), "goroutineleak"); err != nil {
		fail("truth.txt: %v", err)
	}
	m.LeakProfileSize = pprof.Lookup("goroutineleak").Count()
	select {
	case <-returned:
		m.CaseReturned = true
	default:
	}
	m.ProfileCalls = writeCalls.Load()
	m.StdoutWrites = stdoutWrites.Load()

	b, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(filepath.Join(*out, "meta.json"), append(b, '\n'), 0o644); err != nil {
		fail("%v", err)
	}
}
