#pragma once
// One lint run: configuration, discover, lint in parallel, filter (suppressions, per-file ignores,
// --diff-base, baseline), sort, report. Separate from main() so tests can call it.
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
  std::string format = "text";  // text | json | sarif | github
  std::string output;           // write the report here (atomically) instead of stdout
  std::vector<std::string> select;  // rule ids or prefixes; empty: config's, else all
  std::vector<std::string> ignore;
  std::vector<std::string> exclude;  // globs; empty: config's
  bool exit_zero = false;
  bool respect_gitignore = true;
  bool force_exclude = false;  // apply excludes to explicit file arguments too
  unsigned jobs = 0;           // 0: one per core
  std::string gpu;
  std::optional<std::string> fail_level;  // note | warning | error (default warning)
  std::optional<bool> report_unused_suppressions;
  std::string config;     // --config FILE; empty: discover
  bool isolated = false;  // ignore all configuration files
  std::string baseline;        // --baseline FILE
  std::string write_baseline;  // --write-baseline FILE
  std::string diff_base;       // --diff-base REF
  // Workload for the energy estimates (CLI or config); used by the estimate, stored here.
  std::optional<double> tokens_per_day, price_per_kwh, grid_gco2_per_kwh;
  fix::Options fix;  // --fix, --unsafe-fixes, --diff, --show-fixes (src/fix/)
};

enum ExitCode { kClean = 0, kFindings = 1, kError = 2 };

// Returns the exit status. Usage, configuration and I/O errors are written to `err` and give kError.
int run(const RunOptions& options, std::ostream& out, std::ostream& err);

// Writes `content` to `path` via a temporary file in the same directory and a rename, so readers
// never see a partial file. False (with a message in `error`) on failure.
bool write_file_atomically(const std::string& path, const std::string& content, std::string& error);

}  // namespace ecolint::cli
