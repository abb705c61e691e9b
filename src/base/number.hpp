#pragma once
// How reports write numbers: percentages as "+26.5%" / "-84%" (one decimal unless whole or >= 100).
#include <string>

namespace ecolint {

std::string format_number(double v);
std::string format_pct(double pct);

}  // namespace ecolint
