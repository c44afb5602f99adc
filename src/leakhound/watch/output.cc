#include "leakhound/watch/output.h"

#include <fmt/format.h>

#include <algorithm>

#include "leakhound/util/text.h"

namespace leakhound::watch {

void JsonLinesOutput::Event(const nlohmann::json& event) {
  std::string line = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  line.push_back('\n');
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

std::string TableOutput::Render(const std::vector<TargetStatus>& targets, bool color, size_t width) {
  auto paint = [&](std::string_view code, const std::string& s) {
    return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : s;
  };
  size_t name_w = 6;
  for (const TargetStatus& t : targets) name_w = std::max(name_w, std::min<size_t>(t.name.size(), 32));
  std::string out = fmt::format("{:<{}}  {:>6}  {:>10}  {:>9}  {:>7}  {:>6}  {}\n", "TARGET", name_w, "STATUS",
                                "GOROUTINES", "SLOPE/MIN", "SAMPLES", "ALERTS", "TOP GROWING BUCKET");
  for (const TargetStatus& t : targets) {
    std::string name = t.name.substr(0, 32);
    std::string status = t.up ? "up" : (t.error.empty() ? "-" : t.error);
    std::string slope = t.slope ? fmt::format("{:+.1f}", *t.slope) : "-";
    std::string top = t.top_bucket.empty() ? "-" : fmt::format("{} (+{}, {:+.1f}/min)", t.top_bucket, t.top_growth,
                                                                t.top_slope);
    std::string line = fmt::format("{:<{}}  {:>6}  {:>10}  {:>9}  {:>7}  {:>6}  ", name, name_w, status,
                                   t.sampled ? std::to_string(t.total) : "-", slope, t.samples, t.alerts);
    if (width > line.size() + 4 && top.size() > width - line.size()) top = top.substr(0, width - line.size() - 1) + "…";
    std::string row = line + top;
    if (!t.up) row = paint("33", row);
    else if (t.alerts > 0) row = paint("31", row);
    out += row + "\n";
  }
  return out;
}

void TableOutput::Clear() {
  for (size_t i = 0; i < drawn_lines_; ++i) std::fputs("\x1b[1A\x1b[2K", out_);
  drawn_lines_ = 0;
}

void TableOutput::Event(const nlohmann::json& event) {
  const std::string kind = event.value("event", "");
  std::string line;
  if (kind == "alert") {
    line = fmt::format("{} ALERT {}: {}", event.value("time", ""), event.value("rule", ""), event.value("message", ""));
    if (event.contains("bucket") && event["bucket"].is_object() && event["bucket"]["creating"].is_string()) {
      line += fmt::format("; created by {}", event["bucket"]["creating"].get<std::string>());
    }
    if (event["verdict"].is_string()) line += fmt::format(" [{}]", event["verdict"].get<std::string>());
    if (event["dump"].is_string()) line += fmt::format("; dump {}", event["dump"].get<std::string>());
    if (color_) line = "\x1b[1;31m" + line + "\x1b[0m";
  } else if (kind == "restart") {
    line = fmt::format("{} restart of {} detected ({}): its series starts again", event.value("time", ""),
                       event.value("target", ""), event.value("how", ""));
  } else if (kind == "webhook_error") {
    line = fmt::format("{} webhook failed: {}", event.value("time", ""), event.value("message", ""));
  } else if (kind == "start") {
    line = fmt::format("watching {} target(s) every {} ms", event["targets"].size(), event.value("interval_ms", 0));
    if (event["metrics"].is_string()) line += fmt::format("; metrics at {}", event["metrics"].get<std::string>());
  } else {
    return;
  }
  Clear();
  fmt::print(out_, "{}\n", util::ForTerminalText(line, color_));
  if (!last_.empty()) Round(last_);
  std::fflush(out_);
}

void TableOutput::Round(const std::vector<TargetStatus>& targets) {
  if (&targets != &last_) last_ = targets;
  Clear();
  std::string table = util::ForTerminalText(Render(last_, color_, width_), color_);
  std::fputs(table.c_str(), out_);
  drawn_lines_ = static_cast<size_t>(std::count(table.begin(), table.end(), '\n'));
  std::fflush(out_);
}

}  // namespace leakhound::watch
