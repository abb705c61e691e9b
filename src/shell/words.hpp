#pragma once
// Command lines as a shell splits them, with every word's byte offset in the file the command is
// written in (a YAML scalar, a notebook line, a Python string), so a flag is reported where it is.
#include <string>
#include <string_view>
#include <vector>

namespace ecolint::shell {

struct Word {
  std::string text;
  std::size_t offset = 0;    // byte offset of the word (or its opening quote) in the file
  std::size_t length = 0;    // bytes it spans in the file
  bool separator = false;    // &&, ||, ;, |, or a line break: ends one command, starts the next
};

// Splits a shell string into words and separators (quotes, backslashes, comments, `\` line
// continuations). `text` is the string's value; `raw` is the file and `raw_from` where the string
// starts in it: each word's position is found by searching for it in the file from there (in
// order, within a bounded window), falling back to the string's own position when the word is not
// written literally (escapes, folding).
std::vector<Word> split(std::string_view text, std::string_view raw, std::size_t raw_from);

}  // namespace ecolint::shell
