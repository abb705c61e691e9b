// GitHub Actions workflow commands: annotations on the pull request's diff.
#include "catalog/rule_info.hpp"
#include "energy/impact.hpp"
#include "report/report.hpp"

namespace ecolint::report {

namespace {

std::string escape(std::string_view s, bool property) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      case ':': out += property ? "%3A" : ":"; break;
      case ',': out += property ? "%2C" : ","; break;
      default: out.push_back(c);
    }
  }
  return out;
}

const char* command_of(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "notice";
  }
  return "warning";
}

}  // namespace

std::string github_escape_data(std::string_view s) { return escape(s, false); }
std::string github_escape_property(std::string_view s) { return escape(s, true); }

void write_github(std::ostream& out, const std::vector<Diagnostic>& diagnostics, const std::vector<Note>& notes) {
  for (const auto& d : diagnostics) {
    const auto* info = catalog::find_rule_info(d.rule);
    std::string title = d.rule + (info ? " " + info->name : "");
    std::string body = d.message;
    if (!d.fix.empty()) body += "\nFix: " + d.fix;
    if (!d.impact.empty()) body += "\nEstimated impact: " + impact_with_origin(d);
    out << "::" << command_of(d.severity) << " file=" << github_escape_property(sanitize_utf8(d.path))
        << ",line=" << d.range.start.line << ",endLine=" << std::max(d.range.start.line, d.range.end.line)
        << ",col=" << d.range.start.column;
    // GitHub reads endColumn only for a single-line annotation.
    if (d.range.end.line <= d.range.start.line) out << ",endColumn=" << std::max(d.range.end.column, d.range.start.column + 1);
    out << ",title=" << github_escape_property(title) << "::" << github_escape_data(sanitize_utf8(body)) << "\n";
  }
  for (const auto& n : notes) {
    out << "::notice file=" << github_escape_property(sanitize_utf8(n.path));
    if (n.position.line) out << ",line=" << n.position.line << ",col=" << n.position.column;
    out << ",title=ecolint note::" << github_escape_data(sanitize_utf8(n.message)) << "\n";
  }
}

}  // namespace ecolint::report
