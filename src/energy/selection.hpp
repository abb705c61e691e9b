#pragma once
// Which evidence rows a finding's figures rest on, and how they are grouped. One place decides,
// for the impact text, the workload estimate and the docs alike:
// - by rule: the rule's method (penalty rules: its quantization method at batch 1; batching rules:
//   its precision at the batch its fix names), within the rule's size scope;
// - by GPU: the GPU's own rows; else its architecture's (extrapolated); else the architecture the
//   sources themselves borrow for it (rules/gpus.yaml `borrow`, extrapolated); else none, and
//   the finding says why. Without a GPU: every measured GPU;
// - by session: each (GPU, session) is a group whose rows may be pooled; groups never are: with
//   several groups the central figure is the median of the groups' medians;
// - by accounting: board-level, idle-subtracted and unknown-accounting figures never share a
//   number: the groups of one accounting are counted (board-level first), the others are shown;
// - by quality: `quality: suspect` rows are shown, flagged, and never counted.
// The estimate's baseline energy is chosen by model size from the counted rows (energy/impact.hpp).
#include <optional>
#include <string>
#include <vector>

#include "catalog/rule_info.hpp"

namespace ecolint::energy {

using catalog::EvidenceRow;
using catalog::RuleInfo;

struct ImpactQuery {
  std::string rule;
  std::optional<double> params_b;  // the model's size, when known
  std::string gpu;                 // empty: all measured GPUs
  std::string method;              // override the rule's method (penalty) or precision (batching)
};

// The rows of one GPU's one measurement session (or of a GPU without sessions).
struct RowGroup {
  std::string gpu, session;
  std::string idle_subtracted;                  // one value per group (checked on load)
  std::vector<const EvidenceRow*> rows;         // every row the filters keep, in data order
  std::vector<const EvidenceRow*> median_rows;  // the rows minus suspect ones
  std::optional<double> median;                 // of median_rows
  bool counted = false;                         // in the figures
  std::string not_counted_because;              // when shown only
  std::string label() const;                    // "RTX 4090 (July 2026)", "A800"
};

struct Selection {
  const RuleInfo* info = nullptr;
  std::string gpu;            // the canonical GPU asked for; "" for all measured GPUs
  std::string rows_from;      // "A800"; "Ampere (A800)" when extrapolated; "all measured GPUs"
  bool extrapolated = false;  // the rows are not from the GPU the figures are for
  std::string how;            // how rows were chosen when the GPU was not measured itself, else ""
  std::string no_estimate;    // why there are no figures, when nothing is counted
  std::string measured_on;    // every GPU with rows in the rule's scope: "RTX 4090D, RTX 4090, A800"
  std::vector<RowGroup> groups;
  std::string accounting;     // the counted groups' idle_subtracted value
  // Over the counted groups (set when at least one group is counted):
  std::optional<double> median;  // the one group's median, or the median of the groups' medians
  double low = 0, high = 0;      // lowest and highest counted row
  std::size_t counted_rows = 0;
  std::vector<const EvidenceRow*> counted() const;
  std::size_t counted_groups() const;
};

// The rows behind `q`'s figures. An unknown rule gives an empty selection.
Selection select_rows(const ImpactQuery& q);

// The median of `values` (the mean of the middle two for an even count); values must not be empty.
double median_of(std::vector<double> values);

// "idle subtracted", "board-level", "idle accounting unknown".
std::string accounting_name(const std::string& idle_subtracted);

}  // namespace ecolint::energy
