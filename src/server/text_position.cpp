#include "server/text_position.hpp"

namespace ecolint::server {

namespace {

// The length of the UTF-8 sequence starting with `lead` (1 for a stray byte, so walking never stalls).
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

uint32_t units(std::size_t bytes, Encoding e) {
  switch (e) {
    case Encoding::Utf8: return static_cast<uint32_t>(bytes);
    case Encoding::Utf16: return bytes == 4 ? 2 : 1;
    case Encoding::Utf32: break;
  }
  return 1;
}

}  // namespace

const char* encoding_name(Encoding e) {
  switch (e) {
    case Encoding::Utf8: return "utf-8";
    case Encoding::Utf32: return "utf-32";
    case Encoding::Utf16: break;
  }
  return "utf-16";
}

uint32_t code_points(std::string_view s) {
  uint32_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

LspPosition to_lsp(const SourceText& text, Position p, Encoding e) {
  if (p.line == 0) return {};
  if (p.line > text.line_count()) {
    uint32_t last = static_cast<uint32_t>(text.line_count());
    return to_lsp(text, {last, code_points(text.line(last)) + 1}, e);
  }
  std::string_view line = text.line(p.line);
  uint32_t want = p.column > 0 ? p.column - 1 : 0;  // code points before the position
  uint32_t character = 0;
  std::size_t i = 0;
  for (uint32_t cp = 0; cp < want && i < line.size(); ++cp) {
    std::size_t n = sequence_length(static_cast<unsigned char>(line[i]));
    if (i + n > line.size()) n = line.size() - i;
    character += units(n, e);
    i += n;
  }
  return {p.line - 1, character};
}

std::size_t offset_of(const SourceText& text, LspPosition p, Encoding e) {
  if (p.line + 1 > text.line_count()) return text.text().size();
  std::size_t start = text.line_start(p.line + 1);
  std::string_view line = text.line(p.line + 1);
  uint32_t seen = 0;
  std::size_t i = 0;
  while (i < line.size() && seen < p.character) {
    std::size_t n = sequence_length(static_cast<unsigned char>(line[i]));
    if (i + n > line.size()) n = line.size() - i;
    uint32_t u = units(n, e);
    if (seen + u > p.character) break;  // inside a surrogate pair or a UTF-8 sequence: its start
    seen += u;
    i += n;
  }
  return start + i;
}

}  // namespace ecolint::server
