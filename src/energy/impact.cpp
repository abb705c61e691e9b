#include "energy/impact.hpp"

#include <algorithm>
#include <cmath>

#include "base/number.hpp"
#include "energy/gpus.hpp"

namespace ecolint::energy {

namespace {

bool is_batching(const RuleInfo& info) { return info.impact_method == "batch"; }

// "+17–142%", "-80.9% to -85.7%", "+5.5%": a range, written from `a` to `b`.
std::string span(double a, double b) {
  if (std::fabs(a - b) < 0.05) return format_pct(a);
  // "-81–-86%" reads badly; use "to" when signs differ or values are negative.
  if (a >= 0 && b >= 0) return format_pct(a).substr(0, format_pct(a).size() - 1) + "–" + format_number(b) + "%";
  return format_pct(a) + " to " + format_pct(b);
}

// Penalties read from low to high, savings from the smallest to the largest saving.
std::string ordered_span(const RuleInfo& info, double low, double high) {
  return is_batching(info) ? span(high, low) : span(low, high);
}

std::string range_of(const RuleInfo& info, const std::vector<const EvidenceRow*>& rows) {
  double lo = rows.front()->delta_pct, hi = lo;
  for (auto* r : rows) lo = std::min(lo, r->delta_pct), hi = std::max(hi, r->delta_pct);
  return ordered_span(info, lo, hi);
}

// Flags of single rows inside a group's description: summary figures and suspect rows. A group
// that is not counted because all its rows are suspect says so once, in its reason.
std::string row_flags(const RowGroup& g) {
  std::string out;
  bool all_suspect = g.median_rows.empty();
  for (auto* r : g.rows) {
    std::string flag;
    if (r->basis == "summary") flag = "summary figure" + (r->n ? ", n = " + std::to_string(*r->n) : std::string());
    if (r->quality == "suspect" && !all_suspect) flag = "flagged suspect";
    if (flag.empty()) continue;
    if (g.rows.size() > 1) flag = format_pct(r->delta_pct) + " " + flag;
    out += (out.empty() ? "" : "; ") + flag;
  }
  return out.empty() ? "" : " (" + out + ")";
}

std::string counted_group(const RuleInfo& info, const RowGroup& g, bool show_median) {
  std::string s = g.label() + " " + range_of(info, g.median_rows);
  if (show_median && g.median_rows.size() > 1) s += " median " + format_pct(*g.median);
  return s + row_flags(g);
}

std::string shown_group(const RuleInfo& info, const RowGroup& g) {
  return g.label() + " " + range_of(info, g.rows) + row_flags(g) + " [" + g.not_counted_because + "]";
}

// Batching rules: larger batches measured in the same groups (same GPU, session and precision),
// e.g. "; larger batches: H100 SXM5 batch 64 -96.7% to -98.1%". Only GPUs the figures use.
std::string larger_batches(const RuleInfo& info, const Selection& s) {
  std::string out;
  for (const auto& g : s.groups) {
    if (!g.counted) continue;
    int top = 0;
    for (const auto& r : info.evidence())
      if (r.gpu == g.gpu && r.session == g.session && r.method == g.rows.front()->method && r.quality != "suspect")
        top = std::max(top, r.batch);
    if (top <= info.suggested_batch.value_or(8)) continue;
    std::vector<const EvidenceRow*> rows;
    for (const auto& r : info.evidence())
      if (r.gpu == g.gpu && r.session == g.session && r.method == g.rows.front()->method && r.batch == top &&
          r.quality != "suspect")
        rows.push_back(&r);
    out += (out.empty() ? "" : ", ") + g.label() + " batch " + std::to_string(top) + " " + range_of(info, rows);
  }
  return out.empty() ? "" : "; larger batches, not estimated: " + out;
}

std::string measurements(std::size_t n) { return std::to_string(n) + (n == 1 ? " measurement" : " measurements"); }

}  // namespace

std::string impact_text(const ImpactQuery& q) {
  Selection s = select_rows(q);
  if (!s.info || (s.groups.empty() && s.no_estimate.empty())) return {};
  const RuleInfo& info = *s.info;
  std::string see = "see `ecolint rule " + info.id + "`";

  std::vector<std::string> shown;
  for (const auto& g : s.groups)
    if (!g.counted) shown.push_back(shown_group(info, g));
  auto join = [](const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
    return out;
  };

  if (!s.median) {
    std::string text = s.no_estimate + " (";
    if (!shown.empty()) text += "shown, not counted: " + join(shown) + "; ";
    else if (!s.measured_on.empty()) text += "measured on " + s.measured_on + "; ";
    return text + see + ")";
  }

  std::vector<const EvidenceRow*> counted_rows = s.counted();
  std::size_t summaries = static_cast<std::size_t>(
      std::count_if(counted_rows.begin(), counted_rows.end(), [](const EvidenceRow* r) { return r->basis == "summary"; }));
  // Summary figures are reported by their source, not measured rows we hold.
  std::string verb = summaries == counted_rows.size() ? "reported (summary figure) " : "measured ";
  std::string head;
  if (is_batching(info))
    head = "batch " + std::to_string(info.suggested_batch.value_or(8)) + " instead of 1 " + verb +
           ordered_span(info, s.low, s.high) + " " + info.impact_wording + " (" + info.impact_precision + ")";
  else
    head = verb + span(s.low, s.high) + " " + info.impact_wording;
  if (!s.gpu.empty()) head += " on " + s.gpu;
  if (!info.impact_scope.empty()) head += " " + info.impact_scope;

  std::size_t n_groups = s.counted_groups();
  std::vector<std::string> counted;
  for (const auto& g : s.groups)
    if (g.counted) counted.push_back(counted_group(info, g, n_groups > 1));
  // A single group that is the GPU itself (no sessions) would repeat the head.
  bool repeats_head = n_groups == 1 && std::any_of(s.groups.begin(), s.groups.end(), [&](const RowGroup& g) {
                        return g.counted && g.label() == s.gpu;
                      });
  std::string detail;
  auto add = [&](const std::string& part) {
    if (!part.empty()) detail += (detail.empty() ? "" : "; ") + part;
  };
  if (!repeats_head) {
    add(join(counted));
  } else {
    const RowGroup& g = *std::find_if(s.groups.begin(), s.groups.end(), [](const RowGroup& x) { return x.counted; });
    std::string flags = row_flags(g);
    if (!flags.empty()) add(flags.substr(2, flags.size() - 3));  // without " (" and ")"
  }
  if (n_groups > 1) {
    bool one_gpu = true;
    for (const auto& g : s.groups)
      if (g.counted && g.gpu != counted_rows.front()->gpu) one_gpu = false;
    add("not pooled: median of the " + std::to_string(n_groups) + (one_gpu ? " sessions'" : " groups'") + " medians " +
        format_pct(*s.median));
  } else if (s.counted_rows > 1) {
    add("median " + format_pct(*s.median));
  }
  if (!shown.empty()) add("not in these figures: " + join(shown));
  add(s.how);
  add(accounting_name(s.accounting) + ", " + measurements(s.counted_rows));
  if (summaries > 0 && summaries < counted_rows.size())
    detail += " (" + std::to_string(summaries) + (summaries == 1 ? " a summary figure" : " summary figures") + ")";
  else if (summaries > 0)
    detail += summaries == 1 ? " (a summary figure)" : " (all summary figures)";
  if (is_batching(info)) detail += larger_batches(info, s);
  return head + " (" + detail + ", " + see + ")";
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
