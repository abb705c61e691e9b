#include "catalog/docs.hpp"

#include <cstdio>
#include <sstream>

#include "base/number.hpp"

namespace ecolint::catalog {

namespace {
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
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
  o << "## Evidence\n\n";
  o << "Each row is one published measurement; where sources disagree, both rows are kept. Δ is the "
       "change in energy per generated token against the baseline on the same GPU and model.\n\n";
  o << "| GPU | model | params (B) | method | baseline | batch | J/1k tok | baseline J/1k tok | Δ | n | date | idle subtracted | source |\n";
  o << "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& e : r.evidence) {
    o << "| " << e.gpu << " | " << e.model << " | " << num(e.params_b) << " | " << e.method << " | " << e.baseline
      << " | " << e.batch << " | " << (e.j_per_1k ? num(*e.j_per_1k) : "—") << " | "
      << (e.baseline_j_per_1k ? num(*e.baseline_j_per_1k) : "—") << " | " << format_pct(e.delta_pct) << " | "
      << (e.n ? std::to_string(*e.n) : "—") << " | " << e.date << " | " << e.idle_subtracted << " | " << e.source;
    if (!e.note.empty()) o << " (" << e.note << ")";
    o << " |\n";
  }
  o << "\n## Known limits\n\n" << r.known_limits;
  return o.str();
}

}  // namespace ecolint::catalog
