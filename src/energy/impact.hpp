#pragma once
// The impact text a finding carries, computed from the rule's evidence rows as energy/selection.hpp
// chooses them, never a hard-coded sentence; and ECO002's GPU-dependent size threshold.
#include <optional>
#include <string>

#include "energy/selection.hpp"

namespace ecolint::energy {

// E.g. "measured +107–131% energy per token vs FP16 (A800 +107–131%; median +119%; board-level,
// 4 measurements, see `ecolint rule ECO001`)": the counted range, each group (a GPU or one of its
// sessions) with its range, the median, the groups shown but not counted and why, how the rows
// were chosen when the GPU was not measured itself; or why there is no estimate. Empty for an
// unknown rule or a rule without rows.
std::string impact_text(const ImpactQuery& q);

// ECO002's size threshold for a GPU: the fitted NF4 crossover of its architecture where the
// data has one (T4 2.126B, Ada 3.728B, Blackwell 4.751B); nullopt otherwise (use the default).
std::optional<double> nf4_crossover_for_gpu(const std::string& gpu);

}  // namespace ecolint::energy
