#include "leakhound/scan/ts.h"

#include <algorithm>
#include <atomic>
#include <string>
#include <unordered_map>

extern "C" const TSLanguage* tree_sitter_go(void);

namespace leakhound::scan {

namespace {

struct NameTables {
  std::unordered_map<std::string_view, TSSymbol> symbols;  // named, visible node types -> public symbol
  std::unordered_map<std::string_view, TSFieldId> fields;

  NameTables() {
    const TSLanguage* go = GoLanguage();
    for (TSSymbol s = 0, n = static_cast<TSSymbol>(ts_language_symbol_count(go)); s < n; ++s) {
      if (ts_language_symbol_type(go, s) != TSSymbolTypeRegular) continue;
      std::string_view name = ts_language_symbol_name(go, s);
      // Several internal symbols may share a name (aliases); tree-sitter reports nodes by the public one.
      symbols.emplace(name, ts_language_symbol_for_name(go, name.data(), static_cast<uint32_t>(name.size()), true));
    }
    for (TSFieldId f = 1, n = static_cast<TSFieldId>(ts_language_field_count(go)); f <= n; ++f) {
      if (const char* name = ts_language_field_name_for_id(go, f)) fields.emplace(name, f);
    }
  }
};

const NameTables& Tables() {
  static const NameTables tables;
  return tables;
}

}  // namespace

const TSLanguage* GoLanguage() { return tree_sitter_go(); }

TSSymbol SymbolOf(std::string_view type) {
  const auto& m = Tables().symbols;
  auto it = m.find(type);
  return it == m.end() ? 0 : it->second;
}

TSFieldId FieldIdOf(std::string_view field) {
  const auto& m = Tables().fields;
  auto it = m.find(field);
  return it == m.end() ? 0 : it->second;
}

void NodeIndex::Build(TSNode root) {
  static std::atomic<uint64_t> next_serial{1};
  serial_ = next_serial.fetch_add(1, std::memory_order_relaxed);
  nodes_.clear();
  starts_.clear();
  symbols_.clear();
  ends_.clear();
  parents_.clear();
  if (ts_node_is_null(root)) return;
  size_t upper = ts_node_descendant_count(root);  // named and anonymous nodes: an upper bound
  nodes_.reserve(upper);
  starts_.reserve(upper);
  symbols_.reserve(upper);
  ends_.reserve(upper);
  parents_.reserve(upper);
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  std::vector<uint32_t> open;   // per cursor depth: the node's row, or kNoPos for an anonymous node
  std::vector<uint32_t> named;  // rows of the open named nodes (the parent chain)
  auto close = [&] {
    if (uint32_t row = open.back(); row != Node::kNoPos) {
      ends_[row] = size();
      named.pop_back();
    }
    open.pop_back();
  };
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&cursor);
    uint32_t row = Node::kNoPos;
    if (ts_node_is_named(n)) {
      row = size();
      nodes_.push_back(n);
      starts_.push_back(ts_node_start_byte(n));
      symbols_.push_back(ts_node_symbol(n));
      ends_.push_back(row + 1);
      parents_.push_back(named.empty() ? Node::kNoPos : named.back());
      named.push_back(row);
    }
    open.push_back(row);
    if (ts_tree_cursor_goto_first_child(&cursor)) continue;
    for (;;) {
      close();
      if (ts_tree_cursor_goto_next_sibling(&cursor)) break;
      if (!ts_tree_cursor_goto_parent(&cursor)) {
        while (!open.empty()) close();
        ts_tree_cursor_delete(&cursor);
        return;
      }
    }
  }
}

uint32_t NodeIndex::Find(TSNode n) const {
  if (ts_node_is_null(n) || !ts_node_is_named(n)) return Node::kNoPos;
  uint32_t start = ts_node_start_byte(n);
  auto it = std::lower_bound(starts_.begin(), starts_.end(), start);
  for (size_t row = static_cast<size_t>(it - starts_.begin()); row < starts_.size() && starts_[row] == start; ++row) {
    if (nodes_[row].id == n.id && nodes_[row].tree == n.tree) return static_cast<uint32_t>(row);
  }
  return Node::kNoPos;
}

Tree::Tree(TSTree* t) : tree_(t) {
  if (tree_ == nullptr) return;
  index_ = std::make_unique<NodeIndex>();
  index_->Build(ts_tree_root_node(tree_));
}

Node Tree::Root() const {
  if (tree_ == nullptr) return {};
  TSNode root = ts_tree_root_node(tree_);
  return index_ ? Node(root, index_.get(), index_->size() == 0 ? Node::kNoPos : 0) : Node(root);
}

Parser::Parser() : parser_(ts_parser_new()) { ts_parser_set_language(parser_, GoLanguage()); }

Parser::~Parser() { ts_parser_delete(parser_); }

Tree Parser::Parse(std::string_view source) {
  if (source.size() > UINT32_MAX) return Tree();
  return Tree(ts_parser_parse_string(parser_, nullptr, source.data(), static_cast<uint32_t>(source.size())));
}

}  // namespace leakhound::scan
