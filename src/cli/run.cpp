#include "cli/run.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <unordered_set>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <thread>
#include <sys/stat.h>
#include <unistd.h>

#include "pipeline/lint.hpp"
#include "discover/discover.hpp"
#include "catalog/rule_info.hpp"
#include "energy/workload.hpp"
#include "energy/gpus.hpp"
#include "report/report.hpp"
#include "rules/rule.hpp"
#include "settings/settings.hpp"
#include "gate/baseline.hpp"
#include "gate/diff_base.hpp"

namespace fs = std::filesystem;

namespace ecolint::cli {

namespace {

bool matches(const std::string& id, const std::string& selector) { return id.rfind(selector, 0) == 0; }

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

// `path` relative to `root`, '/'-separated; empty when it lies outside.
std::string relative_to(const std::string& path, const std::string& root) {
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec).lexically_normal();
  fs::path rel = abs.lexically_relative(root);
  std::string s = rel.generic_string();
  if (s.empty() || s == "." || s.rfind("..", 0) == 0) return {};
  return s;
}

Severity severity_of_level(const std::string& level) {
  if (level == "note") return Severity::Note;
  if (level == "error") return Severity::Error;
  return Severity::Warning;
}

void sort_diagnostics(std::vector<Diagnostic>& v) {
  std::sort(v.begin(), v.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.path, a.range.start.line, a.range.start.column, a.rule) <
           std::tie(b.path, b.range.start.line, b.range.start.column, b.rule);
  });
}

// The effective options: the configuration file's values where the command line left them unset.
struct Effective {
  RunOptions o;
  settings::Settings config;
  std::string fail_level = "warning";
  bool report_unused = false;
};

bool resolve(const RunOptions& cli, Effective& e, std::ostream& err) {
  e.o = cli;
  if (!cli.isolated) {
    try {
      std::optional<std::string> file;
      if (!cli.config.empty()) file = cli.config;
      else file = settings::discover(cli.paths.empty() ? "." : cli.paths.front());
      if (file) e.config = settings::load_file(*file);
    } catch (const settings::SettingsError& ex) {
      err << "ecolint: error: " << ex.what() << "\n";
      return false;
    }
  }
  const auto& c = e.config;
  if (e.o.select.empty() && c.select) e.o.select = *c.select;
  if (e.o.ignore.empty() && c.ignore) e.o.ignore = *c.ignore;
  if (e.o.exclude.empty()) e.o.exclude = c.exclude;
  if (e.o.gpu.empty() && c.gpu) e.o.gpu = *c.gpu;
  if (!e.o.tokens_per_day) e.o.tokens_per_day = c.tokens_per_day;
  if (!e.o.price_per_kwh) e.o.price_per_kwh = c.price_per_kwh;
  if (!e.o.grid_gco2_per_kwh) e.o.grid_gco2_per_kwh = c.grid_gco2_per_kwh;
  if (cli.fail_level) e.fail_level = *cli.fail_level;
  else if (c.fail_level) e.fail_level = *c.fail_level;
  if (settings::fail_level_rank(e.fail_level) < 0) {
    err << "ecolint: error: unknown --fail-level '" << e.fail_level << "' (note, warning, error)\n";
    return false;
  }
  e.report_unused = cli.report_unused_suppressions.value_or(c.report_unused_suppressions.value_or(false));
  if (e.config.root.empty()) {
    std::error_code ec;
    e.config.root = fs::current_path(ec).string();
  }
  return true;
}

}  // namespace

bool write_file_atomically(const std::string& path, const std::string& content, std::string& error) {
  fs::path target(path);
  fs::path dir = target.parent_path();
  std::string tmpl = (dir.empty() ? fs::path(".") : dir).string() + "/." + target.filename().string() + ".tmp.XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) {
    error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  const char* p = content.data();
  std::size_t left = content.size();
  bool ok = true;
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      ok = false;
      break;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (ok) {
    // mkstemp makes the file 0600; give it what a plain create would (0666 minus the umask).
    mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd, 0666 & ~mask);
  }
  if (ok && ::fsync(fd) != 0) ok = false;
  int saved = errno;
  if (::close(fd) != 0 && ok) ok = false, saved = errno;
  if (ok) {
    if (std::rename(name.data(), path.c_str()) != 0) ok = false, saved = errno;
  }
  if (!ok) {
    ::unlink(name.data());
    error = "cannot write " + path + ": " + std::strerror(saved);
  }
  return ok;
}

int run(const RunOptions& cli, std::ostream& out, std::ostream& err) {
  static const char* kFormats[] = {"text", "json", "sarif", "github"};
  if (std::find(std::begin(kFormats), std::end(kFormats), cli.format) == std::end(kFormats)) {
    err << "ecolint: error: unknown --format '" << cli.format << "' (text, json, sarif, github)\n";
    return kError;
  }
  if (!cli.baseline.empty() && !cli.write_baseline.empty()) {
    err << "ecolint: error: --baseline and --write-baseline cannot be used together\n";
    return kError;
  }
  Effective e;
  if (!resolve(cli, e, err)) return kError;
  const RunOptions& o = e.o;

  LintOptions lint;
  if (!enabled_rules(o.select, o.ignore, lint.enabled_rules, err)) return kError;
  if (!o.gpu.empty()) {
    const energy::Gpu* gpu = energy::find_gpu(o.gpu);
    if (!gpu) {
      err << "ecolint: error: unknown GPU '" << o.gpu << "'";
      if (cli.gpu.empty() && !e.config.source.empty()) err << " (from " << e.config.source << ")";
      err << "; known GPUs: ";
      bool first = true;
      for (const auto& g : energy::gpu_catalogue().gpus) err << (first ? "" : ", ") << g.name, first = false;
      err << "\n";
      return kError;
    }
    lint.gpu = gpu->name;
  }

  std::map<std::string, unsigned> baseline_counts;
  if (!o.baseline.empty()) {
    try {
      baseline_counts = baseline::read_file(o.baseline);
    } catch (const std::exception& ex) {
      err << "ecolint: error: " << ex.what() << "\n";
      return kError;
    }
  }
  std::optional<diffbase::ChangedLines> changed;
  if (!o.diff_base.empty()) {
    try {
      changed = diffbase::changed_since(o.diff_base, o.paths.empty() ? "." : o.paths.front());
    } catch (const std::exception& ex) {
      err << "ecolint: error: " << ex.what() << "\n";
      return kError;
    }
  }

  // The walk feeds a queue that the workers drain while it goes on: linting starts with the first
  // file found. The main thread walks, then lints too.
  struct Linted {
    FileToLint file;
    FileResult result;
  };
  std::vector<Note> notes;
  std::mutex queue_mutex;
  std::condition_variable queue_ready;
  std::deque<FileToLint> queue;
  bool walk_done = false;
  std::mutex results_mutex;
  std::vector<Linted> linted;

  auto lint_one = [&](FileToLint& f) {
    FileResult r;
    if (f.explicit_argument && kind_of_path(f.fs_path) == FileKind::Unknown) {
      r.notes.push_back({f.display_path, "not a file type ecolint analyses; skipped", {}});
    } else {
      r = lint_file(f.display_path, f.fs_path, lint, {}, !f.explicit_argument);
    }
    // per-file-ignores: drop those rules' findings (and don't call their suppressions unused).
    if (!e.config.per_file_ignores.empty() && !r.empty()) {
      std::string rel = relative_to(f.fs_path, e.config.root);
      std::vector<std::string> off;
      for (const auto& [glob, ids] : e.config.per_file_ignores)
        if (!rel.empty() && settings::any_glob_matches({glob}, rel)) off.insert(off.end(), ids.begin(), ids.end());
      auto ignored = [&](const std::string& rule) {
        return std::any_of(off.begin(), off.end(), [&](const std::string& s) { return matches(rule, s); });
      };
      r.diagnostics.erase(std::remove_if(r.diagnostics.begin(), r.diagnostics.end(),
                                         [&](const Diagnostic& d) { return ignored(d.rule); }),
                          r.diagnostics.end());
      r.suppressed.erase(std::remove_if(r.suppressed.begin(), r.suppressed.end(),
                                        [&](const SuppressedDiagnostic& s) { return ignored(s.diagnostic.rule); }),
                         r.suppressed.end());
      r.unused_suppressions.erase(std::remove_if(r.unused_suppressions.begin(), r.unused_suppressions.end(),
                                                 [&](const UnusedSuppression& u) { return ignored(u.rule); }),
                                  r.unused_suppressions.end());
    }
    return r;
  };
  auto worker = [&] {
    std::vector<Linted> mine;
    for (;;) {
      FileToLint f;
      {
        std::unique_lock<std::mutex> lock(queue_mutex);
        queue_ready.wait(lock, [&] { return !queue.empty() || walk_done; });
        if (queue.empty()) break;
        f = std::move(queue.front());
        queue.pop_front();
      }
      FileResult r = lint_one(f);
      // Most files have nothing to say; only the others are kept for the report.
      if (!r.empty()) mine.push_back({std::move(f), std::move(r)});
    }
    std::lock_guard<std::mutex> lock(results_mutex);
    for (auto& l : mine) linted.push_back(std::move(l));
  };
  unsigned jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(worker);

  DiscoverOptions dopts;
  dopts.respect_gitignore = o.respect_gitignore;
  std::unordered_set<std::string> seen;  // a file reached through two arguments is linted once
  std::size_t files_considered = 0;
  bool all_exist = discover_files(
      o.paths, dopts,
      [&](FileToLint&& f) {
        if (!seen.insert(f.display_path).second) return;
        if (!o.exclude.empty() && (!f.explicit_argument || o.force_exclude)) {
          std::string rel = relative_to(f.fs_path, e.config.root);
          if (!rel.empty() && settings::any_glob_matches(o.exclude, rel)) return;
        }
        ++files_considered;
        {
          std::lock_guard<std::mutex> lock(queue_mutex);
          queue.push_back(std::move(f));
        }
        queue_ready.notify_one();
      },
      notes);
  {
    std::lock_guard<std::mutex> lock(queue_mutex);
    walk_done = true;
  }
  queue_ready.notify_all();
  worker();
  for (auto& t : threads) t.join();
  // Results in path order, whichever thread finished first.
  std::vector<Linted*> order;
  order.reserve(linted.size());
  for (auto& l : linted) order.push_back(&l);
  std::sort(order.begin(), order.end(),
            [](const Linted* a, const Linted* b) { return a->file.display_path < b->file.display_path; });
  std::vector<FileResult> results;
  results.reserve(order.size());
  for (Linted* l : order) results.push_back(std::move(l->result));

  std::vector<Diagnostic> diagnostics;
  std::vector<SuppressedDiagnostic> suppressed;
  for (auto& r : results) {
    diagnostics.insert(diagnostics.end(), std::make_move_iterator(r.diagnostics.begin()),
                       std::make_move_iterator(r.diagnostics.end()));
    notes.insert(notes.end(), std::make_move_iterator(r.notes.begin()), std::make_move_iterator(r.notes.end()));
    suppressed.insert(suppressed.end(), std::make_move_iterator(r.suppressed.begin()),
                      std::make_move_iterator(r.suppressed.end()));
    if (e.report_unused)
      for (const auto& u : r.unused_suppressions)
        notes.push_back({u.path, "unused suppression: no " + u.rule + " finding here to silence", u.position});
  }
  if (changed) {
    auto untouched = [&](const Diagnostic& d) {
      return !changed->touches(d.path, d.range.start.line, std::max(d.range.start.line, d.range.end.line));
    };
    diagnostics.erase(std::remove_if(diagnostics.begin(), diagnostics.end(), untouched), diagnostics.end());
    suppressed.erase(std::remove_if(suppressed.begin(), suppressed.end(),
                                    [&](const SuppressedDiagnostic& s) { return untouched(s.diagnostic); }),
                     suppressed.end());
  }
  sort_diagnostics(diagnostics);
  std::stable_sort(notes.begin(), notes.end(), [](const Note& a, const Note& b) {
    return std::tie(a.path, a.position.line, a.position.column) < std::tie(b.path, b.position.line, b.position.column);
  });

  if (!o.write_baseline.empty()) {
    std::string error;
    if (!write_file_atomically(o.write_baseline, baseline::to_json(diagnostics), error)) {
      err << "ecolint: error: " << error << "\n";
      return kError;
    }
    err << "ecolint: wrote " << diagnostics.size() << (diagnostics.size() == 1 ? " finding" : " findings")
        << " to the baseline " << o.write_baseline << "\n";
    return all_exist ? kClean : kError;
  }
  std::vector<SuppressedDiagnostic> baselined;
  if (!o.baseline.empty())
    baseline::filter(diagnostics, baseline_counts, "listed in the baseline " + o.baseline, baselined);
  if (o.fix.requested()) {  // fixes the findings the report would show, then reports what remains
    fix::Outcome fixed = fix::run(o.fix, lint, diagnostics, notes, out, err);
    if (fixed.diff_only) return fixed.error || !all_exist ? kError : fixed.files ? kFindings : kClean;
  }

  // Workload totals: each finding's measured percentage turned into energy per month.
  report::RunSummary summary;
  summary.files_considered = files_considered;
  if (o.tokens_per_day)
    summary.workload = energy::apply_workload(diagnostics, {*o.tokens_per_day, o.price_per_kwh, o.grid_gco2_per_kwh});

  std::ostringstream report_text;
  if (o.format == "json") {
    report::write_json(report_text, diagnostics, notes, summary);
  } else if (o.format == "sarif") {
    report::SarifInput in;
    in.diagnostics = diagnostics;
    in.suppressed_in_source = suppressed;
    in.suppressed_external = baselined;
    in.notes = notes;
    std::error_code ec;
    in.src_root = fs::current_path(ec).string();
    in.execution_successful = all_exist;
    report::write_sarif(report_text, in);
  } else if (o.format == "github") {
    report::write_github(report_text, diagnostics, notes);
  } else {
    report::write_text(report_text, diagnostics, notes, summary);
  }
  if (o.output.empty()) {
    out << report_text.str();
  } else {
    std::string error;
    if (!write_file_atomically(o.output, report_text.str(), error)) {
      err << "ecolint: error: " << error << "\n";
      return kError;
    }
  }

  if (!all_exist) return kError;
  Severity threshold = severity_of_level(e.fail_level);
  bool failing = std::any_of(diagnostics.begin(), diagnostics.end(),
                             [&](const Diagnostic& d) { return static_cast<int>(d.severity) >= static_cast<int>(threshold); });
  if (failing && !o.exit_zero) return kFindings;
  return kClean;
}

}  // namespace ecolint::cli
