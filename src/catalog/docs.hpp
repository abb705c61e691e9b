#pragma once
// A rule's documentation as Markdown, generated from its data (rules/ECONNN.yaml): what
// `ecolint rule ECONNN` prints, docs/rules/ECONNN.md holds and SARIF carries as help.
#include <string>

#include "catalog/rule_info.hpp"

namespace ecolint::catalog {

std::string rule_markdown(const RuleInfo& info);

}  // namespace ecolint::catalog
