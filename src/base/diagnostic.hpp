#pragma once
// What a rule reports and what a file that could not be analysed yields.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/source.hpp"

namespace ecolint {

// The one severity scale: rule data (`severity:`), --fail-level and every output format use it.
enum class Severity { Note, Warning, Error };
const char* severity_name(Severity s);  // "note", "warning", "error"
// "note" / "warning" / "error"; false for anything else.
bool parse_severity(std::string_view name, Severity& out);

// One change to a file's text: `range` (1-based lines, code-point columns, in the file the
// diagnostic names; an empty range is an insertion point) is replaced by `text`, written as the
// file needs it (JSON-escaped inside a notebook's raw .ipynb).
struct Edit {
  Range range;
  std::string text;
  // Notebooks: the same edit within its cell (1-based among all cells, as Diagnostic::cell), with
  // the range in the cell's source and the text unescaped, for editors that show cells as
  // documents. 0 for other files.
  int cell = 0;
  Range cell_range;
  std::string cell_text;
};

// Safe: the code does what it did before. Unsafe: behaviour changes (model outputs, memory use,
// latency); applied only with --unsafe-fixes, offered in editors as a quick fix all the same.
enum class Applicability { Safe, Unsafe };
const char* applicability_name(Applicability a);  // "safe", "unsafe"

// A fix a rule offers as edits: all of them or none.
struct Fix {
  std::string title;  // what it does: "add llm_int8_threshold=0.0"
  Applicability applicability = Applicability::Unsafe;
  std::vector<Edit> edits;  // non-overlapping
};

struct Diagnostic {
  std::string rule;      // "ECO001"
  std::string path;      // as given / relative to the working directory
  Range range;           // 1-based
  Severity severity = Severity::Warning;
  std::string message;   // what is wrong, naming the setting
  std::string fix;       // how to fix it (honest options)
  std::string impact;    // estimated energy impact, from evidence data
  std::vector<Fix> fixes;  // the rule's fix as edits, where it can write one (see src/rules/edits.hpp)
  // Where the GPU behind the impact came from when the file itself named it ("GPU L4 from line 17
  // (NVIDIA-L4)"); reporters print it after the impact.
  std::string gpu_origin;
  std::string snippet;   // the source line (for text output and fingerprints)
  // Notebooks: `range` is in the raw .ipynb file; this is the 1-based cell index (among all
  // cells) and the position within that cell. 0 for other files.
  int cell = 0;
  Position cell_position;
  // For the energy model: the GPU the file's estimates are for ("" for all measured GPUs) and the
  // model size where the rule knew it; the workload estimate when --tokens-per-day was given.
  std::string gpu;
  std::optional<double> params_b;
  std::string impact_method;  // the evidence method behind the impact, when the rule has several ("" = the rule's)
  // Filled by energy::apply_workload; a low-high range accompanies every figure.
  struct MonthlyEstimate {
    struct Span {
      double low = 0, high = 0;
    };
    // One evidence row behind the figures, as reports print it.
    struct Row {
      std::string gpu, session, model, method, idle_subtracted, date, source;
      double params_b = 0, delta_pct = 0;
      int batch = 1;
      std::optional<int> n;
      bool summary = false;        // a summary figure from the source's prose, no raw row
      std::string not_used_because;  // set for rows shown but not in the figures
    };
    double delta_pct = 0;          // median measured change the estimate uses
    Span delta_range;              // lowest and highest counted row
    double baseline_j_per_1k = 0;  // baseline energy it applies to
    std::string baseline_basis;
    double kwh = 0;
    Span kwh_range;
    std::optional<double> money, kg_co2e;
    std::optional<Span> money_range, kg_co2e_range;
    bool extrapolated = false;     // the rows are not from the GPU the estimate is for
    std::string rows_from;         // "A800", "Ampere (A800)", "all measured GPUs"
    std::string how;               // how the rows were chosen, when extrapolated
    std::vector<Row> basis;        // the rows the figures use
    std::vector<Row> excluded;     // rows shown but not counted (suspect, other accounting)
  };
  std::optional<MonthlyEstimate> estimate;
};

// A file that could not be (fully) analysed: unreadable, binary, too large, parse error.
struct Note {
  std::string path;
  std::string message;
  Position position;  // 0/0 when there is no position
};

// A finding silenced by an in-source `# ecolint: ignore[...]` comment (kept for SARIF).
struct SuppressedDiagnostic {
  Diagnostic diagnostic;
  std::string justification;  // the text after the rule ids, may be empty
};

// An `# ecolint: ignore...[RULE]` that silenced nothing (reported on request).
struct UnusedSuppression {
  std::string path;
  std::string rule;
  Position position;
  // Notebooks: `position` is in the raw .ipynb file; the 1-based cell and the position in it.
  int cell = 0;
  Position cell_position;
};

// The impact as reports print it: the estimate, then where the file's GPU came from.
std::string impact_with_origin(const Diagnostic& d);

struct FileResult {
  std::vector<Diagnostic> diagnostics;
  std::vector<Note> notes;
  std::vector<SuppressedDiagnostic> suppressed;
  std::vector<UnusedSuppression> unused_suppressions;
  bool empty() const { return diagnostics.empty() && notes.empty() && suppressed.empty() && unused_suppressions.empty(); }
};

}  // namespace ecolint
