#include "gate/baseline.hpp"

#include <nlohmann/json.hpp>

#include <limits>
#include <stdexcept>
#include <tuple>

#include "base/regular_file.hpp"
#include "report/fingerprint.hpp"
#include "report/report.hpp"

namespace ecolint::baseline {

std::string to_json(const std::vector<Diagnostic>& diagnostics) {
  struct Row {
    std::string rule, path, snippet;
    unsigned count = 0;
  };
  std::map<std::string, Row> rows;
  for (const auto& d : diagnostics) {
    Row& r = rows[report::fingerprint(d)];
    r.rule = d.rule;
    r.path = sanitize_utf8(report::normalized_path(d.path));
    r.snippet = sanitize_utf8(report::normalized_snippet(d.snippet));
    ++r.count;
  }
  std::vector<std::pair<std::string, Row>> sorted(rows.begin(), rows.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return std::tie(a.second.path, a.second.rule, a.first) < std::tie(b.second.path, b.second.rule, b.first);
  });
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& [fp, r] : sorted)
    findings.push_back({{"fingerprint", fp}, {"rule", r.rule}, {"path", r.path}, {"snippet", r.snippet}, {"count", r.count}});
  nlohmann::json doc = {{"version", kVersion}, {"tool", "ecolint"}, {"findings", findings}};
  return doc.dump(2) + "\n";
}

std::map<std::string, unsigned> parse(const std::string& text, const std::string& name) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(name + ": not a baseline file (invalid JSON: " + e.what() + ")");
  }
  if (!doc.is_object() || !doc.contains("version") || !doc["version"].is_number_integer())
    throw std::runtime_error(name + ": not a baseline file (no \"version\")");
  if (doc["version"].get<int>() != kVersion)
    throw std::runtime_error(name + ": baseline version " + doc["version"].dump() + " is not supported (expected " +
                             std::to_string(kVersion) + "); write it again with --write-baseline");
  if (!doc.contains("findings") || !doc["findings"].is_array())
    throw std::runtime_error(name + ": baseline has no \"findings\" list");
  std::map<std::string, unsigned> counts;
  for (const auto& f : doc["findings"]) {
    if (!f.is_object() || !f.contains("fingerprint") || !f["fingerprint"].is_string())
      throw std::runtime_error(name + ": a baseline entry has no \"fingerprint\"");
    unsigned n = 1;
    if (f.contains("count")) {
      // Read as 64 bits: 4294967296 must not wrap to 0 (and so un-baseline everything) in 32.
      if (!f["count"].is_number_unsigned() || f["count"].get<std::uint64_t>() > kMaxCount)
        throw std::runtime_error(name + ": a baseline \"count\" is not an integer from 0 to " + std::to_string(kMaxCount));
      n = static_cast<unsigned>(f["count"].get<std::uint64_t>());
    }
    unsigned& total = counts[f["fingerprint"].get<std::string>()];
    total = total > kMaxCount - n ? kMaxCount : total + n;  // saturates
  }
  return counts;
}

std::map<std::string, unsigned> read_file(const std::string& path) {
  std::string text, error;
  if (!read_regular_file(path, {kMaxFileBytes, true}, text, error))
    throw std::runtime_error(path + ": cannot read the baseline file: " + error);
  return parse(text, path);
}

void filter(std::vector<Diagnostic>& diagnostics, std::map<std::string, unsigned> counts,
            const std::string& justification, std::vector<SuppressedDiagnostic>& baselined) {
  std::vector<Diagnostic> kept;
  for (auto& d : diagnostics) {
    auto it = counts.find(report::fingerprint(d));
    if (it != counts.end() && it->second > 0) {
      --it->second;
      baselined.push_back({std::move(d), justification});
    } else {
      kept.push_back(std::move(d));
    }
  }
  diagnostics = std::move(kept);
}

}  // namespace ecolint::baseline
