#include "cli/commands.hpp"

#include <sstream>

#include "rules/rule.hpp"

namespace ecolint::cli {

std::string rules_table() {
  std::ostringstream o;
  for (const auto& rule : all_rules()) {
    const auto& r = rule->info();
    o << r.id << "  " << r.name << "  " << r.title << "\n";
  }
  return o.str();
}

std::string rules_triggers() {
  std::ostringstream o;
  auto print = [&](const Rule& rule, const Trigger& t, bool python_only) {
    o << rule.id() << "\t" << t.word;
    for (std::size_t i = 0; i < t.and_any_of.size(); ++i) o << (i ? "," : "\t+") << t.and_any_of[i];
    if (!t.value_near.empty()) o << "\t~" << t.value_near;
    if (t.whole_word) o << "\twhole";
    if (t.in_loop) o << "\tloop";
    if (t.code_word) o << "\tcode";
    if (t.string_word) o << "\tstring";
    if (t.code_conditions && !t.and_any_of.empty()) o << "\tcode+";
    if (t.string_conditions && !t.and_any_of.empty()) o << "\tstring+";
    if (t.whole_conditions && !t.and_any_of.empty()) o << "\twhole+";
    if (python_only) o << "\tpython";
    o << "\n";
  };
  for (const auto& rule : all_rules()) {
    for (const auto& t : rule->code_triggers()) print(*rule, t, true);
    for (const auto& t : rule->setting_triggers()) print(*rule, t, false);
  }
  return o.str();
}

}  // namespace ecolint::cli
