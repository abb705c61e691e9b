#pragma once
// What parsing a Python text will cost, estimated from its bytes before any parser sees it. The
// syntax tree and the facts built from it take memory per token (about 200 to 350 bytes), so a
// dense file needs far more than its size suggests: 10 MiB of `a\n` is 10 million tokens and once
// took 39 s and 3.3 GB. A million tokens is 2 to 4 MB of ordinary code (the largest Python file
// among 72,000 of a real-world corpus is 0.5 MB) and at most about 350 MB to parse. Every Python text ecolint parses (a file, a notebook's code cells, a
// ConfigMap's Python entry) is refused with a note above kMaxPythonTokens.
#include <cstddef>
#include <string>
#include <string_view>

namespace ecolint {

inline constexpr std::size_t kMaxPythonTokens = 1000000;

// A byte of a Python name or number (any byte of a non-ASCII character counts).
inline bool python_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

// Tokens as a Python lexer would count them, roughly: a name or number, an operator character, a
// line break, a whole string literal or comment each count one. Stops counting past `stop_after`.
std::size_t count_python_tokens(std::string_view text, std::size_t stop_after = kMaxPythonTokens + 1);

// Whether `text` holds more than kMaxPythonTokens tokens. A token is at least a byte, so a shorter
// text is not counted.
inline bool over_python_token_limit(std::string_view text) {
  return text.size() > kMaxPythonTokens && count_python_tokens(text) > kMaxPythonTokens;
}

// The note for a text over the limit.
std::string python_tokens_note();

}  // namespace ecolint
