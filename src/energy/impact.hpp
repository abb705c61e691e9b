#pragma once
// The impact estimate a finding carries, computed from the rule's evidence rows
// (catalog/rule_info.hpp), never a hard-coded sentence.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "catalog/rule_info.hpp"

namespace ecolint::energy {

using catalog::EvidenceRow;
using catalog::RuleInfo;

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


}  // namespace ecolint::energy
