#pragma once
// Linting one file: read, prefilter, parse, run the enabled rules. Never throws.
#include <string>

#include "core/diagnostic.hpp"
#include "rules/rule.hpp"

namespace ecolint {

enum class FileKind { Python, Notebook, Yaml, Unknown };

FileKind kind_of_path(const std::string& path);

struct ReadLimits {
  std::size_t max_file_bytes = 10 * 1024 * 1024;
};

// Lints `fs_path`, reporting it as `display_path`. `walked_regular`: a directory walk listed it as
// a regular file, so it is read without a stat first (a short read ends it).
FileResult lint_file(const std::string& display_path, const std::string& fs_path, const LintOptions& options,
                     const ReadLimits& limits = {}, bool walked_regular = false);

// Lints text already in memory (used by tests and by embedded sources).
FileResult lint_text(const std::string& display_path, std::string text, FileKind kind, const LintOptions& options);

// True if `text` is valid UTF-8; otherwise *bad_offset is the first invalid byte.
bool valid_utf8(std::string_view text, std::size_t* bad_offset);

}  // namespace ecolint
