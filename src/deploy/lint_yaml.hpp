#pragma once
// Linting one YAML file: analyse it into launches, run the enabled rules' check_deploy, and run
// their check_python on embedded Python with positions mapped back into the YAML file.
#include <string>

#include "core/diagnostic.hpp"
#include "core/source.hpp"
#include "rules/rule.hpp"

namespace ecolint::deploy {

void lint_yaml(const std::string& display_path, const SourceText& source, const LintOptions& options, FileResult& result);

}  // namespace ecolint::deploy
