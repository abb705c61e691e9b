// SARIF 2.1.0 output, checked against the official schema by the test suite.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <tuple>

#include "catalog/docs.hpp"
#include "catalog/rule_info.hpp"
#include "energy/impact.hpp"
#include "report/fingerprint.hpp"
#include "report/report.hpp"

namespace ecolint::report {

namespace {

using nlohmann::json;

// The project's home; rule help pages are docs/rules/ECONNN.md in its repository.
constexpr const char* kInformationUri = "https://github.com/ecolint/ecolint";
constexpr const char* kSchemaUri =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

bool is_absolute(const std::string& p) { return !p.empty() && p.front() == '/'; }

json artifact_location(const std::string& path) {
  std::string clean = sanitize_utf8(path);
  if (is_absolute(clean)) return {{"uri", "file://" + uri_encode_path(clean)}};
  return {{"uri", uri_encode_path(normalized_path(clean))}, {"uriBaseId", "%SRCROOT%"}};
}


json rule_descriptor(const catalog::RuleInfo& r) {
  // The whole rule page (what, why, evidence table, fix and trade-offs), as `ecolint rule` prints it.
  std::string help_text = catalog::rule_markdown(r);
  json props = {{"tags", {"energy", "gpu", "llm", r.name}},
                {"precision", "high"},
                {"fix-safety", sanitize_utf8(r.fix_safety)}};
  std::string impact;
  try {
    impact = energy::impact_text({r.id, std::nullopt, "", ""});
  } catch (const std::exception&) {
  }
  if (!impact.empty()) props["impact"] = sanitize_utf8(impact);
  if (!r.fix_short.empty()) props["fix"] = sanitize_utf8(r.fix_short);
  return {{"id", r.id},
          {"name", sanitize_utf8(r.name)},
          {"shortDescription", {{"text", sanitize_utf8(r.title)}}},
          {"fullDescription", {{"text", sanitize_utf8(r.summary.empty() ? r.title : r.summary)}}},
          {"help", {{"text", sanitize_utf8(help_text)}, {"markdown", sanitize_utf8(help_text)}}},
          {"helpUri", rule_help_uri(r.id)},
          {"defaultConfiguration", {{"level", severity_name(r.severity)}}},
          {"properties", props}};
}

json region_of(const Diagnostic& d) {
  uint32_t start_line = std::max<uint32_t>(1, d.range.start.line);
  uint32_t start_col = std::max<uint32_t>(1, d.range.start.column);
  uint32_t end_line = std::max(start_line, d.range.end.line);
  uint32_t end_col = std::max<uint32_t>(1, d.range.end.column);
  if (end_line == start_line && end_col <= start_col) end_col = start_col + 1;
  json region = {{"startLine", start_line}, {"startColumn", start_col}, {"endLine", end_line}, {"endColumn", end_col}};
  if (!d.snippet.empty()) region["snippet"] = {{"text", sanitize_utf8(d.snippet)}};
  return region;
}

// The rule's fix as edits (SARIF `fix` objects: artifact changes with replacements), with its
// applicability; columns are code points, as the run's columnKind says.
json fixes_of(const Diagnostic& d) {
  json out = json::array();
  for (const auto& f : d.fixes) {
    json replacements = json::array();
    for (const auto& e : f.edits) {
      json region = {{"startLine", std::max<uint32_t>(1, e.range.start.line)},
                     {"startColumn", std::max<uint32_t>(1, e.range.start.column)},
                     {"endLine", std::max<uint32_t>(1, e.range.end.line)},
                     {"endColumn", std::max<uint32_t>(1, e.range.end.column)}};
      json replacement = {{"deletedRegion", region}};
      if (!e.text.empty()) replacement["insertedContent"] = {{"text", sanitize_utf8(e.text)}};
      replacements.push_back(std::move(replacement));
    }
    out.push_back({{"description", {{"text", sanitize_utf8(f.title)}}},
                   {"artifactChanges", json::array({{{"artifactLocation", artifact_location(d.path)},
                                                     {"replacements", replacements}}})},
                   {"properties", {{"applicability", applicability_name(f.applicability)}}}});
  }
  return out;
}

struct Entry {
  const Diagnostic* d;
  const char* suppression_kind;  // nullptr: not suppressed
  std::string justification;
};

}  // namespace

std::string rule_help_uri(const std::string& rule_id) {
  return std::string(kInformationUri) + "/blob/main/docs/rules/" + rule_id + ".md";
}

std::string uri_encode_path(std::string_view path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

void write_sarif(std::ostream& out, const SarifInput& in) {
  const auto& infos = catalog::rule_infos();
  std::map<std::string, std::size_t> rule_index;
  json rules = json::array();
  for (std::size_t i = 0; i < infos.size(); ++i) {
    rule_index[infos[i].id] = i;
    rules.push_back(rule_descriptor(infos[i]));
  }

  std::vector<Entry> entries;
  for (const auto& d : in.diagnostics) entries.push_back({&d, nullptr, {}});
  for (const auto& s : in.suppressed_in_source) entries.push_back({&s.diagnostic, "inSource", s.justification});
  for (const auto& s : in.suppressed_external) entries.push_back({&s.diagnostic, "external", s.justification});
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.d->path, a.d->range.start.line, a.d->range.start.column, a.d->rule) <
           std::tie(b.d->path, b.d->range.start.line, b.d->range.start.column, b.d->rule);
  });

  json results = json::array();
  // Two copies of a line in one file share an identity; code scanning merges results with equal
  // fingerprints, so the second and later copies (in line order) get their ordinal appended.
  std::map<std::string, unsigned> copies;
  for (const auto& e : entries) {
    const Diagnostic& d = *e.d;
    std::string fp = fingerprint(d);
    unsigned copy = ++copies[fp];
    if (copy > 1) fp += "-" + std::to_string(copy);
    std::string text = d.message;
    if (!d.fix.empty()) text += "\nFix: " + d.fix;
    if (!d.impact.empty()) text += "\nEstimated impact: " + impact_with_origin(d);
    json r = {{"ruleId", d.rule},
              {"level", severity_name(d.severity)},
              {"message", {{"text", sanitize_utf8(text)}}},
              {"locations",
               {{{"physicalLocation", {{"artifactLocation", artifact_location(d.path)}, {"region", region_of(d)}}}}}},
              {"partialFingerprints", {{kFingerprintKey, fp}}}};
    auto it = rule_index.find(d.rule);
    if (it != rule_index.end()) r["ruleIndex"] = it->second;
    json props = json::object();
    if (!d.fix.empty()) props["fix"] = sanitize_utf8(d.fix);
    if (!d.impact.empty()) props["impact"] = sanitize_utf8(impact_with_origin(d));
    if (!props.empty()) r["properties"] = props;
    if (!d.fixes.empty()) r["fixes"] = fixes_of(d);
    if (e.suppression_kind) {
      json s = {{"kind", e.suppression_kind}};
      if (!e.justification.empty()) s["justification"] = sanitize_utf8(e.justification);
      r["suppressions"] = json::array({s});
    }
    results.push_back(std::move(r));
  }

  json notifications = json::array();
  for (const auto& n : in.notes) {
    json loc = {{"artifactLocation", artifact_location(n.path)}};
    if (n.position.line) loc["region"] = {{"startLine", n.position.line}, {"startColumn", std::max<uint32_t>(1, n.position.column)}};
    notifications.push_back({{"level", "note"},
                             {"message", {{"text", sanitize_utf8(n.message)}}},
                             {"locations", json::array({{{"physicalLocation", loc}}})}});
  }
  json invocation = {{"executionSuccessful", in.execution_successful}};
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = notifications;

  std::string root = uri_encode_path(sanitize_utf8(in.src_root));
  if (root.empty() || root.back() != '/') root.push_back('/');
  json run = {{"tool",
               {{"driver",
                 {{"name", "ecolint"},
                  {"version", ECOLINT_VERSION},
                  {"semanticVersion", ECOLINT_VERSION},
                  {"informationUri", kInformationUri},
                  {"rules", rules}}}}},
              {"invocations", json::array({invocation})},
              {"originalUriBaseIds", {{"%SRCROOT%", {{"uri", "file://" + root}}}}},
              {"columnKind", "unicodeCodePoints"},
              {"results", results}};
  json doc = {{"$schema", kSchemaUri}, {"version", "2.1.0"}, {"runs", json::array({run})}};
  out << doc.dump(2) << "\n";
}

}  // namespace ecolint::report
