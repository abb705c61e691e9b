#include "catalog/docs.hpp"

#include <cstdio>
#include <sstream>
#include <vector>

#include "base/number.hpp"

namespace ecolint::catalog {

namespace {
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

// What src/energy/selection.cpp and workload.cpp do with this rule's rows, in words. The borrow
// table is data (rules/gpus.yaml); a test checks this text names each of its entries.
std::string estimate_method(const RuleInfo& r) {
  std::ostringstream o;
  if (r.impact_method == "batch") {
    o << "- **Rows**: `" << r.impact_precision << "` rows at batch " << r.suggested_batch.value_or(8)
      << " (the batch the fix names first) against batch 1 on the same GPU and model. Larger batches are shown "
         "where the same GPU measured them, never estimated.\n";
  } else if (!r.evidence_from.empty()) {
    // A rule whose findings each name their method (ECO004: int8-pure, nf4 or nf4-dq).
    std::vector<std::string> methods;
    for (const auto& [rule, ms] : r.evidence_from)
      for (const auto& m : ms) methods.push_back("`" + m + "`");
    o << "- **Rows**: the rows of the method the finding names (";
    for (size_t i = 0; i < methods.size(); ++i) o << (i ? ", " : "") << methods[i];
    o << ") at batch 1 against `" << r.impact_baseline
      << "` on the same GPU and model. Rows at other batch sizes or of other methods are documentation.\n";
  } else {
    o << "- **Rows**: `" << r.impact_method << "` rows at batch 1 against `" << r.impact_baseline
      << "` on the same GPU and model";
    if (r.impact_max_params_b) o << ", for models up to " << num(*r.impact_max_params_b) << "B parameters";
    o << ". Rows at other batch sizes or of other methods are documentation.\n";
  }
  o << "- **GPU**: with a GPU (`--gpu`, the configuration, or one the file names), that GPU's rows. A GPU without "
       "rows takes those of its own architecture, else those of the architecture the sources themselves borrow for "
       "it (`borrow` in `rules/gpus.yaml`: Hopper from Ampere), and the figures say they are extrapolated. "
       "Otherwise there is no estimate, and the finding says why; GPUs of other vendors never take NVIDIA "
       "figures. Without a GPU: every measured GPU.\n"
       "- **Sessions**: the rows of one GPU and session are a group; groups are never pooled. Each is shown with its "
       "range; with several, the central figure is the median of the groups' medians.\n"
       "- **Accounting**: board-level, idle-subtracted and unknown-accounting figures never share a number. The "
       "board-level groups are counted (else those of unknown accounting, else the idle-subtracted ones); the "
       "others are shown, with the reason.\n"
       "- **Quality**: *suspect* rows are shown, flagged and never counted; *summary* figures are counted in their "
       "own group and said to be summaries.\n"
       "- **Workload** (`--tokens-per-day`): the central figure, and the lowest and highest counted rows for the "
       "range, applied to the baseline energy (J/1k tokens) of the counted row nearest the model's size (the "
       "median counted size when the size is unknown; the first such row below on a tie), over 30-day months. A "
       "negative avoidable energy means the fix would cost energy where those rows were measured.\n";
  return o.str();
}
}  // namespace

std::string rule_markdown(const RuleInfo& r) {
  std::ostringstream o;
  o << "# " << r.id << " " << r.name << "\n\n";
  o << "**" << r.title << "** (default severity: " << severity_name(r.severity) << "; fix safety: " << r.fix_safety << ")\n\n";
  o << r.summary << "\n\n";
  o << "## What it finds\n\n" << r.what << "\n";
  o << "## Why it wastes energy\n\n" << r.why << "\n";
  if (!r.example_bad.empty()) o << "## Example\n\n```python\n" << r.example_bad << "```\n\nInstead:\n\n```python\n" << r.example_good << "```\n\n";
  o << "## How to fix it\n\n" << r.fix << "\n";
  if (!r.crossovers.empty()) {
    o << "## Size threshold by GPU architecture\n\n";
    if (r.default_threshold_b) o << "Default threshold: " << num(*r.default_threshold_b) << "B parameters. With `--gpu`, the GPU's fitted NF4 crossover:\n\n";
    o << "| architecture | crossover (B params) | source |\n|---|---|---|\n";
    for (const auto& c : r.crossovers) o << "| " << c.arch << " | " << num(c.params_b) << " | " << c.source << " |\n";
    o << "\n";
  }
  o << "## How the estimate is computed\n\n" << estimate_method(r) << "\n";
  if (!r.parameters.empty()) {
    o << "## Parameters\n\n";
    for (const auto& [name, value] : r.parameters) {
      auto why = r.parameter_why.find(name);
      o << "- `" << name << "` = " << num(value) << ": " << (why == r.parameter_why.end() ? "" : why->second) << "\n";
    }
    o << "\n";
  }
  o << "## Evidence\n\n";
  o << "Each row is one measurement as its source publishes it; where sources disagree, both rows are kept. Δ is "
       "the change in energy per generated token against the baseline on the same GPU and model. Rows of one GPU "
       "with different sessions are never pooled. Flags: *summary* (a figure from the source's text, no raw row), "
       "*derived* (energies we computed from the source's own power and throughput columns, formula given), "
       "*suspect* (the source's own numbers are implausible: shown, never counted).\n\n";
  o << "| GPU | session | model | params (B) | method | baseline | batch | J/1k tok | baseline J/1k tok | Δ | n | date | idle subtracted | source |\n";
  o << "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& e : r.evidence()) {
    o << "| " << e.gpu << " | " << (e.session.empty() ? "—" : e.session) << " | " << e.model << " | " << num(e.params_b)
      << " | " << e.method << " | " << e.baseline << " | " << e.batch << " | " << (e.j_per_1k ? num(*e.j_per_1k) : "—")
      << " | " << (e.baseline_j_per_1k ? num(*e.baseline_j_per_1k) : "—") << " | " << format_pct(e.delta_pct) << " | "
      << (e.n ? std::to_string(*e.n) : "—") << " | " << (e.date.empty() ? "—" : e.date) << " | " << e.idle_subtracted
      << " | " << e.source;
    std::vector<std::string> notes;
    if (e.basis == "summary") notes.push_back("*summary*");
    if (e.quality == "suspect") notes.push_back("*suspect*");
    if (!e.derived.empty()) notes.push_back("*derived*: " + e.derived);
    if (!e.gpu_as_reported.empty()) notes.push_back("GPU as reported: " + e.gpu_as_reported);
    if (!e.note.empty()) notes.push_back(e.note);
    if (!notes.empty()) o << " (" << join(notes, "; ") << ")";
    o << " |\n";
  }
  if (!r.accuracy().empty()) {
    o << "\n## Accuracy\n\n";
    o << "What the same settings do to the model's outputs, where a source measured it. These are changes in "
         "perplexity (lower is better), never part of an energy figure; perplexities compare only within a row.\n\n";
    o << "| GPU | model | params (B) | method | baseline | metric | dataset | value | baseline value | Δ | date | source |\n";
    o << "|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    for (const auto& a : r.accuracy()) {
      o << "| " << a.gpu << " | " << a.model << " | " << num(a.params_b) << " | " << a.method << " | " << a.baseline
        << " | " << a.metric << " | " << a.dataset << " | " << num(a.value) << " | " << num(a.baseline_value) << " | "
        << format_pct(a.delta_pct) << " | " << (a.date.empty() ? "—" : a.date) << " | " << a.source;
      std::vector<std::string> notes;
      if (a.quality == "suspect") notes.push_back("*suspect*");
      if (!a.note.empty()) notes.push_back(a.note);
      if (!notes.empty()) o << " (" << join(notes, "; ") << ")";
      o << " |\n";
    }
  }
  o << "\n## Known limits\n\n" << r.known_limits;
  return o.str();
}

}  // namespace ecolint::catalog
