#pragma once
// What a rule reports and what a file that could not be analysed yields.
#include <string>
#include <vector>

#include "core/source.hpp"

namespace ecolint {

enum class Severity { Note, Warning, Error };
const char* severity_name(Severity s);

struct Diagnostic {
  std::string rule;      // "ECO001"
  std::string path;      // as given / relative to the working directory
  Range range;           // 1-based
  Severity severity = Severity::Warning;
  std::string message;   // what is wrong, naming the setting
  std::string fix;       // how to fix it (honest options)
  std::string impact;    // estimated energy impact, from evidence data
  std::string snippet;   // the source line (for text output and fingerprints)
};

// A file that could not be (fully) analysed: unreadable, binary, too large, parse error.
struct Note {
  std::string path;
  std::string message;
  Position position;  // 0/0 when there is no position
};

struct FileResult {
  std::vector<Diagnostic> diagnostics;
  std::vector<Note> notes;
};

}  // namespace ecolint
