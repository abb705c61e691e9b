#pragma once
// Positions as the Language Server Protocol counts them: 0-based lines, and characters in the
// negotiated encoding (UTF-16 code units by default; UTF-8 bytes or UTF-32 code points when the
// client offers them), against ecolint's 1-based lines and code-point columns. Also the text
// edits of incremental document sync.
#include <cstdint>
#include <string>
#include <string_view>

#include "base/source.hpp"

namespace ecolint::server {

enum class Encoding { Utf8, Utf16, Utf32 };
const char* encoding_name(Encoding e);  // "utf-8", "utf-16", "utf-32"

struct LspPosition {
  uint32_t line = 0;       // 0-based
  uint32_t character = 0;  // in the encoding's units
};

// ecolint's position (1-based line, 1-based code-point column) in `text` as an LSP position.
LspPosition to_lsp(const SourceText& text, Position p, Encoding e);

// The byte offset of an LSP position in `text`; a character past the line's end means the line's
// end (before its line break), a line past the last means the end of the text.
std::size_t offset_of(const SourceText& text, LspPosition p, Encoding e);

// Code points in a UTF-8 string (for ranges computed from decoded text).
uint32_t code_points(std::string_view s);

}  // namespace ecolint::server
