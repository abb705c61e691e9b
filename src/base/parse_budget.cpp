#include "base/parse_budget.hpp"

namespace ecolint {

namespace {

// The offset just past the string literal opening at `i` (a quote), or the line's end for an
// unterminated one-line string.
std::size_t skip_string(std::string_view t, std::size_t i) {
  char q = t[i];
  bool triple = i + 2 < t.size() && t[i + 1] == q && t[i + 2] == q;
  i += triple ? 3 : 1;
  while (i < t.size()) {
    char c = t[i];
    if (c == '\\') {
      i += 2;
      continue;
    }
    if (!triple && (c == '\n' || c == '\r')) return i;
    if (c == q) {
      if (!triple) return i + 1;
      if (i + 2 < t.size() && t[i + 1] == q && t[i + 2] == q) return i + 3;
    }
    ++i;
  }
  return t.size();
}

}  // namespace

std::size_t count_python_tokens(std::string_view t, std::size_t stop_after) {
  std::size_t tokens = 0;
  std::size_t i = 0;
  while (i < t.size() && tokens < stop_after) {
    auto c = static_cast<unsigned char>(t[i]);
    if (c == ' ' || c == '\t' || c == '\f' || c == '\\') {
      ++i;
      continue;
    }
    ++tokens;
    if (python_word_byte(c)) {
      while (i < t.size() && python_word_byte(static_cast<unsigned char>(t[i]))) ++i;
    } else if (c == '#') {
      while (i < t.size() && t[i] != '\n' && t[i] != '\r') ++i;
    } else if (c == '"' || c == '\'') {
      i = skip_string(t, i);
    } else {
      ++i;
    }
  }
  return tokens;
}

std::string python_tokens_note() {
  return "more than " + std::to_string(kMaxPythonTokens) +
         " Python tokens (the limit of one module, which bounds the parser's memory); not analysed";
}

}  // namespace ecolint
