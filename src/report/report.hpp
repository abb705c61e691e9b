#pragma once
// Reporters: one function per output format, writing the whole run's results.
#include <ostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.hpp"
#include "base/utf8.hpp"
#include "energy/workload.hpp"

namespace ecolint::report {

struct RunSummary {
  std::size_t files_considered = 0;
  // Workload totals (--tokens-per-day): set when every finding was given an estimate pass.
  std::optional<energy::WorkloadTotals> workload;
};

void write_text(std::ostream& out, const std::vector<Diagnostic>& diagnostics, const std::vector<Note>& notes,
                const RunSummary& summary);
void write_json(std::ostream& out, const std::vector<Diagnostic>& diagnostics, const std::vector<Note>& notes,
                const RunSummary& summary);
// One line per finding (`path:line:col: RULE message`, a notebook's as `path:cell N:line:col`),
// then the notes and the summary line of the text format (Ruff's concise output).
void write_concise(std::ostream& out, const std::vector<Diagnostic>& diagnostics, const std::vector<Note>& notes,
                   const RunSummary& summary);
// --statistics: the number of findings per rule, most first (then by id), as text or JSON
// ([{"code", "name", "count"}]).
void write_statistics(std::ostream& out, const std::vector<Diagnostic>& diagnostics, bool as_json);

// SARIF 2.1.0 (one run). Suppressed findings given here appear with `suppressions`: in-source
// comments as kind "inSource", baseline entries as kind "external" (the CLI passes them only with
// --sarif-include-suppressed: code scanning ignores `suppressions`). Notes become
// toolExecutionNotifications.
struct SarifInput {
  std::vector<Diagnostic> diagnostics;
  std::vector<SuppressedDiagnostic> suppressed_in_source;
  std::vector<SuppressedDiagnostic> suppressed_external;  // by the baseline
  std::vector<Note> notes;
  std::string src_root;  // absolute directory the relative paths start from (%SRCROOT%)
  bool execution_successful = true;
};
void write_sarif(std::ostream& out, const SarifInput& input);
// A rule's documentation page (SARIF helpUri; the language server's codeDescription.href).
std::string rule_help_uri(const std::string& rule_id);

// GitHub Actions workflow commands (::warning file=…,line=…::message), one per finding and note.
void write_github(std::ostream& out, const std::vector<Diagnostic>& diagnostics, const std::vector<Note>& notes);
// Workflow-command escaping: `data` escapes %, CR and LF; `property` also ':' and ','.
std::string github_escape_data(std::string_view s);
std::string github_escape_property(std::string_view s);

// Percent-encodes a path for a URI (keeps unreserved characters and '/').
std::string uri_encode_path(std::string_view path);

// sanitize_utf8 (base/utf8.hpp) makes every string valid UTF-8 before it is printed.

}  // namespace ecolint::report
