#pragma once
// Linting one file: read, triage on the raw bytes, then the file's journey (pipeline/analyse.hpp).
// Never throws.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.hpp"
#include "base/file_kind.hpp"

namespace ecolint {

namespace pipeline {
class ChildProcesses;
}

struct ReadLimits {
  std::size_t max_file_bytes = 10 * 1024 * 1024;
};

struct LintOptions {
  std::vector<std::string> enabled_rules;  // ids; empty means none
  std::string gpu;                         // canonical GPU name from --gpu or the configuration, or empty
  std::optional<double> nf4_threshold_b;   // ECO002's size threshold, from the configuration
  // Containment (pipeline/isolation.hpp, --isolate-crashes): set by start_child_processes, each
  // file that needs parsing is analysed in one of these child processes, so a crash in a parser is
  // a note for that file; a child running past its budget is killed, a note too.
  std::shared_ptr<pipeline::ChildProcesses> children;

  // Every rule enabled, nothing else set (tests, fuzzing, editors without configuration).
  static LintOptions all_rules();
};

// Lints `fs_path`, reporting it as `display_path`. `walked_regular`: a directory walk listed it as
// a regular file, so it is read without a stat first (a short read ends it).
FileResult lint_file(const std::string& display_path, const std::string& fs_path, const LintOptions& options,
                     const ReadLimits& limits = {}, bool walked_regular = false);

// Lints text already in memory (used by tests and by editors).
FileResult lint_text(const std::string& display_path, std::string text, FileKind kind, const LintOptions& options);

// Runs every reader and the enabled rules once on small samples, so that the tables they load on
// first use are loaded before worker threads start (and before child processes are forked: a
// child must not find a table half-loaded by another thread).
void warm_up(const LintOptions& options);

// Forks `count` child processes that analyse files for lint_file and lint_text with `options`
// (warmed up first); `budget` per file, 0: none. Call before starting threads.
void start_child_processes(LintOptions& options, unsigned count, std::chrono::milliseconds budget);

}  // namespace ecolint
