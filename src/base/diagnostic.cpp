#include "base/diagnostic.hpp"

namespace ecolint {

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::Note: return "note";
    case Severity::Error: return "error";
    case Severity::Warning: break;
  }
  return "warning";
}

bool parse_severity(std::string_view name, Severity& out) {
  if (name == "note") out = Severity::Note;
  else if (name == "warning") out = Severity::Warning;
  else if (name == "error") out = Severity::Error;
  else return false;
  return true;
}

const char* applicability_name(Applicability a) { return a == Applicability::Safe ? "safe" : "unsafe"; }

std::string impact_with_origin(const Diagnostic& d) {
  if (d.gpu_origin.empty() || d.impact.empty()) return d.impact;
  return d.impact + "; " + d.gpu_origin;
}

}  // namespace ecolint
