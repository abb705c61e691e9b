#include "deploy/document.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <regex>
#include <sstream>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "deploy/command_line.hpp"
#include "deploy/surfaces.hpp"

namespace ecolint::deploy {

// ---------------------------------------------------------------------------------------------
// Launch facts

const Setting* Launch::get(std::string_view name) const {
  const Setting* best = nullptr;
  for (const auto& s : settings) {
    if (s.name != name) continue;
    if (best && !best->from_env && s.from_env) continue;  // a flag or key beats the environment
    best = &s;
  }
  return best;
}

std::string as_written(const Setting& s) {
  if (s.from_env) return s.spelled + "=" + s.value;
  if (s.row && s.row->is_bool) return s.spelled;
  if (!s.spelled.empty() && s.spelled[0] != '-' && s.row && !s.row->key.empty()) return s.spelled + ": " + s.value;
  return s.spelled + " " + s.value;
}

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// YAML 1.1 and 1.2 spellings of true, as Python tools (PyYAML) read them.
std::string canonical_value(const std::string& v) {
  std::string l = lower(v);
  if (l == "true" || l == "yes" || l == "on") return "true";
  if (l == "false" || l == "no" || l == "off") return "false";
  return v;
}

bool is_zero_number(const std::string& v, bool* numeric) {
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  *numeric = !v.empty() && end && *end == '\0';
  return *numeric && d == 0.0;
}

}  // namespace

std::vector<Quantization> quantizations(const Launch& launch) {
  std::vector<Quantization> out;
  const Engine* engine = surfaces().engine(launch.engine);
  for (const auto& s : launch.settings) {
    if (s.name != "quantize" || !s.known || !s.row) continue;
    // An env var is overridden by the same row's flag.
    if (s.from_env) {
      bool overridden = false;
      for (const auto& t : launch.settings)
        if (&t != &s && t.row == s.row && !t.from_env) overridden = true;
      if (overridden) continue;
    }
    auto m = s.row->means.find(canonical_value(s.value));
    if (m == s.row->means.end()) continue;
    bool allowed = true;
    for (const auto& [other, values] : s.row->requires_) {
      const Setting* o = launch.get(other);
      if (!o) continue;
      if (!o->known || std::find(values.begin(), values.end(), canonical_value(o->value)) == values.end()) allowed = false;
    }
    if (!allowed) continue;
    std::string method = m->second;
    if (method == "bnb4") {
      const Setting* type = launch.get("bnb_4bit_quant_type");
      method = type ? (type->known ? lower(type->value) : "4-bit") : (engine ? engine->default_4bit_type : "");
      if (method.empty()) method = "4-bit";
    }
    if (method == "int8") {
      if (const Setting* t = launch.get("llm_int8_threshold")) {
        bool numeric = false;
        if (!t->known || is_zero_number(t->value, &numeric) || !numeric) continue;  // 0.0 or not known
      }
    }
    out.push_back({method, &s});
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Cheap checks before yaml-cpp sees the text


namespace {

// Go-template actions as Helm writes them ({{ .Values.x }}, {{- if ... }}, {{ include ... }}).
// Jinja chat templates ({{ bos_token }}, {{ message['content'] }}) in a value are not Helm.
std::optional<std::size_t> helm_action(std::string_view text) {
  static const std::regex action(
      // Helm's built-in objects and template keywords. Other `{{.Name}}` placeholders (KServe
      // ServingRuntime args) sit inside ordinary YAML scalars: the file is parsed and such values
      // are treated as unknown.
      R"(\{\{-?\s*(\.(Values|Release|Chart|Capabilities|Template|Files)\b|\$|/\*|(include|template|if|else|end|range|with|define|block|toYaml|tpl|printf|required|default|quote|nindent|indent|lookup)\b))");
  std::cmatch m;
  if (std::regex_search(text.data(), text.data() + text.size(), m, action)) return static_cast<std::size_t>(m.position(0));
  return std::nullopt;
}

struct DepthProblem {
  std::size_t offset;
  unsigned depth;
};

// Nesting depth from brackets and indentation, without a parser: yaml-cpp recurses once per
// level, so a file nested thousands of levels deep is refused before it is parsed.
std::optional<DepthProblem> too_deep(std::string_view text, unsigned max_depth) {
  unsigned flow = 0;
  std::vector<std::size_t> indents;
  std::size_t i = 0, n = text.size();
  while (i < n) {
    std::size_t line_start = i;
    std::size_t indent = 0;
    while (i < n && text[i] == ' ') ++i, ++indent;
    if (flow == 0 && i < n && text[i] != '\n' && text[i] != '#') {
      while (!indents.empty() && indents.back() > indent) indents.pop_back();
      if (indents.empty() || indents.back() < indent) indents.push_back(indent);
      // "- - - x" nests one level per dash
      std::size_t j = i;
      unsigned dashes = 0;
      while (j + 1 < n && text[j] == '-' && text[j + 1] == ' ') {
        ++dashes;
        j += 2;
        while (j < n && text[j] == ' ') ++j;
      }
      if (indents.size() + dashes > max_depth) return DepthProblem{line_start, static_cast<unsigned>(indents.size() + dashes)};
    }
    bool token_start = true;
    while (i < n && text[i] != '\n') {
      char c = text[i];
      if (c == '#' && token_start) {
        while (i < n && text[i] != '\n') ++i;
        break;
      }
      if ((c == '"' || c == '\'') && token_start) {
        char q = c;
        ++i;
        while (i < n && text[i] != q) {
          if (q == '"' && text[i] == '\\') ++i;
          ++i;
        }
        if (i < n) ++i;
        token_start = false;
        continue;
      }
      if (c == '[' || c == '{') {
        if (++flow + indents.size() > max_depth) return DepthProblem{i, static_cast<unsigned>(flow + indents.size())};
      } else if ((c == ']' || c == '}') && flow > 0) {
        --flow;
      }
      token_start = c == ' ' || c == '\t' || c == '[' || c == '{' || c == ',' || c == ':';
      ++i;
    }
    if (i < n) ++i;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// The walk

bool templated(const std::string& v) {
  return v.find("{{") != std::string::npos || v.find("$(") != std::string::npos || v.find("${") != std::string::npos;
}

std::string basename_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool is_python(const std::string& program) {
  std::string b = basename_of(program);
  if (b.compare(0, 6, "python") != 0) return false;
  return std::all_of(b.begin() + 6, b.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; });
}

bool is_shell(const std::string& program) {
  std::string b = basename_of(program);
  return b == "sh" || b == "bash" || b == "dash" || b == "zsh" || b == "ash";
}

std::string dashes_for_underscores(std::string s) {
  std::replace(s.begin(), s.end(), '_', '-');
  return s;
}

class Walker {
 public:
  Walker(const SourceText& source, const AnalyseLimits& limits, Document& doc)
      : source_(source), limits_(limits), doc_(doc), table_(surfaces()) {}

  void document(const YAML::Node& root) {
    if (stopped_) return;
    if (root.IsMap()) {
      config_document(root);
      if (scalar_of(root["kind"]) == "ConfigMap") config_map_python(root);
    }
    walk(root, 0, YAML::Node());
  }

  // A shell command line outside YAML (a notebook's `!vllm serve ...`): the whole source text is
  // one shell string, read with the same launcher and flag rows.
  void shell_command() {
    std::vector<Word> words = expand_shell_scripts(split_shell(source_.text(), source_.text(), 0));
    std::vector<Launch> launches;
    std::vector<Word> segment;
    auto flush = [&] {
      if (!segment.empty()) run_segment(segment, "", launches);
      segment.clear();
    };
    for (auto& w : words) {
      if (w.separator) flush();
      else segment.push_back(w);
    }
    flush();
    for (auto& l : launches) keep(std::move(l));
  }

 private:
  const SourceText& source_;
  const AnalyseLimits& limits_;
  Document& doc_;
  const Surfaces& table_;
  std::size_t visits_ = 0;
  bool stopped_ = false;

  // --- budget ---------------------------------------------------------------------------------
  bool visit(const YAML::Node& n, unsigned depth) {
    if (stopped_) return false;
    if (++visits_ > limits_.max_nodes) {
      stop(n, "YAML has more than " + std::to_string(limits_.max_nodes) +
                  " nodes to visit (aliases are expanded); the rest of the file was not analysed");
      return false;
    }
    if (depth > limits_.max_depth) {
      stop(n, "YAML nested deeper than " + std::to_string(limits_.max_depth) + " levels; the rest of the file was not analysed");
      return false;
    }
    return true;
  }
  void stop(const YAML::Node& n, std::string message) {
    stopped_ = true;
    doc_.notes.push_back({position(n), std::move(message)});
  }

  // --- positions ------------------------------------------------------------------------------
  Position position(const YAML::Node& n) const {
    const YAML::Mark m = n.Mark();
    if (m.pos < 0) return {};
    return source_.position_from_offset(static_cast<std::size_t>(m.pos));
  }
  Range range_at(std::size_t offset, std::size_t length) const {
    Range r{source_.position_from_offset(offset), source_.position_from_offset(offset + length)};
    if (r.end.line != r.start.line) r.end = r.start;
    return r;
  }
  Range range_of(const YAML::Node& n) const {
    const YAML::Mark m = n.Mark();
    if (m.pos < 0) return {};
    std::size_t len = n.IsScalar() ? n.Scalar().size() + (n.Tag() == "!" ? 2 : 0) : 0;
    return range_at(static_cast<std::size_t>(m.pos), len);
  }

  static std::string scalar_of(const YAML::Node& n) { return n && n.IsScalar() ? n.Scalar() : ""; }

  Setting make_setting(const SettingRow& row, const std::string& spelled, const std::string& value, Range where,
                       bool from_env) const {
    Setting s;
    s.name = row.setting;
    s.value = value;
    s.known = !templated(value);
    s.spelled = spelled;
    s.from_env = from_env;
    s.row = &row;
    s.where = where;
    return s;
  }

  Launch new_launch(const std::string& engine) const {
    Launch l;
    l.engine = engine;
    const Engine* e = table_.engine(engine);
    l.engine_name = e ? e->name : engine;
    return l;
  }

  void keep(Launch&& l) {
    if (!l.settings.empty()) doc_.launches.push_back(std::move(l));
  }

  // --- config keys ----------------------------------------------------------------------------
  static bool key_matches(const SettingRow& row, const Engine* engine, const std::string& key) {
    if (row.key.empty()) return false;
    if (key == row.key) return true;
    return engine && engine->underscores_are_dashes && dashes_for_underscores(key) == dashes_for_underscores(row.key);
  }

  // Settings written as keys of `map` (rows whose `under` and `in_parent` fit).
  void keys_of(const YAML::Node& map, Launch& launch, const std::string& under, bool parent) {
    const Engine* engine = table_.engine(launch.engine);
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (!it->first.IsScalar() || !it->second.IsScalar()) continue;
      const std::string key = it->first.Scalar();
      for (const auto& row : table_.settings) {
        if (!row.for_engine(launch.engine) || row.under != under || row.in_parent != parent) continue;
        if (!key_matches(row, engine, key)) continue;
        launch.settings.push_back(make_setting(row, key, it->second.Scalar(), range_of(it->first), false));
      }
    }
  }

  static bool has_key(const YAML::Node& map, const std::string& key) {
    for (auto it = map.begin(); it != map.end(); ++it)
      if (it->first.IsScalar() && it->first.Scalar() == key) return true;
    return false;
  }

  // A whole document that is a training or `vllm serve --config` file, or a Kubernetes kind.
  void config_document(const YAML::Node& root) {
    for (const auto& l : table_.launchers) {
      bool match = false;
      if (!l.kind.empty()) {
        match = scalar_of(root["kind"]) == l.kind;
      } else if (!l.doc_keys_all.empty() || !l.doc_keys_any.empty()) {
        match = std::all_of(l.doc_keys_all.begin(), l.doc_keys_all.end(), [&](const std::string& k) { return has_key(root, k); });
        if (match && !l.doc_keys_any.empty())
          match = std::any_of(l.doc_keys_any.begin(), l.doc_keys_any.end(), [&](const std::string& k) { return has_key(root, k); });
      }
      if (!match) continue;
      Launch launch = new_launch(l.engine);
      if (l.kind.empty()) keys_of(root, launch, "", false);
      else keyed_under(root, launch, 0);
      keep(std::move(launch));
    }
  }

  // Rows with `under: X` read the keys of any map under key X in this object.
  void keyed_under(const YAML::Node& n, Launch& launch, unsigned depth) {
    if (!visit(n, depth) || !n.IsMap()) {
      if (!stopped_ && n.IsSequence())
        for (const auto& item : n) keyed_under(item, launch, depth + 1);
      return;
    }
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (it->first.IsScalar() && it->second.IsMap()) {
        const std::string key = it->first.Scalar();
        bool wanted = std::any_of(table_.settings.begin(), table_.settings.end(), [&](const SettingRow& r) {
          return r.for_engine(launch.engine) && r.under == key;
        });
        if (wanted) keys_of(it->second, launch, key, false);
      }
      keyed_under(it->second, launch, depth + 1);
    }
  }

  // --- ConfigMap Python -----------------------------------------------------------------------
  void config_map_python(const YAML::Node& root) {
    const YAML::Node data = root["data"];
    if (!data || !data.IsMap()) return;
    for (auto it = data.begin(); it != data.end(); ++it) {
      if (!it->first.IsScalar() || !it->second.IsScalar()) continue;
      const std::string key = it->first.Scalar();
      if (key.size() < 4 || key.compare(key.size() - 3, 3, ".py") != 0) continue;
      if (auto block = literal_block(it->second, key)) doc_.python_blocks.push_back(std::move(*block));
      else doc_.notes.push_back({position(it->second), "Python in ConfigMap key `" + key +
                                                           "` is not a literal block scalar (|); not analysed"});
    }
  }

  // A literal block scalar's content as file lines: verified against yaml-cpp's value so the
  // position mapping is exact, or nothing.
  std::optional<PythonBlock> literal_block(const YAML::Node& n, const std::string& key) const {
    const std::string& text = source_.text();
    const YAML::Mark m = n.Mark();
    if (m.pos < 0 || static_cast<std::size_t>(m.pos) >= text.size() || text[static_cast<std::size_t>(m.pos)] != '|')
      return std::nullopt;
    Position indicator = source_.position_from_offset(static_cast<std::size_t>(m.pos));
    uint32_t first = indicator.line + 1;
    std::size_t indent = std::string::npos;
    for (uint32_t l = first; l <= source_.line_count(); ++l) {
      std::string_view line = source_.line(l);
      std::size_t k = line.find_first_not_of(' ');
      if (k == std::string_view::npos) continue;
      indent = k;
      break;
    }
    if (indent == std::string::npos || indent == 0) return std::nullopt;
    std::string rebuilt;
    for (uint32_t l = first; l <= source_.line_count(); ++l) {
      std::string_view line = source_.line(l);
      std::size_t k = line.find_first_not_of(' ');
      if (k != std::string_view::npos && k < indent) break;
      rebuilt.append(line.size() >= indent ? line.substr(indent) : std::string_view());
      rebuilt.push_back('\n');
    }
    auto trim = [](std::string s) {
      while (!s.empty() && s.back() == '\n') s.pop_back();
      return s;
    };
    if (trim(rebuilt) != trim(n.Scalar())) return std::nullopt;
    return PythonBlock{key, n.Scalar(), first, static_cast<uint32_t>(indent)};
  }

  // --- the general walk -----------------------------------------------------------------------
  void walk(const YAML::Node& n, unsigned depth, const YAML::Node& parent) {
    if (!visit(n, depth)) return;
    if (n.IsSequence()) {
      for (const auto& item : n) walk(item, depth + 1, n);
      return;
    }
    if (!n.IsMap()) return;
    process(n);
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (it->first.IsScalar() && it->second.IsMap()) mapped_config(it->first.Scalar(), it->second, n);
      walk(it->second, depth + 1, n);
      if (stopped_) return;
    }
    (void)parent;
  }

  // A map under a recognised key (quantization_config: {...}), its model in the parent map.
  void mapped_config(const std::string& key, const YAML::Node& map, const YAML::Node& parent) {
    for (const auto& l : table_.launchers) {
      if (l.map_key.empty() || l.map_key != key) continue;
      Launch launch = new_launch(l.engine);
      keys_of(map, launch, "", false);
      if (launch.settings.empty()) continue;
      keys_of(parent, launch, "", true);
      keep(std::move(launch));
    }
  }

  // --- processes: containers, compose services, KServe predictors -----------------------------
  void process(const YAML::Node& map) {
    const YAML::Node image = map["image"], command = map["command"], args = map["args"], entrypoint = map["entrypoint"];
    bool has_command = (command && !command.IsMap()) || (args && !args.IsMap()) || (entrypoint && !entrypoint.IsMap());
    std::string image_engine;
    if (image && image.IsScalar()) image_engine = engine_of_image(image.Scalar());
    if (image_engine.empty()) {
      const YAML::Node format = map["modelFormat"];
      std::string name = format && format.IsMap() ? scalar_of(format["name"]) : "";
      for (const auto& l : table_.launchers)
        if (!l.model_format.empty() && l.model_format == name) image_engine = l.engine;
    }
    if (!has_command && image_engine.empty()) return;

    std::vector<Word> words;
    for (const YAML::Node* part : {&entrypoint, &command, &args}) add_words(*part, words);
    words = expand_shell_scripts(words);

    std::vector<Launch> launches;
    std::vector<Word> segment;
    auto flush = [&] {
      if (!segment.empty()) run_segment(segment, image_engine, launches);
      segment.clear();
    };
    for (auto& w : words) {
      if (w.separator) flush();
      else segment.push_back(w);
    }
    flush();

    // Environment of the container: read by the image's engine, or the engine of its command.
    std::string env_engine = !image_engine.empty() ? image_engine : launches.empty() ? "" : launches.front().engine;
    if (!env_engine.empty()) {
      Launch* target = nullptr;
      for (auto& l : launches)
        if (l.engine == env_engine) target = &l;
      if (!target) {
        launches.push_back(new_launch(env_engine));
        target = &launches.back();
      }
      for (const char* key : {"env", "environment"}) env_settings(map[key], *target);
    }
    for (auto& l : launches) keep(std::move(l));
  }

  std::string engine_of_image(const std::string& image) const {
    for (const auto& l : table_.launchers)
      if (!l.image.empty() && image.find(l.image) != std::string::npos) return l.engine;
    return "";
  }

  void add_words(const YAML::Node& part, std::vector<Word>& words) const {
    if (!part) return;
    if (part.IsScalar()) {
      auto split = split_shell(part.Scalar(), source_.text(), static_cast<std::size_t>(std::max(0, part.Mark().pos)));
      words.insert(words.end(), split.begin(), split.end());
    } else if (part.IsSequence()) {
      for (const auto& item : part) {
        if (!item.IsScalar()) continue;
        Word w;
        w.text = item.Scalar();
        w.offset = static_cast<std::size_t>(std::max(0, item.Mark().pos));
        w.length = w.text.size() + (item.Tag() == "!" ? 2 : 0);
        words.push_back(std::move(w));
      }
    }
  }

  // `sh -c "script"` (or bash -lc ...): the script's words replace the three words.
  std::vector<Word> expand_shell_scripts(const std::vector<Word>& words) const {
    std::vector<Word> out;
    for (std::size_t i = 0; i < words.size(); ++i) {
      const Word& w = words[i];
      bool at_command_start = out.empty() || out.back().separator;
      if (at_command_start && is_shell(w.text) && i + 2 < words.size() && words[i + 1].text.size() >= 2 &&
          words[i + 1].text[0] == '-' && words[i + 1].text.find('c') != std::string::npos) {
        const Word& script = words[i + 2];
        std::string_view raw = source_.text();
        auto inner = split_shell(script.text, raw, script.offset);
        Word sep;
        sep.separator = true;
        out.push_back(sep);
        out.insert(out.end(), inner.begin(), inner.end());
        out.push_back(sep);
        i += 2;
        continue;
      }
      out.push_back(w);
    }
    return out;
  }

  Range word_range(const Word& w) const { return range_at(w.offset, w.length); }

  // One command: find its engine, then read its flags for that engine only.
  void run_segment(std::vector<Word> seg, const std::string& image_engine, std::vector<Launch>& launches) {
    std::size_t i = 0;
    std::vector<Word> assignments;
    while (i < seg.size() && (seg[i].text == "exec" || is_assignment(seg[i].text))) {
      if (seg[i].text != "exec") assignments.push_back(seg[i]);
      ++i;
    }
    if (i >= seg.size()) return;
    std::string engine;
    const Launcher* by = nullptr;
    const std::string program = basename_of(seg[i].text);
    for (const auto& l : table_.launchers) {
      if (l.program.empty() || l.program != program) continue;
      if (!l.subcommand.empty() && !(i + 1 < seg.size() && seg[i + 1].text == l.subcommand)) continue;
      engine = l.engine, by = &l;
      i += l.subcommand.empty() ? 1 : 2;
      break;
    }
    if (engine.empty() && is_python(seg[i].text)) {
      std::size_t j = i + 1;
      while (j < seg.size() && seg[j].text.size() > 1 && seg[j].text[0] == '-' && seg[j].text != "-m") ++j;
      if (j + 1 < seg.size() && seg[j].text == "-m") {
        for (const auto& l : table_.launchers)
          if (!l.module.empty() && l.module == seg[j + 1].text) engine = l.engine, by = &l;
        if (!engine.empty()) i = j + 2;
      } else if (j < seg.size()) {
        for (const auto& l : table_.launchers)
          if (!l.script.empty() && l.script == basename_of(seg[j].text)) engine = l.engine, by = &l;
        if (!engine.empty()) i = j + 1;
      }
    }
    if (engine.empty() && !seg[i].text.empty() && seg[i].text[0] == '-') engine = image_engine;  // args to the image's entrypoint
    if (engine.empty()) return;  // an unknown program: its flags mean nothing we know

    Launch* launch = nullptr;
    for (auto& l : launches)
      if (l.engine == engine) launch = &l;
    if (!launch) {
      launches.push_back(new_launch(engine));
      launch = &launches.back();
    }
    const Engine* eng = table_.engine(engine);
    for (const auto& a : assignments) env_assignment(a.text, word_range(a), *launch);
    bool positional_taken = false;
    for (; i < seg.size(); ++i) {
      const Word& w = seg[i];
      if (w.text.size() < 2 || w.text[0] != '-') {
        if (by && !by->positional.empty() && !positional_taken) {
          positional_taken = true;
          for (const auto& row : table_.settings)
            if (row.for_engine(engine) && row.setting == by->positional) {
              launch->settings.push_back(make_setting(row, by->program + " " + by->subcommand, w.text, word_range(w), false));
              break;
            }
        }
        continue;
      }
      positional_taken = true;  // a positional after flags is an option's value, not the model
      std::string name = w.text, inline_value;
      bool has_inline = false;
      if (auto eq = name.find('='); eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_inline = true;
      }
      const SettingRow* row = nullptr;
      for (const auto& r : table_.settings) {
        if (!r.for_engine(engine)) continue;
        bool same = name == r.flag || (!r.short_flag.empty() && name == r.short_flag);
        if (!same && eng && eng->underscores_are_dashes && !r.flag.empty())
          same = dashes_for_underscores(name) == dashes_for_underscores(r.flag);
        if (same) {
          row = &r;
          break;
        }
      }
      if (!row) continue;
      if (row->is_bool) {
        launch->settings.push_back(make_setting(*row, name, has_inline ? canonical_value(inline_value) : "true", word_range(w), false));
        continue;
      }
      if (has_inline) {
        launch->settings.push_back(make_setting(*row, name, inline_value, word_range(w), false));
      } else if (i + 1 < seg.size()) {
        launch->settings.push_back(make_setting(*row, name, seg[i + 1].text, word_range(w), false));
        ++i;
      }
    }
  }

  static bool is_assignment(const std::string& word) {
    auto eq = word.find('=');
    if (eq == std::string::npos || eq == 0) return false;
    return std::all_of(word.begin(), word.begin() + static_cast<long>(eq),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
  }

  void env_var(const std::string& name, const std::string& value, Range where, Launch& launch) const {
    for (const auto& row : table_.settings)
      if (row.for_engine(launch.engine) && !row.env.empty() && row.env == name)
        launch.settings.push_back(make_setting(row, name, value, where, true));
  }

  void env_assignment(const std::string& text, Range where, Launch& launch) const {
    auto eq = text.find('=');
    if (eq == std::string::npos) return;
    env_var(text.substr(0, eq), text.substr(eq + 1), where, launch);
  }

  // env: [{name, value}] (Kubernetes), environment: {KEY: value} or [KEY=value] (compose).
  void env_settings(const YAML::Node& env, Launch& launch) const {
    if (!env) return;
    if (env.IsMap()) {
      for (auto it = env.begin(); it != env.end(); ++it)
        if (it->first.IsScalar() && it->second.IsScalar())
          env_var(it->first.Scalar(), it->second.Scalar(), range_of(it->first), launch);
    } else if (env.IsSequence()) {
      for (const auto& item : env) {
        if (item.IsScalar()) {
          env_assignment(item.Scalar(), range_of(item), launch);
        } else if (item.IsMap()) {
          const YAML::Node name = item["name"], value = item["value"];
          if (name && name.IsScalar() && value && value.IsScalar())  // valueFrom: not statically known
            env_var(name.Scalar(), value.Scalar(), range_of(name), launch);
        }
      }
    }
  }
};

std::string parse_error_message(const YAML::Exception& e) {
  std::string msg = e.msg.empty() ? e.what() : e.msg;
  return "invalid YAML: " + msg + "; not analysed";
}

}  // namespace

namespace {

constexpr std::size_t kMaxDocuments = 10000;

// Reads the stream's events and throws them away.
class DiscardEvents : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// True when the stream holds more than `limit` documents. Throws what the parser throws.
bool document_count_exceeds(const std::string& text, std::size_t limit) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DiscardEvents events;
  std::size_t count = 0;
  while (parser.HandleNextDocument(events))
    if (++count > limit) return true;
  return false;
}

}  // namespace

Document analyse_shell_command(const SourceText& source) {
  Document doc;
  AnalyseLimits limits;
  Walker walker(source, limits, doc);
  walker.shell_command();
  return doc;
}

Document analyse(const SourceText& source, const AnalyseLimits& limits) {
  Document doc;
  const std::string& text = source.text();
  if (auto at = helm_action(text)) {
    doc.notes.push_back({source.position_from_offset(*at), "Helm template ({{ }} actions); not analysed"});
    return doc;
  }
  if (auto deep = too_deep(text, limits.max_depth)) {
    doc.notes.push_back({source.position_from_offset(deep->offset),
                         "YAML nested more than " + std::to_string(limits.max_depth) + " levels deep; not analysed"});
    return doc;
  }
  std::vector<YAML::Node> documents;
  try {
    // yaml-cpp 0.7's LoadAll never returns on some malformed streams (a stray ',' at the start of
    // a document yields empty documents forever; found by fuzzing): count the documents with the
    // event parser first, which stops at a bound.
    if (document_count_exceeds(text, kMaxDocuments)) {
      doc.notes.push_back({{1, 1}, "more than " + std::to_string(kMaxDocuments) +
                                       " YAML documents in one stream (or a stream yaml-cpp cannot end); not analysed"});
      return doc;
    }
    documents = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    Position p;
    if (e.mark.line >= 0 && e.mark.pos >= 0) p = source.position_from_offset(static_cast<std::size_t>(e.mark.pos));
    std::string message = parse_error_message(e);
    if (text.find("{{") != std::string::npos) message = "templated file ({{ }}) is not valid YAML; not analysed";
    doc.notes.push_back({p, message});
    return doc;
  }
  try {
    Walker walker(source, limits, doc);
    for (const auto& d : documents) walker.document(d);
  } catch (const YAML::Exception& e) {
    doc.notes.push_back({{}, std::string("YAML could not be analysed: ") + e.what()});
  }
  return doc;
}

}  // namespace ecolint::deploy
