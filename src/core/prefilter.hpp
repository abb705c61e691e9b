#pragma once
// The byte prefilter: does a file contain any of the enabled rules' trigger words? One pass over
// the bytes for all words (instead of one search per word), with the Wu–Manber multi-pattern
// scheme (S. Wu and U. Manber, "A fast algorithm for multi-pattern searching", TR-94-17, 1994):
// a window as long as the shortest word slides over the text; a table indexed by the window's
// last two bytes says how far it may jump without skipping a word, and only windows whose last
// pair ends some word's prefix are compared with the words. In source text most pairs end no
// prefix, so the scan touches about one position in five instead of every byte.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ecolint {

class WordSet {
 public:
  explicit WordSet(const std::vector<std::string>& words);
  bool any_in(std::string_view text) const;

 private:
  std::vector<std::string> long_words_;               // at least kMinLong bytes: the Wu–Manber scan
  std::vector<std::string> short_words_;              // shorter ones: one memmem each
  std::size_t window_ = 0;                            // length of the shortest long word (capped)
  std::vector<uint8_t> shift_;                        // 65,536 entries, by the window's last two bytes
  std::vector<std::pair<uint16_t, uint16_t>> ends_;   // (pair, word index) for shift 0, sorted
};

// The whole prefilter: `word` alone, or `word` together with one of `and_any_of`. One WordSet
// scan for every such word decides most files; only files it lets through (a few percent) are
// searched again for the conditions.
struct TriggerWords {
  std::string word;
  std::vector<std::string> and_any_of;
};

class Prefilter {
 public:
  explicit Prefilter(const std::vector<TriggerWords>& triggers);
  bool matches(std::string_view text) const;

 private:
  WordSet first_;
  std::vector<TriggerWords> triggers_;
  bool conditional_ = false;
};

}  // namespace ecolint
