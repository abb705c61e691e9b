#include <stdexcept>

#include "energy/impact.hpp"
#include "engines/surfaces.hpp"
#include "rules/rule.hpp"
#include "rules/rules.hpp"

namespace ecolint {

const std::vector<std::unique_ptr<Rule>>& all_rules() {
  static const std::vector<std::unique_ptr<Rule>> rules = [] {
    std::vector<std::unique_ptr<Rule>> r;
    r.push_back(make_eco001());
    r.push_back(make_eco002());
    r.push_back(make_eco003());
    r.push_back(make_eco004());
    return r;
  }();
  return rules;
}

Rule::Rule(std::string id) : id_(std::move(id)), info_(catalog::find_rule_info(id_)) {
  if (!info_) throw std::runtime_error("rule " + id_ + " has no rules/" + id_ + ".yaml");
}

std::vector<Trigger> Rule::triggers() const {
  std::vector<Trigger> out = code_triggers();
  for (auto& t : setting_triggers()) out.push_back(std::move(t));
  return out;
}

std::vector<Trigger> Rule::setting_triggers() const {
  std::vector<std::string> settings = settings_read();
  if (settings.empty()) return {};
  return engines::surfaces().triggers(settings, methods_read(), settings_value());
}

Diagnostic* RuleContext::add(Diagnostic d) {
  if (!seen_.insert({d.rule, d.range.start.line, d.range.start.column}).second) return nullptr;
  d.path = path_;
  d.snippet = std::string(source_.line(d.range.start.line));
  d.gpu = file_.gpu;
  d.gpu_origin = file_.gpu_origin;
  out_.push_back(std::move(d));
  return &out_.back();
}

Diagnostic* Rule::report(RuleContext& ctx, Finding f) const {
  Diagnostic d;
  d.rule = id_;
  d.severity = f.severity.value_or(info_->severity);
  d.range = f.where;
  d.message = std::move(f.message);
  d.fix = f.fix.empty() ? info_->fix_short : std::move(f.fix);
  d.impact = energy::impact_text({id_, f.params_b, ctx.file().gpu, f.method});
  d.params_b = f.params_b;
  d.impact_method = f.method;
  return ctx.add(std::move(d));
}

}  // namespace ecolint
