#include "discover/gitignore.hpp"

#include "git/libgit2.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <memory>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace ecolint {

namespace {

constexpr std::string_view kGlobSpecials = "*?[\\";

// `[:name:]` inside a bracket expression; ASCII only, as in git. False for an unknown name.
bool add_character_class(std::bitset<256>& set, std::string_view name) {
  struct Class {
    std::string_view name;
    bool (*test)(int c);
  };
  static const Class kClasses[] = {
      {"alnum", [](int c) { return std::isalnum(c) != 0; }},
      {"alpha", [](int c) { return std::isalpha(c) != 0; }},
      {"blank", [](int c) { return c == ' ' || c == '\t'; }},
      {"cntrl", [](int c) { return std::iscntrl(c) != 0; }},
      {"digit", [](int c) { return std::isdigit(c) != 0; }},
      {"graph", [](int c) { return std::isgraph(c) != 0; }},
      {"lower", [](int c) { return std::islower(c) != 0; }},
      {"print", [](int c) { return std::isprint(c) != 0; }},
      {"punct", [](int c) { return std::ispunct(c) != 0; }},
      // git's own isspace: no vertical tab, no form feed.
      {"space", [](int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }},
      {"upper", [](int c) { return std::isupper(c) != 0; }},
      {"xdigit", [](int c) { return std::isxdigit(c) != 0; }},
  };
  for (const Class& cls : kClasses) {
    if (cls.name != name) continue;
    for (int c = 0; c < 128; ++c)
      if (cls.test(c)) set.set(static_cast<std::size_t>(c));
    return true;
  }
  return false;
}

// Trailing spaces are dropped unless a backslash escapes them (tabs are kept, as in git).
std::string_view without_trailing_spaces(std::string_view line) {
  std::size_t keep = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size()) {
      ++i;
      keep = i + 1;
    } else if (line[i] != ' ') {
      keep = i + 1;
    }
  }
  return line.substr(0, keep);
}

std::string_view without_trailing_newlines(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

struct FdCloser {
  int fd;
  ~FdCloser() { ::close(fd); }
};

// Reads a regular file whole; false when it cannot be opened, is not a regular file or holds more
// than `max_bytes`.
bool read_small_file(const fs::path& file, bool follow_symlink, std::size_t max_bytes, std::string& out) {
  // O_NONBLOCK: a FIFO in the tree must not stall the walk (it is then refused as not regular).
  int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
  if (!follow_symlink) flags |= O_NOFOLLOW;
  int fd = ::open(file.c_str(), flags);
  if (fd < 0) return false;
  FdCloser closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || static_cast<std::uintmax_t>(st.st_size) > max_bytes) {
    return false;
  }
  out.clear();
  char buffer[16384];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return true;
    out.append(buffer, static_cast<std::size_t>(n));
    if (out.size() > max_bytes) return false;  // it grew while being read
  }
}

bool exists_as(const fs::path& p, mode_t type) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && (st.st_mode & S_IFMT) == type;
}

// A path read from a file or from config; a relative one is relative to `relative_to`.
fs::path resolved_path(std::string_view target, const fs::path& relative_to) {
  fs::path p{std::string(target)};
  p = (p.is_relative() ? relative_to / p : p).lexically_normal();
  if (!p.has_filename() && p.has_relative_path()) p = p.parent_path();  // "a/b/.." is "a/", not "a"
  return p;
}

// The common directory of a git directory, if it looks like one (HEAD in it; objects and refs in
// the common directory, which a linked worktree names in its `commondir` file), as git checks.
std::optional<fs::path> common_dir_of(const fs::path& git_dir) {
  if (::access((git_dir / "HEAD").c_str(), F_OK) != 0) return std::nullopt;
  fs::path common = git_dir;
  std::string text;
  if (read_small_file(git_dir / "commondir", true, 4096, text))
    common = resolved_path(without_trailing_newlines(text), git_dir);
  if (!exists_as(common / "objects", S_IFDIR) || !exists_as(common / "refs", S_IFDIR)) return std::nullopt;
  return common;
}

struct RepoDeleter {
  void operator()(git_repository* r) const { git::api().git_repository_free(r); }
};
struct ConfigDeleter {
  void operator()(git_config* c) const { git::api().git_config_free(c); }
};

// Whether any configuration file git or libgit2 reads for this work tree could set
// core.excludesFile: one that mentions it or includes another file. Starting libgit2 costs more
// than a whole small run (it loads the TLS certificates), and most configurations set no
// excludesFile, so those are answered without it.
bool config_may_set_excludes_file(const GitWorkTree& tree) {
  std::vector<fs::path> files = {"/etc/gitconfig", tree.common_dir / "config", tree.common_dir / "config.worktree"};
  const char* home = std::getenv("HOME");
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (home && *home) files.push_back(fs::path(home) / ".gitconfig");
  if (xdg && *xdg) files.push_back(fs::path(xdg) / "git" / "config");
  else if (home && *home) files.push_back(fs::path(home) / ".config" / "git" / "config");
  for (const auto& f : files) {
    std::string text;
    if (::access(f.c_str(), F_OK) != 0) continue;
    if (!read_small_file(f, true, 1 << 20, text)) return true;  // unreadable or huge: ask libgit2
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (text.find("excludesfile") != std::string::npos || text.find("include") != std::string::npos) return true;
  }
  return false;
}

// The value of core.excludesFile in the repository's configuration (with the global and system
// ones under it), `~/` expanded; nullopt when unset or unreadable.
std::optional<std::string> configured_excludes_file(const GitWorkTree& tree) {
  if (!config_may_set_excludes_file(tree)) return std::nullopt;
  // libgit2 is loaded on first use only (src/git/libgit2.hpp). Without it (a broken install) the
  // default ignore file is used.
  try {
    git::api();
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::unique_ptr<git_repository, RepoDeleter> repo;
  std::unique_ptr<git_config, ConfigDeleter> config;
  git_repository* raw_repo = nullptr;
  git_config* raw_config = nullptr;
  if (git::api().git_repository_open_ext(&raw_repo, tree.top.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) == 0) {
    repo.reset(raw_repo);
    if (git::api().git_repository_config(&raw_config, repo.get()) != 0) return std::nullopt;
    config.reset(raw_config);
  } else {
    // libgit2 refuses some repositories (one owned by another user, say); reading one setting of
    // their configuration file is harmless.
    if (git::api().git_config_open_default(&raw_config) != 0) return std::nullopt;
    config.reset(raw_config);
    fs::path local = tree.common_dir / "config";
    if (::access(local.c_str(), R_OK) == 0)
      git::api().git_config_add_file_ondisk(config.get(), local.c_str(), GIT_CONFIG_LEVEL_LOCAL, nullptr, 0);
  }
  git_buf value = GIT_BUF_INIT;
  std::optional<std::string> result;
  if (git::api().git_config_get_path(&value, config.get(), "core.excludesfile") == 0) result.emplace(value.ptr, value.size);
  git::api().git_buf_dispose(&value);
  return result;
}

// core.excludesFile, or git's default $XDG_CONFIG_HOME/git/ignore (~/.config/git/ignore).
std::optional<fs::path> excludes_file(const GitWorkTree& tree) {
  if (std::optional<std::string> configured = configured_excludes_file(tree)) {
    if (configured->empty()) return std::nullopt;
    // git reads it from the top of the work tree.
    return resolved_path(*configured, tree.top);
  }
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg && *xdg) return fs::path(xdg) / "git" / "ignore";
  const char* home = std::getenv("HOME");
  if (home && *home) return fs::path(home) / ".config" / "git" / "ignore";
  return std::nullopt;
}

}  // namespace

// ---- GitignoreGlob ----------------------------------------------------------------------------

GitignoreGlob::GitignoreGlob(std::string_view pattern) {
  // Most ignore lines are a plain name or `*.ext`: compare them directly.
  if (pattern.find_first_of(kGlobSpecials) == std::string_view::npos) {
    form_ = Form::Literal;
    literal_ = pattern;
  } else if (pattern[0] == '*' && pattern.find_first_of(kGlobSpecials, 1) == std::string_view::npos) {
    form_ = Form::StarThenLiteral;
    literal_ = pattern.substr(1);
  } else {
    form_ = compile(pattern) ? Form::General : Form::Never;
  }
}

bool GitignoreGlob::compile(std::string_view p) {
  std::size_t i = 0;
  while (i < p.size()) {
    char c = p[i];
    if (c == '\\') {
      if (i + 1 == p.size()) return false;  // a trailing backslash escapes nothing: never matches
      tokens_.push_back({TokenKind::Byte, static_cast<unsigned char>(p[i + 1])});
      i += 2;
    } else if (c == '?') {
      tokens_.push_back({TokenKind::AnyByte});
      ++i;
    } else if (c == '[') {
      if (!parse_bracket(p, i)) return false;
    } else if (c == '*') {
      std::size_t end = std::min(p.find_first_not_of('*', i), p.size());
      bool spans_dirs = false, before_slash = false;
      if (end - i >= 2 && (i == 0 || p[i - 1] == '/')) {
        before_slash = end < p.size() && p[end] == '/';
        spans_dirs = end == p.size() || before_slash || p.substr(end, 2) == "\\/";
      }
      if (!spans_dirs) {
        tokens_.push_back({TokenKind::Star});
      } else if (before_slash && tokens_.size() >= 3 && tokens_[tokens_.size() - 3].kind == TokenKind::OptionalDirs) {
        ++end;  // `**/**/` is `**/`: keeps the token count proportional to the text it needs
      } else {
        // `**/` may match no directory at all (the zero-directory case of `a/**/b`).
        if (before_slash) tokens_.push_back({TokenKind::OptionalDirs});
        tokens_.push_back({TokenKind::AnyRun});
      }
      i = end;
    } else {
      tokens_.push_back({TokenKind::Byte, static_cast<unsigned char>(c)});
      ++i;
    }
  }
  // The fewest characters a match needs, to refuse hopeless texts before simulating.
  for (std::size_t t = 0; t < tokens_.size(); ++t) {
    TokenKind kind = tokens_[t].kind;
    bool consumes_one = kind == TokenKind::Byte || kind == TokenKind::AnyByte || kind == TokenKind::ByteSet;
    bool optional_slash = t >= 2 && tokens_[t - 2].kind == TokenKind::OptionalDirs;
    if (consumes_one && !optional_slash) ++min_text_length_;
  }
  return true;
}

// `[...]` starting at p[pos]: `!` or `^` negates, `]` first is literal, `a-z` ranges, `[:alpha:]`
// classes, backslash escapes. Never matches '/'. False when malformed (the pattern never matches).
bool GitignoreGlob::parse_bracket(std::string_view p, std::size_t& pos) {
  std::size_t k = pos + 1;
  bool negated = false;
  if (k < p.size() && (p[k] == '!' || p[k] == '^')) {
    negated = true;
    ++k;
  }
  std::bitset<256> set;
  int range_start = -1;  // the previous single character, which a following `-` turns into a range
  for (bool first = true;; first = false) {
    if (k >= p.size()) return false;
    auto c = static_cast<unsigned char>(p[k]);
    if (c == ']' && !first) {
      ++k;
      break;
    }
    if (c == '\\') {
      if (++k >= p.size()) return false;
      c = static_cast<unsigned char>(p[k++]);
      set.set(c);
      range_start = c;
    } else if (c == '-' && range_start >= 0 && k + 1 < p.size() && p[k + 1] != ']') {
      ++k;
      auto high = static_cast<unsigned char>(p[k++]);
      if (high == '\\') {
        if (k >= p.size()) return false;
        high = static_cast<unsigned char>(p[k++]);
      }
      for (int b = range_start; b <= high; ++b) set.set(static_cast<std::size_t>(b));
      range_start = -1;
    } else if (c == '[' && k + 1 < p.size() && p[k + 1] == ':') {
      std::size_t close = p.find(']', k + 2);
      if (close == std::string_view::npos) return false;
      if (close > k + 2 && p[close - 1] == ':') {
        if (!add_character_class(set, p.substr(k + 2, close - 1 - (k + 2)))) return false;
        range_start = -1;
        k = close + 1;
      } else {  // no `:]` before the next `]`: a literal `[`
        set.set('[');
        range_start = '[';
        ++k;
      }
    } else {
      set.set(c);
      range_start = c;
      ++k;
    }
  }
  if (negated) set.flip();
  set.reset('/');
  tokens_.push_back({TokenKind::ByteSet, 0, static_cast<std::uint32_t>(sets_.size())});
  sets_.push_back(set);
  pos = k;
  return true;
}

bool GitignoreGlob::matches(std::string_view text) const {
  switch (form_) {
    case Form::Never:
      return false;
    case Form::Literal:
      return text == literal_;
    case Form::StarThenLiteral: {
      if (text.size() < literal_.size()) return false;
      std::size_t head = text.size() - literal_.size();
      return text.substr(head) == literal_ && text.substr(0, head).find('/') == std::string_view::npos;
    }
    case Form::General:
      return text.size() >= min_text_length_ && run_states(text);
  }
  return false;
}

// Simulates all ways of matching at once: state i means "the first i tokens matched so far".
bool GitignoreGlob::run_states(std::string_view text) const {
  const std::size_t n = tokens_.size();
  std::vector<char> current(n + 1, 0), next(n + 1, 0);
  // Adds the states reachable without consuming a character (stars matching nothing).
  auto close_over_empty = [&](std::vector<char>& states) {
    for (std::size_t i = 0; i < n; ++i) {
      if (!states[i]) continue;
      const Token& t = tokens_[i];
      if (t.kind == TokenKind::Star || t.kind == TokenKind::AnyRun) states[i + 1] = 1;
      if (t.kind == TokenKind::OptionalDirs) states[i + 1] = states[i + 3] = 1;
    }
  };
  current[0] = 1;
  close_over_empty(current);
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    std::fill(next.begin(), next.end(), 0);
    bool alive = false;
    for (std::size_t i = 0; i < n; ++i) {
      if (!current[i]) continue;
      const Token& t = tokens_[i];
      bool advance = false, stay = false;
      switch (t.kind) {
        case TokenKind::Byte: advance = c == t.byte; break;
        case TokenKind::AnyByte: advance = c != '/'; break;
        case TokenKind::ByteSet: advance = sets_[t.set_index].test(c); break;
        case TokenKind::Star: stay = c != '/'; break;
        case TokenKind::AnyRun: stay = true; break;
        case TokenKind::OptionalDirs: break;
      }
      if (advance) next[i + 1] = 1;
      if (stay) next[i] = 1;
      alive = alive || advance || stay;
    }
    if (!alive) return false;
    close_over_empty(next);
    current.swap(next);
  }
  return current[n] != 0;
}

// ---- IgnoreRules --------------------------------------------------------------------------------

void IgnoreRules::add_text(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    add_line(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
}

void IgnoreRules::add_line(std::string_view line) {
  if (line.empty() || line[0] == '#') return;
  if (line.back() == '\r') line.remove_suffix(1);
  line = line.substr(0, line.find('\0'));  // git reads each line as a C string
  line = without_trailing_spaces(line);
  bool negated = !line.empty() && line[0] == '!';
  if (negated) line.remove_prefix(1);
  bool directories_only = !line.empty() && line.back() == '/';
  if (directories_only) line.remove_suffix(1);
  if (line.empty()) return;
  bool basename_only = line.find('/') == std::string_view::npos;
  if (line[0] == '/') line.remove_prefix(1);  // a leading slash only anchors
  patterns_.push_back({GitignoreGlob(line), negated, directories_only, basename_only});
}

IgnoreVerdict IgnoreRules::match(std::string_view path, bool is_dir) const {
  std::string_view below = path;  // relative to base_
  if (!base_.empty()) {
    if (path.size() <= base_.size() || path.compare(0, base_.size(), base_) != 0 || path[base_.size()] != '/')
      return IgnoreVerdict::NoMatch;
    below.remove_prefix(base_.size() + 1);
  }
  std::size_t slash = below.rfind('/');
  std::string_view name = slash == std::string_view::npos ? below : below.substr(slash + 1);
  for (auto it = patterns_.rbegin(); it != patterns_.rend(); ++it) {
    if (it->directories_only && !is_dir) continue;
    if (it->glob.matches(it->basename_only ? name : below))
      return it->negated ? IgnoreVerdict::Reincluded : IgnoreVerdict::Ignored;
  }
  return IgnoreVerdict::NoMatch;
}

bool is_ignored(const IgnoreLevel* innermost, std::string_view path, bool is_dir) {
  for (const IgnoreLevel* level = innermost; level; level = level->parent) {
    IgnoreVerdict verdict = level->rules.match(path, is_dir);
    if (verdict != IgnoreVerdict::NoMatch) return verdict == IgnoreVerdict::Ignored;
  }
  return false;
}

// ---- Files and work trees ---------------------------------------------------------------------

bool add_ignore_file(IgnoreRules& rules, const fs::path& file, bool follow_symlink) {
  std::string text;
  if (!read_small_file(file, follow_symlink, kMaxIgnoreFileBytes, text)) return false;
  rules.add_text(text);
  return true;
}

std::optional<GitWorkTree> git_work_tree_at(const fs::path& dir) {
  fs::path dot_git = dir / ".git";
  struct stat st {};
  if (::stat(dot_git.c_str(), &st) != 0) return std::nullopt;
  fs::path git_dir;
  if (S_ISDIR(st.st_mode)) {
    git_dir = dot_git;
  } else if (S_ISREG(st.st_mode)) {
    std::string text;
    if (!read_small_file(dot_git, true, 4096, text)) return std::nullopt;
    std::string_view rest = text;
    constexpr std::string_view kPrefix = "gitdir:";
    if (rest.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
    rest.remove_prefix(kPrefix.size());
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    rest = without_trailing_newlines(rest);
    if (rest.empty()) return std::nullopt;
    git_dir = resolved_path(rest, dir);
  } else {
    return std::nullopt;
  }
  std::optional<fs::path> common = common_dir_of(git_dir);
  if (!common) return std::nullopt;
  return GitWorkTree{dir, *common};
}

std::optional<GitWorkTree> find_git_work_tree(const fs::path& dir) {
  for (fs::path d = dir;; d = d.parent_path()) {
    if (std::optional<GitWorkTree> tree = git_work_tree_at(d)) return tree;
    if (d.parent_path() == d || d.parent_path().empty()) return std::nullopt;
  }
}

IgnoreRules repository_exclude_rules(const GitWorkTree& tree) {
  IgnoreRules rules;
  if (std::optional<fs::path> file = excludes_file(tree)) add_ignore_file(rules, *file, true);
  add_ignore_file(rules, tree.common_dir / "info" / "exclude", true);
  return rules;
}

}  // namespace ecolint
