#pragma once
// Fixture files carry their expectations inline, strict both ways:
//   ...code...  # expect: ECO001          a finding of ECO001 must start on this line
//   ...code...  # expect: ECO001@5        ... at column 5
//   # expect-next-line: ECO001            the same, for the next line (where a trailing comment can't go)
//   ...code...  # todo-expect: ECO001     a known miss: must NOT fire yet (when it does, promote it)
//   ...code...  # todo-ok: ECO001         a known false alarm: fires today; when it stops, remove it
// Any finding not expected fails; any expectation not met fails. Distinct from user suppressions.
#include <string>
#include <vector>

namespace ecolint::testing {

struct Expectation {
  std::string rule;
  unsigned line = 0;
  unsigned column = 0;  // 0: any column
  enum Kind { Expect, TodoExpect, TodoOk } kind = Expect;
};

std::vector<Expectation> parse_expectations(const std::string& text);

// Lints `path` with every rule and returns the mismatches, one line each; empty when it matches.
std::vector<std::string> check_fixture(const std::string& path, const std::string& display_path);

}  // namespace ecolint::testing
