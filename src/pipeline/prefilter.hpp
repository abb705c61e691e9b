#pragma once
// The byte prefilter: does a file contain any of the enabled rules' trigger words? One pass over
// the bytes for all words (instead of one search per word). Each word is anchored on two of its
// bytes that are rare in source text (a frequency table measured on the CPython standard library),
// and words that share such a pair at the same distance share the anchor (max_batch_size,
// max-batch-size and batch_size all hold `b`...`z` 8 bytes apart). The scan compares 16 or 32
// positions at a time with SIMD (the "generic SIMD" substring filter described by W. Muła: compare
// a block with the first anchor byte and the block shifted by the distance with the second, AND
// the two), and only positions where both bytes sit are compared with the words. Off x86 the same
// test runs one position at a time.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/trigger.hpp"

namespace ecolint {

class WordSet {
 public:
  // Words in group 0 end the scan when found; words in other groups (at most 8 groups) are
  // recorded and the scan goes on.
  // A word also listed in `whole_words` is found only as a whole token (base/trigger.hpp).
  explicit WordSet(const std::vector<std::string>& words, const std::vector<std::string>& group1 = {},
                   const std::vector<std::string>& whole_words = {});
  bool any_in(std::string_view text) const { return (scan(text) & 1u) != 0; }
  // Bit g set: a word of group g occurs (bits of later groups may be missing once group 0 is found).
  unsigned scan(std::string_view text) const;

  // Tests only: 0 = portable scalar scan, 1 = SSE2, 2 = AVX2 (capped at what the CPU has),
  // -1 = the best available (the default).
  static void force_level_for_tests(int level);

  struct Word {
    std::string text;
    unsigned group;
    bool whole = false;
  };
  // Byte `a` at a position and byte `b` `distance` bytes later; the words holding that pair, each
  // with the offset of its `a` (a word may hold it more than once).
  struct Anchor {
    unsigned char a, b;
    uint32_t distance;
    std::vector<std::pair<uint32_t, uint32_t>> words;  // (index into words_, offset)
  };

 private:
  unsigned scan_scalar(const char* data, std::size_t n, std::size_t from, unsigned found) const;
  bool hit_at(const char* data, std::size_t n, std::size_t pos, unsigned& found) const;
  bool verify(const Anchor& anchor, const char* data, std::size_t n, std::size_t pos, unsigned& found) const;
  friend struct WordSetKernels;

  std::vector<Word> words_;
  std::vector<Anchor> anchors_;
  std::vector<std::string> short_words_;  // single bytes: memchr
  std::vector<unsigned> short_groups_;
  uint32_t max_distance_ = 0;             // how far past a position a block reads
};

// The whole prefilter: each trigger's `word` alone, or together with one of `and_any_of`, or near
// its `value_near`. One
// WordSet scan for every such word decides most files; in the files it lets through, a second scan
// for the words that need no condition decides most of the rest, and only then is each word that
// needs one (each searched once, whichever rules share it) looked up with its conditions. The first
// scan also looks for `marker` (if not empty).

// Whether `value` is written as a whole number within kValueReach bytes from `from` (base/trigger.hpp).
bool value_written_near(std::string_view text, std::size_t from, std::string_view value);
// Whether trigger `t` holds in `text` (its word, near its value if it has one, and a condition).
bool trigger_holds(std::string_view text, const Trigger& t);

class Prefilter {
 public:
  explicit Prefilter(const std::vector<Trigger>& triggers, const std::string& marker = "");
  struct Result {
    bool candidate = false;  // a trigger holds
    bool marker = false;     // the marker occurs (only reported when no trigger holds)
  };
  Result check(std::string_view text) const;
  bool matches(std::string_view text) const { return check(text).candidate; }

 private:
  Prefilter(const std::vector<Trigger>& triggers, const std::string& marker, const std::vector<std::string>& whole);
  WordSet first_;
  WordSet unconditional_;             // the words that need no condition
  std::vector<Trigger> conditional_;  // one per word, with every condition any trigger gives it
  std::string marker_;
};

}  // namespace ecolint
