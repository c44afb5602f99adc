// The units a scan works on: a SourceFile (bytes, syntax tree, imports, resolution, suppression comments) and a
// Package (the files of one directory with the same package clause, analysed together, with an index of its
// functions and methods by name). Findings and Diagnostics are what rules and the parser produce.
//
// A SourceFile owns its bytes (mapped or read) and its Tree; every Node and string_view taken from it stays valid
// while it lives. A Package refers to SourceFiles owned by the ScanResult's file list. Once Package::Prepare has run,
// both are read-only and may be read from many threads.
#ifndef LEAKHOUND_SCAN_PACKAGE_H_
#define LEAKHOUND_SCAN_PACKAGE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "leakhound/scan/build_constraints.h"
#include "leakhound/scan/syntax.h"
#include "leakhound/scan/ts.h"
#include "leakhound/util/mapped_file.h"
#include "leakhound/util/status.h"

namespace leakhound::scan {

enum class Severity { kError, kWarning, kNote };
std::string_view SeverityName(Severity s);  // "error", "warning", "note" (SARIF levels)
bool ParseSeverity(std::string_view s, Severity* out);

// 1-based line; 1-based column counted in bytes, like go vet.
struct Position {
  uint32_t line = 0;
  uint32_t column = 0;
};

// One replacement in a file: bytes [start, end) become `text` (an insertion when start == end). Positions are the
// same places as line:column (1-based, bytes), for SARIF.
struct TextEdit {
  uint32_t start = 0, end = 0;
  Position start_pos, end_pos;
  std::string text;
};

// A mechanical change that removes a finding, shown before it is applied (scan --diff, SARIF `fixes`) and applied
// by scan --fix. Every edit is in the finding's file; the result is gofmt-clean.
struct Fix {
  std::string description;
  std::vector<TextEdit> edits;
  std::vector<std::string> imports;  // import paths the new code uses: added to the file when missing
};

struct Finding {
  std::string file;     // path as displayed (relative to the working directory when below it)
  Position start, end;  // end is exclusive, like SARIF's endColumn
  std::string_view rule_id;    // "LH001" (static storage: the rule table)
  std::string_view rule_name;  // "abandoned-sender"
  Severity severity = Severity::kWarning;
  std::string message;
  std::string suggestion;      // optional fix, e.g. "make(chan result, 1)"
  bool suppressed = false;
  std::string suppression;     // the suppressing comment ("//nolint:LH001", "//lint:ignore LH001 reason")
  std::string snippet;         // the source line, for fingerprints
  std::optional<Fix> fix;      // offered when the change is mechanical and safe
  std::string path;            // the file as read (for --fix), and its content's hash when the fix was made
  uint64_t content_hash = 0;
  // Kept only when some package of the scan provides this (LH016: "range:Updates", a consumer that ranges over what
  // a method hands out); empty: always kept. Not part of the report.
  std::string needs;
};

// A problem with the input rather than the code: unreadable file, syntax error.
struct Diagnostic {
  std::string file;
  Position position;  // line 0: the whole file
  std::string message;
};

// //nolint, //nolint:leakhound, //nolint:LH001,LH003 and //lint:ignore LH001 reason comments by line.
struct Suppression {
  uint32_t line = 0;        // 1-based line of the comment
  bool own_line = false;    // the comment is alone on its line (it then covers the next line too)
  bool all = false;         // //nolint or //nolint:leakhound
  std::vector<std::string> ids;  // rule ids or names
  std::string text;
};

struct FileFacts;  // facts.h

struct SourceFile {
  std::string path;     // as found by the walker
  std::string display;  // relative to the working directory when below it
  bool is_test = false;
  bool generated = false;  // `// Code generated ... DO NOT EDIT.` before the package clause: no findings in it
  std::optional<util::MappedFile> mapped;
  std::string owned;    // when not mapped (tests, stdin)
  Tree tree;
  std::string_view package_name;
  Imports imports;
  FileSyntax syntax;
  std::vector<Suppression> suppressions;
  std::vector<uint32_t> line_starts;  // byte offset of each line
  // Channel and context facts (facts.h), computed on first use and kept: several rules ask for them. Set up by
  // ParseFile; thread-safe.
  std::shared_ptr<FileFacts> facts;

  std::string_view source() const { return mapped ? mapped->bytes() : std::string_view(owned); }
  Node root() const { return tree.Root(); }
  std::string_view Text(Node n) const { return n.Text(source()); }
  Position At(uint32_t byte) const;
  Position Start(Node n) const { return At(n.StartByte()); }
  Position End(Node n) const { return At(n.EndByte()); }
  std::string_view Line(uint32_t line) const;  // 1-based, without the newline
  // The suppression covering a finding of rule (id, name) at `line`, or nullptr.
  const Suppression* SuppressedAt(uint32_t line, std::string_view id, std::string_view name) const;
};

// The deepest syntax tree a file may have to be analyzed (named nodes from the root). Real Go stays below ~100.
inline constexpr uint32_t kMaxNestingDepth = 1000;

// Parses `file->source()` into `file->tree` and fills package_name, imports, line_starts and suppressions; syntax
// errors (ERROR and MISSING nodes) go to `diagnostics` as "syntax error" with their position.
void ParseFile(Parser& parser, SourceFile* file, std::vector<Diagnostic>* diagnostics);

// Reads and parses the Go file at `path` (shown as `display`) when a build in `build` compiles it; null when it does
// not, when it cannot be read (said in `diagnostics`) or when it is left out after parsing (nested too deep).
std::unique_ptr<SourceFile> ReadSourceFile(const std::string& path, std::string display, const BuildContext& build,
                                           Parser& parser, std::vector<Diagnostic>* diagnostics);

struct FunctionRef {
  const SourceFile* file = nullptr;
  Node decl;  // function_declaration or method_declaration
  std::string_view receiver_type;  // "Pool" for func (p *Pool) emit(); empty for functions
};

struct ModelSlot;  // model.cc: the package's concurrency model, built on first use
std::shared_ptr<ModelSlot> NewModelSlot();

// Settings of the fixes rules offer (scan.fixes in .leakhound.yaml).
struct FixSettings {
  std::string read_header_timeout = "10 * time.Second";  // LH007's ReadHeaderTimeout, as a Go expression
};

struct Package {
  std::string dir;
  std::string_view name;
  std::vector<SourceFile*> files;
  std::optional<std::pair<int, int>> go_version;  // from the nearest go.mod's `go` line: {1, 23}
  FixSettings fix_settings;
  // Functions and methods of the package by bare name ("worker", "emit"); methods of several types share a name.
  std::unordered_multimap<std::string_view, FunctionRef> functions;
  // ModelOf(package) (model.h), built once by whichever rule asks first. Set by Prepare.
  std::shared_ptr<ModelSlot> model_slot;

  // Builds the function index, package-level objects and every file's resolution. Called once, before rules run.
  void Prepare();
  // The function declarations named `name` (functions first, then methods).
  std::vector<FunctionRef> Lookup(std::string_view name) const;
  // The single function or method a call's callee resolves to, following one level: `worker(ch)`, `s.loop()`.
  // nullopt when there is none or it is ambiguous.
  std::optional<FunctionRef> Target(const SourceFile& file, Node call) const;
  // The file of this package whose tree `n` belongs to, or nullptr.
  const SourceFile* FileOf(Node n) const {
    for (const SourceFile* f : files) {
      if (f->tree.ok() && f->root().raw().tree == n.raw().tree) return f;
    }
    return nullptr;
  }
  // Go >= major.minor according to go.mod (false when unknown).
  bool GoAtLeast(int major, int minor) const {
    return go_version && (go_version->first > major || (go_version->first == major && go_version->second >= minor));
  }
};

// The go.mod of `dir` or its nearest parent: its directory and text; false when there is none.
bool ReadNearestGoMod(const std::string& dir, std::string* root, std::string* contents);
// The `go` directive of the go.mod in `dir` or its nearest parent: "go 1.23.4" -> {1, 23}.
std::optional<std::pair<int, int>> FindGoVersion(const std::string& dir);

}  // namespace leakhound::scan

#endif  // LEAKHOUND_SCAN_PACKAGE_H_
