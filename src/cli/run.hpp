#pragma once
// One lint run, in named steps: configuration, rule selection, discovery and linting (in parallel,
// each file within a time budget), filters (per-file ignores, --diff-base, baseline), estimates,
// report, exit status. Separate from main() so tests can call it.
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "fix/fix.hpp"

namespace ecolint::cli {

// What the command line said. Unset optionals and empty lists fall back to the configuration
// file (CLI overrides config, key by key), then to the defaults.
struct RunOptions {
  std::vector<std::string> paths{"."};
  std::string format = "text";  // a name from cli/formats.hpp
  std::string output;           // write the report here (cli/output.hpp) instead of stdout
  bool statistics = false;      // findings per rule instead of the findings (text or json)
  bool show_files = false;      // list the files a run would lint, then exit
  bool show_settings = false;   // print the settings that apply to the first path, then exit
  // `ecolint -`: the text read from standard input, linted as if it were `stdin_filename`
  // (which need not exist; it picks the file kind and the configuration).
  std::optional<std::string> stdin_text;
  std::string stdin_filename;
  // Rule ids or prefixes, merged with each file's configuration as Ruff merges them
  // (settings::RuleSelection): --select replaces the selection, the others adjust it.
  std::optional<std::vector<std::string>> select;
  std::vector<std::string> ignore, extend_select, extend_ignore;
  std::vector<std::string> exclude;  // globs relative to the working directory; given: no config's
  bool exit_zero = false;
  bool respect_gitignore = true;
  bool force_exclude = false;  // apply excludes to explicit file arguments too
  unsigned jobs = 0;           // 0: one per CPU; more than the CPUs available is reduced to them
  double file_timeout_seconds = 60;  // per-file analysis budget; 0: none
  bool isolate_crashes = false;      // analyse each file that needs parsing in a child process
  std::string gpu;
  std::optional<std::string> fail_level;  // note | warning | error (default warning)
  std::optional<bool> report_unused_suppressions;
  std::string config;     // --config FILE; empty: discover
  bool isolated = false;  // ignore all configuration files
  // In-source `# ecolint: ignore...` comments silence nothing: every finding they would hide is
  // reported (for gates on untrusted code, with --isolated; Ruff's --ignore-noqa).
  bool no_inline_suppressions = false;
  std::string baseline;        // --baseline FILE
  std::string write_baseline;  // --write-baseline FILE
  std::string diff_base;       // --diff-base REF
  // SARIF and GitHub annotations name files relative to this directory: --project-root, else the
  // top of the git work tree holding the working directory, else the working directory.
  std::string project_root;
  // SARIF keeps suppressed and baselined findings (with `suppressions`); by default they are left
  // out, since code scanning opens an alert for every result whatever its suppressions say.
  bool sarif_include_suppressed = false;
  // Workload for the energy estimates (CLI or config); used by the estimate, stored here.
  std::optional<double> tokens_per_day, price_per_kwh, grid_gco2_per_kwh;
  fix::Options fix;  // --fix, --unsafe-fixes, --diff, --show-fixes (src/fix/)
};

enum ExitCode { kClean = 0, kFindings = 1, kError = 2 };

// What the caller must know beyond the exit status.
struct RunStatus {
  // A file's analysis ran past --file-timeout and its thread could not be stopped: end the
  // process with std::_Exit once the output is flushed (static destructors would race with it).
  bool abandoned_threads = false;
};

// Returns the exit status. Usage, configuration and I/O errors are written to `err` and give kError.
int run(const RunOptions& options, std::ostream& out, std::ostream& err, RunStatus* status = nullptr);

// The number of worker threads for a --jobs value: 0 means one per CPU available; more than the
// CPUs available is reduced to them (more threads are not faster, and each holds a file in memory).
unsigned effective_jobs(unsigned requested);

}  // namespace ecolint::cli
