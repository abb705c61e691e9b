#include "report/report.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "base/utf8.hpp"
#include "catalog/rule_info.hpp"

namespace ecolint::report {


namespace {
std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}
std::string signed_pct(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f%%", v);
  return buf;
}
// "431.4 kWh/month (range 387.8 to 472.2)"
std::string with_range(double median, double low, double high, int digits, const std::string& unit) {
  return fixed(median, digits) + unit + " (range " + fixed(low, digits) + " to " + fixed(high, digits) + ")";
}
std::string estimate_text(const Diagnostic::MonthlyEstimate& e) {
  std::string s = "~" + with_range(e.kwh, e.kwh_range.low, e.kwh_range.high, 1, " kWh/month avoidable");
  if (e.money) s += ", " + with_range(*e.money, e.money_range->low, e.money_range->high, 2, " per month");
  if (e.kg_co2e) s += ", " + with_range(*e.kg_co2e, e.kg_co2e_range->low, e.kg_co2e_range->high, 1, " kg CO2e/month");
  if (e.kwh_range.low < 0) s += " (below zero: the fix would cost energy there)";
  s += "; median " + signed_pct(e.delta_pct) + " (rows " + signed_pct(e.delta_range.low) + " to " +
       signed_pct(e.delta_range.high) + ", " + std::to_string(e.basis.size()) + (e.basis.size() == 1 ? " row" : " rows") +
       " from " + e.rows_from + ") of " + fixed(e.baseline_j_per_1k, 0) + " J/1k tokens: " + e.baseline_basis;
  if (e.extrapolated) s += "; extrapolated: " + e.how;
  return s;
}
}  // namespace

void write_notes_and_summary(std::ostream& out, const std::vector<Diagnostic>& diagnostics,
                             const std::vector<Note>& notes, const RunSummary& summary);

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
  write_notes_and_summary(out, diagnostics, notes, summary);
}

namespace {

std::string location(const Diagnostic& d) {
  if (d.cell > 0)
    return d.path + ":cell " + std::to_string(d.cell) + ":" + std::to_string(d.cell_position.line) + ":" +
           std::to_string(d.cell_position.column);
  return d.path + ":" + std::to_string(d.range.start.line) + ":" + std::to_string(d.range.start.column);
}

}  // namespace

void write_concise(std::ostream& out, const std::vector<Diagnostic>& diagnostics, const std::vector<Note>& notes,
                   const RunSummary& summary) {
  for (const auto& d : diagnostics) out << location(d) << ": " << d.rule << " " << d.message << "\n";
  write_notes_and_summary(out, diagnostics, notes, summary);
}

void write_statistics(std::ostream& out, const std::vector<Diagnostic>& diagnostics, bool as_json) {
  std::map<std::string, std::size_t> counts;
  for (const auto& d : diagnostics) ++counts[d.rule];
  std::vector<std::pair<std::string, std::size_t>> rows(counts.begin(), counts.end());
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  auto name_of = [](const std::string& id) {
    const catalog::RuleInfo* info = catalog::find_rule_info(id);
    return info ? info->name : std::string();
  };
  if (as_json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [id, n] : rows) list.push_back({{"code", id}, {"name", name_of(id)}, {"count", n}});
    out << list.dump(2) << "\n";
    return;
  }
  std::size_t width = 1;
  for (const auto& row : rows) width = std::max(width, std::to_string(row.second).size());
  for (const auto& [id, n] : rows) {
    std::string count = std::to_string(n);
    out << std::string(width - count.size(), ' ') << count << "\t" << id << "\t" << name_of(id) << "\n";
  }
}

void write_notes_and_summary(std::ostream& out, const std::vector<Diagnostic>& diagnostics,
                             const std::vector<Note>& notes, const RunSummary& summary) {
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
    // The files with findings, of the files examined.
    std::set<std::string> with_findings;
    for (const auto& d : diagnostics) with_findings.insert(d.path);
    out << ") in " << with_findings.size() << " of " << summary.files_considered
        << (summary.files_considered == 1 ? " file" : " files");
  }
  if (!notes.empty()) out << "; " << notes.size() << (notes.size() == 1 ? " note" : " notes");
  out << ".\n";
  if (summary.workload) {
    const energy::WorkloadTotals& w = *summary.workload;
    out << "\nEstimated avoidable energy: " << fixed(w.kwh.median, 1) << " kWh/month (low " << fixed(w.kwh.low, 1)
        << ", high " << fixed(w.kwh.high, 1) << ")";
    if (w.money)
      out << ", " << fixed(w.money->median, 2) << " per month (low " << fixed(w.money->low, 2) << ", high "
          << fixed(w.money->high, 2) << ") at " << fixed(*w.workload.price_per_kwh, 3) << "/kWh";
    if (w.kg_co2e)
      out << ", " << fixed(w.kg_co2e->median, 1) << " kg CO2e/month (low " << fixed(w.kg_co2e->low, 1) << ", high "
          << fixed(w.kg_co2e->high, 1) << ") at " << fixed(*w.workload.grid_gco2_per_kwh, 0) << " gCO2/kWh";
    out << " (" << w.estimated << " of " << w.estimated + w.not_estimated << " findings estimated).\n";
    out << "Assumptions: " << fixed(w.workload.tokens_per_day, 0)
        << " generated tokens/day, 30-day months; for each finding the median measured change of the rows its "
           "impact counts (that GPU's rows, else its architecture's or the one the sources borrow for it, marked "
           "extrapolated; each measurement session kept apart, the median of the sessions' medians where there are "
           "several; board-level and idle-subtracted figures never mixed; suspect rows left out), applied to the "
           "baseline energy (J/1k tokens) of the counted row nearest in model size; low and high use the lowest and "
           "highest counted row. Each finding assumes the whole workload runs through it, so findings on the same "
           "traffic overlap and the total overstates.\n";
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
  void flag(const char* k, bool v) { key(k), out_ += v ? "true" : "false"; }
  void range(const char* k, double low, double high) {
    key(k);
    begin('[');
    element(), number(low);
    element(), number(high);
    end(']');
  }

 private:
  void newline() {
    out_ += '\n';
    out_.append(2 * first_.size(), ' ');
  }
  std::string& out_;
  std::vector<bool> first_;
};

}  // namespace

namespace {

void write_row(JsonOut& j, const Diagnostic::MonthlyEstimate::Row& r) {
  j.element();
  j.begin('{');
  j.field("batch", static_cast<uint64_t>(r.batch));
  if (!r.date.empty()) j.field("date", sanitize_utf8(r.date));
  j.field("delta_pct", r.delta_pct);
  j.field("gpu", sanitize_utf8(r.gpu));
  j.field("idle_subtracted", r.idle_subtracted);
  j.field("method", r.method);
  j.field("model", sanitize_utf8(r.model));
  if (r.n) j.field("n", static_cast<uint64_t>(*r.n));
  j.field("params_b", r.params_b);
  if (!r.not_used_because.empty()) j.field("reason", sanitize_utf8(r.not_used_because));
  if (!r.session.empty()) j.field("session", sanitize_utf8(r.session));
  j.field("source", sanitize_utf8(r.source));
  if (r.summary) j.flag("summary_figure", true);
  j.end('}');
}

// Keys sorted, as everywhere in this writer.
void write_estimate(JsonOut& j, const Diagnostic::MonthlyEstimate& e) {
  j.begin('{');
  if (e.money) {
    j.field("avoidable_cost_per_month", *e.money);
    j.range("avoidable_cost_per_month_range", e.money_range->low, e.money_range->high);
  }
  if (e.kg_co2e) {
    j.field("avoidable_kg_co2e_per_month", *e.kg_co2e);
    j.range("avoidable_kg_co2e_per_month_range", e.kg_co2e_range->low, e.kg_co2e_range->high);
  }
  j.field("avoidable_kwh_per_month", e.kwh);
  j.range("avoidable_kwh_per_month_range", e.kwh_range.low, e.kwh_range.high);
  j.field("baseline", sanitize_utf8(e.baseline_basis));
  j.field("baseline_j_per_1k_tokens", e.baseline_j_per_1k);
  j.key("basis");
  j.begin('[');
  for (const auto& r : e.basis) write_row(j, r);
  j.end(']');
  j.field("delta_pct", e.delta_pct);
  j.range("delta_pct_range", e.delta_range.low, e.delta_range.high);
  if (!e.excluded.empty()) {
    j.key("excluded");
    j.begin('[');
    for (const auto& r : e.excluded) write_row(j, r);
    j.end(']');
  }
  j.flag("extrapolated", e.extrapolated);
  if (e.extrapolated) j.field("extrapolation", sanitize_utf8(e.how));
  j.field("rows_from", sanitize_utf8(e.rows_from));
  j.end('}');
}

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
      j.key("estimate");
      write_estimate(j, *d.estimate);
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
  if (summary.workload) {
    const energy::WorkloadTotals& w = *summary.workload;
    j.key("summary");
    j.begin('{');
    if (w.money) {
      j.field("avoidable_cost_per_month", w.money->median);
      j.range("avoidable_cost_per_month_range", w.money->low, w.money->high);
    }
    if (w.kg_co2e) {
      j.field("avoidable_kg_co2e_per_month", w.kg_co2e->median);
      j.range("avoidable_kg_co2e_per_month_range", w.kg_co2e->low, w.kg_co2e->high);
    }
    j.field("avoidable_kwh_per_month", w.kwh.median);
    j.range("avoidable_kwh_per_month_range", w.kwh.low, w.kwh.high);
    j.field("days_per_month", uint64_t{30});
    j.field("findings_estimated", static_cast<uint64_t>(w.estimated));
    j.field("findings_not_estimated", static_cast<uint64_t>(w.not_estimated));
    if (w.kg_co2e) j.field("grid_gco2_per_kwh", *w.workload.grid_gco2_per_kwh);
    if (w.money) j.field("price_per_kwh", *w.workload.price_per_kwh);
    j.field("tokens_per_day", w.workload.tokens_per_day);
    j.end('}');
  }
  j.end('}');
  text += '\n';
  out << text;
}

}  // namespace ecolint::report
