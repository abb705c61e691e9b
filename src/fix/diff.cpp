#include "fix/diff.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

namespace ecolint::fix {

namespace {

constexpr std::size_t kContext = 3;
// Middles longer than this (after the common head and tail) are shown as one replacement instead
// of being aligned line by line (fixes change a few lines; this only bounds the work).
constexpr std::size_t kMaxAligned = 4000;

// Lines with their line breaks (the last may have none).
std::vector<std::string_view> lines_of(const std::string& text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') {
      out.emplace_back(text.data() + start, i + 1 - start);
      start = i + 1;
    }
  if (start < text.size()) out.emplace_back(text.data() + start, text.size() - start);
  return out;
}

enum class Op { Same, Del, Add };

// Line-level edit script of a[..] -> b[..] by longest common subsequence (both are small).
std::vector<Op> align(const std::vector<std::string_view>& a, std::size_t a0, std::size_t a1,
                      const std::vector<std::string_view>& b, std::size_t b0, std::size_t b1) {
  std::size_t n = a1 - a0, m = b1 - b0;
  std::vector<Op> ops;
  if (n > kMaxAligned || m > kMaxAligned) {
    ops.assign(n, Op::Del);
    ops.insert(ops.end(), m, Op::Add);
    return ops;
  }
  std::vector<std::vector<uint32_t>> lcs(n + 1, std::vector<uint32_t>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      lcs[i][j] = a[a0 + i] == b[b0 + j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[a0 + i] == b[b0 + j]) ops.push_back(Op::Same), ++i, ++j;
    else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push_back(Op::Del), ++i;  // removals first, as diff -u
    else ops.push_back(Op::Add), ++j;
  }
  return ops;
}

void put_line(std::string& out, char mark, std::string_view line) {
  out += mark;
  if (!line.empty() && line.back() == '\n') {
    out.append(line.data(), line.size());
  } else {
    out.append(line.data(), line.size());
    out += "\n\\ No newline at end of file\n";
  }
}

std::string range_text(std::size_t start, std::size_t count) {
  // diff -u: a range of one line is just its number; an empty range names the line before it.
  std::size_t first = count == 0 ? start : start + 1;
  return count == 1 ? std::to_string(first) : std::to_string(first) + "," + std::to_string(count);
}

}  // namespace

std::string unified_diff(const std::string& path, const std::string& before, const std::string& after) {
  if (before == after) return {};
  auto a = lines_of(before), b = lines_of(after);
  std::size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  std::size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) ++tail;
  std::vector<Op> ops(head, Op::Same);
  auto middle = align(a, head, a.size() - tail, b, head, b.size() - tail);
  ops.insert(ops.end(), middle.begin(), middle.end());
  ops.insert(ops.end(), tail, Op::Same);

  std::string out = "--- a/" + path + "\n+++ b/" + path + "\n";
  // Positions (old index, new index) at each op.
  std::vector<std::size_t> ai(ops.size() + 1), bi(ops.size() + 1);
  for (std::size_t k = 0; k < ops.size(); ++k) {
    ai[k + 1] = ai[k] + (ops[k] != Op::Add);
    bi[k + 1] = bi[k] + (ops[k] != Op::Del);
  }
  std::size_t k = 0;
  while (k < ops.size()) {
    if (ops[k] == Op::Same) {
      ++k;
      continue;
    }
    // A hunk: from kContext lines before this change to kContext after the last change that is
    // at most 2 * kContext same lines away.
    std::size_t start = k >= kContext ? k - kContext : 0;
    std::size_t end = k;
    while (end < ops.size()) {
      std::size_t j = end;
      while (j < ops.size() && ops[j] != Op::Same) ++j;
      std::size_t same = j;
      while (same < ops.size() && ops[same] == Op::Same) ++same;
      end = j;
      if (same == ops.size() || same - j > 2 * kContext) {
        end = std::min(ops.size(), j + kContext);
        break;
      }
      end = same;
    }
    out += "@@ -" + range_text(ai[start], ai[end] - ai[start]) + " +" + range_text(bi[start], bi[end] - bi[start]) + " @@\n";
    for (std::size_t h = start; h < end; ++h) {
      if (ops[h] == Op::Same) put_line(out, ' ', a[ai[h]]);
      else if (ops[h] == Op::Del) put_line(out, '-', a[ai[h]]);
      else put_line(out, '+', b[bi[h]]);
    }
    k = end;
  }
  return out;
}

}  // namespace ecolint::fix
