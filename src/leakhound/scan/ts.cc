#include "leakhound/scan/ts.h"

extern "C" const TSLanguage* tree_sitter_go(void);

namespace leakhound::scan {

const TSLanguage* GoLanguage() { return tree_sitter_go(); }

Parser::Parser() : parser_(ts_parser_new()) { ts_parser_set_language(parser_, GoLanguage()); }

Parser::~Parser() { ts_parser_delete(parser_); }

Tree Parser::Parse(std::string_view source) {
  if (source.size() > UINT32_MAX) return Tree();
  return Tree(ts_parser_parse_string(parser_, nullptr, source.data(), static_cast<uint32_t>(source.size())));
}

}  // namespace leakhound::scan
