#include "core/prefilter.hpp"

#include <algorithm>
#include <cstring>

namespace ecolint {

namespace {

constexpr std::size_t kMinLong = 4;     // shorter words gain nothing from the shift table
constexpr std::size_t kMaxWindow = 64;  // shifts fit a byte; longer windows gain little more

inline unsigned pair_at(const char* p) {
  return static_cast<unsigned char>(p[0]) | (static_cast<unsigned>(static_cast<unsigned char>(p[1])) << 8);
}

}  // namespace

WordSet::WordSet(const std::vector<std::string>& words) {
  for (const auto& w : words) {
    if (w.empty()) continue;
    auto& list = w.size() >= kMinLong ? long_words_ : short_words_;
    if (std::find(list.begin(), list.end(), w) == list.end()) list.push_back(w);
  }
  if (long_words_.empty()) return;
  window_ = kMaxWindow;
  for (const auto& w : long_words_) window_ = std::min(window_, w.size());
  // A pair that ends at position j of some word's first `window_` bytes may sit at the window's
  // end only if the window is moved on by at most window_-1-j; a pair that ends no prefix lets
  // the window jump by window_-1 (its first byte may still start the next window's last pair).
  shift_.assign(65536, static_cast<uint8_t>(window_ - 1));
  for (std::size_t k = 0; k < long_words_.size(); ++k) {
    const std::string& w = long_words_[k];
    for (std::size_t j = 1; j < window_; ++j) {
      unsigned pair = pair_at(w.data() + j - 1);
      shift_[pair] = std::min(shift_[pair], static_cast<uint8_t>(window_ - 1 - j));
    }
    ends_.emplace_back(static_cast<uint16_t>(pair_at(w.data() + window_ - 2)), static_cast<uint16_t>(k));
  }
  std::sort(ends_.begin(), ends_.end());
}

bool WordSet::any_in(std::string_view text) const {
  const char* data = text.data();
  std::size_t n = text.size();
  for (const auto& w : short_words_)
    if (::memmem(data, n, w.data(), w.size())) return true;
  if (long_words_.empty() || n < window_) return false;
  const uint8_t* shift = shift_.data();
  for (std::size_t end = window_ - 1; end < n;) {
    unsigned pair = pair_at(data + end - 1);
    if (uint8_t s = shift[pair]) {
      end += s;
      continue;
    }
    std::size_t start = end + 1 - window_;
    auto it = std::lower_bound(ends_.begin(), ends_.end(), std::make_pair(static_cast<uint16_t>(pair), uint16_t{0}));
    for (; it != ends_.end() && it->first == pair; ++it) {
      const std::string& w = long_words_[it->second];
      if (start + w.size() <= n && std::memcmp(data + start, w.data(), w.size()) == 0) return true;
    }
    ++end;
  }
  return false;
}

namespace {
std::vector<std::string> first_words(const std::vector<TriggerWords>& triggers) {
  std::vector<std::string> words;
  for (const auto& t : triggers) words.push_back(t.word);
  return words;
}
bool contains(std::string_view text, const std::string& word) {
  return !word.empty() && ::memmem(text.data(), text.size(), word.data(), word.size()) != nullptr;
}
}  // namespace

Prefilter::Prefilter(const std::vector<TriggerWords>& triggers) : first_(first_words(triggers)), triggers_(triggers) {
  for (const auto& t : triggers_) conditional_ = conditional_ || !t.and_any_of.empty();
}

bool Prefilter::matches(std::string_view text) const {
  if (!first_.any_in(text)) return false;
  if (!conditional_) return true;
  for (const auto& t : triggers_) {
    if (!contains(text, t.word)) continue;
    if (t.and_any_of.empty()) return true;
    for (const auto& w : t.and_any_of)
      if (contains(text, w)) return true;
  }
  return false;
}

}  // namespace ecolint
