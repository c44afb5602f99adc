// Thin RAII wrappers over tree-sitter's C API (node_modules/tree-sitter/vendor/tree-sitter/lib/include/tree_sitter/
// api.h) for the Go grammar: Parser owns a TSParser, Tree owns a TSTree and its NodeIndex (the named nodes in
// pre-order, so that rules asking for parents, children and every node of a type read an array instead of walking
// the tree again and again). Node is a value (a TSNode and its index) that is valid as long as the Tree it came from;
// it does not hold the source bytes, so Text() takes them.
//
// Thread-safety: a Parser is used by one thread at a time; a Tree and its Nodes may be read from many threads.
#ifndef LEAKHOUND_SCAN_TS_H_
#define LEAKHOUND_SCAN_TS_H_

#include <tree_sitter/api.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace leakhound::scan {

// The Go grammar (tree-sitter-go).
const TSLanguage* GoLanguage();
// The public symbol of a named node type of the Go grammar ("call_expression"), 0 when there is none; and the id of
// a field name ("function"), 0 when there is none. Both from tables built once, instead of tree-sitter's linear
// search by name.
TSSymbol SymbolOf(std::string_view type);
TSFieldId FieldIdOf(std::string_view field);

class NodeIndex;

// A node of a tree. A Node taken from a Tree that has a NodeIndex (every Tree from Parser::Parse) carries it, and so
// do the nodes reached from it (children, fields, parents): Parent, ForEachNamedChild, TreeCursor and FindAll then
// read the flat table instead of walking the tree.
class Node {
 public:
  static constexpr uint32_t kNoPos = UINT32_MAX;

  Node() : node_{} {}
  explicit Node(TSNode n, const NodeIndex* index = nullptr, uint32_t pos = kNoPos)
      : node_(n), index_(index), pos_(pos) {}

  bool IsNull() const { return ts_node_is_null(node_); }
  explicit operator bool() const { return !IsNull(); }
  // The node type of node-types.json ("call_expression"); "" for a null node.
  std::string_view Type() const { return IsNull() ? std::string_view() : std::string_view(ts_node_type(node_)); }
  bool Is(std::string_view type) const {
    if (IsNull()) return type.empty();
    const char* t = ts_node_type(node_);
    return std::strncmp(t, type.data(), type.size()) == 0 && t[type.size()] == '\0';
  }
  bool IsNamed() const { return ts_node_is_named(node_); }
  TSSymbol Symbol() const { return ts_node_symbol(node_); }

  Node Field(std::string_view name) const {
    if (IsNull()) return {};
    TSFieldId id = FieldIdOf(name);
    return id == 0 ? Node() : Node(ts_node_child_by_field_id(node_, id), index_);
  }
  uint32_t ChildCount() const { return IsNull() ? 0 : ts_node_child_count(node_); }
  Node Child(uint32_t i) const { return Node(ts_node_child(node_, i), index_); }
  // With an index, both read the flat table (tree-sitter finds the i-th named child by walking the children, through
  // hidden nodes, from the first: a loop over NamedChild(i) of a node with thousands of children — the ERROR node of a
  // file of random bytes — was quadratic in tree walks).
  uint32_t NamedChildCount() const;
  Node NamedChild(uint32_t i) const;
  // Calls fn(child) for each named child in order; fn returns false to stop. Linear, unlike NamedChild(i) in a loop
  // (tree-sitter finds the i-th child by walking from the first).
  template <typename Fn>
  void ForEachNamedChild(Fn&& fn) const;
  // The first named child of this type, or a null node.
  Node ChildOfType(std::string_view type) const {
    Node found;
    ForEachNamedChild([&](Node c) {
      if (c.Is(type)) found = c;
      return found.IsNull();
    });
    return found;
  }
  Node Parent() const;

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
  const NodeIndex* index() const { return index_; }
  // This node's row in its index (kNoPos when it has no index or is not a named node).
  uint32_t Pos() const;

 private:
  TSNode node_;
  const NodeIndex* index_ = nullptr;
  uint32_t pos_ = kNoPos;  // row in index_, when known
};

// The named nodes of a tree in pre-order, built with one cursor walk: a node's subtree is the contiguous range of
// rows [row, End(row)), its children are found by hopping from subtree to subtree, and its parent is a stored row.
// Immutable once built; shared by every thread reading the tree.
class NodeIndex {
 public:
  void Build(TSNode root);
  uint32_t size() const { return static_cast<uint32_t>(nodes_.size()); }
  // The row of a named node of this tree, kNoPos when it is not one.
  uint32_t Find(TSNode n) const;
  Node At(uint32_t row) const { return Node(nodes_[row], this, row); }
  TSSymbol SymbolAt(uint32_t row) const { return symbols_[row]; }
  uint32_t End(uint32_t row) const { return ends_[row]; }        // one past the row's last descendant
  uint32_t ParentOf(uint32_t row) const { return parents_[row]; }  // kNoPos for the root
  // Unique per Build in the process: tells an index from a later one at the same address.
  uint64_t serial() const { return serial_; }

 private:
  uint64_t serial_ = 0;
  std::vector<TSNode> nodes_;
  std::vector<uint32_t> starts_;   // start byte, for Find
  std::vector<TSSymbol> symbols_;
  std::vector<uint32_t> ends_;
  std::vector<uint32_t> parents_;
};

inline uint32_t Node::Pos() const {
  if (pos_ != kNoPos || index_ == nullptr || IsNull()) return pos_;
  return index_->Find(node_);
}

inline Node Node::Parent() const {
  if (IsNull()) return {};
  if (uint32_t row = Pos(); row != kNoPos) {
    uint32_t parent = index_->ParentOf(row);
    return parent == kNoPos ? Node() : index_->At(parent);
  }
  return Node(ts_node_parent(node_), index_);
}

// The last (node, i) -> child lookup of this thread: the loops `for i < NamedChildCount(): NamedChild(i)` the rules
// are written with then step from child to child instead of counting from the first each time.
struct NamedChildMemo {
  uint64_t serial = 0;  // NodeIndex::serial(): never reused, unlike an address
  uint32_t row = UINT32_MAX, i = 0, child = 0;
  uint64_t count_serial = 0;
  uint32_t count_row = UINT32_MAX, count = 0;
};
inline NamedChildMemo& ThreadNamedChildMemo() {
  thread_local NamedChildMemo memo;
  return memo;
}

inline uint32_t Node::NamedChildCount() const {
  if (IsNull()) return 0;
  if (uint32_t row = Pos(); row != kNoPos) {
    NamedChildMemo& m = ThreadNamedChildMemo();
    if (m.count_serial == index_->serial() && m.count_row == row) return m.count;
    uint32_t n = 0;
    for (uint32_t c = row + 1, end = index_->End(row); c < end; c = index_->End(c)) ++n;
    m.count_serial = index_->serial();
    m.count_row = row;
    m.count = n;
    return n;
  }
  return ts_node_named_child_count(node_);
}

inline Node Node::NamedChild(uint32_t i) const {
  if (IsNull()) return {};
  if (uint32_t row = Pos(); row != kNoPos) {
    NamedChildMemo& m = ThreadNamedChildMemo();
    uint32_t c = row + 1, k = 0;
    if (m.serial == index_->serial() && m.row == row && m.i <= i) {
      c = m.child;
      k = m.i;
    }
    const uint32_t end = index_->End(row);
    for (; k < i && c < end; ++k) c = index_->End(c);
    if (c >= end) return Node();
    m.serial = index_->serial();
    m.row = row;
    m.i = i;
    m.child = c;
    return index_->At(c);
  }
  return Node(ts_node_named_child(node_, i), index_);
}

template <typename Fn>
void Node::ForEachNamedChild(Fn&& fn) const {
  if (IsNull()) return;
  if (uint32_t row = Pos(); row != kNoPos) {
    for (uint32_t c = row + 1, end = index_->End(row); c < end; c = index_->End(c)) {
      if (!fn(index_->At(c))) return;
    }
    return;
  }
  TSTreeCursor c = ts_tree_cursor_new(node_);
  if (ts_tree_cursor_goto_first_child(&c)) {
    do {
      TSNode n = ts_tree_cursor_current_node(&c);
      if (ts_node_is_named(n) && !fn(Node(n, index_))) break;
    } while (ts_tree_cursor_goto_next_sibling(&c));
  }
  ts_tree_cursor_delete(&c);
}

class Tree {
 public:
  Tree() = default;
  // Takes `t` and indexes it.
  explicit Tree(TSTree* t);
  Tree(Tree&& o) noexcept : tree_(o.tree_), index_(std::move(o.index_)) { o.tree_ = nullptr; }
  Tree& operator=(Tree&& o) noexcept {
    if (this != &o) {
      if (tree_) ts_tree_delete(tree_);
      tree_ = o.tree_;
      index_ = std::move(o.index_);
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
  Node Root() const;
  const NodeIndex* index() const { return index_.get(); }

 private:
  TSTree* tree_ = nullptr;
  std::unique_ptr<NodeIndex> index_;  // on the heap: Nodes point at it, and a Tree moves
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

// Depth-first walk over the named nodes under (and including) `root`: calls visit(node) for each, in pre-order;
// visit returns false to skip the node's children. A null root walks nothing. Reads the root's NodeIndex when it has
// one, else walks with a TSTreeCursor, without recursion either way.
class TreeCursor {
 public:
  explicit TreeCursor(Node root) : root_(root) {}
  TreeCursor(const TreeCursor&) = delete;
  TreeCursor& operator=(const TreeCursor&) = delete;

  template <typename Visit>
  void Walk(Visit&& visit) {
    if (root_.IsNull()) return;
    if (uint32_t row = root_.Pos(); row != Node::kNoPos) {
      const NodeIndex& index = *root_.index();
      for (uint32_t r = row, end = index.End(row); r < end;) r = visit(index.At(r)) ? r + 1 : index.End(r);
      return;
    }
    TSTreeCursor cursor = ts_tree_cursor_new(root_.raw());
    for (;;) {
      Node n(ts_tree_cursor_current_node(&cursor), root_.index());
      bool descend = n.IsNamed() ? visit(n) : true;
      if (descend && ts_tree_cursor_goto_first_child(&cursor)) continue;
      for (;;) {
        if (ts_tree_cursor_goto_next_sibling(&cursor)) break;
        if (!ts_tree_cursor_goto_parent(&cursor)) {
          ts_tree_cursor_delete(&cursor);
          return;
        }
      }
    }
  }

 private:
  Node root_;
};

}  // namespace leakhound::scan

#endif  // LEAKHOUND_SCAN_TS_H_
