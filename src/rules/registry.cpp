#include "rules/rule.hpp"
#include "rules/rules.hpp"

namespace ecolint {

const std::vector<std::unique_ptr<Rule>>& all_rules() {
  static const std::vector<std::unique_ptr<Rule>> rules = [] {
    std::vector<std::unique_ptr<Rule>> r;
    r.push_back(make_eco001());
    r.push_back(make_eco002());
    r.push_back(make_eco003());
    return r;
  }();
  return rules;
}

Diagnostic* LintContext::report(const std::string& rule, const Range& range, std::string message, std::string fix,
                         std::string impact) {
  if (!seen_.insert({rule, range.start.line, range.start.column}).second) return nullptr;
  Diagnostic d;
  d.rule = rule;
  d.path = path_;
  d.range = range;
  d.message = std::move(message);
  d.fix = std::move(fix);
  d.impact = std::move(impact);
  d.snippet = std::string(source_.line(range.start.line));
  d.gpu = options_.gpu;
  out_.push_back(std::move(d));
  return &out_.back();
}

}  // namespace ecolint
