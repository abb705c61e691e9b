#pragma once
// Triage on the raw bytes, which most files never get past: the enabled rules' triggers (each
// rule's code words plus every spelling, in the engine table, of the settings it reads) and the
// suppression marker, found in one SIMD pass (pipeline/prefilter.hpp).
#include "pipeline/lint.hpp"
#include "pipeline/prefilter.hpp"

namespace ecolint::pipeline {

// The prefilter of the enabled rules, built once per set of rules and shared by the threads.
const Prefilter& prefilter_for(const LintOptions& options);
// The triggers of the enabled rules that read the Python call syntax (Rule::reads_call_syntax), or
// null when no such rule is enabled: Python text where none holds is analysed without that pass.
const Prefilter* call_syntax_prefilter_for(const LintOptions& options);

}  // namespace ecolint::pipeline
