// Team-defined rewrites (the `rewrite:` entries of .leakhound.yaml's scan section): a Go pattern matched on the
// syntax tree, not on text, and its replacement. Every match is a finding of rule LH020 carrying the replacement as
// its fix, so `scan` lists the sites, `scan --diff` shows the change and `scan --fix` applies it across ./...
//
// Patterns are one Go expression or one statement. Metavariables:
//   $x      any one expression (or identifier, type, field name); a name used twice must match the same text
//   $*args  any number of consecutive elements of a list: call arguments, composite-literal elements, statements
// The replacement is Go text using the pattern's metavariables, plus $ctx when the pattern does not bind it: the
// context in scope at the match (a context.Context parameter, a handler's r.Context(), or a local context declared
// before it); a match with no context in scope is reported without a fix, as is one whose replacement would drop a
// comment. An empty $*args drops the ", " beside it.
// Package qualifiers are matched by name as the file spells them (jwk.NewCache matches where jwk is imported as jwk).
//
// A CompiledRewrite is a plain value (its pattern is copied out of the parse tree), safe to share between threads.
#ifndef LEAKHOUND_SCAN_REWRITE_H_
#define LEAKHOUND_SCAN_REWRITE_H_

#include <string>
#include <vector>

#include "leakhound/scan/config.h"
#include "leakhound/scan/package.h"
#include "leakhound/util/status.h"

namespace leakhound::scan {

class FindingSink;

// A pattern node: a copy of a tree-sitter node of the parsed pattern, comments left out.
struct PatternNode {
  std::string type;
  bool named = false;
  std::string text;      // for leaves
  std::string var;       // metavariable name ("x" for $x, "args" for $*args); empty for plain nodes
  bool list = false;     // $*name
  std::vector<PatternNode> children;  // all children, named and anonymous
};

struct CompiledRewrite {
  RewriteRule rule;
  PatternNode pattern;
  bool uses_ctx = false;  // the replacement names $ctx and the pattern does not bind it
};

// Parses the pattern and checks the replacement (it must parse as Go once its metavariables are filled in, and use
// only the pattern's metavariables and $ctx). Errors read "FILE:LINE: rewrite 'NAME': ...".
util::Result<CompiledRewrite> CompileRewrite(const RewriteRule& rule);

// One match: the node and the text bound to each metavariable.
struct RewriteMatch {
  Node node;
  std::vector<std::pair<std::string, std::string>> bindings;
};

// The outermost matches of `rewrite` in `file`, in source order.
std::vector<RewriteMatch> FindMatches(const CompiledRewrite& rewrite, const SourceFile& file);

// The replacement text for `match` in `file`, or nullopt (and *why) when it needs $ctx and none is in scope, or when
// a comment inside the match is in no metavariable's text (it would be lost).
std::optional<std::string> Replacement(const CompiledRewrite& rewrite, const SourceFile& file, const RewriteMatch& match,
                                       std::string* why);

// Reports every match of every rewrite in `package` to `sink` (rule LH020), with its fix.
void ReportRewrites(const std::vector<CompiledRewrite>& rewrites, const Package& package, FindingSink& sink);

}  // namespace leakhound::scan

#endif  // LEAKHOUND_SCAN_REWRITE_H_
