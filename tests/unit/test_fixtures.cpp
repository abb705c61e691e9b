// Runs every fixture under tests/fixtures/ and checks its inline expectations.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "pipeline/lint.hpp"
#include "fixture_harness.hpp"
#include "rules/rule.hpp"

namespace fs = std::filesystem;

namespace ecolint::testing {

std::vector<Expectation> parse_expectations(const std::string& text) {
  std::vector<Expectation> out;
  static const std::regex marker(R"(#\s*(expect|expect-next-line|todo-expect|todo-ok):\s*([A-Z]+[0-9]+(?:@[0-9]+)?(?:\s*,\s*[A-Z]+[0-9]+(?:@[0-9]+)?)*))");
  std::istringstream in(text);
  std::string line;
  unsigned n = 0;
  while (std::getline(in, line)) {
    ++n;
    std::smatch m;
    if (!std::regex_search(line, m, marker)) continue;
    std::string kind = m[1];
    std::stringstream ids(m[2].str());
    std::string item;
    while (std::getline(ids, item, ',')) {
      item.erase(std::remove(item.begin(), item.end(), ' '), item.end());
      Expectation e;
      auto at = item.find('@');
      e.rule = item.substr(0, at);
      if (at != std::string::npos) e.column = static_cast<unsigned>(std::stoul(item.substr(at + 1)));
      e.line = kind == "expect-next-line" ? n + 1 : n;
      e.kind = kind == "todo-expect" ? Expectation::TodoExpect : kind == "todo-ok" ? Expectation::TodoOk : Expectation::Expect;
      out.push_back(e);
    }
  }
  return out;
}

std::vector<std::string> check_fixture(const std::string& path, const std::string& display) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LintOptions options;
  for (const auto& r : all_rules()) options.enabled_rules.emplace_back(r->id());
  FileResult result = lint_file(display, path, options);
  std::vector<Expectation> expected = parse_expectations(text);
  std::vector<bool> used(result.diagnostics.size(), false);
  std::vector<std::string> problems;
  auto find = [&](const Expectation& e) -> int {
    for (std::size_t i = 0; i < result.diagnostics.size(); ++i) {
      const auto& d = result.diagnostics[i];
      if (!used[i] && d.rule == e.rule && d.range.start.line == e.line && (e.column == 0 || d.range.start.column == e.column))
        return static_cast<int>(i);
    }
    return -1;
  };
  for (const auto& e : expected) {
    int i = find(e);
    std::string where = display + ":" + std::to_string(e.line);
    if (e.kind == Expectation::Expect) {
      if (i < 0) problems.push_back(where + ": expected " + e.rule + (e.column ? "@" + std::to_string(e.column) : "") + " but it did not fire");
      else used[static_cast<std::size_t>(i)] = true;
    } else if (e.kind == Expectation::TodoExpect) {
      if (i >= 0) problems.push_back(where + ": known miss " + e.rule + " now fires: change todo-expect to expect");
    } else {
      if (i < 0) problems.push_back(where + ": known false alarm " + e.rule + " no longer fires: remove todo-ok");
      else used[static_cast<std::size_t>(i)] = true;
    }
  }
  for (std::size_t i = 0; i < result.diagnostics.size(); ++i) {
    if (used[i]) continue;
    const auto& d = result.diagnostics[i];
    problems.push_back(display + ":" + std::to_string(d.range.start.line) + ":" + std::to_string(d.range.start.column) +
                       ": unexpected " + d.rule + ": " + d.message);
  }
  return problems;
}

}  // namespace ecolint::testing

namespace {

std::vector<fs::path> fixture_files() {
  std::vector<fs::path> out;
  fs::path root = fs::path(ECOLINT_SOURCE_DIR) / "tests" / "fixtures";
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    if (ecolint::kind_of_path(e.path().string()) == ecolint::FileKind::Unknown) continue;
    out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("expectation markers are parsed", "[fixtures]") {
  auto e = ecolint::testing::parse_expectations(
      "a = 1  # expect: ECO001\n# expect-next-line: ECO002@7, ECO003\nb\nc  # todo-ok: ECO001\n# plain comment\n");
  REQUIRE(e.size() == 4);
  CHECK(e[0].rule == "ECO001");
  CHECK(e[0].line == 1);
  CHECK(e[1].rule == "ECO002");
  CHECK(e[1].line == 3);
  CHECK(e[1].column == 7);
  CHECK(e[2].rule == "ECO003");
  CHECK(e[3].kind == ecolint::testing::Expectation::TodoOk);
}

TEST_CASE("every fixture matches its inline expectations", "[fixtures]") {
  auto files = fixture_files();
  REQUIRE(!files.empty());
  for (const auto& f : files) {
    std::string display = fs::relative(f, fs::path(ECOLINT_SOURCE_DIR) / "tests" / "fixtures").generic_string();
    DYNAMIC_SECTION(display) {
      auto problems = ecolint::testing::check_fixture(f.string(), display);
      std::string all;
      for (const auto& p : problems) all += p + "\n";
      INFO(all);
      CHECK(problems.empty());
    }
  }
}

TEST_CASE("every rule has data, docs and both positive and negative fixtures", "[fixtures]") {
  fs::path root = fs::path(ECOLINT_SOURCE_DIR) / "tests" / "fixtures";
  for (const auto& rule : ecolint::all_rules()) {
    std::string id(rule->id());
    INFO(id);
    CHECK(fs::exists(fs::path(ECOLINT_SOURCE_DIR) / "rules" / (id + ".yaml")));
    CHECK(fs::exists(fs::path(ECOLINT_SOURCE_DIR) / "docs" / "rules" / (id + ".md")));
    REQUIRE(fs::is_directory(root / id));
    std::size_t positives = 0, files = 0;
    for (const auto& e : fs::recursive_directory_iterator(root / id)) {
      if (!e.is_regular_file()) continue;
      ++files;
      std::ifstream in(e.path());
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      for (const auto& x : ecolint::testing::parse_expectations(text))
        if (x.rule == id && x.kind == ecolint::testing::Expectation::Expect) ++positives;
    }
    CHECK(files > 0);
    CHECK(positives > 0);
  }
}
