#pragma once
// Linting one file: read, triage on the raw bytes, then the file's journey (pipeline/analyse.hpp).
// Never throws.
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.hpp"
#include "base/file_kind.hpp"

namespace ecolint {

struct ReadLimits {
  std::size_t max_file_bytes = 10 * 1024 * 1024;
};

struct LintOptions {
  std::vector<std::string> enabled_rules;  // ids; empty means none
  std::string gpu;                         // canonical GPU name from --gpu or the configuration, or empty
  std::optional<double> nf4_threshold_b;   // ECO002's size threshold, from the configuration

  // Every rule enabled, nothing else set (tests, fuzzing, editors without configuration).
  static LintOptions all_rules();
};

// Lints `fs_path`, reporting it as `display_path`. `walked_regular`: a directory walk listed it as
// a regular file, so it is read without a stat first (a short read ends it).
FileResult lint_file(const std::string& display_path, const std::string& fs_path, const LintOptions& options,
                     const ReadLimits& limits = {}, bool walked_regular = false);

// Lints text already in memory (used by tests and by editors).
FileResult lint_text(const std::string& display_path, std::string text, FileKind kind, const LintOptions& options);

}  // namespace ecolint
