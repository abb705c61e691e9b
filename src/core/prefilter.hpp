#pragma once
// The byte prefilter: does a file contain any of the enabled rules' trigger words? One pass over
// the bytes for all words (instead of one search per word). Each word is anchored on the two of
// its bytes that are rarest in source text (a frequency table measured on the CPython standard
// library); the scan compares 16 or 32 positions at a time with SIMD (the "generic SIMD" substring
// filter described by W. Muła: compare a block with the first anchor byte and the block shifted
// to the second anchor byte, AND the two), and only positions where both anchor bytes sit are
// compared with the words. Off x86 the same test runs one position at a time.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ecolint {

class WordSet {
 public:
  // Words in group 0 end the scan when found; words in other groups (at most 8 groups) are
  // recorded and the scan goes on.
  explicit WordSet(const std::vector<std::string>& words, const std::vector<std::string>& group1 = {});
  bool any_in(std::string_view text) const { return (scan(text) & 1u) != 0; }
  // Bit g set: a word of group g occurs (bits of later groups may be missing once group 0 is found).
  unsigned scan(std::string_view text) const;

  // Tests only: 0 = portable scalar scan, 1 = SSE2, 2 = AVX2 (capped at what the CPU has),
  // -1 = the best available (the default).
  static void force_level_for_tests(int level);

  struct Word {
    std::string text;
    unsigned group;
    uint32_t first, second;  // offsets of the anchor bytes (first < second)
  };
  struct Anchor {
    uint32_t first, second;
    unsigned char a, b;
    std::vector<uint32_t> words;  // indices into words_
  };

 private:
  unsigned scan_scalar(std::string_view text) const;
  bool verify(const Anchor& anchor, const char* data, std::size_t n, std::size_t pos, unsigned& found) const;
  friend struct WordSetKernels;

  std::vector<Word> words_;
  std::vector<Anchor> anchors_;
  std::vector<std::string> short_words_;  // single bytes: memchr
  std::vector<unsigned> short_groups_;
  uint32_t max_second_ = 0;               // largest anchor offset: how far past a position a block reads
};

// The whole prefilter: `word` alone, or `word` together with one of `and_any_of`. One WordSet
// scan for every such word decides most files; only files it lets through (a few percent) are
// searched again for the conditions. The same scan also looks for `marker` (if not empty).
struct TriggerWords {
  std::string word;
  std::vector<std::string> and_any_of;
};

class Prefilter {
 public:
  explicit Prefilter(const std::vector<TriggerWords>& triggers, const std::string& marker = "");
  struct Result {
    bool candidate = false;  // a trigger holds
    bool marker = false;     // the marker occurs (only reported when no trigger holds)
  };
  Result check(std::string_view text) const;
  bool matches(std::string_view text) const { return check(text).candidate; }

 private:
  WordSet first_;
  std::vector<TriggerWords> triggers_;
  std::string marker_;
  bool conditional_ = false;
};

}  // namespace ecolint
