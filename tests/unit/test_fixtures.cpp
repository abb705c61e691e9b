// Runs every fixture under tests/fixtures/: its inline expectations (fixture_harness.hpp) and, per
// directory, a golden snapshot of the whole text output users see (tests/snapshots/<dir>.txt).
// Set ECOLINT_UPDATE_SNAPSHOTS=1 to rewrite the snapshots after an intended change, then review
// the diff before committing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "energy/gpus.hpp"
#include "fixture_harness.hpp"
#include "report/report.hpp"
#include "rules/rule.hpp"

namespace fs = std::filesystem;

namespace ecolint::testing {

namespace {

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Marker text inside a notebook's JSON string ends at the escaped newline or the closing quote.
std::string marker_text(std::string s) {
  for (const char* end : {"\\n", "\""}) {
    auto at = s.find(end);
    if (at != std::string::npos) s = s.substr(0, at);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

std::vector<Expectation> parse_expectations(const std::string& text) {
  std::vector<Expectation> out;
  static const std::regex marker(
      R"(#\s*(expect|expect-next-line|todo-expect|todo-ok|ok):\s*([A-Z]+[0-9]+(?:@[0-9]+)?(?:\s*,\s*[A-Z]+[0-9]+(?:@[0-9]+)?)*))");
  static const std::regex note(R"(#\s*expect-note:\s*(.+)$)");
  std::istringstream in(text);
  std::string line;
  unsigned n = 0;
  while (std::getline(in, line)) {
    ++n;
    std::smatch m;
    if (std::regex_search(line, m, note)) {
      Expectation e;
      e.kind = Expectation::Note;
      e.note = marker_text(m[1]);
      e.line = n;
      out.push_back(e);
      // A rule marker may come before the note on the same line (`# todo-expect: ECO003  #
      // expect-note: syntax error`, where the finding and the note fall on one line).
      line = m.prefix().str();
    }
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
      e.kind = kind == "todo-expect" ? Expectation::TodoExpect
               : kind == "todo-ok"   ? Expectation::TodoOk
               : kind == "ok"        ? Expectation::Ok
                                     : Expectation::Expect;
      out.push_back(e);
    }
  }
  return out;
}

LintOptions fixture_options(const std::string& text) {
  LintOptions options = LintOptions::all_rules();
  static const std::regex header(R"(#\s*fixture-options:\s*(.+))");
  std::smatch m;
  if (!std::regex_search(text, m, header)) return options;
  std::istringstream items(marker_text(m[1]));
  std::string item;
  while (items >> item) {
    auto eq = item.find('=');
    std::string key = item.substr(0, eq), value = eq == std::string::npos ? "" : item.substr(eq + 1);
    std::replace(value.begin(), value.end(), '_', ' ');  // gpu=RTX_4090 for "RTX 4090"
    if (key == "gpu") {
      const energy::Gpu* gpu = energy::find_gpu(value);
      if (!gpu) throw std::runtime_error("fixture-options: unknown GPU " + value);
      options.gpu = gpu->name;
    } else if (key == "nf4-threshold") {
      options.nf4_threshold_b = std::stod(value);
    } else {
      throw std::runtime_error("fixture-options: unknown key " + key);
    }
  }
  return options;
}

std::vector<std::string> check_fixture(const std::string& path, const std::string& display, FileResult* out) {
  std::string text = read(path);
  FileResult result = lint_file(display, path, fixture_options(text));
  std::vector<Expectation> expected = parse_expectations(text);
  std::vector<bool> used(result.diagnostics.size(), false), note_used(result.notes.size(), false);
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
    std::string where = display + ":" + std::to_string(e.line);
    if (e.kind == Expectation::Note) {
      bool found = false;
      for (std::size_t i = 0; i < result.notes.size() && !found; ++i) {
        const Note& n = result.notes[i];
        if (note_used[i] || (n.position.line != 0 && n.position.line != e.line)) continue;
        if (n.message.find(e.note) == std::string::npos) continue;
        note_used[i] = found = true;
      }
      if (!found) problems.push_back(where + ": expected a note containing `" + e.note + "`");
      continue;
    }
    int i = find(e);
    if (e.kind == Expectation::Expect) {
      if (i < 0) problems.push_back(where + ": expected " + e.rule + (e.column ? "@" + std::to_string(e.column) : "") + " but it did not fire");
      else used[static_cast<std::size_t>(i)] = true;
    } else if (e.kind == Expectation::TodoExpect) {
      if (i >= 0) problems.push_back(where + ": known miss " + e.rule + " now fires: change todo-expect to expect");
    } else if (e.kind == Expectation::Ok) {
      if (i >= 0) problems.push_back(where + ": " + e.rule + " fired on a line marked ok");
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
  for (std::size_t i = 0; i < result.notes.size(); ++i) {
    if (note_used[i]) continue;
    const auto& n = result.notes[i];
    problems.push_back(display + ":" + std::to_string(n.position.line) + ": unexpected note: " + n.message);
  }
  if (out) *out = std::move(result);
  return problems;
}

}  // namespace ecolint::testing

namespace {

fs::path fixtures_root() { return fs::path(ECOLINT_SOURCE_DIR) / "tests" / "fixtures"; }

std::vector<fs::path> fixture_files(const fs::path& root) {
  std::vector<fs::path> out;
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
      "a = 1  # expect: ECO001\n# expect-next-line: ECO002@7, ECO003\nb\nc  # todo-ok: ECO001\n# plain comment\n"
      "d  # ok: ECO002\ne  # expect-note: syntax error\n\"    f(x)  # expect-note: in cell\\n\",\n");
  REQUIRE(e.size() == 7);
  CHECK(e[0].rule == "ECO001");
  CHECK(e[0].line == 1);
  CHECK(e[1].rule == "ECO002");
  CHECK(e[1].line == 3);
  CHECK(e[1].column == 7);
  CHECK(e[2].rule == "ECO003");
  CHECK(e[3].kind == ecolint::testing::Expectation::TodoOk);
  CHECK(e[4].kind == ecolint::testing::Expectation::Ok);
  CHECK(e[4].line == 6);
  CHECK(e[5].kind == ecolint::testing::Expectation::Note);
  CHECK(e[5].note == "syntax error");
  CHECK(e[6].note == "in cell");  // a marker inside a notebook's JSON string
}

TEST_CASE("a rule marker and a note marker on one line are both parsed", "[fixtures]") {
  auto e = ecolint::testing::parse_expectations("\"    --max-num-seqs 1  # todo-expect: ECO003  # expect-note: syntax error\\n\"\n");
  REQUIRE(e.size() == 2);
  CHECK(e[0].kind == ecolint::testing::Expectation::Note);
  CHECK(e[0].note == "syntax error");
  CHECK(e[1].kind == ecolint::testing::Expectation::TodoExpect);
  CHECK(e[1].rule == "ECO003");
  CHECK(e[1].line == 1);
}

TEST_CASE("fixture options set the GPU", "[fixtures]") {
  auto o = ecolint::testing::fixture_options("# fixture-options: gpu=RTX_4090\nx = 1\n");
  CHECK(o.gpu == "RTX 4090");
  CHECK(!o.enabled_rules.empty());
  CHECK_THROWS(ecolint::testing::fixture_options("# fixture-options: colour=blue\n"));
}

TEST_CASE("every fixture matches its inline expectations", "[fixtures]") {
  auto files = fixture_files(fixtures_root());
  REQUIRE(!files.empty());
  for (const auto& f : files) {
    std::string display = fs::relative(f, fixtures_root()).generic_string();
    DYNAMIC_SECTION(display) {
      auto problems = ecolint::testing::check_fixture(f.string(), display);
      std::string all;
      for (const auto& p : problems) all += p + "\n";
      INFO(all);
      CHECK(problems.empty());
    }
  }
}

TEST_CASE("an unexpected note or a missing one fails a fixture", "[fixtures]") {
  fs::path dir = fs::temp_directory_path() / "ecolint-harness-test";
  fs::create_directories(dir);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  };
  // A negatives-only file that stops parsing: the syntax-error note must be expected.
  auto broken = write("broken.py", "from transformers import BitsAndBytesConfig\nx = BitsAndBytesConfig(load_in_8bit=False)\ndef (:\n");
  CHECK(!ecolint::testing::check_fixture(broken, "broken.py").empty());
  auto noted = write("noted.py",
                     "from transformers import BitsAndBytesConfig\nx = BitsAndBytesConfig(load_in_8bit=False)\ndef (:  # expect-note: syntax error\n");
  CHECK(ecolint::testing::check_fixture(noted, "noted.py").empty());
  auto wrong = write("wrong.py", "x = BitsAndBytesConfig(load_in_8bit=True)  # expect-note: something else\n");
  CHECK(ecolint::testing::check_fixture(wrong, "wrong.py").size() == 2);  // the finding and the missing note
  fs::remove_all(dir);
}

TEST_CASE("every fixture directory's text output matches its snapshot", "[fixtures][snapshots]") {
  bool update = std::getenv("ECOLINT_UPDATE_SNAPSHOTS") != nullptr;
  fs::path snapshots = fs::path(ECOLINT_SOURCE_DIR) / "tests" / "snapshots";
  std::set<std::string> dirs;
  for (const auto& e : fs::directory_iterator(fixtures_root()))
    if (e.is_directory()) dirs.insert(e.path().filename().string());
  REQUIRE(!dirs.empty());
  for (const auto& dir : dirs) {
    DYNAMIC_SECTION(dir) {
      std::vector<ecolint::Diagnostic> diagnostics;
      std::vector<ecolint::Note> notes;
      auto files = fixture_files(fixtures_root() / dir);
      for (const auto& f : files) {
        ecolint::FileResult r;
        ecolint::testing::check_fixture(f.string(), fs::relative(f, fixtures_root()).generic_string(), &r);
        diagnostics.insert(diagnostics.end(), r.diagnostics.begin(), r.diagnostics.end());
        notes.insert(notes.end(), r.notes.begin(), r.notes.end());
      }
      std::sort(diagnostics.begin(), diagnostics.end(), [](const auto& a, const auto& b) {
        return std::tie(a.path, a.range.start.line, a.range.start.column, a.rule) <
               std::tie(b.path, b.range.start.line, b.range.start.column, b.rule);
      });
      ecolint::report::RunSummary summary;
      summary.files_considered = files.size();
      std::ostringstream text;
      ecolint::report::write_text(text, diagnostics, notes, summary);
      fs::path golden = snapshots / (dir + ".txt");
      if (update) {
        fs::create_directories(snapshots);
        std::ofstream(golden, std::ios::binary) << text.str();
        WARN("updated " << golden.string());
      } else {
        INFO("run with ECOLINT_UPDATE_SNAPSHOTS=1 to rewrite " << golden.string() << " after an intended change");
        REQUIRE(fs::exists(golden));
        std::ifstream in(golden, std::ios::binary);
        CHECK(text.str() == std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
      }
    }
  }
}

TEST_CASE("every rule has data, docs, positive and negative fixtures", "[fixtures]") {
  for (const auto& rule : ecolint::all_rules()) {
    const std::string& id = rule->id();
    INFO(id);
    CHECK(fs::exists(fs::path(ECOLINT_SOURCE_DIR) / "rules" / (id + ".yaml")));
    CHECK(fs::exists(fs::path(ECOLINT_SOURCE_DIR) / "docs" / "rules" / (id + ".md")));
    REQUIRE(fs::is_directory(fixtures_root() / id));
    // Positive: an `expect` of this rule. Negative: an `ok` line, or a file of this rule's directory
    // with no `expect` of this rule at all (a negatives file).
    std::size_t positives = 0, negatives = 0;
    for (const auto& f : fixture_files(fixtures_root() / id)) {
      std::size_t expects = 0;
      std::ifstream in(f);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      for (const auto& x : ecolint::testing::parse_expectations(text)) {
        if (x.rule != id) continue;
        if (x.kind == ecolint::testing::Expectation::Expect) ++expects;
        if (x.kind == ecolint::testing::Expectation::Ok) ++negatives;
      }
      positives += expects;
      if (expects == 0) ++negatives;
    }
    CHECK(positives > 0);
    CHECK(negatives > 0);
  }
}
