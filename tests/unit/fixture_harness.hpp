#pragma once
// Fixture files carry their expectations inline, strict both ways:
//   ...code...  # expect: ECO001          a finding of ECO001 must start on this line
//   ...code...  # expect: ECO001@5        ... at column 5
//   # expect-next-line: ECO001            the same, for the next line (where a trailing comment can't go)
//   ...code...  # ok: ECO001              a negative case: ECO001 must not fire here (documents intent;
//                                         any unexpected finding fails anyway)
//   ...code...  # todo-expect: ECO001     a known miss: must NOT fire yet (when it does, promote it)
//   ...code...  # todo-ok: ECO001         a known false alarm: fires today; when it stops, remove it
//   ...code...  # expect-note: text       a note containing `text` on this line (or one without a line)
//   # fixture-options: gpu=A800            lint this file as with --gpu A800 (keys: gpu, nf4-threshold)
// Any finding or note not expected fails; any expectation not met fails. Distinct from user
// suppressions (`# ecolint: ...`). Each fixture directory's whole text output (messages, fixes,
// impacts, notes) is also compared with tests/snapshots/<directory>.txt.
#include <string>
#include <vector>

#include "pipeline/lint.hpp"

namespace ecolint::testing {

struct Expectation {
  std::string rule;       // rule id, or empty for a note
  std::string note;       // expect-note: the text the note must contain
  unsigned line = 0;
  unsigned column = 0;    // 0: any column
  enum Kind { Expect, TodoExpect, TodoOk, Ok, Note } kind = Expect;
};

std::vector<Expectation> parse_expectations(const std::string& text);

// The options a fixture asks for in a `# fixture-options:` line (every rule on otherwise).
LintOptions fixture_options(const std::string& text);

// Lints `path` and returns the mismatches with its expectations, one line each; empty when it
// matches. `result` (optional) receives what ecolint reported.
std::vector<std::string> check_fixture(const std::string& path, const std::string& display_path,
                                       FileResult* result = nullptr);

}  // namespace ecolint::testing
