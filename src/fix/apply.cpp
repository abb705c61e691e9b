#include "fix/apply.hpp"

#include <algorithm>

#include "base/source.hpp"

namespace ecolint::fix {

namespace {

struct Span {
  std::size_t a, b;
  const Edit* edit;
};

// Two edits conflict when they overlap, or when one inserts where the other starts, ends or
// inserts (the order of the result would be a guess).
bool conflict(const Span& x, const Span& y) {
  if (x.a < y.b && y.a < x.b) return true;
  bool x_insert = x.a == x.b, y_insert = y.a == y.b;
  if (x_insert && y.a <= x.a && x.a <= y.b) return true;
  if (y_insert && x.a <= y.a && y.a <= x.b) return true;
  return false;
}

bool same_edits(const std::vector<Span>& x, const std::vector<Span>& y) {
  if (x.size() != y.size()) return false;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (x[i].a != y[i].a || x[i].b != y[i].b || x[i].edit->text != y[i].edit->text) return false;
  return true;
}

std::string with_line_breaks(const std::string& text, bool crlf) {
  if (!crlf) return text;
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
    out += text[i];
  }
  return out;
}

}  // namespace

const Fix* applicable_fix(const Diagnostic& d, bool unsafe) {
  for (const auto& f : d.fixes)
    if (!f.edits.empty() && (unsafe || f.applicability == Applicability::Safe)) return &f;
  return nullptr;
}

Applied apply_fixes(const std::string& text, const std::vector<const Diagnostic*>& diagnostics, bool unsafe) {
  SourceText src(text);
  struct Candidate {
    const Diagnostic* d;
    std::vector<Span> spans;
  };
  std::vector<Candidate> candidates;
  for (const Diagnostic* d : diagnostics) {
    const Fix* f = applicable_fix(*d, unsafe);
    if (!f) continue;
    Candidate c{d, {}};
    for (const auto& e : f->edits) {
      std::size_t a = src.offset_from_position(e.range.start), b = src.offset_from_position(e.range.end);
      if (b < a) std::swap(a, b);
      c.spans.push_back({a, b, &e});
    }
    std::sort(c.spans.begin(), c.spans.end(), [](const Span& x, const Span& y) { return x.a < y.a || (x.a == y.a && x.b < y.b); });
    candidates.push_back(std::move(c));
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& x, const Candidate& y) { return x.spans.front().a < y.spans.front().a; });

  Applied out;
  std::vector<Span> taken;
  std::vector<const Candidate*> accepted;
  for (const auto& c : candidates) {
    bool duplicate = false;
    for (const Candidate* a : accepted)
      if (same_edits(a->spans, c.spans)) duplicate = true;
    if (duplicate) {
      out.fixed.push_back(c.d);
      continue;
    }
    bool clash = false;
    for (const auto& s : c.spans)
      for (const auto& t : taken)
        if (conflict(s, t)) clash = true;
    for (std::size_t i = 1; i < c.spans.size(); ++i)
      if (conflict(c.spans[i - 1], c.spans[i])) clash = true;
    if (clash) continue;
    taken.insert(taken.end(), c.spans.begin(), c.spans.end());
    accepted.push_back(&c);
    out.fixed.push_back(c.d);
  }

  std::size_t first_break = text.find_first_of("\r\n");
  bool crlf = first_break != std::string::npos && text.compare(first_break, 2, "\r\n") == 0;
  std::sort(taken.begin(), taken.end(), [](const Span& x, const Span& y) { return x.a < y.a; });
  out.text.reserve(text.size() + 64);
  std::size_t at = 0;
  for (const auto& s : taken) {
    out.text.append(text, at, s.a - at);
    out.text += with_line_breaks(s.edit->text, crlf);
    at = s.b;
  }
  out.text.append(text, at, std::string::npos);
  return out;
}

}  // namespace ecolint::fix
