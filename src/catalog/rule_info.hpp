#pragma once
// Rule metadata and evidence rows, loaded from the embedded rules/ECONNN.yaml files: the one
// source of a rule's title, severity, documentation, fix text and measurements. Detection code is
// in src/rules/; estimates from the rows are computed in src/energy/.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.hpp"

namespace ecolint::catalog {

struct EvidenceRow {
  std::string gpu, arch, model, method, baseline, date, source, note;
  // "true" (board power minus idle was integrated), "false" (board-level) or "unknown" (the
  // source's claim and its arithmetic disagree, or it gives no power to check). One GPU session
  // has one value (checked on load): figures of different accounting never share a number.
  std::string idle_subtracted;
  // Set where one GPU's rows come from measurement sessions that must not be pooled: each session
  // is a group of its own in every figure (energy/selection.hpp).
  std::string session;
  std::string basis;            // "summary": a figure from the source's prose, no raw row; else ""
  std::string derived;          // how we computed the energies from the source's own columns, or ""
  std::string quality;          // "suspect": the source's own numbers are implausible; else ""
  std::string gpu_as_reported;  // the source's own description of the GPU, where it disagrees
  double params_b = 0.0;
  int batch = 1;
  std::optional<double> j_per_1k, baseline_j_per_1k;
  double delta_pct = 0.0;
  std::optional<int> n;
};

// An accuracy measurement of the same settings (perplexity): never part of an energy figure.
struct AccuracyRow {
  std::string gpu, model, method, baseline, metric, dataset, date, session, quality, source, note;
  double params_b = 0.0;
  double value = 0.0, baseline_value = 0.0, delta_pct = 0.0;
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
  // Batching rules: the precision whose rows the estimate uses (the finding does not say which
  // precision is served; FP16 is the unquantized default). Empty for penalty rules, whose rows
  // are chosen by `impact_method`.
  std::string impact_precision;
  std::optional<double> default_threshold_b;
  std::vector<Crossover> crossovers;
  // The measurements. Most of a rule file is rows, and only a finding's estimate and the docs read
  // them: rule_infos() parses them on first use (once, thread-safe), so a run that reports nothing
  // does not pay for them. A malformed row throws std::runtime_error naming the file, from here.
  const std::vector<EvidenceRow>& evidence() const { return rows().evidence; }
  const std::vector<AccuracyRow>& accuracy() const { return rows().accuracy; }
  // Numbers a rule's check reads (ECO004's max_weight_fraction), each with why it has its value.
  std::map<std::string, double> parameters;
  std::map<std::string, std::string> parameter_why;
  // Rows shared with other rules, imported when the data loads: rule id -> methods
  // (`evidence_from: {ECO001: [int8-pure]}`), so a measurement is written once.
  std::map<std::string, std::vector<std::string>> evidence_from;

  struct Rows {
    std::once_flag once;
    std::function<void(Rows&)> load;  // fills the vectors; empty once they are filled
    std::vector<EvidenceRow> evidence;
    std::vector<AccuracyRow> accuracy;
  };
  std::shared_ptr<Rows> rows_ = std::make_shared<Rows>();  // shared by copies of this RuleInfo
  const Rows& rows() const;
};

// Parses one rule file's text, rows included (without the rows `evidence_from` imports); throws
// std::runtime_error naming `file` when it is malformed.
RuleInfo parse_rule_info(const std::string& file, const std::string& text);

// All rules' metadata in id order, parsed once from the embedded data. Throws std::runtime_error
// on a malformed file (a test checks the shipped data loads).
const std::vector<RuleInfo>& rule_infos();
const RuleInfo* find_rule_info(const std::string& id);

}  // namespace ecolint::catalog
