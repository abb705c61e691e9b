#include "report/report.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>

#include "base/utf8.hpp"

namespace ecolint::report {


namespace {
std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}
std::string estimate_text(const Diagnostic::MonthlyEstimate& e) {
  std::string s = "~" + fixed(e.kwh, 1) + " kWh/month avoidable";
  if (e.money) s += ", " + fixed(*e.money, 2) + "/month";
  if (e.kg_co2e) s += ", " + fixed(*e.kg_co2e, 1) + " kg CO2e/month";
  char pct[32];
  std::snprintf(pct, sizeof pct, "%+.1f%%", e.delta_pct);
  s += " (median " + std::string(pct) + " of " + fixed(e.baseline_j_per_1k, 0) + " J/1k tokens: " + e.baseline_basis + ")";
  return s;
}
}  // namespace

void write_text(std::ostream& out, const std::vector<Diagnostic>& diagnostics, const std::vector<Note>& notes,
                const RunSummary& summary) {
  for (const auto& d : diagnostics) {
    // Notebooks read `path:cell N:line:col` (line and column within the cell), like Ruff.
    if (d.cell > 0)
      out << d.path << ":cell " << d.cell << ":" << d.cell_position.line << ":" << d.cell_position.column << ": "
          << d.rule << " " << d.message << "\n";
    else
      out << d.path << ":" << d.range.start.line << ":" << d.range.start.column << ": " << d.rule << " " << d.message
          << "\n";
    // The snippet is the line as written (in a notebook: the cell's line).
    Position shown = d.cell > 0 ? d.cell_position : d.range.start;
    std::string line_no = std::to_string(shown.line);
    std::string pad(line_no.size(), ' ');
    out << pad << " |\n" << line_no << " | " << d.snippet << "\n";
    // Underline the reported span on its first line.
    uint32_t start = shown.column;
    uint32_t width = d.range.end.line == d.range.start.line && d.range.end.column > d.range.start.column
                         ? d.range.end.column - d.range.start.column
                         : 1;
    uint32_t end = start + width;
    out << pad << " | " << std::string(start - 1, ' ') << std::string(end - start, '^') << "\n";
    if (!d.fix.empty()) out << pad << " = fix: " << d.fix << "\n";
    if (!d.impact.empty()) out << pad << " = impact: " << impact_with_origin(d) << "\n";
    if (d.estimate) out << pad << " = workload: " << estimate_text(*d.estimate) << "\n";
    out << "\n";
  }
  for (const auto& n : notes) {
    out << n.path;
    if (n.position.line) out << ":" << n.position.line << ":" << n.position.column;
    out << ": note: " << n.message << "\n";
  }
  std::map<std::string, int> by_rule;
  for (const auto& d : diagnostics) ++by_rule[d.rule];
  if (diagnostics.empty()) {
    out << "No findings in " << summary.files_considered << (summary.files_considered == 1 ? " file" : " files");
  } else {
    out << "Found " << diagnostics.size() << (diagnostics.size() == 1 ? " finding" : " findings") << " (";
    bool first = true;
    for (const auto& [rule, n] : by_rule) {
      out << (first ? "" : ", ") << rule << ": " << n;
      first = false;
    }
    out << ") in " << summary.files_considered << (summary.files_considered == 1 ? " file" : " files");
  }
  if (!notes.empty()) out << "; " << notes.size() << (notes.size() == 1 ? " note" : " notes");
  out << ".\n";
  if (summary.has_workload) {
    out << "\nEstimated avoidable energy: " << fixed(summary.total_kwh, 1) << " kWh/month";
    if (summary.total_money) out << ", " << fixed(*summary.total_money, 2) << " per month at " << fixed(*summary.price_per_kwh, 3) << "/kWh";
    if (summary.total_kg_co2e) out << ", " << fixed(*summary.total_kg_co2e, 1) << " kg CO2e/month at " << fixed(*summary.grid_gco2_per_kwh, 0) << " gCO2/kWh";
    out << " (" << summary.estimated << " of " << summary.estimated + summary.not_estimated << " findings estimated).\n";
    out << "Assumptions: " << fixed(summary.tokens_per_day, 0) << " generated tokens/day, 30-day months; for each finding the "
           "median measured change of the rows its impact cites, applied to the baseline energy (J/1k tokens) of the "
           "measured model nearest in size on that GPU (or all GPUs); each finding assumes the whole workload runs "
           "through it, so findings on the same traffic overlap and the total overstates.\n";
  }
}

namespace {

// A streaming JSON writer with the layout of nlohmann::json::dump(2) (two-space indent, keys as
// the caller orders them — callers write them sorted, as nlohmann's map does). A report with
// thousands of findings is written straight out instead of being built as a document first.
class JsonOut {
 public:
  explicit JsonOut(std::string& out) : out_(out) {}
  void begin(char bracket) {
    out_ += bracket;
    first_.push_back(true);
  }
  void end(char bracket) {
    bool empty = first_.back();
    first_.pop_back();
    if (!empty) newline();
    out_ += bracket;
  }
  void key(const char* k) {
    element();
    string(k);
    out_ += ": ";
  }
  // Starts an array element (keys start object members themselves).
  void element() {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
    newline();
  }
  void string(std::string_view s) {
    out_ += '"';
    for (char ch : s) {
      auto c = static_cast<unsigned char>(ch);
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\b': out_ += "\\b"; break;
        case '\f': out_ += "\\f"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default:
          if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out_ += buf;
          } else {
            out_ += ch;
          }
      }
    }
    out_ += '"';
  }
  void number(uint64_t v) { out_ += std::to_string(v); }
  void number(double v) { out_ += nlohmann::json(v).dump(); }  // shortest round-trip form
  void field(const char* k, std::string_view v) { key(k), string(v); }
  void field(const char* k, uint64_t v) { key(k), number(v); }
  void field(const char* k, double v) { key(k), number(v); }

 private:
  void newline() {
    out_ += '\n';
    out_.append(2 * first_.size(), ' ');
  }
  std::string& out_;
  std::vector<bool> first_;
};

}  // namespace

void write_json(std::ostream& out, const std::vector<Diagnostic>& diagnostics, const std::vector<Note>& notes,
                const RunSummary& summary) {
  std::string text;
  text.reserve(1024 + diagnostics.size() * 900);
  JsonOut j(text);
  j.begin('{');
  j.key("diagnostics");
  j.begin('[');
  for (const auto& d : diagnostics) {
    j.element();
    j.begin('{');
    if (d.cell > 0) {
      j.field("cell", static_cast<uint64_t>(d.cell));
      j.field("cell_column", uint64_t{d.cell_position.column});
      j.field("cell_line", uint64_t{d.cell_position.line});
    }
    j.field("column", uint64_t{d.range.start.column});
    j.field("end_column", uint64_t{d.range.end.column});
    j.field("end_line", uint64_t{d.range.end.line});
    if (d.estimate) {
      const auto& e = *d.estimate;
      j.key("estimate");
      j.begin('{');
      if (e.money) j.field("avoidable_cost_per_month", *e.money);
      if (e.kg_co2e) j.field("avoidable_kg_co2e_per_month", *e.kg_co2e);
      j.field("avoidable_kwh_per_month", e.kwh);
      j.field("baseline", sanitize_utf8(e.baseline_basis));
      j.field("baseline_j_per_1k_tokens", e.baseline_j_per_1k);
      j.field("delta_pct", e.delta_pct);
      j.end('}');
    }
    j.field("fix", sanitize_utf8(d.fix));
    j.field("impact", sanitize_utf8(impact_with_origin(d)));
    j.field("line", uint64_t{d.range.start.line});
    j.field("message", sanitize_utf8(d.message));
    j.field("path", sanitize_utf8(d.path));
    j.field("rule", d.rule);
    j.field("severity", severity_name(d.severity));
    j.end('}');
  }
  j.end(']');
  j.key("notes");
  j.begin('[');
  for (const auto& n : notes) {
    j.element();
    j.begin('{');
    if (n.position.line) j.field("column", uint64_t{n.position.column});
    if (n.position.line) j.field("line", uint64_t{n.position.line});
    j.field("message", sanitize_utf8(n.message));
    j.field("path", sanitize_utf8(n.path));
    j.end('}');
  }
  j.end(']');
  if (summary.has_workload) {
    j.key("summary");
    j.begin('{');
    if (summary.total_money) j.field("avoidable_cost_per_month", *summary.total_money);
    if (summary.total_kg_co2e) j.field("avoidable_kg_co2e_per_month", *summary.total_kg_co2e);
    j.field("avoidable_kwh_per_month", summary.total_kwh);
    j.field("days_per_month", uint64_t{30});
    j.field("findings_estimated", static_cast<uint64_t>(summary.estimated));
    j.field("findings_not_estimated", static_cast<uint64_t>(summary.not_estimated));
    if (summary.total_kg_co2e) j.field("grid_gco2_per_kwh", *summary.grid_gco2_per_kwh);
    if (summary.total_money) j.field("price_per_kwh", *summary.price_per_kwh);
    j.field("tokens_per_day", summary.tokens_per_day);
    j.end('}');
  }
  j.end('}');
  text += '\n';
  out << text;
}

}  // namespace ecolint::report
