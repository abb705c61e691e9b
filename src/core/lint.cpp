#include "core/lint.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deploy/document.hpp"
#include "deploy/lint_yaml.hpp"
#include "core/prefilter.hpp"
#include "deploy/surfaces.hpp"
#include "energy/evidence.hpp"
#include "energy/gpus.hpp"
#include "notebook/notebook.hpp"
#include "python/facts.hpp"
#include "suppress/suppress.hpp"

namespace ecolint {

FileKind kind_of_path(const std::string& path) {
  auto ends_with = [&](const char* suffix) {
    std::size_t n = std::strlen(suffix);
    return path.size() >= n && path.compare(path.size() - n, n, suffix) == 0;
  };
  if (ends_with(".py")) return FileKind::Python;
  if (ends_with(".ipynb")) return FileKind::Notebook;
  if (ends_with(".yaml") || ends_with(".yml")) return FileKind::Yaml;
  return FileKind::Unknown;
}

bool valid_utf8(std::string_view s, std::size_t* bad_offset) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size(), i = 0;
  while (i < n) {
    // Most source text is ASCII: skip it eight bytes at a time (this check runs on every file).
    if (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) { i += 8; continue; }
    }
    unsigned char c = p[i];
    if (c < 0x80) { ++i; continue; }
    std::size_t len = 0;
    uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) len = 2, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) len = 3, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) len = 4, cp = c & 0x07;
    else { if (bad_offset) *bad_offset = i; return false; }
    if (i + len > n) { if (bad_offset) *bad_offset = i; return false; }
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) { if (bad_offset) *bad_offset = i; return false; }
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    i += len;
  }
  return true;
}

namespace {

// The prefilter of one run: the enabled rules' triggers, plus, for deployment files and
// notebooks (whose shell lines launch engines), the words of the engine surfaces. Built once per
// set of enabled rules and shared by the worker threads; each thread remembers the last one.
const Prefilter& prefilter_for(const LintOptions& options, bool with_surfaces) {
  struct Last {
    std::vector<std::string> rules;
    const Prefilter* set = nullptr;
  };
  thread_local Last last[2];
  Last& mine = last[with_surfaces];
  if (mine.set && mine.rules == options.enabled_rules) return *mine.set;
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<Prefilter>> cache;
  std::string key = with_surfaces ? "surfaces|" : "code|";
  for (const auto& id : options.enabled_rules) key += id + ",";
  std::lock_guard<std::mutex> lock(mutex);
  auto& slot = cache[key];
  if (!slot) {
    std::vector<TriggerWords> triggers;
    for (const auto& rule : all_rules())
      if (std::find(options.enabled_rules.begin(), options.enabled_rules.end(), rule->id()) != options.enabled_rules.end())
        for (const Trigger& t : rule->triggers())
          triggers.push_back({std::string(t.word), std::vector<std::string>(t.and_any_of.begin(), t.and_any_of.end())});
    if (with_surfaces && !options.enabled_rules.empty())
      for (const auto& w : deploy::surfaces().trigger_words) triggers.push_back({w, {}});
    slot = std::make_unique<Prefilter>(triggers, std::string(suppress::kMarker));
  }
  mine.rules = options.enabled_rules;
  mine.set = slot.get();
  return *slot;
}

bool enabled(const LintOptions& options, std::string_view id) {
  return std::find(options.enabled_rules.begin(), options.enabled_rules.end(), id) != options.enabled_rules.end();
}

// How much of a file that nothing needs is looked at for a NUL byte (git's binary heuristic
// also reads the first 8,000 bytes): a UTF-16 source gets its note without a full scan.
constexpr std::size_t kBinarySniffBytes = 8192;

// Everything after triage: the file holds a trigger word (`candidate`) or a suppression comment.
FileResult analyse(const std::string& display_path, std::string text, FileKind kind, const LintOptions& options,
                   bool candidate) {
  FileResult result;
  if (std::memchr(text.data(), 0, text.size())) {
    result.notes.push_back({display_path, "binary file (contains a NUL byte); not analysed", {}});
    return result;
  }
  std::size_t bad = 0;
  if (!valid_utf8(text, &bad)) {
    SourceText src(text);
    result.notes.push_back({display_path, "not valid UTF-8; not analysed", src.position_from_offset(bad)});
    return result;
  }
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);  // a BOM is not a column
  if (kind == FileKind::Notebook) return lint_notebook(display_path, text, options);
  // In-source suppressions apply after the rules; files the prefilter skips may still hold
  // malformed or unused ones.
  auto comment_syntax = kind == FileKind::Python ? suppress::CommentSyntax::Python : suppress::CommentSyntax::Hash;
  if (!candidate) {
    suppress::apply(display_path, text, comment_syntax, options.enabled_rules, result);
    return result;
  }

  // The GPU behind this file's estimates: --gpu or the configuration; otherwise, for a deployment
  // file, a GPU it names (node selector, accelerator field, instance type). The GPU also sets
  // ECO002's size threshold (its architecture's fitted NF4 crossover).
  LintOptions file_options = options;
  std::string gpu_origin;
  if (kind == FileKind::Yaml && options.gpu.empty()) {
    if (auto mention = energy::find_gpu_in_config(text)) {
      file_options.gpu = mention->gpu->name;
      gpu_origin = "GPU " + mention->gpu->name + " from line " + std::to_string(mention->line) + " (" + mention->written + ")";
    }
  }
  if (!file_options.nf4_threshold_b && !file_options.gpu.empty())
    file_options.nf4_threshold_b = energy::nf4_crossover_for_gpu(file_options.gpu);

  SourceText source(std::move(text));
  try {
    if (kind == FileKind::Python) {
      auto module = python::Module::analyse(source);
      for (const auto& p : module->problems())
        result.notes.push_back(
            {display_path, p.message.rfind("syntax error", 0) == 0 ? p.message + " (the rest of the file was analysed)" : p.message,
             p.position});
      LintContext ctx(display_path, source, file_options, result.diagnostics);
      for (const auto& rule : all_rules())
        if (enabled(options, rule->id())) rule->check_python(*module, ctx);
    } else if (kind == FileKind::Yaml) {
      deploy::lint_yaml(display_path, source, file_options, result);
      if (!gpu_origin.empty())
        for (auto& d : result.diagnostics) d.impact += "; " + gpu_origin;
    }
  } catch (const std::exception& e) {
    result.notes.push_back({display_path, std::string("internal error while analysing: ") + e.what(), {}});
  }
  suppress::apply(display_path, source.text(), comment_syntax, options.enabled_rules, result);
  return result;
}

// Triage on the raw bytes, which most files never get past: no trigger word and no suppression
// comment means nothing can be reported, so the file is not copied, decoded or parsed. Encoding
// problems are reported only where they would hide something (a file with a trigger word or a
// suppression), except that a NUL near the start (a binary or UTF-16 file, whose words the byte
// search cannot see) always gets its note.
FileResult lint_bytes(const std::string& display_path, std::string_view bytes, std::string* owned, FileKind kind,
                      const LintOptions& options) {
  if (kind == FileKind::Unknown) return {};
  Prefilter::Result triage = prefilter_for(options, kind != FileKind::Python).check(bytes);
  bool candidate = triage.candidate;
  bool suppressions = !candidate && kind != FileKind::Notebook && triage.marker;
  if (!candidate && !suppressions) {
    FileResult result;
    if (std::memchr(bytes.data(), 0, std::min(bytes.size(), kBinarySniffBytes)))
      result.notes.push_back({display_path, "binary file (contains a NUL byte); not analysed", {}});
    return result;
  }
  return analyse(display_path, owned ? std::move(*owned) : std::string(bytes), kind, options, candidate);
}

}  // namespace

FileResult lint_text(const std::string& display_path, std::string text, FileKind kind, const LintOptions& options) {
  std::string_view view = text;
  return lint_bytes(display_path, view, &text, kind, options);
}

FileResult lint_file(const std::string& display_path, const std::string& fs_path, const LintOptions& options,
                     const ReadLimits& limits, bool walked_regular) {
  FileResult result;
  FileKind kind = kind_of_path(fs_path);
  if (kind == FileKind::Unknown) return result;
  // O_NONBLOCK: opening a FIFO must not wait for a writer (it is then refused as not regular).
  int fd = ::open(fs_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    result.notes.push_back({display_path, std::string("cannot read: ") + std::strerror(errno), {}});
    return result;
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  auto too_large = [&](uint64_t bytes) {
    result.notes.push_back({display_path,
                            "file is " + std::to_string(bytes / (1024 * 1024)) + " MiB, over the " +
                                std::to_string(limits.max_file_bytes / (1024 * 1024)) + " MiB limit; not analysed",
                            {}});
    return result;
  };
  // Named on the command line: make sure it is a regular file of acceptable size before reading.
  std::size_t expected = 0;
  if (!walked_regular) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      result.notes.push_back({display_path, std::string("cannot read: ") + std::strerror(errno), {}});
      return result;
    }
    if (!S_ISREG(st.st_mode)) {
      result.notes.push_back({display_path, "not a regular file; not analysed", {}});
      return result;
    }
    if (static_cast<std::size_t>(st.st_size) > limits.max_file_bytes) return too_large(static_cast<uint64_t>(st.st_size));
    expected = static_cast<std::size_t>(st.st_size);
  }
  // One read buffer per thread, reused: most files are looked at once and dropped. A regular
  // file's read comes back short only at its end, so a small file takes one read.
  thread_local std::unique_ptr<char[]> buffer;
  thread_local std::size_t capacity = 0;
  auto reserve = [&](std::size_t want) {
    if (capacity >= want) return;
    std::size_t grown = std::max<std::size_t>({want, 2 * capacity, 256 * 1024});
    std::unique_ptr<char[]> bigger(new char[grown]);
    if (capacity) std::memcpy(bigger.get(), buffer.get(), capacity);
    buffer = std::move(bigger);
    capacity = grown;
  };
  const std::size_t cap = limits.max_file_bytes + 1;  // one byte more tells a file over the limit
  reserve(std::min(cap, expected + 1));
  std::size_t got = 0;
  for (;;) {
    if (got == capacity) {
      if (capacity >= cap) break;
      reserve(std::min(cap, 2 * capacity));
    }
    std::size_t want = std::min(capacity, cap) - got;
    ssize_t n = ::read(fd, buffer.get() + got, want);
    if (n < 0) {
      if (errno == EINTR) continue;
      result.notes.push_back({display_path, std::string("cannot read: ") + std::strerror(errno), {}});
      return result;
    }
    got += static_cast<std::size_t>(n);
    if (n == 0 || static_cast<std::size_t>(n) < want) break;
  }
  if (got > limits.max_file_bytes) {
    struct stat st {};
    return too_large(::fstat(fd, &st) == 0 ? static_cast<uint64_t>(st.st_size) : got);
  }
  return lint_bytes(display_path, std::string_view(buffer.get(), got), nullptr, kind, options);
}

}  // namespace ecolint
