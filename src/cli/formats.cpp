#include "cli/formats.hpp"

#include <filesystem>
#include <type_traits>

namespace fs = std::filesystem;

namespace ecolint::cli {

namespace {

// A diagnostic path as the machine formats name it: relative to the project root, or absolute when
// the file lies outside it (code scanning and annotations resolve paths from the repository top).
std::string from_root(const std::string& path, const ReportInput& in) {
  if (path.empty() || in.src_root.empty() || in.src_root == in.working_dir) return path;
  fs::path p(path);
  if (p.is_relative()) p = fs::path(in.working_dir) / p;
  p = p.lexically_normal();
  std::string rel = p.lexically_relative(in.src_root).generic_string();
  if (rel.empty() || rel == "." || rel.rfind("..", 0) == 0) return p.generic_string();
  return rel;
}

template <class T>
void paths_from_root(std::vector<T>& items, const ReportInput& in) {
  for (auto& x : items) {
    if constexpr (std::is_same_v<T, SuppressedDiagnostic>) x.diagnostic.path = from_root(x.diagnostic.path, in);
    else x.path = from_root(x.path, in);
  }
}

void text(std::ostream& out, const ReportInput& in) { report::write_text(out, in.diagnostics, in.notes, in.summary); }

void concise(std::ostream& out, const ReportInput& in) {
  report::write_concise(out, in.diagnostics, in.notes, in.summary);
}

void json(std::ostream& out, const ReportInput& in) { report::write_json(out, in.diagnostics, in.notes, in.summary); }

void sarif(std::ostream& out, const ReportInput& in) {
  report::SarifInput s;
  s.diagnostics = in.diagnostics;
  paths_from_root(s.diagnostics, in);
  if (in.include_suppressed) {
    s.suppressed_in_source = in.suppressed_in_source;
    s.suppressed_external = in.baselined;
    paths_from_root(s.suppressed_in_source, in);
    paths_from_root(s.suppressed_external, in);
  }
  s.notes = in.notes;
  paths_from_root(s.notes, in);
  s.src_root = in.src_root;
  s.execution_successful = in.execution_successful;
  report::write_sarif(out, s);
}

void github(std::ostream& out, const ReportInput& in) {
  std::vector<Diagnostic> diagnostics = in.diagnostics;
  std::vector<Note> notes = in.notes;
  paths_from_root(diagnostics, in);
  paths_from_root(notes, in);
  report::write_github(out, diagnostics, notes);
}

}  // namespace

const std::vector<OutputFormat>& output_formats() {
  static const std::vector<OutputFormat> kFormats = {
      {"text", "human text, like Ruff's (default)", text},
      {"concise", "one line per finding: path:line:col: RULE message (Ruff's concise)", concise},
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
