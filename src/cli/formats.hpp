#pragma once
// The output formats: one table that the command line's choices, `--help` and the report step all
// read, so a format is added in one place (a row here and its writer in src/report/).
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.hpp"
#include "report/report.hpp"

namespace ecolint::cli {

// Everything a writer may print about one run.
struct ReportInput {
  std::vector<Diagnostic> diagnostics;
  std::vector<SuppressedDiagnostic> suppressed_in_source;
  std::vector<SuppressedDiagnostic> baselined;
  std::vector<Note> notes;
  report::RunSummary summary;
  std::string src_root;     // the project root (SARIF's %SRCROOT%): machine formats name files from it
  std::string working_dir;  // what relative diagnostic paths are relative to
  bool include_suppressed = false;  // SARIF: keep suppressed and baselined findings
  bool execution_successful = true;
};

struct OutputFormat {
  const char* name;
  const char* description;  // for --help and the README's usage table
  void (*write)(std::ostream& out, const ReportInput& input);
};

// The formats, the default first.
const std::vector<OutputFormat>& output_formats();
const OutputFormat* find_output_format(std::string_view name);
std::vector<std::string> output_format_names();
// "text, json, sarif or github".
std::string output_format_list(const char* last_separator = " or ");

// The severity names, lowest first (base/diagnostic.hpp's one scale), for --fail-level.
std::vector<std::string> severity_names();

}  // namespace ecolint::cli
