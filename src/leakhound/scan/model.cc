#include "leakhound/scan/model.h"


#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <mutex>

#include "leakhound/scan/facts.h"

namespace leakhound::scan {

struct ModelSlot {
  std::once_flag once;
  std::unique_ptr<PackageModel> model;
};

std::shared_ptr<ModelSlot> NewModelSlot() { return std::make_shared<ModelSlot>(); }

const PackageModel& ModelOf(const Package& package) {
  ModelSlot& slot = *package.model_slot;
  std::call_once(slot.once, [&] {
    slot.model = std::make_unique<PackageModel>(package);
    // LEAKHOUND_MODEL_DUMP=1: every function's events on stderr, for working on the rules.
    if (const char* dump = std::getenv("LEAKHOUND_MODEL_DUMP"); dump && *dump == '1') {
      for (const auto& fm : slot.model->functions()) {
        fmt::print(stderr, "func {} ({}:{})\n", fm->name, fm->file->display, fm->file->Start(fm->fn).line);
        for (const SyncEvent& e : fm->events) {
          std::string held;
          for (const auto& [k, b] : e.held) held += " " + k;
          const char* type = e.type == SyncEvent::Type::kOp ? "op" : e.type == SyncEvent::Type::kCall ? "call"
                             : e.type == SyncEvent::Type::kGo ? "go" : "leave";
          fmt::print(stderr, "  {}:{} {} {} {}{}{} held[{}]\n", fm->file->Start(e.node).line, type,
                     e.type == SyncEvent::Type::kOp ? SyncOpName(e.op) : "", e.key,
                     e.callee ? e.callee->name : "", e.deferred ? " deferred" : "", e.blocking ? "" : " nonblocking",
                     held);
        }
      }
    }
  });
  return *slot.model;
}

std::string_view SyncOpName(SyncOpKind k) {
  switch (k) {
    case SyncOpKind::kLock: return "Lock";
    case SyncOpKind::kRLock: return "RLock";
    case SyncOpKind::kUnlock: return "Unlock";
    case SyncOpKind::kRUnlock: return "RUnlock";
    case SyncOpKind::kSend: return "send";
    case SyncOpKind::kRecv: return "receive";
    case SyncOpKind::kRange: return "range";
    case SyncOpKind::kClose: return "close";
    case SyncOpKind::kAdd: return "Add";
    case SyncOpKind::kDone: return "Done";
    case SyncOpKind::kWait: return "Wait";
    case SyncOpKind::kCondWait: return "Wait";
    case SyncOpKind::kSignal: return "Signal";
    case SyncOpKind::kBroadcast: return "Broadcast";
  }
  return "?";
}

namespace {

using Held = std::vector<std::pair<std::string, const Object*>>;

SyncKind KindOfType(std::string_view type) {
  if (type == "sync.Mutex") return SyncKind::kMutex;
  if (type == "sync.RWMutex") return SyncKind::kRWMutex;
  if (type == "sync.WaitGroup") return SyncKind::kWaitGroup;
  if (type == "sync.Cond") return SyncKind::kCond;
  if (type == "chan") return SyncKind::kChan;
  return SyncKind::kUnknown;
}

bool IsLockOp(SyncOpKind k) { return k == SyncOpKind::kLock || k == SyncOpKind::kRLock; }

// Keeps the entries of `a` that `b` has too.
Held Intersect(const Held& a, const Held& b) {
  Held out;
  for (const auto& e : a) {
    if (std::find(b.begin(), b.end(), e) != b.end()) out.push_back(e);
  }
  return out;
}

}  // namespace

// The type name of a type node: a struct of the package ("Pool"), "sync.Mutex" (however sync was imported), "chan",
// or "" when it is something else.
static std::string TypeName(const SourceFile& file, Node type) {
  for (int guard = 0; guard < 8 && type; ++guard) {
    if (type.Is("pointer_type") || type.Is("parenthesized_type")) {
      type = type.NamedChild(type.NamedChildCount() - 1);
      continue;
    }
    if (type.Is("generic_type")) {
      type = type.Field("type");
      continue;
    }
    break;
  }
  if (!type) return "";
  if (type.Is("type_identifier")) return std::string(file.Text(type));
  if (type.Is("qualified_type")) {
    const std::string_view pkg = file.Text(type.Field("package"));
    const std::string_view path = file.imports.PathOf(pkg);
    if (path.empty()) return "";
    return DefaultImportName(path) + "." + std::string(file.Text(type.Field("name")));
  }
  if (type.Is("channel_type")) return "chan";
  return "";
}

struct PackageModel::Builder {
  PackageModel& m;
  const Package& pkg;

  // The type of result number `index` of a function declaration.
  std::string ResultType(const SourceFile& file, Node decl, int index = 0) const {
    Node result = decl.Field("result");
    if (!result) return "";
    if (result.Is("parameter_list")) {
      int i = 0;
      for (Node p : FindAll(result, "parameter_declaration")) {
        const size_t names = std::max<size_t>(1, FieldAll(p, "name").size());
        if (index < i + static_cast<int>(names)) return TypeName(file, p.Field("type"));
        i += static_cast<int>(names);
      }
      return "";
    }
    return index == 0 ? TypeName(file, result) : "";
  }

  const FunctionRef* Method(std::string_view type, std::string_view name, std::vector<FunctionRef>* keep) const {
    *keep = pkg.Lookup(name);
    for (const FunctionRef& r : *keep) {
      if (r.receiver_type == type) return &r;
    }
    return nullptr;
  }

  // Does struct `type` embed `embedded` ("sync.Mutex", or a struct of the package)?
  bool Embeds(std::string_view type, std::string_view embedded) const {
    auto it = m.structs_.find(type);
    if (it == m.structs_.end()) return false;
    const auto& [file, st] = it->second;
    for (Node fd : FindAll(st, "field_declaration")) {
      if (fd.Field("name")) continue;
      if (TypeName(*file, fd.Field("type")) == embedded) return true;
    }
    return false;
  }
};

PackageModel::PackageModel(const Package& package) : package_(package) {
  Builder b{*this, package};
  // Struct types.
  for (const SourceFile* f : package.files) {
    if (!f->tree.ok()) continue;
    for (Node spec : FindAll(f->root(), "type_spec")) {
      Node t = spec.Field("type");
      if (t && t.Is("struct_type")) {
        structs_.emplace(f->Text(spec.Field("name")), std::make_pair(f, t));
        // Fields of anonymous struct type (`mu struct { sync.Mutex; m map[K]V }`) are structs named "Outer.field".
        std::vector<std::pair<std::string, Node>> todo = {{std::string(f->Text(spec.Field("name"))), t}};
        while (!todo.empty()) {
          auto [outer, st] = todo.back();
          todo.pop_back();
          for (Node fd : FindAll(st, "field_declaration")) {
            Node ft = fd.Field("type");
            if (!ft || !ft.Is("struct_type") || fd.Parent().Parent() != st) continue;
            for (Node n : FieldAll(fd, "name")) {
              std::string name = outer + "." + std::string(f->Text(n));
              anonymous_.push_back(name);
              structs_.emplace(anonymous_.back(), std::make_pair(f, ft));
              todo.emplace_back(name, ft);
            }
          }
        }
      }
      if (t && t.Is("interface_type")) {
        const std::string name(f->Text(spec.Field("name")));
        interfaces_.insert(name);
        auto& methods = interface_methods_[name];
        for (uint32_t i = 0; i < t.NamedChildCount(); ++i) {
          Node el = t.NamedChild(i);
          if (el.Is("method_elem") || el.Is("method_spec")) methods.insert(std::string(f->Text(el.Field("name"))));
          // An embedded interface of the package: marked with a leading '+' and expanded below.
          if (el.Is("type_elem") || el.Is("type_identifier")) methods.insert("+" + std::string(f->Text(el)));
        }
      }
      if (t && t.Is("function_type")) func_types_.insert(std::string(f->Text(spec.Field("name"))));
    }
  }
  // Embedded interfaces, a few levels deep.
  for (int round = 0; round < 4; ++round) {
    for (auto& [name, methods] : interface_methods_) {
      std::set<std::string> add;
      for (auto it = methods.begin(); it != methods.end();) {
        if (it->empty() || (*it)[0] != '+') {
          ++it;
          continue;
        }
        auto e = interface_methods_.find(it->substr(1));
        if (e != interface_methods_.end() && e->first != name) add.insert(e->second.begin(), e->second.end());
        ++it;
      }
      methods.insert(add.begin(), add.end());
    }
  }
  for (auto& [name, methods] : interface_methods_) {
    std::erase_if(methods, [](const std::string& x) { return !x.empty() && x[0] == '+'; });
  }
  // Functions: declarations and every literal, parents first.
  for (const SourceFile* f : package.files) {
    if (!f->tree.ok()) continue;
    std::vector<Node> fns;
    for (Node d : FindAll(f->root(), "function_declaration")) fns.push_back(d);
    for (Node d : FindAll(f->root(), "method_declaration")) fns.push_back(d);
    for (Node lit : FindAll(f->root(), "func_literal", IntoLiterals::kYes)) fns.push_back(lit);
    std::sort(fns.begin(), fns.end(), [](Node a, Node c) { return a.StartByte() < c.StartByte(); });
    for (Node fn : fns) {
      auto fm = std::make_unique<FunctionModel>();
      fm->file = f;
      fm->fn = fn;
      if (fn.Is("func_literal")) {
        Node outer = EnclosingFunction(fn.Parent());
        auto it = by_node_.find(outer.Id());
        fm->parent = it == by_node_.end() ? nullptr : it->second;
        fm->name = (fm->parent ? fm->parent->name : std::string("?")) + ".func";
        fm->receiver_type = fm->parent ? fm->parent->receiver_type : "";
        fm->receiver = fm->parent ? fm->parent->receiver : nullptr;
        Node parent = fn.Parent();
        if (parent.Is("call_expression") && parent.Parent().Is("go_statement")) fm->go = parent.Parent();
      } else {
        fm->name = std::string(FunctionName(fn, f->source()));
        if (fn.Is("method_declaration")) {
          Node recv = fn.Field("receiver");
          for (Node p : FindAll(recv, "parameter_declaration")) {
            fm->receiver_type = TypeName(*f, p.Field("type"));
            if (Node name = p.Field("name")) fm->receiver = f->syntax.Declared(name);
            break;
          }
          fm->name = fm->receiver_type + "." + fm->name;
        }
      }
      by_node_[fn.Id()] = fm.get();
      functions_.push_back(std::move(fm));
    }
  }
  // Events.
  struct Walker {
    PackageModel& m;
    Builder& b;
    FunctionModel& fm;
    const SourceFile& f;

    std::string KeyOf(Node x, SyncKind* kind, const Object** base) {
      x = Unparen(x);
      if (x.Is("call_expression")) return AccessorKey(x, kind);
      if (x.Is("unary_expression") && (f.Text(x.Field("operator")) == "&" || f.Text(x.Field("operator")) == "*")) {
        x = Unparen(x.Field("operand"));
      }
      *kind = KindOfType(m.TypeOf(f, x));
      if (*kind == SyncKind::kUnknown) return "";
      if (x.Is("selector_expression")) {
        Node operand = Unparen(x.Field("operand"));
        const std::string owner = m.TypeOf(f, operand);
        if (owner.empty() || !m.IsStruct(owner)) return "";
        if (operand.Is("identifier")) *base = f.syntax.Resolve(operand);
        // A promoted field is named by the struct that declares it (t.barrier of T embedding common: common.barrier).
        return m.FieldOwner(owner, f.Text(x.Field("field"))) + "." + std::string(f.Text(x.Field("field")));
      }
      if (x.Is("identifier")) {
        const Object* o = f.syntax.Resolve(x);
        if (!o) return "";
        *base = nullptr;
        // A local alias of a field, never assigned again (`resetChan := i.resetChan`): the field.
        Node value = o->value;
        if (value && value.Is("expression_list") && value.NamedChildCount() == 1) value = value.NamedChild(0);
        if (!o->package_level && o->kind == ObjectKind::kVar && o->assignments.empty() && !o->address_taken &&
            value && (Unparen(value).Is("selector_expression") || Unparen(value).Is("call_expression")) &&
            o->value_index == 0 &&
            !o->decl.Is("range_clause")) {
          SyncKind k2;
          const Object* b2 = nullptr;
          std::string aliased = KeyOf(value, &k2, &b2);
          if (!aliased.empty() && k2 == *kind) {
            *base = b2;
            return aliased;
          }
        }
        if (o->package_level) return "var." + std::string(o->name);
        *base = o;  // the variable itself: names it in messages
        return fmt::format("local.{}", o->ident.StartByte());
      }
      return "";
    }

    // s.Stopper().ShouldQuiesce(): a call of a package method whose every return is one field of its receiver
    // (`return s.quiescer`) stands for that field.
    std::string AccessorKey(Node call, SyncKind* kind) {
      Node callee = Unparen(call.Field("function"));
      if (!callee.Is("selector_expression")) return "";
      const std::string owner = m.TypeOf(f, callee.Field("operand"));
      if (owner.empty()) return "";
      std::vector<FunctionRef> keep;
      const FunctionRef* r = b.Method(owner, f.Text(callee.Field("field")), &keep);
      if (!r) return "";
      std::string key;
      for (Node ret : FindAll(r->decl.Field("body"), "return_statement")) {
        Node list = ret.NamedChild(0);
        Node v = list && list.Is("expression_list") && list.NamedChildCount() == 1 ? Unparen(list.NamedChild(0)) : list;
        if (v && v.Is("nil")) continue;  // `if s == nil { return nil }`
        if (!v || !v.Is("selector_expression")) return "";
        const std::string k = owner + "." + std::string(r->file->Text(v.Field("field")));
        if (!key.empty() && k != key) return "";
        key = k;
      }
      if (key.empty()) return "";
      Node ft = m.FieldType(owner, key.substr(owner.size() + 1));
      *kind = ft ? KindOfType(TypeName(*m.structs_.find(owner)->second.first, ft)) : SyncKind::kUnknown;
      return *kind == SyncKind::kUnknown ? "" : key;
    }

    void Op(Node node, Node operand, SyncOpKind op, const Held& held, bool deferred, bool blocking) {
      SyncEvent e;
      e.type = SyncEvent::Type::kOp;
      e.node = node;
      e.op = op;
      e.key = KeyOf(operand, &e.kind, &e.base);
      if (e.key.empty()) return;
      e.deferred = deferred;
      e.blocking = blocking;
      e.held = held;
      fm.events.push_back(std::move(e));
    }

    // A method call on a sync object (mu.Lock(), wg.Wait(), c.Lock() through an embedded Mutex): true when it was.
    bool SyncCall(Node call, Held* held, bool deferred) {
      Node callee = Unparen(call.Field("function"));
      if (!callee.Is("selector_expression")) return false;
      const std::string_view method = f.Text(callee.Field("field"));
      Node operand = Unparen(callee.Field("operand"));
      SyncKind kind = KindOfType(m.TypeOf(f, operand));
      std::string key;
      const Object* base = nullptr;
      if (kind == SyncKind::kUnknown) {
        // Promoted through an embedded sync.Mutex / RWMutex: c.Lock() on a struct that embeds one.
        const std::string owner = m.TypeOf(f, operand);
        if (owner.empty() && operand.Is("selector_expression")) {
          // s.mu.Lock() where mu is an anonymous `struct { sync.RWMutex; ... }`.
          Node base_expr = Unparen(operand.Field("operand"));
          const std::string outer = m.TypeOf(f, base_expr);
          Node ft = outer.empty() ? Node() : m.FieldType(outer, f.Text(operand.Field("field")));
          if (!ft || !ft.Is("struct_type")) return false;
          const SourceFile& sf = *m.structs_.find(outer)->second.first;
          for (Node fd : FindAll(ft, "field_declaration")) {
            if (fd.Field("name")) continue;
            const std::string et = TypeName(sf, fd.Field("type"));
            if (et == "sync.Mutex" || et == "sync.RWMutex") {
              kind = KindOfType(et);
              key = outer + "." + std::string(f.Text(operand.Field("field")));
              if (base_expr.Is("identifier")) base = f.syntax.Resolve(base_expr);
            }
          }
          if (kind == SyncKind::kUnknown) return false;
        }
        if (owner.empty() && kind == SyncKind::kUnknown) return false;
        if (kind == SyncKind::kUnknown) {
          std::vector<FunctionRef> keep;
          if (b.Method(owner, method, &keep)) return false;  // its own method
          for (const char* e : {"sync.Mutex", "sync.RWMutex"}) {
            if (b.Embeds(owner, e)) {
              kind = KindOfType(e);
              key = owner + "." + std::string(e).substr(5);
              if (operand.Is("identifier")) base = f.syntax.Resolve(operand);
            }
          }
          if (kind == SyncKind::kUnknown) return false;
        }
      }
      SyncOpKind op;
      if (method == "Lock") op = SyncOpKind::kLock;
      else if (method == "RLock") op = SyncOpKind::kRLock;
      else if (method == "Unlock") op = SyncOpKind::kUnlock;
      else if (method == "RUnlock") op = SyncOpKind::kRUnlock;
      else if (method == "Add") op = SyncOpKind::kAdd;
      else if (method == "Done") op = SyncOpKind::kDone;
      else if (method == "Wait") op = kind == SyncKind::kCond ? SyncOpKind::kCondWait : SyncOpKind::kWait;
      else if (method == "Signal") op = SyncOpKind::kSignal;
      else if (method == "Broadcast") op = SyncOpKind::kBroadcast;
      else return false;
      SyncEvent e;
      e.node = call;
      e.op = op;
      e.kind = kind;
      e.deferred = deferred;
      e.held = *held;
      if (key.empty()) {
        e.key = KeyOf(operand, &e.kind, &e.base);
      } else {
        e.key = key;
        e.base = base;
      }
      if (e.key.empty()) return true;
      const std::pair<std::string, const Object*> entry(e.key, e.base);
      if (!deferred) {
        if (IsLockOp(op)) {
          held->push_back(entry);
        } else if (op == SyncOpKind::kUnlock || op == SyncOpKind::kRUnlock) {
          auto it = std::find(held->begin(), held->end(), entry);
          if (it == held->end()) {
            it = std::find_if(held->begin(), held->end(), [&](const auto& h) { return h.first == e.key; });
          }
          if (it != held->end()) held->erase(it);
        }
      }
      fm.events.push_back(std::move(e));
      return true;
    }

    // Does `fn` (or what it calls, `depth` levels down) unlock `key` before it locks it: a helper that releases the
    // caller's lock?
    static bool Releases(const FunctionModel* fn, const std::string& key, int depth) {
      if (!fn || depth <= 0) return false;
      for (const SyncEvent& e : fn->events) {
        if (e.type == SyncEvent::Type::kOp && e.key == key) {
          if (e.op == SyncOpKind::kLock || e.op == SyncOpKind::kRLock) return false;
          if (!e.deferred && (e.op == SyncOpKind::kUnlock || e.op == SyncOpKind::kRUnlock)) return true;
        }
        if (e.type == SyncEvent::Type::kCall && e.callee != fn && Releases(e.callee, key, depth - 1)) return true;
      }
      return false;
    }

    // A call to a function of the package: its model and what the call binds.
    void PackageCall(Node call, const Held& held, SyncEvent::Type type) {
      Node callee = Unparen(call.Field("function"));
      const FunctionModel* target = nullptr;
      const Object* recv_arg = nullptr;
      if (callee.Is("func_literal")) {
        auto it = m.by_node_.find(callee.Id());
        if (it != m.by_node_.end()) target = it->second;
      } else if (callee.Is("identifier")) {
        const Object* o = f.syntax.Resolve(callee);
        if (o && o->kind == ObjectKind::kFunc) {
          for (const FunctionRef& r : m.package_.Lookup(f.Text(callee))) {
            if (r.receiver_type.empty()) {
              auto it = m.by_node_.find(r.decl.Id());
              if (it != m.by_node_.end()) target = it->second;
              break;
            }
          }
        }
      } else if (callee.Is("selector_expression")) {
        Node operand = Unparen(callee.Field("operand"));
        const std::string owner = m.TypeOf(f, operand);
        if (!owner.empty()) {
          std::vector<FunctionRef> keep;
          if (const FunctionRef* r = b.Method(owner, f.Text(callee.Field("field")), &keep)) {
            auto it = m.by_node_.find(r->decl.Id());
            if (it != m.by_node_.end()) target = it->second;
            if (operand.Is("identifier")) recv_arg = f.syntax.Resolve(operand);
          }
        }
      }
      bool via_value = false;
      if (!target) {
        target = m.FuncValueTarget(f, callee, 4);
        via_value = target != nullptr;
      }
      if (!target && callee.Is("selector_expression")) {
        // A method of an interface of the package: each implementation, like a callback (nothing to bind).
        const std::string owner = m.TypeOf(f, Unparen(callee.Field("operand")));
        auto impls = owner.empty() ? std::vector<const FunctionModel*>()
                                   : m.Implementations(owner, f.Text(callee.Field("field")));
        for (const FunctionModel* impl : impls) {
          SyncEvent e;
          e.type = type;
          e.node = call;
          e.callee = impl;
          e.held = held;
          e.via_value = true;
          fm.interface_calls.push_back(std::move(e));
        }
        return;
      }
      if (!target) return;
      SyncEvent e;
      e.type = type;
      e.node = call;
      e.callee = target;
      e.held = held;
      if (via_value) {
        e.via_value = true;
        fm.events.push_back(std::move(e));
        return;  // a callback: no receiver or parameters to bind
      }
      if (target->receiver && recv_arg) e.binds.emplace_back(target->receiver, recv_arg);
      if (!target->fn.Is("func_literal")) {
        // Parameters by position, for identifier arguments.
        std::vector<const Object*> params;
        Node plist = target->fn.Field("parameters");
        for (Node p : FindAll(plist, "parameter_declaration")) {
          for (Node n : FieldAll(p, "name")) params.push_back(target->file->syntax.Declared(n));
        }
        Node args = call.Field("arguments");
        for (uint32_t i = 0, k = 0; args && i < args.NamedChildCount(); ++i, ++k) {
          Node a = Unparen(args.NamedChild(i));
          if (k < params.size() && params[k] && a.Is("identifier")) {
            if (const Object* o = f.syntax.Resolve(a)) e.binds.emplace_back(params[k], o);
          }
          if (k < params.size() && params[k]) {
            SyncKind kind;
            const Object* base = nullptr;
            std::string key = KeyOf(a, &kind, &base);
            e.arg_keys.emplace_back(params[k], key);  // "" when the argument is no object the model knows
          }
        }
      }
      fm.events.push_back(std::move(e));
    }

    // Marks chan / WaitGroup / Cond objects used other than by an op (passed, assigned, returned): they escape.
    void MarkEscapes(Node n) {
      if (!n) return;
      if (n.Is("func_literal")) return;
      if (n.Is("selector_expression") || n.Is("identifier")) {
        Node parent = n.Parent();
        const bool operand_of_call = parent.Is("selector_expression") && parent.Field("operand") == n &&
                                     parent.Parent().Is("call_expression");
        const bool op_operand = (parent.Is("send_statement") && parent.Field("channel") == n) ||
                                (parent.Is("unary_expression") && f.Text(parent.Field("operator")) == "<-") ||
                                parent.Is("range_clause") ||
                                (parent.Is("argument_list") && parent.Parent().Is("call_expression") &&
                                 (f.Text(Unparen(parent.Parent().Field("function"))) == "close" ||
                                  f.Text(Unparen(parent.Parent().Field("function"))) == "len" ||
                                  f.Text(Unparen(parent.Parent().Field("function"))) == "cap"));
        const bool assigned_to = (parent.Is("expression_list") && parent.Parent().Field("left") == parent);
        // `c := s.ch` / `var c = s.ch`: an alias KeyOf follows, when never assigned again.
        Node holder = parent.Is("expression_list") ? parent.Parent() : parent;
        if ((holder.Is("short_var_declaration") || holder.Is("var_spec")) && !assigned_to) {
          Node names = holder.Is("short_var_declaration") ? holder.Field("left") : holder;
          bool alias = false;
          for (Node id : FindAll(names, "identifier")) {
            const Object* o = f.syntax.Declared(id);
            if (o && o->assignments.empty() && !o->address_taken && (o->value == n || o->value == parent)) alias = true;
          }
          if (alias) return;
        }
        if (!operand_of_call && !op_operand && !assigned_to && !(parent.Is("selector_expression") &&
                                                                 parent.Field("operand") == n)) {
          SyncKind kind;
          const Object* base = nullptr;
          std::string key = KeyOf(n, &kind, &base);
          if (!key.empty() && kind != SyncKind::kMutex && kind != SyncKind::kRWMutex) {
            const bool returned = parent.Is("expression_list") && parent.Parent().Is("return_statement");
            if (returned) m.returned_[key].emplace_back(&fm, n);
            // In package main every caller is in view, and accessors are followed (AccessorKey): a return hands
            // the object to no one else.
            if (!(returned && m.package_.name == "main")) m.escapes_[key] = true;
          }
        }
      }
      for (uint32_t i = 0, c = n.NamedChildCount(); i < c; ++i) MarkEscapes(n.NamedChild(i));
    }

    // Events of the expressions under `n` (not into literals, except literals called on the spot), in source order.
    void Expressions(Node n, Held* held, bool deferred) {
      if (!n) return;
      if (n.Is("func_literal")) return;
      if (n.Is("call_expression")) {
        Expressions(n.Field("arguments"), held, deferred);
        Node callee = Unparen(n.Field("function"));
        if (callee.Is("selector_expression")) Expressions(callee.Field("operand"), held, deferred);
        if (!SyncCall(n, held, deferred)) {
          const std::string_view name = f.Text(callee);
          if (name == "close" && n.Field("arguments") && n.Field("arguments").NamedChildCount() == 1) {
            Op(n, n.Field("arguments").NamedChild(0), SyncOpKind::kClose, *held, deferred, false);
          } else if (!deferred) {
            PackageCall(n, *held, SyncEvent::Type::kCall);
            // A helper that unlocks what we hold (unlockAndNotify): not held after the call.
            if (!fm.events.empty() && fm.events.back().type == SyncEvent::Type::kCall &&
                fm.events.back().node == n && fm.events.back().callee) {
              const SyncEvent& call = fm.events.back();
              for (auto it = held->begin(); it != held->end();) {
                if (Releases(call.callee, it->first, 2)) {
                  it = held->erase(it);
                } else {
                  ++it;
                }
              }
            }
            // Arguments hand channels and WaitGroups to the callee: they escape the package's view of them.
            MarkEscapes(n.Field("arguments"));
          } else {
            MarkEscapes(n.Field("arguments"));
          }
        }
        return;
      }
      if (n.Is("unary_expression") && f.Text(n.Field("operator")) == "<-") {
        Expressions(n.Field("operand"), held, deferred);
        Node sc;
        Node sel = SelectOfCommunication(n, &sc);
        const bool blocking = !sel || !SelectHasOtherCase(sel, sc);
        Op(n, n.Field("operand"), SyncOpKind::kRecv, *held, deferred, blocking);
        return;
      }
      for (uint32_t i = 0, c = n.NamedChildCount(); i < c; ++i) Expressions(n.NamedChild(i), held, deferred);
    }

    static bool EndsFlow(Node stmt) {
      return stmt.Is("return_statement") || stmt.Is("break_statement") || stmt.Is("continue_statement") ||
             stmt.Is("goto_statement");
    }

    // Walks a statement; returns true when control does not fall out of it (return, break, ...).
    bool Statement(Node s, Held* held) {
      if (!s) return false;
      if (s.Is("block")) return List(Statements(s), held);
      if (s.Is("labeled_statement")) return Statement(s.NamedChild(s.NamedChildCount() - 1), held);
      if (EndsFlow(s)) {
        Expressions(s, held, false);
        MarkEscapes(s);
        if ((s.Is("break_statement") || s.Is("continue_statement")) && !held->empty()) {
          SyncEvent e;
          e.type = SyncEvent::Type::kLeave;
          e.node = s;
          e.held = *held;
          fm.events.push_back(std::move(e));
        }
        return true;
      }
      if (s.Is("go_statement")) {
        Node call = GoCall(s);
        if (call) {
          Expressions(call.Field("arguments"), held, false);
          MarkEscapes(call.Field("arguments"));
          PackageCall(call, *held, SyncEvent::Type::kGo);
        }
        return false;
      }
      if (s.Is("defer_statement")) {
        Node call = GoCall(s);
        if (Node lit = GoFuncLiteral(s)) {
          // defer func() { mu.Unlock() }(): its sync calls happen at the end; the lock stays held until then.
          for (Node c : FindAll(lit.Field("body"), "call_expression")) SyncCall(c, held, true);
        } else if (call) {
          SyncCall(call, held, true) || (Expressions(call, held, true), true);
        }
        return false;
      }
      if (s.Is("send_statement")) {
        Expressions(s.Field("value"), held, false);
        MarkEscapes(s.Field("value"));
        Node sc;
        Node sel = SelectOfCommunication(s, &sc);
        const bool blocking = !sel || !SelectHasOtherCase(sel, sc);
        Op(s, s.Field("channel"), SyncOpKind::kSend, *held, false, blocking);
        return false;
      }
      if (s.Is("if_statement")) {
        Statement(s.Field("initializer"), held);
        Expressions(s.Field("condition"), held, false);
        Held a = *held, c = *held;
        const bool ta = Statement(s.Field("consequence"), &a);
        const bool tc = s.Field("alternative") ? Statement(s.Field("alternative"), &c) : false;
        if (ta && tc) return true;
        *held = ta ? c : tc ? a : Intersect(a, c);
        return false;
      }
      if (s.Is("for_statement")) {
        Node range = s.ChildOfType("range_clause");
        if (range) {
          Expressions(range.Field("right"), held, false);
          Op(s, range.Field("right"), SyncOpKind::kRange, *held, false, true);
        }
        for (const char* field : {"initializer", "condition", "update"}) Expressions(s.Field(field), held, false);
        if (Node clause = s.ChildOfType("for_clause")) {
          for (const char* field : {"initializer", "condition", "update"}) Expressions(clause.Field(field), held, false);
        }
        Held body = *held;
        Statement(s.Field("body"), &body);
        return false;
      }
      if (s.Is("expression_switch_statement") || s.Is("type_switch_statement") || s.Is("select_statement")) {
        Statement(s.Field("initializer"), held);
        Expressions(s.Field("value"), held, false);
        bool has_default = s.Is("select_statement");  // a select always takes one of its cases
        std::vector<Held> outs;
        for (uint32_t i = 0, n = s.NamedChildCount(); i < n; ++i) {
          Node c = s.NamedChild(i);
          if (!(c.Is("expression_case") || c.Is("default_case") || c.Is("type_case") ||
                c.Is("communication_case"))) {
            continue;
          }
          has_default = has_default || c.Is("default_case");
          Held h = *held;
          if (Node comm = c.Field("communication")) Statement(comm, &h);
          if (Node v = c.Field("value")) Expressions(v, &h, false);
          std::vector<Node> body;
          for (uint32_t k = 0, kn = c.NamedChildCount(); k < kn; ++k) {
            Node st = c.NamedChild(k);
            if (st == c.Field("communication") || st == c.Field("value") || st.Is("expression_list") ||
                st.Is("type_identifier")) {
              continue;
            }
            if (st.Is("statement_list")) {
              for (Node x : Statements(st)) body.push_back(x);
            } else {
              body.push_back(st);
            }
          }
          if (!List(body, &h)) outs.push_back(h);
        }
        if (!has_default) outs.push_back(*held);
        if (outs.empty()) return true;
        Held merged = outs[0];
        for (size_t i = 1; i < outs.size(); ++i) merged = Intersect(merged, outs[i]);
        *held = merged;
        return false;
      }
      if (s.Is("receive_statement")) {
        Expressions(s.Field("right"), held, false);
        return false;
      }
      if (s.Is("expression_statement") || s.Is("short_var_declaration") || s.Is("assignment_statement") ||
          s.Is("var_declaration") || s.Is("inc_statement") || s.Is("dec_statement")) {
        Expressions(s, held, false);
        if (!s.Is("expression_statement")) MarkEscapes(s.Field("right") ? s.Field("right") : s);
        // panic(...), os.Exit, log.Fatal: nothing after it runs.
        if (s.Is("expression_statement")) {
          Node call = s.NamedChild(0);
          if (call.Is("call_expression")) {
            const std::string_view callee = f.Text(call.Field("function"));
            if (callee == "panic" || callee == "os.Exit" || callee.rfind("log.Fatal", 0) == 0) return true;
          }
        }
        return false;
      }
      Expressions(s, held, false);
      return false;
    }

    bool List(const std::vector<Node>& stmts, Held* held) {
      for (Node s : stmts) {
        if (Statement(s, held)) return true;
      }
      return false;
    }

    void Run() {
      Node body = fm.fn.Field("body");
      if (!body) return;
      Held held;
      List(Statements(body), &held);
    }
  };
  // Every value the package gives a struct field: `T{f: v}`, `T{v1, v2}` (in field order) and `x.f = v`.
  auto for_each_field_value = [&](const SourceFile& f, auto&& visit) {  // visit(owner type, field, value)
    for (Node lit : FindAll(f.root(), "composite_literal", IntoLiterals::kYes)) {
      const std::string type = TypeName(f, lit.Field("type"));
      Node body = lit.Field("body");
      if (type.empty() || !IsStruct(type) || !body) continue;
      for (Node kv : FindAll(body, "keyed_element")) {
        if (kv.Parent() != body) continue;
        Node k = kv.NamedChild(0), v = kv.NamedChild(kv.NamedChildCount() - 1);
        if (k.Is("literal_element")) k = k.NamedChild(0);
        if (v.Is("literal_element")) v = v.NamedChild(0);
        visit(type, std::string(f.Text(k)), v);
      }
      if (body.NamedChildCount() == 0 || !body.NamedChild(0).Is("literal_element")) continue;
      std::vector<std::string> names;
      const auto& [sf, st] = structs_.find(type)->second;
      for (Node fd : FindAll(st, "field_declaration")) {
        if (fd.Parent().Parent() != st) continue;
        std::vector<Node> ns = FieldAll(fd, "name");
        if (ns.empty()) {
          const std::string tn = TypeName(*sf, fd.Field("type"));
          names.push_back(tn.substr(tn.rfind('.') + 1));
        }
        for (Node n : ns) names.emplace_back(sf->Text(n));
      }
      for (uint32_t i = 0; i < body.NamedChildCount() && i < names.size(); ++i) {
        Node v = body.NamedChild(i);
        if (v.Is("literal_element")) v = v.NamedChild(0);
        visit(type, names[i], v);
      }
    }
    for (Node as : FindAll(f.root(), "assignment_statement", IntoLiterals::kYes)) {
      Node left = as.Field("left"), right = as.Field("right");
      if (!left || !right || left.NamedChildCount() != right.NamedChildCount()) continue;
      for (uint32_t i = 0; i < left.NamedChildCount(); ++i) {
        Node l = left.NamedChild(i);
        if (!l.Is("selector_expression")) continue;
        const std::string owner = TypeOf(f, l.Field("operand"));
        if (!owner.empty() && IsStruct(owner)) visit(owner, std::string(f.Text(l.Field("field"))), right.NamedChild(i));
      }
    }
  };
  // Where channel fields and variables are made: T{f: make(chan X[, n])}, x.f = make(...), var v = make(...).
  auto record_make = [&](const std::string& key, Node make_call, const SourceFile& f) {
    Node args = make_call.Field("arguments");
    const bool buffered = args && args.NamedChildCount() >= 2 && f.Text(args.NamedChild(1)) != "0";
    auto [it, fresh] = buffered_.emplace(key, buffered);
    if (!fresh) it->second = it->second || buffered;
  };
  auto is_make = [](const SourceFile& f, Node n) {
    n = Unparen(n);
    return n.Is("call_expression") && f.Text(n.Field("function")) == "make";
  };
  for (const SourceFile* f : package.files) {
    if (!f->tree.ok()) continue;
    for_each_field_value(*f, [&](const std::string& owner, const std::string& field, Node v) {
      const std::string key = owner + "." + field;
      Node ft = FieldType(owner, field);
      // Func-valued fields (a named func type too), for calls of x.f().
      if (ft && (ft.Is("function_type") || (ft.Is("type_identifier") && IsFuncType(f->Text(ft))))) {
        func_fields_[key].emplace_back(f, v);
        return;
      }
      // A channel field set to a make (directly, or through a local holding one) gets its capacity; set to anything
      // else (another channel, a parameter), it shares its operations with code the model does not tie to it.
      if (!ft || !(ft.Is("channel_type") || TypeName(*structs_.find(owner)->second.first, ft) == "chan")) return;
      v = Unparen(v);
      if (v.Is("nil")) return;
      if (is_make(*f, v)) {
        record_make(key, v, *f);
        return;
      }
      if (v.Is("identifier")) {
        const Object* o = f->syntax.Resolve(v);
        if (o && !o->package_level && o->value && is_make(*f, o->value)) record_make(key, Unparen(o->value), *f);
      }
      aliased_.insert(key);
    });
    // Package variables: var v = make(...), v = make(...).
    for (const Object& o : f->syntax.objects()) {
      if (o.package_level && o.kind == ObjectKind::kVar && o.value && is_make(*f, o.value)) {
        record_make("var." + std::string(o.name), Unparen(o.value), *f);
      }
    }
    for (Node as : FindAll(f->root(), "assignment_statement", IntoLiterals::kYes)) {
      Node left = as.Field("left"), right = as.Field("right");
      if (!left || !right || left.NamedChildCount() != right.NamedChildCount()) continue;
      for (uint32_t i = 0; i < left.NamedChildCount(); ++i) {
        Node l = left.NamedChild(i), r = right.NamedChild(i);
        if (!l.Is("identifier") || !is_make(*f, r)) continue;
        const Object* o = f->syntax.Resolve(l);
        if (o && o->package_level) record_make("var." + std::string(o->name), Unparen(r), *f);
      }
    }
  }
  // Twice: the second walk sees every callee's events (helpers that release the caller's lock).
  for (auto& fm : functions_) {
    Walker w{*this, b, *fm, *fm->file};
    w.Run();
  }
  escapes_.clear();
  returned_.clear();
  for (auto& fm : functions_) {
    fm->events.clear();
    Walker w{*this, b, *fm, *fm->file};
    w.Run();
  }
  // A parameter every call binds to the same object (go monitor(c, h.stop) everywhere) stands for that object.
  std::map<const Object*, std::string> param_key;
  std::set<const Object*> mixed;
  for (auto& fm : functions_) {
    for (const SyncEvent& e : fm->events) {
      for (const auto& [param, key] : e.arg_keys) {
        if (key.empty() || key.rfind("local.", 0) == 0 || mixed.count(param)) {
          mixed.insert(param);
          continue;
        }
        auto [it, fresh] = param_key.emplace(param, key);
        if (!fresh && it->second != key) mixed.insert(param);
      }
    }
  }
  for (auto& fm : functions_) {
    for (SyncEvent& e : fm->events) {
      if (e.type != SyncEvent::Type::kOp || e.key.rfind("local.", 0) != 0) continue;
      for (const auto& [param, key] : param_key) {
        if (!mixed.count(param) && e.key == fmt::format("local.{}", param->ident.StartByte()) &&
            fm->file->syntax.Declared(param->ident) == param) {
          e.key = key;
        }
      }
    }
    for (size_t i = 0; i < fm->events.size(); ++i) {
      const SyncEvent& e = fm->events[i];
      if (e.type == SyncEvent::Type::kOp) ops_[e.key].emplace_back(fm.get(), i);
    }
  }
}

// Is the lock call `lock` inside an if whose condition reads a parameter of `fn` (`if !locked { mu.Lock() }`)?
static bool LockedOnCallersWord(const FunctionModel& fn, Node lock) {
  for (Node p = lock.Parent(); p && p != fn.fn; p = p.Parent()) {
    if (!p.Is("if_statement")) continue;
    for (Node id : FindAll(p.Field("condition"), "identifier")) {
      const Object* o = fn.file->syntax.Resolve(id);
      if (o && o->kind == ObjectKind::kParam && o->function == fn.fn) return true;
    }
  }
  return false;
}

std::string PackageModel::FieldOwner(std::string_view type, std::string_view field) const {
  auto it = structs_.find(type);
  if (it == structs_.end()) return std::string(type);
  const auto& [file, st] = it->second;
  for (Node fd : FindAll(st, "field_declaration")) {
    for (Node n : FieldAll(fd, "name")) {
      if (file->Text(n) == field) return std::string(type);
    }
  }
  for (Node fd : FindAll(st, "field_declaration")) {
    if (fd.Field("name") || fd.Parent().Parent() != st) continue;
    const std::string inner = TypeName(*file, fd.Field("type"));
    if (inner != type && IsStruct(inner) && FieldType(inner, field)) return FieldOwner(inner, field);
  }
  return std::string(type);
}

Node PackageModel::DeclaredType(const SourceFile& file, Node expr, const SourceFile** tf) const {
  expr = Unparen(expr);
  *tf = &file;
  Node t;
  if (expr.Is("selector_expression")) {
    const std::string owner = TypeOf(file, expr.Field("operand"));
    if (!owner.empty() && IsStruct(owner)) {
      t = FieldType(owner, file.Text(expr.Field("field")));
      *tf = structs_.find(owner)->second.first;
    }
  } else if (expr.Is("identifier")) {
    if (const Object* o = file.syntax.Resolve(expr)) {
      t = o->type;
      const SourceFile* of = package_.FileOf(o->ident);
      if (of) *tf = of;
      // worklist := t.worklist: the type of what it was set to.
      if (!t && o->value && o->value_index == 0 && o->assignments.empty() && !o->value.Is("range_clause")) {
        Node v = o->value;
        if (v.Is("expression_list") && v.NamedChildCount() == 1) v = v.NamedChild(0);
        thread_local int depth = 0;
        if (depth < 8 && (Unparen(v).Is("selector_expression") || Unparen(v).Is("identifier"))) {
          ++depth;
          t = DeclaredType(of ? *of : file, v, tf);
          --depth;
          return t;
        }
      }
    }
  }
  while (t && (t.Is("pointer_type") || t.Is("parenthesized_type"))) t = t.NamedChild(t.NamedChildCount() - 1);
  return t;
}

std::string PackageModel::CompositeKind(const SourceFile& file, Node expr) const {
  const SourceFile* tf;
  Node t = DeclaredType(file, expr, &tf);
  if (!t) return "";
  if (t.Is("map_type")) return "map";
  if (t.Is("slice_type") || t.Is("array_type")) return "slice";
  if (t.Is("channel_type")) return "chan";
  return "";
}

std::string PackageModel::ElementTypeOf(const SourceFile& file, Node expr, bool key) const {
  const SourceFile* tf;
  Node t = DeclaredType(file, expr, &tf);
  if (!t) return "";
  if (t.Is("map_type")) return TypeName(*tf, t.Field(key ? "key" : "value"));
  if (t.Is("slice_type") || t.Is("array_type")) return TypeName(*tf, t.Field("element"));
  if (t.Is("channel_type")) return TypeName(*tf, t.Field("value"));
  return "";
}

const SyncEvent* PackageModel::Acquires(const FunctionModel* fn, std::string_view key, const Object* base, int depth,
                                        const FunctionModel** where, size_t before, bool loose) const {
  if (!fn) return nullptr;
  for (size_t i = 0; i < fn->events.size() && i < before; ++i) {
    const SyncEvent& e = fn->events[i];
    if (e.type == SyncEvent::Type::kOp) {
      if (!e.deferred && IsLockOp(e.op) && e.key == key && (base == nullptr || e.base == base)) {
        if (LockedOnCallersWord(*fn, e.node)) continue;  // `if !hasLock { mu.Lock() }`: the caller says
        if (where) *where = fn;
        return &e;
      }
      // A function that unlocks it first was entered holding it ("lock must be held"): it lets go before it locks
      // again, and what it calls after that runs without it.
      if (!e.deferred && (e.op == SyncOpKind::kUnlock || e.op == SyncOpKind::kRUnlock) && e.key == key &&
          (base == nullptr || e.base == base || e.base == nullptr)) {
        return nullptr;
      }
      continue;
    }
    if (e.type != SyncEvent::Type::kCall || !e.callee || depth <= 0 || e.callee == fn) continue;
    const Object* inner = nullptr;
    if (base != nullptr) {
      for (const auto& [param, arg] : e.binds) {
        if (arg == base) inner = param;
      }
      if (inner == nullptr && !loose) continue;  // the callee does not get our object
    }
    if (const SyncEvent* found = Acquires(e.callee, key, inner, depth - 1, where, SIZE_MAX, loose)) return found;
  }
  return nullptr;
}

std::vector<std::string_view> PackageModel::MethodsOf(std::string_view type) const {
  std::vector<std::string_view> out;
  for (const auto& [name, ref] : package_.functions) {
    if (ref.receiver_type == type) out.push_back(name);
  }
  return out;
}

const FunctionModel* PackageModel::FuncValueTarget(const SourceFile& file, Node expr, int depth) const {
  expr = Unparen(expr);
  if (!expr || depth < 0) return nullptr;
  if (expr.Is("func_literal")) return Of(expr);
  if (expr.Is("call_expression")) {
    // A conversion to a named func type: Handler(c.process).
    Node args = expr.Field("arguments");
    const std::string_view conv = file.Text(expr.Field("function"));
    if (IsFuncType(conv) && args && args.NamedChildCount() == 1) return FuncValueTarget(file, args.NamedChild(0), depth);
    return nullptr;
  }
  if (expr.Is("identifier")) {
    const Object* o = file.syntax.Resolve(expr);
    if (!o) return nullptr;
    if (o->kind == ObjectKind::kFunc) {
      for (const FunctionRef& r : package_.Lookup(o->name)) {
        if (r.receiver_type.empty()) return Of(r.decl);
      }
      return nullptr;
    }
    if (o->kind == ObjectKind::kVar && o->assignments.empty() && o->value && !o->package_level) {
      const SourceFile* of = package_.FileOf(o->ident);
      return FuncValueTarget(of ? *of : file, o->value, depth - 1);
    }
    if (o->kind == ObjectKind::kParam && depth > 0) {
      // Every call of the function passes the same function here.
      const FunctionModel* fn = Of(o->function);
      if (!fn || fn->fn.Is("func_literal")) return nullptr;
      int index = -1, i = 0;
      for (Node p : FindAll(fn->fn.Field("parameters"), "parameter_declaration")) {
        for (Node n : FieldAll(p, "name")) {
          if (fn->file->syntax.Declared(n) == o) index = i;
          ++i;
        }
      }
      if (index < 0) return nullptr;
      const FunctionModel* only = nullptr;
      for (const auto& caller : functions_) {
        for (const SyncEvent& e : caller->events) {
          if ((e.type != SyncEvent::Type::kCall && e.type != SyncEvent::Type::kGo) || e.callee != fn) continue;
          Node args = e.node.Field("arguments");
          if (!args || static_cast<uint32_t>(index) >= args.NamedChildCount()) return nullptr;
          const FunctionModel* t = FuncValueTarget(*caller->file, args.NamedChild(index), depth - 1);
          if (!t || (only && only != t)) return nullptr;
          only = t;
        }
      }
      return only;
    }
    return nullptr;
  }
  if (expr.Is("selector_expression")) {
    const std::string owner = TypeOf(file, expr.Field("operand"));
    if (owner.empty()) return nullptr;
    const std::string_view name = file.Text(expr.Field("field"));
    // A method value: c.processLoop.
    for (const FunctionRef& r : package_.Lookup(name)) {
      if (r.receiver_type == owner) return Of(r.decl);
    }
    // A func-valued field: whatever the package stores in it, when that is one function.
    auto it = func_fields_.find(owner + "." + std::string(name));
    if (it == func_fields_.end()) return nullptr;
    const FunctionModel* only = nullptr;
    for (const auto& [vf, v] : it->second) {
      const FunctionModel* t = FuncValueTarget(*vf, v, depth - 1);
      if (!t || (only && only != t)) return nullptr;
      only = t;
    }
    return only;
  }
  return nullptr;
}

const FunctionModel* PackageModel::Of(Node fn) const {
  auto it = by_node_.find(fn.Id());
  return it == by_node_.end() ? nullptr : it->second;
}

Node PackageModel::FieldType(std::string_view type, std::string_view field) const {
  auto it = structs_.find(type);
  if (it == structs_.end()) return {};
  const auto& [file, st] = it->second;
  for (Node fd : FindAll(st, "field_declaration")) {
    for (Node n : FieldAll(fd, "name")) {
      if (file->Text(n) == field) return fd.Field("type");
    }
    if (!fd.Field("name")) {
      // An embedded field is named by its type's name.
      const std::string name = TypeName(*file, fd.Field("type"));
      const size_t dot = name.rfind('.');
      if ((dot == std::string::npos ? name : name.substr(dot + 1)) == field) return fd.Field("type");
    }
  }
  return {};
}

std::vector<std::pair<const FunctionModel*, const SyncEvent*>> PackageModel::OpsOn(std::string_view key) const {
  std::vector<std::pair<const FunctionModel*, const SyncEvent*>> out;
  auto it = ops_.find(key);
  if (it == ops_.end()) return out;
  for (const auto& [fm, i] : it->second) out.emplace_back(fm, &fm->events[i]);
  return out;
}

bool PackageModel::Exported(std::string_view key) const {
  const size_t dot = key.rfind('.');
  if (dot == std::string_view::npos || key.rfind("local.", 0) == 0) return false;
  const std::string_view name = key.substr(dot + 1);
  return !name.empty() && std::isupper(static_cast<unsigned char>(name[0])) && package_.name != "main";
}

std::vector<const FunctionModel*> PackageModel::Implementations(std::string_view iface, std::string_view method,
                                                                size_t max) const {
  std::vector<const FunctionModel*> out;
  auto it = interface_methods_.find(iface);
  if (it == interface_methods_.end() || !it->second.count(std::string(method))) return out;
  Builder b{const_cast<PackageModel&>(*this), package_};
  for (const auto& [type, where] : structs_) {
    if (type.find('.') != std::string_view::npos) continue;  // an anonymous struct field's type: no methods
    bool all = true;
    std::vector<FunctionRef> keep;
    for (const std::string& m : it->second) all = all && b.Method(type, m, &keep) != nullptr;
    if (!all) continue;
    const FunctionRef* r = b.Method(type, method, &keep);
    auto fm = r ? by_node_.find(r->decl.Id()) : by_node_.end();
    if (fm == by_node_.end()) continue;
    out.push_back(fm->second);
    if (out.size() > max) return {};
  }
  return out;
}

std::string PackageModel::TypeOf(const SourceFile& file, Node expr) const {
  // Bounded: a variable initialised from itself through a chain of calls must not loop.
  struct Depth {
    int& d;
    explicit Depth(int& x) : d(++x) {}
    ~Depth() { --d; }
  };
  thread_local int depth = 0;
  Depth guard(depth);
  if (depth > 12 || !expr) return "";
  expr = Unparen(expr);
  if (expr.Is("unary_expression")) {
    const std::string_view op = file.Text(expr.Field("operator"));
    if (op == "&" || op == "*") return TypeOf(file, expr.Field("operand"));
    return "";
  }
  if (expr.Is("identifier")) {
    const Object* o = file.syntax.Resolve(expr);
    if (!o) return "";
    const SourceFile* of = package_.FileOf(o->ident);
    if (!of) of = &file;
    if (o->type) return TypeName(*of, o->type);
    if (o->value && o->value.Is("range_clause")) {
      // for k, v := range x: v is x's element (k a map's key, or a channel's element).
      Node right = o->value.Field("right");
      const std::string kind = CompositeKind(*of, right);
      if (kind == "chan") return o->value_index == 0 ? ElementTypeOf(*of, right, false) : "";
      if (kind == "map") return ElementTypeOf(*of, right, o->value_index == 0);
      if (kind == "slice") return o->value_index == 1 ? ElementTypeOf(*of, right, false) : "";
      return "";
    }
    if (o->value && o->value_index > 0 && Unparen(o->value).Is("call_expression")) {
      // d, c := New(): result number value_index of a function of the package.
      Node callee = Unparen(Unparen(o->value).Field("function"));
      Builder b{const_cast<PackageModel&>(*this), package_};
      if (callee.Is("identifier")) {
        for (const FunctionRef& r : package_.Lookup(of->Text(callee))) {
          if (r.receiver_type.empty()) return b.ResultType(*r.file, r.decl, o->value_index);
        }
      } else if (callee.Is("selector_expression")) {
        const std::string owner = TypeOf(*of, callee.Field("operand"));
        std::vector<FunctionRef> keep;
        if (const FunctionRef* r = owner.empty() ? nullptr : b.Method(owner, of->Text(callee.Field("field")), &keep)) {
          return b.ResultType(*r->file, r->decl, o->value_index);
        }
      }
      return "";
    }
    if (o->value && (o->value_index == 0 || !o->value.Is("call_expression"))) {
      if (o->value.Is("expression_list")) {
        if (static_cast<uint32_t>(o->value_index) < o->value.NamedChildCount()) {
          return TypeOf(*of, o->value.NamedChild(o->value_index));
        }
        return "";
      }
      return TypeOf(*of, o->value);
    }
    return "";
  }
  if (expr.Is("composite_literal")) return TypeName(file, expr.Field("type"));
  if (expr.Is("type_assertion_expression")) return TypeName(file, expr.Field("type"));
  if (expr.Is("index_expression")) return ElementTypeOf(file, expr.Field("operand"), /*key=*/false);
  if (expr.Is("call_expression")) {
    Node callee = Unparen(expr.Field("function"));
    Node args = expr.Field("arguments");
    const std::string_view name = file.Text(callee);
    if (name == "new" && args && args.NamedChildCount() == 1) return TypeName(file, args.NamedChild(0));
    if (name == "make" && args && args.NamedChildCount() >= 1) return TypeName(file, args.NamedChild(0));
    Builder b{const_cast<PackageModel&>(*this), package_};
    if (callee.Is("identifier")) {
      for (const FunctionRef& r : package_.Lookup(name)) {
        if (r.receiver_type.empty()) return b.ResultType(*r.file, r.decl);
      }
      return "";
    }
    if (callee.Is("selector_expression")) {
      const std::string owner = TypeOf(file, callee.Field("operand"));
      if (owner.empty()) {
        // sync.NewCond(...) and friends.
        const std::string path(file.imports.PathOf(file.Text(callee.Field("operand"))));
        if (path == "sync" && file.Text(callee.Field("field")) == "NewCond") return "sync.Cond";
        return "";
      }
      std::vector<FunctionRef> keep;
      if (const FunctionRef* r = b.Method(owner, file.Text(callee.Field("field")), &keep)) {
        return b.ResultType(*r->file, r->decl);
      }
    }
    return "";
  }
  if (expr.Is("selector_expression")) {
    const std::string owner = TypeOf(file, expr.Field("operand"));
    if (owner.empty() || !IsStruct(owner)) return "";
    const std::string_view field = file.Text(expr.Field("field"));
    const std::string declaring = FieldOwner(owner, field);
    auto it = structs_.find(declaring);
    Node t = it == structs_.end() ? Node() : FieldType(declaring, field);
    if (t && t.Is("struct_type")) return declaring + "." + std::string(field);  // an anonymous struct field
    if (t) return TypeName(*it->second.first, t);
    // One level of embedding: a field promoted from an embedded struct of the package.
    const auto& [sf, st] = it->second;
    for (Node fd : FindAll(st, "field_declaration")) {
      if (fd.Field("name")) continue;
      const std::string inner = TypeName(*sf, fd.Field("type"));
      if (!IsStruct(inner)) continue;
      Node ft = FieldType(inner, field);
      if (ft) return TypeName(*structs_.find(inner)->second.first, ft);
    }
    return "";
  }
  return "";
}

}  // namespace leakhound::scan
