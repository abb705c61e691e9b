// The Python facts layer: callees with aliases resolved, values resolved where static.
#include <catch2/catch.hpp>

#include "base/source.hpp"
#include "python/facts.hpp"

using ecolint::SourceText;
using ecolint::python::Call;
using ecolint::python::Module;
using ecolint::python::ValueKind;

namespace {
const Call* find_call(const Module& m, const std::string& method) {
  for (const auto& c : m.calls())
    if (c->method == method) return c.get();
  return nullptr;
}
}  // namespace

TEST_CASE("import aliases resolve callees", "[facts]") {
  SourceText src(
      "from transformers import BitsAndBytesConfig as BNB\nimport transformers as tf\n"
      "BNB(load_in_8bit=True)\ntf.AutoModel.from_pretrained('x')\n");
  auto m = Module::analyse(src);
  const Call* bnb = find_call(*m, "BitsAndBytesConfig");
  REQUIRE(bnb);
  CHECK(bnb->callee == "transformers.BitsAndBytesConfig");
  CHECK(bnb->range.start.line == 3);
  const Call* fp = find_call(*m, "from_pretrained");
  REQUIRE(fp);
  CHECK(fp->callee == "transformers.AutoModel.from_pretrained");
}

TEST_CASE("values resolve through names, dicts and mutations", "[facts]") {
  SourceText src(
      "A = 1.5\nB = A\nS = 'x' 'y'\nF = f'{S}-{A}'\n"
      "d = {'k': True}\nd['j'] = 3\nd.update(m='z')\n"
      "f(a=B, s=S, fs=F, **d)\n");
  auto m = Module::analyse(src);
  const Call* f = find_call(*m, "f");
  REQUIRE(f);
  CHECK(f->keyword("a")->value->kind == ValueKind::Float);
  CHECK(f->keyword("a")->value->number == Approx(1.5));
  CHECK(f->keyword("s")->value->text == "xy");
  CHECK(f->keyword("fs")->value->kind == ValueKind::Unknown);  // a float in an f-string is not formatted
  CHECK(f->keyword("k")->value->is_true());
  CHECK(f->keyword("j")->value->number == Approx(3));
  CHECK(f->keyword("m")->value->text == "z");
  CHECK(f->keyword("k")->from_splat);
  CHECK(f->keyword("j")->name_range.start.line == 6);
}

TEST_CASE("unknown stays unknown", "[facts]") {
  SourceText src(
      "import os\nx = 1\nx = 2\ndef g(p):\n    return f(p=p, x=x, e=os.environ['A'])\n"
      "for i in range(3):\n    f(i=i)\n");
  auto m = Module::analyse(src);
  int seen = 0;
  for (const auto& c : m->calls()) {
    if (c->method != "f") continue;
    ++seen;
    for (const auto& k : c->keywords) {
      INFO(k.name);
      CHECK(k.value->kind == ValueKind::Unknown);
    }
  }
  CHECK(seen == 2);
}

TEST_CASE("comments, strings and docstrings yield no calls", "[facts]") {
  SourceText src("'''BitsAndBytesConfig(load_in_8bit=True)'''\n# f(x)\ns = \"g(y)\"\n");
  auto m = Module::analyse(src);
  CHECK(m->calls().empty());
}

TEST_CASE("syntax errors are reported and the rest is analysed", "[facts]") {
  SourceText src("def broken(:\n    pass\nf(a=1)\n");
  auto m = Module::analyse(src);
  CHECK(!m->problems().empty());
  CHECK(find_call(*m, "f") != nullptr);
}

TEST_CASE("columns count code points", "[facts]") {
  SourceText src("s = 'é'; f(a=1)\n");
  auto m = Module::analyse(src);
  const Call* f = find_call(*m, "f");
  REQUIRE(f);
  CHECK(f->range.start.column == 10);
}

TEST_CASE("deep nesting is bounded, not a crash", "[facts]") {
  std::string deep = "x = " + std::string(5000, '(') + "1" + std::string(5000, ')') + "\nf(a=1)\n";
  SourceText src(deep);
  auto m = Module::analyse(src);
  CHECK(m->calls().size() <= 1);
}

TEST_CASE("call syntax is built only when asked; callee bytes are kept either way", "[facts]") {
  SourceText src(
      "from transformers import pipeline\npipe = pipeline('text-generation')\n"
      "for p in prompts:\n    out = pipe(p)\n    model.generate(**tok(p))\n");
  auto with = Module::analyse(src);
  auto without = Module::analyse(src, false);
  REQUIRE(with->calls().size() == without->calls().size());
  REQUIRE(with->calls().size() == 4);
  for (std::size_t i = 0; i < with->calls().size(); ++i) {
    const Call& a = *with->calls()[i];
    const Call& b = *without->calls()[i];
    CHECK(a.callee == b.callee);
    CHECK(a.callee_start_byte == b.callee_start_byte);
    CHECK(a.callee_end_byte == b.callee_end_byte);
    const auto* cs = with->syntax(a);
    REQUIRE(cs);
    // The callee's bytes are what the syntax pass reads as its text.
    CHECK(src.text().substr(a.callee_start_byte, a.callee_end_byte - a.callee_start_byte) == cs->callee.text);
    CHECK(without->syntax(b) == nullptr);
  }
  const Call* generate = find_call(*with, "generate");
  REQUIRE(generate);
  CHECK(with->syntax(*generate)->loops.size() == 1);
  CHECK(src.text().substr(generate->callee_start_byte, generate->callee_end_byte - generate->callee_start_byte) ==
        "model.generate");
}
