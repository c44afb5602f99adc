// rulecheck validates Prometheus rule files the way `promtool check rules` does (rulefmt.ParseFile: YAML
// structure, PromQL expressions, label and annotation templates).
package main

import (
	"fmt"
	"os"

	"github.com/prometheus/prometheus/model/rulefmt"
)

func main() {
	bad := false
	for _, f := range os.Args[1:] {
		groups, errs := rulefmt.ParseFile(f)
		for _, err := range errs {
			fmt.Fprintf(os.Stderr, "%s: %v\n", f, err)
			bad = true
		}
		if len(errs) == 0 {
			n := 0
			for _, g := range groups.Groups {
				n += len(g.Rules)
			}
			fmt.Printf("%s: SUCCESS: %d rules found\n", f, n)
		}
	}
	if bad {
		os.Exit(1)
	}
}
