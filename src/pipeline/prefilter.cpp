#include "pipeline/prefilter.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <unordered_map>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define ECOLINT_X86 1
#endif

namespace ecolint {

namespace {

// How often each byte occurs in source text, per mille: measured by us over 11.7 MB of the
// CPython 3.11 standard library (.py files). Unlisted printable ASCII counts as 1.0, other
// bytes as 0.5. Only the ranking matters: it picks each word's anchor bytes.
double byte_frequency(unsigned char c) {
  static const struct {
    char c;
    double per_mille;
  } kMeasured[] = {
      {' ', 298.1}, {'e', 64.3}, {'t', 41.3}, {'s', 36.1}, {'r', 34.5}, {'n', 32.9}, {'a', 32.7}, {'i', 31.4},
      {'o', 30.8},  {'\n', 27.0}, {'l', 24.4}, {'d', 18.6}, {'c', 17.8}, {'f', 17.4}, {'_', 14.2}, {'p', 14.0},
      {'u', 13.9},  {'\'', 13.7}, {'m', 12.3}, {'h', 11.1}, {'.', 11.1}, {',', 9.2}, {')', 9.0}, {'(', 9.0},
      {'0', 8.2},   {'"', 7.6},  {'g', 7.6},  {'T', 7.6},  {'E', 7.3},  {':', 7.2}, {'x', 6.8}, {'=', 6.8},
      {'b', 6.8},   {'A', 5.8},  {'-', 5.8},  {'I', 5.7},  {'L', 5.7},  {'y', 5.7}, {'#', 5.3}, {'N', 4.7},
      {'R', 4.3},   {'w', 4.2},  {'S', 3.6},  {'v', 3.5},  {'k', 3.4},  {'C', 3.3}, {'O', 2.9}, {'\\', 2.7},
      {'>', 2.5},   {'D', 2.4},  {'1', 2.3},  {'P', 2.2},  {'2', 2.0},  {'M', 1.8}, {'F', 1.7}, {'H', 1.6},
      {'U', 1.5},   {']', 1.4},  {'[', 1.4},  {'G', 1.4},  {'*', 1.2},  {'B', 1.2}, {'3', 1.2}, {'5', 1.1}};
  for (const auto& m : kMeasured)
    if (static_cast<unsigned char>(m.c) == c) return m.per_mille;
  return c >= 0x20 && c < 0x7f ? 1.0 : 0.5;
}

constexpr std::size_t kMaxSimdAnchors = 64;  // more anchors than this: the scalar scan
std::atomic<int> forced_level{-1};

int cpu_level() {
#ifdef ECOLINT_X86
  static const int level = __builtin_cpu_supports("avx2") ? 2 : (__builtin_cpu_supports("sse2") ? 1 : 0);
  return level;
#else
  return 0;
#endif
}

// A letter, digit or `_`: what a whole word (Trigger::whole_word) and a keyword may not touch.
bool word_byte(char c) {
  auto u = static_cast<unsigned char>(c);
  return (u | 0x20u) - 'a' < 26u || static_cast<unsigned>(u) - '0' < 10u || u == '_';
}

// Whether text[at, at + length) is a whole token in the sense of Trigger::whole_word.
bool whole_token(std::string_view text, std::size_t at, std::size_t length) {
  if (at > 0 && word_byte(text[at - 1]) &&
      !(at >= 2 && text[at - 2] == '\\' && (text[at - 1] == 'n' || text[at - 1] == 't' || text[at - 1] == 'r')))
    return false;
  std::size_t end = at + length;
  return end >= text.size() || !word_byte(text[end]);
}

}  // namespace

void WordSet::force_level_for_tests(int level) { forced_level = level; }
bool WordSet::simd_sized() const { return anchors_.size() <= kMaxSimdAnchors; }

namespace {
bool listed(const std::vector<std::string>& list, const std::string& w) {
  return std::find(list.begin(), list.end(), w) != list.end();
}
}  // namespace

WordSet::WordSet(const std::vector<std::string>& words, const std::vector<std::string>& group1,
                 const std::vector<std::string>& whole_words) {
  for (const auto& list : {&words, &group1}) {
    unsigned group = list == &words ? 0 : 1;
    for (const auto& w : *list)
      if (!w.empty()) words_.push_back({w, uint64_t{1} << group, group == 0, listed(whole_words, w)});
  }
  build_anchors();
}

WordSet::WordSet(Built, std::vector<Word> words) : words_(std::move(words)) { build_anchors(); }

WordSet WordSet::each(const std::vector<std::string>& words, const std::vector<std::string>& stop_words,
                      const std::vector<std::string>& whole_words) {
  std::vector<Word> all;
  for (std::size_t i = 0; i < words.size() && i < kMaxEach; ++i)
    if (!words[i].empty()) all.push_back({words[i], uint64_t{1} << i, false, false});
  for (const auto& w : stop_words)
    if (!w.empty()) all.push_back({w, uint64_t{1} << kMaxEach, true, listed(whole_words, w)});
  return WordSet(Built{}, std::move(all));
}

void WordSet::build_anchors() {
  // A word given twice (rules share trigger words) is looked for once. Single bytes are looked up
  // with memchr; the rest through anchors.
  std::vector<Word> longer;
  for (auto& w : words_) {
    auto& list = w.text.size() == 1 ? short_words_ : longer;
    bool repeated = std::any_of(list.begin(), list.end(), [&w](const Word& o) {
      return o.text == w.text && o.bit == w.bit && o.stops == w.stops && o.whole == w.whole;
    });
    if (!repeated) list.push_back(std::move(w));
  }
  words_ = std::move(longer);
  // Each word's acceptable anchors: byte pairs (a, b, distance) at most 4 times as likely as its
  // rarest pair. Then, greedily, the anchor that serves the most words not yet served.
  struct Candidate {
    unsigned char a, b;
    uint32_t distance;
    double p;
  };
  auto frequency = [](char c) { return byte_frequency(static_cast<unsigned char>(c)) / 1000.0; };
  std::vector<std::vector<Candidate>> candidates(words_.size());
  for (std::size_t k = 0; k < words_.size(); ++k) {
    const std::string& w = words_[k].text;
    double best = 2.0;
    for (std::size_t i = 0; i + 1 < w.size(); ++i)
      for (std::size_t j = i + 1; j < w.size(); ++j) best = std::min(best, frequency(w[i]) * frequency(w[j]));
    for (std::size_t i = 0; i + 1 < w.size(); ++i)
      for (std::size_t j = i + 1; j < w.size(); ++j) {
        double p = frequency(w[i]) * frequency(w[j]);
        if (p <= 4 * best)
          candidates[k].push_back({static_cast<unsigned char>(w[i]), static_cast<unsigned char>(w[j]),
                                   static_cast<uint32_t>(j - i), p});
      }
  }
  // The words each (a, b, distance) serves, each word once, so that a round of the greedy choice
  // counts a candidate's words by one lookup (it compared every candidate with every word's list,
  // which took most of the start-up's time).
  auto key_of = [](const Candidate& c) { return (uint64_t{c.a} << 40) | (uint64_t{c.b} << 32) | c.distance; };
  std::unordered_map<uint64_t, std::vector<std::size_t>> words_of;
  for (std::size_t k = 0; k < words_.size(); ++k)
    for (const Candidate& c : candidates[k]) {
      auto& list = words_of[key_of(c)];
      if (list.empty() || list.back() != k) list.push_back(k);
    }
  std::vector<bool> served(words_.size(), false);
  auto unserved = [&](const std::vector<std::size_t>& list) {
    return static_cast<std::size_t>(std::count_if(list.begin(), list.end(), [&](std::size_t m) { return !served[m]; }));
  };
  for (;;) {
    const Candidate* pick = nullptr;
    std::size_t pick_count = 0;
    for (std::size_t k = 0; k < words_.size(); ++k) {
      if (served[k]) continue;
      for (const Candidate& c : candidates[k]) {
        std::size_t count = unserved(words_of[key_of(c)]);
        if (count > pick_count || (count == pick_count && pick && c.p < pick->p)) pick = &c, pick_count = count;
      }
    }
    if (!pick) break;
    Anchor anchor{pick->a, pick->b, pick->distance, {}};
    for (std::size_t m : words_of[key_of(*pick)]) {
      if (served[m]) continue;
      served[m] = true;
      const std::string& w = words_[m].text;
      for (std::size_t i = 0; i + anchor.distance < w.size(); ++i)
        if (static_cast<unsigned char>(w[i]) == anchor.a && static_cast<unsigned char>(w[i + anchor.distance]) == anchor.b)
          anchor.words.emplace_back(static_cast<uint32_t>(m), static_cast<uint32_t>(i));
    }
    for (const auto& [m, offset] : anchor.words) anchor.bits |= words_[m].bit;
    if (std::any_of(anchor.words.begin(), anchor.words.end(), [this](const auto& w) { return words_[w.first].stops; }))
      anchor.bits = 0;
    max_distance_ = std::max(max_distance_, anchor.distance);
    anchors_.push_back(std::move(anchor));
  }
  build_teddy();
}

void WordSet::build_teddy() {
  teddy_ = !words_.empty() && std::all_of(words_.begin(), words_.end(), [](const Word& w) { return w.text.size() >= 3; });
  if (!teddy_) return;
  const std::size_t width = std::all_of(words_.begin(), words_.end(), [](const Word& w) { return w.text.size() >= 4; }) ? 4 : 3;
  teddy_width_ = static_cast<uint32_t>(width);
  // Each word's rarest window, by the same byte frequencies as the anchors.
  struct Print {
    std::string bytes;
    uint32_t word, offset;
  };
  std::vector<Print> prints;
  for (std::size_t k = 0; k < words_.size(); ++k) {
    const std::string& w = words_[k].text;
    std::size_t best = 0;
    double best_p = 2.0;
    for (std::size_t o = 0; o + width <= w.size(); ++o) {
      double p = 1.0;
      for (std::size_t j = 0; j < width; ++j) p *= byte_frequency(static_cast<unsigned char>(w[o + j])) / 1000.0;
      if (p < best_p) best_p = p, best = o;
    }
    prints.push_back({w.substr(best, width), static_cast<uint32_t>(k), static_cast<uint32_t>(best)});
  }
  // Similar fingerprints share a bucket (fewer nibble combinations that let a position through):
  // sorted, then cut into 8 runs of about equal length.
  std::sort(prints.begin(), prints.end(), [](const Print& a, const Print& b) { return a.bytes < b.bytes; });
  const std::size_t buckets = std::min<std::size_t>(8, prints.size());
  for (std::size_t i = 0; i < prints.size(); ++i) {
    std::size_t bucket = i * buckets / prints.size();
    const Print& p = prints[i];
    teddy_buckets_[bucket].emplace_back(p.word, p.offset);
    for (std::size_t j = 0; j < width; ++j) {
      auto c = static_cast<unsigned char>(p.bytes[j]);
      teddy_lo_[j][c & 15] |= static_cast<unsigned char>(1u << bucket);
      teddy_hi_[j][c >> 4] |= static_cast<unsigned char>(1u << bucket);
    }
  }
}

// The words of `buckets` whose window may start at `pos`: each compared in full where it would start.
bool WordSet::teddy_verify(unsigned buckets, const char* d, std::size_t n, std::size_t pos, uint64_t& found) const {
  while (buckets) {
    unsigned b = static_cast<unsigned>(__builtin_ctz(buckets));
    buckets &= buckets - 1;
    for (const auto& [k, offset] : teddy_buckets_[b]) {
      const Word& w = words_[k];
      if (pos < offset || (!w.stops && (found & w.bit))) continue;  // a found word is not looked for again
      std::size_t start = pos - offset;
      if (start + w.text.size() <= n && std::memcmp(d + start, w.text.data(), w.text.size()) == 0 &&
          (!w.whole || whole_token(std::string_view(d, n), start, w.text.size()))) {
        found |= w.bit;
        if (w.stops) return true;
      }
    }
  }
  return false;
}

// The same test one position at a time (the tail of an AVX2 scan): windows starting at `from` on.
uint64_t WordSet::teddy_scalar(const char* d, std::size_t n, std::size_t from, uint64_t found) const {
  for (std::size_t p = from; p + teddy_width_ <= n; ++p) {
    unsigned buckets = 0xFF;
    for (std::size_t j = 0; j < teddy_width_; ++j) {
      auto c = static_cast<unsigned char>(d[p + j]);
      buckets &= teddy_lo_[j][c & 15] & teddy_hi_[j][c >> 4];
    }
    if (buckets && teddy_verify(buckets, d, n, p, found)) return found;
  }
  return found;
}

bool WordSet::verify(const Anchor& anchor, const char* data, std::size_t n, std::size_t pos, uint64_t& found) const {
  for (const auto& [k, offset] : anchor.words) {
    if (pos < offset) continue;
    const Word& w = words_[k];
    std::size_t start = pos - offset;
    if (start + w.text.size() <= n && std::memcmp(data + start, w.text.data(), w.text.size()) == 0 &&
        (!w.whole || whole_token(std::string_view(data, n), start, w.text.size()))) {
      found |= w.bit;
      if (w.stops) return true;
    }
  }
  return false;
}

// Whether a word starts at or around `p` through one of the anchors (both its bytes in place).
bool WordSet::hit_at(const char* d, std::size_t n, std::size_t p, uint64_t& found) const {
  for (const Anchor& a : anchors_)
    if (p + a.distance < n && static_cast<unsigned char>(d[p]) == a.a &&
        static_cast<unsigned char>(d[p + a.distance]) == a.b && verify(a, d, n, p, found))
      return true;
  return false;
}

// One position at a time from `from`: the whole scan off x86, the tail of a SIMD scan.
uint64_t WordSet::scan_scalar(const char* d, std::size_t n, std::size_t from, uint64_t found) const {
  for (std::size_t pos = from; pos < n; ++pos)
    if (hit_at(d, n, pos, found)) return found;
  return found;
}

#ifdef ECOLINT_X86
// The block loop: `pos` runs over anchor positions WIDTH at a time while every load stays inside
// the text; the rest is finished one position at a time. An anchor whose words have all been found
// (none of which ends the scan) is dropped from the loop: a file that holds `tok` a thousand times
// is compared with it once. A macro, not a template, so that the AVX2 copy is compiled entirely
// under its target attribute (GCC cannot inline across targets).
#define ECOLINT_WORDSET_KERNEL(VEC, WIDTH, SET1, LOADU, ZERO, OR, AND, CMPEQ, MOVEMASK)                \
  uint64_t found = 0;                                                                                   \
  std::size_t k = 0;                                                                                    \
  VEC va[kMaxSimdAnchors], vb[kMaxSimdAnchors];                                                         \
  const WordSet::Anchor* live[kMaxSimdAnchors];                                                         \
  for (const WordSet::Anchor& an : s.anchors_) {                                                        \
    va[k] = SET1(static_cast<char>(an.a)), vb[k] = SET1(static_cast<char>(an.b));                       \
    live[k++] = &an;                                                                                    \
  }                                                                                                     \
  std::size_t pos = 0;                                                                                  \
  const std::size_t reach = s.max_distance_ + (WIDTH);                                                  \
  for (; pos + reach <= n; pos += (WIDTH)) {                                                            \
    VEC here = LOADU(reinterpret_cast<const VEC*>(d + pos));                                            \
    VEC any = ZERO();                                                                                   \
    for (std::size_t i = 0; i < k; ++i) {                                                               \
      VEC there = LOADU(reinterpret_cast<const VEC*>(d + pos + live[i]->distance));                     \
      any = OR(any, AND(CMPEQ(here, va[i]), CMPEQ(there, vb[i])));                                      \
    }                                                                                                   \
    uint32_t mask = static_cast<uint32_t>(MOVEMASK(any));                                               \
    if (!mask) continue;                                                                                \
    const uint64_t before = found;                                                                      \
    while (mask) {                                                                                      \
      std::size_t p = pos + static_cast<std::size_t>(__builtin_ctz(mask));                              \
      mask &= mask - 1;                                                                                 \
      for (std::size_t i = 0; i < k; ++i) {                                                             \
        const WordSet::Anchor& an = *live[i];                                                           \
        if (static_cast<unsigned char>(d[p]) == an.a &&                                                 \
            static_cast<unsigned char>(d[p + an.distance]) == an.b && s.verify(an, d, n, p, found))     \
          return found;                                                                                 \
      }                                                                                                 \
    }                                                                                                   \
    if (found == before) continue;                                                                      \
    std::size_t kept = 0;                                                                               \
    for (std::size_t i = 0; i < k; ++i)                                                                 \
      if (!live[i]->bits || (found & live[i]->bits) != live[i]->bits)                                   \
        va[kept] = va[i], vb[kept] = vb[i], live[kept++] = live[i];                                     \
    k = kept;                                                                                           \
    if (k == 0) return found;                                                                           \
  }                                                                                                     \
  return s.scan_scalar(d, n, pos, found);

struct WordSetKernels {
  // Teddy: per 32 positions, the buckets whose fingerprint's bytes can be at that position and
  // the next three (or two) (the lookups by low and high nibble, ANDed), then the words of those
  // buckets compared where they would start.
  __attribute__((target("avx2"))) static uint64_t teddy(const WordSet& s, const char* d, std::size_t n) {
    uint64_t found = 0;
    const __m256i low = _mm256_set1_epi8(0x0F);
    const std::size_t width = s.teddy_width_;
    __m256i lo[4], hi[4];
    for (std::size_t j = 0; j < width; ++j) {
      lo[j] = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s.teddy_lo_[j])));
      hi[j] = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s.teddy_hi_[j])));
    }
    std::size_t pos = 0;
    alignas(32) unsigned char buckets[32];
    for (; pos + 31 + width <= n; pos += 32) {
      __m256i m = _mm256_set1_epi8(-1);
      for (std::size_t j = 0; j < width; ++j) {
        __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(d + pos + j));
        __m256i l = _mm256_and_si256(v, low);
        __m256i h = _mm256_and_si256(_mm256_srli_epi16(v, 4), low);
        m = _mm256_and_si256(m, _mm256_and_si256(_mm256_shuffle_epi8(lo[j], l), _mm256_shuffle_epi8(hi[j], h)));
      }
      auto hits = ~static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(m, _mm256_setzero_si256())));
      if (!hits) continue;
      _mm256_store_si256(reinterpret_cast<__m256i*>(buckets), m);
      while (hits) {
        unsigned i = static_cast<unsigned>(__builtin_ctz(hits));
        hits &= hits - 1;
        if (s.teddy_verify(buckets[i], d, n, pos + i, found)) return found;
      }
    }
    return s.teddy_scalar(d, n, pos, found);
  }

  static uint64_t sse2(const WordSet& s, const char* d, std::size_t n) {
    ECOLINT_WORDSET_KERNEL(__m128i, 16, _mm_set1_epi8, _mm_loadu_si128, _mm_setzero_si128, _mm_or_si128, _mm_and_si128,
                           _mm_cmpeq_epi8, _mm_movemask_epi8)
  }
  __attribute__((target("avx2"))) static uint64_t avx2(const WordSet& s, const char* d, std::size_t n) {
    ECOLINT_WORDSET_KERNEL(__m256i, 32, _mm256_set1_epi8, _mm256_loadu_si256, _mm256_setzero_si256, _mm256_or_si256,
                           _mm256_and_si256, _mm256_cmpeq_epi8, _mm256_movemask_epi8)
  }
};
#endif

uint64_t WordSet::scan_bits(std::string_view text) const {
  uint64_t found = 0;
  for (const Word& w : short_words_)
    if (std::memchr(text.data(), w.text[0], text.size())) {
      found |= w.bit;
      if (w.stops) return found;
    }
  if (anchors_.empty()) return found;
  int level = cpu_level();
  if (forced_level >= 0) level = std::min(level, forced_level.load());
  if (anchors_.size() > kMaxSimdAnchors) level = 0;
#ifdef ECOLINT_X86
  if (level == 2 && teddy_) return found | WordSetKernels::teddy(*this, text.data(), text.size());
  if (level == 2) return found | WordSetKernels::avx2(*this, text.data(), text.size());
  if (level == 1) return found | WordSetKernels::sse2(*this, text.data(), text.size());
#endif
  return scan_scalar(text.data(), text.size(), 0, found);
}

namespace {
bool unconditional(const Trigger& t) {
  return t.and_any_of.empty() && t.value_near.empty() && !t.in_loop && !t.code_word && !t.string_word;
}
std::vector<std::string> first_words(const std::vector<Trigger>& triggers, bool only_unconditional) {
  std::vector<std::string> words;
  for (const auto& t : triggers)
    if (!only_unconditional || unconditional(t)) words.push_back(t.word);
  return words;
}
// The words every trigger that has them needs whole (one that does not makes the word plain).
std::vector<std::string> whole_words(const std::vector<Trigger>& triggers) {
  std::vector<std::string> words;
  for (const auto& t : triggers)
    if (t.whole_word && std::none_of(triggers.begin(), triggers.end(),
                                     [&t](const Trigger& u) { return u.word == t.word && !u.whole_word; }))
      words.push_back(t.word);
  return words;
}
// The conditional triggers, one per word and value: a word that is also unconditional is left out
// (the unconditional scan decides it); the conditions of a word several triggers share with the
// same value are merged (an empty list, no condition, absorbs any other).
std::vector<Trigger> conditional_words(const std::vector<Trigger>& triggers) {
  std::vector<Trigger> out;
  for (const auto& t : triggers) {
    if (unconditional(t) || t.word.empty()) continue;
    bool also_unconditional = std::any_of(triggers.begin(), triggers.end(), [&t](const Trigger& u) {
      return unconditional(u) && u.word == t.word;
    });
    if (also_unconditional) continue;
    auto same = std::find_if(out.begin(), out.end(), [&t](const Trigger& o) {
      return o.word == t.word && o.value_near == t.value_near && o.whole_word == t.whole_word && o.in_loop == t.in_loop &&
             o.code_word == t.code_word && o.code_conditions == t.code_conditions &&
             o.string_conditions == t.string_conditions && o.whole_conditions == t.whole_conditions &&
             o.string_word == t.string_word;
    });
    if (same == out.end()) {
      out.push_back(t);
      continue;
    }
    if (same->and_any_of.empty() || t.and_any_of.empty()) {
      same->and_any_of.clear();
      continue;
    }
    for (const auto& w : t.and_any_of)
      if (std::find(same->and_any_of.begin(), same->and_any_of.end(), w) == same->and_any_of.end())
        same->and_any_of.push_back(w);
  }
  return out;
}
bool contains(std::string_view text, const std::string& word) {
  return !word.empty() && ::memmem(text.data(), text.size(), word.data(), word.size()) != nullptr;
}
}  // namespace

bool value_written_near(std::string_view text, std::size_t from, std::string_view value) {
  if (value.empty()) return true;
  std::size_t end = std::min(text.size(), from + kValueReach);
  auto value_at = [&](std::size_t i) {
    if (text.compare(i, value.size(), value) != 0) return false;
    // A whole number: not inside a word or a longer number (`16`, `0.1`, `v1`, `1e3`); `1.0` is one.
    if (i > 0 && text[i - 1] == '.') return false;
    std::size_t after = i + value.size();
    if (after + 1 < text.size() && text[after] == '.' && text[after + 1] == '0') after += 2;
    return whole_token(text, i, after - i) && !(after < text.size() && text[after] == '.');
  };
  // A quoted name (`"max_num_seqs": 1`, `["--max-num-seqs", "1"]`, an argparse option with its
  // `default=1`): the value may follow anywhere within reach.
  bool quoted = from < text.size() && (text[from] == '"' || text[from] == '\'' ||
                                       (text[from] == '\\' && from + 1 < text.size() && text[from + 1] == '"'));
  if (quoted) {
    for (std::size_t at = from; at < end;) {
      const void* hit = std::memchr(text.data() + at, value[0], end - at);
      if (!hit) return false;
      std::size_t i = static_cast<std::size_t>(static_cast<const char*>(hit) - text.data());
      if (value_at(i)) return true;
      at = i + 1;
    }
    return false;
  }
  // A bare name: only separators before the value (`=1`, `: 1`, ` 1`, `: "1"`, a YAML list's next
  // item `\n  - "1"`, a Kubernetes env entry's `\n  value: "1"`, a typed default `: int = 1`), so
  // neither `(batch_size, 1, dim)` nor `batch_size == 1` is one.
  for (std::size_t i = from; i < end;) {
    char c = text[i];
    if (c == value[0] && value_at(i)) return true;
    if (c == '=' && i + 1 < text.size() && text[i + 1] == '=') return false;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '=' || c == ':' || c == '-' || c == '"' || c == '\'') {
      ++i;
    } else if (c == '\\') {  // a line continuation, or an escape in a JSON string (\n, \")
      i += (i + 1 < text.size() && std::strchr("ntr\"'", text[i + 1]) && text[i + 1] != '\0') ? 2 : 1;
    } else if (text.compare(i, 6, "value:") == 0) {
      i += 6;
    } else if (text.compare(i, 3, "int") == 0 && i > from && text[i - 1] == ' ') {
      i += 3;
    } else {
      return false;
    }
  }
  return false;
}

namespace {
// The end of the Python string literal whose opening quote is at t[i] (past its closing quote), or
// nullopt when it is unterminated (a plain string stops at a line's end).
std::optional<std::size_t> python_string_end(std::string_view t, std::size_t i) {
  const std::size_t n = t.size();
  const char c = t[i];
  bool triple = i + 2 < n && t[i + 1] == c && t[i + 2] == c;
  for (std::size_t k = i + (triple ? 3 : 1);;) {
    if (k >= n) return std::nullopt;
    if (t[k] == '\\') {
      k += 2;
      continue;
    }
    if (triple ? (k + 2 < n && t[k] == c && t[k + 1] == c && t[k + 2] == c) : t[k] == c) return k + (triple ? 3 : 1);
    if (!triple && (t[k] == '\n' || t[k] == '\r')) return std::nullopt;
    ++k;
  }
}

// Whether `at` lies in one of `ranges` (sorted, not overlapping).
bool in_ranges(const std::vector<std::pair<std::size_t, std::size_t>>& ranges, std::size_t at) {
  auto after = std::upper_bound(ranges.begin(), ranges.end(), at,
                                [](std::size_t a, const std::pair<std::size_t, std::size_t>& r) { return a < r.first; });
  return after != ranges.begin() && at < std::prev(after)->second;
}

// Whether `word` is written at `at` as a whole word.
bool keyword_at(std::string_view text, std::size_t at, std::string_view word) {
  return text.compare(at, word.size(), word) == 0 && (at == 0 || !word_byte(text[at - 1])) &&
         (at + word.size() >= text.size() || !word_byte(text[at + word.size()]));
}
}  // namespace

std::optional<std::vector<std::pair<std::size_t, std::size_t>>> lines_in_loops(std::string_view t) {
  enum Kind : char { Loop, Function };
  struct Block {
    std::size_t indent;
    Kind kind;
  };
  std::vector<Block> open;  // the headers enclosing the current line, outermost first
  std::vector<std::pair<std::size_t, std::size_t>> out;
  const std::size_t n = t.size();
  std::size_t i = 0, depth = 0;
  while (i < n) {
    // A logical line: its indentation (a tab to the next multiple of 8, as Python counts it).
    std::size_t indent = 0, j = i;
    for (; j < n && (t[j] == ' ' || t[j] == '\t' || t[j] == '\f'); ++j)
      indent = t[j] == '\t' ? (indent / 8 + 1) * 8 : (t[j] == '\f' ? 0 : indent + 1);
    if (j >= n) break;
    if (t[j] == '\n' || t[j] == '\r') {  // a blank line
      i = j + 1;
      continue;
    }
    if (t[j] == '#') {  // a comment line: no statement, no block ends
      while (j < n && t[j] != '\n' && t[j] != '\r') ++j;
      i = j;
      continue;
    }
    std::size_t begin = j;
    while (!open.empty() && open.back().indent >= indent) open.pop_back();
    std::size_t word = j;
    if (keyword_at(t, word, "async"))
      for (word += 5; word < n && (t[word] == ' ' || t[word] == '\t'); ++word) {
      }
    std::optional<Kind> header;
    if (keyword_at(t, word, "for") || keyword_at(t, word, "while")) header = Loop;
    if (keyword_at(t, word, "def") || keyword_at(t, word, "class")) header = Function;
    bool comprehension = false;
    std::size_t k = j;
    while (k < n) {
      char c = t[k];
      if (c == '"' || c == '\'') {
        auto end = python_string_end(t, k);
        if (!end) return std::nullopt;  // an unterminated string
        k = *end;
        continue;
      }
      if (c == '#') {
        while (k < n && t[k] != '\n' && t[k] != '\r') ++k;
        continue;
      }
      if (c == '\\' && k + 1 < n && (t[k + 1] == '\n' || t[k + 1] == '\r')) {  // a continued line
        k += (t[k + 1] == '\r' && k + 2 < n && t[k + 2] == '\n') ? 3 : 2;
        continue;
      }
      if (c == '(' || c == '[' || c == '{') {
        ++depth;
      } else if (c == ')' || c == ']' || c == '}') {
        if (depth) --depth;
      } else if (c == '\n' || c == '\r') {
        if (depth == 0) break;
      } else if (c == 'f' && depth > 0 && keyword_at(t, k, "for")) {
        comprehension = true;
      }
      ++k;
    }
    bool in_loop = comprehension || header == Loop;
    for (auto b = open.rbegin(); b != open.rend() && !in_loop; ++b) {
      if (b->kind == Function) break;
      in_loop = b->kind == Loop;
    }
    if (in_loop) out.emplace_back(begin, k);
    if (header) open.push_back({indent, *header});
    i = k + 1;
  }
  if (depth != 0) return std::nullopt;  // an unclosed bracket
  return out;
}

namespace {
// The byte ranges of Python `t`'s comments (when `comments`), plain string literals (when `plain`)
// and f-strings (when `fstrings`), quotes and prefixes included; nullopt when a string is unterminated.
std::optional<std::vector<std::pair<std::size_t, std::size_t>>> python_literals(std::string_view t, bool comments,
                                                                               bool plain, bool fstrings) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  const std::size_t n = t.size();
  for (std::size_t i = 0; i < n;) {
    char c = t[i];
    if (c == '#') {
      std::size_t end = i;
      while (end < n && t[end] != '\n' && t[end] != '\r') ++end;
      if (comments) out.emplace_back(i, end);
      i = end;
      continue;
    }
    if (c == '\\') {  // outside a string, only a line continuation
      i += 2;
      continue;
    }
    if (c != '"' && c != '\'') {
      ++i;
      continue;
    }
    // The string's prefix (r, b, u, f and their pairs).
    std::size_t start = i;
    bool f = false;
    while (start > 0 && i - start < 2 && std::strchr("rRbBuUfF", t[start - 1]) && t[start - 1] != '\0') {
      if (t[start - 1] == 'f' || t[start - 1] == 'F') f = true;
      --start;
    }
    if (start > 0 && word_byte(t[start - 1])) start = i, f = false;  // `xr"..."` is no prefix
    auto end = python_string_end(t, i);
    if (!end) return std::nullopt;  // an unterminated string
    if (f ? fstrings : plain) out.emplace_back(start, *end);
    i = *end;
  }
  return out;
}
}  // namespace

std::optional<std::vector<std::pair<std::size_t, std::size_t>>> python_non_code(std::string_view t) {
  return python_literals(t, true, true, false);  // an f-string stays code: its braces hold code
}

std::optional<std::vector<std::pair<std::size_t, std::size_t>>> python_strings(std::string_view t) {
  return python_literals(t, false, true, true);
}

bool PythonLayout::in_loop(std::size_t at) {
  if (!loops_) loops_ = lines_in_loops(text_);
  return !*loops_ || in_ranges(**loops_, at);  // lines not told apart: every occurrence counts
}

bool PythonLayout::in_code(std::size_t at) {
  if (!non_code_) non_code_ = python_non_code(text_);
  return !*non_code_ || !in_ranges(**non_code_, at);  // strings not told apart: every occurrence counts
}

bool PythonLayout::in_string(std::size_t at) {
  if (!strings_) strings_ = python_strings(text_);
  return !*strings_ || in_ranges(**strings_, at);  // strings not told apart: every occurrence counts
}

namespace {
// Whether `word` occurs in `text` at an offset where `accept` holds.
template <typename Accept>
bool occurs(std::string_view text, std::string_view word, Accept&& accept) {
  for (std::size_t at = 0; !word.empty() && at + word.size() <= text.size();) {
    const void* hit = ::memmem(text.data() + at, text.size() - at, word.data(), word.size());
    if (!hit) return false;
    std::size_t i = static_cast<std::size_t>(static_cast<const char*>(hit) - text.data());
    if (accept(i)) return true;
    at = i + 1;
  }
  return false;
}
}  // namespace

bool trigger_holds(std::string_view text, const Trigger& t, bool python, PythonLayout* layout) {
  if (t.word.empty()) return false;
  std::optional<PythonLayout> own;  // when the caller shares none: worked out here, once
  auto lines = [&]() -> PythonLayout& {
    if (layout) return *layout;
    if (!own) own.emplace(text);
    return *own;
  };
  bool written = occurs(text, t.word, [&](std::size_t i) {
    return (!t.whole_word || whole_token(text, i, t.word.size())) &&
           value_written_near(text, i + t.word.size(), t.value_near) && (!t.in_loop || !python || lines().in_loop(i)) &&
           (!t.code_word || !python || lines().in_code(i)) && (!t.string_word || !python || lines().in_string(i));
  });
  if (!written) return false;
  if (t.and_any_of.empty()) return true;
  // Conditions read in code are names, so whole ones.
  bool code = t.code_conditions && python, in_string = t.string_conditions && python;
  bool whole = t.whole_conditions || code;
  return std::any_of(t.and_any_of.begin(), t.and_any_of.end(), [&](const std::string& w) {
    if (!code && !in_string && !whole) return contains(text, w);
    return occurs(text, w, [&](std::size_t i) {
      return (!whole || whole_token(text, i, w.size())) && (!code || lines().in_code(i)) &&
             (!in_string || lines().in_string(i));
    });
  });
}

Prefilter::Prefilter(const std::vector<Trigger>& triggers, const std::string& marker)
    : Prefilter(triggers, marker, whole_words(triggers)) {}

namespace {
// The words the second scan looks for one by one: each conditional trigger's word.
std::vector<std::string> each_word(const std::vector<Trigger>& conditional) {
  std::vector<std::string> words;
  for (const auto& t : conditional)
    if (!listed(words, t.word)) words.push_back(t.word);
  return words;
}
}  // namespace

Prefilter::Prefilter(const std::vector<Trigger>& triggers, const std::string& marker,
                     const std::vector<std::string>& whole)
    : first_(first_words(triggers, false), marker.empty() ? std::vector<std::string>{} : std::vector<std::string>{marker},
             whole),
      conditional_(conditional_words(triggers)),
      second_(WordSet::each(each_word(conditional_), first_words(triggers, true), whole)),
      marker_(marker) {
  std::vector<std::string> words = each_word(conditional_);
  for (const auto& t : conditional_) {
    std::size_t i = static_cast<std::size_t>(std::find(words.begin(), words.end(), t.word) - words.begin());
    // A word past the set's reach gives no bit: whatever needs it is not ruled out by the scan.
    word_bits_.push_back(i < WordSet::kMaxEach ? uint64_t{1} << i : uint64_t{0});
    conditions_.push_back(t.and_any_of.empty() ? std::nullopt : std::optional<WordSet>(WordSet(t.and_any_of)));
  }
}

bool Prefilter::simd_sized() const {
  if (!first_.simd_sized() || !second_.simd_sized()) return false;
  return std::all_of(conditions_.begin(), conditions_.end(), [](const auto& c) { return !c || c->simd_sized(); });
}

Prefilter::Result Prefilter::check(std::string_view text, bool python) const {
  Result r;
  unsigned found = first_.scan(text);
  if (!(found & 1u)) {
    r.marker = (found & 2u) != 0;
    return r;
  }
  if (conditional_.empty()) {
    r.candidate = true;
    return r;
  }
  uint64_t present = second_.scan_bits(text);
  if ((present >> WordSet::kMaxEach) != 0) {
    r.candidate = true;
    return r;
  }
  // Only the triggers whose word occurs, and then one of whose conditions occurs (a scan that
  // stops at the first), are looked at closely; the file's loops and strings are worked out once
  // for all of them. Conditions are searched only for a trigger whose word is there: many are
  // common words (`tok`, `llm`, `serve`) that most files hold without the word that needs them.
  PythonLayout layout(text);
  for (std::size_t i = 0; i < conditional_.size(); ++i) {
    if (word_bits_[i] && !(present & word_bits_[i])) continue;
    if (conditions_[i] && !conditions_[i]->any_in(text)) continue;
    if (trigger_holds(text, conditional_[i], python, &layout)) {
      r.candidate = true;
      return r;
    }
  }
  // A first word without its condition: the scan stopped there, so the marker is looked up here.
  r.marker = contains(text, marker_);
  return r;
}

}  // namespace ecolint
