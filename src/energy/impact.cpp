#include "energy/impact.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "base/number.hpp"
#include "energy/gpus.hpp"

namespace ecolint::energy {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

// Rules whose rows measure a penalty over the baseline (vs a saving, as batching rows do).
static bool info_is_penalty(const std::string& rule) {
  const RuleInfo* info = catalog::find_rule_info(rule);
  return info && info->impact_method != "batch";
}

// Batching rules: how far the largest measured batch goes, e.g. "; batch 64 measured -95.7% to -98%".
static std::string largest_batch_note(const RuleInfo& info, const std::string& gpu) {
  int top = 0;
  for (const auto& r : info.evidence) top = std::max(top, r.batch);
  if (top <= info.suggested_batch.value_or(8)) return {};
  std::vector<double> all, same;
  for (const auto& r : info.evidence) {
    if (r.batch != top) continue;
    all.push_back(r.delta_pct);
    if (!gpu.empty() && lower(r.gpu) == lower(gpu)) same.push_back(r.delta_pct);
  }
  const auto& d = same.empty() ? all : same;
  auto [lo, hi] = std::minmax_element(d.begin(), d.end());
  std::string range = std::fabs(*lo - *hi) < 0.05 ? format_pct(*lo) : format_pct(*hi) + " to " + format_pct(*lo);
  return "; batch " + std::to_string(top) + " measured " + range;
}

std::vector<const EvidenceRow*> impact_rows(const ImpactQuery& q, std::string* gpu_note) {
  std::vector<const EvidenceRow*> rows;
  const RuleInfo* info = catalog::find_rule_info(q.rule);
  if (!info) return rows;
  std::string method = q.method.empty() ? info->impact_method : q.method;
  for (const auto& row : info->evidence) {
    if (info->impact_method == "batch") {
      // Batching rows: the suggested batch size against batch 1, any precision.
      if (row.batch != info->suggested_batch.value_or(8)) continue;
    } else if (row.method != method) {
      continue;
    }
    if (info->impact_max_params_b && row.params_b > *info->impact_max_params_b) continue;
    rows.push_back(&row);
  }
  if (q.gpu.empty() || rows.empty()) return rows;

  const Gpu* gpu = find_gpu(q.gpu);
  std::vector<const EvidenceRow*> same;
  for (auto* r : rows)
    if (gpu && find_gpu(r->gpu) == gpu) same.push_back(r);
  if (!same.empty()) return same;
  if (!gpu) {
    if (gpu_note) *gpu_note = "unknown GPU '" + q.gpu + "': range across measured GPUs";
    return rows;
  }
  // Not measured on this GPU: the measured architecture nearest by compute capability.
  auto cc = compute_capability(gpu->arch);
  std::string best_arch;
  double best_distance = 1e9;
  for (auto* r : rows) {
    auto rcc = compute_capability(r->arch);
    if (!cc || !rcc) continue;
    double d = std::fabs(*rcc - *cc);
    if (d < best_distance - 1e-9) best_distance = d, best_arch = r->arch;
  }
  if (best_arch.empty()) {
    if (gpu_note) *gpu_note = "no measurements on " + gpu->name + ": range across measured GPUs";
    return rows;
  }
  std::vector<const EvidenceRow*> nearest;
  for (auto* r : rows)
    if (r->arch == best_arch) nearest.push_back(r);
  if (gpu_note) {
    std::string measured;
    for (auto* r : nearest)
      if (measured.find(r->gpu) == std::string::npos) measured += (measured.empty() ? "" : ", ") + r->gpu;
    *gpu_note = "no measurements on " + gpu->name + " (" + gpu->arch + "); " +
                (best_arch == gpu->arch ? "same architecture: " : "nearest measured architecture: ") + best_arch +
                " (" + measured + ")";
  }
  return nearest;
}

std::string impact_text(const ImpactQuery& q) {
  const RuleInfo* info = catalog::find_rule_info(q.rule);
  if (!info) return {};
  std::string gpu_note;
  std::vector<const EvidenceRow*> rows = impact_rows(q, &gpu_note);
  if (rows.empty()) return {};

  // Per GPU, in the order the data lists them.
  std::vector<std::string> gpus;
  std::map<std::string, std::pair<double, double>> range;
  std::map<std::string, int> count;
  double lo = rows.front()->delta_pct, hi = lo;
  for (auto* r : rows) {
    std::string group = r->session.empty() ? r->gpu : r->gpu + " (" + r->session + ")";
    if (!range.count(group)) {
      gpus.push_back(group);
      range[group] = {r->delta_pct, r->delta_pct};
    }
    auto& [a, b] = range[group];
    a = std::min(a, r->delta_pct);
    b = std::max(b, r->delta_pct);
    lo = std::min(lo, r->delta_pct);
    hi = std::max(hi, r->delta_pct);
    ++count[group];
  }
  auto span = [](double a, double b) {
    if (std::fabs(a - b) < 0.05) return format_pct(a);
    // "+17–142%" or "-81–-86%" reads badly; use "to" when signs differ or values are negative.
    if (a >= 0) return format_pct(a).substr(0, format_pct(a).size() - 1) + "–" + format_number(b) + "%";
    return format_pct(a) + " to " + format_pct(b);
  };
  std::string head;
  if (info->impact_method == "batch") {
    head = "batch " + std::to_string(info->suggested_batch.value_or(8)) + " instead of 1 measured " +
           span(hi, lo) + " " + info->impact_wording;
  } else {
    head = "measured " + span(lo, hi) + " " + info->impact_wording;
    if (!info->impact_scope.empty()) head += " " + info->impact_scope;
  }
  std::string detail;
  for (const auto& g : gpus) {
    if (!detail.empty()) detail += ", ";
    auto [a, b] = range[g];
    detail += g + " " + (info->impact_method == "batch" ? span(b, a) : span(a, b));
  }
  std::string further = info->impact_method == "batch" ? largest_batch_note(*info, q.gpu) : "";
  if (!gpu_note.empty()) detail += "; " + gpu_note;
  return head + " (" + detail + "; " + std::to_string(rows.size()) + " measurements" + further + ", see `ecolint rule " +
         q.rule + "`)";
}

std::optional<Estimate> estimate(const ImpactQuery& q, const Workload& w) {
  std::vector<const EvidenceRow*> rows = impact_rows(q, nullptr);
  if (rows.empty()) return std::nullopt;
  std::vector<double> deltas;
  for (auto* r : rows) deltas.push_back(r->delta_pct);
  std::sort(deltas.begin(), deltas.end());
  std::size_t n = deltas.size();
  double median = n % 2 ? deltas[n / 2] : (deltas[n / 2 - 1] + deltas[n / 2]) / 2.0;

  // The baseline energy: the row nearest in model size (the median size when it is unknown).
  std::vector<const EvidenceRow*> with_baseline;
  for (auto* r : rows)
    if (r->baseline_j_per_1k) with_baseline.push_back(r);
  if (with_baseline.empty()) return std::nullopt;
  double size = q.params_b.value_or(0);
  if (!q.params_b) {
    std::vector<double> sizes;
    for (auto* r : with_baseline) sizes.push_back(r->params_b);
    std::sort(sizes.begin(), sizes.end());
    size = sizes[sizes.size() / 2];
  }
  const EvidenceRow* base = with_baseline.front();
  for (auto* r : with_baseline)
    if (std::fabs(r->params_b - size) < std::fabs(base->params_b - size)) base = r;

  Estimate e;
  e.delta_pct = median;
  e.rows = rows.size();
  e.baseline_j_per_1k = *base->baseline_j_per_1k;
  e.baseline_basis = base->gpu + " " + base->model + ", " + base->baseline + ", batch " + std::to_string(base->batch) +
                     " (" + base->source + ")";
  // Energy the fix avoids, relative to the baseline the rows compare against: a penalty of +D%
  // over FP16 costs D% of the FP16 energy; a batching saving of -D% saves D% of batch 1's.
  double fraction = std::fabs(median) / 100.0;
  if (info_is_penalty(q.rule) && median < 0) fraction = 0;  // these rows expect no saving
  double joules_per_day = w.tokens_per_day / 1000.0 * e.baseline_j_per_1k * fraction;
  e.kwh_per_month = joules_per_day * 30.0 / 3.6e6;
  if (w.price_per_kwh) e.money_per_month = e.kwh_per_month * *w.price_per_kwh;
  if (w.grid_gco2_per_kwh) e.kg_co2e_per_month = e.kwh_per_month * *w.grid_gco2_per_kwh / 1000.0;
  return e;
}

std::optional<double> nf4_crossover_for_gpu(const std::string& name) {
  const Gpu* gpu = find_gpu(name);
  const RuleInfo* info = catalog::find_rule_info("ECO002");
  if (!gpu || !info) return std::nullopt;
  for (const auto& c : info->crossovers)
    if (c.arch == gpu->arch) return c.params_b;
  return std::nullopt;
}

}  // namespace ecolint::energy
