#pragma once
// The one glob engine: gitignore patterns, configuration excludes, per-file ignores and --exclude
// all match through it. Matching is a simulation of every way a pattern can match at once (a set
// of states), so time is at most (pattern tokens) x (text length) and no input can make it
// backtrack: `*a*a*a*a*a*a*a*a*a*a*b` against sixty `a`s is as fast as `*.py`.
#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ecolint {

// One glob, matched against a whole '/'-separated path the way git matches gitignore patterns:
// `*`, `?` and `[...]` never match '/'; `**` at the start, at the end or between slashes spans
// directories (`**/x`, `x/**`, `a/**/b`, where `a/**/b` also matches `a/b`), any other `**` is a
// `*`; `[...]` takes ranges, `!` or `^` negation and `[:alpha:]` classes; a backslash makes the
// next character literal; a malformed bracket expression or a trailing backslash never matches.
class Glob {
 public:
  explicit Glob(std::string_view pattern);
  bool matches(std::string_view text) const;

 private:
  enum class Form : std::uint8_t { Never, Literal, StarThenLiteral, General };
  // `**/` compiles to OptionalDirs, AnyRun, Byte '/': OptionalDirs matches nothing itself but
  // lets the match skip the other two (zero directories).
  enum class TokenKind : std::uint8_t { Byte, AnyByte, ByteSet, Star, AnyRun, OptionalDirs };
  struct Token {
    TokenKind kind;
    unsigned char byte = 0;
    std::uint32_t set_index = 0;
  };
  bool compile(std::string_view pattern);
  bool parse_bracket(std::string_view pattern, std::size_t& pos);
  bool run_states(std::string_view text) const;

  Form form_ = Form::Never;
  std::string literal_;  // Literal: the whole pattern; StarThenLiteral: the part after `*`
  std::vector<Token> tokens_;
  std::vector<std::bitset<256>> sets_;
  std::size_t min_text_length_ = 0;
};

}  // namespace ecolint
