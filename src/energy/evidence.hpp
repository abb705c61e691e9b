#pragma once
// Evidence rows and rule metadata, loaded from the embedded rules/ECO00N.yaml files, and the
// impact estimate a finding carries (computed from the rows, never a hard-coded sentence).
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ecolint::energy {

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
  std::string id, name, title, severity, fix_safety, summary, what, why, fix, fix_short, known_limits,
      example_bad, example_good;
  std::string impact_method, impact_baseline, impact_wording, impact_scope;
  std::optional<double> impact_max_params_b;
  std::optional<int> suggested_batch;
  std::optional<double> default_threshold_b;
  std::vector<Crossover> crossovers;
  std::vector<EvidenceRow> evidence;
};

// All rules' metadata, parsed once from the embedded data. Throws std::runtime_error on a
// malformed file (a test checks the shipped data loads).
const std::vector<RuleInfo>& rule_infos();
const RuleInfo* find_rule_info(const std::string& id);

// The estimate for a finding of `rule`: per-GPU ranges of the rule's impact rows (filtered by
// method, and by max params / batch where the rule says so), e.g.
// "+17–142% energy per token vs FP16 measured (RTX 4090D +17–142%, A800 +107–147%, ...)".
// With `gpu` set, that GPU's rows or, failing that, its architecture's.
struct ImpactQuery {
  std::string rule;
  std::optional<double> params_b;  // the model's size, when known
  std::string gpu;                 // empty: all measured GPUs
  std::string method;              // override the rule's impact method (e.g. "nf4")
};
std::string impact_text(const ImpactQuery& q);

// The rows an estimate for `q` rests on, and a note on how they were chosen when the GPU was not
// measured itself ("no measurements on L4; nearest measured architecture: Ada").
std::vector<const EvidenceRow*> impact_rows(const ImpactQuery& q, std::string* gpu_note);

// A finding's workload estimate: its percentage turned into energy, money and CO2 per month.
struct Workload {
  double tokens_per_day = 0;
  std::optional<double> price_per_kwh;
  std::optional<double> grid_gco2_per_kwh;
};
struct Estimate {
  double delta_pct = 0;            // median change of the rows used (saving is its magnitude)
  double baseline_j_per_1k = 0;    // baseline energy for this model size and GPU
  std::string baseline_basis;      // which row gave the baseline
  std::size_t rows = 0;
  double kwh_per_month = 0;        // avoidable energy
  std::optional<double> money_per_month;
  std::optional<double> kg_co2e_per_month;
};
// nullopt when no row gives a baseline energy. Months are 30 days.
std::optional<Estimate> estimate(const ImpactQuery& q, const Workload& w);

// ECO002's size threshold for a GPU: the fitted NF4 crossover of its architecture where the
// data has one (T4 2.126B, Ada 3.728B, Blackwell 4.751B); nullopt otherwise (use the default).
std::optional<double> nf4_crossover_for_gpu(const std::string& gpu);

// Formats a percentage like the reports do: "+26.5%", "-84.0%".
std::string format_pct(double pct);

}  // namespace ecolint::energy
