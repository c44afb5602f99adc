package leakcheck

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type runInfo struct {
	Dir      string `json:"dir"`
	Proof    bool   `json:"proof"`
	Left     int    `json:"left"`
	SettleMs int64  `json:"settle_ms"`
}

// readReport returns the one report in dir: its info and dump text.
func readReport(t *testing.T, dir string) (runInfo, string) {
	t.Helper()
	infos, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(infos) != 1 {
		t.Fatalf("want one report in %s, got %v", dir, infos)
	}
	raw, err := os.ReadFile(infos[0])
	if err != nil {
		t.Fatal(err)
	}
	var info runInfo
	if err := json.Unmarshal(raw, &info); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	dump, _ := os.ReadFile(strings.TrimSuffix(infos[0], ".json") + ".txt")
	return info, string(dump)
}

// A real test binary: its abandoned sender is in the dump, its late finisher is not, and the report took about the
// time the stuck goroutine needs to be seen unchanged, not the whole settle limit.
func TestRunReportsWhatTheTestsLeft(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command("go", "test", "-count=1", "./testdata/leaky")
	cmd.Env = append(os.Environ(), "LEAKHOUND_TEST_DIR="+dir, "LEAKHOUND_TEST_SETTLE=5s")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go test: %v\n%s", err, out)
	}
	info, dump := readReport(t, dir)
	if info.Left != 1 {
		t.Errorf("left = %d, want 1 (the abandoned sender)\n%s", info.Left, dump)
	}
	if !strings.Contains(dump, "leaky.abandonedSender") || !strings.Contains(dump, "[chan send") {
		t.Errorf("the abandoned sender is not in the dump:\n%s", dump)
	}
	if strings.Contains(dump, "lateFinisher") {
		t.Errorf("a goroutine that ended 100 ms after the tests is in the dump:\n%s", dump)
	}
	if info.SettleMs < 100 || info.SettleMs > 2000 {
		t.Errorf("settled in %d ms: want the late finisher's 100 ms plus ~300 ms of a stable stuck set", info.SettleMs)
	}
	if !strings.HasSuffix(filepath.ToSlash(info.Dir), "testdata/leaky") {
		t.Errorf("dir = %q, want the package directory", info.Dir)
	}
}

// Outside leakhound test nothing is written and nothing waits.
func TestReportWithoutTheEnvironmentDoesNothing(t *testing.T) {
	t.Setenv(leakhoundDirEnv, "")
	start := time.Now()
	Report()
	if d := time.Since(start); d > 50*time.Millisecond {
		t.Errorf("Report took %v without %s", d, leakhoundDirEnv)
	}
}

// A goroutine that keeps running (not parked) holds the report until the limit.
func TestSettleWaitsForABusyGoroutineUntilTheLimit(t *testing.T) {
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			default:
				time.Sleep(time.Millisecond)
			}
		}
	}()
	start := time.Now()
	left := leakhoundSettle(400 * time.Millisecond)
	if d := time.Since(start); d < 400*time.Millisecond {
		t.Errorf("settle ended after %v with a goroutine still busy", d)
	}
	if left == 0 {
		t.Error("the busy goroutine was not counted")
	}
}

// The pending list leaves out the caller and os/signal's loop, and gives one line per goroutine without wait times.
func TestPendingSkipsTheCallerAndTheFramework(t *testing.T) {
	block := make(chan int)
	go func() { <-block }()
	defer close(block)
	time.Sleep(20 * time.Millisecond)
	lines, _ := leakhoundPending()
	found := false
	for _, l := range lines {
		if strings.Contains(l, "[chan receive]") {
			found = true
		}
		if strings.Contains(l, "minutes") {
			t.Errorf("wait time kept: %q", l)
		}
	}
	if !found {
		t.Errorf("the parked goroutine is missing: %v", lines)
	}
}
