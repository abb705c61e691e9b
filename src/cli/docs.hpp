#pragma once
// Rule documentation, generated from the rule's data (rules/ECONNN.yaml): the same text is
// `ecolint rule ECONNN` and docs/rules/ECONNN.md.
#include <string>

#include "energy/evidence.hpp"

namespace ecolint::cli {
std::string rule_markdown(const energy::RuleInfo& info);
std::string rules_table();
}  // namespace ecolint::cli
