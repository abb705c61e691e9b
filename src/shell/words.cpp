#include "shell/words.hpp"

namespace ecolint::shell {

std::vector<Word> split(std::string_view text, std::string_view raw, std::size_t raw_from) {
  std::vector<Word> words;
  std::size_t cursor = raw_from;
  auto place = [&](Word w, std::string_view literal) {
    // Only a window ahead is searched: a word that is not written literally must not cost a scan
    // of the rest of the file.
    std::size_t window = 4096 + literal.size() * 5;
    std::size_t at = std::string_view::npos;
    if (!literal.empty() && cursor <= raw.size()) {
      at = raw.substr(cursor, window).find(literal);
      if (at != std::string_view::npos) at += cursor;
    }
    if (at != std::string_view::npos) {
      w.offset = at;
      w.length = literal.size();
      cursor = at + literal.size();
    } else {
      w.offset = raw_from;
      w.length = 0;
    }
    words.push_back(std::move(w));
  };
  std::size_t i = 0, n = text.size();
  while (i < n) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r') { ++i; continue; }
    if (c == '\\' && i + 1 < n && text[i + 1] == '\n') { i += 2; continue; }  // line continuation
    if (c == '#') {  // a comment runs to the end of the line
      while (i < n && text[i] != '\n') ++i;
      continue;
    }
    if (c == '\n' || c == ';' || c == '&' || c == '|') {
      std::size_t len = (i + 1 < n && (c == '&' || c == '|') && text[i + 1] == c) ? 2 : 1;
      Word w;
      w.text = std::string(text.substr(i, len));
      w.separator = true;
      if (c == '\n') words.push_back(std::move(w));
      else place(std::move(w), text.substr(i, len));
      i += len;
      continue;
    }
    // A word: quoted parts are joined; its literal span in the scalar is [start, i).
    std::size_t start = i;
    Word w;
    while (i < n) {
      char d = text[i];
      if (d == ' ' || d == '\t' || d == '\n' || d == '\r' || d == ';' || d == '&' || d == '|') break;
      if (d == '\'' ) {
        std::size_t close = text.find('\'', i + 1);
        if (close == std::string_view::npos) close = n;
        w.text.append(text.substr(i + 1, close - i - 1));
        i = close < n ? close + 1 : n;
      } else if (d == '"') {
        ++i;
        while (i < n && text[i] != '"') {
          if (text[i] == '\\' && i + 1 < n) {
            ++i;
            if (text[i] == '\n') {  // a line continuation inside double quotes joins the lines
              ++i;
              continue;
            }
          }
          w.text.push_back(text[i++]);
        }
        if (i < n) ++i;
      } else if (d == '\\' && i + 1 < n) {
        w.text.push_back(text[i + 1]);
        i += 2;
      } else {
        w.text.push_back(d);
        ++i;
      }
    }
    place(std::move(w), text.substr(start, i - start));
  }
  return words;
}

}  // namespace ecolint::shell
