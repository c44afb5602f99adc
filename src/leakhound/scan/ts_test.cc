// The NodeIndex against tree-sitter's own answers, on real Go sources (the rule fixtures and the Go standard
// library's net/http): every named node's parent, children and subtree, and FindAll, must be what walking the tree
// with the C API gives.
#include "leakhound/scan/ts.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "leakhound/scan/syntax.h"

namespace leakhound::scan {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Go sources to check: every fixture, and net/http of the installed Go when there is one.
std::vector<fs::path> Sources() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(std::string(LEAKHOUND_SOURCE_DIR) + "/tests/scan")) {
    if (e.path().extension() == ".go") out.push_back(e.path());
  }
  std::error_code ec;
  for (const char* root : {"/usr/local/go/src/net/http", "/usr/lib/go/src/net/http"}) {
    if (!fs::is_directory(root, ec)) continue;
    for (const auto& e : fs::directory_iterator(root)) {
      if (e.path().extension() == ".go") out.push_back(e.path());
    }
    break;
  }
  return out;
}

// The named nodes under `root` in pre-order, by the C API alone (recursive, named children by index).
void Walk(TSNode n, std::vector<TSNode>* out) {
  if (ts_node_is_named(n)) out->push_back(n);
  for (uint32_t i = 0, c = ts_node_child_count(n); i < c; ++i) Walk(ts_node_child(n, i), out);
}

TEST(NodeIndex, ParentsChildrenAndSubtreesMatchTreeSitter) {
  Parser parser;
  size_t checked = 0;
  for (const fs::path& path : Sources()) {
    std::string src = ReadAll(path);
    Tree tree = parser.Parse(src);
    ASSERT_TRUE(tree.ok()) << path;
    const NodeIndex& index = *tree.index();
    std::vector<TSNode> expected;
    Walk(tree.Root().raw(), &expected);
    ASSERT_EQ(index.size(), expected.size()) << path;
    for (uint32_t row = 0; row < index.size(); ++row) {
      Node n = index.At(row);
      ASSERT_TRUE(ts_node_eq(n.raw(), expected[row])) << path << " row " << row;
      ASSERT_EQ(index.Find(expected[row]), row) << path;
      // Parent: the index's, against ts_node_parent.
      Node viaIndex = n.Parent();
      TSNode viaApi = ts_node_parent(expected[row]);
      ASSERT_EQ(viaIndex.IsNull(), ts_node_is_null(viaApi)) << path << " row " << row;
      if (!viaIndex.IsNull()) {
        ASSERT_TRUE(ts_node_eq(viaIndex.raw(), viaApi)) << path << " row " << row;
      }
      // Named children, in order.
      std::vector<TSNode> kids;
      n.ForEachNamedChild([&](Node c) {
        kids.push_back(c.raw());
        return true;
      });
      ASSERT_EQ(kids.size(), ts_node_named_child_count(expected[row])) << path << " row " << row;
      for (uint32_t i = 0; i < kids.size(); ++i) {
        ASSERT_TRUE(ts_node_eq(kids[i], ts_node_named_child(expected[row], i))) << path << " row " << row;
      }
      // The subtree: hopping over the children's subtrees from row + 1 lands exactly on End(row) (with the
      // children checked above, by induction every range is the node's subtree).
      uint32_t hop = row + 1;
      for (size_t i = 0; i < kids.size(); ++i) hop = index.End(hop);
      ASSERT_EQ(hop, index.End(row)) << path << " row " << row;
      ++checked;
    }
  }
  EXPECT_GT(checked, 10000u);  // the fixtures alone have tens of thousands of named nodes
}

TEST(NodeIndex, NodesReachedByFieldsFindTheirRow) {
  Parser parser;
  std::string src = "package p\nfunc f(ch chan int) { go func() { ch <- (1) }() }\n";
  Tree tree = parser.Parse(src);
  Node fn = tree.Root().ChildOfType("function_declaration");
  Node body = fn.Field("body");
  ASSERT_FALSE(body.IsNull());
  EXPECT_NE(body.Pos(), Node::kNoPos);
  EXPECT_TRUE(body.Parent() == fn);
  std::vector<Node> sends = FindAll(body, "send_statement", IntoLiterals::kYes);
  ASSERT_EQ(sends.size(), 1u);
  EXPECT_TRUE(FindAll(body, "send_statement", IntoLiterals::kNo).empty());  // inside the literal
  EXPECT_TRUE(EnclosingFunction(sends[0]).Is("func_literal"));
  EXPECT_TRUE(FindAll(body, "no_such_type").empty());
  // A node of another tree is not in this index; a null node has no row.
  EXPECT_EQ(tree.index()->Find(TSNode{}), Node::kNoPos);
}

TEST(NodeIndex, FindAllMatchesACursorWalk) {
  Parser parser;
  for (const fs::path& path : Sources()) {
    std::string src = ReadAll(path);
    Tree tree = parser.Parse(src);
    // The same root without its index: FindAll falls back to walking with a cursor.
    Node bare(tree.Root().raw());
    for (std::string_view type : {"call_expression", "identifier", "go_statement", "func_literal", "comment"}) {
      for (IntoLiterals into : {IntoLiterals::kNo, IntoLiterals::kYes}) {
        std::vector<Node> a = FindAll(tree.Root(), type, into);
        std::vector<Node> b = FindAll(bare, type, into);
        ASSERT_EQ(a.size(), b.size()) << path << " " << type;
        for (size_t i = 0; i < a.size(); ++i) ASSERT_TRUE(a[i] == b[i]) << path << " " << type;
      }
    }
  }
}

}  // namespace
}  // namespace leakhound::scan
