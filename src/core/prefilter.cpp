#include "core/prefilter.hpp"

#include <cctype>
#include <cstring>

namespace ecolint {

namespace {

// How common a two-byte pair is in source text; lower is rarer. Pairs with punctuation, digits or
// an underscore are rare in prose and identifiers alike; common English letter pairs are not.
int commonness(unsigned char a, unsigned char b) {
  static const char* const kCommon[] = {"th", "he", "in", "er", "an", "re", "on", "at", "en", "nd", "ti", "es", "or",
                                        "te", "of", "ed", "is", "it", "al", "ar", "st", "to", "nt", "ng", "se", "ha",
                                        "as", "ou", "io", "le", "ve", "co", "me", "de", "hi", "ri", "ro", "ic", "ne",
                                        "ea", "ra", "ce", "li", "ch", "ll", "be", "ma", "si", "om", "ur", "ge", "ct",
                                        "el", "ss", "ta", "la", "ec", "ad", "pe", "et", "ne", "ac", "ei", "ol", "ca"};
  auto alpha = [](unsigned char c) { return std::isalpha(c) != 0; };
  if (!alpha(a) || !alpha(b)) return (a == ' ' || b == ' ' || a == '\n' || b == '\n') ? 60 : 0;
  char pair[3] = {static_cast<char>(std::tolower(a)), static_cast<char>(std::tolower(b)), 0};
  for (std::size_t i = 0; i < sizeof kCommon / sizeof *kCommon; ++i)
    if (std::strcmp(pair, kCommon[i]) == 0) return 100 - static_cast<int>(i);
  return 10;
}

inline unsigned pair_at(const char* p) {
  return static_cast<unsigned char>(p[0]) | (static_cast<unsigned>(static_cast<unsigned char>(p[1])) << 8);
}

}  // namespace

WordSet::WordSet(const std::vector<std::string>& words) : bits_(65536 / 64, 0), by_pair_(65536) {
  for (const auto& w : words) {
    if (w.empty()) continue;
    if (w.size() == 1) {
      short_words_.push_back(w);
      continue;
    }
    std::size_t best = 0;
    int best_score = 1 << 30;
    for (std::size_t i = 0; i + 1 < w.size(); ++i) {
      int score = commonness(static_cast<unsigned char>(w[i]), static_cast<unsigned char>(w[i + 1]));
      if (score < best_score) best_score = score, best = i;
    }
    unsigned pair = pair_at(w.data() + best);
    bits_[pair >> 6] |= uint64_t{1} << (pair & 63);
    by_pair_[pair].push_back({w, best});
  }
}

bool WordSet::any_in(std::string_view text) const {
  for (const auto& w : short_words_)
    if (std::memchr(text.data(), w[0], text.size())) return true;
  const char* data = text.data();
  std::size_t n = text.size();
  if (n < 2) return false;
  for (std::size_t i = 0; i + 1 < n; ++i) {
    unsigned pair = pair_at(data + i);
    if (!(bits_[pair >> 6] >> (pair & 63) & 1)) continue;
    for (const auto& a : by_pair_[pair]) {
      if (i < a.offset) continue;
      std::size_t start = i - a.offset;
      if (start + a.word.size() <= n && std::memcmp(data + start, a.word.data(), a.word.size()) == 0) return true;
    }
  }
  return false;
}

}  // namespace ecolint
