#include "cli/run.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
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

// The effective options: the configuration file's values where the command line left them unset.
struct Configuration {
  RunOptions o;
  settings::Settings file;
  Severity fail_level = Severity::Warning;
  bool report_unused = false;
  bool gpu_from_file = false;
  settings::PathGlobs exclude;
  std::vector<std::pair<settings::PathGlobs, std::vector<std::string>>> per_file_ignores;
};

bool resolve_configuration(const RunOptions& cli, Configuration& c, std::ostream& err) {
  c.o = cli;
  if (!cli.isolated) {
    try {
      std::optional<std::string> file;
      if (!cli.config.empty()) file = cli.config;
      else file = settings::discover(cli.paths.empty() ? "." : cli.paths.front());
      if (file) c.file = settings::load_file(*file);
    } catch (const settings::SettingsError& ex) {
      err << "ecolint: error: " << ex.what() << "\n";
      return false;
    }
  }
  const auto& f = c.file;
  RunOptions& o = c.o;
  if (o.select.empty() && f.select) o.select = *f.select;
  if (o.ignore.empty() && f.ignore) o.ignore = *f.ignore;
  if (o.exclude.empty()) o.exclude = f.exclude;
  if (o.gpu.empty() && f.gpu) o.gpu = *f.gpu, c.gpu_from_file = true;
  if (!o.tokens_per_day) o.tokens_per_day = f.tokens_per_day;
  if (!o.price_per_kwh) o.price_per_kwh = f.price_per_kwh;
  if (!o.grid_gco2_per_kwh) o.grid_gco2_per_kwh = f.grid_gco2_per_kwh;
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
  c.report_unused = cli.report_unused_suppressions.value_or(f.report_unused_suppressions.value_or(false));
  if (c.file.root.empty()) {
    std::error_code ec;
    c.file.root = fs::current_path(ec).string();
  }
  c.exclude = settings::PathGlobs(o.exclude);
  for (const auto& [glob, ids] : f.per_file_ignores) c.per_file_ignores.emplace_back(settings::PathGlobs({glob}), ids);
  return true;
}

// ---- Step 3: rule selection --------------------------------------------------------------------

// Resolves select/ignore into the enabled rule ids; false (with a message) on an unknown one.
bool enabled_rules(const std::vector<std::string>& select, const std::vector<std::string>& ignore,
                   std::vector<std::string>& out, std::ostream& err) {
  std::vector<std::string> ids;
  for (const auto& r : all_rules()) ids.emplace_back(r->id());
  for (const auto* list : {&select, &ignore}) {
    for (const auto& sel : *list) {
      if (!std::any_of(ids.begin(), ids.end(), [&](const std::string& id) { return matches(id, sel); })) {
        err << "ecolint: error: unknown rule selector '" << sel << "' (known rules: ";
        for (std::size_t i = 0; i < ids.size(); ++i) err << (i ? ", " : "") << ids[i];
        err << ")\n";
        return false;
      }
    }
  }
  for (const auto& id : ids) {
    bool on = select.empty() || std::any_of(select.begin(), select.end(), [&](auto& s) { return matches(id, s); });
    bool off = std::any_of(ignore.begin(), ignore.end(), [&](auto& s) { return matches(id, s); });
    if (on && !off) out.push_back(id);
  }
  return true;
}

bool select_rules(const Configuration& c, LintOptions& lint, std::ostream& err) {
  const RunOptions& o = c.o;
  if (!enabled_rules(o.select, o.ignore, lint.enabled_rules, err)) return false;
  if (o.gpu.empty()) return true;
  const energy::Gpu* gpu = energy::find_gpu(o.gpu);
  if (!gpu) {
    err << "ecolint: error: unknown GPU '" << o.gpu << "'";
    if (c.gpu_from_file) err << " (from " << c.file.source << ")";
    err << "; known GPUs: ";
    bool first = true;
    for (const auto& g : energy::gpu_catalogue().gpus) err << (first ? "" : ", ") << g.name, first = false;
    err << "\n";
    return false;
  }
  lint.gpu = gpu->name;
  return true;
}

// ---- Step 4: gate inputs (baseline, changed lines) ---------------------------------------------

struct GateInputs {
  std::map<std::string, unsigned> baseline_counts;
  std::optional<diffbase::ChangedLines> changed;
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
  std::string root;
  std::vector<std::pair<settings::PathGlobs, std::vector<std::string>>> per_file_ignores;
  bool no_inline_suppressions = false;

  FileResult operator()(const FileToLint& f) const {
    FileResult r;
    if (f.explicit_argument && kind_of_path(f.fs_path) == FileKind::Unknown) {
      r.notes.push_back({f.display_path, "not a file type ecolint analyses; skipped", {}});
      return r;
    }
    r = lint_file(f.display_path, f.fs_path, lint, {}, !f.explicit_argument);
    if (no_inline_suppressions) restore_suppressed(r);
    if (!per_file_ignores.empty() && !r.empty()) apply_per_file_ignores(f, r);
    return r;
  }

  // --no-inline-suppressions: what a comment silenced is a finding again, and no comment is unused.
  static void restore_suppressed(FileResult& r) {
    for (auto& s : r.suppressed) r.diagnostics.push_back(std::move(s.diagnostic));
    r.suppressed.clear();
    r.unused_suppressions.clear();
  }

  // per-file-ignores: drop those rules' findings (and don't call their suppressions unused).
  void apply_per_file_ignores(const FileToLint& f, FileResult& r) const {
    std::string rel = relative_to(f.fs_path, root);
    if (rel.empty()) return;
    std::vector<std::string> off;
    for (const auto& [globs, ids] : per_file_ignores)
      if (globs.matches(rel)) off.insert(off.end(), ids.begin(), ids.end());
    if (off.empty()) return;
    auto ignored = [&](const std::string& rule) {
      return std::any_of(off.begin(), off.end(), [&](const std::string& s) { return matches(rule, s); });
    };
    auto& d = r.diagnostics;
    d.erase(std::remove_if(d.begin(), d.end(), [&](const Diagnostic& x) { return ignored(x.rule); }), d.end());
    auto& s = r.suppressed;
    s.erase(std::remove_if(s.begin(), s.end(), [&](const SuppressedDiagnostic& x) { return ignored(x.diagnostic.rule); }),
            s.end());
    auto& u = r.unused_suppressions;
    u.erase(std::remove_if(u.begin(), u.end(), [&](const UnusedSuppression& x) { return ignored(x.rule); }), u.end());
  }
};

struct LintedTree {
  std::vector<FileResult> results;  // in path order
  std::vector<Note> notes;          // from the walk and the time budget
  std::size_t files_considered = 0;
  bool all_exist = true;
  bool abandoned_threads = false;
};

LintedTree discover_and_lint(const Configuration& c, const LintOptions& lint) {
  const RunOptions& o = c.o;
  auto job = std::make_shared<FileJob>();
  job->lint = lint;
  job->root = c.file.root;
  job->per_file_ignores = c.per_file_ignores;
  job->no_inline_suppressions = o.no_inline_suppressions;

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
              if (!c.exclude.empty() && (!f.explicit_argument || o.force_exclude)) {
                std::string rel = relative_to(f.fs_path, c.file.root);
                if (!rel.empty() && c.exclude.matches(rel)) return;
              }
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
  for (auto& l : linted.linted) tree.results.push_back(std::move(l.result));
  tree.notes.insert(tree.notes.end(), linted.timeouts.begin(), linted.timeouts.end());
  tree.abandoned_threads = linted.abandoned_threads;
  return tree;
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

// Gathers every file's results, drops what lies outside --diff-base's changed lines, and sorts.
Findings collect_findings(LintedTree& tree, const Configuration& c, const GateInputs& gate) {
  Findings f;
  f.notes = std::move(tree.notes);
  for (auto& r : tree.results) {
    std::move(r.diagnostics.begin(), r.diagnostics.end(), std::back_inserter(f.diagnostics));
    std::move(r.notes.begin(), r.notes.end(), std::back_inserter(f.notes));
    std::move(r.suppressed.begin(), r.suppressed.end(), std::back_inserter(f.suppressed));
    if (c.report_unused)
      for (const auto& u : r.unused_suppressions)
        f.notes.push_back({u.path, "unused suppression: no " + u.rule + " finding here to silence", u.position});
  }
  if (gate.changed) {
    auto untouched = [&](const Diagnostic& d) {
      return !gate.changed->touches(d.path, d.range.start.line, std::max(d.range.start.line, d.range.end.line));
    };
    auto& d = f.diagnostics;
    d.erase(std::remove_if(d.begin(), d.end(), untouched), d.end());
    auto& s = f.suppressed;
    s.erase(std::remove_if(s.begin(), s.end(), [&](const SuppressedDiagnostic& x) { return untouched(x.diagnostic); }),
            s.end());
  }
  sort_findings(f);
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
  if (o.output.empty()) {
    format.write(out, in);
  } else {
    std::ostringstream text;
    format.write(text, in);
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
  LintOptions lint;
  if (!select_rules(c, lint, err)) return kError;
  GateInputs gate;
  if (!load_gate_inputs(c.o, gate, err)) return kError;

  LintedTree tree = discover_and_lint(c, lint);
  if (status) status->abandoned_threads = tree.abandoned_threads;
  Findings f = collect_findings(tree, c, gate);

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
