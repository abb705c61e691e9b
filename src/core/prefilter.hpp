#pragma once
// The byte prefilter: does a file contain any of the enabled rules' trigger words? One pass over
// the bytes for all words (instead of one search per word): each word is anchored on its rarest
// two-byte pair, a 64 Ki-bit table says which pairs start a check, and only those positions are
// compared with the words.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ecolint {

class WordSet {
 public:
  explicit WordSet(const std::vector<std::string>& words);
  bool any_in(std::string_view text) const;

 private:
  struct Anchored {
    std::string word;
    std::size_t offset;  // where the anchor pair sits in the word
  };
  std::vector<uint64_t> bits_;                     // 65,536 bits: anchor pairs
  std::vector<std::vector<Anchored>> by_pair_;     // indexed by pair (sparse: empty for most)
  std::vector<std::string> short_words_;           // words of one byte, checked with memchr
};

}  // namespace ecolint
