// Fuzzes the one glob engine (base/glob.hpp) as every user of it calls it: gitignore lines
// (discover/gitignore.hpp), configuration excludes and per-file-ignores (settings::PathGlobs).
// Input: the first line holds the patterns (separated by NUL bytes), the rest is a path list (one
// per line). With -max_len of 1 MB, a pattern or path can be huge: matching must stay linear (the
// -timeout catches backtracking, which hung the old configuration matcher).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/glob.hpp"
#include "discover/gitignore.hpp"
#include "settings/settings.hpp"

using namespace ecolint;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t nl = input.find('\n');
  std::string_view pattern_line = input.substr(0, nl);
  std::string_view paths = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);

  std::vector<std::string> patterns;
  for (std::size_t start = 0; start <= pattern_line.size();) {
    std::size_t end = pattern_line.find('\0', start);
    if (end == std::string_view::npos) end = pattern_line.size();
    patterns.emplace_back(pattern_line.substr(start, end - start));
    start = end + 1;
  }
  std::vector<Glob> globs;
  for (const auto& p : patterns) globs.emplace_back(p);
  settings::PathGlobs path_globs(patterns);
  IgnoreRules rules("base");
  rules.add_text(std::string(pattern_line) + "\n");
  IgnoreRules top;
  for (const auto& p : patterns) top.add_text(p + "\n");

  std::size_t checked = 0;
  for (std::size_t start = 0; start <= paths.size() && checked < 64; ++checked) {
    std::size_t end = paths.find('\n', start);
    if (end == std::string_view::npos) end = paths.size();
    std::string_view path = paths.substr(start, end - start);
    start = end + 1;
    for (const auto& g : globs) {
      bool a = g.matches(path);
      if (a != g.matches(path)) __builtin_trap();  // deterministic
    }
    bool any = path_globs.matches(path);
    // A path matched by the set is matched by one of the globs, on the path or a parent.
    if (any && patterns.empty()) __builtin_trap();
    (void)rules.match(path, false);
    (void)rules.match(path, true);
    (void)top.match(path, false);
  }
  // Literal patterns match themselves.
  for (const auto& p : patterns)
    if (!p.empty() && p.find_first_of("*?[\\") == std::string::npos && !Glob(p).matches(p)) __builtin_trap();
  return 0;
}
