#pragma once
// One owner for a file's journey once its bytes are known to matter: the readers extract
// sub-sources (a Python module, a YAML file's launches, ConfigMap Python blocks, notebook cells and
// shell lines), the file's context is worked out (its GPU and where that came from, ECO002's
// threshold, its model size), one function runs the enabled rules on every sub-source, findings
// are mapped to the host file, and in-source suppressions are applied.
#include <string>

#include "base/diagnostic.hpp"
#include "pipeline/lint.hpp"

namespace ecolint::pipeline {

// `text` is valid UTF-8 without a BOM. `candidate`: the file holds a trigger word (otherwise only
// its suppression comments are read, for notes on malformed or unused ones).
FileResult analyse(const std::string& display_path, std::string text, FileKind kind, const LintOptions& options,
                   bool candidate);

}  // namespace ecolint::pipeline
