#!/usr/bin/env bash
# Validates leakhound-alerts.yml the way `promtool check rules` does: rulecheck/ calls rulefmt.ParseFile from the
# Prometheus module (pinned in rulecheck/go.mod, v0.54.1), which checks the YAML structure, every PromQL expression
# and every label/annotation template. (`go install .../cmd/promtool@v0.54.1` itself refuses to build: the
# prometheus module's go.mod has replace directives.) The first build downloads the module graph from the Go proxy.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
(cd "$here/rulecheck" && GOWORK=off GOFLAGS=-buildvcs=false go build -o "${TMPDIR:-/tmp}/leakhound-rulecheck" .)
"${TMPDIR:-/tmp}/leakhound-rulecheck" "$here/leakhound-alerts.yml"
