// Command funcs lists every function of a Go package under the name the Go
// runtime prints for it in tracebacks, with its source range, so that a
// finding at FILE:LINE:COL can be mapped to the function it lies in.
//
// Usage:
//
//	funcs FILE.go...                        # one package's files; JSON on stdout
//	funcs -check-binary BIN FILE.go...      # compare the names with BIN's symbol table
//
// Names, as cmd/compile makes them (cmd/compile/internal/ir.closureName) and
// without the package prefix ("main."):
//
//	F                 top-level function (generic: F[...])
//	(*T).M, T.M       method with a pointer / value receiver (generic T: (*T[...]).M)
//	init.0, init.1    func init, numbered in file order across the package
//	F.func1, F.func2  function literals directly inside F, in source order
//	F.func1.1         literals inside a literal: the literal's name, ".", a counter
//	F.gowrap1         the wrapper made for `go call(args)` when the call is not a
//	F.deferwrap2      plain call with no arguments and no results (method calls,
//	                  calls with arguments, builtins); go and defer wrappers share
//	                  one counter per function
//	F-range1          the body of a range-over-func loop; literals and wrappers
//	                  inside it are counted on the nearest function that is not
//	                  a range body
//	init.func1        literals in package-level initialisers (they belong to
//	                  the package's init function; in funcs named _: glob..func1)
//
// The traceback hides wrapper functions (gowrap/deferwrap) at the default
// GOTRACEBACK level: a goroutine started with `go x.M(a)` shows (*T).M as its
// bottom frame, with "created by" naming the function holding the go
// statement. The output therefore also lists, for each go statement, the
// goroutine's "entry": the bottom frame a traceback shows, which is the name
// the runtime's goroutine-leak tests match their expectations against.
//
// Closures created by inlining get the inlined functions' names spliced in
// (Caller.Callee.func1, golang.org/issue/60324); those cannot be predicted
// from the source alone and are not listed: the callee's own copy is.
//
// The package is type-checked (go/types, importing the standard library from
// source) only to resolve callees; errors are tolerated.
package main

import (
	"debug/elf"
	"debug/gosym"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Pos is a 1-based line and byte column, as go/token reports them.
type Pos struct {
	Line int `json:"line"`
	Col  int `json:"col"`
}

// Func is one function as the runtime names it.
type Func struct {
	Name  string `json:"name"`
	Kind  string `json:"kind"` // func, method, init, closure, range, gowrap, deferwrap
	File  string `json:"file"`
	Start Pos    `json:"start"`
	End   Pos    `json:"end"` // just past the closing brace (or the wrapped call)
	// Parent is the function whose body holds this one (closures, range bodies
	// and wrappers only).
	Parent string `json:"parent,omitempty"`
	// Wrapper is true for gowrap/deferwrap: their range is the wrapped call,
	// which the go/defer statement of Parent evaluates; map findings there to
	// Parent.
	Wrapper bool `json:"wrapper,omitempty"`
	// Wraps is the static callee of a wrapper ("" when dynamic or a builtin).
	Wraps string `json:"wraps,omitempty"`
}

// GoStmt is one go statement.
type GoStmt struct {
	File string `json:"file"`
	Pos  Pos    `json:"pos"`
	In   string `json:"in"` // the function holding the statement ("created by")
	// Entry is the bottom frame a traceback of the new goroutine shows: the
	// function literal or static callee (wrappers are hidden). "" when the
	// callee is dynamic (func value, interface method) or a builtin.
	Entry   string `json:"entry"`
	Wrapper string `json:"wrapper,omitempty"` // F.gowrapN when the compiler makes one
}

// Call is a call from one function of the package to another, run on the
// caller's goroutine (plain and deferred calls; not go statements). Via says
// how a dynamic call was resolved: "value" for a call of a func-valued
// parameter or local variable, to each function the package passes for that
// parameter (a literal, a function or a method value) or assigns to that
// variable (a literal); "interface" for a call of an
// interface method, to that method of each type of the package implementing
// the interface. Static calls have no Via.
type Call struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Line  int    `json:"line"`
	Defer bool   `json:"defer,omitempty"`
	Via   string `json:"via,omitempty"`
}

// Output is what funcs prints.
type Output struct {
	Package    string   `json:"package"`
	Files      []string `json:"files"`
	TypeErrors []string `json:"type_errors,omitempty"`
	Funcs      []Func   `json:"funcs"`
	GoStmts    []GoStmt `json:"go_stmts"`
	Calls      []Call   `json:"calls"`
}

// fn is the naming state of one function while walking its body: the
// compiler keeps one counter per function for literals, one for range-func
// bodies and one shared by go and defer wrappers.
type fn struct {
	name        string
	closure     bool // a literal, range body or wrapper (ir.Func.OClosure != nil)
	blank       bool // func _: its literals count on the package-wide counter (glob..funcN)
	rangeParent *fn  // for range bodies: the nearest enclosing non-range function
	funcLitGen  int
	rangeLitGen int
	goDeferGen  int
}

type walker struct {
	fset    *token.FileSet
	info    *types.Info
	pkg     *types.Package
	out     *Output
	globGen int // globClosgen

	// Dynamic calls, resolved after the walk (literals are named as they are
	// reached): calls of func-valued parameters, the functions passed for
	// each parameter at the package's static calls, interface method calls.
	paramCalls []dynCall
	passed     map[*types.Var][]passedFunc
	ifaceCalls []dynCall
}

type dynCall struct {
	from   string
	line   int
	defers bool
	param  *types.Var  // the parameter called
	method *types.Func // the interface method called
}

type passedFunc struct {
	lit  *ast.FuncLit // a literal, named once the walk is done
	name string       // or a function or method value
}

// noteDynamic records a call of a func-valued parameter or of an interface
// method made on cur's goroutine (unless started: the call of a go
// statement), and what a static call passes for its callee's func-valued
// parameters.
func (w *walker) noteDynamic(cur *fn, call *ast.CallExpr, defers, started bool) {
	line := w.pos(call.Pos()).Line
	fun := ast.Unparen(call.Fun)
	if started {
		fun = nil
	}
	switch e := fun.(type) {
	case *ast.Ident:
		if v, ok := w.info.Uses[e].(*types.Var); ok {
			w.paramCalls = append(w.paramCalls, dynCall{from: cur.name, line: line, defers: defers, param: v})
		}
	case *ast.SelectorExpr:
		if sel, ok := w.info.Selections[e]; ok && sel.Kind() == types.MethodVal {
			if _, iface := sel.Recv().Underlying().(*types.Interface); iface {
				if m, ok := sel.Obj().(*types.Func); ok {
					w.ifaceCalls = append(w.ifaceCalls, dynCall{from: cur.name, line: line, defers: defers, method: m})
				}
			}
		}
	}
	f := w.staticCallee(call.Fun)
	if f == nil || f.Pkg() != w.pkg {
		return
	}
	sig, _ := f.Type().(*types.Signature)
	if sig == nil {
		return
	}
	for i, a := range call.Args {
		if i >= sig.Params().Len() {
			break
		}
		p := sig.Params().At(i)
		if _, ok := p.Type().Underlying().(*types.Signature); !ok {
			continue
		}
		if w.passed == nil {
			w.passed = map[*types.Var][]passedFunc{}
		}
		if lit, ok := ast.Unparen(a).(*ast.FuncLit); ok {
			w.passed[p] = append(w.passed[p], passedFunc{lit: lit})
		} else if g := w.staticCallee(a); g != nil && g.Pkg() == w.pkg {
			w.passed[p] = append(w.passed[p], passedFunc{name: w.funcObjName(g)})
		}
	}
}

// resolveDynamic turns the recorded dynamic calls into Calls.
func (w *walker) resolveDynamic(lits map[*ast.FuncLit]string) {
	for _, c := range w.paramCalls {
		for _, p := range w.passed[c.param] {
			to := p.name
			if p.lit != nil {
				to = lits[p.lit]
			}
			if to != "" {
				w.out.Calls = append(w.out.Calls, Call{From: c.from, To: to, Line: c.line, Defer: c.defers, Via: "value"})
			}
		}
	}
	if w.pkg == nil {
		return
	}
	scope := w.pkg.Scope()
	for _, c := range w.ifaceCalls {
		iface, _ := c.method.Type().(*types.Signature).Recv().Type().Underlying().(*types.Interface)
		if iface == nil {
			continue
		}
		for _, name := range scope.Names() {
			tn, ok := scope.Lookup(name).(*types.TypeName)
			if !ok || types.IsInterface(tn.Type()) {
				continue
			}
			ptr := types.NewPointer(tn.Type())
			if !types.Implements(ptr, iface) {
				continue
			}
			obj, _, _ := types.LookupFieldOrMethod(ptr, true, w.pkg, c.method.Name())
			if m, ok := obj.(*types.Func); ok && m.Pkg() == w.pkg {
				w.out.Calls = append(w.out.Calls, Call{From: c.from, To: w.funcObjName(m), Line: c.line, Defer: c.defers, Via: "interface"})
			}
		}
	}
}

// closureName mirrors cmd/compile/internal/ir.closureName for why in
// {"closure", "range", "gowrap", "deferwrap"}.
func (w *walker) closureName(outer *fn, why string) string {
	if outer.rangeParent != nil {
		outer = outer.rangeParent
	}
	prefix, suffix := "glob.", "."
	switch why {
	case "closure":
		if !outer.closure {
			suffix = ".func"
		}
	case "range":
		suffix = "-range"
	case "gowrap":
		suffix = ".gowrap"
	case "deferwrap":
		suffix = ".deferwrap"
	}
	gen := &w.globGen
	if !outer.blank {
		prefix = outer.name
		switch why {
		case "closure":
			gen = &outer.funcLitGen
		case "range":
			gen = &outer.rangeLitGen
		default:
			gen = &outer.goDeferGen
		}
	}
	*gen++
	return fmt.Sprintf("%s%s%d", prefix, suffix, *gen)
}

func (w *walker) pos(p token.Pos) Pos {
	pp := w.fset.Position(p)
	return Pos{pp.Line, pp.Column}
}

func (w *walker) add(name, kind string, from, to token.Pos, parent string) {
	w.out.Funcs = append(w.out.Funcs, Func{
		Name: name, Kind: kind, File: w.fset.Position(from).Filename,
		Start: w.pos(from), End: w.pos(to), Parent: parent,
	})
}

// recvName renders a method's receiver the runtime's way: (*T) or T, with
// [...] for a generic type.
func recvName(expr ast.Expr) string {
	ptr := false
	if s, ok := expr.(*ast.StarExpr); ok {
		ptr, expr = true, s.X
	}
	if p, ok := expr.(*ast.ParenExpr); ok {
		return recvName(p.X)
	}
	name := "?"
	switch e := expr.(type) {
	case *ast.Ident:
		name = e.Name
	case *ast.IndexExpr:
		name = e.X.(*ast.Ident).Name + "[...]"
	case *ast.IndexListExpr:
		name = e.X.(*ast.Ident).Name + "[...]"
	}
	if ptr {
		return "(*" + name + ")"
	}
	return name
}

// funcObjName is the runtime name of a declared function or method; pkg-less
// for this package, "path.Name" for others; "" for interface methods.
func (w *walker) funcObjName(f *types.Func) string {
	sig, _ := f.Type().(*types.Signature)
	name := f.Name()
	if sig != nil && sig.Recv() != nil {
		t := sig.Recv().Type()
		ptr := false
		if p, ok := t.(*types.Pointer); ok {
			ptr, t = true, p.Elem()
		}
		named, ok := t.(*types.Named)
		if !ok {
			return ""
		}
		if _, isIface := named.Underlying().(*types.Interface); isIface {
			return ""
		}
		tn := named.Obj().Name()
		if named.TypeParams().Len() > 0 || named.Origin().TypeParams().Len() > 0 {
			tn += "[...]"
		}
		if ptr {
			tn = "(*" + tn + ")"
		}
		name = tn + "." + name
	} else if sig != nil && sig.TypeParams().Len() > 0 {
		name += "[...]"
	}
	if f.Pkg() != nil && f.Pkg() != w.pkg {
		name = f.Pkg().Path() + "." + name
	}
	return name
}

// staticCallee resolves the function a call expression calls directly: a
// declared function or a concrete method. Func literals are handled by the
// caller. Returns nil for func values, interface methods, builtins and
// conversions.
func (w *walker) staticCallee(fun ast.Expr) *types.Func {
	fun = ast.Unparen(fun)
	switch e := fun.(type) {
	case *ast.IndexExpr: // F[T](...)
		fun = e.X
	case *ast.IndexListExpr:
		fun = e.X
	}
	var id *ast.Ident
	switch e := fun.(type) {
	case *ast.Ident:
		id = e
	case *ast.SelectorExpr:
		if sel, ok := w.info.Selections[e]; ok {
			if f, ok := sel.Obj().(*types.Func); ok && (sel.Kind() == types.MethodVal || sel.Kind() == types.MethodExpr) {
				return f
			}
			return nil // field holding a func value
		}
		id = e.Sel // qualified identifier pkg.F
	default:
		return nil
	}
	if f, ok := w.info.Uses[id].(*types.Func); ok {
		return f
	}
	return nil
}

// needsWrapper reports whether `go call`/`defer call` gets a gowrap or
// deferwrap: unless the call is a plain function call (not a method call,
// which passes its receiver) with no parameters and no results
// (cmd/compile/internal/typecheck.normalizeGoDeferCall).
func (w *walker) needsWrapper(call *ast.CallExpr) bool {
	fun := ast.Unparen(call.Fun)
	if tv, ok := w.info.Types[fun]; ok && tv.IsBuiltin() {
		return true
	}
	if sel, ok := fun.(*ast.SelectorExpr); ok {
		if s, ok := w.info.Selections[sel]; ok && (s.Kind() == types.MethodVal || s.Kind() == types.MethodExpr) {
			return true
		}
	}
	if f := w.staticCallee(fun); f != nil {
		if sig, ok := f.Type().(*types.Signature); ok && sig.TypeParams().Len() > 0 {
			return true // instantiated generic functions take a dictionary
		}
	}
	tv, ok := w.info.Types[fun]
	if !ok || tv.Type == nil {
		// Untyped (type errors): literals and plain identifiers are the
		// common zero-argument forms.
		return len(call.Args) > 0
	}
	sig, ok := tv.Type.Underlying().(*types.Signature)
	if !ok {
		return true
	}
	return sig.Params().Len()+sig.Results().Len() > 0
}

// calleeName is the runtime name of what call calls directly, with lits
// giving the names of func literals seen so far; local reports whether it is
// a function of this package.
func (w *walker) calleeName(call *ast.CallExpr, lits map[*ast.FuncLit]string) (name string, local bool) {
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		return lits[lit], true
	}
	if f := w.staticCallee(call.Fun); f != nil {
		return w.funcObjName(f), f.Pkg() == w.pkg
	}
	return "", false
}

// walkFunc walks the body of cur, naming the functions nested in it in
// source order.
func (w *walker) walkFunc(cur *fn, body ast.Node, lits map[*ast.FuncLit]string) {
	if body == nil {
		return
	}
	// goCall marks the call expression of each go statement (not a call made
	// on this goroutine).
	goCall := map[*ast.CallExpr]bool{}
	deferCall := map[*ast.CallExpr]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			name := w.closureName(cur, "closure")
			lits[n] = name
			w.add(name, "closure", n.Pos(), n.End(), cur.name)
			w.walkFunc(&fn{name: name, closure: true}, n.Body, lits)
			return false
		case *ast.RangeStmt:
			if w.isRangeFunc(n.X) {
				// The loop body becomes a closure; the range expression and
				// key/value stay in cur.
				for _, e := range []ast.Node{n.Key, n.Value, n.X} {
					if e != nil {
						w.walkFunc(cur, e, lits)
					}
				}
				name := w.closureName(cur, "range")
				w.add(name, "range", n.Body.Lbrace, n.Body.End(), cur.name)
				rp := cur
				if cur.rangeParent != nil {
					rp = cur.rangeParent
				}
				w.walkFunc(&fn{name: name, closure: true, rangeParent: rp}, n.Body, lits)
				return false
			}
		case *ast.GoStmt, *ast.DeferStmt:
			var call *ast.CallExpr
			why := "gowrap"
			if g, ok := n.(*ast.GoStmt); ok {
				call = g.Call
				goCall[call] = true
			} else {
				call = n.(*ast.DeferStmt).Call
				why = "deferwrap"
				deferCall[call] = true
			}
			// The call's operands (and any literal in them) are read before
			// the statement is type-checked: literals are numbered first,
			// but they live in separate counters anyway.
			w.walkFunc(cur, call.Fun, lits)
			for _, a := range call.Args {
				w.walkFunc(cur, a, lits)
			}
			wrapper := ""
			if w.needsWrapper(call) {
				wrapper = w.closureName(cur, why)
				w.add(wrapper, why, call.Pos(), call.End(), cur.name)
				last := &w.out.Funcs[len(w.out.Funcs)-1]
				last.Wrapper = true
				last.Wraps, _ = w.calleeName(call, lits)
			}
			to, local := w.calleeName(call, lits)
			if why == "gowrap" {
				w.out.GoStmts = append(w.out.GoStmts, GoStmt{
					File: w.fset.Position(n.Pos()).Filename, Pos: w.pos(n.Pos()),
					In: cur.name, Entry: to, Wrapper: wrapper,
				})
			} else if local && to != "" {
				w.out.Calls = append(w.out.Calls, Call{From: cur.name, To: to, Line: w.pos(call.Pos()).Line, Defer: true})
			}
			// A deferred dynamic call runs on this goroutine, a go statement's
			// does not; what either passes for func parameters counts.
			w.noteDynamic(cur, call, why == "deferwrap", why == "gowrap")
			return false
		case *ast.AssignStmt:
			// f := func() {...}: a later f() calls the literal.
			if len(n.Lhs) == len(n.Rhs) {
				for i, r := range n.Rhs {
					lit, ok := ast.Unparen(r).(*ast.FuncLit)
					id, isID := n.Lhs[i].(*ast.Ident)
					if !ok || !isID {
						continue
					}
					v, _ := w.info.Defs[id].(*types.Var)
					if v == nil {
						v, _ = w.info.Uses[id].(*types.Var)
					}
					if v != nil {
						if w.passed == nil {
							w.passed = map[*types.Var][]passedFunc{}
						}
						w.passed[v] = append(w.passed[v], passedFunc{lit: lit})
					}
				}
			}
		case *ast.CallExpr:
			if !goCall[n] && !deferCall[n] {
				if lit, ok := ast.Unparen(n.Fun).(*ast.FuncLit); ok {
					// Immediately invoked literal: name it first, then record the call.
					w.walkFunc(cur, lit, lits)
					for _, a := range n.Args {
						w.walkFunc(cur, a, lits)
					}
					w.out.Calls = append(w.out.Calls, Call{From: cur.name, To: lits[lit], Line: w.pos(n.Pos()).Line})
					return false
				}
				if to, local := w.calleeName(n, lits); local && to != "" {
					w.out.Calls = append(w.out.Calls, Call{From: cur.name, To: to, Line: w.pos(n.Pos()).Line})
				}
				w.noteDynamic(cur, n, false, false)
			}
		}
		return true
	})
}

// isRangeFunc reports whether x, ranged over, is a function (an iterator).
func (w *walker) isRangeFunc(x ast.Expr) bool {
	tv, ok := w.info.Types[x]
	if !ok || tv.Type == nil {
		return false
	}
	_, ok = tv.Type.Underlying().(*types.Signature)
	return ok
}

func run(files []string) (*Output, error) {
	// The compiler sees a package's files sorted by name (go list order).
	files = append([]string(nil), files...)
	sort.Slice(files, func(i, j int) bool { return filepath.Base(files[i]) < filepath.Base(files[j]) })
	fset := token.NewFileSet()
	var asts []*ast.File
	for _, f := range files {
		af, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		asts = append(asts, af)
	}
	out := &Output{Files: files, Funcs: []Func{}, GoStmts: []GoStmt{}, Calls: []Call{}}
	if len(asts) > 0 {
		out.Package = asts[0].Name.Name
	}
	info := &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Uses:       map[*ast.Ident]types.Object{},
		Defs:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
	conf := types.Config{
		Importer: importer.ForCompiler(fset, "source", nil),
		Error:    func(err error) { out.TypeErrors = append(out.TypeErrors, err.Error()) },
	}
	pkg, _ := conf.Check(out.Package, fset, asts, info)
	w := &walker{fset: fset, info: info, pkg: pkg, out: out}

	initN := 0
	// Package-level initialisers run in the package's init function, whose
	// literals are init.func1, init.func2... (not glob..funcN any more).
	glob := &fn{name: "init"}
	lits := map[*ast.FuncLit]string{}
	for _, af := range asts {
		for _, d := range af.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				name, kind := d.Name.Name, "func"
				switch {
				case d.Recv != nil && len(d.Recv.List) > 0:
					name, kind = recvName(d.Recv.List[0].Type)+"."+name, "method"
				case name == "init":
					name, kind = fmt.Sprintf("init.%d", initN), "init"
					initN++
				case d.Type.TypeParams != nil && len(d.Type.TypeParams.List) > 0:
					name += "[...]"
				}
				if d.Body == nil {
					continue
				}
				w.add(name, kind, d.Pos(), d.End(), "")
				w.walkFunc(&fn{name: name, blank: d.Name.Name == "_"}, d.Body, lits)
			case *ast.GenDecl:
				// Literals in package-level initialisers: init.funcN.
				for _, s := range d.Specs {
					if vs, ok := s.(*ast.ValueSpec); ok {
						for _, v := range vs.Values {
							w.walkFunc(glob, v, lits)
						}
					}
				}
			}
		}
	}
	w.resolveDynamic(lits)
	sort.SliceStable(out.Funcs, func(i, j int) bool {
		a, b := out.Funcs[i], out.Funcs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Start != b.Start {
			return a.Start.Line < b.Start.Line || a.Start.Line == b.Start.Line && a.Start.Col < b.Start.Col
		}
		return a.Name < b.Name
	})
	return out, nil
}

// checkBinary compares the names of out with the functions of the Go binary
// bin built from the same files: each function symbol of the package whose
// entry lies in one of the files must be listed, under the same name, with a
// range holding its entry line.
func checkBinary(out *Output, bin string, verbose bool) (bad int, err error) {
	ef, err := elf.Open(bin)
	if err != nil {
		return 0, err
	}
	defer ef.Close()
	pcln, text := ef.Section(".gopclntab"), ef.Section(".text")
	if pcln == nil || text == nil {
		return 0, fmt.Errorf("%s: no .gopclntab/.text", bin)
	}
	data, err := pcln.Data()
	if err != nil {
		return 0, err
	}
	tab, err := gosym.NewTable(nil, gosym.NewLineTable(data, text.Addr))
	if err != nil {
		return 0, err
	}
	byBase := map[string]bool{}
	for _, f := range out.Files {
		byBase[filepath.Base(f)] = true
	}
	byName := map[string]Func{}
	for _, f := range out.Funcs {
		byName[f.Name] = f
	}
	seen := map[string]bool{}
	ok, inlined := 0, 0
	for _, f := range tab.Funcs {
		if !strings.HasPrefix(f.Name, out.Package+".") {
			continue
		}
		file, line, _ := tab.PCToLine(f.Entry)
		if !byBase[filepath.Base(file)] {
			continue
		}
		name := shapeless(strings.TrimPrefix(f.Name, out.Package+"."))
		seen[name] = true
		g, found := byName[name]
		switch {
		case !found:
			if g := inlineOriginal(out, name, file, line); g != nil {
				// A literal copied by inlining: Caller.Callee.func1 for
				// Callee.func1 (golang.org/issue/60324); not predictable.
				fmt.Printf("inlined  %s: a copy of %s (%s:%d)\n", name, g.Name, filepath.Base(file), line)
				inlined++
				continue
			}
			fmt.Printf("MISSING  %s (binary: %s:%d)\n", name, filepath.Base(file), line)
			bad++
		case filepath.Base(g.File) != filepath.Base(file) || line < g.Start.Line || line > g.End.Line:
			fmt.Printf("RANGE    %s: binary %s:%d, listed %s:%d-%d\n", name, filepath.Base(file), line,
				filepath.Base(g.File), g.Start.Line, g.End.Line)
			bad++
		default:
			if verbose {
				fmt.Printf("ok       %s (%s:%d)\n", name, filepath.Base(file), line)
			}
			ok++
		}
	}
	absent := 0
	for _, f := range out.Funcs {
		if !seen[f.Name] {
			absent++
			fmt.Printf("absent   %s (%s:%d; inlined everywhere or dead: not an error)\n", f.Name, filepath.Base(f.File), f.Start.Line)
		}
	}
	fmt.Printf("checked %d symbols: %d match, %d wrong, %d copies made by inlining; %d listed functions have no symbol\n",
		ok+bad+inlined, ok, bad, inlined, absent)
	return bad, nil
}

// inlineOriginal finds the listed literal or wrapper that a symbol missing
// from the list copies: one starting at the symbol's entry line whose
// top-level function's name appears, after a dot, inside the symbol's name.
func inlineOriginal(out *Output, name, file string, line int) *Func {
	byName := map[string]*Func{}
	for i := range out.Funcs {
		byName[out.Funcs[i].Name] = &out.Funcs[i]
	}
	for i := range out.Funcs {
		g := &out.Funcs[i]
		if g.Parent == "" || g.Start.Line != line || filepath.Base(g.File) != filepath.Base(file) {
			continue
		}
		root := g
		for root.Parent != "" && byName[root.Parent] != nil {
			root = byName[root.Parent]
		}
		if strings.Contains(name, "."+root.Name+".") {
			return g
		}
	}
	return nil
}

// shapeless rewrites the type arguments of a linker symbol name the way
// tracebacks print them: Gen[go.shape.int].func1 -> Gen[...].func1.
func shapeless(name string) string {
	var b strings.Builder
	depth := 0
	for _, r := range name {
		switch {
		case r == '[':
			if depth == 0 {
				b.WriteString("[...]")
			}
			depth++
		case r == ']':
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func main() {
	bin := flag.String("check-binary", "", "compare with the symbol table of this Go binary built from the files")
	verbose := flag.Bool("v", false, "with -check-binary: print the matching symbols too")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: funcs [-check-binary BIN] FILE.go...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	out, err := run(flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "funcs:", err)
		os.Exit(1)
	}
	if *bin != "" {
		bad, err := checkBinary(out, *bin, *verbose)
		if err != nil {
			fmt.Fprintln(os.Stderr, "funcs:", err)
			os.Exit(1)
		}
		if bad > 0 {
			os.Exit(1)
		}
		return
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "funcs:", err)
		os.Exit(1)
	}
}
