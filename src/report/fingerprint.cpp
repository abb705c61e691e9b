#include "report/fingerprint.hpp"

#include <cctype>
#include <cstdint>
#include <cstdio>

namespace ecolint::report {

std::string normalized_path(std::string_view p) {
  while (p.size() >= 2 && p[0] == '.' && p[1] == '/') {
    p.remove_prefix(2);
    while (!p.empty() && p.front() == '/') p.remove_prefix(1);
  }
  return std::string(p);
}

std::string normalized_snippet(std::string_view line) {
  std::string out;
  bool space = false;
  for (char c : line) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
    } else {
      if (space) out.push_back(' ');
      space = false;
      out.push_back(c);
    }
  }
  return out;
}

std::string fingerprint(const Diagnostic& d) {
  std::uint64_t h = 1469598103934665603ull;
  auto feed = [&](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0xFF;  // field separator: no byte of UTF-8 text is 0xFF
    h *= 1099511628211ull;
  };
  feed(d.rule);
  feed(normalized_path(d.path));
  feed(normalized_snippet(d.snippet));
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace ecolint::report
