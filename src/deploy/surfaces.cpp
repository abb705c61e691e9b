#include "deploy/surfaces.hpp"

#include <algorithm>
#include <stdexcept>

#include <yaml-cpp/yaml.h>

#include "data/embedded.hpp"

namespace ecolint::deploy {
namespace {

std::string str(const YAML::Node& map, const char* key) {
  const YAML::Node v = map[key];
  if (!v) return "";
  if (!v.IsScalar()) throw std::runtime_error(std::string("surfaces.yaml: `") + key + "` must be a scalar");
  return v.Scalar();
}

std::vector<std::string> list(const YAML::Node& map, const char* key) {
  std::vector<std::string> out;
  const YAML::Node v = map[key];
  if (!v) return out;
  if (!v.IsSequence()) throw std::runtime_error(std::string("surfaces.yaml: `") + key + "` must be a list");
  for (const auto& item : v) out.push_back(item.Scalar());
  return out;
}

void add_unique(std::vector<std::string>& words, const std::string& w) {
  if (!w.empty() && std::find(words.begin(), words.end(), w) == words.end()) words.push_back(w);
}

}  // namespace

bool SettingRow::for_engine(std::string_view engine) const {
  return std::find(engines.begin(), engines.end(), engine) != engines.end();
}

const Engine* Surfaces::engine(std::string_view id) const {
  for (const auto& e : engines)
    if (e.id == id) return &e;
  return nullptr;
}

Surfaces parse_surfaces(std::string_view yaml_text) {
  Surfaces s;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(std::string("surfaces.yaml: ") + e.what());
  }
  if (!root.IsMap() || !root["engines"].IsSequence() || !root["launchers"].IsSequence() || !root["settings"].IsSequence())
    throw std::runtime_error("surfaces.yaml: needs the lists engines, launchers and settings");
  for (const auto& n : root["engines"]) {
    Engine e;
    e.id = str(n, "id");
    e.name = str(n, "name");
    e.underscores_are_dashes = n["underscores_are_dashes"] && n["underscores_are_dashes"].as<bool>();
    e.default_4bit_type = str(n, "default_4bit_type");
    e.int8_fix = str(n, "int8_fix");
    if (e.id.empty() || e.name.empty()) throw std::runtime_error("surfaces.yaml: an engine needs id and name");
    s.engines.push_back(std::move(e));
  }
  for (const auto& n : root["launchers"]) {
    Launcher l;
    l.engine = str(n, "engine");
    l.program = str(n, "program");
    l.subcommand = str(n, "subcommand");
    l.module = str(n, "module");
    l.script = str(n, "script");
    l.image = str(n, "image");
    l.model_format = str(n, "model_format");
    l.kind = str(n, "kind");
    l.map_key = str(n, "map_key");
    l.doc_keys_all = list(n, "doc_keys_all");
    l.doc_keys_any = list(n, "doc_keys_any");
    l.positional = str(n, "positional");
    if (!s.engine(l.engine)) throw std::runtime_error("surfaces.yaml: launcher of unknown engine `" + l.engine + "`");
    bool has_match = !l.program.empty() || !l.module.empty() || !l.script.empty() || !l.image.empty() ||
                     !l.model_format.empty() || !l.kind.empty() || !l.map_key.empty() || !l.doc_keys_all.empty() ||
                     !l.doc_keys_any.empty();
    if (!has_match) throw std::runtime_error("surfaces.yaml: a launcher of `" + l.engine + "` matches nothing");
    s.launchers.push_back(std::move(l));
  }
  for (const auto& n : root["settings"]) {
    SettingRow r;
    r.engines = list(n, "engines");
    r.flag = str(n, "flag");
    r.short_flag = str(n, "short");
    r.env = str(n, "env");
    r.key = str(n, "key");
    r.under = str(n, "under");
    r.in_parent = n["in_parent"] && n["in_parent"].as<bool>();
    r.is_bool = n["bool"] && n["bool"].as<bool>();
    r.setting = str(n, "setting");
    if (const YAML::Node m = n["means"]) {
      if (!m.IsMap()) throw std::runtime_error("surfaces.yaml: `means` must be a map");
      for (const auto& kv : m) r.means[kv.first.Scalar()] = kv.second.Scalar();
    }
    if (const YAML::Node m = n["requires"]) {
      if (!m.IsMap()) throw std::runtime_error("surfaces.yaml: `requires` must be a map");
      for (const auto& kv : m) {
        std::vector<std::string> allowed;
        for (const auto& v : kv.second) allowed.push_back(v.Scalar());
        r.requires_[kv.first.Scalar()] = allowed;
      }
    }
    if (r.engines.empty() || r.setting.empty() || (r.flag.empty() && r.env.empty() && r.key.empty()))
      throw std::runtime_error("surfaces.yaml: a setting row needs engines, setting and a flag, env or key");
    for (const auto& e : r.engines)
      if (!s.engine(e)) throw std::runtime_error("surfaces.yaml: setting row of unknown engine `" + e + "`");
    s.settings.push_back(std::move(r));
  }
  // Any spelling of a setting other than the model id can make a YAML file matter.
  for (const auto& r : s.settings) {
    if (r.setting != "quantize" && r.setting != "max_batch_size") continue;
    for (const std::string* w : {&r.flag, &r.env, &r.key}) {
      std::string word = *w;
      while (!word.empty() && word[0] == '-') word.erase(0, 1);
      add_unique(s.trigger_words, word);
      if (!word.empty()) {
        std::string underscored = word;
        std::replace(underscored.begin(), underscored.end(), '-', '_');
        add_unique(s.trigger_words, underscored);
      }
    }
  }
  add_unique(s.trigger_words, "quantization_config");
  return s;
}

const Surfaces& surfaces() {
  static const Surfaces table = [] {
    auto text = data::embedded("surfaces.yaml");
    if (!text) throw std::runtime_error("surfaces.yaml is not embedded");
    return parse_surfaces(*text);
  }();
  return table;
}

}  // namespace ecolint::deploy
