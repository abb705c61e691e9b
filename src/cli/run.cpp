#include "cli/run.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

#include "core/lint.hpp"
#include "discover/discover.hpp"
#include "report/report.hpp"
#include "rules/rule.hpp"

namespace ecolint::cli {

namespace {

bool matches(const std::string& id, const std::string& selector) { return id.rfind(selector, 0) == 0; }

// Resolves --select/--ignore into the enabled rule ids; false (with a message) on an unknown one.
bool enabled_rules(const RunOptions& o, std::vector<std::string>& out, std::ostream& err) {
  std::vector<std::string> ids;
  for (const auto& r : all_rules()) ids.emplace_back(r->id());
  for (const auto* list : {&o.select, &o.ignore}) {
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
    bool on = o.select.empty() || std::any_of(o.select.begin(), o.select.end(), [&](auto& s) { return matches(id, s); });
    bool off = std::any_of(o.ignore.begin(), o.ignore.end(), [&](auto& s) { return matches(id, s); });
    if (on && !off) out.push_back(id);
  }
  return true;
}

}  // namespace

int run(const RunOptions& o, std::ostream& out, std::ostream& err) {
  if (o.format != "text" && o.format != "json") {
    err << "ecolint: error: unknown --format '" << o.format << "' (text, json)\n";
    return kError;
  }
  LintOptions lint;
  if (!enabled_rules(o, lint.enabled_rules, err)) return kError;
  lint.gpu = o.gpu;

  std::vector<FileToLint> files;
  std::vector<Note> notes;
  DiscoverOptions dopts;
  dopts.respect_gitignore = o.respect_gitignore;
  bool all_exist = discover_files(o.paths, dopts, files, notes);

  std::vector<FileResult> results(files.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < files.size();) {
      const FileToLint& f = files[i];
      if (f.explicit_argument && kind_of_path(f.fs_path) == FileKind::Unknown) {
        results[i].notes.push_back({f.display_path, "not a file type ecolint analyses (.py); skipped", {}});
        continue;
      }
      results[i] = lint_file(f.display_path, f.fs_path, lint);
    }
  };
  unsigned jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(1, files.size())));
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();

  std::vector<Diagnostic> diagnostics;
  for (auto& r : results) {
    diagnostics.insert(diagnostics.end(), std::make_move_iterator(r.diagnostics.begin()),
                       std::make_move_iterator(r.diagnostics.end()));
    notes.insert(notes.end(), std::make_move_iterator(r.notes.begin()), std::make_move_iterator(r.notes.end()));
  }
  std::sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.path, a.range.start.line, a.range.start.column, a.rule) <
           std::tie(b.path, b.range.start.line, b.range.start.column, b.rule);
  });
  std::stable_sort(notes.begin(), notes.end(), [](const Note& a, const Note& b) {
    return std::tie(a.path, a.position.line, a.position.column) < std::tie(b.path, b.position.line, b.position.column);
  });

  report::RunSummary summary;
  summary.files_considered = files.size();
  if (o.format == "json") report::write_json(out, diagnostics, notes, summary);
  else report::write_text(out, diagnostics, notes, summary);

  if (!all_exist) return kError;
  if (!diagnostics.empty() && !o.exit_zero) return kFindings;
  return kClean;
}

}  // namespace ecolint::cli
