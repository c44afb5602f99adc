// The HTML report's assets, compiled in from src/leakhound/report/html/ by CMake (html_assets.cc.in): the page
// template with its {{CSP}}, {{CSS}}, {{DATA}} and {{JS}} slots, the style sheet and the script. The views point at
// static storage.
#ifndef LEAKHOUND_REPORT_HTML_ASSETS_H_
#define LEAKHOUND_REPORT_HTML_ASSETS_H_

#include <string_view>

namespace leakhound::report {

std::string_view HtmlTemplate();
std::string_view HtmlCss();
std::string_view HtmlJs();

}  // namespace leakhound::report

#endif  // LEAKHOUND_REPORT_HTML_ASSETS_H_
