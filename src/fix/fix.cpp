#include "fix/fix.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file_kind.hpp"
#include "fix/apply.hpp"
#include "fix/diff.hpp"
#include "pipeline/analyse.hpp"
#include "report/fingerprint.hpp"

namespace ecolint::fix {

namespace {

constexpr int kMaxRounds = 10;
constexpr const char* kBom = "\xEF\xBB\xBF";

bool read_all(const std::string& path, std::string& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read " + path + ": " + std::strerror(errno);
    return false;
  }
  std::ostringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}

// The file's findings with its text always parsed (a fixed text must still parse).
FileResult lint_parsed(const std::string& path, const std::string& text, FileKind kind, const LintOptions& lint) {
  return pipeline::analyse(path, text, kind, lint, true);
}

// The findings a run's filters hid (suppressions aside: those are applied by the lint itself),
// followed through the rounds: a finding of the new text is one of them when its identity (rule,
// path, source line) or its rule and message match one not yet matched. The message survives an
// edit elsewhere on its line; the identity survives a line number in the message moving.
class Hidden {
 public:
  Hidden(const std::vector<Diagnostic>& all, const std::vector<Diagnostic>& reported) {
    std::map<std::string, int> shown;
    for (const auto& d : reported) ++shown[report::fingerprint(d)];
    for (const auto& d : all)
      if (shown[report::fingerprint(d)]-- <= 0) hidden_.push_back({report::fingerprint(d), d.rule + "\n" + d.message});
  }
  // The diagnostics of `all` the run would show.
  std::vector<Diagnostic> visible(const std::vector<Diagnostic>& all) const {
    std::vector<bool> used(hidden_.size(), false);
    std::vector<Diagnostic> out;
    for (const auto& d : all) {
      std::string id = report::fingerprint(d), said = d.rule + "\n" + d.message;
      bool matched = false;
      for (std::size_t i = 0; i < hidden_.size() && !matched; ++i)
        if (!used[i] && (hidden_[i].first == id || hidden_[i].second == said)) used[i] = matched = true;
      if (!matched) out.push_back(d);
    }
    return out;
  }

 private:
  std::vector<std::pair<std::string, std::string>> hidden_;  // (fingerprint, rule + message)
};

// A note of `after` that `before` did not have: the text no longer parses as it did.
const Note* new_problem(const std::vector<Note>& before, const std::vector<Note>& after) {
  std::map<std::string, int> seen;
  for (const auto& n : before) ++seen[n.message];
  for (const auto& n : after)
    if (seen[n.message]-- <= 0) return &n;
  return nullptr;
}

std::string where(const Diagnostic& d) {
  return d.path + ":" + std::to_string(d.range.start.line) + ":" + std::to_string(d.range.start.column);
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

FixedText fix_text(const std::string& path, const std::string& text, FileKind kind, const LintOptions& lint,
                   const std::vector<Diagnostic>& reported, bool unsafe) {
  FixedText out;
  out.text = text;
  FileResult current = lint_parsed(path, text, kind, lint);
  const Hidden hidden(current.diagnostics, reported);
  const std::vector<Note> original_notes = current.notes;
  std::set<std::string> refused;  // rule + message of fixes that broke parsing
  // Applies `fixable` to the current text; false when the result would not parse.
  auto round = [&](const std::vector<const Diagnostic*>& fixable) {
    Applied applied = apply_fixes(out.text, fixable, unsafe);
    if (applied.fixed.empty() || applied.text == out.text) return false;
    FileResult next = lint_parsed(path, applied.text, kind, lint);
    if (const Note* n = new_problem(original_notes, next.notes)) {
      if (fixable.size() == 1) {
        refused.insert(fixable[0]->rule + "\n" + fixable[0]->message);
        out.problem = fixable[0]->rule + " fix at line " + std::to_string(fixable[0]->range.start.line) +
                      " not applied: the fixed text would not parse (" + n->message + ")";
      }
      return false;
    }
    for (const Diagnostic* d : applied.fixed) out.applied.push_back(*d);
    out.text = std::move(applied.text);
    current = std::move(next);
    return true;
  };
  for (int r = 0; r < kMaxRounds; ++r) {
    std::vector<Diagnostic> shown = hidden.visible(current.diagnostics);
    std::vector<const Diagnostic*> fixable;
    for (const auto& d : shown)
      if (applicable_fix(d, unsafe) && !refused.count(d.rule + "\n" + d.message)) fixable.push_back(&d);
    if (fixable.empty()) break;
    if (round(fixable)) continue;
    // Together they fail: one at a time, keeping those that parse.
    bool any = false;
    for (const Diagnostic* d : fixable) {
      std::vector<Diagnostic> again = hidden.visible(current.diagnostics);
      auto same = std::find_if(again.begin(), again.end(), [&](const Diagnostic& x) {
        return x.rule == d->rule && x.message == d->message && applicable_fix(x, unsafe) &&
               !refused.count(x.rule + "\n" + x.message);
      });
      if (same != again.end() && round({&*same})) any = true;
    }
    if (!any) break;
  }
  out.remaining = hidden.visible(current.diagnostics);
  return out;
}

bool write_atomically(const std::string& path, const std::string& content, std::string& error) {
  std::string target = path;
  if (char* resolved = ::realpath(path.c_str(), nullptr)) {
    target = resolved;
    std::free(resolved);
  }
  struct stat st {};
  bool existed = ::stat(target.c_str(), &st) == 0;
  std::size_t slash = target.find_last_of('/');
  std::string dir = slash == std::string::npos ? "." : target.substr(0, slash == 0 ? 1 : slash);
  std::string base = slash == std::string::npos ? target : target.substr(slash + 1);
  std::string tmpl = dir + "/." + base + ".ecolint.XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) {
    error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  bool ok = true;
  const char* p = content.data();
  std::size_t left = content.size();
  while (ok && left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno != EINTR) ok = false;
      continue;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (ok) {
    if (existed) {
      ::fchmod(fd, st.st_mode & 07777);
      if (::fchown(fd, st.st_uid, st.st_gid) != 0) {
        // Not the owner: the file becomes ours, as an editor's save would make it.
      }
    } else {
      mode_t mask = ::umask(0);
      ::umask(mask);
      ::fchmod(fd, 0666 & ~mask);
    }
  }
  if (ok && ::fsync(fd) != 0) ok = false;
  int saved = errno;
  if (::close(fd) != 0 && ok) ok = false, saved = errno;
  if (ok && std::rename(name.data(), target.c_str()) != 0) ok = false, saved = errno;
  if (!ok) {
    ::unlink(name.data());
    error = "cannot write " + path + ": " + std::strerror(saved);
  }
  return ok;
}

Outcome run(const Options& options, const LintOptions& lint, std::vector<Diagnostic>& diagnostics,
            std::vector<Note>& notes, std::ostream& out, std::ostream& err) {
  Outcome outcome;
  outcome.diff_only = options.diff;
  bool fixing = options.fix || options.diff;
  std::map<std::string, std::vector<Diagnostic>> by_path;
  for (const auto& d : diagnostics) {
    if (!d.fixes.empty() && !applicable_fix(d, options.unsafe)) ++outcome.hidden_unsafe;
    if (applicable_fix(d, options.unsafe)) by_path[d.path];
  }
  if (!fixing) {
    if (options.show)
      for (const auto& d : diagnostics)
        for (const auto& f : d.fixes)
          err << where(d) << ": " << d.rule << " fix available (" << applicability_name(f.applicability) << "): " << f.title << "\n";
    return outcome;
  }
  for (const auto& d : diagnostics)
    if (by_path.count(d.path)) by_path[d.path].push_back(d);

  std::map<std::string, std::vector<Diagnostic>> remaining;
  for (const auto& [path, reported] : by_path) {
    std::string bytes, error;
    if (!read_all(path, bytes, error)) {
      err << "ecolint: error: " << error << "\n";
      outcome.error = true;
      continue;
    }
    bool bom = bytes.compare(0, 3, kBom) == 0;
    std::string text = bom ? bytes.substr(3) : bytes;
    FixedText result = fix_text(path, text, kind_of_path(path), lint, reported, options.unsafe);
    if (!result.problem.empty()) notes.push_back({path, result.problem, {}});
    if (result.applied.empty()) continue;
    std::string fixed = (bom ? kBom : "") + result.text;
    ++outcome.files;
    outcome.fixed += result.applied.size();
    if (options.show)
      for (const auto& d : result.applied) {
        const Fix* f = applicable_fix(d, options.unsafe);
        err << where(d) << ": " << d.rule << (options.diff ? " would be fixed (" : " fixed (")
            << applicability_name(f->applicability) << "): " << f->title << "\n";
      }
    if (options.diff) {
      out << unified_diff(path, bytes, fixed);
      continue;
    }
    if (!write_atomically(path, fixed, error)) {
      err << "ecolint: error: " << error << "\n";
      outcome.error = true;
      continue;
    }
    remaining[path] = std::move(result.remaining);
  }
  if (!remaining.empty()) {
    std::vector<Diagnostic> kept;
    for (auto& d : diagnostics)
      if (!remaining.count(d.path)) kept.push_back(std::move(d));
    for (auto& [path, ds] : remaining)
      for (auto& d : ds) kept.push_back(std::move(d));
    std::sort(kept.begin(), kept.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::tie(a.path, a.range.start.line, a.range.start.column, a.rule) <
             std::tie(b.path, b.range.start.line, b.range.start.column, b.rule);
    });
    diagnostics = std::move(kept);
  }
  if (options.diff)
    err << "ecolint: " << plural(outcome.fixed, "fix", "fixes") << " would be applied to "
        << plural(outcome.files, "file", "files") << " (nothing written)\n";
  else
    err << "ecolint: fixed " << plural(outcome.fixed, "finding", "findings") << " in "
        << plural(outcome.files, "file", "files") << "\n";
  if (outcome.hidden_unsafe)
    err << "ecolint: " << plural(outcome.hidden_unsafe, "finding has an unsafe fix", "findings have unsafe fixes")
        << " (they change model outputs, memory use or latency): --unsafe-fixes applies them\n";
  return outcome;
}

}  // namespace ecolint::fix
