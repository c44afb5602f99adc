// Command score compares leakhound's verdicts with the Go runtime's goroutine leak profile (the ground truth) for
// leakhound's ground-truth bench (see ../run.sh and ../RESULTS.md).
//
//	score case   -group G -case NAME [-attrs A] -snap2 SNAP2 -truth TRUTH -analyze A.json -diff D.json [-meta M.json]
//	             prints one JSON line of results (appended to results.jsonl by run.sh)
//	score error  -group G -case NAME [-attrs A] -msg TEXT      a case that could not be measured
//	score report -in results.jsonl -md RESULTS.md [-header FILE]
//	             prints the table and writes RESULTS.md
//
// Method. TRUTH is a goroutineleak profile at debug=2 taken after SNAP2 in the same process: it lists every goroutine
// with its id and marks the leaked ones "(leaked)". Every goroutine of SNAP2 gets the label leaked / not leaked by id
// (a goroutine of SNAP2 that is gone from TRUTH had exited, so it is not leaked). Every goroutine of SNAP2 also gets
// the verdict of the leakhound bucket that holds it: leakhound's default similarity ("line") puts goroutines in one
// bucket when their state, every frame's function and file:line, and the creator's function and line are equal, so
// the goroutines of SNAP2 are grouped on that same key and each bucket of the JSON report (count in SNAP2, state,
// frames, created_by) is matched to the group with that key and exactly that count. JSON lists at most 20 goroutine
// ids per bucket, so ids are only used to check the match (every listed id must be in the group). A bucket that
// matches no group exactly is matched on frames and creator, then on frames alone; what still does not match is
// counted as "unattributed" and reported.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// ---- goroutine dumps (debug=2 text) ----

type frame struct {
	Function string `json:"function"`
	File     string `json:"file"`
	Line     int    `json:"line"`
}

type goroutine struct {
	ID      uint64
	State   string // as leakhound reports it: without the wait time, "(leaked)" and similar marks
	Leaked  bool
	Frames  []frame
	Creator *frame
}

var headerRE = regexp.MustCompile(`^goroutine (\d+)(?: gp=\S+ m=\S+(?: mp=\S+)?)? \[(.*)\]:$`)
var fileLineRE = regexp.MustCompile(`^\t(.*):(\d+)(?: \+0x[0-9a-f]+)?$`)

func normState(s string) (state string, leaked bool) {
	parts := strings.Split(s, ", ")
	state = parts[0]
	for _, mark := range []string{" (leaked)", " (durable)", " (scan)"} {
		if strings.HasSuffix(state, mark) {
			if mark == " (leaked)" {
				leaked = true
			}
			state = strings.TrimSuffix(state, mark)
		}
	}
	for _, p := range parts[1:] {
		if strings.Contains(p, "(leaked)") {
			leaked = true
		}
	}
	return state, leaked
}

// stripArgs turns "main.(*T).m(0x1, {0x2, 0x3})" into "main.(*T).m".
func stripArgs(s string) string {
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndex(s, "("); i > 0 {
			return s[:i]
		}
	}
	return s
}

func parseDump(path string) ([]goroutine, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var gs []goroutine
	var cur *goroutine
	var pending string // a function line waiting for its file:line
	creator := false
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if m := headerRE.FindStringSubmatch(line); m != nil {
			id, _ := strconv.ParseUint(m[1], 10, 64)
			st, leaked := normState(m[2])
			gs = append(gs, goroutine{ID: id, State: st, Leaked: leaked})
			cur = &gs[len(gs)-1]
			pending, creator = "", false
			continue
		}
		if cur == nil || line == "" {
			continue
		}
		if m := fileLineRE.FindStringSubmatch(line); m != nil {
			if pending == "" {
				continue
			}
			n, _ := strconv.Atoi(m[2])
			fr := frame{Function: pending, File: m[1], Line: n}
			if creator {
				cur.Creator = &fr
			} else {
				cur.Frames = append(cur.Frames, fr)
			}
			pending = ""
			continue
		}
		if strings.HasPrefix(line, "created by ") {
			fn := strings.TrimPrefix(line, "created by ")
			if i := strings.Index(fn, " in goroutine "); i >= 0 {
				fn = fn[:i]
			}
			pending, creator = fn, true
			continue
		}
		if strings.HasPrefix(line, "...") || strings.HasPrefix(line, "\t") {
			continue // "...additional frames elided...", or a file line without a function
		}
		pending = stripArgs(line)
	}
	return gs, sc.Err()
}

// ---- leakhound JSON ----

type site struct {
	Function string `json:"function"`
	File     string `json:"file"`
	Line     int    `json:"line"`
}

type bucket struct {
	Count        int      `json:"count"`  // analyze
	Counts       []int    `json:"counts"` // diff
	Change       string   `json:"change"`
	State        string   `json:"state"`
	Verdict      string   `json:"verdict"`
	Score        int      `json:"score"`
	Reason       string   `json:"reason"`
	BlockingSite *site    `json:"blocking_site"`
	CreatedBy    *site    `json:"created_by"`
	Frames       []frame  `json:"frames"`
	GoroutineIDs []uint64 `json:"goroutine_ids"`
	StuckIDs     int      `json:"stuck_ids"`
	FirstIDs     int      `json:"first_ids"`
	Growth       int      `json:"growth"`
}

type report struct {
	Schema  string   `json:"schema"`
	Buckets []bucket `json:"buckets"`
}

func (b *bucket) lastCount() int {
	if b.Counts != nil {
		return b.Counts[len(b.Counts)-1]
	}
	return b.Count
}

func framesKey(fs []frame) string {
	var sb strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&sb, "%s %s:%d;", f.Function, f.File, f.Line)
	}
	return sb.String()
}

func creatorKey(fn string, line int) string { return fmt.Sprintf("%s:%d", fn, line) }

func gKeys(g *goroutine) [3]string {
	c := ""
	if g.Creator != nil {
		c = creatorKey(g.Creator.Function, g.Creator.Line)
	}
	fk := framesKey(g.Frames)
	return [3]string{g.State + "|" + fk + "|" + c, fk + "|" + c, fk}
}

func bKeys(b *bucket) [3]string {
	c := ""
	if b.CreatedBy != nil {
		c = creatorKey(b.CreatedBy.Function, b.CreatedBy.Line)
	}
	fk := framesKey(b.Frames)
	return [3]string{b.State + "|" + fk + "|" + c, fk + "|" + c, fk}
}

// attribute returns, for every goroutine of gs, the index of its bucket in r (-1: none), and how many goroutines of
// the buckets could not be matched exactly.
func attribute(gs []goroutine, r *report) (owner []int, unmatched int, notes []string) {
	owner = make([]int, len(gs))
	for i := range owner {
		owner[i] = -1
	}
	var index [3]map[string][]int
	for lvl := range index {
		index[lvl] = map[string][]int{}
	}
	for i := range gs {
		k := gKeys(&gs[i])
		for lvl := range k {
			index[lvl][k[lvl]] = append(index[lvl][k[lvl]], i)
		}
	}
	free := func(list []int) []int {
		var out []int
		for _, i := range list {
			if owner[i] < 0 {
				out = append(out, i)
			}
		}
		return out
	}
	done := make([]bool, len(r.Buckets))
	// Pass 1: exact key and exact count, most specific level first.
	for lvl := 0; lvl < 3; lvl++ {
		for bi := range r.Buckets {
			b := &r.Buckets[bi]
			if done[bi] || b.lastCount() == 0 {
				done[bi] = done[bi] || b.lastCount() == 0
				continue
			}
			cand := free(index[lvl][bKeys(b)[lvl]])
			if len(cand) != b.lastCount() {
				continue
			}
			ok := true
			inCand := map[uint64]bool{}
			for _, i := range cand {
				inCand[gs[i].ID] = true
			}
			for _, id := range b.GoroutineIDs {
				if !inCand[id] {
					ok = false
				}
			}
			if !ok {
				continue
			}
			for _, i := range cand {
				owner[i] = bi
			}
			done[bi] = true
			if lvl > 0 {
				notes = append(notes, fmt.Sprintf("bucket %q matched at level %d", b.State, lvl))
			}
		}
	}
	// Pass 2: whatever is left, by listed ids first, then as many goroutines with the loosest key as the count says.
	byID := map[uint64]int{}
	for i := range gs {
		byID[gs[i].ID] = i
	}
	for bi := range r.Buckets {
		if done[bi] {
			continue
		}
		b := &r.Buckets[bi]
		need := b.lastCount()
		for _, id := range b.GoroutineIDs {
			if i, ok := byID[id]; ok && owner[i] < 0 && need > 0 {
				owner[i] = bi
				need--
			}
		}
		for _, i := range free(index[2][bKeys(b)[2]]) {
			if need == 0 {
				break
			}
			owner[i] = bi
			need--
		}
		if need > 0 {
			unmatched += need
			top := "-"
			if b.BlockingSite != nil {
				top = b.BlockingSite.Function
			}
			notes = append(notes, fmt.Sprintf("%d goroutines of bucket [%s] %s not found in the snapshot", need, b.State, top))
		}
	}
	return owner, unmatched, notes
}

// ---- per-case scoring ----

type toolScore struct {
	DefiniteTP     int `json:"definite_tp"`    // leaked, called definite
	SuspectTP      int `json:"suspect_tp"`     // leaked, called suspect
	Missed         int `json:"missed"`         // leaked, called benign or active (or unattributed)
	FalseDefinite  int `json:"false_definite"` // not leaked, called definite
	FalseSuspect   int `json:"false_suspect"`  // not leaked, called suspect
	Unattributed   int `json:"unattributed"`   // goroutines of the snapshot in no matched bucket
	UnmatchedInRep int `json:"unmatched_in_report"`
	SitesD         int `json:"sites_definite"` // leak sites all of whose leaked goroutines were called definite
	SitesDS        int `json:"sites_definite_suspect"`
}

type finding struct {
	Tool      string   `json:"tool"`
	Kind      string   `json:"kind"` // false_definite | false_suspect | missed
	Count     int      `json:"count"`
	Verdict   string   `json:"verdict"`
	Score     int      `json:"score"`
	State     string   `json:"state"`
	Blocking  string   `json:"blocking"`
	CreatedBy string   `json:"created_by"`
	Reason    string   `json:"reason"`
	Frames    []string `json:"frames"`
	IDs       []uint64 `json:"ids"`
	Extra     string   `json:"extra,omitempty"` // diff: counts, stuck ids
}

type caseResult struct {
	Group         string          `json:"group"`
	Case          string          `json:"case"`
	Attrs         string          `json:"attrs"`
	Error         string          `json:"error,omitempty"`
	Goroutines    int             `json:"goroutines"`       // in snapshot 2
	LeakedTruth   int             `json:"leaked_truth"`     // marked (leaked) in the leak profile
	Leaked        int             `json:"leaked"`           // of those, parked in snapshot 2 where they leaked: the recall denominator
	Sites         int             `json:"leak_sites"`       // distinct buckets (state, frames, creator) of those
	LeakedNotInS2 int             `json:"leaked_not_in_s2"` // leaked goroutines born after snapshot 2
	ExitedAfterS2 int             `json:"exited_after_s2"`  // goroutines of snapshot 2 gone from the leak profile
	StackChanged  int             `json:"leaked_after_s2"`  // in snapshot 2, but not yet in the state and stack they leaked in
	Analyze       toolScore       `json:"analyze"`
	Diff          toolScore       `json:"diff"`
	Findings      []finding       `json:"findings"`
	Notes         []string        `json:"notes,omitempty"`
	Meta          json.RawMessage `json:"meta,omitempty"`
}

func shortFn(f string) string {
	if i := strings.LastIndex(f, "/"); i >= 0 {
		f = f[i+1:]
	}
	return f
}

func shortFile(f string) string {
	if i := strings.LastIndex(f, "/"); i >= 0 {
		return f[i+1:]
	}
	return f
}

func siteStr(s *site) string {
	if s == nil {
		return "-"
	}
	return fmt.Sprintf("%s %s:%d", shortFn(s.Function), shortFile(s.File), s.Line)
}

// countSites counts the leak sites of a case: distinct bucket keys (state, frames, creator) of its leaked goroutines.
func countSites(gs []goroutine, leaked []bool) int {
	sites := map[string]bool{}
	for i := range gs {
		if leaked[i] {
			sites[gKeys(&gs[i])[0]] = true
		}
	}
	return len(sites)
}

func scoreTool(tool string, gs []goroutine, leaked, later []bool, r *report, res *caseResult, ts *toolScore) {
	owner, unmatched, notes := attribute(gs, r)
	ts.UnmatchedInRep = unmatched
	for _, n := range notes {
		res.Notes = append(res.Notes, tool+": "+n)
	}
	type fkey struct {
		kind   string
		bucket int
	}
	groups := map[fkey][]uint64{}
	// A leak site counts as found (D, or D+S) when every leaked goroutine of it was.
	siteD, siteDS := map[string]bool{}, map[string]bool{}
	for i := range gs {
		v := "unattributed"
		if owner[i] >= 0 {
			v = r.Buckets[owner[i]].Verdict
		} else {
			ts.Unattributed++
		}
		if later[i] {
			continue
		}
		if leaked[i] {
			k := gKeys(&gs[i])[0]
			if _, seen := siteD[k]; !seen {
				siteD[k], siteDS[k] = true, true
			}
			siteD[k] = siteD[k] && v == "definite"
			siteDS[k] = siteDS[k] && (v == "definite" || v == "suspect")
		}
		var kind string
		switch {
		case leaked[i] && v == "definite":
			ts.DefiniteTP++
		case leaked[i] && v == "suspect":
			ts.SuspectTP++
		case leaked[i]:
			ts.Missed++
			kind = "missed"
		case v == "definite":
			ts.FalseDefinite++
			kind = "false_definite"
		case v == "suspect":
			ts.FalseSuspect++
			kind = "false_suspect"
		}
		if kind != "" {
			k := fkey{kind, owner[i]}
			groups[k] = append(groups[k], gs[i].ID)
		}
	}
	for k := range siteD {
		if siteD[k] {
			ts.SitesD++
		}
		if siteDS[k] {
			ts.SitesDS++
		}
	}
	keys := make([]fkey, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		if keys[a].kind != keys[b].kind {
			return keys[a].kind < keys[b].kind
		}
		return keys[a].bucket < keys[b].bucket
	})
	for _, k := range keys {
		ids := groups[k]
		f := finding{Tool: tool, Kind: k.kind, Count: len(ids), Verdict: "unattributed"}
		if len(ids) > 8 {
			f.IDs = ids[:8]
		} else {
			f.IDs = ids
		}
		if k.bucket >= 0 {
			b := &r.Buckets[k.bucket]
			f.Verdict, f.Score, f.State, f.Reason = b.Verdict, b.Score, b.State, b.Reason
			f.Blocking = siteStr(b.BlockingSite)
			f.CreatedBy = siteStr(b.CreatedBy)
			for j, fr := range b.Frames {
				if j == 6 {
					f.Frames = append(f.Frames, "…")
					break
				}
				f.Frames = append(f.Frames, fmt.Sprintf("%s %s:%d", shortFn(fr.Function), shortFile(fr.File), fr.Line))
			}
			if b.Counts != nil {
				f.Extra = fmt.Sprintf("counts %v, change %s, stuck %d of %d", b.Counts, b.Change, b.StuckIDs, b.FirstIDs)
			}
		} else {
			// Describe the goroutines themselves.
			for i := range gs {
				if gs[i].ID == ids[0] {
					f.State = gs[i].State
					for j, fr := range gs[i].Frames {
						if j == 6 {
							break
						}
						f.Frames = append(f.Frames, fmt.Sprintf("%s %s:%d", shortFn(fr.Function), shortFile(fr.File), fr.Line))
					}
				}
			}
		}
		res.Findings = append(res.Findings, f)
	}
}

func readReport(path string) (*report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return &r, nil
}

func cmdCase(args []string) error {
	fs := flag.NewFlagSet("case", flag.ExitOnError)
	group := fs.String("group", "", "")
	name := fs.String("case", "", "")
	attrs := fs.String("attrs", "", "")
	snap2 := fs.String("snap2", "", "")
	truth := fs.String("truth", "", "")
	an := fs.String("analyze", "", "")
	df := fs.String("diff", "", "")
	meta := fs.String("meta", "", "")
	fs.Parse(args)

	res := caseResult{Group: *group, Case: *name, Attrs: *attrs}
	emit := func() error {
		b, err := json.Marshal(res)
		if err != nil {
			return err
		}
		fmt.Println(string(b))
		return nil
	}
	if *meta != "" {
		if b, err := os.ReadFile(*meta); err == nil {
			var v any
			if json.Unmarshal(b, &v) == nil {
				c, _ := json.Marshal(v)
				res.Meta = c
			}
		}
	}
	gs, err := parseDump(*snap2)
	if err == nil && len(gs) == 0 {
		err = fmt.Errorf("%s: no goroutines", *snap2)
	}
	if err != nil {
		res.Error = err.Error()
		return emit()
	}
	for _, g := range gs {
		if g.Leaked {
			res.Error = "snapshot 2 already carries (leaked) marks: leak detection ran before it"
			return emit()
		}
	}
	tg, err := parseDump(*truth)
	if err == nil && len(tg) == 0 {
		err = fmt.Errorf("%s: no goroutines (not a debug=2 goroutineleak profile?)", *truth)
	}
	if err != nil {
		res.Error = err.Error()
		return emit()
	}
	truthByID := map[uint64]*goroutine{}
	for i := range tg {
		truthByID[tg[i].ID] = &tg[i]
		if tg[i].Leaked {
			res.LeakedTruth++
		}
	}
	res.Goroutines = len(gs)
	leaked := make([]bool, len(gs))
	later := make([]bool, len(gs)) // leaked after snapshot 2: neither counted in recall nor as false
	inS2 := map[uint64]bool{}
	for i := range gs {
		inS2[gs[i].ID] = true
		t, ok := truthByID[gs[i].ID]
		if !ok {
			res.ExitedAfterS2++
			continue
		}
		if t.Leaked {
			if t.State != gs[i].State || framesKey(t.Frames) != framesKey(gs[i].Frames) {
				// Not yet parked where it leaked when snapshot 2 was taken: no dump could have called it.
				res.StackChanged++
				later[i] = true
				continue
			}
			leaked[i] = true
			res.Leaked++
		}
	}
	for i := range tg {
		if tg[i].Leaked && !inS2[tg[i].ID] {
			res.LeakedNotInS2++
		}
	}
	ra, err := readReport(*an)
	if err != nil {
		res.Error = "analyze: " + err.Error()
		return emit()
	}
	rd, err := readReport(*df)
	if err != nil {
		res.Error = "diff: " + err.Error()
		return emit()
	}
	res.Sites = countSites(gs, leaked)
	scoreTool("analyze", gs, leaked, later, ra, &res, &res.Analyze)
	scoreTool("diff", gs, leaked, later, rd, &res, &res.Diff)
	return emit()
}

func cmdError(args []string) error {
	fs := flag.NewFlagSet("error", flag.ExitOnError)
	group := fs.String("group", "", "")
	name := fs.String("case", "", "")
	attrs := fs.String("attrs", "", "")
	msg := fs.String("msg", "", "")
	fs.Parse(args)
	b, _ := json.Marshal(caseResult{Group: *group, Case: *name, Attrs: *attrs, Error: *msg})
	fmt.Println(string(b))
	return nil
}

// ---- report ----

type totals struct {
	Cases, Errors, Leaked, Goroutines, Sites int
	A, D                                     toolScore
	CasesMissA, CasesMissD                   int // cases with a missed leak (definite+suspect)
	CasesFalseDefA, CasesFalseDefD           int
	Leaking, FlaggedA, FlaggedD              int // cases with a leaked goroutine; of those, with >= 1 leaked goroutine called definite or suspect
}

func (t *totals) add(r *caseResult) {
	t.Cases++
	if r.Error != "" {
		t.Errors++
		return
	}
	t.Leaked += r.Leaked
	t.Sites += r.Sites
	t.Goroutines += r.Goroutines
	addScore(&t.A, &r.Analyze)
	addScore(&t.D, &r.Diff)
	if r.Leaked > 0 {
		t.Leaking++
		if r.Analyze.DefiniteTP+r.Analyze.SuspectTP > 0 {
			t.FlaggedA++
		}
		if r.Diff.DefiniteTP+r.Diff.SuspectTP > 0 {
			t.FlaggedD++
		}
	}
	if r.Analyze.Missed > 0 {
		t.CasesMissA++
	}
	if r.Diff.Missed > 0 {
		t.CasesMissD++
	}
	if r.Analyze.FalseDefinite > 0 {
		t.CasesFalseDefA++
	}
	if r.Diff.FalseDefinite > 0 {
		t.CasesFalseDefD++
	}
}

func addScore(a, b *toolScore) {
	a.DefiniteTP += b.DefiniteTP
	a.SuspectTP += b.SuspectTP
	a.Missed += b.Missed
	a.FalseDefinite += b.FalseDefinite
	a.FalseSuspect += b.FalseSuspect
	a.Unattributed += b.Unattributed
	a.UnmatchedInRep += b.UnmatchedInRep
	a.SitesD += b.SitesD
	a.SitesDS += b.SitesDS
}

func pct(n, d int) string {
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(d))
}

func ratio(n, d int) float64 {
	if d == 0 {
		return 1
	}
	return float64(n) / float64(d)
}

func cmdReport(args []string) error {
	fs := flag.NewFlagSet("report", flag.ExitOnError)
	in := fs.String("in", "", "results.jsonl")
	md := fs.String("md", "", "RESULTS.md to write")
	header := fs.String("header", "", "markdown file put at the top of RESULTS.md (method, environment)")
	fs.Parse(args)

	f, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer f.Close()
	var results []caseResult
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var r caseResult
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return err
		}
		results = append(results, r)
	}
	groups := []string{}
	byGroup := map[string]*totals{}
	var all totals
	for i := range results {
		r := &results[i]
		if byGroup[r.Group] == nil {
			byGroup[r.Group] = &totals{}
			groups = append(groups, r.Group)
		}
		byGroup[r.Group].add(r)
		all.add(r)
	}

	var out strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&out, format, a...) }
	if *header != "" {
		if b, err := os.ReadFile(*header); err == nil {
			out.Write(b)
		}
	}

	// Requirements.
	ds := func(s toolScore) int { return s.DefiniteTP + s.SuspectTP }
	req1 := all.A.FalseDefinite == 0 && all.D.FalseDefinite == 0
	req2, req2sites := true, true
	var per, perSites []string
	for _, g := range groups {
		t := byGroup[g]
		req2 = req2 && ratio(ds(t.D), t.Leaked) >= 0.9
		req2sites = req2sites && ratio(t.D.SitesDS, t.Sites) >= 0.9
		per = append(per, fmt.Sprintf("%s %s (%d/%d)", g, pct(ds(t.D), t.Leaked), ds(t.D), t.Leaked))
		perSites = append(perSites, fmt.Sprintf("%s %s (%d/%d)", g, pct(t.D.SitesDS, t.Sites), t.D.SitesDS, t.Sites))
	}
	pf := func(ok bool) string { return "**" + passFailPlain(ok) + "**" }
	w("## Requirements\n\n")
	w("| requirement | result | measured |\n|---|---|---|\n")
	w("| 1. no goroutine that the leak profile does not list is called `definite` (analyze and diff, every case) | %s | false definite goroutines: analyze %d, diff %d |\n",
		pf(req1), all.A.FalseDefinite, all.D.FalseDefinite)
	w("| 2. recall of definite+suspect from two snapshots (`diff`) >= 90%%, over leaked goroutines, in every group | %s | %s; all %s (%d/%d) |\n",
		pf(req2), strings.Join(per, ", "), pct(ds(all.D), all.Leaked), ds(all.D), all.Leaked)
	w("| 2'. the same over leak sites (distinct stacks of leaked goroutines; not required, shown because a few cases with thousands of goroutines dominate the count above) | %s | %s; all %s (%d/%d) |\n\n",
		pf(req2sites), strings.Join(perSites, ", "), pct(all.D.SitesDS, all.Sites), all.D.SitesDS, all.Sites)

	// Totals.
	w("## Totals\n\n")
	w("Leaked = goroutines the leak profile marks leaked that were already parked in that state and stack in snapshot 2 (the recall denominator); sites = their distinct buckets. D = called `definite`, D+S = `definite` or `suspect`; a site counts when all its leaked goroutines do. False D / false S = goroutines the profile does not mark leaked that were called `definite` / `suspect`.\n\n")
	tableHead := func(first string) {
		w("| %s | goroutines | leaked | sites | analyze D | analyze D+S | analyze sites D+S | analyze false D | analyze false S | diff D | diff D+S | diff sites D+S | diff false D | diff false S |\n", first)
		w("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	}
	cells := func(s toolScore, leaked, sites int) string {
		return fmt.Sprintf("%d (%s) | %d (%s) | %d/%d | %d | %d", s.DefiniteTP, pct(s.DefiniteTP, leaked), ds(s), pct(ds(s), leaked),
			s.SitesDS, sites, s.FalseDefinite, s.FalseSuspect)
	}
	tableHead("group: cases (errors)")
	row := func(name string, t *totals) {
		w("| %s: %d (%d) | %d | %d | %d | %s | %s |\n", name, t.Cases, t.Errors, t.Goroutines, t.Leaked, t.Sites,
			cells(t.A, t.Leaked, t.Sites), cells(t.D, t.Leaked, t.Sites))
	}
	for _, g := range groups {
		row(g, byGroup[g])
	}
	row("**all**", &all)
	w("\nPer program (cases with at least one leaked goroutine; flagged = at least one of its leaked goroutines called definite or suspect):\n\n")
	w("| group | leaking programs | flagged by analyze | flagged by diff |\n|---|---|---|---|\n")
	for _, g := range groups {
		t := byGroup[g]
		w("| %s | %d | %d (%s) | %d (%s) |\n", g, t.Leaking, t.FlaggedA, pct(t.FlaggedA, t.Leaking), t.FlaggedD, pct(t.FlaggedD, t.Leaking))
	}
	w("| **all** | %d | %d (%s) | %d (%s) |\n", all.Leaking, all.FlaggedA, pct(all.FlaggedA, all.Leaking), all.FlaggedD, pct(all.FlaggedD, all.Leaking))
	w("\nCases with a leak site called neither definite nor suspect: analyze %d, diff %d of %d. ", all.CasesMissA, all.CasesMissD, all.Cases-all.Errors)
	if all.A.Unattributed+all.D.Unattributed+all.A.UnmatchedInRep+all.D.UnmatchedInRep > 0 {
		w("Attribution: %d/%d goroutines of the snapshots could not be matched to an analyze/diff bucket, %d/%d bucket members not found in the snapshot (see the notes).\n",
			all.A.Unattributed, all.D.Unattributed, all.A.UnmatchedInRep, all.D.UnmatchedInRep)
	} else {
		w("Attribution: every goroutine of every second snapshot was matched to exactly one analyze bucket and one diff bucket.\n")
	}

	// Findings, merged over the two tools.
	type mkey struct{ group, cas, kind, state, blocking, created string }
	type merged struct {
		k          mkey
		count      int
		frames     []string
		a, d       *finding
		firstIndex int
	}
	var mlist []*merged
	mindex := map[mkey]*merged{}
	missedByState := map[string][2]int{} // state -> diff-missed sites, goroutines
	for i := range results {
		r := &results[i]
		for j := range r.Findings {
			fd := &r.Findings[j]
			k := mkey{r.Group, r.Case, fd.Kind, fd.State, fd.Blocking, fd.CreatedBy}
			m := mindex[k]
			if m == nil {
				m = &merged{k: k, count: fd.Count, frames: fd.Frames, firstIndex: len(mlist)}
				mindex[k] = m
				mlist = append(mlist, m)
			}
			if fd.Tool == "analyze" {
				m.a = fd
			} else {
				m.d = fd
				if fd.Kind == "missed" {
					v := missedByState[fd.State]
					v[0]++
					v[1] += fd.Count
					missedByState[fd.State] = v
				}
			}
			if fd.Count > m.count {
				m.count = fd.Count
			}
		}
	}
	verdictOf := func(fd *finding) string {
		if fd == nil {
			return "(right)"
		}
		return fmt.Sprintf("%s (%d)", fd.Verdict, fd.Score)
	}
	esc := func(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
	section := func(kind, title, intro string) {
		var rows []*merged
		for _, m := range mlist {
			if m.k.kind == kind {
				rows = append(rows, m)
			}
		}
		w("\n### %s (%d buckets)\n\n%s\n\n", title, len(rows), intro)
		if len(rows) == 0 {
			w("None.\n")
			return
		}
		w("| case | goroutines | state | blocked at | created by | analyze | diff | stack (leaf first) | leakhound's reason |\n|---|---|---|---|---|---|---|---|---|\n")
		for _, m := range rows {
			reason := ""
			if m.a != nil {
				reason = m.a.Reason
			}
			if m.d != nil && (m.a == nil || m.d.Reason != m.a.Reason) {
				if reason != "" {
					reason += " — diff: "
				}
				reason += m.d.Reason
			}
			if m.d != nil && m.d.Extra != "" {
				reason += " [diff: " + m.d.Extra + "]"
			}
			w("| %s/%s | %d | %s | `%s` | `%s` | %s | %s | %s | %s |\n", m.k.group, m.k.cas, m.count, m.k.state, m.k.blocking,
				m.k.created, verdictOf(m.a), verdictOf(m.d), esc(strings.Join(m.frames, " ← ")), esc(reason))
		}
	}
	w("\n## Where leakhound is wrong\n")
	section("false_definite", "False definite", "Goroutines the leak profile does not list, called `definite`.")
	section("missed", "Missed leaks", "Leaked goroutines (per the leak profile) called neither `definite` nor `suspect`.")
	if len(missedByState) > 0 {
		states := make([]string, 0, len(missedByState))
		for st := range missedByState {
			states = append(states, st)
		}
		sort.Slice(states, func(a, b int) bool { return missedByState[states[a]][0] > missedByState[states[b]][0] })
		w("\nMissed by `diff`, by state: ")
		var parts []string
		for _, st := range states {
			parts = append(parts, fmt.Sprintf("%s %d sites / %d goroutines", st, missedByState[st][0], missedByState[st][1]))
		}
		w("%s.\n", strings.Join(parts, ", "))
	}
	section("false_suspect", "False suspects", "Goroutines the leak profile does not list, called `suspect` (not an error by the requirements: the profile only lists goroutines it can prove leaked; a bucket that mixes leaked and live goroutines shows up here with its live part).")

	// Per case.
	w("\n## Per case\n\n")
	w("attrs: `curated` = in the runtime's TestGoroutineLeakProfile list, `flaky` = listed there as flaky, `P1` = run with GOMAXPROCS=1 as that test does, `extra` = registered in the testdata but not in that list.\n\n")
	tableHead("case (attrs)")
	for i := range results {
		r := &results[i]
		if r.Error != "" {
			w("| %s/%s (%s) | error: %s | | | | | | | | | | | | |\n", r.Group, r.Case, r.Attrs, esc(r.Error))
			continue
		}
		w("| %s/%s (%s) | %d | %d | %d | %s | %s |\n", r.Group, r.Case, r.Attrs, r.Goroutines, r.Leaked, r.Sites,
			cells(r.Analyze, r.Leaked, r.Sites), cells(r.Diff, r.Leaked, r.Sites))
	}
	var notes []string
	for i := range results {
		r := &results[i]
		for _, n := range r.Notes {
			notes = append(notes, fmt.Sprintf("- %s/%s: %s", r.Group, r.Case, n))
		}
		if r.LeakedNotInS2 > 0 || r.StackChanged > 0 {
			notes = append(notes, fmt.Sprintf("- %s/%s: not scored: %d leaked goroutines born after snapshot 2, %d leaked goroutines not yet parked where they leaked in snapshot 2",
				r.Group, r.Case, r.LeakedNotInS2, r.StackChanged))
		}
	}
	if len(notes) > 0 {
		w("\nNotes:\n\n%s\n", strings.Join(notes, "\n"))
	}
	if *md != "" {
		if err := os.WriteFile(*md, []byte(out.String()), 0o644); err != nil {
			return err
		}
	}

	// Terminal table.
	tw := os.Stdout
	fmt.Fprintf(tw, "%-34s %5s %6s %5s | %-20s %6s %6s | %-20s %6s %6s\n", "case", "gor", "leaked", "sites",
		"analyze D/D+S sites", "falseD", "falseS", "diff D/D+S sites", "falseD", "falseS")
	line := func(name string, gor, leaked, sites int, a, d toolScore) {
		fmt.Fprintf(tw, "%-34s %5d %6d %5d | %-20s %6d %6d | %-20s %6d %6d\n", name, gor, leaked, sites,
			fmt.Sprintf("%d/%d %d/%d", a.DefiniteTP, ds(a), a.SitesD, a.SitesDS), a.FalseDefinite, a.FalseSuspect,
			fmt.Sprintf("%d/%d %d/%d", d.DefiniteTP, ds(d), d.SitesD, d.SitesDS), d.FalseDefinite, d.FalseSuspect)
	}
	for i := range results {
		r := &results[i]
		name := r.Group + "/" + r.Case
		if len(name) > 34 {
			name = name[:34]
		}
		if r.Error != "" {
			fmt.Fprintf(tw, "%-34s error: %s\n", name, r.Error)
			continue
		}
		line(name, r.Goroutines, r.Leaked, r.Sites, r.Analyze, r.Diff)
	}
	fmt.Fprintln(tw, strings.Repeat("-", 124))
	for _, g := range groups {
		t := byGroup[g]
		line("TOTAL "+g, t.Goroutines, t.Leaked, t.Sites, t.A, t.D)
	}
	line("TOTAL all", all.Goroutines, all.Leaked, all.Sites, all.A, all.D)
	fmt.Fprintf(tw, "\ndiff recall D+S: goroutines %s, sites %s; analyze: goroutines %s, sites %s\n",
		pct(ds(all.D), all.Leaked), pct(all.D.SitesDS, all.Sites), pct(ds(all.A), all.Leaked), pct(all.A.SitesDS, all.Sites))
	fmt.Fprintf(tw, "requirement 1 (no false definite): %s   requirement 2 (diff recall D+S >= 90%% of leaked goroutines in every group): %s   (over leak sites: %s)\n",
		passFailPlain(req1), passFailPlain(req2), passFailPlain(req2sites))
	return nil
}

func passFailPlain(ok bool) string {
	if ok {
		return "PASS"
	}
	return "FAIL"
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: score case|error|report ...")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "case":
		err = cmdCase(os.Args[2:])
	case "error":
		err = cmdError(os.Args[2:])
	case "report":
		err = cmdReport(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "score:", err)
		os.Exit(1)
	}
}
