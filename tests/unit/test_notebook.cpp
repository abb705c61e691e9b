// Notebooks: code cells as one module, positions in the raw file, robustness.
#include <catch2/catch.hpp>

#include "pipeline/lint.hpp"
#include "notebook/notebook.hpp"
#include "rules/rule.hpp"

namespace {

ecolint::FileResult lint_nb(const std::string& raw) {
  return ecolint::lint_text("t.ipynb", raw, ecolint::FileKind::Notebook, ecolint::LintOptions::all_rules());
}

}  // namespace

TEST_CASE("a constant from an earlier cell reaches a later cell; positions are raw and per cell", "[notebook]") {
  // Cell 1 defines MODEL, cell 2 is a shell line, cell 3 loads in NF4 (the issue's example).
  std::string raw =
      "{\n"
      " \"cells\": [\n"
      "  {\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": [], \"source\": [\"MODEL = \\\"TinyLlama/TinyLlama-1.1B-Chat-v1.0\\\"\\n\"]},\n"
      "  {\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": [], \"source\": [\"!pip install bitsandbytes\\n\"]},\n"
      "  {\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": [], \"source\": [\n"
      "    \"from transformers import AutoModelForCausalLM, BitsAndBytesConfig\\n\",\n"
      "    \"m = AutoModelForCausalLM.from_pretrained(MODEL, quantization_config=\\n\",\n"
      "    \"    BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type=\\\"nf4\\\"))\"\n"
      "  ]}\n"
      " ],\n"
      " \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5\n"
      "}\n";
  auto r = lint_nb(raw);
  REQUIRE(r.notes.empty());
  REQUIRE(r.diagnostics.size() == 1);
  const auto& d = r.diagnostics[0];
  CHECK(d.rule == "ECO002");
  CHECK(d.cell == 3);
  CHECK(d.cell_position.line == 3);
  CHECK(d.cell_position.column == 24);
  CHECK(d.range.start.line == 8);
  CHECK(d.range.start.column == 29);  // 4 spaces + quote + 4 spaces + `BitsAndBytesConfig(`
  CHECK(d.range.end.column == 41);
}

TEST_CASE("source stored as one string with escapes maps to the right raw column", "[notebook]") {
  std::string raw =
      "{\"nbformat\": 4, \"nbformat_minor\": 2, \"metadata\": {}, \"cells\": [{\"cell_type\": \"code\", "
      "\"metadata\": {}, \"outputs\": [], \"source\": \"s = \\\"\\u00e9\\\"\\nc = BitsAndBytesConfig(load_in_8bit=True)\\n\"}]}";
  auto r = lint_nb(raw);
  REQUIRE(r.diagnostics.size() == 1);
  const auto& d = r.diagnostics[0];
  CHECK(d.cell == 1);
  CHECK(d.cell_position.line == 2);
  CHECK(d.cell_position.column == 24);
  CHECK(d.range.start.line == 1);
  std::size_t expected = raw.find("load_in_8bit") + 1;
  CHECK(d.range.start.column == expected);
}

TEST_CASE("magics, shell lines and help lookups never break a cell", "[notebook]") {
  std::string raw = R"NB({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
 {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["%pip install x\n", "files = !ls\n", "model?\n", "for i in range(3):\n", "    %time f(i)\n", "c = BitsAndBytesConfig(load_in_8bit=True)\n"]},
 {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["%%time\n", "d = BitsAndBytesConfig(load_in_8bit=True)\n"]},
 {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["%%bash\n", "echo 'BitsAndBytesConfig(load_in_8bit=True)'\n"]}
]})NB";
  auto r = lint_nb(raw);
  INFO((r.notes.empty() ? std::string() : r.notes[0].message));
  CHECK(r.notes.empty());
  REQUIRE(r.diagnostics.size() == 2);
  CHECK(r.diagnostics[0].cell == 1);
  CHECK(r.diagnostics[0].cell_position.line == 6);
  CHECK(r.diagnostics[1].cell == 2);
  CHECK(r.diagnostics[1].cell_position.line == 2);
}

TEST_CASE("outputs and markdown are never code", "[notebook]") {
  std::string raw = R"NB({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
 {"cell_type": "markdown", "metadata": {}, "source": "BitsAndBytesConfig(load_in_8bit=True)"},
 {"cell_type": "code", "metadata": {}, "source": "x = 1\n", "outputs": [{"output_type": "stream", "name": "stdout", "text": "BitsAndBytesConfig(load_in_8bit=True)"}]}
]})NB";
  auto r = lint_nb(raw);
  CHECK(r.diagnostics.empty());
  CHECK(r.notes.empty());
}

TEST_CASE("broken notebooks give one note each", "[notebook]") {
  SECTION("an HTML error page") {
    auto r = lint_nb("<!DOCTYPE html><html><body>502 Bad Gateway load_in_8bit</body></html>\n");
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0].message.find("invalid JSON") != std::string::npos);
    CHECK(r.notes[0].position.line == 1);
    CHECK(r.diagnostics.empty());
  }
  SECTION("JSON that is not a notebook") {
    auto r = lint_nb(R"NB({"name": "load_in_8bit"})NB");
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0].message.find("not a Jupyter notebook") != std::string::npos);
  }
  SECTION("nbformat 3") {
    auto r = lint_nb(R"NB({"nbformat": 3, "worksheets": [{"cells": [{"input": "load_in_8bit=True"}]}]})NB");
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0].message.find("nbformat 3") != std::string::npos);
  }
  SECTION("truncated") {
    auto r = lint_nb(R"NB({"nbformat": 4, "cells": [{"cell_type": "code", "source": "load_in_8bit)NB");
    REQUIRE(r.notes.size() == 1);
  }
  SECTION("missing fields") {
    auto r = lint_nb(R"NB({"nbformat": 4, "cells": [{"source": "BitsAndBytesConfig(load_in_8bit=True)"}, {"cell_type": "code"}, 7]})NB");
    CHECK(r.notes.empty());
    CHECK(r.diagnostics.empty());
  }
  SECTION("deeply nested JSON") {
    std::string deep = "{\"load_in_8bit\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
    auto r = lint_nb(deep);
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0].message.find("nested deeper") != std::string::npos);
  }
}

TEST_CASE("a huge output does not slow or confuse the analysis", "[notebook]") {
  std::string image(4 * 1024 * 1024, 'A');
  std::string raw = "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": [{\"cell_type\": \"code\", "
                    "\"metadata\": {}, \"source\": [\"c = BitsAndBytesConfig(load_in_8bit=True)\\n\"], \"outputs\": "
                    "[{\"output_type\": \"display_data\", \"data\": {\"image/png\": \"" + image + "\"}}]}]}";
  auto r = lint_nb(raw);
  CHECK(r.notes.empty());
  CHECK(r.diagnostics.size() == 1);
}

TEST_CASE("shell lines that launch engines are read with the engine tables", "[notebook]") {
  std::string raw = R"NB({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
 {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["!pip install vllm\n", "!vllm serve Qwen/Qwen2.5-1.5B-Instruct --max-num-seqs 1\n"]},
 {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["%%bash\n", "python -m fastchat.serve.model_worker --model-path lmsys/vicuna-7b-v1.5 --load-8bit\n", "text-generation-launcher --model-id mistralai/Mistral-7B-v0.1 --quantize bitsandbytes\n"]}
]})NB";
  auto r = lint_nb(raw);
  CHECK(r.notes.empty());
  REQUIRE(r.diagnostics.size() == 2);
  const auto& vllm = r.diagnostics[0];
  CHECK(vllm.rule == "ECO003");
  CHECK(vllm.cell == 1);
  CHECK(vllm.cell_position.line == 2);
  CHECK(vllm.cell_position.column == 40);  // counting the `!`
  CHECK(vllm.range.start.line == 2);
  CHECK(vllm.range.start.column == raw.find("--max-num-seqs") - raw.rfind('\n', raw.find("--max-num-seqs")));
  CHECK(vllm.snippet == "!vllm serve Qwen/Qwen2.5-1.5B-Instruct --max-num-seqs 1");
  const auto& tgi = r.diagnostics[1];
  CHECK(tgi.rule == "ECO001");  // FastChat's --load-8bit is its own int8, not LLM.int8()
  CHECK(tgi.cell == 2);
  CHECK(tgi.cell_position.line == 3);
}

TEST_CASE("shell-line findings take the cells' suppression comments; unused ones name their cell", "[notebook]") {
  auto notebook = [](const std::string& cell_lines) {
    return R"NB({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
 {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["x = 1\n"]},
 {"cell_type": "code", "metadata": {}, "outputs": [], "source": [)NB" + cell_lines + "]}\n]}";
  };
  // On the shell line itself.
  auto same_line = lint_nb(notebook(
      R"("!vllm serve Qwen/Qwen2.5-1.5B-Instruct --max-num-seqs 1  # ecolint: ignore[ECO003] latency test\n")"));
  CHECK(same_line.diagnostics.empty());
  REQUIRE(same_line.suppressed.size() == 1);
  CHECK(same_line.suppressed[0].justification == "latency test");
  CHECK(same_line.suppressed[0].diagnostic.cell == 2);
  CHECK(same_line.suppressed[0].diagnostic.cell_position.line == 1);
  CHECK(same_line.unused_suppressions.empty());
  // On the line before, and for the whole file.
  auto next_line = lint_nb(notebook(
      R"("# ecolint: ignore-next-line[ECO003] latency test\n", "!vllm serve Qwen/Qwen2.5-1.5B-Instruct --max-num-seqs 1\n")"));
  CHECK(next_line.diagnostics.empty());
  CHECK(next_line.suppressed.size() == 1);
  auto whole_file = lint_nb(notebook(
      R"("# ecolint: ignore-file[ECO003] latency test\n", "!vllm serve Qwen/Qwen2.5-1.5B-Instruct --max-num-seqs 1\n")"));
  CHECK(whole_file.diagnostics.empty());
  CHECK(whole_file.suppressed.size() == 1);
  // A quoted `#` is not a comment; the finding stays, and an unused one names its cell.
  auto unused = lint_nb(notebook(
      R"("!vllm serve Qwen/Qwen2.5-1.5B-Instruct --max-num-seqs 8 --x '#y'  # ecolint: ignore[ECO003] old\n", )"
      R"("out = llm.generate(prompts)\n")"));  // generate( makes the notebook a candidate (a cap of 8 does not)
  CHECK(unused.diagnostics.empty());
  REQUIRE(unused.unused_suppressions.size() == 1);
  const auto& u = unused.unused_suppressions[0];
  CHECK(u.cell == 2);
  CHECK(u.cell_position.line == 1);
  CHECK(u.cell_position.column == 69);  // the `ecolint:` marker, counting the `!`
  CHECK(u.position.line == 3);          // the raw file's line of cell 2
  auto kept = lint_nb(notebook(R"("!vllm serve Qwen/Qwen2.5-1.5B-Instruct --max-num-seqs 1 --x '# ecolint: ignore[ECO003]'\n")"));
  CHECK(kept.diagnostics.size() == 1);
}

TEST_CASE("the GPU in a Colab notebook's metadata sets its threshold and estimates", "[notebook]") {
  auto notebook = [](const std::string& gpu) {
    return R"NB({"nbformat": 4, "nbformat_minor": 5, "metadata": {"colab": {"gpuType": ")NB" + gpu + R"NB("}}, "cells": [
 {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["m = AutoModelForCausalLM.from_pretrained(\"microsoft/phi-2\", load_in_4bit=True)\n"]}]})NB";
  };
  // phi-2 is 2.7B: above T4's fitted NF4 crossover (2.126B), below Ada's (3.728B).
  CHECK(lint_nb(notebook("T4")).diagnostics.empty());
  auto l4 = lint_nb(notebook("L4"));
  REQUIRE(l4.diagnostics.size() == 1);
  CHECK(l4.diagnostics[0].message.find("3.728B") != std::string::npos);
  CHECK(l4.diagnostics[0].gpu_origin == "GPU L4 from the notebook's Colab metadata");
  CHECK(ecolint::impact_with_origin(l4.diagnostics[0]).find("; GPU L4 from the notebook's Colab metadata") != std::string::npos);
  CHECK(lint_nb(notebook("TPU")).diagnostics.size() == 1);  // not a GPU we know: the default 3B
}
