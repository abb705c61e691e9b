#include "core/source.hpp"

#include <algorithm>

namespace ecolint {

SourceText::SourceText(std::string text) : text_(std::move(text)) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i) {
    // \r\n, \n and a lone \r all end a line (Python's universal newlines).
    if (text_[i] == '\n') {
      line_starts_.push_back(i + 1);
    } else if (text_[i] == '\r' && (i + 1 >= text_.size() || text_[i + 1] != '\n')) {
      line_starts_.push_back(i + 1);
    }
  }
}

static uint32_t count_code_points(std::string_view bytes) {
  uint32_t n = 0;
  for (unsigned char c : bytes)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

Position SourceText::position_from_row_byte(uint32_t row, uint32_t byte_column) const {
  if (row >= line_starts_.size()) return {static_cast<uint32_t>(line_starts_.size()), 1};
  std::size_t start = line_starts_[row];
  std::size_t end = std::min(text_.size(), start + byte_column);
  return {row + 1, count_code_points(std::string_view(text_).substr(start, end - start)) + 1};
}

Position SourceText::position_from_offset(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  std::size_t row = static_cast<std::size_t>(it - line_starts_.begin()) - 1;
  return position_from_row_byte(static_cast<uint32_t>(row), static_cast<uint32_t>(offset - line_starts_[row]));
}

std::size_t SourceText::offset_from_position(Position p) const {
  if (p.line == 0) return 0;
  if (p.line > line_starts_.size()) return text_.size();
  std::size_t i = line_starts_[p.line - 1];
  for (uint32_t col = 1; col < p.column && i < text_.size(); ++col) {
    ++i;
    while (i < text_.size() && (static_cast<unsigned char>(text_[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

std::string_view SourceText::line(uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  std::size_t start = line_starts_[line - 1];
  std::size_t end = line < line_starts_.size() ? line_starts_[line] : text_.size();
  std::string_view s(text_.data() + start, end - start);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace ecolint
