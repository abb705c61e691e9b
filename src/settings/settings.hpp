#pragma once
// Project configuration: `.ecolint.yaml`, or `[tool.ecolint]` in `pyproject.toml`, found by walking
// up from the first linted path (stopping at a git work tree's top or the filesystem root).
// Keys (all optional):
//   select, ignore            rule ids or prefixes (list)
//   per-file-ignores          glob -> rule ids
//   exclude                   globs of paths not to lint
//   gpu                       GPU for the energy estimates
//   fail-level                note | warning | error: exit 1 only for findings at or above it
//   tokens-per-day, price-per-kwh, grid-gco2-per-kwh   workload for the estimates (numbers >= 0)
//   report-unused-suppressions                         bool
// Globs are relative to the directory holding the configuration file: `*` and `?` stay within a
// path segment, `**` spans segments, `[abc]` is a class; a glob without '/' matches a file or
// directory name at any depth; a directory that matches excludes everything under it.
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ecolint::settings {

struct SettingsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Settings {
  std::string source;  // the file read; empty when none
  std::string root;    // absolute directory the globs are relative to
  std::optional<std::vector<std::string>> select, ignore;
  std::vector<std::pair<std::string, std::vector<std::string>>> per_file_ignores;
  std::vector<std::string> exclude;
  std::optional<std::string> gpu, fail_level;
  std::optional<double> tokens_per_day, price_per_kwh, grid_gco2_per_kwh;
  std::optional<bool> report_unused_suppressions;
};

// Reads one configuration file (.yaml/.yml, or a .toml whose [tool.ecolint] table is used).
// Throws SettingsError naming the file, the key and what is wrong.
Settings load_file(const std::string& path);

// Parses configuration text; `name` is used in messages and picks the format (".toml" suffix: TOML).
Settings parse_text(const std::string& text, const std::string& name);

// The configuration file that applies to `first_path`, or nullopt.
std::optional<std::string> discover(const std::string& first_path);

// Glob matching as described above; `path` is relative, '/'-separated.
bool glob_match(std::string_view pattern, std::string_view path);
// True if any glob matches `path` or one of its parent directories.
bool any_glob_matches(const std::vector<std::string>& globs, std::string_view path);

// The fail levels, lowest first: "note" < "warning" < "error"; -1 for anything else.
int fail_level_rank(std::string_view level);

}  // namespace ecolint::settings
