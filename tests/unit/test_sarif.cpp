// SARIF and GitHub output: structure, fingerprints, suppressions, escaping. The official-schema
// check of every SARIF the suite writes is tests/e2e/sarif_schema.sh.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <sstream>

#include "pipeline/lint.hpp"
#include "report/fingerprint.hpp"
#include "report/report.hpp"
#include "rules/rule.hpp"

using namespace ecolint;
using nlohmann::json;

namespace {

Diagnostic sample(const std::string& path = "src/a.py", uint32_t line = 3) {
  Diagnostic d;
  d.rule = "ECO001";
  d.path = path;
  d.range = {{line, 5}, {line, 17}};
  d.message = "8-bit";
  d.fix = "use fp16";
  d.impact = "+17%";
  d.snippet = "    m = load(load_in_8bit=True)";
  return d;
}

json sarif_of(const report::SarifInput& in) {
  std::ostringstream out;
  report::write_sarif(out, in);
  return json::parse(out.str());
}

}  // namespace

TEST_CASE("a clean run has results: [] and full rule metadata", "[sarif]") {
  report::SarifInput in;
  in.src_root = "/work/my repo";
  json doc = sarif_of(in);
  CHECK(doc["version"] == "2.1.0");
  CHECK(doc.contains("$schema"));
  REQUIRE(doc["runs"].size() == 1);
  const json& run = doc["runs"][0];
  CHECK(run["results"].is_array());
  CHECK(run["results"].empty());
  CHECK(run["columnKind"] == "unicodeCodePoints");
  CHECK(run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///work/my%20repo/");
  CHECK(run["invocations"][0]["executionSuccessful"] == true);
  const json& rules = run["tool"]["driver"]["rules"];
  REQUIRE(rules.size() == all_rules().size());
  for (const auto& r : rules) {
    CHECK(r["shortDescription"]["text"].get<std::string>().size() > 0);
    CHECK(r["fullDescription"]["text"].get<std::string>().size() > 0);
    CHECK(r["help"]["markdown"].get<std::string>().find("## Evidence") != std::string::npos);
    CHECK(r["helpUri"].get<std::string>().find("docs/rules/" + r["id"].get<std::string>() + ".md") != std::string::npos);
    CHECK(r["defaultConfiguration"]["level"] == "warning");
    CHECK(r["properties"]["tags"].size() > 0);
  }
}

TEST_CASE("results: rule index, relative uri, region, fingerprint, suppressions", "[sarif]") {
  report::SarifInput in;
  in.src_root = "/r";
  in.diagnostics = {sample()};
  in.suppressed_in_source = {{sample("src/b.py"), "demo only"}};
  in.suppressed_external = {{sample("src/c.py"), ""}};
  in.notes = {{"bad.py", "not valid UTF-8; not analysed", {2, 1}}};
  json run = sarif_of(in)["runs"][0];
  REQUIRE(run["results"].size() == 3);
  const json& r = run["results"][0];
  CHECK(r["ruleId"] == "ECO001");
  CHECK(run["tool"]["driver"]["rules"][r["ruleIndex"].get<int>()]["id"] == "ECO001");
  CHECK(r["level"] == "warning");
  const json& loc = r["locations"][0]["physicalLocation"];
  CHECK(loc["artifactLocation"]["uri"] == "src/a.py");
  CHECK(loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
  CHECK(loc["region"]["startLine"] == 3);
  CHECK(loc["region"]["startColumn"] == 5);
  CHECK(loc["region"]["endColumn"] == 17);
  CHECK(r["partialFingerprints"][report::kFingerprintKey].get<std::string>().size() == 16);
  CHECK_FALSE(r.contains("suppressions"));
  CHECK(run["results"][1]["suppressions"][0]["kind"] == "inSource");
  CHECK(run["results"][1]["suppressions"][0]["justification"] == "demo only");
  CHECK(run["results"][2]["suppressions"][0]["kind"] == "external");
  const json& note = run["invocations"][0]["toolExecutionNotifications"][0];
  CHECK(note["message"]["text"] == "not valid UTF-8; not analysed");
  CHECK(note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "bad.py");
}

TEST_CASE("fingerprints ignore line numbers and whitespace, not rule, path or code", "[sarif]") {
  Diagnostic a = sample("a.py", 3), moved = sample("./a.py", 40);
  moved.snippet = "m  =  load(load_in_8bit=True)   ";
  CHECK(report::fingerprint(a) == report::fingerprint(moved));
  Diagnostic other_path = sample("b.py");
  Diagnostic other_code = sample();
  other_code.snippet = "m = load(load_in_8bit=True, x=1)";
  Diagnostic other_rule = sample();
  other_rule.rule = "ECO002";
  CHECK(report::fingerprint(a) != report::fingerprint(other_path));
  CHECK(report::fingerprint(a) != report::fingerprint(other_code));
  CHECK(report::fingerprint(a) != report::fingerprint(other_rule));
}

TEST_CASE("two copies of a line in one file get distinct SARIF fingerprints", "[sarif]") {
  report::SarifInput in;
  in.src_root = "/r";
  in.diagnostics = {sample("a.py", 3), sample("a.py", 9), sample("b.py", 3)};
  json results = sarif_of(in)["runs"][0]["results"];
  REQUIRE(results.size() == 3);
  std::string first = results[0]["partialFingerprints"][report::kFingerprintKey];
  std::string second = results[1]["partialFingerprints"][report::kFingerprintKey];
  CHECK(first == report::fingerprint(sample("a.py", 3)));  // the first copy keeps the baseline's identity
  CHECK(second == first + "-2");
  CHECK(results[2]["partialFingerprints"][report::kFingerprintKey] == report::fingerprint(sample("b.py", 3)));
}

TEST_CASE("strings are valid UTF-8 and paths percent-encoded", "[sarif]") {
  report::SarifInput in;
  in.src_root = "/r";
  Diagnostic d = sample("dir with space/\xC3\xA9\xFF.py");
  d.snippet = "x = '\xFF'";
  in.diagnostics = {d};
  std::ostringstream out;
  report::write_sarif(out, in);
  CHECK(valid_utf8(out.str(), nullptr));
  json r = json::parse(out.str())["runs"][0]["results"][0];
  CHECK(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "dir%20with%20space/%C3%A9%EF%BF%BD.py");
  in.diagnostics = {sample("/abs/a.py")};
  json abs = sarif_of(in)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
  CHECK(abs["uri"] == "file:///abs/a.py");
  CHECK_FALSE(abs.contains("uriBaseId"));
}

TEST_CASE("GitHub annotations escape data and properties", "[github]") {
  CHECK(report::github_escape_data("50% a\r\nb: c, d") == "50%25 a%0D%0Ab: c, d");
  CHECK(report::github_escape_property("a:b,c%") == "a%3Ab%2Cc%25");
  Diagnostic d = sample("dir,x/a:b.py");
  std::ostringstream out;
  report::write_github(out, {d}, {{"n.py", "cannot read", {}}});
  CHECK(out.str() ==
        "::warning file=dir%2Cx/a%3Ab.py,line=3,endLine=3,col=5,endColumn=17,title=ECO001 int8-mixed-precision::"
        "8-bit%0AFix: use fp16%0AEstimated impact: +17%25\n"
        "::notice file=n.py,title=ecolint note::cannot read\n");
}

TEST_CASE("GitHub annotations of a multi-line finding carry no endColumn", "[github]") {
  Diagnostic d = sample();
  d.range = {{3, 5}, {6, 2}};
  std::ostringstream out;
  report::write_github(out, {d}, {});
  CHECK_THAT(out.str(), Catch::StartsWith("::warning file=src/a.py,line=3,endLine=6,col=5,title=ECO001"));
}
