#pragma once
// The subcommands that print rule information: `ecolint rules` and `ecolint rule ECONNN`.
#include <string>

namespace ecolint::cli {

// One line per rule: id, name, title.
std::string rules_table();

// Every prefilter trigger of every rule, one per line: the word, then `+` and the words of which
// one must also occur (what `bench/` searches for with ripgrep).
std::string rules_triggers();

}  // namespace ecolint::cli
