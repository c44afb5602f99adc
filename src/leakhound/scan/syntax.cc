#include "leakhound/scan/syntax.h"

#include <algorithm>
#include <array>

#include "leakhound/scan/package.h"
#include "leakhound/util/strings.h"

namespace leakhound::scan {

std::string_view Imports::PathOf(std::string_view local) const {
  auto it = by_name.find(local);
  return it == by_name.end() ? std::string_view() : std::string_view(it->second);
}

std::string_view Imports::NameOf(std::string_view path) const {
  for (const auto& [name, p] : by_name) {
    if (p == path) return name;
  }
  for (const std::string& p : dot) {
    if (p == path) return ".";
  }
  return {};
}

std::string DefaultImportName(std::string_view path) {
  std::string_view last = path;
  size_t slash = path.rfind('/');
  if (slash != std::string_view::npos) last = path.substr(slash + 1);
  // ".../v2": the element before.
  if (last.size() >= 2 && last[0] == 'v' && util::ParseUint(last.substr(1)) && slash != std::string_view::npos) {
    std::string_view before = path.substr(0, slash);
    size_t s2 = before.rfind('/');
    last = s2 == std::string_view::npos ? before : before.substr(s2 + 1);
  }
  // gopkg.in/yaml.v3
  if (size_t dot = last.find(".v"); dot != std::string_view::npos && util::ParseUint(last.substr(dot + 2))) {
    last = last.substr(0, dot);
  }
  util::Consume(last, "go-");
  std::string out(last);
  std::replace(out.begin(), out.end(), '-', '_');
  std::replace(out.begin(), out.end(), '.', '_');
  return out;
}

namespace {

std::string_view Unquote(std::string_view s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '`')) return s.substr(1, s.size() - 2);
  return s;
}

void AddImportSpec(Node spec, std::string_view source, Imports* out) {
  std::string path(Unquote(spec.Field("path").Text(source)));
  if (path.empty()) return;
  Node name = spec.Field("name");
  if (name.IsNull()) {
    out->by_name.emplace(DefaultImportName(path), path);
  } else if (name.Is("dot")) {
    out->dot.push_back(path);
  } else if (name.Is("blank_identifier")) {
    // import _ "embed": nothing to refer to.
  } else {
    out->by_name.emplace(std::string(name.Text(source)), path);
  }
}

constexpr std::array<std::string_view, 17> kBuiltins = {"append", "cap",   "clear",  "close",   "complex", "copy",
                                                        "delete", "imag",  "len",    "make",    "max",     "min",
                                                        "new",    "panic", "print",  "println", "recover"};

}  // namespace

Imports ReadImports(Node root, std::string_view source) {
  Imports out;
  root.ForEachNamedChild([&](Node decl) {
    if (!decl.Is("import_declaration")) return true;
    decl.ForEachNamedChild([&](Node c) {
      if (c.Is("import_spec")) {
        AddImportSpec(c, source, &out);
      } else if (c.Is("import_spec_list")) {
        c.ForEachNamedChild([&](Node spec) {
          if (spec.Is("import_spec")) AddImportSpec(spec, source, &out);
          return true;
        });
      }
      return true;
    });
    return true;
  });
  return out;
}

std::vector<Node> FieldAll(Node n, std::string_view name) {
  std::vector<Node> out;
  for (uint32_t i = 0, c = n.ChildCount(); i < c; ++i) {
    const char* f = ts_node_field_name_for_child(n.raw(), i);
    if (f != nullptr && name == f) out.push_back(n.Child(i));
  }
  return out;
}

const Object* FileSyntax::Resolve(Node identifier) const {
  auto it = uses_.find(identifier.StartByte());
  return it == uses_.end() ? nullptr : it->second;
}

const Object* FileSyntax::Declared(Node identifier) const {
  auto it = decls_.find(identifier.StartByte());
  return it == decls_.end() ? nullptr : it->second;
}

// Walks one file with a stack of scopes, declaring and resolving as Go does (close enough for lint rules: a name is
// visible from its declaration to the end of the enclosing block).
class Resolver {
 public:
  Resolver(SourceFile* file, const PackageScope* package) : file_(file), package_(package) {}

  void DeclarePackage(PackageScope* scope) {
    Node root = file_->root();
    for (uint32_t i = 0, n = root.NamedChildCount(); i < n; ++i) {
      Node d = root.NamedChild(i);
      if (d.Is("function_declaration")) {
        Object* o = New(d.Field("name"), ObjectKind::kFunc, d);
        o->package_level = true;
        if (o->name != "init" && o->name != "_") scope->emplace(o->name, o);
      } else if (d.Is("var_declaration") || d.Is("const_declaration")) {
        ObjectKind kind = d.Is("var_declaration") ? ObjectKind::kVar : ObjectKind::kConst;
        for (Node spec : Specs(d)) {
          auto names = FieldAll(spec, "name");
          auto values = ValuesOf(spec.Field("value"));
          for (size_t k = 0; k < names.size(); ++k) {
            Object* o = New(names[k], kind, spec);
            o->package_level = true;
            o->type = spec.Field("type");
            SetValue(o, values, k);
            if (o->name != "_") scope->emplace(o->name, o);
          }
        }
      } else if (d.Is("type_declaration")) {
        for (uint32_t j = 0, m = d.NamedChildCount(); j < m; ++j) {
          Node spec = d.NamedChild(j);
          Node name = spec.Field("name");
          if (name.IsNull()) continue;
          Object* o = New(name, ObjectKind::kType, spec);
          o->package_level = true;
          scope->emplace(o->name, o);
        }
      }
    }
  }

  void ResolveAll() {
    Node root = file_->root();
    for (uint32_t i = 0, n = root.NamedChildCount(); i < n; ++i) {
      Node d = root.NamedChild(i);
      if (d.Is("function_declaration") || d.Is("method_declaration")) {
        Function(d);
      } else if (d.Is("var_declaration") || d.Is("const_declaration")) {
        // Package-level initialisers: resolve their expressions only (the names are declared already).
        for (Node spec : Specs(d)) Visit(spec.Field("value"));
      } else if (!d.Is("package_clause") && !d.Is("import_declaration")) {
        Visit(d);
      }
    }
  }

 private:
  using Scope = std::vector<std::pair<std::string_view, Object*>>;

  std::vector<Node> Specs(Node decl) {
    std::vector<Node> out;
    for (uint32_t j = 0, m = decl.NamedChildCount(); j < m; ++j) {
      Node c = decl.NamedChild(j);
      if (c.Is("var_spec") || c.Is("const_spec")) out.push_back(c);
      if (c.Is("var_spec_list")) {
        for (uint32_t k = 0, l = c.NamedChildCount(); k < l; ++k) {
          if (c.NamedChild(k).Is("var_spec")) out.push_back(c.NamedChild(k));
        }
      }
    }
    return out;
  }

  static std::vector<Node> ValuesOf(Node expression_list) {
    std::vector<Node> out;
    if (expression_list.IsNull()) return out;
    if (!expression_list.Is("expression_list")) return {expression_list};
    for (uint32_t i = 0, n = expression_list.NamedChildCount(); i < n; ++i) {
      Node c = expression_list.NamedChild(i);
      if (!c.Is("comment")) out.push_back(c);
    }
    return out;
  }

  static void SetValue(Object* o, const std::vector<Node>& values, size_t k) {
    if (values.size() == 1) {
      o->value = values[0];
      o->value_index = static_cast<int>(k);
    } else if (k < values.size()) {
      o->value = values[k];
    }
  }

  Object* New(Node ident, ObjectKind kind, Node decl) {
    Object& o = file_->syntax.objects_.emplace_back();
    o.name = file_->Text(ident);
    o.kind = kind;
    o.ident = ident;
    o.decl = decl;
    o.function = functions_.empty() ? Node() : functions_.back();
    file_->syntax.decls_[ident.StartByte()] = &o;
    return &o;
  }

  Object* Declare(Node ident, ObjectKind kind, Node decl) {
    if (ident.IsNull() || !ident.Is("identifier")) return nullptr;
    Object* o = New(ident, kind, decl);
    if (o->name != "_" && !scopes_.empty()) scopes_.back().emplace_back(o->name, o);
    return o;
  }

  Object* Lookup(std::string_view name) const {
    for (auto s = scopes_.rbegin(); s != scopes_.rend(); ++s) {
      for (auto it = s->rbegin(); it != s->rend(); ++it) {
        if (it->first == name) return it->second;
      }
    }
    if (auto it = package_->find(name); it != package_->end()) return it->second;
    return nullptr;
  }

  Object* LookupInnermost(std::string_view name) const {
    if (scopes_.empty()) return nullptr;
    for (auto it = scopes_.back().rbegin(); it != scopes_.back().rend(); ++it) {
      if (it->first == name) return it->second;
    }
    return nullptr;
  }

  void Use(Node ident) {
    std::string_view name = file_->Text(ident);
    if (name == "_") return;
    if (Object* o = Lookup(name)) {
      o->uses.push_back(ident);
      file_->syntax.uses_[ident.StartByte()] = o;
    }
  }

  void Assign(Node ident, Node value) {
    std::string_view name = file_->Text(ident);
    if (name == "_") return;
    if (Object* o = Lookup(name)) {
      o->assignments.push_back(ident);
      o->assigned_values.push_back(value);
      file_->syntax.uses_[ident.StartByte()] = o;
    }
  }

  void Params(Node list, ObjectKind kind) {
    if (list.IsNull() || !list.Is("parameter_list")) return;
    for (uint32_t i = 0, n = list.NamedChildCount(); i < n; ++i) {
      Node p = list.NamedChild(i);
      if (!p.Is("parameter_declaration") && !p.Is("variadic_parameter_declaration")) continue;
      for (Node name : FieldAll(p, "name")) {
        if (Object* o = Declare(name, kind, p)) o->type = p.Field("type");
      }
    }
  }

  void Function(Node fn) {
    functions_.push_back(fn);
    scopes_.emplace_back();
    Params(fn.Field("receiver"), ObjectKind::kReceiver);
    Params(fn.Field("parameters"), ObjectKind::kParam);
    Params(fn.Field("result"), ObjectKind::kResult);
    Visit(fn.Field("body"));
    scopes_.pop_back();
    functions_.pop_back();
  }

  static bool HasToken(Node n, std::string_view token) {
    for (uint32_t i = 0, c = n.ChildCount(); i < c; ++i) {
      if (!n.Child(i).IsNamed() && n.Child(i).Type() == token) return true;
    }
    return false;
  }

  void Children(Node n) {
    n.ForEachNamedChild([&](Node c) {
      Visit(c);
      return true;
    });
  }

  void Visit(Node n) {
    if (n.IsNull()) return;
    std::string_view t = n.Type();
    if (t == "identifier") {
      Use(n);
    } else if (t == "func_literal" || t == "function_declaration" || t == "method_declaration") {
      Function(n);
    } else if (t == "block" || t == "if_statement" || t == "for_statement" || t == "expression_switch_statement" ||
               t == "type_switch_statement" || t == "communication_case" || t == "expression_case" ||
               t == "type_case" || t == "default_case" || t == "select_statement") {
      scopes_.emplace_back();
      if (t == "type_switch_statement") {
        Visit(n.Field("initializer"));
        Visit(n.Field("value"));
        for (Node a : ValuesOf(n.Field("alias"))) Declare(a, ObjectKind::kVar, n);
        for (uint32_t i = 0, c = n.NamedChildCount(); i < c; ++i) {
          Node k = n.NamedChild(i);
          if (k.Is("type_case") || k.Is("default_case")) Visit(k);
        }
      } else {
        Children(n);
      }
      scopes_.pop_back();
    } else if (t == "short_var_declaration") {
      Node right = n.Field("right");
      Visit(right);
      auto values = ValuesOf(right);
      auto names = ValuesOf(n.Field("left"));
      for (size_t k = 0; k < names.size(); ++k) {
        Node id = names[k];
        if (!id.Is("identifier")) continue;
        if (Object* existing = LookupInnermost(file_->Text(id))) {
          existing->assignments.push_back(id);
          existing->assigned_values.push_back(values.size() == names.size() ? values[k] : Node());
          file_->syntax.uses_[id.StartByte()] = existing;
          continue;
        }
        if (Object* o = Declare(id, ObjectKind::kVar, n)) SetValue(o, values, k);
      }
    } else if (t == "var_spec" || t == "const_spec") {
      Node value = n.Field("value");
      Visit(value);
      auto values = ValuesOf(value);
      auto names = FieldAll(n, "name");
      for (size_t k = 0; k < names.size(); ++k) {
        if (Object* o = Declare(names[k], t == "var_spec" ? ObjectKind::kVar : ObjectKind::kConst, n)) {
          o->type = n.Field("type");
          SetValue(o, values, k);
        }
      }
    } else if (t == "range_clause" || t == "receive_statement") {
      Visit(n.Field("right"));
      Node left = n.Field("left");
      if (HasToken(n, ":=")) {
        auto names = ValuesOf(left);
        for (size_t k = 0; k < names.size(); ++k) {
          if (Object* o = Declare(names[k], ObjectKind::kVar, n)) {
            o->value = n;
            o->value_index = static_cast<int>(k);
          }
        }
      } else {
        for (Node l : ValuesOf(left)) {
          if (l.Is("identifier")) {
            Assign(l, Node());
          } else {
            Visit(l);
          }
        }
      }
    } else if (t == "assignment_statement") {
      Node right = n.Field("right");
      Visit(right);
      auto values = ValuesOf(right);
      auto names = ValuesOf(n.Field("left"));
      for (size_t k = 0; k < names.size(); ++k) {
        if (names[k].Is("identifier")) {
          Assign(names[k], values.size() == names.size() ? values[k] : Node());
        } else {
          Visit(names[k]);
        }
      }
    } else if (t == "unary_expression") {
      Node operand = Unparen(n.Field("operand"));
      Visit(operand);
      if (operand.Is("identifier") && file_->Text(n.Child(0)) == "&") {
        if (const Object* o = file_->syntax.Resolve(operand)) const_cast<Object*>(o)->address_taken = true;
      }
    } else if (t == "selector_expression") {
      Visit(n.Field("operand"));
    } else if (t == "keyed_element") {
      // T{Name: v}: the key is a field name unless it is an expression other than a bare identifier.
      Node key = n.NamedChild(0);
      Node inner = key.NamedChildCount() > 0 ? key.NamedChild(0) : Node();
      if (!(key.NamedChildCount() == 1 && inner.Is("identifier"))) Visit(key);
      for (uint32_t i = 1, c = n.NamedChildCount(); i < c; ++i) Visit(n.NamedChild(i));
    } else if (t == "labeled_statement") {
      for (uint32_t i = 0, c = n.NamedChildCount(); i < c; ++i) {
        if (!n.NamedChild(i).Is("label_name")) Visit(n.NamedChild(i));
      }
    } else if (t == "parameter_list" || t == "type_identifier" || t == "field_identifier" ||
               t == "package_identifier" || t == "comment" || t == "interpreted_string_literal" ||
               t == "raw_string_literal" || t == "type_declaration") {
      // Nothing to resolve.
    } else {
      Children(n);
    }
  }

  SourceFile* file_;
  const PackageScope* package_;
  std::vector<Scope> scopes_;
  std::vector<Node> functions_;
};

void DeclarePackageObjects(SourceFile* file, PackageScope* scope) { Resolver(file, nullptr).DeclarePackage(scope); }

void ResolveFile(SourceFile* file, const PackageScope& scope) { Resolver(file, &scope).ResolveAll(); }

Callee ResolveCallee(const SourceFile& file, Node call) {
  Callee c;
  Node fn = Unparen(call.Field("function"));
  if (fn.Is("identifier")) {
    c.name = file.Text(fn);
    c.object = file.syntax.Resolve(fn);
    if (c.object != nullptr) {
      c.kind = c.object->kind == ObjectKind::kFunc && c.object->package_level ? Callee::Kind::kLocalFunc
                                                                             : Callee::Kind::kFuncValue;
      c.qualified = std::string(c.name);
    } else if (std::find(kBuiltins.begin(), kBuiltins.end(), c.name) != kBuiltins.end()) {
      c.kind = Callee::Kind::kBuiltin;
      c.qualified = std::string(c.name);
    } else if (!file.imports.dot.empty()) {
      c.kind = Callee::Kind::kImported;
      c.qualified = file.imports.dot.front() + "." + std::string(c.name);
    } else {
      c.kind = Callee::Kind::kLocalFunc;  // declared in a file of the package we did not see
      c.qualified = std::string(c.name);
    }
  } else if (fn.Is("selector_expression")) {
    Node operand = Unparen(fn.Field("operand"));
    c.name = file.Text(fn.Field("field"));
    if (operand.Is("identifier") && file.syntax.Resolve(operand) == nullptr) {
      std::string_view path = file.imports.PathOf(file.Text(operand));
      if (!path.empty()) {
        c.kind = Callee::Kind::kImported;
        c.qualified = std::string(path) + "." + std::string(c.name);
        return c;
      }
    }
    c.kind = Callee::Kind::kMethod;
    c.qualified = std::string(".").append(c.name);
    c.receiver = operand;
  }
  return c;
}

bool CallIs(const SourceFile& file, Node call, std::string_view qualified) {
  // The same answers as comparing ResolveCallee(file, call).qualified, without building strings: rules ask this of
  // every call of every file.
  if (!call.Is("call_expression")) return false;
  Node fn = Unparen(call.Field("function"));
  size_t dot = qualified.rfind('.');
  std::string_view path = dot == std::string_view::npos ? std::string_view() : qualified.substr(0, dot);
  std::string_view name = dot == std::string_view::npos ? qualified : qualified.substr(dot + 1);
  if (fn.Is("identifier")) {
    if (file.Text(fn) != name || file.syntax.Resolve(fn) != nullptr) return false;
    bool builtin = std::find(kBuiltins.begin(), kBuiltins.end(), name) != kBuiltins.end();
    if (dot == std::string_view::npos) return builtin;
    if (builtin) return false;
    return std::find(file.imports.dot.begin(), file.imports.dot.end(), path) != file.imports.dot.end();
  }
  if (!fn.Is("selector_expression") || path.empty()) return false;
  Node operand = Unparen(fn.Field("operand"));
  if (!operand.Is("identifier") || file.Text(fn.Field("field")) != name) return false;
  return file.syntax.Resolve(operand) == nullptr && file.imports.PathOf(file.Text(operand)) == path;
}

bool IsFunction(Node n) {
  std::string_view t = n.Type();
  return t == "function_declaration" || t == "method_declaration" || t == "func_literal";
}

Node EnclosingFunction(Node n) {
  for (Node p = n.Parent(); !p.IsNull(); p = p.Parent()) {
    if (IsFunction(p)) return p;
  }
  return {};
}

Node EnclosingOfType(Node n, std::string_view type, Node stop) {
  for (Node p = n.Parent(); !p.IsNull(); p = p.Parent()) {
    if (!stop.IsNull() && p == stop) return {};
    if (p.Is(type)) return p;
  }
  return {};
}

Node EnclosingGo(Node n, Node stop) { return EnclosingOfType(n, "go_statement", stop); }

Node EnclosingLoop(Node n) {
  for (Node p = n.Parent(); !p.IsNull() && !IsFunction(p); p = p.Parent()) {
    if (p.Is("for_statement")) return p;
  }
  return {};
}

Node EnclosingSelect(Node n, Node* select_case) {
  Node last_case;
  for (Node p = n.Parent(); !p.IsNull() && !IsFunction(p); p = p.Parent()) {
    if (p.Is("communication_case") || p.Is("default_case")) last_case = p;
    if (p.Is("select_statement")) {
      if (select_case) *select_case = last_case;
      return p;
    }
  }
  return {};
}

Node Unparen(Node n) {
  while (n.Is("parenthesized_expression")) n = n.NamedChild(0);
  return n;
}

Node NextStatement(Node st) {
  Node list = st.Parent();
  if (!list.Is("statement_list")) return {};
  bool after = false;
  Node next;
  list.ForEachNamedChild([&](Node c) {
    if (after && !c.Is("comment")) {
      next = c;
      return false;
    }
    after = after || c == st;
    return true;
  });
  return next;
}

std::vector<Node> Statements(Node block) {
  std::vector<Node> out;
  if (block.IsNull()) return out;
  Node list = block.Is("statement_list") ? block : block.ChildOfType("statement_list");
  list.ForEachNamedChild([&](Node c) {
    if (!c.Is("comment")) out.push_back(c);
    return true;
  });
  return out;
}

Node GoCall(Node go_or_defer) {
  for (uint32_t i = 0, n = go_or_defer.NamedChildCount(); i < n; ++i) {
    Node c = Unparen(go_or_defer.NamedChild(i));
    if (c.Is("call_expression")) return c;
  }
  return {};
}

Node GoFuncLiteral(Node go_or_defer) {
  Node call = GoCall(go_or_defer);
  Node fn = Unparen(call.Field("function"));
  return fn.Is("func_literal") ? fn : Node();
}

std::string_view FunctionName(Node fn, std::string_view source) {
  if (fn.Is("function_declaration") || fn.Is("method_declaration")) return fn.Field("name").Text(source);
  return {};
}

bool IsInfiniteLoop(Node f) {
  if (!f.Is("for_statement")) return false;
  for (uint32_t i = 0, n = f.NamedChildCount(); i < n; ++i) {
    Node c = f.NamedChild(i);
    if (c.Is("block") || c.Is("comment")) continue;
    if (c.Is("for_clause")) {
      if (!c.Field("condition").IsNull()) return false;
      continue;
    }
    return false;  // a condition or a range clause
  }
  return true;
}

std::vector<Node> FindAll(Node root, std::string_view type, IntoLiterals into) {
  std::vector<Node> out;
  if (root.IsNull()) return out;
  if (uint32_t row = root.Pos(); row != Node::kNoPos) {
    // The subtree is a range of rows: compare symbols, hop over nested literals.
    static const TSSymbol kFuncLiteral = SymbolOf("func_literal");
    const NodeIndex& index = *root.index();
    TSSymbol want = SymbolOf(type);
    if (want == 0) return out;
    for (uint32_t r = row, end = index.End(row); r < end;) {
      TSSymbol s = index.SymbolAt(r);
      if (s == want) out.push_back(index.At(r));
      r = (s == kFuncLiteral && into == IntoLiterals::kNo && r != row) ? index.End(r) : r + 1;
    }
    return out;
  }
  TreeCursor cursor(root);
  cursor.Walk([&](Node n) {
    if (n.Is(type)) out.push_back(n);
    if (into == IntoLiterals::kNo && n.Is("func_literal") && !(n == root)) return false;
    return true;
  });
  return out;
}

}  // namespace leakhound::scan
