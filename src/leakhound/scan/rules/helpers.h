// Control-flow helpers several rules share. Syntactic and conservative: they answer "is there a way out" by looking
// for statements, not by building a CFG.
#ifndef LEAKHOUND_SCAN_RULES_HELPERS_H_
#define LEAKHOUND_SCAN_RULES_HELPERS_H_

#include <optional>
#include <string>
#include <vector>

#include "leakhound/scan/facts.h"
#include "leakhound/scan/package.h"

namespace leakhound::scan {

// Does `loop` (a for_statement) have a way out: a return, goto, panic / os.Exit / log.Fatal* / runtime.Goexit /
// t.Fatal*, or a break that leaves it (unlabeled and not inside a nested for/switch/select, or naming its label)?
// Nested function literals are not looked into.
bool LoopHasExit(const SourceFile& file, Node loop);

// Does the break_statement `brk` leave `loop`: it names the loop's label, or it is unlabeled and `loop` is the
// innermost for/switch/select around it?
bool BreakLeaves(const SourceFile& file, Node brk, Node loop);

// Does `n` contain (outside nested function literals) a statement that leaves the function: return, panic, ...?
bool ContainsReturn(const SourceFile& file, Node n);

// The return statements of `fn`'s own body (not of nested literals) that lie within [from, to).
std::vector<Node> ReturnsBetween(Node fn, uint32_t from, uint32_t to);

// The 1-based line of a node, for messages.
inline uint32_t LineOf(const SourceFile& f, Node n) { return f.Start(n).line; }

// The parameter object of `decl` (function/method declaration) at position `index` of its parameter list.
const Object* ParamAt(const SourceFile& file, Node decl, size_t index);

// The channel operations that `target` (the callee of `go worker(ch)`, followed one level) performs on its
// parameter number `index` (ArgIndex of the argument): nullptr when the position is unknown (-1), an empty list when
// the parameter is unnamed or not a channel.
const std::vector<ChannelOp>* ParamChannelOps(const FunctionRef& target, int index);

// Is the capacity of `make` (make(chan T[, n])) a constant: none, an integer literal or a constant of the package?
// (A capacity computed at run time may be sized for all the work.)
bool ConstantCapacity(const SourceFile& file, Node make);

// A send that cannot give up by itself: not a case of a select that has another way out.
bool BlockingSend(const ChannelOp& op);

// What `target` (the callee of `go worker(ch)`) does with its channel parameter number `index`: nothing, only sends
// that `counts(op)` accepts, or anything else (receives, closes, passes it on, other sends; an unknown position).
enum class ParamSends { kNone, kSends, kOther };
template <typename Counts>
ParamSends SendsOnParam(const FunctionRef& target, int index, Counts&& counts) {
  const std::vector<ChannelOp>* ops = ParamChannelOps(target, index);
  if (ops == nullptr) return ParamSends::kOther;
  ParamSends use = ParamSends::kNone;
  for (const ChannelOp& op : *ops) {
    if (op.kind == ChannelOp::Kind::kNeutral) continue;
    if (!counts(op)) return ParamSends::kOther;
    use = ParamSends::kSends;
  }
  return use;
}

// The position of `arg` among the arguments of `call` (call_expression), or -1.
int ArgIndex(Node call, Node arg);

// Is `n` inside func main of package main (through any nesting)?
bool InMain(const SourceFile& file, Node n);

// The context in scope at a node: a named context.Context parameter, the *http.Request of a handler (its
// Context()), or (with `locals`) a local context variable declared before it in an enclosing block. Walks out through
// func literals but not past a go statement, main, init, or a function that calls context.WithoutCancel.
struct InScope {
  const Object* object = nullptr;  // the ctx / request parameter or local
  bool request = false;            // object is a *http.Request: the context is object.Context()
  Node fn;                         // the function that declares it
  // The expression that names the context: "ctx" or "r.Context()".
  std::string Expr() const { return request ? std::string(object->name) + ".Context()" : std::string(object->name); }
};
// `through_go`: also out of a func literal started with go (a stop case in a goroutine may use its starter's ctx).
std::optional<InScope> ContextInScope(const SourceFile& file, Node at, bool locals, bool through_go = false);

// The stop-case fix: a blocking send statement `ch <- v` becomes `select { case ch <- v: case <-ctx.Done(): }`
// with the context in scope (through go statements). nullopt when there is no context in scope or the send is not
// a statement of its own.
std::optional<Fix> SendStopCaseFix(const SourceFile& file, Node send);

// The stop-case fix for a for-select loop: `case <-ctx.Done(): return` added to `select_stmt` (a select directly in
// the loop body of a function without results). nullopt when that is not the shape or no context is in scope.
std::optional<Fix> SelectStopCaseFix(const SourceFile& file, Node select_stmt);

// Is `fn` func main of package main, or an init function?
bool IsMainOrInit(const SourceFile& file, Node fn);

}  // namespace leakhound::scan

#endif  // LEAKHOUND_SCAN_RULES_HELPERS_H_
