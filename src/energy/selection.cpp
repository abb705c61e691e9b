#include "energy/selection.hpp"

#include <algorithm>
#include <set>

#include "energy/gpus.hpp"

namespace ecolint::energy {

namespace {

// The rule's own filters: method (or precision), batch, size scope.
bool in_scope(const RuleInfo& info, const EvidenceRow& row, const std::string& method_override) {
  if (info.impact_method == "batch") {
    const std::string& precision = method_override.empty() ? info.impact_precision : method_override;
    if (row.batch != info.suggested_batch.value_or(8) || row.method != precision) return false;
  } else {
    const std::string& method = method_override.empty() ? info.impact_method : method_override;
    // Penalty figures compare against FP16 at batch 1: larger batches change both sides.
    if (row.batch != 1 || row.method != method) return false;
  }
  return !(info.impact_max_params_b && row.params_b > *info.impact_max_params_b);
}

const Gpu* gpu_of(const EvidenceRow& row) { return find_gpu(row.gpu); }

// "A800, RTX 4090": the GPUs of `rows`, each once, in data order (exact names, never substrings).
std::string gpu_list(const std::vector<const EvidenceRow*>& rows) {
  std::vector<std::string> names;
  for (auto* r : rows)
    if (std::find(names.begin(), names.end(), r->gpu) == names.end()) names.push_back(r->gpu);
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::vector<RowGroup> group_rows(const std::vector<const EvidenceRow*>& rows) {
  std::vector<RowGroup> groups;
  for (auto* r : rows) {
    auto g = std::find_if(groups.begin(), groups.end(),
                          [&](const RowGroup& x) { return x.gpu == r->gpu && x.session == r->session; });
    if (g == groups.end()) {
      groups.push_back({r->gpu, r->session, r->idle_subtracted, {}, {}, std::nullopt, false, ""});
      g = groups.end() - 1;
    }
    g->rows.push_back(r);
    if (r->quality != "suspect") g->median_rows.push_back(r);
  }
  for (auto& g : groups) {
    if (g.median_rows.empty()) continue;
    std::vector<double> d;
    for (auto* r : g.median_rows) d.push_back(r->delta_pct);
    g.median = median_of(d);
  }
  return groups;
}

// Counts the groups of one accounting (board-level first, then unknown, then idle-subtracted: the
// board is what the meter sees and how most rows were measured); the others are shown only.
void count_groups(Selection& s) {
  std::string chosen;
  for (const char* accounting : {"false", "unknown", "true"})
    for (const auto& g : s.groups)
      if (chosen.empty() && g.median && g.idle_subtracted == accounting) chosen = accounting;
  s.accounting = chosen;
  std::vector<double> medians;
  bool first = true;
  for (auto& g : s.groups) {
    if (!g.median) {
      g.not_counted_because = "flagged suspect";
      continue;
    }
    if (g.idle_subtracted != chosen) {
      g.not_counted_because = accounting_name(g.idle_subtracted) + ": not mixed with " + accounting_name(chosen) + " figures";
      continue;
    }
    g.counted = true;
    medians.push_back(*g.median);
    for (auto* r : g.median_rows) {
      s.low = first ? r->delta_pct : std::min(s.low, r->delta_pct);
      s.high = first ? r->delta_pct : std::max(s.high, r->delta_pct);
      first = false;
      ++s.counted_rows;
    }
  }
  if (!medians.empty()) s.median = median_of(medians);
}

}  // namespace

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

std::string accounting_name(const std::string& idle_subtracted) {
  if (idle_subtracted == "true") return "idle subtracted";
  if (idle_subtracted == "false") return "board-level";
  return "idle accounting unknown";
}

std::string RowGroup::label() const { return session.empty() ? gpu : gpu + " (" + session + ")"; }

std::vector<const EvidenceRow*> Selection::counted() const {
  std::vector<const EvidenceRow*> out;
  for (const auto& g : groups)
    if (g.counted) out.insert(out.end(), g.median_rows.begin(), g.median_rows.end());
  return out;
}

std::size_t Selection::counted_groups() const {
  return static_cast<std::size_t>(std::count_if(groups.begin(), groups.end(), [](const RowGroup& g) { return g.counted; }));
}

// "int8-default at batch 1 for 0.5B-3B models": what a rule's rows measure, for messages.
static std::string rows_wanted(const RuleInfo& info, const std::string& method_override) {
  if (info.impact_method == "batch")
    return (method_override.empty() ? info.impact_precision : method_override) + " at batch " +
           std::to_string(info.suggested_batch.value_or(8)) + " vs 1";
  std::string s = (method_override.empty() ? info.impact_method : method_override) + " at batch 1";
  return info.impact_scope.empty() ? s : s + " " + info.impact_scope;
}

Selection select_rows(const ImpactQuery& q) {
  Selection s;
  s.info = catalog::find_rule_info(q.rule);
  if (!s.info) return s;
  std::vector<const EvidenceRow*> rows;
  for (const auto& row : s.info->evidence())
    if (in_scope(*s.info, row, q.method)) rows.push_back(&row);
  s.measured_on = gpu_list(rows);

  enum class From { All, Gpu, SameArch, Borrowed, None } from = From::All;
  const Gpu* gpu = q.gpu.empty() ? nullptr : find_gpu(q.gpu);
  const Borrow* borrow = nullptr;
  std::vector<const EvidenceRow*> chosen;
  std::string where;
  if (!gpu) {
    chosen = rows;
  } else {
    s.gpu = gpu->name;
    where = gpu->name + " (" + (gpu->vendor == "NVIDIA" ? "" : gpu->vendor + " ") + gpu->arch + ")";
    std::string wanted = rows_wanted(*s.info, q.method);
    for (auto* r : rows)
      if (gpu_of(*r) == gpu) chosen.push_back(r);
    from = From::Gpu;
    if (chosen.empty() && gpu->vendor != "NVIDIA") {
      from = From::None;
      s.no_estimate = "no estimate for " + where + ": nothing was measured on " + gpu->vendor +
                      " GPUs, and NVIDIA measurements do not carry over (bitsandbytes on ROCm is a different build)";
    } else if (chosen.empty()) {
      for (auto* r : rows)
        if (const Gpu* g = gpu_of(*r); g && g->arch == gpu->arch) chosen.push_back(r);
      from = From::SameArch;
      borrow = borrow_for(gpu->arch);
      if (chosen.empty() && borrow) {
        for (auto* r : rows)
          if (const Gpu* g = gpu_of(*r); g && g->arch == borrow->from) chosen.push_back(r);
        from = From::Borrowed;
        if (chosen.empty())
          s.no_estimate = "no estimate for " + where + ": no " + wanted + " was measured on " + gpu->arch +
                          " GPUs, nor on " + borrow->from + ", the architecture the sources borrow for " + gpu->arch;
      } else if (chosen.empty()) {
        s.no_estimate = "no estimate for " + where + ": no " + wanted + " was measured on " + gpu->arch +
                        " GPUs, and the sources borrow no other architecture's figures for " + gpu->arch;
      }
      if (chosen.empty()) from = From::None;
    }
  }
  s.groups = group_rows(chosen);
  count_groups(s);

  // Name where the counted rows come from (only GPUs that are counted).
  std::vector<const EvidenceRow*> counted_rows = s.counted();
  std::string counted_gpus = gpu_list(counted_rows.empty() ? chosen : counted_rows);
  switch (from) {
    case From::All:
      s.rows_from = "all measured GPUs";
      if (!q.gpu.empty()) s.how = "unknown GPU '" + q.gpu + "': figures across all measured GPUs";
      break;
    case From::Gpu:
      s.rows_from = gpu->name;
      break;
    case From::SameArch:
      s.extrapolated = true;
      s.rows_from = gpu->arch + " (" + counted_gpus + ")";
      s.how = "no measurements on " + where + "; same architecture: " + s.rows_from + ", extrapolated";
      break;
    case From::Borrowed:
      s.extrapolated = true;
      s.rows_from = borrow->from + " (" + counted_gpus + ")";
      s.how = "no measurements on " + where + " or another " + gpu->arch + " GPU; borrowed from " + s.rows_from +
              " as the sources borrow " + gpu->arch + " from " + borrow->from + ": extrapolated, not measured";
      break;
    case From::None:
      break;
  }
  if (!s.median && s.no_estimate.empty()) {
    std::string who = s.gpu.empty() ? std::string("the measured GPUs") : s.rows_from;
    s.no_estimate = "no estimate for " + (s.gpu.empty() ? std::string("any GPU") : s.gpu) + ": the only rows (" +
                    rows_wanted(*s.info, q.method) + ", " + who + ") are flagged suspect";
  }
  return s;
}

}  // namespace ecolint::energy
