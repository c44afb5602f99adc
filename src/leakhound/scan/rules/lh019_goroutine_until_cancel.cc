// LH019 goroutine-until-cancel: a function starts a goroutine whose only way out is its context's Done(), and a
// caller makes sure that never comes:
//  (a) the goroutine waits on the function's ctx parameter and the call passes context.Background() or TODO() (a
//      constructor such as NewCache(ctx) called per request with a background context), or
//  (b) the function derives ctx, cancel := context.WithCancel(...), keeps cancel in the value it returns (to be
//      called by its Close, Rollback, Stop), and the call drops that value.
// Every such call leaks one goroutine for the life of the process. Pass a context that ends (the request's), make the
// value once, or keep it and call its Close.
//
// "Only way out": the goroutine's body has no return outside the select case (or plain receive) that waits on
// Done(); goroutines with another exit (a stop channel, a loop that ends) are left alone.
#include <fmt/format.h>

#include <filesystem>
#include <sstream>

#include "leakhound/scan/facts.h"
#include "leakhound/scan/model.h"
#include "leakhound/scan/rules.h"
#include "leakhound/scan/rules/factories.h"
#include "leakhound/scan/rules/lh019_goroutine_until_cancel.h"
#include "leakhound/scan/rules/model_helpers.h"
#include "leakhound/scan/rules/nethttp.h"
#include "leakhound/util/strings.h"

namespace leakhound::scan {

namespace {

// The receive on X.Done() of `fn`'s body that is its only exit, and X; null when there is none or another exit.
Node OnlyDoneWait(const PackageModel& model, const FunctionModel& g, Node* ctx_expr) {
  const SourceFile& f = *g.file;
  Node body = g.fn.Field("body");
  if (!body) return {};
  Node wait;
  for (Node u : FindAll(body, "unary_expression")) {
    if (f.Text(u.Field("operator")) != "<-") continue;
    Node call = Unparen(u.Field("operand"));
    if (!call.Is("call_expression")) continue;
    Node callee = Unparen(call.Field("function"));
    if (!callee.Is("selector_expression") || f.Text(callee.Field("field")) != "Done") continue;
    Node x = Unparen(callee.Field("operand"));
    const std::string t = model.TypeOf(f, x);
    bool is_ctx = t == "context.Context";
    if (!is_ctx && x.Is("identifier")) {
      const Object* o = f.syntax.Resolve(x);
      is_ctx = o && o->type && IsContextType(f, o->type);
    }
    if (!is_ctx) continue;
    if (wait) return {};  // two waits: not the simple shape
    wait = u;
    *ctx_expr = x;
  }
  if (!wait) return {};
  // No return elsewhere: every return lies in the select case of the wait, or after a plain wait.
  Node sc;
  Node sel = SelectOfCommunication(wait, &sc);
  for (Node r : FindAll(body, "return_statement")) {
    if (sel ? sc.Contains(r) : r.StartByte() > wait.EndByte()) continue;
    return {};
  }
  if (sel) {
    // The select must run in an endless loop (`for { select {...} }`): otherwise another case ends the select and
    // the goroutine falls through to its end; a range or a counted loop ends by itself.
    Node loop = EnclosingLoop(sel);
    if (!loop || !IsInfiniteLoop(loop) || !g.fn.Contains(loop)) return {};
    // A break out of the loop, or a goto, in another case is another exit.
    for (Node b : FindAll(sel, "break_statement")) {
      if (!sc.Contains(b) && b.ChildOfType("label_name")) return {};
    }
    for (Node b : FindAll(loop, "goto_statement")) {
      if (!sc.Contains(b)) return {};
    }
  } else if (EnclosingLoop(wait)) {
    return {};
  }
  return wait;
}

// A context that is never done: context.Background(), TODO(), WithoutCancel(...), or a local variable holding one
// and never assigned again.
bool NeverEnds(const SourceFile& f, Node arg) {
  arg = Unparen(arg);
  if (arg.Is("call_expression")) {
    return IsBackgroundCall(f, arg) || CallIs(f, arg, "context.WithoutCancel");
  }
  if (arg.Is("identifier")) {
    const Object* o = f.syntax.Resolve(arg);
    return o && !o->package_level && o->value && o->assignments.empty() && o->value.Is("call_expression") &&
           (IsBackgroundCall(f, o->value) || CallIs(f, o->value, "context.WithoutCancel"));
  }
  return false;
}

// Is the value of `call` thrown away: a bare call statement, or assigned only to blank identifiers?
bool Dropped(const SourceFile& f, Node call) {
  Node p = call.Parent();
  if (p.Is("expression_statement")) return true;
  if (p.Is("expression_list") && (p.Parent().Is("assignment_statement") || p.Parent().Is("short_var_declaration")) &&
      p.Parent().Field("right") == p) {
    Node left = p.Parent().Field("left");
    for (uint32_t i = 0; left && i < left.NamedChildCount(); ++i) {
      if (f.Text(left.NamedChild(i)) != "_") return false;
    }
    return left != Node();
  }
  return false;
}

// The position of parameter `o` among `fn`'s parameters, or -1.
int ParamPosition(const SourceFile& f, Node fn, const Object* o) {
  int i = 0;
  for (Node p : FindAll(fn.Field("parameters"), "parameter_declaration")) {
    for (Node n : FieldAll(p, "name")) {
      if (f.syntax.Declared(n) == o) return i;
      ++i;
    }
  }
  return -1;
}

// The functions of the package (literals left out) whose ctx parameter is all that ends a goroutine they start:
// function -> (parameter position -> the goroutine's name). Directly (`go g(ctx)` where g waits only on ctx.Done()),
// or by passing the parameter on to such a function of the package, or of an imported package (`imported`).
using CtxOnlyDoneParams = std::map<const FunctionModel*, std::map<int, std::string>>;
CtxOnlyDoneParams FindCtxOnlyDoneParams(const PackageModel& model, const ImportedCtxOnlyDone& imported) {
  CtxOnlyDoneParams out;
  for (const auto& fm : model.functions()) {
    if (fm->fn.Is("func_literal")) continue;
    for (const SyncEvent& e : fm->events) {
      if (e.type != SyncEvent::Type::kGo || !e.callee) continue;
      Node ctx;
      if (!OnlyDoneWait(model, *e.callee, &ctx) || !ctx.Is("identifier")) continue;
      const Object* o = e.callee->file->syntax.Resolve(ctx);
      for (const auto& [param, arg] : e.binds) {
        if (param == o) o = arg;
      }
      if (!o || o->kind != ObjectKind::kParam) continue;
      if (int index = ParamPosition(*fm->file, fm->fn, o); index >= 0) out[fm.get()].emplace(index, e.callee->name);
    }
  }
  // The parameter position of `fm` that argument `arg` names, or -1.
  auto param_of = [](const FunctionModel& fm, Node arg) {
    arg = Unparen(arg);
    if (!arg.Is("identifier")) return -1;
    const Object* o = fm.file->syntax.Resolve(arg);
    return o && o->kind == ObjectKind::kParam && o->function == fm.fn ? ParamPosition(*fm.file, fm.fn, o) : -1;
  };
  for (int round = 0; round < 4; ++round) {
    bool changed = false;
    for (const auto& fm : model.functions()) {
      if (fm->fn.Is("func_literal")) continue;
      for (const SyncEvent& e : fm->events) {
        if ((e.type != SyncEvent::Type::kCall && e.type != SyncEvent::Type::kGo) || !e.callee) continue;
        auto it = out.find(e.callee);
        if (it == out.end() || e.callee == fm.get()) continue;
        Node args = e.node.Field("arguments");
        for (const auto& [q, g] : it->second) {
          if (!args || static_cast<uint32_t>(q) >= args.NamedChildCount()) continue;
          const int p = param_of(*fm, args.NamedChild(q));
          if (p >= 0 && out[fm.get()].emplace(p, g).second) changed = true;
        }
      }
      if (!imported || round > 0) continue;
      // Calls into imported packages (asked once: their answers do not change).
      for (Node call : FindAll(fm->fn.Field("body"), "call_expression")) {
        Callee c = ResolveCallee(*fm->file, call);
        if (c.kind != Callee::Kind::kImported || c.qualified.rfind("context.", 0) == 0) continue;
        Node args = call.Field("arguments");
        for (uint32_t i = 0; args && i < args.NamedChildCount(); ++i) {
          const int p = param_of(*fm, args.NamedChild(i));
          if (p < 0) continue;
          if (auto s = imported(c.qualified + "#" + std::to_string(i))) {
            if (out[fm.get()].emplace(p, s->goroutine).second) changed = true;
          }
        }
      }
    }
    if (!changed) break;
  }
  return out;
}

class GoroutineUntilCancel : public Rule {
 public:
  void Check(const Package& pkg, FindingSink& sink) const override {
    const PackageModel& model = ModelOf(pkg);
    for (const auto& fm : model.functions()) {
      if (fm->fn.Is("func_literal")) continue;
      for (const SyncEvent& e : fm->events) {
        if (e.type != SyncEvent::Type::kGo || !e.callee) continue;
        Node ctx;
        Node wait = OnlyDoneWait(model, *e.callee, &ctx);
        if (!wait) continue;
        const SourceFile& gf = *e.callee->file;
        // (a) The goroutine's ctx is our parameter (captured, or bound as an argument).
        if (ctx.Is("identifier")) {
          const Object* o = gf.syntax.Resolve(ctx);
          for (const auto& [param, arg] : e.binds) {
            if (param == o) o = arg;
          }
          const int index = o && o->kind == ObjectKind::kParam ? ParamPosition(*fm->file, fm->fn, o) : -1;
          if (index >= 0 && ReportBackgroundCallers(model, *fm, e.callee->name, index, sink)) {
            ReportWait(*e.callee, wait, fm->name, "is called with a context that never ends", sink);
          }
          continue;
        }
        // (b) ctx is a field of the value we return, whose cancel we keep in it.
        if (ctx.Is("selector_expression") && ReturnsKeptCancel(model, *fm) &&
            ReportDroppedResults(model, *fm, *e.callee, sink)) {
          ReportWait(*e.callee, wait, fm->name, "has callers that drop the value holding the cancel", sink);
        }
      }
    }
    // Functions that pass their ctx on to one that starts such a goroutine (a constructor over a constructor).
    for (const auto& [fm, params] : FindCtxOnlyDoneParams(model, nullptr)) {
      bool direct = false;
      for (const SyncEvent& e : fm->events) direct = direct || (e.type == SyncEvent::Type::kGo && e.callee);
      if (direct) continue;  // reported above, with its own goroutine
      for (const auto& [index, g] : params) ReportBackgroundCallers(model, *fm, g, index, sink);
    }
  }

 private:
  // Does `fm` call context.WithCancel and put the cancel func into a composite literal (the value it returns)?
  static bool ReturnsKeptCancel(const PackageModel& model, const FunctionModel& fm) {
    const SourceFile& f = *fm.file;
    for (Node call : FindAll(fm.fn.Field("body"), "call_expression")) {
      if (!CallIs(f, call, "context.WithCancel") && !CallIs(f, call, "context.WithCancelCause")) continue;
      for (Node lit : FindAll(fm.fn.Field("body"), "composite_literal")) {
        for (Node id : FindAll(lit, "identifier")) {
          const Object* o = f.syntax.Resolve(id);
          if (o && o->value == call && o->value_index == 1) return true;
        }
      }
    }
    return false;
  }

  // The wait itself, so the goroutine's own code says why it never returns.
  static void ReportWait(const FunctionModel& g, Node wait, const std::string& starter, const char* why,
                         FindingSink& sink) {
    sink.Report(*g.file, wait,
                fmt::format("{} waits only for its context to be done, and {} (which starts it) {}: it never "
                            "returns",
                            g.name, starter, why));
  }

  static bool ReportBackgroundCallers(const PackageModel& model, const FunctionModel& fm, const std::string& g,
                                      int index, FindingSink& sink) {
    bool reported = false;
    for (const auto& caller : model.functions()) {
      for (const SyncEvent& c : caller->events) {
        if ((c.type != SyncEvent::Type::kCall && c.type != SyncEvent::Type::kGo) || c.callee != &fm) continue;
        Node args = c.node.Field("arguments");
        if (!args || static_cast<uint32_t>(index) >= args.NamedChildCount()) continue;
        Node arg = Unparen(args.NamedChild(index));
        if (!NeverEnds(*caller->file, arg)) continue;
        // Once, at startup (init, main): the goroutine lives as long as the process, as meant.
        if (!caller->fn.Is("func_literal") && (caller->name == "init" || (caller->name == "main" &&
                                                                          caller->file->package_name == "main"))) {
          continue;
        }
        reported = true;
        sink.Report(*caller->file, c.node,
                    fmt::format("{} starts a goroutine ({}) that ends only when its context is done, and "
                                "{} never is: every call leaks that goroutine; pass a context that ends, or make "
                                "it once",
                                fm.name, g, caller->file->Text(arg)));
      }
    }
    return reported;
  }

  static bool ReportDroppedResults(const PackageModel& model, const FunctionModel& fm, const FunctionModel& g,
                                   FindingSink& sink) {
    bool reported = false;
    for (const auto& caller : model.functions()) {
      for (const SyncEvent& c : caller->events) {
        if (c.type != SyncEvent::Type::kCall || c.callee != &fm) continue;
        if (!Dropped(*caller->file, c.node)) continue;  // the result is kept
        reported = true;
        sink.Report(*caller->file, c.node,
                    fmt::format("{} starts a goroutine ({}) that ends only when the context it made is cancelled, "
                                "and keeps the cancel in the value it returns, which this call drops: the "
                                "goroutine leaks; keep the value and call its Close/Rollback",
                                fm.name, g.name));
      }
    }
    return reported;
  }
};

}  // namespace

std::vector<CtxOnlyDoneSummary> CtxOnlyDoneSummaries(const Package& pkg, const std::string& import_path,
                                                     const ImportedCtxOnlyDone& imported) {
  std::vector<CtxOnlyDoneSummary> out;
  if (import_path.empty()) return out;
  const PackageModel& model = ModelOf(pkg);
  for (const auto& [fm, params] : FindCtxOnlyDoneParams(model, imported)) {
    // Exported package-level functions (constructors).
    if (fm->name.empty() || !std::isupper(static_cast<unsigned char>(fm->name[0])) || !fm->receiver_type.empty()) {
      continue;
    }
    for (const auto& [index, g] : params) {
      out.push_back({import_path + "." + fm->name, index, g, std::string(pkg.name)});
    }
  }
  return out;
}

std::vector<CrossPackageCandidate> BackgroundCallsToImports(const Package& pkg, const RuleInfo& rule,
                                                            Severity severity, bool configured) {
  std::vector<CrossPackageCandidate> out;
  for (const SourceFile* f : pkg.files) {
    for (Node call : FindAll(f->root(), "call_expression", IntoLiterals::kYes)) {
      Callee c = ResolveCallee(*f, call);
      std::vector<std::string> paths;
      std::string used;
      Node callee = Unparen(call.Field("function"));
      if (c.kind == Callee::Kind::kImported) {
        if (c.qualified.rfind("context.", 0) == 0) continue;
        paths.push_back(c.qualified.substr(0, c.qualified.size() - c.name.size() - 1));
        if (callee.Is("selector_expression")) used = f->Text(callee.Field("operand"));
      } else if (callee.Is("selector_expression") && Unparen(callee.Field("operand")).Is("identifier") &&
                 !f->syntax.Resolve(Unparen(callee.Field("operand")))) {
        // pkg.F where pkg is no import's default name: a package whose name is not its directory's. Any import.
        used = f->Text(callee.Field("operand"));
        for (const auto& [local, path] : f->imports.by_name) {
          if (local == DefaultImportName(path)) paths.push_back(path);
        }
        c.name = f->Text(callee.Field("field"));
        c.qualified = used + "." + std::string(c.name);
      } else {
        continue;
      }
      Node args = call.Field("arguments");
      for (uint32_t i = 0; args && i < args.NamedChildCount(); ++i) {
        if (!NeverEnds(*f, args.NamedChild(i))) continue;
        Node fn = EnclosingFunction(call);
        const std::string_view fname = fn && !fn.Is("func_literal") ? FunctionName(fn, f->source()) : "";
        if (fname == "init" || (fname == "main" && f->package_name == "main")) continue;
        CrossPackageCandidate cand;
        for (const std::string& path : paths) {
          cand.keys.push_back(path + "." + std::string(c.name) + "#" + std::to_string(i));
        }
        cand.package = used;
        FindingSink sink(rule, severity, &cand.findings, configured);
        sink.Report(*f, call,
                    fmt::format("{} starts a goroutine that ends only when its context is done {}, "
                                "and {} never is: every call leaks that goroutine; pass a context that ends, or "
                                "make it once",
                                c.qualified.substr(c.qualified.rfind('/') + 1), kGoroutineSeeItsPackage,
                                f->Text(Unparen(args.NamedChild(i)))));
        out.push_back(std::move(cand));
      }
    }
  }
  return out;
}

std::string ImportPathOf(const std::string& dir) {
  std::string root, contents;
  if (!ReadNearestGoMod(dir, &root, &contents)) return "";
  std::istringstream in(contents);
  std::string line;
  while (std::getline(in, line)) {
    std::string_view l = util::Trim(line);
    if (!util::Consume(l, "module ")) continue;
    std::string module(util::Trim(l));
    if (module.size() >= 2 && module.front() == '"') module = module.substr(1, module.size() - 2);
    std::error_code ec;
    const std::string rel = std::filesystem::relative(std::filesystem::absolute(dir.empty() ? "." : dir, ec)
                                                          .lexically_normal(),
                                                      root, ec)
                                .generic_string();
    return rel.empty() || rel == "." ? module : module + "/" + rel;
  }
  return "";
}

std::unique_ptr<Rule> NewGoroutineUntilCancel() { return std::make_unique<GoroutineUntilCancel>(); }

}  // namespace leakhound::scan
