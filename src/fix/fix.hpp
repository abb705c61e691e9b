#pragma once
// `--fix`, `--unsafe-fixes`, `--diff`, `--show-fixes`: the findings a run reports, fixed in their
// files. Each file is fixed in rounds (apply the fixes that do not overlap, lint the new text,
// again) until nothing fixable is left; a round that makes the file fail to parse is undone. The
// file is then written atomically (same permissions, BOM and line breaks kept) or shown as a
// unified diff, and its findings are replaced by those of the fixed text.
#include <ostream>
#include <string>
#include <vector>

#include "base/diagnostic.hpp"
#include "pipeline/lint.hpp"

namespace ecolint::fix {

struct Options {
  bool fix = false;         // write the fixes
  bool unsafe = false;      // also apply unsafe fixes
  bool diff = false;        // print a unified diff instead of writing (implies fixing in memory)
  bool show = false;        // list each fix applied (or, without --fix, available)
  bool requested() const { return fix || diff || show; }
};

struct Outcome {
  std::size_t fixed = 0;            // findings fixed (or, with --diff, that would be)
  std::size_t files = 0;            // files changed (or that would be)
  std::size_t hidden_unsafe = 0;    // findings with an unsafe fix only, not applied without --unsafe-fixes
  bool diff_only = false;           // --diff: the caller prints no report
  bool error = false;               // a file could not be read or written
};

// `diagnostics`: what the run reports, after every filter (suppressions, per-file ignores,
// --diff-base, baseline). Findings the filters hid are left alone in the fixed files too (they
// are recognised by their identity: rule, path and source line). With --fix, the findings of each
// fixed file are replaced by those that remain; problems go to `notes` and `err`; diffs to `out`.
Outcome run(const Options& options, const LintOptions& lint, std::vector<Diagnostic>& diagnostics,
            std::vector<Note>& notes, std::ostream& out, std::ostream& err);

struct FixedText {
  std::string text;                   // the fixed text
  std::vector<Diagnostic> applied;    // whose fixes went in, in the order they did
  std::vector<Diagnostic> remaining;  // the findings of the fixed text (the filters still apply)
  std::string problem;                // why a round was undone (the text would not parse), or empty
};

// Fixes one file's text (no BOM) in memory, as --fix does: `reported` are the findings the run
// shows for it; any other finding of the text was hidden by a filter and stays untouched.
FixedText fix_text(const std::string& path, const std::string& text, FileKind kind, const LintOptions& lint,
                   const std::vector<Diagnostic>& reported, bool unsafe);

// Writes `content` to `path` through a temporary file in the same directory and a rename, keeping
// the permissions of the file it replaces (a symlink's target is replaced, not the link).
bool write_atomically(const std::string& path, const std::string& content, std::string& error);

}  // namespace ecolint::fix
