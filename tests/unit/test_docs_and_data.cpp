// Rule data loads, is complete, and the committed docs/rules/*.md are generated from it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include "catalog/docs.hpp"
#include "catalog/rule_info.hpp"
#include "data/embedded.hpp"
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
    REQUIRE(!r.evidence().empty());
    for (const auto& e : r.evidence()) {
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

// rule_infos() parses a file's rows on first use, from the file split on its top-level keys: what
// it loads must be what one parse of the whole file gives (plus the rows `evidence_from` imports).
TEST_CASE("rules loaded lazily, split on top-level keys, equal the whole file parsed at once", "[data]") {
  using namespace ecolint::catalog;
  std::size_t compared = 0;
  for (std::string_view name : ecolint::data::embedded_names()) {
    if (name.size() != 11 || name.substr(0, 3) != "ECO" || name.substr(6) != ".yaml") continue;
    INFO(name);
    RuleInfo whole = parse_rule_info(std::string(name), std::string(*ecolint::data::embedded(name)));
    const RuleInfo* lazy = find_rule_info(whole.id);
    REQUIRE(lazy != nullptr);
    CHECK(lazy->name == whole.name);
    CHECK(lazy->title == whole.title);
    CHECK(lazy->summary == whole.summary);
    CHECK(lazy->what == whole.what);
    CHECK(lazy->why == whole.why);
    CHECK(lazy->fix == whole.fix);
    CHECK(lazy->fix_short == whole.fix_short);
    CHECK(lazy->known_limits == whole.known_limits);
    CHECK(lazy->example_bad == whole.example_bad);
    CHECK(lazy->example_good == whole.example_good);
    CHECK(lazy->severity == whole.severity);
    CHECK(lazy->impact_method == whole.impact_method);
    CHECK(lazy->impact_wording == whole.impact_wording);
    CHECK(lazy->suggested_batch == whole.suggested_batch);
    CHECK(lazy->default_threshold_b == whole.default_threshold_b);
    CHECK(lazy->parameters == whole.parameters);
    CHECK(lazy->evidence_from == whole.evidence_from);
    CHECK(lazy->crossovers.size() == whole.crossovers.size());
    // The file's own rows come first, in order; imported rows follow.
    REQUIRE(lazy->evidence().size() >= whole.evidence().size());
    REQUIRE(lazy->accuracy().size() >= whole.accuracy().size());
    CHECK((lazy->evidence().size() > whole.evidence().size()) == !whole.evidence_from.empty());
    for (std::size_t i = 0; i < whole.evidence().size(); ++i) {
      const EvidenceRow &a = lazy->evidence()[i], &b = whole.evidence()[i];
      INFO("evidence row " << i);
      CHECK(a.gpu == b.gpu);
      CHECK(a.model == b.model);
      CHECK(a.method == b.method);
      CHECK(a.source == b.source);
      CHECK(a.session == b.session);
      CHECK(a.note == b.note);
      CHECK(a.batch == b.batch);
      CHECK(a.params_b == b.params_b);
      CHECK(a.delta_pct == b.delta_pct);
      CHECK(a.j_per_1k == b.j_per_1k);
      ++compared;
    }
    for (std::size_t i = 0; i < whole.accuracy().size(); ++i) {
      INFO("accuracy row " << i);
      CHECK(lazy->accuracy()[i].model == whole.accuracy()[i].model);
      CHECK(lazy->accuracy()[i].value == whole.accuracy()[i].value);
      ++compared;
    }
  }
  CHECK(compared > 50);
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
