#pragma once
// A source file's text and the mapping from byte offsets to 1-based lines and columns.
// Columns count Unicode code points (1-based), as Ruff does; SARIF states this unit.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ecolint {

struct Position {
  uint32_t line = 0;    // 1-based
  uint32_t column = 0;  // 1-based, in code points
};

struct Range {
  Position start;
  Position end;
};

class SourceText {
 public:
  explicit SourceText(std::string text);
  const std::string& text() const { return text_; }
  // 0-based row and byte column (as tree-sitter gives them) -> 1-based line, code-point column.
  Position position_from_row_byte(uint32_t row, uint32_t byte_column) const;
  Position position_from_offset(std::size_t byte_offset) const;
  // The byte offset of a 1-based line and code-point column (clamped to the text).
  std::size_t offset_from_position(Position p) const;
  std::size_t line_count() const { return line_starts_.size(); }
  // The text of a 1-based line, without its line ending.
  std::string_view line(uint32_t line) const;

 private:
  std::string text_;
  std::vector<std::size_t> line_starts_;
};

}  // namespace ecolint
