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
#include <optional>
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
  unsigned scan(std::string_view text) const { return static_cast<unsigned>(scan_bits(text)); }

  // A set that tells which of its words occur: word i (at most 63 of them, found anywhere) sets bit
  // i; a word of `stop_words` (found as a whole token if also in `whole_words`) sets bit 63 and
  // ends the scan.
  static WordSet each(const std::vector<std::string>& words, const std::vector<std::string>& stop_words,
                      const std::vector<std::string>& whole_words);
  static constexpr unsigned kMaxEach = 63;
  uint64_t scan_bits(std::string_view text) const;
  // Whether scans compare many positions at once (not past kMaxSimdAnchors anchors).
  bool simd_sized() const;

  // Tests only: 0 = portable scalar scan, 1 = SSE2, 2 = AVX2 (capped at what the CPU has),
  // -1 = the best available (the default).
  static void force_level_for_tests(int level);

  struct Word {
    std::string text;
    uint64_t bit;       // what finding it sets
    bool stops;         // finding it ends the scan
    bool whole = false;
  };
  // Byte `a` at a position and byte `b` `distance` bytes later; the words holding that pair, each
  // with the offset of its `a` (a word may hold it more than once).
  struct Anchor {
    unsigned char a, b;
    uint32_t distance;
    std::vector<std::pair<uint32_t, uint32_t>> words;  // (index into words_, offset)
    // The bits its words set, once all are found a scan stops looking for it (0: never; one of
    // its words ends the scan).
    uint64_t bits = 0;
  };

 private:
  struct Built {};
  WordSet(Built, std::vector<Word> words);
  void build_anchors();
  uint64_t scan_scalar(const char* data, std::size_t n, std::size_t from, uint64_t found) const;
  bool hit_at(const char* data, std::size_t n, std::size_t pos, uint64_t& found) const;
  bool verify(const Anchor& anchor, const char* data, std::size_t n, std::size_t pos, uint64_t& found) const;
  // The AVX2 scan: each word's rarest window of 4 bytes (3 when a word is that short) is its
  // fingerprint, and the words are spread over 8 buckets; per 32 positions, 8 (or 6) nibble-table
  // lookups tell which buckets' fingerprints may start at each (the "Teddy" multi-literal filter
  // of Intel's Hyperscan). Only when every word is 3 bytes or longer.
  void build_teddy();
  bool teddy_verify(unsigned buckets, const char* data, std::size_t n, std::size_t pos, uint64_t& found) const;
  uint64_t teddy_scalar(const char* data, std::size_t n, std::size_t from, uint64_t found) const;
  friend struct WordSetKernels;

  std::vector<Word> words_;
  std::vector<Anchor> anchors_;
  std::vector<Word> short_words_;  // single bytes: memchr
  uint32_t max_distance_ = 0;             // how far past a position a block reads
  bool teddy_ = false;
  uint32_t teddy_width_ = 0;                                   // fingerprint bytes: 3 or 4
  unsigned char teddy_lo_[4][16] = {}, teddy_hi_[4][16] = {};  // per window byte, per nibble: buckets
  std::vector<std::pair<uint32_t, uint32_t>> teddy_buckets_[8];  // (index into words_, window offset)
};

// The whole prefilter: each trigger's `word` alone, or together with one of `and_any_of`, or near
// its `value_near`. One WordSet scan for every such word decides most files; in the files it lets
// through, a second scan for the words that need no condition (ending at the first) and for the
// words that need one (recording which occur) decides most of the rest; only for a word that
// occurs are its conditions scanned for (ending at the first), and only then is the trigger looked
// up with its conditions. The first scan also looks for `marker` (if not empty).

// Whether `value` is written as a whole number within kValueReach bytes from `from` (base/trigger.hpp).
bool value_written_near(std::string_view text, std::size_t from, std::string_view value);
// The byte ranges of the logical lines of Python `text` that are inside a loop (base/trigger.hpp:
// `in_loop`); nullopt when the lines cannot be told apart.
std::optional<std::vector<std::pair<std::size_t, std::size_t>>> lines_in_loops(std::string_view text);

// The byte ranges of Python `text` that are not code: string literals (quotes included; f-strings
// excepted, their braces hold code) and comments. nullopt when a string is unterminated.
std::optional<std::vector<std::pair<std::size_t, std::size_t>>> python_non_code(std::string_view text);
// The byte ranges of Python `text`'s string literals, f-strings included (quotes and prefixes
// included; comments are not strings). nullopt when a string is unterminated.
std::optional<std::vector<std::pair<std::size_t, std::size_t>>> python_strings(std::string_view text);

// Which offsets of one Python text are inside a loop's lines, which are code (not a string or a
// comment) and which are inside a string literal, each worked out on first use and kept: the
// triggers checked on one file share them.
class PythonLayout {
 public:
  explicit PythonLayout(std::string_view text) : text_(text) {}
  bool in_loop(std::size_t at);  // every offset counts where the lines cannot be told apart
  bool in_code(std::size_t at);  // every offset counts where the strings cannot be told apart
  bool in_string(std::size_t at);  // likewise

 private:
  using Ranges = std::vector<std::pair<std::size_t, std::size_t>>;
  std::string_view text_;
  std::optional<std::optional<Ranges>> loops_, non_code_, strings_;
};

// Whether trigger `t` holds in `text` (its word, near its value if it has one, and a condition).
// `python`: whether `text` is Python source (else a word wanted in a loop counts anywhere).
// `layout`: the text's PythonLayout, when the caller checks several triggers on it.
bool trigger_holds(std::string_view text, const Trigger& t, bool python = true, PythonLayout* layout = nullptr);

class Prefilter {
 public:
  explicit Prefilter(const std::vector<Trigger>& triggers, const std::string& marker = "");
  struct Result {
    bool candidate = false;  // a trigger holds
    bool marker = false;     // the marker occurs (only reported when no trigger holds)
  };
  // `python`: whether `text` is Python source, where a word wanted in a loop (Trigger::in_loop)
  // counts only there; in other text (YAML, a shell script, a notebook's JSON) it counts anywhere.
  Result check(std::string_view text, bool python = true) const;
  // Tests only: whether both scans are small enough for SIMD.
  bool simd_sized() const;
  bool matches(std::string_view text, bool python = true) const { return check(text, python).candidate; }

 private:
  Prefilter(const std::vector<Trigger>& triggers, const std::string& marker, const std::vector<std::string>& whole);
  WordSet first_;
  std::vector<Trigger> conditional_;  // one per word, with every condition any trigger gives it
  // The words that need no condition (bit 63), and each word of a conditional trigger (bits
  // 0-62): which conditional triggers are worth checking.
  WordSet second_;
  std::vector<uint64_t> word_bits_;                    // per conditional_ entry: its word's bit (0: none)
  std::vector<std::optional<WordSet>> conditions_;  // per conditional_ entry: its conditions (or none)
  std::string marker_;
};

}  // namespace ecolint
