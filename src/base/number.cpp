#include "base/number.hpp"

#include <cmath>
#include <cstdio>

namespace ecolint {

std::string format_number(double v) {
  char buf[32];
  double r = std::round(v);
  if (std::fabs(v - r) < 0.05 || std::fabs(v) >= 100) std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string format_pct(double pct) {
  std::string s = format_number(pct);
  if (pct > 0) s = "+" + s;
  return s + "%";
}

}  // namespace ecolint
