// LH017 lock-order: two locks taken in opposite orders — A then B somewhere, B then A elsewhere (directly, or through
// calls of the package up to three deep). Two goroutines that run the two paths at once can each hold one lock and
// wait for the other forever (AB-BA deadlock). Take the locks in one order everywhere.
//
// Locks are compared by key (the same field of the same struct type, the same package variable); an order between
// two locks of one key (a parent and a child node of one type) is not judged.
#include <fmt/format.h>

#include <map>

#include "leakhound/scan/model.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/model_helpers.h"

namespace leakhound::scan {

namespace {

struct Edge {
  const FunctionModel* fn;   // where the second lock is taken while the first is held
  const SyncEvent* at;       // the Lock, or the call that leads to it
  std::string first_name, second_name;
};

// Are both orders taken under a third lock both hold (a gate that serialises them)?
bool Gated(const Edge& a, const Edge& b, const std::string& x, const std::string& y) {
  for (const auto& [k, base] : a.at->held) {
    if (k == x || k == y) continue;
    for (const auto& [k2, base2] : b.at->held) {
      if (k2 == k) return true;
    }
  }
  return false;
}

// A local variable set to a value made right there (&T{...}, new(T), T{...}) and never assigned again.
bool Private(const Object* base) {
  if (base == nullptr || base->package_level || base->kind != ObjectKind::kVar || !base->assignments.empty() ||
      !base->value) {
    return false;
  }
  Node v = base->value;
  if (v.Is("expression_list") && v.NamedChildCount() == 1) v = v.NamedChild(0);
  v = Unparen(v);
  if (v.Is("unary_expression")) v = Unparen(v.Field("operand"));
  return v.Is("composite_literal");
}

class LockOrder : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    const PackageModel& model = ModelOf(pkg);
    std::map<std::pair<std::string, std::string>, Edge> edges;
    for (const auto& fm : model.functions()) {
      for (const SyncEvent& e : fm->events) {
        for (const auto& [held, held_base] : e.held) {
          // A value this function just made (c := &client{...}) is not shared yet: nothing can take its lock in
          // the other order.
          if (Private(held_base)) continue;
          if (e.type == SyncEvent::Type::kOp && !e.deferred &&
              (e.op == SyncOpKind::kLock || e.op == SyncOpKind::kRLock) && e.kind != SyncKind::kChan) {
            if (e.key != held) {
              edges.emplace(std::make_pair(held, e.key),
                            Edge{fm.get(), &e, ObjectName(held, held_base), ObjectName(e.key, e.base)});
            }
            continue;
          }
          if (e.type != SyncEvent::Type::kCall || !e.callee) continue;
          // Every lock the callee takes (any key) while we hold `held`.
          AddCallEdges(model, *fm, e, held, held_base, e.callee, 3, &edges);
        }
      }
    }
    // Then calls through the package's interfaces (each implementation): after the exact calls, so that an edge
    // an exact call makes is the one kept.
    for (const auto& fm : model.functions()) {
      for (const SyncEvent& e : fm->interface_calls) {
        for (const auto& [held, held_base] : e.held) {
          if (!Private(held_base)) AddCallEdges(model, *fm, e, held, held_base, e.callee, 3, &edges);
        }
      }
    }
    for (const auto& [pair, edge] : edges) {
      if (pair.first >= pair.second) continue;  // each cycle once
      auto back = edges.find(std::make_pair(pair.second, pair.first));
      if (back == edges.end()) continue;
      const Edge& other = back->second;
      if (Gated(edge, other, pair.first, pair.second)) continue;
      // A test that inspects state after the fact against the production path: not two goroutines racing.
      if (edge.fn->file->is_test != other.fn->file->is_test) continue;
      for (const Edge* e : {&edge, &other}) {
        const Edge& o = e == &edge ? other : edge;
        sink.Report(*e->fn->file, e->at->node,
                    fmt::format("{} locks {} while holding {}, but {} ({}:{}) locks them the other way round: two "
                                "goroutines on these paths can deadlock; take them in one order",
                                e->fn->name, e->second_name, e->first_name, o.fn->name, o.fn->file->display,
                                EventLine(*o.fn, *o.at)));
      }
    }
  }

 private:
  static void AddCallEdges(const PackageModel& model, const FunctionModel& caller, const SyncEvent& call,
                           const std::string& held, const Object* held_base, const FunctionModel* callee, int depth,
                           std::map<std::pair<std::string, std::string>, Edge>* edges) {
    if (!callee || depth <= 0) return;
    for (const SyncEvent& x : callee->events) {
      if (x.type == SyncEvent::Type::kOp && !x.deferred && x.key == held &&
          (x.op == SyncOpKind::kUnlock || x.op == SyncOpKind::kRUnlock)) {
        return;  // it lets go of the caller's lock first
      }
      if (x.type == SyncEvent::Type::kOp && !x.deferred && (x.op == SyncOpKind::kLock || x.op == SyncOpKind::kRLock)) {
        if (x.key != held) {
          edges->emplace(std::make_pair(held, x.key),
                         Edge{&caller, &call, ObjectName(held, held_base), ObjectName(x.key, nullptr)});
        }
      } else if (x.type == SyncEvent::Type::kCall && x.callee && x.callee != callee) {
        AddCallEdges(model, caller, call, held, held_base, x.callee, depth - 1, edges);
      }
    }
    for (const SyncEvent& x : callee->interface_calls) {
      if (x.callee != callee) AddCallEdges(model, caller, call, held, held_base, x.callee, depth - 1, edges);
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewLockOrder() { return std::make_unique<LockOrder>(); }

}  // namespace leakhound::scan
