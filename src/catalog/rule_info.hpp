#pragma once
// Rule metadata and evidence rows, loaded from the embedded rules/ECONNN.yaml files: the one
// source of a rule's title, severity, documentation, fix text and measurements. Detection code is
// in src/rules/; estimates from the rows are computed in src/energy/.
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.hpp"

namespace ecolint::catalog {

struct EvidenceRow {
  std::string gpu, arch, model, method, baseline, date, source, note, idle_subtracted;
  // Set where one GPU's rows come from measurement sessions that must not be pooled: the impact
  // text then gives each session its own range.
  std::string session;
  double params_b = 0.0;
  int batch = 1;
  std::optional<double> j_per_1k, baseline_j_per_1k;
  double delta_pct = 0.0;
  std::optional<int> n;
};

struct Crossover {
  std::string arch;
  double params_b = 0.0;
  std::string source;
};

struct RuleInfo {
  std::string id, name, title, severity_text, fix_safety, summary, what, why, fix, fix_short, known_limits,
      example_bad, example_good;
  Severity severity = Severity::Warning;  // parsed from `severity:`; applied to every finding
  std::string impact_method, impact_baseline, impact_wording, impact_scope;
  std::optional<double> impact_max_params_b;
  std::optional<int> suggested_batch;
  std::optional<double> default_threshold_b;
  std::vector<Crossover> crossovers;
  std::vector<EvidenceRow> evidence;
};

// Parses one rule file's text; throws std::runtime_error naming `file` when it is malformed.
RuleInfo parse_rule_info(const std::string& file, const std::string& text);

// All rules' metadata in id order, parsed once from the embedded data. Throws std::runtime_error
// on a malformed file (a test checks the shipped data loads).
const std::vector<RuleInfo>& rule_infos();
const RuleInfo* find_rule_info(const std::string& id);

}  // namespace ecolint::catalog
