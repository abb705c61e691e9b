#pragma once
// One lint run: discover, lint in parallel, sort, report. Separate from main() so tests can call it.
#include <ostream>
#include <string>
#include <vector>

namespace ecolint::cli {

struct RunOptions {
  std::vector<std::string> paths{"."};
  std::string format = "text";
  std::vector<std::string> select;  // rule ids or prefixes; empty: all
  std::vector<std::string> ignore;
  bool exit_zero = false;
  bool respect_gitignore = true;
  unsigned jobs = 0;  // 0: one per core
  std::string gpu;
};

enum ExitCode { kClean = 0, kFindings = 1, kError = 2 };

// Returns the exit status. Usage errors are written to `err` and give kError.
int run(const RunOptions& options, std::ostream& out, std::ostream& err);

}  // namespace ecolint::cli
