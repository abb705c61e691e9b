#include "engines/surfaces.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <yaml-cpp/yaml.h>

#include "base/text.hpp"
#include "data/embedded.hpp"

namespace ecolint::engines {

const std::vector<std::string> kSettingNames = {
    "model",                // the model id the engine loads
    "quantize",             // a quantization switch; `means` maps its values to methods
    "max_batch_size",       // the cap on requests or sequences processed together
    "bnb_4bit_quant_type",  // bitsandbytes 4-bit data type (nf4 / fp4)
    "llm_int8_threshold",   // LLM.int8() outlier threshold
    "double_quant",         // bitsandbytes 4-bit double quantization (bnb_4bit_use_double_quant)
    "quantization_method",  // a tool's choice of quantization backend (for `requires`)
    "adapter",              // a fine-tuning adapter kind (for `requires`)
};

const std::vector<std::string> kQuantizationMethods = {
    "int8",  // bitsandbytes LLM.int8() (outlier threshold 6.0 unless set)
    "nf4",   // bitsandbytes 4-bit NormalFloat
    "fp4",   // bitsandbytes 4-bit float
    "bnb4",  // bitsandbytes 4-bit of the engine's default type (or its bnb_4bit_quant_type setting)
};

namespace {

bool one_of(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

std::string joined(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& v : list) {
    if (v.empty()) continue;
    out += (out.empty() ? "" : ", ") + v;
  }
  return out;
}

// Errors name the file, the list and the row, so a typo in the table is found at once.
struct Where {
  const std::string& file;
  std::string list;
  std::size_t row = 0;
  std::string what;
  [[noreturn]] void fail(const std::string& message) const {
    std::string at = file + ": " + list;
    if (row) at += " row " + std::to_string(row);
    if (!what.empty()) at += " (" + what + ")";
    throw std::runtime_error(at + ": " + message);
  }
};

std::string str(const YAML::Node& map, const char* key, const Where& w) {
  const YAML::Node v = map[key];
  if (!v) return "";
  if (!v.IsScalar()) w.fail(std::string("`") + key + "` must be a scalar");
  return v.Scalar();
}

std::vector<std::string> list(const YAML::Node& map, const char* key, const Where& w) {
  std::vector<std::string> out;
  const YAML::Node v = map[key];
  if (!v) return out;
  if (!v.IsSequence()) w.fail(std::string("`") + key + "` must be a list");
  for (const auto& item : v) {
    if (!item.IsScalar()) w.fail(std::string("`") + key + "` must be a list of scalars");
    out.push_back(item.Scalar());
  }
  return out;
}

bool flag(const YAML::Node& map, const char* key, const Where& w) {
  const YAML::Node v = map[key];
  if (!v) return false;
  std::string s = str(map, key, w);
  if (s == "true") return true;
  if (s == "false") return false;
  w.fail(std::string("`") + key + "` must be true or false");
}

void check_keys(const YAML::Node& map, const std::vector<std::string>& allowed, const Where& w) {
  if (!map.IsMap()) w.fail("must be a map");
  for (auto it = map.begin(); it != map.end(); ++it) {
    std::string k = it->first.Scalar();
    if (!one_of(allowed, k)) w.fail("unknown key `" + k + "` (known: " + joined(allowed) + ")");
  }
}

void check_setting_name(const std::string& name, const char* field, const Where& w) {
  if (!one_of(kSettingNames, name))
    w.fail(std::string("`") + field + "` names an unknown setting `" + name + "` (known: " + joined(kSettingNames) + ")");
}

void add_unique(std::vector<Trigger>& out, Trigger t) {
  if (t.word.empty()) return;
  for (auto& existing : out) {
    if (existing.word != t.word) continue;
    // Conditions read in code only and conditions read anywhere stay apart (either may hold).
    if ((existing.code_conditions != t.code_conditions || existing.string_conditions != t.string_conditions ||
         existing.whole_conditions != t.whole_conditions) &&
        !existing.and_any_of.empty() && !t.and_any_of.empty())
      continue;
    // The same word twice: the weaker condition wins (no condition beats any, any value beats one).
    if (existing.value_near != t.value_near) existing.value_near.clear();
    existing.whole_word = existing.whole_word && t.whole_word;
    existing.string_word = existing.string_word && t.string_word;
    if (existing.and_any_of.empty() || t.and_any_of.empty()) {
      existing.and_any_of.clear();
    } else {
      existing.code_conditions = existing.code_conditions && t.code_conditions;
      existing.string_conditions = existing.string_conditions && t.string_conditions;
      existing.whole_conditions = existing.whole_conditions && t.whole_conditions;
      for (auto& a : t.and_any_of)
        if (!one_of(existing.and_any_of, a)) existing.and_any_of.push_back(a);
    }
    return;
  }
  out.push_back(std::move(t));
}

// The last segment of dotted `call` that `word` does not contain (the last one if it holds them all).
std::string telling_segment(const std::string& call, const std::string& word) {
  std::string rest = call;
  for (;;) {
    std::size_t dot = rest.rfind('.');
    std::string segment = dot == std::string::npos ? rest : rest.substr(dot + 1);
    if (!segment.empty() && word.find(segment) == std::string::npos) return segment;
    if (dot == std::string::npos) return text::last_segment(call);
    rest.erase(dot);
  }
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

const Launcher* Surfaces::call_launcher(std::string_view callee) const {
  for (const auto& l : launchers) {
    // The patterns first: most callees match none, and that is the cheaper test.
    if (std::none_of(l.call.begin(), l.call.end(), [&](const std::string& pattern) { return call_matches(callee, pattern); }))
      continue;
    if (std::any_of(l.call_not_containing.begin(), l.call_not_containing.end(),
                    [&](const std::string& part) { return callee.find(part) != std::string_view::npos; }))
      continue;
    return &l;
  }
  return nullptr;
}

bool call_matches(std::string_view callee, std::string_view pattern) {
  if (callee.empty() || pattern.empty()) return false;
  if (pattern.front() == '=') return callee == pattern.substr(1);
  if (callee == pattern) return true;
  return callee.size() > pattern.size() && text::ends_with(callee, pattern) &&
         callee[callee.size() - pattern.size() - 1] == '.';
}

std::vector<Trigger> Surfaces::triggers(const std::vector<std::string>& meanings, const std::vector<std::string>& methods,
                                        const std::string& value_near) const {
  std::vector<Trigger> out;
  for (const auto& r : settings) {
    if (!one_of(meanings, r.setting)) continue;
    if (!methods.empty() && !r.means.empty() &&
        std::none_of(r.means.begin(), r.means.end(), [&](const auto& m) { return one_of(methods, m.second); }))
      continue;
    // A value that must be written next to the spelling narrows the trigger: `adapter` matters
    // only with `qlora`. Values like true, 1 or 8 are too common to narrow anything.
    std::vector<std::string> values;
    bool distinctive = !r.means.empty();
    for (const auto& [value, method] : r.means) {
      if (value.size() < 4 || value == "true" || value == "false") distinctive = false;
      values.push_back(value);
    }
    for (const auto& [part, method] : r.means_contains) values.push_back(part);
    if (!r.means_contains.empty() && r.means.empty()) distinctive = true;
    if (!distinctive) values.clear();
    bool dashes = std::any_of(r.engines.begin(), r.engines.end(), [&](const std::string& id) {
      const Engine* e = engine(id);
      return e && e->underscores_are_dashes;
    });
    // The spellings the readers take: each as written and, for an engine whose names take `_` and
    // `-` alike, both forms (its flags become keyword arguments, sglang.Engine(max_running_requests=1),
    // and keys). Another engine's flag is read only as written (TGI's --max-batch-size); its `_`
    // form is a variable's name that hands it a value (max_batch_size=1 ... --max-batch-size
    // $max_batch_size), so it counts only where one of the row's own spellings is written too.
    std::vector<std::string> spellings, as_variable;
    for (const std::string* s : {&r.flag, &r.env, &r.key, &r.kwarg}) {
      std::string word = *s;
      while (!word.empty() && word[0] == '-') word.erase(0, 1);
      if (word.empty()) continue;
      spellings.push_back(word);
      if (dashes) {
        spellings.push_back(text::underscored(word));
        std::string dashed = word;
        std::replace(dashed.begin(), dashed.end(), '_', '-');
        spellings.push_back(dashed);
      } else if (s == &r.flag) {
        as_variable.push_back(text::underscored(word));
      }
    }
    // A keyword that only Python calls read (`batch_size` of a pipeline) is too common alone: it
    // matters only next to the name of a call that reads it.
    std::vector<std::string> condition = values;
    // A row that needs another setting written with given values (strict_requires: Ludwig's
    // `bits` beside `model_type: llm`, ms-swift's --quant_bits with --quant_method bnb) matters
    // only where one of those values is written too.
    // In Python such a value is a string (`{"model_type": "llm"}`, `quant_method="bnb"`): a word
    // value counts only inside a string literal there (a number or true/false may be code), and
    // as a whole word (the whole value).
    bool string_values = false;
    if (condition.empty() && r.strict_requires) {
      for (const auto& [other, allowed] : r.requires_)
        for (const auto& v : allowed)
          if (!one_of(condition, v)) condition.push_back(v);
      string_values = !condition.empty() && std::all_of(condition.begin(), condition.end(), [](const std::string& v) {
        std::string l = text::lower(v);
        return std::isalpha(static_cast<unsigned char>(v[0])) && l != "true" && l != "false" && l != "none" && l != "null";
      });
    }
    bool python_only = r.flag.empty() && r.env.empty() && r.key.empty() && !r.kwarg.empty();
    // The condition is then a segment of each call's name that the keyword itself does not hold: a
    // resolved callee is made of names written in the file (its imports and the call), so every
    // segment of serve.batch is written where serve.batch(max_batch_size=1) is read, and `serve`
    // tells more than `batch`, which max_batch_size holds itself.
    bool call_names = python_only && condition.empty();
    if (call_names) {
      for (const auto& l : launchers)
        if (r.for_engine(l.engine) && (l.callable_model || !r.of_callable_model))
          for (const auto& c : l.call) {
            std::string segment = telling_segment(c[0] == '=' ? c.substr(1) : c, r.kwarg);
            if (!one_of(condition, segment)) condition.push_back(segment);
          }
    }
    // A call's name is code: in Python it counts outside strings and comments only.
    for (const auto& s : spellings) add_unique(out, {s, condition, value_near, true, false, false, call_names, string_values, string_values});
    for (const auto& v : as_variable) {
      if (one_of(spellings, v)) continue;
      add_unique(out, {v, condition.empty() ? spellings : condition, value_near, true});
    }
    // A short flag (-q) is too short to search for; its value must be written, so search that (in
    // Python, inside a string: the value of a command line's word).
    if (!r.short_flag.empty() && distinctive)
      for (const auto& v : values) {
        Trigger t{v, {}, "", true};
        t.string_word = true;
        add_unique(out, t);
      }
  }
  // A model id naming a checkpoint already quantized (`...-bnb-4bit`) asks for quantization too.
  if (one_of(meanings, "quantize"))
    for (const auto& [suffix, method] : prequantized_suffixes)
      if (methods.empty() || one_of(methods, method)) add_unique(out, {suffix, {}, "", false});
  return out;
}

Surfaces parse_surfaces(std::string_view yaml_text, const std::string& file) {
  Surfaces s;
  YAML::Node root;
  Where top{file, "", 0, ""};
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    top.fail(e.what());
  }
  if (!root.IsMap() || !root["engines"].IsSequence() || !root["launchers"].IsSequence() || !root["settings"].IsSequence())
    top.fail("needs the lists engines, launchers and settings");
  for (auto it = root.begin(); it != root.end(); ++it) {
    std::string k = it->first.Scalar();
    if (k != "engines" && k != "launchers" && k != "settings" && k != "prequantized")
      top.fail("unknown top-level key `" + k + "` (known: engines, launchers, settings, prequantized)");
  }
  if (const YAML::Node pq = root["prequantized"]) {
    std::size_t row = 0;
    for (const auto& n : pq) {
      Where w{file, "prequantized", ++row, ""};
      check_keys(n, {"suffix", "method"}, w);
      std::string suffix = str(n, "suffix", w), method = str(n, "method", w);
      if (suffix.empty() || !one_of(kQuantizationMethods, method)) w.fail("needs a suffix and a known method");
      s.prequantized_suffixes.emplace_back(text::lower(suffix), method);
    }
  }

  std::size_t index = 0;
  for (const auto& n : root["engines"]) {
    Where w{file, "engines", ++index, ""};
    check_keys(n, {"id", "name", "underscores_are_dashes", "default_4bit_type", "int8_fix", "serves"}, w);
    Engine e;
    e.id = str(n, "id", w);
    w.what = e.id;
    e.name = str(n, "name", w);
    e.underscores_are_dashes = flag(n, "underscores_are_dashes", w);
    e.default_4bit_type = str(n, "default_4bit_type", w);
    e.int8_fix = str(n, "int8_fix", w);
    e.serves = flag(n, "serves", w);
    if (e.id.empty() || e.name.empty()) w.fail("an engine needs id and name");
    if (s.engine(e.id)) w.fail("engine `" + e.id + "` is listed twice");
    if (!e.default_4bit_type.empty() && e.default_4bit_type != "nf4" && e.default_4bit_type != "fp4")
      w.fail("default_4bit_type must be nf4 or fp4");
    s.engines.push_back(std::move(e));
  }

  index = 0;
  for (const auto& n : root["launchers"]) {
    Where w{file, "launchers", ++index, ""};
    check_keys(n, {"engine", "program", "subcommand", "module", "script", "image", "model_format", "kind", "map_key",
                   "doc_keys_all", "doc_keys_any", "env_file_any", "map_with_keys", "script_keys", "engine_value", "config_arg", "positional", "call", "call_not_containing", "args", "argv", "note", "callable_model", "generates_from_text"},
               w);
    Launcher l;
    l.row = index;
    l.engine = str(n, "engine", w);
    w.what = l.engine;
    l.program = str(n, "program", w);
    l.subcommand = str(n, "subcommand", w);
    l.module = str(n, "module", w);
    l.script = str(n, "script", w);
    l.image = str(n, "image", w);
    l.model_format = str(n, "model_format", w);
    l.kind = str(n, "kind", w);
    l.map_key = str(n, "map_key", w);
    l.doc_keys_all = list(n, "doc_keys_all", w);
    l.doc_keys_any = list(n, "doc_keys_any", w);
    l.env_file_any = list(n, "env_file_any", w);
    l.map_with_keys = list(n, "map_with_keys", w);
    l.script_keys = list(n, "script_keys", w);
    l.engine_value = str(n, "engine_value", w);
    std::string config_arg = str(n, "config_arg", w);
    if (!config_arg.empty()) {
      if (config_arg.find_first_not_of("0123456789") != std::string::npos || config_arg.size() > 2) w.fail("config_arg must be a small index");
      l.config_arg = std::stoi(config_arg);
    }
    l.positional = str(n, "positional", w);
    l.call = list(n, "call", w);
    l.call_not_containing = list(n, "call_not_containing", w);
    l.args = list(n, "args", w);
    std::string argv = str(n, "argv", w);
    if (!argv.empty()) {
      if (argv.find_first_not_of("0123456789") != std::string::npos || argv.size() > 2) w.fail("argv must be a small index");
      l.argv = std::stoi(argv);
    }
    l.note = str(n, "note", w);
    l.callable_model = flag(n, "callable_model", w);
    l.generates_from_text = flag(n, "generates_from_text", w);
    if (l.engine.empty() && l.argv < 0 && l.script_keys.empty())
      w.fail("a launcher needs an engine (or argv / script_keys, which run commands that name their engine)");
    if (!l.engine.empty() && !s.engine(l.engine)) w.fail("unknown engine `" + l.engine + "`");
    bool has_match = !l.program.empty() || !l.module.empty() || !l.script.empty() || !l.image.empty() ||
                     !l.model_format.empty() || !l.kind.empty() || !l.map_key.empty() || !l.doc_keys_all.empty() ||
                     !l.doc_keys_any.empty() || !l.call.empty() || !l.env_file_any.empty() ||
                     !l.map_with_keys.empty() || !l.script_keys.empty() || !l.engine_value.empty();
    if (!has_match) w.fail("matches nothing");
    if (l.argv >= 0 && l.call.empty()) w.fail("argv needs call");
    if (!l.args.empty() && l.call.empty()) w.fail("args needs call");
    if (!l.positional.empty()) check_setting_name(l.positional, "positional", w);
    for (const auto& a : l.args)
      if (!a.empty()) check_setting_name(a, "args", w);
    if ((l.callable_model || l.generates_from_text) && l.call.empty()) w.fail("callable_model and generates_from_text need call");
    for (const auto& c : l.call)
      if (c.empty() || c.size() < 2 || c[c.front() == '=' ? 1 : 0] == '.' || c.back() == '.')
        w.fail("`call` entries are dotted names, or =name");
    s.launchers.push_back(std::move(l));
  }

  index = 0;
  for (const auto& n : root["settings"]) {
    Where w{file, "settings", ++index, ""};
    check_keys(n, {"engines", "flag", "short", "env", "key", "kwarg", "under", "in_parent", "bool", "setting", "means",
                   "means_contains", "requires", "strict_requires", "fix", "implied", "of_callable_model"},
               w);
    SettingRow r;
    r.row = index;
    r.engines = list(n, "engines", w);
    r.flag = str(n, "flag", w);
    r.short_flag = str(n, "short", w);
    r.env = str(n, "env", w);
    r.key = str(n, "key", w);
    r.kwarg = str(n, "kwarg", w);
    w.what = joined(r.engines) + " " + (!r.flag.empty() ? r.flag : !r.key.empty() ? r.key : !r.kwarg.empty() ? r.kwarg : r.env);
    r.under = str(n, "under", w);
    r.in_parent = flag(n, "in_parent", w);
    r.is_bool = flag(n, "bool", w);
    r.setting = str(n, "setting", w);
    r.fix = str(n, "fix", w);
    r.implied = flag(n, "implied", w);
    r.strict_requires = flag(n, "strict_requires", w);
    r.of_callable_model = flag(n, "of_callable_model", w);
    if (r.of_callable_model && r.kwarg.empty()) w.fail("of_callable_model needs kwarg");
    if (const YAML::Node m = n["means"]) {
      if (!m.IsMap()) w.fail("`means` must be a map");
      for (const auto& kv : m) {
        std::string method = kv.second.Scalar();
        if (!one_of(kQuantizationMethods, method))
          w.fail("`means` maps `" + kv.first.Scalar() + "` to an unknown method `" + method + "` (known: " +
                 joined(kQuantizationMethods) + ")");
        r.means[kv.first.Scalar()] = method;
      }
    }
    if (const YAML::Node m = n["means_contains"]) {
      if (!m.IsMap()) w.fail("`means_contains` must be a map");
      for (const auto& kv : m) {
        std::string method = kv.second.Scalar();
        if (!one_of(kQuantizationMethods, method)) w.fail("`means_contains` names an unknown method `" + method + "`");
        r.means_contains[kv.first.Scalar()] = method;
      }
    }
    if (const YAML::Node m = n["requires"]) {
      if (!m.IsMap()) w.fail("`requires` must be a map");
      for (const auto& kv : m) {
        check_setting_name(kv.first.Scalar(), "requires", w);
        std::vector<std::string> allowed;
        for (const auto& v : kv.second) allowed.push_back(v.Scalar());
        r.requires_[kv.first.Scalar()] = allowed;
      }
    }
    if (r.engines.empty()) w.fail("a setting row needs engines");
    if (r.flag.empty() && r.env.empty() && r.key.empty() && r.kwarg.empty()) w.fail("a setting row needs a flag, env, key or kwarg");
    check_setting_name(r.setting, "setting", w);
    if (r.setting == "quantize" && r.means.empty() && r.means_contains.empty()) w.fail("a quantize row needs `means`");
    if (r.setting != "quantize" && (!r.means.empty() || !r.means_contains.empty())) w.fail("`means` belongs to quantize rows");
    for (const auto& e : r.engines)
      if (!s.engine(e)) w.fail("unknown engine `" + e + "`");
    s.settings.push_back(std::move(r));
  }
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

}  // namespace ecolint::engines
