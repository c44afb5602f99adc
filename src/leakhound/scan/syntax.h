// The Go-syntax layer every rule shares, over a tree-sitter tree: the import table of a file (aliases, dot imports,
// blank imports), declared objects with scopes and identifier resolution (closures see their outer variables), callee
// resolution ("time.NewTicker" however `time` was imported), and small tree helpers (enclosing function, loop,
// select, go statement).
//
// Objects and Resolutions live in a FileSyntax owned by the SourceFile (package.h); the Nodes and string_views they
// hold stay valid as long as that SourceFile. Built once per file by one thread, then read-only: safe to share.
#ifndef LEAKHOUND_SCAN_SYNTAX_H_
#define LEAKHOUND_SCAN_SYNTAX_H_

#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "leakhound/scan/ts.h"

namespace leakhound::scan {

// import "net/http" / import h "net/http" / import . "time" / import _ "embed".
struct Imports {
  std::map<std::string, std::string, std::less<>> by_name;  // local name -> import path
  std::vector<std::string> dot;                             // paths imported with `.`

  // The import path bound to `local` ("http" -> "net/http"), or "" when `local` names no import.
  std::string_view PathOf(std::string_view local) const;
  // The local name under which `path` is imported ("" if it is not, "." for a dot import).
  std::string_view NameOf(std::string_view path) const;
  bool Has(std::string_view path) const { return !NameOf(path).empty(); }
};

// The package name an import path declares by convention: "net/http" -> "http", "gopkg.in/yaml.v3" -> "yaml",
// "github.com/x/y/v2" -> "y", "github.com/x/go-redis" -> "redis".
std::string DefaultImportName(std::string_view path);

Imports ReadImports(Node root, std::string_view source);

enum class ObjectKind { kVar, kParam, kResult, kReceiver, kConst, kFunc, kType, kLabel };

// Something declared: a variable, parameter, constant, function or type.
struct Object {
  std::string_view name;
  ObjectKind kind = ObjectKind::kVar;
  Node ident;     // the declaring identifier
  Node decl;      // short_var_declaration, var_spec, parameter_declaration, range_clause, receive_statement, ...
  Node type;      // the declared type, when written
  Node value;     // the initialising expression, when there is one (for `a, b := f()` both get f())
  int value_index = 0;  // which result of `value` this object receives (1 for `cancel` in `ctx, cancel := ...`)
  Node function;  // innermost function_declaration / method_declaration / func_literal; null at package level
  bool package_level = false;
  std::vector<Node> uses;         // identifiers that resolve to this object (not the declaring one)
  std::vector<Node> assignments;  // identifiers on the left of `=` (or of a redeclaring `:=`)
  std::vector<Node> assigned_values;  // the matching right-hand sides (null when not one-to-one)
  bool address_taken = false;     // &x somewhere
};

// Objects and identifier resolution for one file. Package-level objects of the other files of the package are
// visible too (Package::Resolve builds them all together).
class FileSyntax {
 public:
  // The object an `identifier` node refers to, or nullptr (builtins, imported package names, unresolvable).
  const Object* Resolve(Node identifier) const;
  // The object declared by a declaring identifier node.
  const Object* Declared(Node identifier) const;
  const std::deque<Object>& objects() const { return objects_; }

 private:
  friend class Resolver;
  std::deque<Object> objects_;
  std::unordered_map<uint32_t, Object*> uses_;   // identifier start byte -> object
  std::unordered_map<uint32_t, Object*> decls_;  // declaring identifier start byte -> object
};

// How a call's callee resolved.
struct Callee {
  enum class Kind { kUnknown, kBuiltin, kImported, kLocalFunc, kMethod, kFuncValue };
  Kind kind = Kind::kUnknown;
  std::string qualified;  // kImported: "time.NewTicker", "net/http.ListenAndServe"; kBuiltin: "make"; kLocalFunc:
                          // "worker"; kMethod: ".Stop"
  std::string_view name;  // the bare name: "NewTicker", "make", "worker", "Stop"
  Node receiver;          // kMethod: the operand of the selector (`t` in `t.Stop()`)
  const Object* object = nullptr;  // kLocalFunc / kFuncValue: what the name resolved to
};

struct SourceFile;
// Package-level objects of every file of a package by name.
using PackageScope = std::unordered_map<std::string_view, Object*>;
// Declares the package-level objects of `file` (functions, vars, consts, types) in `file->syntax` and `scope`.
void DeclarePackageObjects(SourceFile* file, PackageScope* scope);
// Resolves every identifier of `file` against its local scopes and then `scope`.
void ResolveFile(SourceFile* file, const PackageScope& scope);

Callee ResolveCallee(const SourceFile& file, Node call);
// True when `call` calls one of `qualified` names ("time.NewTicker", ...).
bool CallIs(const SourceFile& file, Node call, std::string_view qualified);

// All children of `n` in field `name` (a parameter_declaration has several `name`s).
std::vector<Node> FieldAll(Node n, std::string_view name);

// Tree helpers. `stop` bounds the walk up (it is not crossed); a null stop walks to the root.
bool IsFunction(Node n);  // function_declaration, method_declaration or func_literal
Node EnclosingFunction(Node n);
Node EnclosingOfType(Node n, std::string_view type, Node stop = {});
// The go_statement whose function literal (transitively) contains n, below `stop`.
Node EnclosingGo(Node n, Node stop = {});
// The for_statement around n within its function.
Node EnclosingLoop(Node n);
// The select_statement around n within its function, and the case (communication_case / default_case) it is in.
Node EnclosingSelect(Node n, Node* select_case = nullptr);
// Strips parentheses.
Node Unparen(Node n);
// The statements of a block (block -> statement_list -> statements).
std::vector<Node> Statements(Node block);
// The statement after `st` in its statement list (comments skipped); null when it is the last one or `st` is not in
// a statement list.
Node NextStatement(Node st);
// The function a go/defer statement runs: the func_literal, or null when it calls a named function.
Node GoFuncLiteral(Node go_or_defer);
// The call_expression of a go/defer statement.
Node GoCall(Node go_or_defer);
// Name of a function_declaration / method_declaration ("" for literals).
std::string_view FunctionName(Node fn, std::string_view source);
// Is this `for` loop without condition and range (`for { ... }` / `for ;; { ... }`)?
bool IsInfiniteLoop(Node for_statement);
// The nodes under `root` (not below nested func literals unless `into_literals`) whose type is `type`.
enum class IntoLiterals { kNo, kYes };
std::vector<Node> FindAll(Node root, std::string_view type, IntoLiterals into = IntoLiterals::kNo);

}  // namespace leakhound::scan

#endif  // LEAKHOUND_SCAN_SYNTAX_H_
