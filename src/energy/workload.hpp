#pragma once
// A finding's workload estimate: its measured percentage turned into energy, money and CO2 per
// month, as a median with a low-high range; and the pass that gives every finding of a run its
// estimate and adds them up.
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.hpp"
#include "energy/selection.hpp"

namespace ecolint::energy {

struct Workload {
  double tokens_per_day = 0;
  std::optional<double> price_per_kwh;
  std::optional<double> grid_gco2_per_kwh;
};

// A monthly figure: the median and the range the measured rows span.
struct Spread {
  double low = 0, median = 0, high = 0;
};

struct Estimate {
  Selection selection;                 // the rows and groups behind it
  double delta_pct = 0;                // the selection's median (saving is its magnitude)
  double delta_low = 0, delta_high = 0;
  const EvidenceRow* baseline = nullptr;  // the row whose baseline energy is used
  double baseline_j_per_1k = 0;
  std::string baseline_basis;          // which row gave the baseline, and why that one
  // Avoidable per month. Signed: a negative value means the fix would cost energy there.
  Spread kwh;
  std::optional<Spread> money, kg_co2e;
};

// nullopt when nothing is counted for the query (see energy/selection.hpp) or no counted row has
// a baseline energy. The baseline energy is the counted row nearest in model size (the median
// size when unknown), the first such row in the data on a tie. Months are 30 days.
std::optional<Estimate> estimate(const ImpactQuery& q, const Workload& w);

// The run's totals: sums of the findings' low, median and high figures.
struct WorkloadTotals {
  Workload workload;
  Spread kwh;
  std::optional<Spread> money, kg_co2e;
  std::size_t estimated = 0, not_estimated = 0;
};

// Gives each diagnostic its estimate for `w` (from its rule, model size and GPU) and adds them up.
WorkloadTotals apply_workload(std::vector<Diagnostic>& diagnostics, const Workload& w);

}  // namespace ecolint::energy
