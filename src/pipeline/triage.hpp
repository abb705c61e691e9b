#pragma once
// Triage on the raw bytes, which most files never get past: the enabled rules' triggers (each
// rule's code words plus every spelling, in the engine table, of the settings it reads) and the
// suppression marker, found in one SIMD pass (pipeline/prefilter.hpp).
#include <string_view>

#include "base/file_kind.hpp"
#include "pipeline/lint.hpp"
#include "pipeline/prefilter.hpp"

namespace ecolint::pipeline {

// The prefilter of the enabled rules, built once per set of rules and shared by the threads.
const Prefilter& prefilter_for(const LintOptions& options);
// The same without the rules' code words (Rule::setting_triggers): for text where no Python is read.
const Prefilter& setting_prefilter_for(const LintOptions& options);
// The prefilter a file of `kind` is triaged with. Code words (ECO003's `.generate(`, `pipeline`)
// can make a rule fire only in Python: a Python file, a notebook's cells, a YAML ConfigMap's `*.py`
// key. So a shell script, a Dockerfile or an env file gets setting_prefilter_for, and so does a
// YAML file whose bytes hold no key ending in `.py` (yaml::python_key_possible).
const Prefilter& prefilter_for(const LintOptions& options, FileKind kind, std::string_view bytes);
// The triggers of the enabled rules that read the Python call syntax (Rule::reads_call_syntax), or
// null when no such rule is enabled: Python text where none holds is analysed without that pass.
const Prefilter* call_syntax_prefilter_for(const LintOptions& options);

}  // namespace ecolint::pipeline
