#pragma once
// Project configuration: `.ecolint.yaml`, or `[tool.ecolint]` in `pyproject.toml`, the nearest one
// above each linted file (stopping at a git work tree's top or the filesystem root).
// Keys (all optional):
//   select, ignore            rule ids or prefixes (list); `select: []` selects no rule
//   extend-select, extend-ignore   rule ids or prefixes added to the inherited selection
//   severity                  rule id or prefix -> note | warning | error (the findings' level)
//   per-file-ignores          glob -> rule ids
//   exclude                   globs of paths not to lint
//   gpu                       GPU for the energy estimates
//   fail-level                note | warning | error: exit 1 only for findings at or above it
//                             (the one severity scale of base/diagnostic.hpp)
//   tokens-per-day, price-per-kwh, grid-gco2-per-kwh   workload for the estimates (numbers >= 0)
//   report-unused-suppressions                         bool
// Globs are relative to the directory holding the configuration file and use the one glob engine
// (base/glob.hpp, gitignore's syntax): `*` and `?` stay within a path segment, `**` spans
// segments when it is a whole segment (`**/x`, `x/**`, `a/**/b`), `[abc]` is a class, a backslash
// escapes; a glob without '/' matches a file or directory name at any depth; a directory that
// matches excludes everything under it.
//
// A configuration file is read like a linted file and no more trustingly: a regular file only
// (never a FIFO or device), at most 10 MiB, YAML nested at most 200 levels and at most 200,000
// nodes (counted before any tree is built, and counted again per visit, an alias each time it is
// used), so a hostile `.ecolint.yaml` gives an error naming it, not a hang.
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/diagnostic.hpp"
#include "base/glob.hpp"

namespace ecolint::settings {

struct SettingsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One source's rule selection (a configuration file, or the command line), merged as Ruff merges
// them: sources are applied in order (configuration, then command line); a source with `select`
// starts again from exactly its selection (so a configuration's `ignore` no longer applies to what
// the command line selects), one without it adjusts what came before. Within a source the more
// specific selector wins (`ECO00` < `ECO001`); at equal length `ignore` wins over `select`.
struct RuleSelection {
  std::optional<std::vector<std::string>> select;
  std::vector<std::string> extend_select;
  std::vector<std::string> ignore;  // ignore and extend-ignore together
};

// The enabled rule ids, in `all_ids` order, from the default (every rule) and the sources in order.
std::vector<std::string> resolve_rules(const std::vector<std::string>& all_ids,
                                       const std::vector<const RuleSelection*>& sources);

struct Settings {
  std::string source;  // the file read; empty when none
  std::string root;    // absolute directory the globs are relative to
  std::optional<std::vector<std::string>> select, ignore, extend_select, extend_ignore;
  std::vector<std::pair<std::string, Severity>> severity;  // selector -> level, in file order
  std::vector<std::pair<std::string, std::vector<std::string>>> per_file_ignores;
  std::vector<std::string> exclude;
  std::optional<std::string> gpu;
  std::optional<Severity> fail_level;
  std::optional<double> tokens_per_day, price_per_kwh, grid_gco2_per_kwh;
  std::optional<bool> report_unused_suppressions;

  RuleSelection rule_selection() const;
  // The level a configured `severity` entry gives `rule` (the most specific selector), if any.
  std::optional<Severity> severity_of(const std::string& rule) const;
};

// Limits on a configuration file (the same as on a linted YAML file).
struct Limits {
  std::size_t max_bytes = 10 * 1024 * 1024;
  unsigned max_depth = 200;
  std::size_t max_nodes = 200000;
};

// Reads one configuration file (.yaml/.yml, or a .toml whose [tool.ecolint] table is used).
// Throws SettingsError naming the file, the key and what is wrong.
Settings load_file(const std::string& path, const Limits& limits = {});

// Parses configuration text; `name` is used in messages and picks the format (".toml" suffix: TOML).
Settings parse_text(const std::string& text, const std::string& name, const Limits& limits = {});

// The configuration file that applies to `first_path`, or nullopt: the nearest directory's
// .ecolint.yaml, .ecolint.yml, or pyproject.toml that mentions tool.ecolint (or cannot be read to
// tell), from it up to the top of its git work tree.
std::optional<std::string> discover(const std::string& first_path);
// The same from an absolute, normal directory `dir`. With `memo` (directory -> its configuration
// file, "" for none), every directory on the way up is remembered there and a remembered one is
// not looked at again: a run over many directories looks at each once.
std::optional<std::string> discover_from_directory(const std::string& dir,
                                                   std::map<std::string, std::string>* memo = nullptr);

// The top of the git work tree holding `path` (a directory with a `.git` entry), or nullopt.
std::optional<std::string> work_tree_top(const std::string& path);

// Globs of paths, compiled once: excludes, --exclude and each per-file-ignores key.
class PathGlobs {
 public:
  PathGlobs() = default;
  explicit PathGlobs(const std::vector<std::string>& patterns);
  // True if a glob matches `path` (relative, '/'-separated) or one of its parent directories.
  bool matches(std::string_view path) const;
  bool empty() const { return globs_.empty(); }

 private:
  struct Entry {
    Glob glob;
    bool name_only;  // no '/': matches the last segment at any depth
  };
  std::vector<Entry> globs_;
};

// One glob against one path, as described above; `path` is relative, '/'-separated.
bool glob_match(std::string_view pattern, std::string_view path);
// True if any glob matches `path` or one of its parent directories.
bool any_glob_matches(const std::vector<std::string>& globs, std::string_view path);

}  // namespace ecolint::settings
