#include "report/report.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>

#include "core/lint.hpp"

namespace ecolint::report {


std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    std::size_t bad = 0;
    if (valid_utf8(s, &bad)) {
      out.append(s);
      break;
    }
    out.append(s.substr(0, bad));
    out.append("\xEF\xBF\xBD");
    s.remove_prefix(bad + 1);
  }
  return out;
}

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
    if (!d.impact.empty()) out << pad << " = impact: " << d.impact << "\n";
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

void write_json(std::ostream& out, const std::vector<Diagnostic>& diagnostics, const std::vector<Note>& notes,
                const RunSummary& summary) {
  nlohmann::json diags = nlohmann::json::array();
  for (const auto& d : diagnostics) {
    diags.push_back({{"rule", d.rule},
                     {"path", sanitize_utf8(d.path)},
                     {"line", d.range.start.line},
                     {"column", d.range.start.column},
                     {"end_line", d.range.end.line},
                     {"end_column", d.range.end.column},
                     {"severity", severity_name(d.severity)},
                     {"message", sanitize_utf8(d.message)},
                     {"fix", sanitize_utf8(d.fix)},
                     {"impact", sanitize_utf8(d.impact)}});
    if (d.estimate) {
      nlohmann::json e = {{"delta_pct", d.estimate->delta_pct},
                          {"baseline_j_per_1k_tokens", d.estimate->baseline_j_per_1k},
                          {"baseline", sanitize_utf8(d.estimate->baseline_basis)},
                          {"avoidable_kwh_per_month", d.estimate->kwh}};
      if (d.estimate->money) e["avoidable_cost_per_month"] = *d.estimate->money;
      if (d.estimate->kg_co2e) e["avoidable_kg_co2e_per_month"] = *d.estimate->kg_co2e;
      diags.back()["estimate"] = e;
    }
    if (d.cell > 0) {
      diags.back()["cell"] = d.cell;
      diags.back()["cell_line"] = d.cell_position.line;
      diags.back()["cell_column"] = d.cell_position.column;
    }
  }
  nlohmann::json ns = nlohmann::json::array();
  for (const auto& n : notes) {
    nlohmann::json j = {{"path", sanitize_utf8(n.path)}, {"message", sanitize_utf8(n.message)}};
    if (n.position.line) {
      j["line"] = n.position.line;
      j["column"] = n.position.column;
    }
    ns.push_back(j);
  }
  nlohmann::json doc = {{"diagnostics", diags}, {"notes", ns}};
  if (summary.has_workload) {
    nlohmann::json sum = {{"tokens_per_day", summary.tokens_per_day},
                          {"days_per_month", 30},
                          {"avoidable_kwh_per_month", summary.total_kwh},
                          {"findings_estimated", summary.estimated},
                          {"findings_not_estimated", summary.not_estimated}};
    if (summary.total_money) {
      sum["price_per_kwh"] = *summary.price_per_kwh;
      sum["avoidable_cost_per_month"] = *summary.total_money;
    }
    if (summary.total_kg_co2e) {
      sum["grid_gco2_per_kwh"] = *summary.grid_gco2_per_kwh;
      sum["avoidable_kg_co2e_per_month"] = *summary.total_kg_co2e;
    }
    doc["summary"] = sum;
  }
  out << doc.dump(2) << "\n";
}

}  // namespace ecolint::report

namespace ecolint {
const char* severity_name(Severity s) {
  switch (s) {
    case Severity::Note: return "note";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "warning";
}
}  // namespace ecolint
