#include "base/glob.hpp"

#include <algorithm>
#include <cctype>

namespace ecolint {

namespace {

constexpr std::string_view kGlobSpecials = "*?[\\";

// `[:name:]` inside a bracket expression; ASCII only, as in git. False for an unknown name.
bool add_character_class(std::bitset<256>& set, std::string_view name) {
  struct Class {
    std::string_view name;
    bool (*test)(int c);
  };
  static const Class kClasses[] = {
      {"alnum", [](int c) { return std::isalnum(c) != 0; }},
      {"alpha", [](int c) { return std::isalpha(c) != 0; }},
      {"blank", [](int c) { return c == ' ' || c == '\t'; }},
      {"cntrl", [](int c) { return std::iscntrl(c) != 0; }},
      {"digit", [](int c) { return std::isdigit(c) != 0; }},
      {"graph", [](int c) { return std::isgraph(c) != 0; }},
      {"lower", [](int c) { return std::islower(c) != 0; }},
      {"print", [](int c) { return std::isprint(c) != 0; }},
      {"punct", [](int c) { return std::ispunct(c) != 0; }},
      // git's own isspace: no vertical tab, no form feed.
      {"space", [](int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }},
      {"upper", [](int c) { return std::isupper(c) != 0; }},
      {"xdigit", [](int c) { return std::isxdigit(c) != 0; }},
  };
  for (const Class& cls : kClasses) {
    if (cls.name != name) continue;
    for (int c = 0; c < 128; ++c)
      if (cls.test(c)) set.set(static_cast<std::size_t>(c));
    return true;
  }
  return false;
}

}  // namespace

Glob::Glob(std::string_view pattern) {
  // Most ignore lines are a plain name or `*.ext`: compare them directly.
  if (pattern.find_first_of(kGlobSpecials) == std::string_view::npos) {
    form_ = Form::Literal;
    literal_ = pattern;
  } else if (pattern[0] == '*' && pattern.find_first_of(kGlobSpecials, 1) == std::string_view::npos) {
    form_ = Form::StarThenLiteral;
    literal_ = pattern.substr(1);
  } else {
    form_ = compile(pattern) ? Form::General : Form::Never;
  }
}

bool Glob::compile(std::string_view p) {
  std::size_t i = 0;
  while (i < p.size()) {
    char c = p[i];
    if (c == '\\') {
      if (i + 1 == p.size()) return false;  // a trailing backslash escapes nothing: never matches
      tokens_.push_back({TokenKind::Byte, static_cast<unsigned char>(p[i + 1])});
      i += 2;
    } else if (c == '?') {
      tokens_.push_back({TokenKind::AnyByte});
      ++i;
    } else if (c == '[') {
      if (!parse_bracket(p, i)) return false;
    } else if (c == '*') {
      std::size_t end = std::min(p.find_first_not_of('*', i), p.size());
      bool spans_dirs = false, before_slash = false;
      if (end - i >= 2 && (i == 0 || p[i - 1] == '/')) {
        before_slash = end < p.size() && p[end] == '/';
        spans_dirs = end == p.size() || before_slash || p.substr(end, 2) == "\\/";
      }
      if (!spans_dirs) {
        tokens_.push_back({TokenKind::Star});
      } else if (before_slash && tokens_.size() >= 3 && tokens_[tokens_.size() - 3].kind == TokenKind::OptionalDirs) {
        ++end;  // `**/**/` is `**/`: keeps the token count proportional to the text it needs
      } else {
        // `**/` may match no directory at all (the zero-directory case of `a/**/b`).
        if (before_slash) tokens_.push_back({TokenKind::OptionalDirs});
        tokens_.push_back({TokenKind::AnyRun});
      }
      i = end;
    } else {
      tokens_.push_back({TokenKind::Byte, static_cast<unsigned char>(c)});
      ++i;
    }
  }
  // The fewest characters a match needs, to refuse hopeless texts before simulating.
  for (std::size_t t = 0; t < tokens_.size(); ++t) {
    TokenKind kind = tokens_[t].kind;
    bool consumes_one = kind == TokenKind::Byte || kind == TokenKind::AnyByte || kind == TokenKind::ByteSet;
    bool optional_slash = t >= 2 && tokens_[t - 2].kind == TokenKind::OptionalDirs;
    if (consumes_one && !optional_slash) ++min_text_length_;
  }
  return true;
}

// `[...]` starting at p[pos]: `!` or `^` negates, `]` first is literal, `a-z` ranges, `[:alpha:]`
// classes, backslash escapes. Never matches '/'. False when malformed (the pattern never matches).
bool Glob::parse_bracket(std::string_view p, std::size_t& pos) {
  std::size_t k = pos + 1;
  bool negated = false;
  if (k < p.size() && (p[k] == '!' || p[k] == '^')) {
    negated = true;
    ++k;
  }
  std::bitset<256> set;
  int range_start = -1;  // the previous single character, which a following `-` turns into a range
  for (bool first = true;; first = false) {
    if (k >= p.size()) return false;
    auto c = static_cast<unsigned char>(p[k]);
    if (c == ']' && !first) {
      ++k;
      break;
    }
    if (c == '\\') {
      if (++k >= p.size()) return false;
      c = static_cast<unsigned char>(p[k++]);
      set.set(c);
      range_start = c;
    } else if (c == '-' && range_start >= 0 && k + 1 < p.size() && p[k + 1] != ']') {
      ++k;
      auto high = static_cast<unsigned char>(p[k++]);
      if (high == '\\') {
        if (k >= p.size()) return false;
        high = static_cast<unsigned char>(p[k++]);
      }
      for (int b = range_start; b <= high; ++b) set.set(static_cast<std::size_t>(b));
      range_start = -1;
    } else if (c == '[' && k + 1 < p.size() && p[k + 1] == ':') {
      std::size_t close = p.find(']', k + 2);
      if (close == std::string_view::npos) return false;
      if (close > k + 2 && p[close - 1] == ':') {
        if (!add_character_class(set, p.substr(k + 2, close - 1 - (k + 2)))) return false;
        range_start = -1;
        k = close + 1;
      } else {  // no `:]` before the next `]`: a literal `[`
        set.set('[');
        range_start = '[';
        ++k;
      }
    } else {
      set.set(c);
      range_start = c;
      ++k;
    }
  }
  if (negated) set.flip();
  set.reset('/');
  tokens_.push_back({TokenKind::ByteSet, 0, static_cast<std::uint32_t>(sets_.size())});
  sets_.push_back(set);
  pos = k;
  return true;
}

bool Glob::matches(std::string_view text) const {
  switch (form_) {
    case Form::Never:
      return false;
    case Form::Literal:
      return text == literal_;
    case Form::StarThenLiteral: {
      if (text.size() < literal_.size()) return false;
      std::size_t head = text.size() - literal_.size();
      return text.substr(head) == literal_ && text.substr(0, head).find('/') == std::string_view::npos;
    }
    case Form::General:
      return text.size() >= min_text_length_ && run_states(text);
  }
  return false;
}

// Simulates all ways of matching at once: state i means "the first i tokens matched so far".
bool Glob::run_states(std::string_view text) const {
  const std::size_t n = tokens_.size();
  std::vector<char> current(n + 1, 0), next(n + 1, 0);
  // Adds the states reachable without consuming a character (stars matching nothing).
  auto close_over_empty = [&](std::vector<char>& states) {
    for (std::size_t i = 0; i < n; ++i) {
      if (!states[i]) continue;
      const Token& t = tokens_[i];
      if (t.kind == TokenKind::Star || t.kind == TokenKind::AnyRun) states[i + 1] = 1;
      if (t.kind == TokenKind::OptionalDirs) states[i + 1] = states[i + 3] = 1;
    }
  };
  current[0] = 1;
  close_over_empty(current);
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    std::fill(next.begin(), next.end(), 0);
    bool alive = false;
    for (std::size_t i = 0; i < n; ++i) {
      if (!current[i]) continue;
      const Token& t = tokens_[i];
      bool advance = false, stay = false;
      switch (t.kind) {
        case TokenKind::Byte: advance = c == t.byte; break;
        case TokenKind::AnyByte: advance = c != '/'; break;
        case TokenKind::ByteSet: advance = sets_[t.set_index].test(c); break;
        case TokenKind::Star: stay = c != '/'; break;
        case TokenKind::AnyRun: stay = true; break;
        case TokenKind::OptionalDirs: break;
      }
      if (advance) next[i + 1] = 1;
      if (stay) next[i] = 1;
      alive = alive || advance || stay;
    }
    if (!alive) return false;
    close_over_empty(next);
    current.swap(next);
  }
  return current[n] != 0;
}

}  // namespace ecolint
