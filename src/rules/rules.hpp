#pragma once
// Factories of the rules; each is defined in its own src/rules/ecoNNN.cpp.
#include <memory>

#include "rules/rule.hpp"

namespace ecolint {
std::unique_ptr<Rule> make_eco001();
std::unique_ptr<Rule> make_eco002();
std::unique_ptr<Rule> make_eco003();
std::unique_ptr<Rule> make_eco004();
}  // namespace ecolint
