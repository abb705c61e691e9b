// --isolate-crashes: child processes analyse files; a crash or a hang in one is a note for that
// file, the child is replaced, and the run goes on. Also the result format they send back.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <thread>
#include <unistd.h>

#include "pipeline/isolation.hpp"
#include "pipeline/lint.hpp"

using namespace ecolint;
using namespace ecolint::pipeline;

namespace {

Diagnostic full_diagnostic() {
  Diagnostic d;
  d.rule = "ECO002";
  d.path = "dir/nb.ipynb";
  d.range = {{3, 4}, {5, 6}};
  d.severity = Severity::Error;
  d.message = "message \xff with a byte that is not UTF-8";
  d.fix = "fix";
  d.impact = "impact";
  d.gpu_origin = "GPU T4 from line 2";
  d.snippet = "x = 1";
  d.cell = 7;
  d.cell_position = {8, 9};
  d.gpu = "T4";
  d.params_b = 1.5;
  d.impact_method = "nf4";
  Fix fix;
  fix.title = "load in BF16";
  fix.applicability = Applicability::Safe;
  fix.edits.push_back({{{2, 1}, {2, 9}}, "bf16", 3, {{1, 1}, {1, 9}}, "bf16 in the cell"});
  fix.edits.push_back({{{4, 1}, {4, 1}}, "import torch\n"});
  d.fixes.push_back(fix);
  d.fixes.push_back(Fix{"second", Applicability::Unsafe, {}});
  return d;
}

FileResult answer(const AnalysisRequest& r) {
  FileResult result;
  result.notes.push_back({r.display_path, "analysed " + std::to_string(r.text.size()) + " bytes", {1, 2}});
  return result;
}

}  // namespace

TEST_CASE("a FileResult survives the trip through the socket format", "[isolation]") {
  FileResult r;
  r.diagnostics.push_back(full_diagnostic());
  r.diagnostics.push_back(Diagnostic{});
  r.notes.push_back({"p", "n", {1, 2}});
  r.suppressed.push_back({full_diagnostic(), "because"});
  r.unused_suppressions.push_back({"p", "ECO001", {3, 4}});
  FileResult back;
  REQUIRE(deserialize(serialize(r), back));
  REQUIRE(back.diagnostics.size() == 2);
  const Diagnostic& d = back.diagnostics[0];
  const Diagnostic want = full_diagnostic();
  CHECK(d.rule == want.rule);
  CHECK(d.path == want.path);
  CHECK(d.range.end.column == 6);
  CHECK(d.severity == Severity::Error);
  CHECK(d.message == want.message);
  CHECK(d.gpu_origin == want.gpu_origin);
  CHECK(d.cell == 7);
  CHECK(d.cell_position.column == 9);
  CHECK(d.params_b == 1.5);
  CHECK(d.impact_method == "nf4");
  REQUIRE(d.fixes.size() == 2);
  CHECK(d.fixes[0].title == "load in BF16");
  CHECK(d.fixes[0].applicability == Applicability::Safe);
  REQUIRE(d.fixes[0].edits.size() == 2);
  CHECK(d.fixes[0].edits[0].range.end.column == 9);
  CHECK(d.fixes[0].edits[0].text == "bf16");
  CHECK(d.fixes[0].edits[0].cell == 3);
  CHECK(d.fixes[0].edits[0].cell_range.end.column == 9);
  CHECK(d.fixes[0].edits[0].cell_text == "bf16 in the cell");
  CHECK(d.fixes[0].edits[1].text == "import torch\n");
  CHECK(d.fixes[1].applicability == Applicability::Unsafe);
  CHECK(d.fixes[1].edits.empty());
  CHECK_FALSE(d.estimate);  // made after linting, in the parent
  CHECK_FALSE(back.diagnostics[1].params_b);
  CHECK(back.suppressed[0].justification == "because");
  CHECK(back.unused_suppressions[0].rule == "ECO001");
  CHECK(back.notes[0].position.column == 2);
  std::string bytes = serialize(r);
  for (std::size_t cut : {std::size_t{0}, std::size_t{3}, bytes.size() / 2, bytes.size() - 1}) {
    FileResult ignored;
    CHECK_FALSE(deserialize(bytes.substr(0, cut), ignored));
  }
  FileResult ignored;
  CHECK_FALSE(deserialize(bytes + "x", ignored));
  CHECK_FALSE(deserialize(std::string("\xff\xff\xff\xff", 4), ignored));
}

TEST_CASE("a crash in a child is a note for its file; the next file is analysed", "[isolation]") {
  ChildProcesses children(2, std::chrono::milliseconds(0), [](AnalysisRequest&& r) {
    if (r.display_path == "segv.py") std::raise(SIGSEGV);
    if (r.display_path == "abort.py") std::abort();
    if (r.display_path == "exit.py") ::_exit(7);
    return answer(r);
  });
  for (int round = 0; round < 3; ++round) {
    FileResult crashed = children.analyse({"segv.py", "x", FileKind::Python, true});
    REQUIRE(crashed.notes.size() == 1);
    CHECK_THAT(crashed.notes[0].message, Catch::Contains("analysis crashed (SIGSEGV)"));
    CHECK_THAT(children.analyse({"abort.py", "x", FileKind::Python, true}).notes[0].message,
               Catch::Contains("crashed (SIGABRT)"));
    CHECK_THAT(children.analyse({"exit.py", "x", FileKind::Python, true}).notes[0].message,
               Catch::Contains("exit status 7"));
    FileResult fine = children.analyse({"ok.py", std::string(3 * 1024 * 1024, 'x'), FileKind::Python, true});
    REQUIRE(fine.notes.size() == 1);
    CHECK(fine.notes[0].message == "analysed 3145728 bytes");
  }
}

TEST_CASE("a child past the budget is killed and replaced", "[isolation]") {
  ChildProcesses children(1, std::chrono::milliseconds(200), [](AnalysisRequest&& r) {
    if (r.display_path == "hang.py")
      for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
    return answer(r);
  });
  auto t0 = std::chrono::steady_clock::now();
  FileResult r = children.analyse({"hang.py", "x", FileKind::Python, true});
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE(r.notes.size() == 1);
  CHECK_THAT(r.notes[0].message, Catch::Contains("longer than the per-file limit of 200 ms"));
  CHECK(seconds < 30);
  CHECK(children.analyse({"ok.py", "abc", FileKind::Python, true}).notes[0].message == "analysed 3 bytes");
}

TEST_CASE("lint_text through child processes gives the same result as in process", "[isolation]") {
  LintOptions plain = LintOptions::all_rules();
  LintOptions contained = plain;
  start_child_processes(contained, 2, std::chrono::milliseconds(0));
  const std::string text =
      "from transformers import AutoModelForCausalLM\n"
      "m = AutoModelForCausalLM.from_pretrained(\"facebook/opt-6.7b\", load_in_8bit=True)  # ecolint: ignore[ECO002] x\n";
  FileResult a = lint_text("a.py", text, FileKind::Python, plain);
  FileResult b = lint_text("a.py", text, FileKind::Python, contained);
  REQUIRE(a.diagnostics.size() == 1);
  REQUIRE(b.diagnostics.size() == 1);
  CHECK(a.diagnostics[0].message == b.diagnostics[0].message);
  CHECK(a.diagnostics[0].impact == b.diagnostics[0].impact);
  CHECK(a.diagnostics[0].range.start.column == b.diagnostics[0].range.start.column);
  CHECK(a.unused_suppressions.size() == b.unused_suppressions.size());
  REQUIRE(a.diagnostics[0].fixes.size() == b.diagnostics[0].fixes.size());
  for (std::size_t i = 0; i < a.diagnostics[0].fixes.size(); ++i)
    CHECK(a.diagnostics[0].fixes[i].edits.size() == b.diagnostics[0].fixes[i].edits.size());
}
