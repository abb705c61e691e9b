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
// Whether ecolint may read Python in a file of `kind` with these bytes: a Python file, a notebook
// (its cells), a YAML file whose bytes hold a key ending in `.py` (yaml::python_key_possible: a
// ConfigMap's Python). Not a shell script, a Dockerfile or an env file.
bool reads_python(FileKind kind, std::string_view bytes);
// A file's triage: prefilter_for; and where no Python is read (reads_python), code words
// (ECO003's `.generate(`, `pipeline`) cannot make a rule fire, so a file that only they made a
// candidate is checked again with setting_prefilter_for.
Prefilter::Result triage(const LintOptions& options, FileKind kind, std::string_view bytes);
// The triggers of the enabled rules that read the Python call syntax (Rule::reads_call_syntax), or
// null when no such rule is enabled: Python text where none holds is analysed without that pass.
const Prefilter* call_syntax_prefilter_for(const LintOptions& options);

}  // namespace ecolint::pipeline
