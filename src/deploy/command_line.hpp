#pragma once
// Command lines written in YAML: list items, or one string split as a shell would split it, with
// every word's byte offset in the file so a flag is reported where it is written.
#include <string>
#include <string_view>
#include <vector>

namespace ecolint::deploy {

struct Word {
  std::string text;
  std::size_t offset = 0;    // byte offset of the word (or its opening quote) in the file
  std::size_t length = 0;    // bytes it spans in the file
  bool separator = false;    // &&, ||, ;, |, or a line break: ends one command, starts the next
};

// Splits a shell string into words and separators (quotes, backslashes, comments). `text` is the
// scalar's value; `raw` is the file and `raw_from` where the scalar starts in it: each word's
// position is found by searching for it in the file from there (in order), falling back to the
// scalar's own position when the word is not written literally (escapes, folding).
std::vector<Word> split_shell(std::string_view text, std::string_view raw, std::size_t raw_from);

}  // namespace ecolint::deploy
