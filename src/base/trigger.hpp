#pragma once
// What must occur in a file's bytes for a rule to possibly fire: `word`, and, unless `and_any_of`
// is empty, one of those too. A file holding none of the enabled rules' triggers is never parsed
// (Semgrep derives the same kind of required-strings formula from its patterns).
#include <string>
#include <vector>

namespace ecolint {

struct Trigger {
  std::string word;
  std::vector<std::string> and_any_of;
};

}  // namespace ecolint
