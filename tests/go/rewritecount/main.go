// rewritecount counts, with go/ast, the sites that two rewrites of tests (scan.rewrite, LH020) should match in the
// .go files under a directory, per file: an oracle independent of leakhound's matcher.
//
//	go run main.go DIR
//
// prints "FILE AFTER BGTIMEOUT" per file with a site, where AFTER counts time.After(x) calls and BGTIMEOUT counts
// context.WithTimeout(context.Background(), x) calls. Directories that go build skips (testdata, vendor, hidden,
// _-prefixed) are skipped, and so are files whose build constraints exclude them for the default GOOS/GOARCH and tags.
package main

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// isCall reports whether e is a call of pkg.name with n arguments.
func isCall(e ast.Expr, pkg, name string, n int) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok || len(call.Args) != n || call.Ellipsis.IsValid() {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == pkg
}

func main() {
	root := os.Args[1]
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") ||
				strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		if ok, err := build.Default.MatchFile(filepath.Dir(path), name); err != nil || !ok {
			return nil // excluded by its build constraints, as leakhound excludes it
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil // leakhound reports syntax errors itself
		}
		after, bg := 0, 0
		ast.Inspect(f, func(n ast.Node) bool {
			e, ok := n.(ast.Expr)
			if !ok {
				return true
			}
			if isCall(e, "time", "After", 1) {
				after++
			}
			if isCall(e, "context", "WithTimeout", 2) && isCall(e.(*ast.CallExpr).Args[0], "context", "Background", 0) {
				bg++
			}
			return true
		})
		if after+bg > 0 {
			rel, _ := filepath.Rel(root, path)
			fmt.Printf("%s %d %d\n", filepath.ToSlash(rel), after, bg)
		}
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
