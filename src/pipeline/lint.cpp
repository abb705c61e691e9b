#include "pipeline/lint.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <memory>
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>

#include "base/parse_budget.hpp"
#include "base/source.hpp"
#include "base/text.hpp"
#include "base/utf8.hpp"
#include "pipeline/analyse.hpp"
#include "pipeline/isolation.hpp"
#include "pipeline/triage.hpp"
#include "rules/rule.hpp"
#include "suppress/suppress.hpp"
#include "yaml/guards.hpp"

namespace ecolint {

LintOptions LintOptions::all_rules() {
  LintOptions o;
  for (const auto& r : ecolint::all_rules()) o.enabled_rules.push_back(r->id());
  return o;
}

namespace pipeline {

namespace {

// A prefilter of the triggers `triggers_of` gives for the enabled rules, built once per set of
// enabled rules and shared by the threads; null when it gives none and there is no `marker`.
template <typename TriggersOf>
const Prefilter* cached_prefilter(const LintOptions& options, TriggersOf&& triggers_of, const std::string& marker) {
  struct Last {
    std::vector<std::string> rules;
    const Prefilter* set = nullptr;
  };
  thread_local Last last;
  if (last.set && last.rules == options.enabled_rules) return last.set;
  static std::mutex mutex;
  static std::map<std::vector<std::string>, std::unique_ptr<Prefilter>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto [slot, added] = cache.try_emplace(options.enabled_rules);
  if (added) {
    std::vector<Trigger> triggers;
    for (const auto& rule : all_rules())
      if (std::find(options.enabled_rules.begin(), options.enabled_rules.end(), rule->id()) != options.enabled_rules.end())
        for (auto& t : triggers_of(*rule)) triggers.push_back(std::move(t));
    if (!triggers.empty() || !marker.empty()) slot->second = std::make_unique<Prefilter>(triggers, marker);
  }
  last.rules = options.enabled_rules;
  last.set = slot->second.get();
  return last.set;
}

}  // namespace

// Each is instantiated once, so each has its own cache.
const Prefilter& prefilter_for(const LintOptions& options) {
  return *cached_prefilter(options, [](const Rule& rule) { return rule.triggers(); }, std::string(suppress::kMarker));
}

const Prefilter& setting_prefilter_for(const LintOptions& options) {
  return *cached_prefilter(options, [](const Rule& rule) { return rule.setting_triggers(); },
                           std::string(suppress::kMarker));
}

bool reads_python(FileKind kind, std::string_view bytes) {
  switch (kind) {
    case FileKind::Python:
    case FileKind::Notebook:
      return true;
    case FileKind::Yaml:
      return yaml::python_key_possible(bytes);
    default:
      return false;
  }
}

Prefilter::Result triage(const LintOptions& options, FileKind kind, std::string_view bytes) {
  bool python = kind == FileKind::Python;
  Prefilter::Result result = prefilter_for(options).check(bytes, python);
  // Most files hold no trigger at all and are decided by the one scan; only a candidate is asked
  // whether its code words can count.
  if (result.candidate && !reads_python(kind, bytes)) result = setting_prefilter_for(options).check(bytes, python);
  return result;
}

const Prefilter* call_syntax_prefilter_for(const LintOptions& options) {
  return cached_prefilter(
      options, [](const Rule& rule) { return rule.reads_call_syntax() ? rule.triggers() : std::vector<Trigger>{}; },
      std::string());
}

}  // namespace pipeline

namespace {

// How much of a file that nothing needs is looked at for a NUL byte (git's binary heuristic
// also reads the first 8,000 bytes): a UTF-16 source gets its note without a full scan.
constexpr std::size_t kBinarySniffBytes = 8192;

// Everything after triage: the file holds a trigger word (`candidate`) or a suppression comment.
FileResult decode_and_analyse(const std::string& display_path, std::string text, FileKind kind,
                              const LintOptions& options, bool candidate) {
  if (std::memchr(text.data(), 0, text.size())) {
    FileResult result;
    result.notes.push_back({display_path, "binary file (contains a NUL byte); not analysed", {}});
    return result;
  }
  std::size_t bad = 0;
  if (!valid_utf8(text, &bad)) {
    FileResult result;
    SourceText src(text);
    result.notes.push_back({display_path, "not valid UTF-8; not analysed", src.position_from_offset(bad)});
    return result;
  }
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);  // a BOM is not a column
  // Memory follows tokens, not bytes: a dense Python file is refused before it is parsed.
  if (kind == FileKind::Python && candidate && over_python_token_limit(text)) {
    FileResult result;
    result.notes.push_back({display_path, python_tokens_note(), {}});
    return result;
  }
  return pipeline::analyse(display_path, std::move(text), kind, options, candidate);
}

// Triage on the raw bytes: no trigger word and no suppression comment means nothing can be
// reported, so the file is not copied, decoded or parsed. Encoding problems are reported only
// where they would hide something (a file with a trigger word or a suppression), except that a
// NUL near the start (a binary or UTF-16 file, whose words the byte search cannot see) always
// gets its note.
FileResult lint_bytes(const std::string& display_path, std::string_view bytes, std::string* owned, FileKind kind,
                      const LintOptions& options) {
  if (kind == FileKind::Unknown) return {};
  // A file without an extension is read only as a shell script with a #! line.
  if (kind == FileKind::MaybeShell && !is_shell_shebang(bytes)) return {};
  Prefilter::Result triage = pipeline::triage(options, kind, bytes);
  bool candidate = triage.candidate;
  bool suppressions = !candidate && kind != FileKind::Notebook && triage.marker;
  if (!candidate && !suppressions) {
    FileResult result;
    if (std::memchr(bytes.data(), 0, std::min(bytes.size(), kBinarySniffBytes)))
      result.notes.push_back({display_path, "binary file (contains a NUL byte); not analysed", {}});
    return result;
  }
  std::string text = owned ? std::move(*owned) : std::string(bytes);
  if (options.children) return options.children->analyse({display_path, std::move(text), kind, candidate});
  return decode_and_analyse(display_path, std::move(text), kind, options, candidate);
}

}  // namespace

void start_child_processes(LintOptions& options, unsigned count, std::chrono::milliseconds budget) {
  LintOptions in_child = options;
  in_child.children.reset();
  warm_up(in_child);
  options.children = std::make_shared<pipeline::ChildProcesses>(
      count, budget, [in_child](pipeline::AnalysisRequest&& r) {
        return decode_and_analyse(r.display_path, std::move(r.text), r.kind, in_child, r.candidate);
      });
}

void warm_up(const LintOptions& options) {
  LintOptions here = options;
  here.children.reset();
  const char* python =
      "import argparse\nfrom transformers import AutoModelForCausalLM, BitsAndBytesConfig, pipeline\n"
      "p = argparse.ArgumentParser()\np.add_argument('--model', default='Qwen/Qwen2.5-1.5B')\n"
      "cfg = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type='nf4')\n"
      "m = AutoModelForCausalLM.from_pretrained(p.parse_args().model, quantization_config=cfg, load_in_8bit=True)\n"
      "pipe = pipeline('text-generation', model='gpt2', batch_size=1)\n"
      "for q in prompts:\n    out = m.generate(tok(q))  # ecolint: ignore[ECO003] warm-up\n";
  const char* yaml =
      "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n"
      "      nodeSelector: {nvidia.com/gpu.product: NVIDIA-A100-SXM4-80GB}\n      containers:\n"
      "        - image: ghcr.io/huggingface/text-generation-inference\n"
      "          args: [--model-id, facebook/opt-1.3b, --quantize, bitsandbytes, --max-batch-size, '1']\n"
      "---\napiVersion: v1\nkind: ConfigMap\ndata:\n  serve.py: |\n    load_in_8bit = True\n"
      "---\nbase_model: Qwen/Qwen2.5-0.5B\nadapter: qlora\nload_in_4bit: true\n";
  const char* notebook =
      "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {\"colab\": {\"gpuType\": \"T4\"}}, \"cells\": ["
      "{\"cell_type\": \"code\", \"source\": [\"!vllm serve m --max-num-seqs 1\\n\", \"x = dict(load_in_8bit=True)\\n\"]}]}";
  lint_text("warm-up.py", python, FileKind::Python, here);
  lint_text("warm-up.yaml", yaml, FileKind::Yaml, here);
  lint_text("warm-up.ipynb", notebook, FileKind::Notebook, here);
}

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
