#pragma once
// Reporters: one function per output format, writing the whole run's results.
#include <ostream>
#include <string>
#include <vector>

#include "core/diagnostic.hpp"

namespace ecolint::report {

struct RunSummary {
  std::size_t files_considered = 0;
};

void write_text(std::ostream& out, const std::vector<Diagnostic>& diagnostics, const std::vector<Note>& notes,
                const RunSummary& summary);
void write_json(std::ostream& out, const std::vector<Diagnostic>& diagnostics, const std::vector<Note>& notes,
                const RunSummary& summary);

// Replaces invalid UTF-8 with U+FFFD so machine output is always valid.
std::string sanitize_utf8(std::string_view s);

}  // namespace ecolint::report
