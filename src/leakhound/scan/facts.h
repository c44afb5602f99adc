// Facts rules share, computed from a resolved SourceFile: channels (where made, capacity, every send, receive, range,
// close and escape, each with the function, go statement, select and loop it is in) and contexts (ctx parameters,
// context.With* calls and their cancel funcs, calls of those).
//
// The facts hold Nodes and Object pointers into the SourceFile; they are valid while it lives. Plain values,
// computed by one thread.
#ifndef LEAKHOUND_SCAN_FACTS_H_
#define LEAKHOUND_SCAN_FACTS_H_

#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "leakhound/scan/package.h"
#include "leakhound/scan/syntax.h"

namespace leakhound::scan {

struct ChannelOp {
  enum class Kind { kSend, kReceive, kRange, kClose, kEscape, kNeutral };
  Kind kind = Kind::kNeutral;
  Node ident;        // the identifier use
  Node node;         // send_statement, unary_expression (<-ch), for_statement (range), call_expression (close/escape)
  Node function;     // innermost function around the use
  Node go;           // innermost go statement (below the channel's function) around the use, if any
  Node select;       // select_statement the op is a case of (only for sends/receives that are the case's
                     // communication), if any
  Node select_case;  // communication_case / default_case
  Node loop;         // innermost for loop within `function`
  bool deferred = false;  // inside a defer statement (its call or its function literal)
};

struct Channel {
  const Object* object = nullptr;
  Node make;                       // the make(chan T[, n]) call; null when declared without make
  Node elem_type;                  // T of chan T
  bool buffered = false;           // a capacity that is not the literal 0
  std::optional<int64_t> capacity; // when it is an integer literal
  bool declared_nil = false;       // `var ch chan T` with no value, never assigned, address never taken
  std::vector<ChannelOp> ops;

  size_t Count(ChannelOp::Kind k) const;
};

// Every local (function-scoped) channel variable of `file`: made with make(chan ...) or declared `var ch chan T`.
// Package-level channel variables are included when `package_level` is kYes.
enum class IncludePackageLevel { kNo, kYes };
std::vector<Channel> CollectChannels(const SourceFile& file, IncludePackageLevel package_level = IncludePackageLevel::kNo);

// The operation one use (an identifier resolving to `obj`) performs on a channel variable. `file` is the file the
// use is in: a package-level variable's uses span the files of its package.
ChannelOp ChannelOpOf(const SourceFile& file, const Object& obj, Node use);

// The select_statement whose case directly communicates through `op_node` (a send_statement or a receive
// expression), and that case.
Node SelectOfCommunication(Node op_node, Node* select_case);

// Does a select have a case other than `except`: a default, a timeout (time.After / timer.C), ctx.Done(), or any
// other communication?
bool SelectHasOtherCase(Node select, Node except);

struct CancelFunc {
  const Object* object = nullptr;  // null when discarded with _
  Node call;                       // context.WithCancel(...) etc.
  Node decl;                       // the declaring statement
  std::vector<Node> calls;         // cancel() calls (also deferred ones)
  std::vector<Node> deferred;      // defer cancel() / defer func(){ cancel() }()
  bool escapes = false;            // returned, stored, passed on
};

struct ContextFacts {
  std::vector<const Object*> ctx_params;  // parameters of type context.Context
  std::vector<CancelFunc> cancels;        // from context.WithCancel/WithTimeout/WithDeadline[Cause]
};

ContextFacts CollectContexts(const SourceFile& file);

// CollectChannels(file) and CollectContexts(file), computed once per file (on the first call, by whichever thread
// asks) and kept in file.facts.
const std::vector<Channel>& FileChannels(const SourceFile& file);
const ContextFacts& FileContexts(const SourceFile& file);

struct FileFacts {
  std::once_flag channels_once, contexts_once;
  std::vector<Channel> channels;
  ContextFacts contexts;
};

// Is `type` (a type node) context.Context however `context` was imported?
bool IsContextType(const SourceFile& file, Node type);

}  // namespace leakhound::scan

#endif  // LEAKHOUND_SCAN_FACTS_H_
