#include "base/source.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace ecolint {

namespace {
constexpr std::size_t kBlock = 64;

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
}  // namespace

SourceText::SourceText(std::string text) : text_(std::move(text)) {
  const char* data = text_.data();
  const std::size_t n = text_.size();
  // ASCII or not: eight bytes at a time.
  uint64_t high = 0;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t word;
    std::memcpy(&word, data + i, 8);
    high |= word;
  }
  for (; i < n; ++i) high |= static_cast<unsigned char>(data[i]);
  ascii_ = (high & 0x8080808080808080ULL) == 0;
  // Line starts: \r\n, \n and a lone \r all end a line (Python's universal newlines). Most texts
  // have no \r, and memchr finds the \n.
  line_starts_.push_back(0);
  if (!std::memchr(data, '\r', n)) {
    for (const char* p = data; (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(data + n - p))));) {
      ++p;
      line_starts_.push_back(static_cast<std::size_t>(p - data));
    }
  } else {
    for (std::size_t k = 0; k < n; ++k) {
      char c = data[k];
      if (c == '\n' || (c == '\r' && (k + 1 >= n || data[k + 1] != '\n'))) line_starts_.push_back(k + 1);
    }
  }
  if (ascii_) return;
  // Code points before each block: a block's bytes less its continuation bytes (10xxxxxx),
  // counted eight at a time (bit 7 set and bit 6 clear in each byte).
  block_code_points_.reserve(n / kBlock + 1);
  uint32_t count = 0;
  std::size_t k = 0;
  for (; k + kBlock <= n; k += kBlock) {
    block_code_points_.push_back(count);
    // Each word gives a 1 in the bytes that continue a code point; the eight words' ones add up
    // bytewise (at most 8 a byte) and one multiply sums the bytes (no popcount instruction is
    // assumed: the x86-64 baseline has none, and its library fallback showed in profiles).
    uint64_t ones = 0;
    for (std::size_t w = 0; w < kBlock; w += 8) {
      uint64_t word;
      std::memcpy(&word, data + k + w, 8);
      ones += (word & ~(word << 1) & 0x8080808080808080ULL) >> 7;
    }
    unsigned continuations = static_cast<unsigned>((ones * 0x0101010101010101ULL) >> 56);
    count += static_cast<uint32_t>(kBlock - continuations);
  }
  if (k < n) block_code_points_.push_back(count);  // the last, partial block
}

std::size_t SourceText::code_points_before(std::size_t offset) const {
  if (ascii_) return offset;
  std::size_t block = offset / kBlock;
  if (block >= block_code_points_.size()) block = block_code_points_.size() - 1;
  std::size_t count = block_code_points_[block];
  for (std::size_t i = block * kBlock; i < offset; ++i)
    if (!continuation(text_[i])) ++count;
  return count;
}

Position SourceText::position_from_offset(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  std::size_t row = static_cast<std::size_t>(it - line_starts_.begin()) - 1;
  std::size_t column = code_points_before(offset) - code_points_before(line_starts_[row]);
  return {static_cast<uint32_t>(row + 1), static_cast<uint32_t>(column + 1)};
}

Position SourceText::position_from_offset(std::size_t offset, std::size_t row) const {
  offset = std::min(offset, text_.size());
  if (row >= line_starts_.size() || line_starts_[row] > offset ||
      (row + 1 < line_starts_.size() && line_starts_[row + 1] <= offset))
    return position_from_offset(offset);
  std::size_t column = code_points_before(offset) - code_points_before(line_starts_[row]);
  return {static_cast<uint32_t>(row + 1), static_cast<uint32_t>(column + 1)};
}

std::size_t SourceText::line_start(uint32_t line) const {
  if (line == 0) return 0;
  if (line > line_starts_.size()) return text_.size();
  return line_starts_[line - 1];
}

std::size_t SourceText::offset_from_position(Position p) const {
  if (p.line == 0) return 0;
  if (p.line > line_starts_.size()) return text_.size();
  std::size_t start = line_starts_[p.line - 1];
  std::size_t end = p.line < line_starts_.size() ? line_starts_[p.line] : text_.size();
  std::size_t want = p.column > 0 ? p.column - 1 : 0;  // code points after the line start
  if (ascii_) return std::min(start + want, end);
  // Binary search the blocks for the last block start at or before the wanted code point, then
  // walk at most one block.
  std::size_t target = code_points_before(start) + want;
  std::size_t lo = start / kBlock, hi = std::min(end / kBlock + 1, block_code_points_.size());
  while (hi - lo > 1) {
    std::size_t mid = (lo + hi) / 2;
    if (block_code_points_[mid] <= target) lo = mid;
    else hi = mid;
  }
  std::size_t i = std::max(start, lo * kBlock);
  std::size_t count = code_points_before(i);
  // Step to the start of the wanted code point: past `target - count` code points.
  while (i < end) {
    if (!continuation(text_[i])) {
      if (count == target) return i;
      ++count;
    }
    ++i;
  }
  return end;
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
