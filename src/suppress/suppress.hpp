#pragma once
// In-source suppressions: `# ecolint: ignore[ECO001] reason` (that line),
// `# ecolint: ignore-next-line[ECO001,ECO002] reason`, `# ecolint: ignore-file[ECO002] reason`.
//
// The marker counts only inside a real comment. For Python a small lexer skips string literals
// (single-, double- and triple-quoted, with backslash escapes); it does not understand f-string
// nesting of the same quote (Python 3.12+). For YAML a `#` starts a comment at the start of a
// line or after whitespace, outside '…' and "…" on that line; the lines of a block scalar (`|`,
// `>`) are not recognised as text, so a marker there is still taken as a suppression.
// Rule ids are required: a bare `# ecolint: ignore` silences nothing and is reported as a note.
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.hpp"

namespace ecolint::suppress {

// What every suppression comment contains; files without it have none.
inline constexpr std::string_view kMarker = "ecolint:";

enum class CommentSyntax { Python, Hash };
enum class Scope { Line, NextLine, File };

struct Directive {
  Scope scope = Scope::Line;
  std::vector<std::string> rules;
  std::string reason;
  Position position;      // of the `ecolint:` marker
  uint32_t target_line = 0;  // the line it silences (Line / NextLine)
};

// The directives in `text`'s comments; malformed ones become notes for `path`.
std::vector<Directive> parse(const std::string& path, std::string_view text, CommentSyntax syntax,
                             std::vector<Note>& notes);

// Moves the diagnostics a directive silences into result.suppressed and records, for the rules in
// `enabled_rules`, directives that silenced nothing in result.unused_suppressions.
void apply(const std::string& path, std::string_view text, CommentSyntax syntax,
           const std::vector<std::string>& enabled_rules, FileResult& result);

}  // namespace ecolint::suppress
