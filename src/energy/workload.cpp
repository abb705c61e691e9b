#include "energy/workload.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ecolint::energy {

namespace {

constexpr double kDaysPerMonth = 30.0;
constexpr double kJoulesPerKwh = 3.6e6;

std::string size_text(double b) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%gB", b);
  return buf;
}

Diagnostic::MonthlyEstimate::Row report_row(const EvidenceRow& r, std::string not_used_because) {
  Diagnostic::MonthlyEstimate::Row out;
  out.gpu = r.gpu;
  out.session = r.session;
  out.model = r.model;
  out.method = r.method;
  out.idle_subtracted = r.idle_subtracted;
  out.date = r.date;
  out.source = r.source;
  out.params_b = r.params_b;
  out.delta_pct = r.delta_pct;
  out.batch = r.batch;
  out.n = r.n;
  out.summary = r.basis == "summary";
  out.not_used_because = std::move(not_used_because);
  return out;
}

Spread scaled(const Spread& s, double factor) { return {s.low * factor, s.median * factor, s.high * factor}; }

}  // namespace

std::optional<Estimate> estimate(const ImpactQuery& q, const Workload& w) {
  Selection s = select_rows(q);
  if (!s.median) return std::nullopt;
  std::vector<const EvidenceRow*> with_baseline;
  for (auto* r : s.counted())
    if (r->baseline_j_per_1k) with_baseline.push_back(r);
  if (with_baseline.empty()) return std::nullopt;

  // The baseline energy: the counted row nearest in model size (the median size when unknown).
  double size = 0;
  if (q.params_b) {
    size = *q.params_b;
  } else {
    std::vector<double> sizes;
    for (auto* r : with_baseline) sizes.push_back(r->params_b);
    std::sort(sizes.begin(), sizes.end());
    size = sizes[sizes.size() / 2];
  }
  const EvidenceRow* base = with_baseline.front();
  for (auto* r : with_baseline)
    if (std::fabs(r->params_b - size) < std::fabs(base->params_b - size)) base = r;

  Estimate e;
  e.delta_pct = *s.median;
  e.delta_low = s.low;
  e.delta_high = s.high;
  e.baseline = base;
  e.baseline_j_per_1k = *base->baseline_j_per_1k;
  bool batching = s.info->impact_method == "batch";
  // What the baseline energy is: FP16 at the row's batch (penalty rows), or the row's precision
  // at batch 1 (batching rows).
  std::string baseline_setting = batching ? base->method + ", batch 1" : base->baseline + ", batch " + std::to_string(base->batch);
  e.baseline_basis = base->gpu + (base->session.empty() ? "" : " (" + base->session + ")") + " " + base->model + " (" +
                     size_text(base->params_b) + "), " + baseline_setting + ", " +
                     (q.params_b ? "the measured model nearest in size to " + size_text(*q.params_b)
                                 : "the median measured size (the model's size is not known)") +
                     " (" + base->source + ")";
  // Energy the fix avoids, relative to the baseline the rows compare against: a penalty of +D%
  // over FP16 costs D% of the FP16 energy; a batching change of -D% saves D% of batch 1's.
  auto kwh = [&](double delta) {
    double fraction = (batching ? -delta : delta) / 100.0;
    return w.tokens_per_day / 1000.0 * e.baseline_j_per_1k * fraction * kDaysPerMonth / kJoulesPerKwh;
  };
  double a = kwh(s.low), b = kwh(s.high);
  e.kwh = {std::min(a, b), kwh(*s.median), std::max(a, b)};
  if (w.price_per_kwh) e.money = scaled(e.kwh, *w.price_per_kwh);
  if (w.grid_gco2_per_kwh) e.kg_co2e = scaled(e.kwh, *w.grid_gco2_per_kwh / 1000.0);
  e.selection = std::move(s);
  return e;
}

WorkloadTotals apply_workload(std::vector<Diagnostic>& diagnostics, const Workload& w) {
  WorkloadTotals t;
  t.workload = w;
  if (w.price_per_kwh) t.money = Spread{};
  if (w.grid_gco2_per_kwh) t.kg_co2e = Spread{};
  auto add = [](Spread& total, const Spread& s) {
    total.low += s.low;
    total.median += s.median;
    total.high += s.high;
  };
  for (auto& d : diagnostics) {
    auto est = estimate({d.rule, d.params_b, d.gpu, d.impact_method}, w);
    if (!est) {
      ++t.not_estimated;
      continue;
    }
    Diagnostic::MonthlyEstimate m;
    m.delta_pct = est->delta_pct;
    m.delta_range = {est->delta_low, est->delta_high};
    m.baseline_j_per_1k = est->baseline_j_per_1k;
    m.baseline_basis = est->baseline_basis;
    m.kwh = est->kwh.median;
    m.kwh_range = {est->kwh.low, est->kwh.high};
    if (est->money) m.money = est->money->median, m.money_range = Diagnostic::MonthlyEstimate::Span{est->money->low, est->money->high};
    if (est->kg_co2e)
      m.kg_co2e = est->kg_co2e->median, m.kg_co2e_range = Diagnostic::MonthlyEstimate::Span{est->kg_co2e->low, est->kg_co2e->high};
    const Selection& s = est->selection;
    m.extrapolated = s.extrapolated;
    m.rows_from = s.rows_from;
    m.how = s.how;
    for (const auto& g : s.groups)
      for (auto* r : g.rows) {
        if (g.counted && r->quality != "suspect") m.basis.push_back(report_row(*r, ""));
        else m.excluded.push_back(report_row(*r, r->quality == "suspect" ? "flagged suspect" : g.not_counted_because));
      }
    d.estimate = std::move(m);
    ++t.estimated;
    add(t.kwh, est->kwh);
    if (est->money) add(*t.money, *est->money);
    if (est->kg_co2e) add(*t.kg_co2e, *est->kg_co2e);
  }
  return t;
}

}  // namespace ecolint::energy
