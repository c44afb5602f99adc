// Fixes: building the text edits that remove a finding (rules call these), applying them to a file's bytes, and
// showing them as a unified diff (`scan --diff`) or writing them (`scan --fix`: atomically, and only to files whose
// content is still what was scanned).
//
// Edits are byte ranges of one file. Inserted lines copy the indentation of the line they follow, so the result
// stays gofmt-clean. Pure functions; thread-safe.
#ifndef LEAKHOUND_SCAN_FIX_H_
#define LEAKHOUND_SCAN_FIX_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leakhound/scan/package.h"
#include "leakhound/util/status.h"

namespace leakhound::scan {

// The indentation (leading tabs and spaces) of the line of `file` that holds byte `at`: what a line inserted
// there, or the later lines of a replacement, take.
std::string LineIndent(const SourceFile& file, uint32_t at);

// An edit replacing bytes [start, end) of `file` with `text`.
TextEdit MakeEdit(const SourceFile& file, uint32_t start, uint32_t end, std::string text);

// A fix that inserts `line` (one statement, no newline) on a line of its own after statement `stmt`, indented as
// `stmt`'s line is.
Fix InsertLineAfter(const SourceFile& file, Node stmt, std::string_view line, std::string description);

// Is `stmt` inside a for loop of its own function (where a defer would pile up, one per iteration)?
bool InLoopOfItsFunction(Node stmt);

// `defer <what>` on a line of its own after the statement declaring `o` (a `:=` or `var` statement directly in a
// block, not in a loop of its function: a defer there would pile up). nullopt when that is not the shape.
std::optional<Fix> DeferAfterDeclaration(const SourceFile& file, const Object& o, std::string_view what,
                                         std::string description);

// An edit adding `import "path"` to `file` (into its first import group, or a new declaration after the package
// clause); nullopt when the file imports it already.
std::optional<TextEdit> AddImportEdit(const SourceFile& file, std::string_view path);

// `after` (an edited `before`) with imports fixed: the paths in `needed` added when missing, and imports that
// `before` used and `after` no longer uses removed (the edits took their last use). Blank and dot imports are left
// alone. Returns `after` unchanged when it does not parse.
std::string FixImports(std::string_view before, std::string_view after, const std::vector<std::string>& needed);

// FNV-1a 64 of a file's bytes: what --fix compares before writing.
uint64_t ContentHash(std::string_view bytes);

// `source` with `edits` applied. Edits that overlap an earlier one are skipped (counted in *skipped).
std::string ApplyEdits(std::string_view source, std::vector<TextEdit> edits, size_t* skipped = nullptr);

// A unified diff (`diff -u` style, 3 lines of context) from `before` to `after`, labelled a/PATH and b/PATH; "" when
// they are equal.
std::string UnifiedDiff(std::string_view path, std::string_view before, std::string_view after);

// What --diff and --fix do with the fixes of `findings` (unsuppressed ones): per file, the current content must hash
// to the finding's content_hash (else the file changed since the scan: skipped, said in `skipped_files`).
struct FixPlan {
  struct File {
    std::string path, display;
    std::string before, after;
    size_t fixes = 0;
    std::map<std::string, size_t> by_rule;  // fixes per rule id
  };
  std::vector<File> files;
  std::vector<std::string> skipped_files;  // "path: why"
  size_t fixes = 0;
};
FixPlan PlanFixes(const std::vector<Finding>& findings);
// Runs every planned file's new content through `gofmt` (found in PATH): an edit that changes a line's length can
// shift the alignment of the trailing comments around it. Files gofmt rejects (the edits broke their syntax) are
// dropped from the plan, left unchanged, and named in the returned list; when gofmt is missing, that is said once.
std::vector<std::string> GofmtPlanned(FixPlan* plan);
// Writes every planned file (temporary file + rename, keeping its mode).
util::Status WriteFixes(const FixPlan& plan);

}  // namespace leakhound::scan

#endif  // LEAKHOUND_SCAN_FIX_H_
