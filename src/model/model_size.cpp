// Model size from a model id: the curated table (rules/model_sizes.yaml) first, then the name.
//
// Name parsing is token based and precision first: the last path component is split into
// tokens, and only a whole token can be a size. Anything ambiguous (two disagreeing sizes,
// an NxM mixture-of-experts count, an active-only or "effective" count, a local path) is
// unknown rather than a guess.
#include "model/model_size.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <exception>
#include <set>
#include <unordered_map>

#include "data/embedded.hpp"

namespace ecolint::model {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string_view last_component(std::string_view id) {
  auto slash = id.rfind('/');
  return slash == std::string_view::npos ? id : id.substr(slash + 1);
}

// Token separators inside a model name. '.' is handled separately (it is kept between digits).
bool is_separator(char c) { return c == '-' || c == '_' || c == ':' || c == ' ' || c == '.'; }

// "stablelm-2-1_6b" -> "stablelm-2-1.6b": an underscore between two digit runs is a decimal
// point only when the second run ends in a unit letter and the whole thing is one token.
// "phi-1_5" and "t5-v1_1" stay as they are (versions). In a name whose separator is the
// underscore itself the pattern is ambiguous — torchtune's `qlora_llama3_2_1b` is Llama 3.2 1B,
// `lora_qwen2_5_0_5b` is Qwen2.5 0.5B — and sets `ambiguous` (the size is then unknown).
std::string merge_underscore_decimals(std::string name, bool* ambiguous = nullptr) {
  for (std::size_t i = 1; i + 1 < name.size(); ++i) {
    if (name[i] != '_' || !is_digit(name[i - 1]) || !is_digit(name[i + 1])) continue;
    std::size_t start = i;
    while (start > 0 && is_digit(name[start - 1])) --start;
    if (start > 0 && !is_separator(name[start - 1])) continue;  // "v1_1", "q4_0"
    std::size_t end = i + 1;
    while (end < name.size() && is_digit(name[end])) ++end;
    if (end >= name.size() || (name[end] != 'b' && name[end] != 'm')) continue;
    if (end + 1 < name.size() && !is_separator(name[end + 1])) continue;
    if (start > 0 && name[start - 1] == '_') {
      if (ambiguous) *ambiguous = true;
      continue;
    }
    name[i] = '.';
  }
  return name;
}

// A model URI: kubeai's `url: hf://org/name` (a hub id), `ollama://name:tag` (a name), and
// storage URIs (`s3://bucket/models/name`, `gs://`, `pvc://claim/path`, `oss://`, `file://`),
// sized like local paths. Sets `path` for the latter. nullopt: not a URI; "" : a URI we do not read.
std::optional<std::string> uri_model(std::string_view id, bool& path) {
  path = false;
  auto sep = id.find("://");
  if (sep == std::string_view::npos || sep == 0) return std::nullopt;
  std::string scheme = to_lower(id.substr(0, sep));
  for (char c : scheme)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return std::nullopt;
  std::string rest(id.substr(sep + 3));
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (scheme == "hf" || scheme == "huggingface" || scheme == "ollama") return rest;
  static const std::set<std::string> kStorage = {"s3", "gs", "gcs", "pvc", "oss", "file", "az", "abfs", "abfss"};
  if (kStorage.count(scheme) && !rest.empty()) {
    path = true;
    return "/" + rest;
  }
  return std::string();
}

// Split a lower-cased name on '-', '_', ':', ' ' and on '.' unless the dot sits between two
// digits ("0.5b", "qwen2.5" and "v0.1" stay whole; "model.gguf" splits).
std::vector<std::string> tokenize(const std::string& name) {
  std::vector<std::string> tokens;
  std::string cur;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool split = c == '-' || c == '_' || c == ':' || c == ' ' || c == '\t';
    if (c == '.') {
      bool between_digits = i > 0 && is_digit(name[i - 1]) && i + 1 < name.size() && is_digit(name[i + 1]);
      split = !between_digits;
    }
    if (split) {
      if (!cur.empty()) tokens.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) tokens.push_back(cur);
  return tokens;
}

// Reads "<digits>[.<digits>]" at pos; advances pos. nullopt if there is no digit at pos.
std::optional<double> read_number(const std::string& s, std::size_t& pos) {
  std::size_t start = pos;
  while (pos < s.size() && is_digit(s[pos])) ++pos;
  if (pos == start) return std::nullopt;
  if (pos + 1 < s.size() && s[pos] == '.' && is_digit(s[pos + 1])) {
    ++pos;
    while (pos < s.size() && is_digit(s[pos])) ++pos;
  }
  try {
    return std::stod(s.substr(start, pos - start));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// "<n>b" / "<n>m" filling the rest of the token from pos, in billions.
std::optional<double> read_size_to_end(const std::string& t, std::size_t pos) {
  auto n = read_number(t, pos);
  if (!n || pos + 1 != t.size()) return std::nullopt;
  // Below 10M an "m" is a context length ("Qwen2.5-14B-Instruct-1M"), not a parameter count.
  if (t[pos] == 'm' && *n < 10.0) return std::nullopt;
  double v = t[pos] == 'b' ? *n : t[pos] == 'm' ? *n / 1000.0 : -1.0;
  if (!(v > 0.0) || v > 10000.0) return std::nullopt;
  return v;
}

enum class Kind { None, Size, Active, MoE, Effective, Experts };

struct Token {
  Kind kind = Kind::None;
  double value = 0.0;
};

Token classify(const std::string& t) {
  if (t.empty()) return {};
  // "7b", "0.5b", "350m", "135m"
  if (is_digit(t[0])) {
    if (auto v = read_size_to_end(t, 0)) return {Kind::Size, *v};
    // "7b1" = 7.1B, "1b7" = 1.7B (BLOOM style): digits, 'b', one digit
    std::size_t pos = 0;
    while (pos < t.size() && is_digit(t[pos])) ++pos;
    if (pos + 2 == t.size() && t[pos] == 'b' && is_digit(t[pos + 1])) {
      double whole = std::stod(t.substr(0, pos));
      double v = whole + (t[pos + 1] - '0') / 10.0;
      if (v > 0.0) return {Kind::Size, v};
    }
    // "16e", "128e": number of experts
    if (pos + 1 == t.size() && t[pos] == 'e') return {Kind::Experts, 0.0};
    // "8x7b", "8x22b": mixture of experts; the total is not N*M
    if (pos < t.size() && t[pos] == 'x' && read_size_to_end(t, pos + 1)) return {Kind::MoE, 0.0};
    return {};
  }
  // "a3b", "a22b", "a2.7b", "a800m": active-parameter suffix
  if (t[0] == 'a' && t.size() > 2 && is_digit(t[1])) {
    if (auto v = read_size_to_end(t, 1)) return {Kind::Active, *v};
  }
  // "e2b", "e4b": "effective" parameters (gemma-3n)
  if (t[0] == 'e' && t.size() > 2 && is_digit(t[1]) && t.back() == 'b') {
    if (auto v = read_size_to_end(t, 1)) return {Kind::Effective, *v};
  }
  return {};
}

ModelSize unknown() { return ModelSize{}; }

// Trailing name parts that change the file format or precision but not the parameter count;
// stripped (one at a time) when looking an id up in the table.
bool is_format_suffix(const std::string& t) {
  static const std::set<std::string> kSuffixes = {
      "gptq", "awq", "gguf", "ggml", "exl2", "mlx", "onnx", "int4", "int8", "fp8", "fp16",
      "bf16", "4bit", "8bit", "bnb", "nf4", "unsloth", "hqq", "eetq", "marlin"};
  return kSuffixes.count(t) > 0;
}

struct TableIndex {
  std::unordered_map<std::string, std::size_t> by_key;  // lower-case id or last component
};

const TableIndex& table_index() {
  static const TableIndex index = [] {
    TableIndex idx;
    const SizeTable& table = size_table();
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      for (const auto& id : table.rows[r].ids) {
        std::string key = to_lower(id);
        idx.by_key.emplace(key, r);
        idx.by_key.emplace(std::string(last_component(key)), r);
      }
    }
    return idx;
  }();
  return index;
}

std::optional<std::size_t> find_row(const std::string& lower_id) {
  const auto& idx = table_index().by_key;
  if (auto it = idx.find(lower_id); it != idx.end()) return it->second;
  std::string name(last_component(lower_id));
  for (int guard = 0; guard < 8 && !name.empty(); ++guard) {
    if (auto it = idx.find(name); it != idx.end()) return it->second;
    auto cut = name.find_last_of("-_.");
    if (cut == std::string::npos || !is_format_suffix(name.substr(cut + 1))) break;
    name.resize(cut);
  }
  return std::nullopt;
}

// The size a table row gives, with its source as the basis.
ModelSize from_table(std::size_t index) {
  const SizeTableRow& r = size_table().rows[index];
  ModelSize out;
  out.known = true;
  out.total_billions = r.total_billions;
  out.active_billions = r.active_billions;
  out.basis = "table: " + r.source;
  return out;
}

std::string describe_row(std::size_t index, const YAML::Node& row) {
  std::string where = "row " + std::to_string(index + 1);
  try {
    if (row.IsMap() && row["ids"] && row["ids"].IsSequence() && row["ids"].size() > 0 &&
        row["ids"][0].IsScalar())
      where += " (" + row["ids"][0].as<std::string>() + ")";
  } catch (const std::exception&) {
  }
  return where;
}

}  // namespace

bool looks_like_local_path(std::string_view model_id) {
  std::string_view id = trim(model_id);
  if (id.empty()) return false;
  if (id[0] == '/' || id[0] == '~' || id[0] == '\\') return true;
  if (id == "." || id == "..") return true;
  if (id.substr(0, 2) == "./" || id.substr(0, 3) == "../" || id.substr(0, 2) == ".\\" ||
      id.substr(0, 3) == "..\\")
    return true;
  if (id.size() >= 2 && std::isalpha(static_cast<unsigned char>(id[0])) && id[1] == ':' &&
      (id.size() == 2 || id[2] == '\\' || id[2] == '/'))
    return true;  // Windows drive: "C:\models\x", "D:/ckpt"
  if (id.find('\\') != std::string_view::npos) return true;
  std::size_t slashes = 0;
  for (char c : id) slashes += c == '/';
  return slashes > 1;
}

ModelSize size_from_name(std::string_view model_id) {
  std::string_view id = trim(model_id);
  if (id.empty() || looks_like_local_path(id)) return unknown();
  // Org names never carry sizes: only the last component is parsed.
  bool ambiguous = false;
  std::string name = merge_underscore_decimals(to_lower(last_component(id)), &ambiguous);
  if (ambiguous) return unknown();

  std::vector<double> sizes;
  std::vector<double> actives;
  bool moe = false, effective = false, experts = false;
  for (const auto& tok : tokenize(name)) {
    Token t = classify(tok);
    switch (t.kind) {
      case Kind::Size: sizes.push_back(t.value); break;
      case Kind::Active: actives.push_back(t.value); break;
      case Kind::MoE: moe = true; break;
      case Kind::Effective: effective = true; break;
      case Kind::Experts: experts = true; break;
      case Kind::None: break;
    }
  }
  // NxM, "effective" and "<n>B-<k>E" names do not give the total: table only.
  if (moe || effective || experts) return unknown();
  auto all_equal = [](const std::vector<double>& v) {
    for (double x : v)
      if (std::fabs(x - v.front()) > 1e-9) return false;
    return true;
  };
  if (sizes.empty() || !all_equal(sizes)) return unknown();  // none, or disagreeing sizes
  if (!actives.empty() && (!all_equal(actives) || actives.front() >= sizes.front())) return unknown();

  ModelSize out;
  out.known = true;
  out.total_billions = sizes.front();
  if (!actives.empty()) out.active_billions = actives.front();
  out.basis = "name";
  return out;
}

ModelSize resolve_model_size(std::string_view model_id) {
  std::string_view id = trim(model_id);
  if (id.empty()) return unknown();
  bool storage_path = false;
  std::string from_uri;
  if (auto uri = uri_model(id, storage_path)) {
    if (uri->empty()) return unknown();
    from_uri = std::move(*uri);
    id = from_uri;
  }
  if (storage_path || looks_like_local_path(id)) {
    // A local copy keeps the model's directory name ("./models/Qwen/Qwen3-0.6B-Base",
    // "/data/internlm2-chat-1_8b"): size it by its last components, the hub id it was saved as.
    std::string path(id);
    std::replace(path.begin(), path.end(), '\\', '/');
    while (!path.empty() && path.back() == '/') path.pop_back();
    auto last = path.rfind('/');
    if (last == std::string::npos || last + 1 >= path.size()) return unknown();
    auto before = path.rfind('/', last - 1);
    std::string org_and_name = path.substr(before == std::string::npos ? 0 : before + 1);
    std::string name = path.substr(last + 1);
    if (name == "." || name == ".." || name.empty()) return unknown();
    for (const std::string& candidate : {org_and_name, name})
      if (auto row = find_row(to_lower(candidate))) return from_table(*row);
    return size_from_name(name);
  }
  if (auto row = find_row(to_lower(id))) return from_table(*row);
  return size_from_name(id);
}

SizeTable parse_size_table(std::string_view yaml_text) {
  SizeTable table;
  auto fail = [&table](std::string msg) {
    table.rows.clear();
    table.error = "model_sizes.yaml: " + std::move(msg);
    return table;
  };
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const std::exception& e) {
    return fail(std::string("not valid YAML: ") + e.what());
  }
  if (!root.IsMap() || !root["models"] || !root["models"].IsSequence())
    return fail("expected a top-level 'models:' list");

  static const std::set<std::string> kKeys = {"ids", "total_b", "active_b", "source", "note"};
  std::unordered_map<std::string, std::size_t> owner;  // key -> row, to catch clashing ids
  const YAML::Node models = root["models"];
  for (std::size_t i = 0; i < models.size(); ++i) {
    const YAML::Node row = models[i];
    const std::string where = describe_row(i, row);
    try {
      if (!row.IsMap()) return fail(where + ": not a map");
      for (const auto& kv : row) {
        auto key = kv.first.as<std::string>();
        if (!kKeys.count(key)) return fail(where + ": unknown key '" + key + "'");
      }
      SizeTableRow r;
      const YAML::Node ids = row["ids"];
      if (!ids || !ids.IsSequence() || ids.size() == 0) return fail(where + ": 'ids' must be a non-empty list");
      for (const auto& id : ids) {
        if (!id.IsScalar()) return fail(where + ": every id must be a string");
        auto s = std::string(trim(id.as<std::string>()));
        if (s.empty()) return fail(where + ": empty id");
        r.ids.push_back(s);
      }
      if (!row["total_b"] || !row["total_b"].IsScalar()) return fail(where + ": missing 'total_b'");
      r.total_billions = row["total_b"].as<double>();
      if (!std::isfinite(r.total_billions) || r.total_billions <= 0.0)
        return fail(where + ": 'total_b' must be a positive number");
      if (row["active_b"]) {
        if (!row["active_b"].IsScalar()) return fail(where + ": 'active_b' must be a number");
        double a = row["active_b"].as<double>();
        if (!std::isfinite(a) || a <= 0.0 || a > r.total_billions)
          return fail(where + ": 'active_b' must be positive and at most 'total_b'");
        r.active_billions = a;
      }
      if (!row["source"] || !row["source"].IsScalar()) return fail(where + ": missing 'source'");
      r.source = std::string(trim(row["source"].as<std::string>()));
      if (r.source.empty()) return fail(where + ": empty 'source'");
      if (row["note"]) {
        if (!row["note"].IsScalar()) return fail(where + ": 'note' must be a string");
        r.note = row["note"].as<std::string>();
      }
      for (const auto& id : r.ids) {
        std::string full = to_lower(id);
        for (const std::string& key : {full, std::string(last_component(full))}) {
          auto [it, inserted] = owner.emplace(key, i);
          if (!inserted && it->second != i)
            return fail(where + ": id '" + key + "' also matches row " + std::to_string(it->second + 1));
        }
      }
      table.rows.push_back(std::move(r));
    } catch (const std::exception& e) {
      return fail(where + ": " + e.what());
    }
  }
  return table;
}

const SizeTable& size_table() {
  static const SizeTable table = [] {
    auto text = data::embedded("model_sizes.yaml");
    if (!text) {
      SizeTable t;
      t.error = "model_sizes.yaml is not embedded";
      return t;
    }
    return parse_size_table(*text);
  }();
  return table;
}

}  // namespace ecolint::model
