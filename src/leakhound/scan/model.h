// The per-package concurrency model the cross-function rules work on, built once per package from the syntax trees:
//
// - the package's struct types and their fields, so that an expression's type can be followed through receivers,
//   parameters, declared variables, composite literals, new(T), field selections and single-result calls;
// - its sync objects, named by where they live: a struct field ("Pool.mu", "Container.Mutex" for an embedded
//   sync.Mutex), a package variable ("var.done"), or a local variable ("local.<offset>");
// - every function, method and function literal with, in source order, what it does to those objects (Lock, RLock,
//   Unlock, RUnlock, send, receive, range, close, Add, Done, Wait, Cond Wait, Signal, Broadcast), the calls it makes
//   to functions of the package (the callee resolved by name and receiver type, and which of the callee's receiver
//   or parameters the call's operand binds), and the goroutines it starts; each event with the locks definitely held
//   at that point (a syntactic walk: branches that end in return/panic/break/continue do not carry their unlocks
//   past them, branches otherwise keep what both sides hold, `defer mu.Unlock()` holds to the end).
//
// The model holds Nodes and pointers into the package's SourceFiles and is valid while they live. Built once (on
// first use, by whichever thread asks) and read-only afterwards.
#ifndef LEAKHOUND_SCAN_MODEL_H_
#define LEAKHOUND_SCAN_MODEL_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "leakhound/scan/package.h"
#include "leakhound/scan/syntax.h"

namespace leakhound::scan {

enum class SyncKind { kMutex, kRWMutex, kWaitGroup, kCond, kChan, kUnknown };

enum class SyncOpKind {
  kLock, kRLock, kUnlock, kRUnlock,      // Mutex / RWMutex
  kSend, kRecv, kRange, kClose,          // channels
  kAdd, kDone, kWait,                    // WaitGroup
  kCondWait, kSignal, kBroadcast,        // Cond
};
std::string_view SyncOpName(SyncOpKind k);

struct FunctionModel;

struct SyncEvent {
  enum class Type { kOp, kCall, kGo, kLeave };  // kLeave: a break or continue (with the locks held there)
  Type type = Type::kOp;
  Node node;                      // the call, send statement, receive expression or for statement
  // kOp:
  SyncOpKind op = SyncOpKind::kLock;
  SyncKind kind = SyncKind::kUnknown;
  std::string key;                // the object: "Pool.mu", "var.done", "local.1234"
  const Object* base = nullptr;   // the variable the object was reached from (c in c.mu.Lock()), when one
  bool blocking = true;           // a send/receive that is not a select case with another way out
  bool deferred = false;          // in a defer statement
  // kCall / kGo: the package function it calls or starts (null when outside the package or unresolved), and which
  // of the callee's objects the call's operand / arguments bind: callee receiver or parameter -> caller variable.
  const FunctionModel* callee = nullptr;
  bool via_value = false;         // the callee is a func value (a callback field, a parameter) the model resolved
  std::vector<std::pair<const Object*, const Object*>> binds;  // (callee's param/receiver, caller's variable)
  std::vector<std::pair<const Object*, std::string>> arg_keys;  // (callee's param, the object key of the argument)
  // The locks definitely held when this event happens (keys), and the variables they were reached from.
  std::vector<std::pair<std::string, const Object*>> held;
};

struct FunctionModel {
  const SourceFile* file = nullptr;
  Node fn;                   // function_declaration, method_declaration or func_literal
  std::string name;          // "Pool.emit", "worker", "Pool.emit.func1"
  std::string receiver_type; // "Pool" for methods
  const Object* receiver = nullptr;
  const FunctionModel* parent = nullptr;  // a literal's enclosing function
  Node go;                   // the go statement that starts this literal, when it is one
  std::vector<SyncEvent> events;          // in source order, literals' bodies excluded (they are functions too)
  // Calls of methods of the package's interfaces, one kCall per implementation (Implementations): kept apart, since
  // the implementation is a guess that only the lock-order rule (LH017) takes up; the others need the exact callee.
  std::vector<SyncEvent> interface_calls;
};

class PackageModel {
 public:
  explicit PackageModel(const Package& package);

  const std::vector<std::unique_ptr<FunctionModel>>& functions() const { return functions_; }
  // The function model of a function node, or nullptr.
  const FunctionModel* Of(Node fn) const;
  // A struct type's field type node ("Pool", "mu"), or null.
  Node FieldType(std::string_view type, std::string_view field) const;
  // The struct types of the package by name.
  bool IsStruct(std::string_view type) const { return structs_.count(type) > 0; }
  // Every op on `key` in the package, with the function it is in.
  std::vector<std::pair<const FunctionModel*, const SyncEvent*>> OpsOn(std::string_view key) const;
  // Does the object escape the package's view: passed to a function outside the package, assigned to another
  // variable or field, returned, or its address taken? (Then an op elsewhere may complete what the package cannot.)
  bool Escapes(std::string_view key) const {
    return escapes_.count(std::string(key)) > 0 || aliased_.count(std::string(key)) > 0;
  }
  // Where a channel object is returned to a caller (`return s.updates`): the function and the returned expression.
  std::vector<std::pair<const FunctionModel*, Node>> Returned(std::string_view key) const {
    auto it = returned_.find(key);
    return it == returned_.end() ? std::vector<std::pair<const FunctionModel*, Node>>() : it->second;
  }
  // How a channel object is made in the package: true when some make() of it has a capacity that is not the
  // literal 0, false when every make seen is unbuffered; absent when no make was seen.
  std::optional<bool> Buffered(std::string_view key) const {
    auto it = buffered_.find(key);
    if (it == buffered_.end()) return std::nullopt;
    return it->second;
  }
  // The names of the methods of a struct type of the package.
  std::vector<std::string_view> MethodsOf(std::string_view type) const;
  // Exported field or variable: code outside the package may use it.
  bool Exported(std::string_view key) const;
  // The first Lock/RLock of `key` that `fn` does, itself or in the package functions it calls (`depth` levels down,
  // following call binds). `base`: the variable of `fn` the object must be reached from (its receiver, a parameter);
  // null: any (package variables have none). Deferred ops do not count. `where`: the function it is in.
  // `loose`: where a call does not bind the object (it passes a field, a map value, an interface), follow it anyway
  // with any base: the same key, perhaps another value.
  const SyncEvent* Acquires(const FunctionModel* fn, std::string_view key, const Object* base, int depth,
                            const FunctionModel** where = nullptr, size_t before = SIZE_MAX, bool loose = false) const;
  // The one package function a func value stands for: a literal, a function or method value, a conversion to a
  // named func type, a local holding one, a parameter every call passes the same function to, a func-valued field
  // the package only ever sets to one function. Null otherwise. `depth` bounds the chain.
  const FunctionModel* FuncValueTarget(const SourceFile& file, Node expr, int depth) const;
  bool IsFuncType(std::string_view name) const { return func_types_.count(std::string(name)) > 0; }
  // The struct that declares `field` of `type`: type itself, or the embedded struct it is promoted from.
  std::string FieldOwner(std::string_view type, std::string_view field) const;
  // The declared type node of a variable or field expression (pointers stripped), and the file it is written in.
  Node DeclaredType(const SourceFile& file, Node expr, const SourceFile** tf) const;
  // "map", "slice" or "chan" for such an expression of that kind, else "".
  std::string CompositeKind(const SourceFile& file, Node expr) const;
  // The element (or `key`) type name of a map, slice, array or channel expression.
  std::string ElementTypeOf(const SourceFile& file, Node expr, bool key) const;
  // The type name (struct of the package, or "sync.Mutex", "chan", ...) of an expression, "" when unknown.
  std::string TypeOf(const SourceFile& file, Node expr) const;
  // The package functions a call of method `method` on a value of interface type `iface` (declared in the package)
  // may run: that method of every struct type of the package whose methods cover the interface's. Empty when the
  // type is no such interface, or when more than `max` types implement it (too little to go on).
  std::vector<const FunctionModel*> Implementations(std::string_view iface, std::string_view method,
                                                    size_t max = 4) const;

 private:
  struct Builder;
  friend struct Builder;
  const Package& package_;
  std::map<std::string_view, std::pair<const SourceFile*, Node>, std::less<>> structs_;  // name -> struct_type
  std::deque<std::string> anonymous_;  // the names of anonymous struct fields' types ("Store.mu"), owned here
  std::vector<std::unique_ptr<FunctionModel>> functions_;
  std::unordered_map<const void*, const FunctionModel*> by_node_;
  std::map<std::string, std::vector<std::pair<const FunctionModel*, size_t>>, std::less<>> ops_;
  std::map<std::string, bool, std::less<>> escapes_;
  std::map<std::string, std::vector<std::pair<const FunctionModel*, Node>>, std::less<>> returned_;
  std::map<std::string, bool, std::less<>> buffered_;
  std::set<std::string, std::less<>> aliased_;  // channel fields set to another channel (its ops are elsewhere)
  std::set<std::string, std::less<>> interfaces_;  // interface types of the package by name
  // Interface name -> its methods' names, embedded interfaces of the package expanded.
  std::map<std::string, std::set<std::string>, std::less<>> interface_methods_;
  std::set<std::string, std::less<>> func_types_;   // named func types (type Handler func(...))
  std::map<std::string, std::vector<std::pair<const SourceFile*, Node>>, std::less<>> func_fields_;
};

// The model of `package`, built on first use and kept with the package.
const PackageModel& ModelOf(const Package& package);

}  // namespace leakhound::scan

#endif  // LEAKHOUND_SCAN_MODEL_H_
