#include "catalog/rule_info.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <string_view>
#include <stdexcept>

#include "data/embedded.hpp"

namespace ecolint::catalog {

namespace {

std::string str(const YAML::Node& n, const char* key) {
  const YAML::Node v = n[key];
  if (!v || v.IsNull()) return {};
  return v.as<std::string>();
}

std::optional<double> opt_double(const YAML::Node& n, const char* key) {
  const YAML::Node v = n[key];
  if (!v || v.IsNull()) return std::nullopt;
  return v.as<double>();
}

// The flags the estimate code reads: an unknown value would silently count a row it should not.
void check_row_values(const EvidenceRow& row) {
  std::string what = row.gpu + " " + row.model + " " + row.method + " batch " + std::to_string(row.batch);
  if (row.idle_subtracted != "true" && row.idle_subtracted != "false" && row.idle_subtracted != "unknown")
    throw std::runtime_error(what + ": idle_subtracted must be true, false or unknown");
  if (!row.quality.empty() && row.quality != "suspect")
    throw std::runtime_error(what + ": quality must be suspect or absent, not '" + row.quality + "'");
  if (!row.basis.empty() && row.basis != "summary")
    throw std::runtime_error(what + ": basis must be summary or absent, not '" + row.basis + "'");
}

// One GPU session is one accounting: its rows are pooled, so they must not mix idle-subtracted
// and board-level figures.
void check_sessions(const std::vector<EvidenceRow>& rows) {
  for (const auto& a : rows)
    for (const auto& b : rows)
      if (a.gpu == b.gpu && a.session == b.session && a.idle_subtracted != b.idle_subtracted)
        throw std::runtime_error(a.gpu + (a.session.empty() ? "" : " (" + a.session + ")") +
                                 " mixes idle_subtracted " + a.idle_subtracted + " and " + b.idle_subtracted +
                                 ": give the rows separate sessions");
}

// The rule's own fields, rows aside.
void read_header(const YAML::Node& doc, RuleInfo& r) {
  r.id = str(doc, "id");
  if (r.id.empty()) throw std::runtime_error("missing id");
  r.name = str(doc, "name");
  r.title = str(doc, "title");
  r.severity_text = str(doc, "severity");
  if (!parse_severity(r.severity_text, r.severity))
    throw std::runtime_error("severity must be note, warning or error, not '" + r.severity_text + "'");
  r.fix_safety = str(doc, "fix_safety");
  r.summary = str(doc, "summary");
  r.what = str(doc, "what");
  r.why = str(doc, "why");
  r.fix = str(doc, "fix");
  r.fix_short = str(doc, "fix_short");
  r.known_limits = str(doc, "known_limits");
  r.example_bad = str(doc, "example_bad");
  r.example_good = str(doc, "example_good");
  r.default_threshold_b = opt_double(doc, "default_threshold_b");
  if (const YAML::Node params = doc["parameters"]) {
    if (!params.IsMap()) throw std::runtime_error("parameters must be a map of numbers");
    for (const auto& kv : params) {
      std::string name = kv.first.as<std::string>();
      r.parameters[name] = kv.second["value"].as<double>();
      r.parameter_why[name] = str(kv.second, "why");
      if (r.parameter_why[name].empty()) throw std::runtime_error("parameter " + name + " needs a `why`");
    }
  }
  if (const YAML::Node from = doc["evidence_from"]) {
    if (!from.IsMap()) throw std::runtime_error("evidence_from must map rule ids to methods");
    for (const auto& kv : from) r.evidence_from[kv.first.as<std::string>()] = kv.second.as<std::vector<std::string>>();
  }
  if (doc["impact"]) {
    r.impact_method = str(doc["impact"], "method");
    r.impact_baseline = str(doc["impact"], "baseline");
    r.impact_wording = str(doc["impact"], "wording");
    r.impact_max_params_b = opt_double(doc["impact"], "max_params_b");
    r.impact_scope = str(doc["impact"], "scope");
    if (auto b = opt_double(doc["impact"], "suggested_batch")) r.suggested_batch = static_cast<int>(*b);
    r.impact_precision = str(doc["impact"], "precision");
  }
  if (r.impact_method == "batch" && (!r.suggested_batch || r.impact_precision.empty()))
    throw std::runtime_error("a batching rule's impact needs suggested_batch and precision");
  for (const auto& c : doc["crossovers"]) r.crossovers.push_back({str(c, "arch"), c["params_b"].as<double>(), str(c, "source")});
}

// The rule's own evidence and accuracy rows.
void read_rows(const YAML::Node& doc, RuleInfo::Rows& out) {
  for (const auto& e : doc["evidence"]) {
    EvidenceRow row;
    row.gpu = str(e, "gpu");
    row.arch = str(e, "arch");
    row.model = str(e, "model");
    row.method = str(e, "method");
    row.baseline = str(e, "baseline");
    row.date = str(e, "date");
    row.source = str(e, "source");
    row.note = str(e, "note");
    row.idle_subtracted = str(e, "idle_subtracted");
    row.session = str(e, "session");
    row.basis = str(e, "basis");
    row.derived = str(e, "derived");
    row.quality = str(e, "quality");
    row.gpu_as_reported = str(e, "gpu_as_reported");
    row.params_b = e["params_b"].as<double>();
    row.batch = e["batch"] ? e["batch"].as<int>() : 1;
    row.j_per_1k = opt_double(e, "j_per_1k");
    row.baseline_j_per_1k = opt_double(e, "baseline_j_per_1k");
    row.delta_pct = e["delta_pct"].as<double>();
    if (auto n = opt_double(e, "n")) row.n = static_cast<int>(*n);
    if (row.gpu.empty() || row.method.empty() || row.source.empty())
      throw std::runtime_error("evidence row without gpu, method or source");
    check_row_values(row);
    out.evidence.push_back(std::move(row));
  }
  check_sessions(out.evidence);
  for (const auto& a : doc["accuracy"]) {
    AccuracyRow row;
    row.gpu = str(a, "gpu");
    row.model = str(a, "model");
    row.method = str(a, "method");
    row.baseline = str(a, "baseline");
    row.metric = str(a, "metric");
    row.dataset = str(a, "dataset");
    row.date = str(a, "date");
    row.session = str(a, "session");
    row.quality = str(a, "quality");
    row.source = str(a, "source");
    row.note = str(a, "note");
    row.params_b = a["params_b"].as<double>();
    row.value = a["value"].as<double>();
    row.baseline_value = a["baseline_value"].as<double>();
    row.delta_pct = a["delta_pct"].as<double>();
    if (row.gpu.empty() || row.method.empty() || row.source.empty() || row.metric.empty())
      throw std::runtime_error("accuracy row without gpu, method, metric or source");
    if (!row.quality.empty() && row.quality != "suspect")
      throw std::runtime_error("accuracy row quality must be suspect or absent, not '" + row.quality + "'");
    out.accuracy.push_back(std::move(row));
  }
}

template <typename Read>
auto naming_file(const std::string& file, Read&& read) {
  try {
    return read();
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(file + ": " + e.what());
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(file + ": " + e.what());
  }
}

// A rule file split on its top-level keys into the rows (`evidence:`, `accuracy:`) and the rest.
// A top-level key starts a line with a letter or `_`; every other line (indented, an indentless
// `- ` item, a comment, a blank) belongs to the key above it. Each part keeps the other's lines as
// empty lines, so YAML errors name the file's own line numbers.
void split_rows(std::string_view text, std::string& header, std::string& rows) {
  bool in_rows = false;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t e = text.find('\n', i);
    e = e == std::string_view::npos ? text.size() : e + 1;
    std::string_view line(text.data() + i, e - i);
    unsigned char c = static_cast<unsigned char>(line[0]);
    if (std::isalpha(c) || c == '_') in_rows = line.rfind("evidence:", 0) == 0 || line.rfind("accuracy:", 0) == 0;
    (in_rows ? rows : header).append(line);
    if (line.back() == '\n') (in_rows ? header : rows).push_back('\n');
    i = e;
  }
}

}  // namespace

RuleInfo parse_rule_info(const std::string& file, const std::string& text) {
  return naming_file(file, [&] {
    YAML::Node doc = YAML::Load(text);
    RuleInfo r;
    read_header(doc, r);
    read_rows(doc, *r.rows_);  // no `load`: rows() has nothing more to do
    return r;
  });
}

const RuleInfo::Rows& RuleInfo::rows() const {
  std::call_once(rows_->once, [this] {
    if (!rows_->load) return;
    rows_->load(*rows_);
    rows_->load = nullptr;
  });
  return *rows_;
}

namespace {

std::vector<RuleInfo> load_all() {
  std::vector<RuleInfo> out;
  for (std::string_view name : data::embedded_names()) {
    if (name.size() != 11 || name.substr(0, 3) != "ECO" || name.substr(6) != ".yaml") continue;
    std::string file(name), header, rows;
    split_rows(*data::embedded(name), header, rows);
    RuleInfo r = naming_file(file, [&] {
      RuleInfo h;
      read_header(YAML::Load(header), h);
      return h;
    });
    // Shared rows are copied from the rule that holds them (each written once, in one rule's data).
    r.rows_->load = [file, rows = std::move(rows), from = r.evidence_from, id = r.id](RuleInfo::Rows& out_rows) {
      naming_file(file, [&] {
        read_rows(YAML::Load(rows), out_rows);
        return 0;
      });
      for (const auto& [source_id, methods] : from) {
        const RuleInfo* source = find_rule_info(source_id);
        std::size_t before = out_rows.evidence.size();
        for (const auto& row : source->evidence())
          if (std::find(methods.begin(), methods.end(), row.method) != methods.end()) out_rows.evidence.push_back(row);
        for (const auto& row : source->accuracy())
          if (std::find(methods.begin(), methods.end(), row.method) != methods.end()) out_rows.accuracy.push_back(row);
        if (out_rows.evidence.size() == before)
          throw std::runtime_error(id + ": evidence_from " + source_id + " imports no rows");
      }
    };
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const RuleInfo& a, const RuleInfo& b) { return a.id < b.id; });
  for (const auto& r : out)
    for (const auto& shared : r.evidence_from) {
      auto source = std::find_if(out.begin(), out.end(), [&shared](const RuleInfo& o) { return o.id == shared.first; });
      if (source == out.end() || !source->evidence_from.empty())
        throw std::runtime_error(r.id + ": evidence_from names " + shared.first + ", which has no rows of its own to share");
    }
  return out;
}

}  // namespace

const std::vector<RuleInfo>& rule_infos() {
  static const std::vector<RuleInfo> infos = load_all();
  return infos;
}

const RuleInfo* find_rule_info(const std::string& id) {
  for (const auto& r : rule_infos())
    if (r.id == id) return &r;
  return nullptr;
}

}  // namespace ecolint::catalog
