#include "cli/run.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <unordered_set>

#include "catalog/rule_info.hpp"
#include "cli/formats.hpp"
#include "cli/output.hpp"
#include "cli/parallel.hpp"
#include "discover/discover.hpp"
#include "energy/gpus.hpp"
#include "energy/workload.hpp"
#include "gate/baseline.hpp"
#include "gate/diff_base.hpp"
#include "pipeline/lint.hpp"
#include "report/fingerprint.hpp"
#include "rules/rule.hpp"
#include "settings/settings.hpp"

namespace fs = std::filesystem;

namespace ecolint::cli {

namespace {

bool matches(const std::string& id, const std::string& selector) { return id.rfind(selector, 0) == 0; }

// `path` relative to `root`, '/'-separated; empty when it lies outside.
std::string relative_to(const std::string& path, const std::string& root) {
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec).lexically_normal();
  fs::path rel = abs.lexically_relative(root);
  std::string s = rel.generic_string();
  if (s.empty() || s == "." || s.rfind("..", 0) == 0) return {};
  return s;
}

// ---- Step 1: usage -----------------------------------------------------------------------------

bool check_usage(const RunOptions& o, std::ostream& err) {
  if (!find_output_format(o.format)) {
    err << "ecolint: error: unknown --format '" << o.format << "' (" << output_format_list() << ")\n";
    return false;
  }
  if (o.statistics && o.format != "text" && o.format != "json") {
    err << "ecolint: error: --statistics prints text or JSON, not --format " << o.format << "\n";
    return false;
  }
  if (!o.baseline.empty() && !o.write_baseline.empty()) {
    err << "ecolint: error: --baseline and --write-baseline cannot be used together\n";
    return false;
  }
  if (!(o.file_timeout_seconds >= 0) || !std::isfinite(o.file_timeout_seconds)) {
    err << "ecolint: error: --file-timeout must be a number of seconds >= 0\n";
    return false;
  }
  return true;
}

// ---- Step 2: configuration ---------------------------------------------------------------------

std::vector<std::string> all_rule_ids() {
  std::vector<std::string> ids;
  for (const auto& r : all_rules()) ids.emplace_back(r->id());
  return ids;
}

// What applies to the files under one configuration file (or to files with none): that file's
// settings with the command line's on top, as Ruff resolves a file's settings.
struct FileConfig {
  settings::Settings file;  // root: the directory its globs are relative to
  std::vector<std::string> enabled_rules;
  settings::PathGlobs exclude;  // the file's excludes, relative to file.root (none with --exclude)
  std::vector<std::pair<settings::PathGlobs, std::vector<std::string>>> per_file_ignores;
  bool report_unused = false;
};

// Finds the configuration of each linted file: the nearest .ecolint.yaml / pyproject.toml above
// it (up to the git work tree's top), or the one --config names, or none with --isolated. Used
// from the discovery thread only.
class ConfigResolver {
 public:
  ConfigResolver(const RunOptions& cli, std::string cwd) : cli_(cli), cwd_(std::move(cwd)) {
    cli_selection_.select = cli.select;
    cli_selection_.extend_select = cli.extend_select;
    cli_selection_.ignore = cli.ignore;
    cli_selection_.ignore.insert(cli_selection_.ignore.end(), cli.extend_ignore.begin(), cli.extend_ignore.end());
  }

  // The configuration of `path` (a file or directory; `known_file`: a file the walk found, so it
  // need not be asked), or null after an error (see error()).
  std::shared_ptr<const FileConfig> for_path(const std::string& path, bool known_file = false) {
    if (cli_.isolated) return from_file("");
    if (!cli_.config.empty()) return from_file(cli_.config);
    // A walk hands over a directory's files one after another: a file in the same directory as
    // the one before (the same text up to its last '/') has the same configuration, with no
    // path work.
    std::string parent;
    if (known_file) {
      auto slash = path.rfind('/');
      parent = slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
      if (last_ && parent == last_parent_) return *last_;
    }
    std::error_code ec;
    fs::path given(path);
    // Relative to the working directory read once (fs::absolute asks the system each time).
    fs::path dir = (given.is_absolute() ? given : fs::path(cwd_) / given).lexically_normal();
    if (known_file || !fs::is_directory(dir, ec)) dir = dir.parent_path();
    auto config = from_file(settings::discover_from_directory(dir.string(), &by_dir_).value_or(""));
    if (known_file) {
      last_parent_ = std::move(parent);
      last_ = config;
    }
    return config;
  }
  const std::string& error() const { return error_; }

 private:
  std::shared_ptr<const FileConfig> from_file(const std::string& file) {
    auto it = by_file_.find(file);
    if (it != by_file_.end()) return it->second;
    std::shared_ptr<FileConfig> c;
    try {
      c = std::make_shared<FileConfig>();
      if (!file.empty()) c->file = settings::load_file(file);
      else c->file.root = cwd_;
      auto own = c->file.rule_selection();
      c->enabled_rules = settings::resolve_rules(all_rule_ids(), {&own, &cli_selection_});
      if (cli_.exclude.empty()) c->exclude = settings::PathGlobs(c->file.exclude);
      for (const auto& [glob, ids] : c->file.per_file_ignores)
        c->per_file_ignores.emplace_back(settings::PathGlobs({glob}), ids);
      c->report_unused = cli_.report_unused_suppressions.value_or(c->file.report_unused_suppressions.value_or(false));
    } catch (const settings::SettingsError& ex) {
      if (error_.empty()) error_ = ex.what();
      c = nullptr;
    }
    by_file_[file] = c;
    return c;
  }

  RunOptions cli_;
  std::string cwd_;
  settings::RuleSelection cli_selection_;
  std::map<std::string, std::string> by_dir_;  // directory -> its configuration file ("" none)
  std::map<std::string, std::shared_ptr<const FileConfig>> by_file_;
  std::string last_parent_;                                // the last file's directory, as given
  std::optional<std::shared_ptr<const FileConfig>> last_;  // and its configuration
  std::string error_;
};

// The run's options: the command line, and for what is one per run (GPU, fail level, workload)
// the configuration of the working directory (else of the first path) where the command line
// left them unset.
struct Configuration {
  RunOptions o;
  std::string cwd;
  std::shared_ptr<ConfigResolver> resolver;
  std::shared_ptr<const FileConfig> global;
  Severity fail_level = Severity::Warning;
  bool gpu_from_file = false;
  settings::PathGlobs cli_exclude;  // --exclude, relative to the working directory
};

// Every rule selector on the command line names a rule; false (with a message) otherwise.
bool check_selectors(const RunOptions& o, std::ostream& err) {
  auto ids = all_rule_ids();
  std::vector<const std::vector<std::string>*> lists = {&o.ignore, &o.extend_select, &o.extend_ignore};
  if (o.select) lists.push_back(&*o.select);
  for (const auto* list : lists) {
    for (const auto& sel : *list) {
      if (sel.empty() || !std::any_of(ids.begin(), ids.end(), [&](const std::string& id) { return matches(id, sel); })) {
        err << "ecolint: error: unknown rule selector '" << sel << "' (known rules: ";
        for (std::size_t i = 0; i < ids.size(); ++i) err << (i ? ", " : "") << ids[i];
        err << ")\n";
        return false;
      }
    }
  }
  return true;
}

bool resolve_configuration(const RunOptions& cli, Configuration& c, std::ostream& err) {
  if (!check_selectors(cli, err)) return false;
  c.o = cli;
  std::error_code ec;
  c.cwd = fs::current_path(ec).lexically_normal().string();
  c.resolver = std::make_shared<ConfigResolver>(cli, c.cwd);
  // The working directory's configuration, else the first path's.
  c.global = c.resolver->for_path(c.cwd);
  if (c.global && c.global->file.source.empty() && !cli.paths.empty()) c.global = c.resolver->for_path(cli.paths.front());
  if (!c.global) {
    err << "ecolint: error: " << c.resolver->error() << "\n";
    return false;
  }
  const auto& f = c.global->file;
  RunOptions& o = c.o;
  if (o.gpu.empty() && f.gpu) o.gpu = *f.gpu, c.gpu_from_file = true;
  if (!o.tokens_per_day) o.tokens_per_day = f.tokens_per_day;
  if (!o.price_per_kwh) o.price_per_kwh = f.price_per_kwh;
  if (!o.grid_gco2_per_kwh) o.grid_gco2_per_kwh = f.grid_gco2_per_kwh;
  if (!o.tokens_per_day && (o.price_per_kwh || o.grid_gco2_per_kwh))
    err << "ecolint: warning: price-per-kwh and grid-gco2-per-kwh apply to a workload: without tokens-per-day "
           "no monthly estimate is made\n";
  if (cli.fail_level) {
    if (!parse_severity(*cli.fail_level, c.fail_level)) {
      std::string names;
      for (const auto& n : severity_names()) names += (names.empty() ? "" : ", ") + n;
      err << "ecolint: error: unknown --fail-level '" << *cli.fail_level << "' (" << names << ")\n";
      return false;
    }
  } else if (f.fail_level) {
    c.fail_level = *f.fail_level;
  }
  c.cli_exclude = settings::PathGlobs(o.exclude);
  return true;
}

// ---- Step 3: rule selection --------------------------------------------------------------------

// Every rule runs; what a file's configuration disables is dropped afterwards (apply_file_config).
void select_rules(const Configuration& c, LintOptions& lint, std::ostream& err) {
  const RunOptions& o = c.o;
  lint.enabled_rules = all_rule_ids();
  if (o.gpu.empty()) return;
  const energy::Gpu* gpu = energy::find_gpu(o.gpu);
  if (!gpu) {
    // Not a reason to stop a gate: the findings stand, only the estimates lose their GPU.
    err << "ecolint: warning: unknown GPU '" << o.gpu << "'";
    if (c.gpu_from_file) err << " (from " << c.global->file.source << ")";
    err << "; estimates are the ranges across all measured GPUs. Known GPUs: ";
    bool first = true;
    for (const auto& g : energy::gpu_catalogue().gpus) err << (first ? "" : ", ") << g.name, first = false;
    err << "\n";
    return;
  }
  lint.gpu = gpu->name;
}

// ---- Step 4: gate inputs (baseline, changed lines) ---------------------------------------------

struct GateInputs {
  std::map<std::string, unsigned> baseline_counts;
  std::optional<diffbase::ChangedFiles> changed;
};

bool load_gate_inputs(const RunOptions& o, GateInputs& g, std::ostream& err) {
  try {
    if (!o.baseline.empty()) g.baseline_counts = baseline::read_file(o.baseline);
    if (!o.diff_base.empty()) g.changed = diffbase::changed_since(o.diff_base, o.paths.empty() ? "." : o.paths.front());
  } catch (const std::exception& ex) {
    err << "ecolint: error: " << ex.what() << "\n";
    return false;
  }
  return true;
}

// ---- Step 5: discovery and linting -------------------------------------------------------------

// What a worker needs to lint one file; shared by every worker and kept alive by them (an
// abandoned worker may outlive the run).
struct FileJob {
  LintOptions lint;
  bool no_inline_suppressions = false;

  FileResult operator()(const FileToLint& f) const {
    FileResult r;
    if (f.explicit_argument && kind_of_path(f.fs_path) == FileKind::Unknown) {
      r.notes.push_back({f.display_path, "not a file type ecolint analyses; skipped", {}});
      return r;
    }
    r = lint_file(f.display_path, f.fs_path, lint, {}, !f.explicit_argument);
    if (no_inline_suppressions) restore_suppressed(r);
    return r;
  }

  // --no-inline-suppressions: what a comment silenced is a finding again, and no comment is unused.
  static void restore_suppressed(FileResult& r) {
    for (auto& s : r.suppressed) r.diagnostics.push_back(std::move(s.diagnostic));
    r.suppressed.clear();
    r.unused_suppressions.clear();
  }
};

// A file's configuration on its results: rules it does not enable and its per-file-ignores drop
// findings (and their suppressions are not called unused); `severity` sets the findings' level.
void apply_file_config(const FileToLint& f, const FileConfig& c, FileResult& r) {
  // Most files have nothing to drop (the prefilter passed them over): no path work for them.
  if (r.diagnostics.empty() && r.suppressed.empty() && r.unused_suppressions.empty()) return;
  std::vector<std::string> off;
  if (!c.per_file_ignores.empty()) {
    std::string rel = relative_to(f.fs_path, c.file.root);
    if (!rel.empty())
      for (const auto& [globs, ids] : c.per_file_ignores)
        if (globs.matches(rel)) off.insert(off.end(), ids.begin(), ids.end());
  }
  auto dropped = [&](const std::string& rule) {
    if (std::find(c.enabled_rules.begin(), c.enabled_rules.end(), rule) == c.enabled_rules.end()) return true;
    return std::any_of(off.begin(), off.end(), [&](const std::string& s) { return matches(rule, s); });
  };
  auto& d = r.diagnostics;
  d.erase(std::remove_if(d.begin(), d.end(), [&](const Diagnostic& x) { return dropped(x.rule); }), d.end());
  auto& s = r.suppressed;
  s.erase(std::remove_if(s.begin(), s.end(), [&](const SuppressedDiagnostic& x) { return dropped(x.diagnostic.rule); }),
          s.end());
  auto& u = r.unused_suppressions;
  if (!c.report_unused) u.clear();
  u.erase(std::remove_if(u.begin(), u.end(), [&](const UnusedSuppression& x) { return dropped(x.rule); }), u.end());
  if (!c.file.severity.empty()) {
    for (auto& x : d)
      if (auto level = c.file.severity_of(x.rule)) x.severity = *level;
    for (auto& x : s)
      if (auto level = c.file.severity_of(x.diagnostic.rule)) x.diagnostic.severity = *level;
  }
}

// The configuration of a file the run lints, or null when it is excluded (--exclude, or its
// configuration's `exclude`; explicit file arguments only with --force-exclude) or its
// configuration is broken (the run then ends with that error).
std::shared_ptr<const FileConfig> selected_config(const Configuration& c, const FileToLint& f) {
  std::shared_ptr<const FileConfig> config = c.resolver->for_path(f.fs_path, !f.explicit_argument);
  if (!config) return nullptr;
  if (!f.explicit_argument || c.o.force_exclude) {
    if (!c.cli_exclude.empty()) {
      std::string rel = relative_to(f.fs_path, c.cwd);
      if (!rel.empty() && c.cli_exclude.matches(rel)) return nullptr;
    }
    if (!config->exclude.empty()) {
      std::string rel = relative_to(f.fs_path, config->file.root);
      if (!rel.empty() && config->exclude.matches(rel)) return nullptr;
    }
  }
  return config;
}

// --show-files: the files a run would lint, one a line, sorted; nothing is linted.
int show_files(const Configuration& c, std::ostream& out, std::ostream& err) {
  DiscoverOptions dopts;
  dopts.respect_gitignore = c.o.respect_gitignore;
  std::vector<FileToLint> files;
  std::vector<Note> notes;
  bool all_exist = discover_files(c.o.paths, dopts, files, notes);
  for (const auto& f : files)
    if (selected_config(c, f)) out << f.display_path << "\n";
  for (const auto& n : notes) err << "ecolint: " << (all_exist ? "note: " : "error: ") << n.path << ": " << n.message << "\n";
  if (!c.resolver->error().empty()) {
    err << "ecolint: error: " << c.resolver->error() << "\n";
    return kError;
  }
  return all_exist ? kClean : kError;
}

// --show-settings: what applies to the first path (a file, or a directory's files), and the
// settings of the run.
int show_settings(const Configuration& c, std::ostream& out, std::ostream& err) {
  std::string path = c.o.paths.empty() ? "." : c.o.paths.front();
  std::shared_ptr<const FileConfig> config = c.resolver->for_path(path);
  if (!config) {
    err << "ecolint: error: " << c.resolver->error() << "\n";
    return kError;
  }
  auto list = [](const std::vector<std::string>& items) {
    std::string s;
    for (const auto& x : items) s += (s.empty() ? "" : ", ") + x;
    return "[" + s + "]";
  };
  const settings::Settings& f = config->file;
  out << "Settings for " << path << "\n";
  out << "configuration: " << (f.source.empty() ? "(none)" : f.source) << "\n";
  out << "root: " << f.root << "\n";
  out << "enabled rules: " << list(config->enabled_rules) << "\n";
  out << "severity:";
  if (f.severity.empty()) out << " (rule defaults)";
  for (const auto& [rule, level] : f.severity) out << " " << rule << "=" << severity_name(level);
  out << "\n";
  out << "exclude: " << list(c.o.exclude.empty() ? f.exclude : c.o.exclude)
      << (c.o.exclude.empty() ? "" : " (--exclude, relative to the working directory)") << "\n";
  out << "per-file-ignores:";
  if (f.per_file_ignores.empty()) out << " (none)";
  for (const auto& [glob, ids] : f.per_file_ignores) out << " " << glob << "=" << list(ids);
  out << "\n";
  out << "report-unused-suppressions: " << (config->report_unused ? "true" : "false") << "\n";
  out << "Run settings (" << (c.global->file.source.empty() ? "no configuration" : c.global->file.source) << ")\n";
  out << "gpu: " << (c.o.gpu.empty() ? "(none: all measured GPUs)" : c.o.gpu) << "\n";
  out << "fail-level: " << severity_name(c.fail_level) << "\n";
  if (c.o.tokens_per_day) out << "tokens-per-day: " << *c.o.tokens_per_day << "\n";
  if (c.o.price_per_kwh) out << "price-per-kwh: " << *c.o.price_per_kwh << "\n";
  if (c.o.grid_gco2_per_kwh) out << "grid-gco2-per-kwh: " << *c.o.grid_gco2_per_kwh << "\n";
  return kClean;
}

struct LintedTree {
  std::vector<FileResult> results;  // in path order
  std::vector<Note> notes;          // from the walk and the time budget
  std::size_t files_considered = 0;
  bool all_exist = true;
  bool abandoned_threads = false;
};

// `ecolint -`: the text read from standard input, linted as --stdin-filename (its kind, its
// configuration, its excludes with --force-exclude), or as Python named `-`.
LintedTree lint_stdin(const Configuration& c, const LintOptions& lint) {
  const RunOptions& o = c.o;
  LintedTree tree;
  FileToLint f{o.stdin_filename.empty() ? "-" : o.stdin_filename, o.stdin_filename.empty() ? "-" : o.stdin_filename, true};
  std::shared_ptr<const FileConfig> config = selected_config(c, f);
  if (!config) return tree;
  tree.files_considered = 1;
  FileKind kind = o.stdin_filename.empty() ? FileKind::Python : kind_of_path(o.stdin_filename);
  FileResult r;
  if (kind == FileKind::Unknown) {
    r.notes.push_back({f.display_path, "not a file type ecolint analyses; skipped", {}});
  } else {
    r = lint_text(f.display_path, *o.stdin_text, kind, lint);
    if (o.no_inline_suppressions) FileJob::restore_suppressed(r);
    apply_file_config(f, *config, r);
  }
  tree.results.push_back(std::move(r));
  return tree;
}

LintedTree discover_and_lint(const Configuration& c, const LintOptions& lint) {
  const RunOptions& o = c.o;
  if (o.stdin_text) return lint_stdin(c, lint);
  auto job = std::make_shared<FileJob>();
  job->lint = lint;
  job->no_inline_suppressions = o.no_inline_suppressions;
  // Each file's configuration, filled by the discovery thread, read once the pool is done.
  std::map<std::string, std::shared_ptr<const FileConfig>> configs;

  LintedTree tree;
  PoolOptions pool;
  pool.jobs = effective_jobs(o.jobs);
  auto budget = std::chrono::milliseconds(static_cast<long long>(std::llround(o.file_timeout_seconds * 1000)));
  if (o.isolate_crashes) {
    // One child process per worker, forked before any thread starts; a child is killed at the
    // budget, so no thread is ever abandoned.
    start_child_processes(job->lint, pool.jobs, budget);
  } else {
    pool.budget = budget;
  }
  DiscoverOptions dopts;
  dopts.respect_gitignore = o.respect_gitignore;
  std::unordered_set<std::string> seen;  // a file reached through two arguments is linted once
  PoolResult linted = lint_in_pool(
      [&](const std::function<void(FileToLint&&)>& push) {
        tree.all_exist = discover_files(
            o.paths, dopts,
            [&](FileToLint&& f) {
              if (!seen.insert(f.display_path).second) return;
              std::shared_ptr<const FileConfig> config = selected_config(c, f);
              if (!config) return;
              configs[f.display_path] = config;
              ++tree.files_considered;
              push(std::move(f));
            },
            tree.notes);
      },
      [job](const FileToLint& f) { return (*job)(f); }, pool);
  // Results in path order, whichever thread finished first.
  std::sort(linted.linted.begin(), linted.linted.end(),
            [](const Linted& a, const Linted& b) { return a.file.display_path < b.file.display_path; });
  tree.results.reserve(linted.linted.size());
  for (auto& l : linted.linted) {
    if (auto it = configs.find(l.file.display_path); it != configs.end() && it->second)
      apply_file_config(l.file, *it->second, l.result);
    tree.results.push_back(std::move(l.result));
  }
  tree.notes.insert(tree.notes.end(), linted.timeouts.begin(), linted.timeouts.end());
  tree.abandoned_threads = linted.abandoned_threads;
  return tree;
}

// A path on the command line that cannot be read is a usage error: said on stderr (the report
// stays machine-readable), and the run exits 2 after reporting the other paths.
void report_missing_paths(const RunOptions& o, LintedTree& tree, std::ostream& err) {
  auto& notes = tree.notes;
  auto missing = [&](const Note& n) {
    return n.position.line == 0 && n.message.rfind("cannot read: ", 0) == 0 &&
           std::find(o.paths.begin(), o.paths.end(), n.path) != o.paths.end();
  };
  for (const auto& n : notes)
    if (missing(n)) err << "ecolint: error: " << n.path << ": " << n.message.substr(13) << "\n";
  notes.erase(std::remove_if(notes.begin(), notes.end(), missing), notes.end());
}

// ---- Step 6: filters ---------------------------------------------------------------------------

struct Findings {
  std::vector<Diagnostic> diagnostics;
  std::vector<SuppressedDiagnostic> suppressed;  // in source
  std::vector<SuppressedDiagnostic> baselined;
  std::vector<Note> notes;
};

void sort_findings(Findings& f) {
  std::sort(f.diagnostics.begin(), f.diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.path, a.range.start.line, a.range.start.column, a.rule) <
           std::tie(b.path, b.range.start.line, b.range.start.column, b.rule);
  });
  std::stable_sort(f.notes.begin(), f.notes.end(), [](const Note& a, const Note& b) {
    return std::tie(a.path, a.position.line, a.position.column) < std::tie(b.path, b.position.line, b.position.column);
  });
}

// --diff-base: keeps the findings that are new since the merge base. A file that did not change
// has none; one added since has only new ones; in one that changed, the base version is linted
// too and its findings subtracted by identity (rule, path, normalized line; counted), so a
// finding on a line the branch did not touch, caused by an edit elsewhere in the file, is new.
void keep_new_since_base(Findings& f, const diffbase::ChangedFiles& changed, const LintOptions& lint) {
  std::map<std::string, std::map<std::string, unsigned>> base_counts;  // path -> fingerprint -> count
  auto counts_of = [&](const std::string& path) -> std::map<std::string, unsigned>& {
    auto it = base_counts.find(path);
    if (it != base_counts.end()) return it->second;
    auto& counts = base_counts[path];
    const std::optional<std::string>* base = changed.base_of(path);
    if (base && *base) {
      FileResult old = lint_text(path, **base, kind_of_path(path), lint);
      for (const auto& d : old.diagnostics) ++counts[report::fingerprint(d)];
    }
    return counts;
  };
  std::vector<Diagnostic> kept;
  for (auto& d : f.diagnostics) {
    if (!changed.changed(d.path)) continue;
    auto& counts = counts_of(d.path);
    auto it = counts.find(report::fingerprint(d));
    if (it != counts.end() && it->second > 0) {
      --it->second;  // the same finding was there before
      continue;
    }
    kept.push_back(std::move(d));
  }
  f.diagnostics = std::move(kept);
  auto& s = f.suppressed;
  s.erase(std::remove_if(s.begin(), s.end(), [&](const SuppressedDiagnostic& x) { return !changed.changed(x.diagnostic.path); }),
          s.end());
}

// Gathers every file's results, keeps what --diff-base calls new, and sorts.
Findings collect_findings(LintedTree& tree, const GateInputs& gate, const LintOptions& lint) {
  Findings f;
  f.notes = std::move(tree.notes);
  for (auto& r : tree.results) {
    std::move(r.diagnostics.begin(), r.diagnostics.end(), std::back_inserter(f.diagnostics));
    std::move(r.notes.begin(), r.notes.end(), std::back_inserter(f.notes));
    std::move(r.suppressed.begin(), r.suppressed.end(), std::back_inserter(f.suppressed));
    for (const auto& u : r.unused_suppressions) {
      std::string where;
      if (u.cell > 0)
        where = " (cell " + std::to_string(u.cell) + ", line " + std::to_string(u.cell_position.line) + ", column " +
                std::to_string(u.cell_position.column) + ")";
      f.notes.push_back({u.path, "unused suppression: no " + u.rule + " finding here to silence" + where, u.position});
    }
  }
  sort_findings(f);  // first: of two copies of a finding, the later one is the new one
  if (gate.changed) keep_new_since_base(f, *gate.changed, lint);
  return f;
}

// ---- Step 7: estimates -------------------------------------------------------------------------

// Workload totals: each finding's measured percentage turned into energy per month.
report::RunSummary estimate(const RunOptions& o, std::vector<Diagnostic>& diagnostics, std::size_t files_considered) {
  report::RunSummary summary;
  summary.files_considered = files_considered;
  if (o.tokens_per_day)
    summary.workload = energy::apply_workload(diagnostics, {*o.tokens_per_day, o.price_per_kwh, o.grid_gco2_per_kwh});
  return summary;
}

// ---- Step 8: report ----------------------------------------------------------------------------

bool write_report(const RunOptions& o, Findings& f, const report::RunSummary& summary, bool successful,
                  std::ostream& out, std::ostream& err) {
  ReportInput in;
  in.diagnostics = std::move(f.diagnostics);
  in.suppressed_in_source = std::move(f.suppressed);
  in.baselined = std::move(f.baselined);
  in.notes = std::move(f.notes);
  in.summary = summary;
  std::error_code ec;
  in.working_dir = fs::current_path(ec).lexically_normal().string();
  if (!o.project_root.empty()) in.src_root = fs::absolute(o.project_root, ec).lexically_normal().string();
  else in.src_root = settings::work_tree_top(in.working_dir).value_or(in.working_dir);
  while (in.src_root.size() > 1 && in.src_root.back() == '/') in.src_root.pop_back();
  in.include_suppressed = o.sarif_include_suppressed;
  in.execution_successful = successful;
  const OutputFormat& format = *find_output_format(o.format);
  bool ok = true;
  auto write = [&](std::ostream& stream) {
    if (o.statistics) report::write_statistics(stream, in.diagnostics, o.format == "json");
    else format.write(stream, in);
  };
  if (o.output.empty()) {
    write(out);
  } else {
    std::ostringstream text;
    write(text);
    std::string error;
    if (!write_output_file(o.output, text.str(), error)) {
      err << "ecolint: error: " << error << "\n";
      ok = false;
    }
  }
  f.diagnostics = std::move(in.diagnostics);
  return ok;
}

// ---- Step 9: exit status -----------------------------------------------------------------------

int exit_status(const Configuration& c, const std::vector<Diagnostic>& diagnostics, bool all_exist) {
  if (!all_exist) return kError;
  bool failing = std::any_of(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& d) {
    return static_cast<int>(d.severity) >= static_cast<int>(c.fail_level);
  });
  return failing && !c.o.exit_zero ? kFindings : kClean;
}

}  // namespace

unsigned effective_jobs(unsigned requested) {
  unsigned cpus = available_cpus();
  return requested == 0 ? cpus : std::min(requested, cpus);
}

int run(const RunOptions& cli, std::ostream& out, std::ostream& err, RunStatus* status) {
  if (!check_usage(cli, err)) return kError;
  Configuration c;
  if (!resolve_configuration(cli, c, err)) return kError;
  if (c.o.show_files) return show_files(c, out, err);
  if (c.o.show_settings) return show_settings(c, out, err);
  LintOptions lint;
  select_rules(c, lint, err);
  GateInputs gate;
  if (!load_gate_inputs(c.o, gate, err)) return kError;

  LintedTree tree = discover_and_lint(c, lint);
  if (status) status->abandoned_threads = tree.abandoned_threads;
  report_missing_paths(c.o, tree, err);
  if (!c.resolver->error().empty()) {
    err << "ecolint: error: " << c.resolver->error() << "\n";
    return kError;
  }
  Findings f = collect_findings(tree, gate, lint);

  if (!c.o.write_baseline.empty()) {
    std::string error;
    if (!write_output_file(c.o.write_baseline, baseline::to_json(f.diagnostics), error)) {
      err << "ecolint: error: " << error << "\n";
      return kError;
    }
    err << "ecolint: wrote " << f.diagnostics.size() << (f.diagnostics.size() == 1 ? " finding" : " findings")
        << " to the baseline " << c.o.write_baseline << "\n";
    return tree.all_exist ? kClean : kError;
  }
  if (!c.o.baseline.empty())
    baseline::filter(f.diagnostics, gate.baseline_counts, "listed in the baseline " + c.o.baseline, f.baselined);
  if (c.o.fix.requested()) {  // fixes the findings the report would show, then reports what remains
    fix::Outcome fixed = fix::run(c.o.fix, lint, f.diagnostics, f.notes, out, err);
    if (fixed.diff_only) return fixed.error || !tree.all_exist ? kError : fixed.files ? kFindings : kClean;
  }

  report::RunSummary summary = estimate(c.o, f.diagnostics, tree.files_considered);
  if (!write_report(c.o, f, summary, tree.all_exist, out, err)) return kError;
  return exit_status(c, f.diagnostics, tree.all_exist);
}

}  // namespace ecolint::cli
