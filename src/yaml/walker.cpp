#include "yaml/walker.hpp"

#include <algorithm>

#include "base/parse_budget.hpp"
#include "base/text.hpp"
#include "energy/gpus.hpp"
#include "engines/surfaces.hpp"

namespace ecolint::yaml {

using engines::Launch;
using engines::SettingRow;
using shell::Word;

namespace {

std::string scalar_of(const YAML::Node& n) { return n && n.IsScalar() ? n.Scalar() : ""; }

bool has_key(const YAML::Node& map, const std::string& key) {
  for (auto it = map.begin(); it != map.end(); ++it)
    if (it->first.IsScalar() && it->first.Scalar() == key) return true;
  return false;
}

// The byte span of a scalar written literally at its mark (plain, or quoted without escapes), for
// fixes; false when the text there is not the scalar's value as written.
bool literal_span(const std::string& text, const YAML::Node& n, std::size_t& begin, std::size_t& end) {
  if (!n.IsScalar() || n.Mark().pos < 0) return false;
  std::size_t at = static_cast<std::size_t>(n.Mark().pos);
  const std::string& v = n.Scalar();
  if (v.empty() || at >= text.size()) return false;
  char q = text[at];
  if ((q == '"' || q == '\'') && text.compare(at + 1, v.size(), v) == 0 && at + 1 + v.size() < text.size() &&
      text[at + 1 + v.size()] == q) {
    begin = at, end = at + v.size() + 2;
    return true;
  }
  if (text.compare(at, v.size(), v) != 0) return false;
  begin = at, end = at + v.size();
  return true;
}

bool key_matches(const SettingRow& row, const engines::Engine* engine, const std::string& key) {
  if (row.key.empty()) return false;
  if (key == row.key) return true;
  return engine && engine->underscores_are_dashes && text::underscored(key) == text::underscored(row.key);
}

}  // namespace

Walker::Walker(const SourceText& source, const AnalyseLimits& limits, Document& doc)
    : source_(source), limits_(limits), doc_(doc), table_(engines::surfaces()), commands_(source, table_) {}

void Walker::document(const YAML::Node& root) {
  if (stopped_) return;
  ++document_;
  if (root.IsMap()) {
    config_document(root);
    if (scalar_of(root["kind"]) == "ConfigMap") config_map_python(root);
  }
  walk(root, 0);
}

// --- budget -----------------------------------------------------------------------------------

bool Walker::visit(const YAML::Node& n, unsigned depth) {
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

void Walker::stop(const YAML::Node& n, std::string message) {
  stopped_ = true;
  doc_.notes.push_back({position(n), std::move(message)});
}

// --- positions --------------------------------------------------------------------------------

Position Walker::position(const YAML::Node& n) const {
  const YAML::Mark m = n.Mark();
  if (m.pos < 0) return {};
  return source_.position_from_offset(static_cast<std::size_t>(m.pos));
}

Range Walker::range_of(const YAML::Node& n) const {
  const YAML::Mark m = n.Mark();
  if (m.pos < 0) return {};
  std::size_t len = n.IsScalar() ? n.Scalar().size() + (n.Tag() == "!" ? 2 : 0) : 0;
  return commands_.range_of(static_cast<std::size_t>(m.pos), len);
}

void Walker::keep(Launch&& l) {
  if (l.settings.empty()) return;
  l.document = document_;
  doc_.launches.push_back(std::move(l));
}

// --- config keys ------------------------------------------------------------------------------

// Settings written as keys of `map` (rows whose `under` and `in_parent` fit).
void Walker::keys_of(const YAML::Node& map, Launch& launch, const std::string& under, bool parent) {
  const engines::Engine* engine = table_.engine(launch.engine);
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (!it->first.IsScalar() || !it->second.IsScalar()) continue;
    const std::string key = it->first.Scalar();
    for (const auto& row : table_.settings) {
      if (!row.for_engine(launch.engine) || row.under != under || row.in_parent != parent) continue;
      if (!key_matches(row, engine, key)) continue;
      const std::string& value = it->second.Scalar();
      launch.settings.push_back(shell::make_setting(row, key + ": " + value, value, range_of(it->first), false));
      engines::Setting& s = launch.settings.back();
      s.form = engines::Setting::Form::YamlKey;
      std::size_t kb = 0, ke = 0, vb = 0, ve = 0;
      if (literal_span(source_.text(), it->first, kb, ke) && literal_span(source_.text(), it->second, vb, ve) && kb < vb) {
        s.whole = {source_.position_from_offset(kb), source_.position_from_offset(ve)};
        s.value_range = {source_.position_from_offset(vb), source_.position_from_offset(ve)};
      }
    }
  }
}

// A whole document that is a training or `vllm serve --config` file, or a Kubernetes kind.
void Walker::config_document(const YAML::Node& root) {
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
    Launch launch = commands_.new_launch(l.engine);
    launch.launcher = &l;
    if (l.kind.empty()) {
      keys_of(root, launch, "", false);
      claim(root);  // a training or serve config: its keys are this engine's
    } else {
      keyed_under(root, launch, 0);
    }
    keep(std::move(launch));
  }
}

// Rows with `under: X` read the keys of any map under key X in this object.
void Walker::keyed_under(const YAML::Node& n, Launch& launch, unsigned depth) {
  if (!visit(n, depth) || !n.IsMap()) {
    if (!stopped_ && n.IsSequence())
      for (const auto& item : n) keyed_under(item, launch, depth + 1);
    return;
  }
  for (auto it = n.begin(); it != n.end(); ++it) {
    if (it->first.IsScalar() && it->second.IsMap()) {
      const std::string key = it->first.Scalar();
      bool wanted = std::any_of(table_.settings.begin(), table_.settings.end(),
                                [&](const SettingRow& r) { return r.for_engine(launch.engine) && r.under == key; });
      if (wanted) keys_of(it->second, launch, key, false);
    }
    keyed_under(it->second, launch, depth + 1);
  }
}

// --- ConfigMap Python -------------------------------------------------------------------------

void Walker::config_map_python(const YAML::Node& root) {
  const YAML::Node data = root["data"];
  if (!data || !data.IsMap()) return;
  for (auto it = data.begin(); it != data.end(); ++it) {
    if (!it->first.IsScalar() || !it->second.IsScalar()) continue;
    const std::string key = it->first.Scalar();
    if (key.size() < 4 || key.compare(key.size() - 3, 3, ".py") != 0) continue;
    // The same token budget as a Python file's (base/parse_budget.hpp), before anything parses it.
    if (over_python_token_limit(it->second.Scalar()))
      doc_.notes.push_back({position(it->second), "in `" + key + "`: " + python_tokens_note()});
    else if (auto block = literal_block(it->second, key)) doc_.python_blocks.push_back(std::move(*block));
    else doc_.notes.push_back({position(it->second), "Python in ConfigMap key `" + key +
                                                         "` is not a literal block scalar (|); not analysed"});
  }
}

// A literal block scalar's content as file lines: verified against yaml-cpp's value so the
// position mapping is exact, or nothing.
std::optional<PythonBlock> Walker::literal_block(const YAML::Node& n, const std::string& key) const {
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

// --- the general walk -------------------------------------------------------------------------

void Walker::walk(const YAML::Node& n, unsigned depth, const std::string& key) {
  if (!visit(n, depth)) return;
  if (n.IsSequence()) {
    for (const auto& item : n) walk(item, depth + 1, key);
    return;
  }
  if (!n.IsMap()) return;
  ancestors_.emplace_back(n, key);
  process(n);
  scripts(n);
  gpu_labels(n);
  map_config(n);
  for (auto it = n.begin(); it != n.end(); ++it) {
    bool scalar_key = it->first.IsScalar();
    if (scalar_key && it->second.IsMap()) mapped_config(it->first.Scalar(), it->second, n);
    walk(it->second, depth + 1, scalar_key ? it->first.Scalar() : "");
    if (stopped_) break;
  }
  ancestors_.pop_back();
}

// A map no other launcher read that holds one of a `map_with_keys` launcher's keys (a custom
// trainer's `quantization: {load_in_4bit: true}`): that engine's config, with its model from the
// nearest map around it that names one.
void Walker::map_config(const YAML::Node& map) {
  if (claimed(map)) return;
  for (const auto& l : table_.launchers) {
    if (l.map_with_keys.empty()) continue;
    if (std::none_of(l.map_with_keys.begin(), l.map_with_keys.end(), [&](const std::string& k) { return has_key(map, k); }))
      continue;
    Launch launch = commands_.new_launch(l.engine);
    launch.launcher = &l;
    keys_of(map, launch, "", false);
    if (launch.settings.empty()) continue;
    // The model: in this map or one around it, or in a `model:` map beside them.
    auto model_in = [&](const YAML::Node& holder, const std::string& holder_key) {
      for (auto it = holder.begin(); it != holder.end() && !launch.get("model"); ++it) {
        if (!it->first.IsScalar() || !it->second.IsScalar()) continue;
        const std::string k = it->first.Scalar();
        for (const auto& row : table_.settings) {
          if (!row.for_engine(l.engine) || !row.in_parent || row.setting != "model" || row.key != k) continue;
          if (!row.under.empty() && row.under != holder_key) continue;  // `name` counts under `model:`
          const std::string& value = it->second.Scalar();
          launch.settings.push_back(shell::make_setting(row, k + ": " + value, value, range_of(it->first), false));
          break;
        }
      }
    };
    for (auto a = ancestors_.rbegin(); a != ancestors_.rend() && !launch.get("model"); ++a) {
      const YAML::Node& holder = a->first;  // const: a non-const operator[] would add the key
      model_in(holder, a->second);
      const YAML::Node beside = holder["model"];
      if (!launch.get("model") && beside && beside.IsMap()) model_in(beside, "model");
    }
    claim(map);
    keep(std::move(launch));
  }
}

// A map under a recognised key (quantization_config: {...}), its model in the parent map.
void Walker::mapped_config(const std::string& key, const YAML::Node& map, const YAML::Node& parent) {
  for (const auto& l : table_.launchers) {
    if (l.map_key.empty() || l.map_key != key) continue;
    Launch launch = commands_.new_launch(l.engine);
    launch.launcher = &l;
    keys_of(map, launch, "", false);
    // Only a map that asks for something a rule reads is this launcher's: one holding just keys
    // other configs share (llm_int8_threshold, bnb_4bit_quant_type) stays free for the others.
    if (!launch.get("quantize") && !launch.get("max_batch_size")) continue;
    keys_of(parent, launch, "", true);
    claim(map);
    keep(std::move(launch));
  }
}

// --- processes: containers, compose services, KServe predictors -------------------------------

void Walker::process(const YAML::Node& map) {
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
  bool engine_field = false;
  if (image_engine.empty()) {
    // kubeai's Model: `engine: VLLM` names who reads `args`.
    std::string named = text::lower(scalar_of(map["engine"]));
    for (const auto& l : table_.launchers)
      if (!named.empty() && !l.engine_value.empty() && text::lower(l.engine_value) == named) image_engine = l.engine, engine_field = true;
  }
  if (!has_command && image_engine.empty()) return;

  std::vector<Word> words;
  for (const YAML::Node* part : {&entrypoint, &command, &args}) add_words(*part, words);
  std::string default_engine = !image_engine.empty() ? image_engine : image ? "" : shell::kEngineOfFlags;
  std::vector<Launch> launches = commands_.launches(words, default_engine);

  // Environment of the container: read by the image's engine, or the engine of its command.
  std::string env_engine = !image_engine.empty() ? image_engine : launches.empty() ? "" : launches.front().engine;
  if (!env_engine.empty()) {
    Launch* target = nullptr;
    for (auto& l : launches)
      if (l.engine == env_engine) target = &l;
    if (!target) {
      launches.push_back(commands_.new_launch(env_engine));
      target = &launches.back();
    }
    for (const char* key : {"env", "environment"}) env_settings(map[key], *target);
    if (engine_field) keys_of(map, *target, "", false);  // its other fields (the model's url)
  }
  for (auto& l : launches) keep(std::move(l));
}

// YAML keys holding shell scripts (SkyPilot `run:`, dstack `commands:`, truss `start_command:`).
void Walker::scripts(const YAML::Node& map) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (!it->first.IsScalar()) continue;
    const std::string key = it->first.Scalar();
    bool script = std::any_of(table_.launchers.begin(), table_.launchers.end(), [&](const engines::Launcher& l) {
      return std::find(l.script_keys.begin(), l.script_keys.end(), key) != l.script_keys.end();
    });
    if (!script) continue;
    // A copy of the value: `it->second` lives in a proxy that a range-for would outlive.
    const YAML::Node value = it->second;
    std::vector<YAML::Node> parts;
    if (value.IsScalar()) parts.push_back(value);
    else if (value.IsSequence())
      for (const auto& item : value)
        if (item.IsScalar()) parts.push_back(item);
    for (const auto& part : parts) {
      std::size_t offset = static_cast<std::size_t>(std::max(0, part.Mark().pos));
      for (auto& l : commands_.script_launches(part.Scalar(), offset)) keep(std::move(l));
    }
  }
}

std::string Walker::engine_of_image(const std::string& image) const {
  for (const auto& l : table_.launchers)
    if (!l.image.empty() && image.find(l.image) != std::string::npos) return l.engine;
  return "";
}

void Walker::add_words(const YAML::Node& part, std::vector<Word>& words) const {
  if (!part) return;
  if (part.IsScalar()) {
    auto split = shell::split(part.Scalar(), source_.text(), static_cast<std::size_t>(std::max(0, part.Mark().pos)));
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

// A GPU named in this map: `label: value` (nodeSelector, node labels, SkyPilot `accelerators:
// A100:8` or `{A100: 8}`), or a matchExpressions item {key: label, values: [...]}.
void Walker::gpu_labels(const YAML::Node& map) {
  auto mention = [&](const std::string& key, const YAML::Node& value) {
    if (!value.IsScalar()) return;
    if (const energy::Gpu* g = energy::gpu_of_label(key, value.Scalar()))
      doc_.gpus.push_back({g->name, value.Scalar(), position(value), document_});
  };
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (!it->first.IsScalar()) continue;
    const std::string key = it->first.Scalar();
    if (it->second.IsScalar()) {
      mention(key, it->second);
    } else if (it->second.IsMap()) {
      // SkyPilot's accelerators: {A100: 8}: the GPU is the key.
      for (auto a = it->second.begin(); a != it->second.end(); ++a)
        if (a->first.IsScalar() && energy::gpu_of_label(key, a->first.Scalar()))
          doc_.gpus.push_back({energy::gpu_of_label(key, a->first.Scalar())->name, a->first.Scalar(), position(a->first), document_});
    }
  }
  const YAML::Node key = map["key"], values = map["values"];
  if (key && key.IsScalar() && values && values.IsSequence() && values.size() > 0) mention(key.Scalar(), values[0]);
}

// env: [{name, value}] (Kubernetes), environment: {KEY: value} or [KEY=value] (compose).
void Walker::env_settings(const YAML::Node& env, Launch& launch) const {
  if (!env) return;
  if (env.IsMap()) {
    for (auto it = env.begin(); it != env.end(); ++it)
      if (it->first.IsScalar() && it->second.IsScalar())
        commands_.env_var(it->first.Scalar(), it->second.Scalar(), range_of(it->first), launch);
  } else if (env.IsSequence()) {
    for (const auto& item : env) {
      if (item.IsScalar()) {
        commands_.env_assignment(item.Scalar(), range_of(item), launch);
      } else if (item.IsMap()) {
        const YAML::Node name = item["name"], value = item["value"];
        if (name && name.IsScalar() && value && value.IsScalar())  // valueFrom: not statically known
          commands_.env_var(name.Scalar(), value.Scalar(), range_of(name), launch);
      }
    }
  }
}

}  // namespace ecolint::yaml
