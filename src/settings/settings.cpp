#include "settings/settings.hpp"

#include <cstring>
#include <yaml-cpp/yaml.h>

// toml++ is used header-only here (its only translation unit), so no library needs linking.
#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "base/regular_file.hpp"
#include "base/utf8.hpp"
#include "catalog/rule_info.hpp"
#include "yaml/guards.hpp"

namespace fs = std::filesystem;

namespace ecolint::settings {

namespace {

// A configuration value, independent of the file format. YAML scalars arrive untyped (`text`
// with `untyped` set) and are converted when a key asks for a bool or a number.
struct Value {
  enum Kind { Text, Bool, Number, List, Map, Other } kind = Other;
  std::string text;
  bool untyped = false;
  bool flag = false;
  double number = 0;
  std::vector<Value> items;
  std::vector<std::pair<std::string, Value>> entries;
  unsigned line = 0;  // 1-based line in the configuration file, 0 when unknown
};

// No setting nests deeper than this (per-file-ignores: table, map, list, string).
constexpr int kMaxValueDepth = 8;

// Turns a parsed document into Values, counting every node it visits against the budget (an
// alias each time it is reached: a 600-byte alias bomb expands to 10^10 visits).
class Converter {
 public:
  Converter(const std::string& name, std::size_t max_nodes) : name_(name), max_nodes_(max_nodes) {}

  Value from_yaml(const YAML::Node& n, int depth = 0) {
    count();
    Value v;
    if (depth > kMaxValueDepth) return v;
    if (n.Mark().line >= 0) v.line = static_cast<unsigned>(n.Mark().line) + 1;
    if (n.IsScalar()) {
      v.kind = Value::Text;
      v.text = n.Scalar();
      v.untyped = n.Tag() != "!";  // "!" marks a quoted scalar
    } else if (n.IsSequence()) {
      v.kind = Value::List;
      for (const auto& item : n) v.items.push_back(from_yaml(item, depth + 1));
    } else if (n.IsMap()) {
      v.kind = Value::Map;
      for (const auto& kv : n) {
        count();  // the key
        v.entries.emplace_back(kv.first.IsScalar() ? kv.first.Scalar() : std::string(), from_yaml(kv.second, depth + 1));
      }
    }
    return v;
  }

  Value from_toml(const toml::node& n, int depth = 0) {
    count();
    Value v;
    if (depth > kMaxValueDepth) return v;
    v.line = static_cast<unsigned>(n.source().begin.line);
    if (auto s = n.as_string()) {
      v.kind = Value::Text;
      v.text = s->get();
    } else if (auto b = n.as_boolean()) {
      v.kind = Value::Bool;
      v.flag = b->get();
    } else if (auto i = n.as_integer()) {
      v.kind = Value::Number;
      v.number = static_cast<double>(i->get());
    } else if (auto f = n.as_floating_point()) {
      v.kind = Value::Number;
      v.number = f->get();
    } else if (auto a = n.as_array()) {
      v.kind = Value::List;
      for (const auto& item : *a) v.items.push_back(from_toml(item, depth + 1));
    } else if (auto t = n.as_table()) {
      v.kind = Value::Map;
      for (const auto& [k, item] : *t) v.entries.emplace_back(std::string(k.str()), from_toml(item, depth + 1));
    }
    return v;
  }

 private:
  void count() {
    if (++visits_ > max_nodes_)
      throw SettingsError(name_ + ": more than " + std::to_string(max_nodes_) +
                          " values to read (a YAML alias counts each time it is used); not read as a configuration");
  }
  const std::string& name_;
  std::size_t max_nodes_;
  std::size_t visits_ = 0;
};

class Reader {
 public:
  Reader(std::string name) : name_(std::move(name)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw SettingsError(name_ + (line_ ? ":" + std::to_string(line_) : "") + ": " + (key.empty() ? "" : "'" + key + "': ") +
                        what);
  }
  // The line the next messages point at: the setting being read.
  void at(unsigned line) { line_ = line; }

  std::string text(const std::string& key, const Value& v) const {
    if (v.kind != Value::Text) fail(key, "expected a string");
    return v.text;
  }

  bool flag(const std::string& key, const Value& v) const {
    if (v.kind == Value::Bool) return v.flag;
    if (v.kind == Value::Text && v.untyped) {
      if (v.text == "true" || v.text == "True" || v.text == "yes") return true;
      if (v.text == "false" || v.text == "False" || v.text == "no") return false;
    }
    fail(key, "expected true or false");
  }

  double number(const std::string& key, const Value& v) const {
    double x = 0;
    if (v.kind == Value::Number) {
      x = v.number;
    } else if (v.kind == Value::Text && v.untyped) {
      std::istringstream in(v.text);
      in >> x;
      if (!in || !in.eof()) fail(key, "expected a number, got '" + v.text + "'");
    } else {
      fail(key, "expected a number");
    }
    if (!std::isfinite(x) || x < 0) fail(key, "expected a number >= 0");
    return x;
  }

  std::vector<std::string> list(const std::string& key, const Value& v) const {
    std::vector<std::string> out;
    if (v.kind == Value::Text) {
      out.push_back(v.text);
    } else if (v.kind == Value::List) {
      for (const auto& item : v.items) out.push_back(text(key, item));
    } else {
      fail(key, "expected a list of strings");
    }
    return out;
  }

  std::vector<std::string> rule_list(const std::string& key, const Value& v) const {
    auto ids = list(key, v);
    for (const auto& sel : ids) {
      const auto& rules = catalog::rule_infos();
      bool known = !sel.empty() &&
                   std::any_of(rules.begin(), rules.end(), [&](const auto& r) { return r.id.rfind(sel, 0) == 0; });
      if (!known) {
        std::string names;
        for (const auto& r : rules) names += (names.empty() ? "" : ", ") + r.id;
        fail(key, "unknown rule '" + sel + "' (known rules: " + names + ")");
      }
    }
    return ids;
  }

 private:
  std::string name_;
  unsigned line_ = 0;
};

Settings from_table(const Value& table, const std::string& name) {
  Reader r(name);
  Settings s;
  if (table.kind != Value::Map) r.fail("", "expected a mapping of settings");
  for (const auto& [key, v] : table.entries) {
    r.at(v.line);
    if (key == "select") s.select = r.rule_list(key, v);
    else if (key == "ignore") s.ignore = r.rule_list(key, v);
    else if (key == "extend-select") s.extend_select = r.rule_list(key, v);
    else if (key == "extend-ignore") s.extend_ignore = r.rule_list(key, v);
    else if (key == "severity") {
      if (v.kind != Value::Map) r.fail(key, "expected a mapping of rule id to note, warning or error");
      for (const auto& [rule, level_value] : v.entries) {
        r.at(level_value.line);
        Value rule_value;
        rule_value.kind = Value::Text;
        rule_value.text = rule;
        r.rule_list(key, rule_value);  // a known rule or prefix
        std::string level = r.text(key + "." + rule, level_value);
        Severity severity;
        if (!parse_severity(level, severity)) r.fail(key + "." + rule, "expected note, warning or error, got '" + level + "'");
        s.severity.emplace_back(rule, severity);
      }
    }
    else if (key == "exclude") s.exclude = r.list(key, v);
    else if (key == "gpu") s.gpu = r.text(key, v);
    else if (key == "fail-level") {
      std::string level = r.text(key, v);
      Severity severity;
      if (!parse_severity(level, severity)) r.fail(key, "expected note, warning or error, got '" + level + "'");
      s.fail_level = severity;
    } else if (key == "tokens-per-day") s.tokens_per_day = r.number(key, v);
    else if (key == "price-per-kwh") s.price_per_kwh = r.number(key, v);
    else if (key == "grid-gco2-per-kwh") s.grid_gco2_per_kwh = r.number(key, v);
    else if (key == "report-unused-suppressions") s.report_unused_suppressions = r.flag(key, v);
    else if (key == "per-file-ignores") {
      if (v.kind != Value::Map) r.fail(key, "expected a mapping of glob to rule ids");
      for (const auto& [glob, ids] : v.entries) s.per_file_ignores.emplace_back(glob, r.rule_list(key + "." + glob, ids));
    } else {
      r.fail(key, "unknown setting (known: select, ignore, extend-select, extend-ignore, per-file-ignores, exclude, "
                  "gpu, fail-level, severity, tokens-per-day, price-per-kwh, grid-gco2-per-kwh, "
                  "report-unused-suppressions)");
    }
  }
  return s;
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string read_configuration(const std::string& path, const Limits& limits) {
  std::string text, error;
  if (!read_regular_file(path, {limits.max_bytes, true}, text, error))
    throw SettingsError(path + ": cannot read the configuration file: " + error);
  return text;
}

// The [tool.ecolint] table of a TOML document, or nullptr.
const toml::table* tool_table(const toml::table& doc) {
  const auto* tool = doc.get_as<toml::table>("tool");
  return tool ? tool->get_as<toml::table>("ecolint") : nullptr;
}

}  // namespace

namespace {

// Only the [tool.ecolint] tables of a pyproject.toml are handed to the TOML parser: the rest of the
// file is not ours to read, and toml++ 3.3 reaches undefined behaviour (an "unreachable" branch)
// on some non-ASCII characters outside strings (found by fuzzing). Other lines become blank, so
// line numbers in messages stay right; non-ASCII outside strings and comments is refused here.
std::string ecolint_tables(const std::string& text, const std::string& name) {
  std::string out;
  bool inside = false;
  std::size_t start = 0;
  unsigned line_no = 0;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    ++line_no;
    std::size_t first = line.find_first_not_of(" \t");
    if (first != std::string::npos && line[first] == '[') {
      std::string header = line.substr(first);
      inside = header.rfind("[tool.ecolint]", 0) == 0 || header.rfind("[tool.ecolint.", 0) == 0 ||
               header.rfind("[[tool.ecolint.", 0) == 0;
    }
    if (inside) out += line;
    if (nl == std::string::npos) break;
    out += '\n';
    start = nl + 1;
  }
  // toml++ must see ASCII only: on non-ASCII it may take for code (its model of strings differs
  // from ours on invalid TOML, e.g. `= +"é"`) it reaches the unreachable branch. So non-ASCII in a
  // basic string ("...", \"\"\"...\"\"\") becomes a \u escape (the same value), in a comment a `?`,
  // and anywhere else (code, a literal '...' string) is refused.
  if (!valid_utf8(out, nullptr))
    throw SettingsError(name + ": invalid TOML: [tool.ecolint] is not valid UTF-8");
  enum { Code, Basic, Literal, MultiBasic, MultiLiteral, Comment } state = Code;
  std::string ascii;
  ascii.reserve(out.size());
  line_no = 1;
  for (std::size_t i = 0; i < out.size(); ++i) {
    char c = out[i];
    auto at = [&](const char* s) { return out.compare(i, std::strlen(s), s) == 0; };
    if (static_cast<unsigned char>(c) >= 0x80) {
      // One whole UTF-8 sequence (the text is valid UTF-8).
      std::size_t len = (static_cast<unsigned char>(c) >= 0xF0) ? 4 : (static_cast<unsigned char>(c) >= 0xE0) ? 3 : 2;
      if (state == Basic || state == MultiBasic) {
        uint32_t cp = static_cast<unsigned char>(c) & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
        for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(out[i + k]) & 0x3F);
        char buf[16];
        std::snprintf(buf, sizeof buf, cp > 0xFFFF ? "\\U%08X" : "\\u%04X", static_cast<unsigned>(cp));
        ascii += buf;
      } else if (state == Comment) {
        ascii += '?';
      } else {
        throw SettingsError(name + ":" + std::to_string(line_no) + ": invalid TOML: non-ASCII character outside " +
                            (state == Code ? "a string" : "a basic \"...\" string") + " in [tool.ecolint]");
      }
      i += len - 1;
      continue;
    }
    ascii += c;
    if (c == '\n') {
      ++line_no;
      if (state == Comment || state == Basic || state == Literal) state = Code;
      continue;
    }
    switch (state) {
      case Code:
        if (at("\"\"\"")) state = MultiBasic, ascii += "\"\"", i += 2;
        else if (at("\'\'\'")) state = MultiLiteral, ascii += "''", i += 2;
        else if (c == '"') state = Basic;
        else if (c == '\'') state = Literal;
        else if (c == '#') state = Comment;
        break;
      case Basic:
      case MultiBasic:
        if (c == '\\' && i + 1 < out.size() && static_cast<unsigned char>(out[i + 1]) < 0x80 && out[i + 1] != '\n') {
          ascii += out[++i];
        } else if (state == Basic && c == '"') {
          state = Code;
        } else if (state == MultiBasic && at("\"\"\"")) {
          state = Code, ascii += "\"\"", i += 2;
        }
        break;
      case Literal:
        if (c == '\'') state = Code;
        break;
      case MultiLiteral:
        if (at("\'\'\'")) state = Code, ascii += "''", i += 2;
        break;
      case Comment:
        break;
    }
  }
  return ascii;
}

}  // namespace

Settings parse_text(const std::string& text, const std::string& name, const Limits& limits) {
  if (text.size() > limits.max_bytes)
    throw SettingsError(name + ": larger than the " + byte_size_text(limits.max_bytes) + " limit of a configuration file");
  Converter convert(name, limits.max_nodes);
  if (ends_with(name, ".toml")) {
    toml::table doc;
    try {
      doc = toml::parse(ecolint_tables(text, name), std::string_view(name));
    } catch (const toml::parse_error& e) {
      std::ostringstream msg;
      msg << name << ":" << e.source().begin.line << ":" << e.source().begin.column << ": invalid TOML: "
          << e.description();
      throw SettingsError(msg.str());
    }
    const toml::table* t = tool_table(doc);
    if (!t) return {};
    return from_table(convert.from_toml(*t), name);
  }
  // The linted-YAML guards first (yaml/guards.hpp): yaml-cpp recurses once per nesting level and
  // builds a tree of about 470 bytes a node, so depth and node count are checked on the text and
  // on the event stream before any tree exists.
  if (auto deep = yaml::too_deep(text, limits.max_depth)) {
    SourceText source(text);
    throw SettingsError(name + ":" + std::to_string(source.position_from_offset(deep->offset).line) +
                        ": YAML nested more than " + std::to_string(limits.max_depth) + " levels deep");
  }
  YAML::Node doc;
  try {
    if (yaml::check_stream(text, 1, limits.max_nodes) == yaml::StreamProblem::TooManyNodes)
      throw SettingsError(name + ": YAML has more than " + std::to_string(limits.max_nodes) +
                          " nodes; not read as a configuration");
    doc = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw SettingsError(name + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
  }
  if (doc.IsNull()) return {};
  return from_table(convert.from_yaml(doc), name);
}

Settings load_file(const std::string& path, const Limits& limits) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(path, ec))) throw SettingsError(path + ": configuration file not found");
  Settings s = parse_text(read_configuration(path, limits), path, limits);
  s.source = path;
  s.root = fs::absolute(path, ec).parent_path().lexically_normal().string();
  return s;
}

namespace {
// The configuration file in directory `dir` itself: .ecolint.yaml, .ecolint.yml, or a
// pyproject.toml that mentions tool.ecolint (or cannot be read to tell); nullopt for none.
std::optional<std::string> configuration_in(const fs::path& dir) {
  std::error_code ec;
  // Whatever is there under a configuration file's name is the configuration: a FIFO, a device
  // or a link to one is then refused by load_file with an error, rather than silently skipped for
  // a configuration further up.
  auto present = [&](const fs::path& p) { return fs::exists(fs::symlink_status(p, ec)); };
  for (const char* name : {".ecolint.yaml", ".ecolint.yml"}) {
    fs::path candidate = dir / name;
    if (present(candidate)) return candidate.string();
  }
  fs::path pyproject = dir / "pyproject.toml";
  if (present(pyproject)) {
    std::string text, error;
    // A pyproject.toml without our table does not stop the search; one that mentions us, or
    // cannot be read to tell, is loaded (and a broken one reported).
    if (!read_regular_file(pyproject.string(), {Limits{}.max_bytes, true}, text, error) ||
        text.find("tool.ecolint") != std::string::npos)
      return pyproject.string();
  }
  return std::nullopt;
}
}  // namespace

std::optional<std::string> discover_from_directory(const std::string& start, std::map<std::string, std::string>* memo) {
  std::vector<std::string> chain;  // directories looked at, nearest first
  std::string answer;              // "" for none
  for (fs::path dir(start);;) {
    std::string key = dir.string();
    if (memo) {
      if (auto it = memo->find(key); it != memo->end()) {
        answer = it->second;
        break;
      }
    }
    chain.push_back(key);
    if (auto found = configuration_in(dir)) {
      answer = *found;
      break;
    }
    std::error_code ec;
    if (fs::exists(dir / ".git", ec)) break;  // top of the work tree
    fs::path parent = dir.parent_path();
    if (parent == dir || parent.empty()) break;
    dir = parent;
  }
  if (memo)
    for (const auto& key : chain) (*memo)[key] = answer;
  if (answer.empty()) return std::nullopt;
  return answer;
}

std::optional<std::string> discover(const std::string& first_path) {
  std::error_code ec;
  fs::path dir = fs::absolute(first_path, ec).lexically_normal();
  if (ec) return std::nullopt;
  if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
  return discover_from_directory(dir.string());
}

std::vector<std::string> resolve_rules(const std::vector<std::string>& all_ids,
                                       const std::vector<const RuleSelection*>& sources) {
  std::vector<bool> on(all_ids.size(), true);
  for (const RuleSelection* source : sources) {
    if (!source) continue;
    if (source->select) std::fill(on.begin(), on.end(), false);
    // (selector, enable): least specific first, so a longer selector has the last word; at equal
    // length an ignore comes after a select.
    std::vector<std::pair<std::string, bool>> steps;
    if (source->select)
      for (const auto& s : *source->select) steps.emplace_back(s, true);
    for (const auto& s : source->extend_select) steps.emplace_back(s, true);
    for (const auto& s : source->ignore) steps.emplace_back(s, false);
    std::stable_sort(steps.begin(), steps.end(), [](const auto& a, const auto& b) {
      if (a.first.size() != b.first.size()) return a.first.size() < b.first.size();
      return a.second && !b.second;
    });
    for (const auto& [selector, enable] : steps)
      for (std::size_t i = 0; i < all_ids.size(); ++i)
        if (all_ids[i].rfind(selector, 0) == 0) on[i] = enable;
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < all_ids.size(); ++i)
    if (on[i]) out.push_back(all_ids[i]);
  return out;
}

RuleSelection Settings::rule_selection() const {
  RuleSelection r;
  r.select = select;
  if (extend_select) r.extend_select = *extend_select;
  if (ignore) r.ignore = *ignore;
  if (extend_ignore) r.ignore.insert(r.ignore.end(), extend_ignore->begin(), extend_ignore->end());
  return r;
}

std::optional<Severity> Settings::severity_of(const std::string& rule) const {
  std::optional<Severity> out;
  std::size_t best = 0;
  for (const auto& [selector, level] : severity)
    if (rule.rfind(selector, 0) == 0 && (!out || selector.size() >= best)) out = level, best = selector.size();
  return out;
}

std::optional<std::string> work_tree_top(const std::string& path) {
  std::error_code ec;
  fs::path dir = fs::absolute(path, ec).lexically_normal();
  if (ec) return std::nullopt;
  if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
  while (true) {
    if (fs::exists(dir / ".git", ec)) return dir.string();
    fs::path parent = dir.parent_path();
    if (parent == dir || parent.empty()) return std::nullopt;
    dir = parent;
  }
}

namespace {

// "./a/b/" -> "a/b": the forms a user writes for the same path.
std::string_view normal_pattern(std::string_view pattern) {
  while (pattern.size() >= 2 && pattern[0] == '.' && pattern[1] == '/') pattern.remove_prefix(2);
  if (!pattern.empty() && pattern.front() == '/') pattern.remove_prefix(1);
  while (!pattern.empty() && pattern.back() == '/') pattern.remove_suffix(1);
  return pattern;
}

std::string_view last_segment(std::string_view path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

PathGlobs::PathGlobs(const std::vector<std::string>& patterns) {
  for (const auto& raw : patterns) {
    std::string_view p = normal_pattern(raw);
    if (p.empty()) continue;
    globs_.push_back({Glob(p), p.find('/') == std::string_view::npos});
  }
}

bool PathGlobs::matches(std::string_view path) const {
  if (globs_.empty()) return false;
  // The path itself, then each parent directory.
  for (std::string_view p = path; !p.empty();) {
    for (const auto& g : globs_)
      if (g.glob.matches(g.name_only ? last_segment(p) : p)) return true;
    std::size_t slash = p.rfind('/');
    if (slash == std::string_view::npos) break;
    p = p.substr(0, slash);
  }
  return false;
}

bool glob_match(std::string_view pattern, std::string_view path) {
  pattern = normal_pattern(pattern);
  if (pattern.empty()) return false;
  return Glob(pattern).matches(pattern.find('/') == std::string_view::npos ? last_segment(path) : path);
}

bool any_glob_matches(const std::vector<std::string>& globs, std::string_view path) {
  return PathGlobs(globs).matches(path);
}

}  // namespace ecolint::settings
