// In-source suppressions: forms, comment detection, unused ones, malformed ones.
#include <catch2/catch.hpp>

#include "pipeline/lint.hpp"
#include "rules/rule.hpp"
#include "suppress/suppress.hpp"

using namespace ecolint;

namespace {

const char* kLoad = "m = AutoModelForCausalLM.from_pretrained(\"meta-llama/Llama-2-7b-hf\", load_in_8bit=True)";

FileResult lint_py(const std::string& text) { return lint_text("t.py", text, FileKind::Python, LintOptions::all_rules()); }

}  // namespace

TEST_CASE("without a suppression the finding is reported", "[suppress]") {
  auto r = lint_py(std::string(kLoad) + "\n");
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.suppressed.empty());
}

TEST_CASE("ignore[RULE] on the line moves the finding to suppressed with its reason", "[suppress]") {
  auto r = lint_py(std::string(kLoad) + "  # ecolint: ignore[ECO001] needs 8-bit for the demo box\n");
  CHECK(r.diagnostics.empty());
  REQUIRE(r.suppressed.size() == 1);
  CHECK(r.suppressed[0].justification == "needs 8-bit for the demo box");
  CHECK(r.unused_suppressions.empty());
}

TEST_CASE("ignore-next-line and ignore-file", "[suppress]") {
  auto next = lint_py(std::string("# ecolint: ignore-next-line[ECO002, ECO001] reason\n") + kLoad + "\n");
  CHECK(next.diagnostics.empty());
  CHECK(next.suppressed.size() == 1);
  // ECO002 silenced nothing here.
  REQUIRE(next.unused_suppressions.size() == 1);
  CHECK(next.unused_suppressions[0].rule == "ECO002");

  auto file = lint_py(std::string("import os\n# ecolint: ignore-file[ECO001]\n") + kLoad + "\n" + kLoad + "\n");
  CHECK(file.diagnostics.empty());
  CHECK(file.suppressed.size() == 2);
}

TEST_CASE("a suppression for another rule or line does not silence", "[suppress]") {
  auto other_rule = lint_py(std::string(kLoad) + "  # ecolint: ignore[ECO002]\n");
  CHECK(other_rule.diagnostics.size() == 1);
  auto other_line = lint_py(std::string("# ecolint: ignore[ECO001]\n") + kLoad + "\n");
  CHECK(other_line.diagnostics.size() == 1);
  CHECK(other_line.unused_suppressions.size() == 1);
}

TEST_CASE("a marker inside a Python string is not a suppression", "[suppress]") {
  auto single = lint_py(std::string("s = '# ecolint: ignore[ECO001]'; ") + kLoad + "\n");
  CHECK(single.diagnostics.size() == 1);
  auto triple = lint_py(std::string("doc = \"\"\"\n# ecolint: ignore-file[ECO001]\n\"\"\"\n") + kLoad + "\n");
  CHECK(triple.diagnostics.size() == 1);
  auto escaped = lint_py(std::string("s = \"a\\\" # ecolint: ignore-file[ECO001]\"\n") + kLoad + "\n");
  CHECK(escaped.diagnostics.size() == 1);
}

TEST_CASE("malformed suppressions become notes and silence nothing", "[suppress]") {
  auto bare = lint_py(std::string(kLoad) + "  # ecolint: ignore\n");
  CHECK(bare.diagnostics.size() == 1);
  REQUIRE(bare.notes.size() == 1);
  CHECK(bare.notes[0].message.find("suppression without rule ids is ignored") != std::string::npos);
  CHECK(bare.notes[0].position.line == 1);

  auto empty = lint_py(std::string(kLoad) + "  # ecolint: ignore[] why\n");
  CHECK(empty.diagnostics.size() == 1);
  CHECK(empty.notes.size() == 1);

  auto unknown = lint_py(std::string(kLoad) + "  # ecolint: disable[ECO001]\n");
  CHECK(unknown.diagnostics.size() == 1);
  REQUIRE(unknown.notes.size() == 1);
  CHECK(unknown.notes[0].message.find("unknown ecolint directive") != std::string::npos);

  auto unknown_rule = lint_py("x = 1  # ecolint: ignore[ECO999]\n");
  REQUIRE(unknown_rule.notes.size() == 1);
  CHECK(unknown_rule.notes[0].message.find("unknown rule 'ECO999'") != std::string::npos);
}

TEST_CASE("unused suppressions are found in files the prefilter skips", "[suppress]") {
  auto r = lint_py("x = 1  # ecolint: ignore[ECO001] stale\n");
  REQUIRE(r.unused_suppressions.size() == 1);
  CHECK(r.unused_suppressions[0].position.line == 1);
  CHECK(r.unused_suppressions[0].position.column == 10);
  // A disabled rule's suppression is not called unused.
  LintOptions only2;
  only2.enabled_rules = {"ECO002"};
  CHECK(lint_text("t.py", "x = 1  # ecolint: ignore[ECO001]\n", FileKind::Python, only2).unused_suppressions.empty());
}

TEST_CASE("the marker may follow another tool's comment", "[suppress]") {
  auto r = lint_py(std::string(kLoad) + "  # noqa: E501  # ecolint: ignore[ECO001] ok\n");
  CHECK(r.diagnostics.empty());
}

TEST_CASE("YAML comments: '#' after whitespace, outside quotes", "[suppress]") {
  std::vector<Note> notes;
  using suppress::CommentSyntax;
  auto d = suppress::parse("c.yaml",
                           "load_in_8bit: true  # ecolint: ignore[ECO001] fits in memory\n"
                           "# ecolint: ignore-next-line[ECO002]\n"
                           "quantization_bit: 4\n"
                           "url: 'http://x/#ecolint: ignore[ECO001]'\n"
                           "tag: a#ecolint: ignore[ECO001]\n",
                           CommentSyntax::Hash, notes);
  REQUIRE(d.size() == 2);
  CHECK(d[0].scope == suppress::Scope::Line);
  CHECK(d[0].target_line == 1);
  CHECK(d[0].reason == "fits in memory");
  CHECK(d[1].scope == suppress::Scope::NextLine);
  CHECK(d[1].target_line == 3);
  CHECK(notes.empty());
}
