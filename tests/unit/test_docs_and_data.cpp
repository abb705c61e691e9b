// Rule data loads, is complete, and the committed docs/rules/*.md are generated from it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include "catalog/docs.hpp"
#include "catalog/rule_info.hpp"
#include "energy/impact.hpp"
#include "rules/rule.hpp"

namespace fs = std::filesystem;

TEST_CASE("every rule's data loads with metadata and sourced evidence", "[data]") {
  const auto& infos = ecolint::catalog::rule_infos();
  REQUIRE(infos.size() >= 3);
  for (const auto& r : infos) {
    INFO(r.id);
    CHECK(!r.name.empty());
    CHECK(!r.title.empty());
    CHECK(!r.summary.empty());
    CHECK(!r.what.empty());
    CHECK(!r.why.empty());
    CHECK(!r.fix.empty());
    CHECK(!r.fix_short.empty());
    CHECK(!r.known_limits.empty());
    CHECK((r.fix_safety == "safe" || r.fix_safety == "unsafe"));
    CHECK(!r.impact_method.empty());
    REQUIRE(!r.evidence.empty());
    for (const auto& e : r.evidence) {
      INFO(e.gpu << " " << e.model);
      CHECK(!e.source.empty());
      CHECK(e.params_b > 0);
      CHECK(e.batch >= 1);
      CHECK((e.idle_subtracted == "true" || e.idle_subtracted == "false" || e.idle_subtracted == "unknown"));
      // Where both energies are given, the stated change must agree with them (to rounding).
      if (e.j_per_1k && e.baseline_j_per_1k) {
        double computed = (*e.j_per_1k / *e.baseline_j_per_1k - 1.0) * 100.0;
        CHECK(computed == Approx(e.delta_pct).margin(0.6));
      }
    }
  }
}

TEST_CASE("the registry and the rule data match both ways", "[data]") {
  std::set<std::string> registered, described;
  for (const auto& rule : ecolint::all_rules()) {
    INFO(rule->id());
    registered.insert(rule->id());
    CHECK(!rule->triggers().empty());
  }
  for (const auto& info : ecolint::catalog::rule_infos()) described.insert(info.id);
  // Every rules/ECONNN.yaml has a rule in src/rules/registry.cpp, and every rule has its data.
  CHECK(registered == described);
  for (const auto& entry : fs::directory_iterator(fs::path(ECOLINT_SOURCE_DIR) / "rules")) {
    std::string name = entry.path().filename().string();
    if (name.rfind("ECO", 0) == 0) CHECK(registered.count(name.substr(0, name.size() - 5)) == 1);
  }
}

TEST_CASE("the README's rule table lists exactly the rules, with their names", "[data]") {
  std::ifstream in(fs::path(ECOLINT_SOURCE_DIR) / "README.md");
  std::string line;
  std::set<std::string> listed;
  while (std::getline(in, line)) {
    if (line.rfind("| [ECO", 0) != 0) continue;
    std::string id = line.substr(3, 6);
    listed.insert(id);
    const auto* info = ecolint::catalog::find_rule_info(id);
    INFO(line);
    REQUIRE(info);
    CHECK(line.find("(docs/rules/" + id + ".md) | " + info->name + " |") != std::string::npos);
  }
  std::set<std::string> ids;
  for (const auto& info : ecolint::catalog::rule_infos()) ids.insert(info.id);
  CHECK(listed == ids);
}

TEST_CASE("committed docs/rules/*.md are current", "[data]") {
  for (const auto& r : ecolint::catalog::rule_infos()) {
    fs::path doc = fs::path(ECOLINT_SOURCE_DIR) / "docs" / "rules" / (r.id + ".md");
    INFO(doc.string() << " is stale: regenerate with `build/ecolint rule " << r.id << " > docs/rules/" << r.id << ".md`");
    REQUIRE(fs::exists(doc));
    std::ifstream in(doc);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(text == ecolint::catalog::rule_markdown(r));
  }
}

TEST_CASE("impact text is computed from the evidence rows", "[data]") {
  std::string eco001 = ecolint::energy::impact_text({"ECO001", std::nullopt, "", ""});
  // The counted range spans the smallest and largest board-level INT8-default rows at batch 1
  // (RTX 4090D Qwen2.5-7B, RTX 4090 August 0.5B); the idle-subtracted ones are shown apart.
  CHECK(eco001.find("measured +40.1–595%") != std::string::npos);
  CHECK(eco001.find("+17.4–32.7% [idle subtracted") != std::string::npos);
  CHECK(eco001.find("A800 +107–131%") != std::string::npos);
  std::string gpu = ecolint::energy::impact_text({"ECO001", std::nullopt, "A800", ""});
  CHECK(gpu.find("RTX 4090D") == std::string::npos);
  CHECK(gpu.find("A800") != std::string::npos);
  std::string eco003 = ecolint::energy::impact_text({"ECO003", std::nullopt, "", ""});
  CHECK(eco003.find("batch 8") != std::string::npos);
  CHECK(eco003.find("-84") != std::string::npos);
}
