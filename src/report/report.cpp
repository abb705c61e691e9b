#include "report/report.hpp"

#include <nlohmann/json.hpp>

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
}

void write_json(std::ostream& out, const std::vector<Diagnostic>& diagnostics, const std::vector<Note>& notes,
                const RunSummary&) {
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
