#include "cli/formats.hpp"

namespace ecolint::cli {

namespace {

void text(std::ostream& out, const ReportInput& in) { report::write_text(out, in.diagnostics, in.notes, in.summary); }

void json(std::ostream& out, const ReportInput& in) { report::write_json(out, in.diagnostics, in.notes, in.summary); }

void sarif(std::ostream& out, const ReportInput& in) {
  report::SarifInput s;
  s.diagnostics = in.diagnostics;
  s.suppressed_in_source = in.suppressed_in_source;
  s.suppressed_external = in.baselined;
  s.notes = in.notes;
  s.src_root = in.src_root;
  s.execution_successful = in.execution_successful;
  report::write_sarif(out, s);
}

void github(std::ostream& out, const ReportInput& in) { report::write_github(out, in.diagnostics, in.notes); }

}  // namespace

const std::vector<OutputFormat>& output_formats() {
  static const std::vector<OutputFormat> kFormats = {
      {"text", "human text, like Ruff's (default)", text},
      {"json", "one JSON object {\"diagnostics\": [...], \"notes\": [...]}", json},
      {"sarif", "SARIF 2.1.0, for code scanning and editors", sarif},
      {"github", "GitHub workflow annotations", github},
  };
  return kFormats;
}

const OutputFormat* find_output_format(std::string_view name) {
  for (const auto& f : output_formats())
    if (name == f.name) return &f;
  return nullptr;
}

std::vector<std::string> output_format_names() {
  std::vector<std::string> names;
  for (const auto& f : output_formats()) names.emplace_back(f.name);
  return names;
}

std::string output_format_list(const char* last_separator) {
  std::string out;
  const auto& formats = output_formats();
  for (std::size_t i = 0; i < formats.size(); ++i) {
    if (i) out += i + 1 == formats.size() ? last_separator : ", ";
    out += formats[i].name;
  }
  return out;
}

std::vector<std::string> severity_names() {
  return {severity_name(Severity::Note), severity_name(Severity::Warning), severity_name(Severity::Error)};
}

}  // namespace ecolint::cli
