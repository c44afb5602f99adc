// Thin RAII wrappers over tree-sitter's C API (node_modules/tree-sitter/vendor/tree-sitter/lib/include/tree_sitter/
// api.h) for the Go grammar: Parser owns a TSParser, Tree owns a TSTree, TreeCursor owns a TSTreeCursor. Node is a
// value (a TSNode) that is valid as long as the Tree it came from; it does not hold the source bytes, so Text()
// takes them.
//
// Thread-safety: a Parser is used by one thread at a time; a Tree and its Nodes may be read from many threads.
#ifndef LEAKHOUND_SCAN_TS_H_
#define LEAKHOUND_SCAN_TS_H_

#include <tree_sitter/api.h>

#include <cstdint>
#include <cstring>
#include <string_view>

namespace leakhound::scan {

// The Go grammar (tree-sitter-go).
const TSLanguage* GoLanguage();

class Node {
 public:
  Node() : node_{} {}
  explicit Node(TSNode n) : node_(n) {}

  bool IsNull() const { return ts_node_is_null(node_); }
  explicit operator bool() const { return !IsNull(); }
  // The node type of node-types.json ("call_expression"); "" for a null node.
  std::string_view Type() const { return IsNull() ? std::string_view() : std::string_view(ts_node_type(node_)); }
  bool Is(std::string_view type) const { return Type() == type; }
  bool IsNamed() const { return ts_node_is_named(node_); }

  Node Field(std::string_view name) const {
    if (IsNull()) return {};
    return Node(ts_node_child_by_field_name(node_, name.data(), static_cast<uint32_t>(name.size())));
  }
  uint32_t ChildCount() const { return IsNull() ? 0 : ts_node_child_count(node_); }
  Node Child(uint32_t i) const { return Node(ts_node_child(node_, i)); }
  uint32_t NamedChildCount() const { return IsNull() ? 0 : ts_node_named_child_count(node_); }
  Node NamedChild(uint32_t i) const { return Node(ts_node_named_child(node_, i)); }
  // Calls fn(child) for each named child in order; fn returns false to stop. Linear, unlike NamedChild(i) in a loop
  // (tree-sitter finds the i-th child by walking from the first).
  template <typename Fn>
  void ForEachNamedChild(Fn&& fn) const {
    if (IsNull()) return;
    TSTreeCursor c = ts_tree_cursor_new(node_);
    if (ts_tree_cursor_goto_first_child(&c)) {
      do {
        TSNode n = ts_tree_cursor_current_node(&c);
        if (ts_node_is_named(n) && !fn(Node(n))) break;
      } while (ts_tree_cursor_goto_next_sibling(&c));
    }
    ts_tree_cursor_delete(&c);
  }
  // The first named child of this type, or a null node.
  Node ChildOfType(std::string_view type) const {
    Node found;
    ForEachNamedChild([&](Node c) {
      if (c.Is(type)) found = c;
      return found.IsNull();
    });
    return found;
  }
  Node Parent() const { return IsNull() ? Node() : Node(ts_node_parent(node_)); }

  uint32_t StartByte() const { return ts_node_start_byte(node_); }
  uint32_t EndByte() const { return ts_node_end_byte(node_); }
  TSPoint Start() const { return ts_node_start_point(node_); }  // 0-based row, byte column
  TSPoint End() const { return ts_node_end_point(node_); }
  bool Contains(Node other) const {
    return !IsNull() && !other.IsNull() && StartByte() <= other.StartByte() && other.EndByte() <= EndByte();
  }

  bool IsError() const { return ts_node_is_error(node_); }
  bool IsMissing() const { return ts_node_is_missing(node_); }
  bool HasError() const { return ts_node_has_error(node_); }

  // The bytes of this node. REQUIRES: `source` is the text the tree was parsed from.
  std::string_view Text(std::string_view source) const {
    if (IsNull() || EndByte() > source.size()) return {};
    return source.substr(StartByte(), EndByte() - StartByte());
  }

  const void* Id() const { return node_.id; }
  friend bool operator==(const Node& a, const Node& b) { return ts_node_eq(a.node_, b.node_); }
  TSNode raw() const { return node_; }

 private:
  TSNode node_;
};

class Tree {
 public:
  Tree() = default;
  explicit Tree(TSTree* t) : tree_(t) {}
  Tree(Tree&& o) noexcept : tree_(o.tree_) { o.tree_ = nullptr; }
  Tree& operator=(Tree&& o) noexcept {
    if (this != &o) {
      if (tree_) ts_tree_delete(tree_);
      tree_ = o.tree_;
      o.tree_ = nullptr;
    }
    return *this;
  }
  Tree(const Tree&) = delete;
  Tree& operator=(const Tree&) = delete;
  ~Tree() {
    if (tree_) ts_tree_delete(tree_);
  }
  bool ok() const { return tree_ != nullptr; }
  Node Root() const { return tree_ ? Node(ts_tree_root_node(tree_)) : Node(); }

 private:
  TSTree* tree_ = nullptr;
};

class Parser {
 public:
  Parser();  // set up for Go
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
  ~Parser();
  // Parses `source`; the Tree refers to byte offsets in `source` but does not keep it. A tree with ERROR nodes is
  // still a tree. Returns an empty Tree only when tree-sitter gives up (it does not for Go sources under 4 GiB).
  Tree Parse(std::string_view source);

 private:
  TSParser* parser_;
};

// Depth-first walk with a TSTreeCursor, without recursion: calls visit(node) for every named node under (and
// including) `root`; visit returns false to skip the node's children. A null root walks nothing.
class TreeCursor {
 public:
  explicit TreeCursor(Node root) : empty_(root.IsNull()), cursor_(ts_tree_cursor_new(root.raw())) {}
  TreeCursor(const TreeCursor&) = delete;
  TreeCursor& operator=(const TreeCursor&) = delete;
  ~TreeCursor() { ts_tree_cursor_delete(&cursor_); }

  template <typename Visit>
  void Walk(Visit&& visit) {
    if (empty_) return;
    for (;;) {
      Node n(ts_tree_cursor_current_node(&cursor_));
      bool descend = n.IsNamed() ? visit(n) : true;
      if (descend && ts_tree_cursor_goto_first_child(&cursor_)) continue;
      for (;;) {
        if (ts_tree_cursor_goto_next_sibling(&cursor_)) break;
        if (!ts_tree_cursor_goto_parent(&cursor_)) return;
      }
    }
  }

 private:
  bool empty_;
  TSTreeCursor cursor_;
};

}  // namespace leakhound::scan

#endif  // LEAKHOUND_SCAN_TS_H_
