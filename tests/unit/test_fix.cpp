// Fixes as edits: what each rule writes on each surface (exact text), where nothing is written,
// how edits land in notebooks and ConfigMap blocks, the rounds of the fix engine, unified diffs,
// atomic writes; and over every fixture and example: all fixes applied leave no fixable finding
// and a file that still parses.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "fix/apply.hpp"
#include "fix/diff.hpp"
#include "fix/fix.hpp"
#include "helpers.hpp"

namespace fs = std::filesystem;
using namespace ecolint;
using ecolint::testing::lint_yaml;

namespace {

FileResult lint_kind(const std::string& text, FileKind kind, const std::string& path) {
  return lint_text(path, text, kind, LintOptions::all_rules());
}

// The text after every fix (unsafe ones too) went in, in rounds, as --fix --unsafe-fixes does.
std::string fixed(const std::string& text, FileKind kind = FileKind::Python, const std::string& path = "t.py") {
  FileResult r = lint_kind(text, kind, path);
  fix::FixedText out = fix::fix_text(path, text, kind, LintOptions::all_rules(), r.diagnostics, true);
  INFO(out.problem);
  CHECK(out.problem.empty());
  return out.text;
}

std::string fixed_yaml(const std::string& text) { return fixed(text, FileKind::Yaml, "t.yaml"); }

// The fixes offered for the first finding of `rule`.
std::vector<Fix> fixes_of(const FileResult& r, const std::string& rule) {
  for (const auto& d : r.diagnostics)
    if (d.rule == rule) return d.fixes;
  return {};
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("ECO001 adds llm_int8_threshold=0.0 wherever the 8-bit switch is written", "[fix]") {
  CHECK(fixed("q = BitsAndBytesConfig(load_in_8bit=True)\n") ==
        "q = BitsAndBytesConfig(load_in_8bit=True, llm_int8_threshold=0.0)\n");
  CHECK(fixed("q = BitsAndBytesConfig(\n    load_in_8bit=True,\n    llm_int8_skip_modules=['lm_head'],\n)\n") ==
        "q = BitsAndBytesConfig(\n    load_in_8bit=True, llm_int8_threshold=0.0,\n    llm_int8_skip_modules=['lm_head'],\n)\n");
  CHECK(fixed("m = AutoModel.from_pretrained('mistralai/Mistral-7B-v0.1', load_in_8bit=True)\n") ==
        "m = AutoModel.from_pretrained('mistralai/Mistral-7B-v0.1', load_in_8bit=True, llm_int8_threshold=0.0)\n");
  CHECK(fixed("p = pipeline('text-generation', model='gpt2', model_kwargs={'load_in_8bit': True})\n") ==
        "p = pipeline('text-generation', model='gpt2', model_kwargs={'load_in_8bit': True, 'llm_int8_threshold': 0.0})\n");
  CHECK(fixed("kw = {}\nkw[\"load_in_8bit\"] = True\nm = AutoModel.from_pretrained('gpt2', **kw)\n") ==
        "kw = {}\nkw[\"load_in_8bit\"] = True\nkw[\"llm_int8_threshold\"] = 0.0\nm = AutoModel.from_pretrained('gpt2', **kw)\n");
  // A written non-zero threshold is set to zero instead.
  CHECK(fixed("q = BitsAndBytesConfig(load_in_8bit=True, llm_int8_threshold=6.0)\n") ==
        "q = BitsAndBytesConfig(load_in_8bit=True, llm_int8_threshold=0.0)\n");
  // YAML: a sibling key, in block and flow style.
  CHECK(fixed_yaml("model: mistralai/Mistral-7B-v0.1\nquantization_config:\n  load_in_8bit: true  # why\n  x: 1\n") ==
        "model: mistralai/Mistral-7B-v0.1\nquantization_config:\n  load_in_8bit: true  # why\n  llm_int8_threshold: 0.0\n  x: 1\n");
  CHECK(fixed_yaml("model: m\nquantization_config: {load_in_8bit: true}\n") ==
        "model: m\nquantization_config: {load_in_8bit: true, llm_int8_threshold: 0.0}\n");
}

TEST_CASE("ECO001 writes no edit where the engine has no threshold setting", "[fix]") {
  auto tgi = lint_yaml("services:\n  tgi:\n    image: ghcr.io/huggingface/text-generation-inference:2.4\n"
                       "    command: --model-id mistralai/Mistral-7B-v0.1 --quantize bitsandbytes\n");
  REQUIRE(tgi.diagnostics.size() == 1);
  CHECK(tgi.diagnostics[0].fixes.empty());
  auto axolotl = lint_yaml("base_model: mistralai/Mistral-7B-v0.1\nadapter: lora\nload_in_8bit: true\ndatasets: []\n");
  REQUIRE(axolotl.diagnostics.size() == 1);
  CHECK(axolotl.diagnostics[0].fixes.empty());
}

TEST_CASE("every fix is unsafe and says what it does", "[fix]") {
  auto r = testing::lint_py("q = BitsAndBytesConfig(load_in_8bit=True)\n");
  auto fixes = fixes_of(r, "ECO001");
  REQUIRE(fixes.size() == 1);
  CHECK(fixes[0].applicability == Applicability::Unsafe);
  CHECK(fixes[0].title.find("llm_int8_threshold=0.0") != std::string::npos);
  REQUIRE(fixes[0].edits.size() == 1);
  CHECK(fixes[0].edits[0].range.start.line == 1);
  CHECK(fixes[0].edits[0].range.start.column == 41);
  CHECK(fixes[0].edits[0].range.end.column == 41);
  // Without --unsafe-fixes nothing is applied.
  fix::FixedText safe = fix::fix_text("t.py", "q = BitsAndBytesConfig(load_in_8bit=True)\n", FileKind::Python,
                                      LintOptions::all_rules(), r.diagnostics, false);
  CHECK(safe.applied.empty());
}

TEST_CASE("ECO002 loads in BF16 instead of 4-bit", "[fix]") {
  // The config handed over as quantization_config becomes a dtype; torch is imported already.
  CHECK(fixed("import torch\nq = BitsAndBytesConfig(load_in_4bit=True)\n"
              "m = AutoModelForCausalLM.from_pretrained('TinyLlama/TinyLlama-1.1B-Chat-v1.0', quantization_config=q, device_map='auto')\n") ==
        "import torch\nq = BitsAndBytesConfig(load_in_4bit=True)\n"
        "m = AutoModelForCausalLM.from_pretrained('TinyLlama/TinyLlama-1.1B-Chat-v1.0', torch_dtype=torch.bfloat16, device_map='auto')\n");
  // Without `import torch`, one is added before the first import.
  CHECK(fixed("\"\"\"Doc.\"\"\"\nfrom transformers import AutoModelForCausalLM\n"
              "m = AutoModelForCausalLM.from_pretrained('gpt2', load_in_4bit=True, bnb_4bit_quant_type='nf4')\n") ==
        "\"\"\"Doc.\"\"\"\nimport torch\nfrom transformers import AutoModelForCausalLM\n"
        "m = AutoModelForCausalLM.from_pretrained('gpt2', torch_dtype=torch.bfloat16)\n");
  // A call that already sets a dtype only loses the 4-bit config.
  CHECK(fixed("import torch\nm = AutoModelForCausalLM.from_pretrained('gpt2', torch_dtype=torch.float16,\n"
              "    quantization_config=BitsAndBytesConfig(load_in_4bit=True))\n") ==
        "import torch\nm = AutoModelForCausalLM.from_pretrained('gpt2', torch_dtype=torch.float16)\n");
  // model_kwargs of a pipeline: the 4-bit entry itself becomes the dtype entry.
  CHECK(fixed("import torch\np = pipeline('text-generation', model='gpt2', model_kwargs={\"load_in_4bit\": True, \"device_map\": 'auto'})\n") ==
        "import torch\np = pipeline('text-generation', model='gpt2', model_kwargs={\"torch_dtype\": torch.bfloat16, \"device_map\": 'auto'})\n");
  // vLLM's method keyword is removed (the engine's default dtype applies).
  CHECK(fixed("from vllm import LLM\nllm = LLM(model='Qwen/Qwen2.5-1.5B-Instruct', quantization='bitsandbytes', max_model_len=4096)\n") ==
        "from vllm import LLM\nllm = LLM(model='Qwen/Qwen2.5-1.5B-Instruct', max_model_len=4096)\n");
  // ... but not while its bitsandbytes load format stays (vLLM would refuse to start).
  auto lf = testing::lint_py("from vllm import LLM\nllm = LLM(model='Qwen/Qwen2.5-1.5B-Instruct', quantization='bitsandbytes', load_format='bitsandbytes')\n");
  REQUIRE(lf.diagnostics.size() == 1);
  CHECK(lf.diagnostics[0].fixes.empty());
}

TEST_CASE("ECO002 in YAML: 4-bit switched off, or the engine's flag removed", "[fix]") {
  CHECK(fixed_yaml("base_model: TinyLlama/TinyLlama-1.1B-Chat-v1.0\nload_in_4bit: True\nadapter: qlora\ndatasets: []\n") ==
        "base_model: TinyLlama/TinyLlama-1.1B-Chat-v1.0\nload_in_4bit: False\nadapter: lora\ndatasets: []\n");
  CHECK(fixed_yaml("model_name_or_path: Qwen/Qwen2.5-0.5B-Instruct\nquantization_bit: 4\nstage: sft\n") ==
        "model_name_or_path: Qwen/Qwen2.5-0.5B-Instruct\nstage: sft\n");
  CHECK(fixed_yaml("spec:\n  containers:\n    - image: ghcr.io/huggingface/text-generation-inference:2.4\n"
                   "      args: [\"--model-id\", \"Qwen/Qwen2.5-1.5B-Instruct\", \"--quantize\", \"bitsandbytes-nf4\", \"--port\", \"80\"]\n") ==
        "spec:\n  containers:\n    - image: ghcr.io/huggingface/text-generation-inference:2.4\n"
        "      args: [\"--model-id\", \"Qwen/Qwen2.5-1.5B-Instruct\", \"--port\", \"80\"]\n");
  // An environment variable gets no edit.
  auto env = lint_yaml("spec:\n  containers:\n    - image: ghcr.io/huggingface/text-generation-inference:2.4\n"
                       "      env:\n        - {name: MODEL_ID, value: Qwen/Qwen2.5-1.5B-Instruct}\n"
                       "        - {name: QUANTIZE, value: bitsandbytes-nf4}\n");
  REQUIRE(env.diagnostics.size() == 1);
  CHECK(env.diagnostics[0].fixes.empty());
}

TEST_CASE("ECO003 removes a batch cap of 1 so the engine's default applies", "[fix]") {
  CHECK(fixed("from vllm import LLM\nllm = LLM(model='m', max_num_seqs=1)\n") == "from vllm import LLM\nllm = LLM(model='m')\n");
  CHECK(fixed("from ray import serve\n@serve.batch(max_batch_size=1, batch_wait_timeout_s=0.1)\nasync def f(x):\n    return x\n") ==
        "from ray import serve\n@serve.batch(batch_wait_timeout_s=0.1)\nasync def f(x):\n    return x\n");
  CHECK(fixed_yaml("services:\n  vllm:\n    image: vllm/vllm-openai:latest\n    command: --model m --max-num-seqs 1 --port 8000\n") ==
        "services:\n  vllm:\n    image: vllm/vllm-openai:latest\n    command: --model m --port 8000\n");
  // A block sequence: both items' lines go.
  CHECK(fixed_yaml("spec:\n  containers:\n    - image: vllm/vllm-openai:latest\n      args:\n        - --max-num-seqs\n"
                   "        - \"1\"\n        - --port\n        - \"8000\"\n") ==
        "spec:\n  containers:\n    - image: vllm/vllm-openai:latest\n      args:\n        - --port\n        - \"8000\"\n");
  // A folded command, one flag per line, and an inline =value.
  CHECK(fixed_yaml("services:\n  vllm:\n    image: vllm/vllm-openai:latest\n    command: >\n      --model m\n      --max-num-seqs=1\n      --port 8000\n") ==
        "services:\n  vllm:\n    image: vllm/vllm-openai:latest\n    command: >\n      --model m\n      --port 8000\n");
  CHECK(fixed_yaml("kind: InferenceService\nspec:\n  predictor:\n    batcher:\n      maxBatchSize: 1\n      maxLatency: 500\n") ==
        "kind: InferenceService\nspec:\n  predictor:\n    batcher:\n      maxLatency: 500\n");
}

TEST_CASE("ECO003 writes no edit where removing the cap would do harm or nothing", "[fix]") {
  // The batcher's only key: removing it would remove the batcher.
  auto sole = lint_yaml("kind: InferenceService\nspec:\n  predictor:\n    batcher:\n      maxBatchSize: 1\n");
  REQUIRE(sole.diagnostics.size() == 1);
  CHECK(sole.diagnostics[0].fixes.empty());
  // A value that comes from a command-line option.
  auto args = testing::lint_py("import argparse\nfrom vllm import LLM\np = argparse.ArgumentParser()\n"
                               "p.add_argument('--max-num-seqs', type=int, default=1)\na = p.parse_args()\n"
                               "llm = LLM(model='m', max_num_seqs=a.max_num_seqs)\n");
  REQUIRE(args.diagnostics.size() == 1);
  CHECK(args.diagnostics[0].fixes.empty());
  // Known limit (base/trigger.hpp): a 1 written far from every spelling of the cap (an option of
  // another name) leaves the file to the prefilter, which passes it over unparsed.
  auto renamed = testing::lint_py("import argparse\nfrom vllm import LLM\np = argparse.ArgumentParser()\n"
                                  "p.add_argument('--n', type=int, default=1)\na = p.parse_args()\nllm = LLM(model='m', max_num_seqs=a.n)\n");
  CHECK(renamed.diagnostics.empty());
  // A pipeline's batch_size defaults to 1: removing it changes nothing.
  auto pipe = testing::lint_py("from transformers import pipeline\np = pipeline('text-generation', model='gpt2', batch_size=1)\n"
                               "out = p(['a', 'b', 'c'])\n");
  REQUIRE(pipe.diagnostics.size() == 1);
  CHECK(pipe.diagnostics[0].fixes.empty());
  // A per-item generate() loop.
  auto loop = testing::lint_py("for p in prompts:\n    ids = tokenizer(p, return_tensors='pt')\n    model.generate(**ids)\n");
  REQUIRE(loop.diagnostics.size() == 1);
  CHECK(loop.diagnostics[0].fixes.empty());
}

TEST_CASE("edits in a notebook are written into the raw JSON, escaped, one string per line kept", "[fix][notebook]") {
  auto cell = [](const std::string& source_json) {
    return "{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"metadata\": {},\n   \"outputs\": [],\n   \"source\": " +
           source_json + "\n  }\n ],\n \"metadata\": {},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n";
  };
  std::string nb = cell("[\n    \"from transformers import AutoModelForCausalLM\\n\",\n"
                        "    \"m = AutoModelForCausalLM.from_pretrained(\\\"gpt2\\\", load_in_4bit=True, device_map=\\\"auto\\\")\"\n   ]");
  auto r = testing::lint_nb(nb);
  auto fixes = fixes_of(r, "ECO002");
  REQUIRE(fixes.size() == 1);
  // The same edit, placed in its cell for editors that show cells as documents.
  bool in_cell = false;
  for (const auto& e : fixes[0].edits)
    if (e.cell == 1 && e.cell_text == "torch_dtype=torch.bfloat16") {
      in_cell = true;
      CHECK(e.cell_range.start.line == 2);
      CHECK(e.cell_range.start.column == 50);
    }
  CHECK(in_cell);
  std::string out = fixed(nb, FileKind::Notebook, "t.ipynb");
  CHECK(out == cell("[\n    \"import torch\\n\",\n    \"from transformers import AutoModelForCausalLM\\n\",\n"
                    "    \"m = AutoModelForCausalLM.from_pretrained(\\\"gpt2\\\", torch_dtype=torch.bfloat16, device_map=\\\"auto\\\")\"\n   ]"));
  auto doc = nlohmann::json::parse(out);
  CHECK(doc["cells"][0]["source"].size() == 3);

  // A line removed whole takes its string with it.
  std::string serve = cell("[\n    \"from vllm import LLM\\n\",\n    \"llm = LLM(\\n\",\n    \"    model=\\\"m\\\",\\n\",\n"
                           "    \"    max_num_seqs=1,\\n\",\n    \")\"\n   ]");
  CHECK(fixed(serve, FileKind::Notebook, "t.ipynb") ==
        cell("[\n    \"from vllm import LLM\\n\",\n    \"llm = LLM(\\n\",\n    \"    model=\\\"m\\\",\\n\",\n    \")\"\n   ]"));

  // A shell line: the flag goes from the JSON string.
  std::string shell = cell("[\n    \"!vllm serve m --max-num-seqs 1 --port 8000\\n\"\n   ]");
  CHECK(fixed(shell, FileKind::Notebook, "t.ipynb") == cell("[\n    \"!vllm serve m --port 8000\\n\"\n   ]"));

  // A cell written as one string: new lines are escaped in it.
  std::string one = cell("\"from transformers import AutoModelForCausalLM\\nm = AutoModelForCausalLM.from_pretrained('gpt2', load_in_4bit=True)\"");
  CHECK(fixed(one, FileKind::Notebook, "t.ipynb") ==
        cell("\"import torch\\nfrom transformers import AutoModelForCausalLM\\nm = AutoModelForCausalLM.from_pretrained('gpt2', torch_dtype=torch.bfloat16)\""));
}

TEST_CASE("edits in a ConfigMap's Python keep the block's indentation", "[fix]") {
  std::string y = "kind: ConfigMap\ndata:\n  serve.py: |\n    from transformers import AutoModelForCausalLM\n"
                  "    m = AutoModelForCausalLM.from_pretrained('gpt2', load_in_4bit=True)\n";
  CHECK(fixed_yaml(y) == "kind: ConfigMap\ndata:\n  serve.py: |\n    import torch\n    from transformers import AutoModelForCausalLM\n"
                         "    m = AutoModelForCausalLM.from_pretrained('gpt2', torch_dtype=torch.bfloat16)\n");
}

TEST_CASE("fixes keep the file's line breaks", "[fix]") {
  CHECK(fixed("kw = {}\r\nkw['load_in_8bit'] = True\r\nm = AutoModel.from_pretrained('gpt2', **kw)\r\n") ==
        "kw = {}\r\nkw['load_in_8bit'] = True\r\nkw['llm_int8_threshold'] = 0.0\r\nm = AutoModel.from_pretrained('gpt2', **kw)\r\n");
}

TEST_CASE("overlapping fixes go in over rounds; hidden findings stay", "[fix]") {
  std::string y = "spec:\n  containers:\n    - image: ghcr.io/huggingface/text-generation-inference:2.4\n"
                  "      args: [\"--model-id\", \"Qwen/Qwen2.5-1.5B-Instruct\", \"--quantize\", \"bitsandbytes-nf4\", \"--max-batch-size\", \"1\"]\n";
  auto r = lint_yaml(y);
  REQUIRE(r.diagnostics.size() == 2);
  // Both fixes remove a comma between the two settings: one per round.
  std::vector<const Diagnostic*> all{&r.diagnostics[0], &r.diagnostics[1]};
  CHECK(fix::apply_fixes(y, all, true).fixed.size() == 1);
  fix::FixedText both = fix::fix_text("t.yaml", y, FileKind::Yaml, LintOptions::all_rules(), r.diagnostics, true);
  CHECK(both.applied.size() == 2);
  CHECK(both.remaining.empty());
  CHECK(both.text.find("args: [\"--model-id\", \"Qwen/Qwen2.5-1.5B-Instruct\"]\n") != std::string::npos);
  // Only the ECO003 finding is reported (a filter hid ECO002): ECO002's setting stays.
  std::vector<Diagnostic> only{r.diagnostics[0].rule == "ECO003" ? r.diagnostics[0] : r.diagnostics[1]};
  fix::FixedText one = fix::fix_text("t.yaml", y, FileKind::Yaml, LintOptions::all_rules(), only, true);
  CHECK(one.applied.size() == 1);
  CHECK(one.text.find("bitsandbytes-nf4") != std::string::npos);
  CHECK(one.text.find("max-batch-size") == std::string::npos);
  CHECK(one.remaining.empty());  // the hidden ECO002 finding is not reported afterwards either
}

TEST_CASE("apply_fixes writes the edits as given (fix_text checks the result still parses)", "[fix]") {
  // An edit with a broken text, as a buggy rule could write it.
  std::string text = "q = BitsAndBytesConfig(load_in_8bit=True)\n";
  auto r = testing::lint_py(text);
  REQUIRE(r.diagnostics.size() == 1);
  r.diagnostics[0].fixes[0].edits[0].text = ", llm_int8_threshold=(";
  fix::Applied applied = fix::apply_fixes(text, {&r.diagnostics[0]}, true);
  CHECK(applied.text == "q = BitsAndBytesConfig(load_in_8bit=True, llm_int8_threshold=()\n");
}

TEST_CASE("unified diffs as diff -u writes them", "[fix][diff]") {
  CHECK(fix::unified_diff("a.py", "x\n", "x\n").empty());
  CHECK(fix::unified_diff("a.py", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n") ==
        "--- a/a.py\n+++ b/a.py\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
  CHECK(fix::unified_diff("a.py", "a\nb", "a\nc") == "--- a/a.py\n+++ b/a.py\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n");
  CHECK(fix::unified_diff("a.py", "a\nb\n", "a\n") == "--- a/a.py\n+++ b/a.py\n@@ -1,2 +1 @@\n a\n-b\n");
  CHECK(fix::unified_diff("a.py", "", "a\n") == "--- a/a.py\n+++ b/a.py\n@@ -0,0 +1 @@\n+a\n");
  // Two changes far apart: two hunks.
  std::string before, after;
  for (int i = 1; i <= 20; ++i) {
    before += std::to_string(i) + "\n";
    after += (i == 2 || i == 18 ? "x" : std::to_string(i)) + "\n";
  }
  std::string d = fix::unified_diff("f", before, after);
  CHECK(d.find("@@ -1,5 +1,5 @@") != std::string::npos);
  CHECK(d.find("@@ -15,6 +15,6 @@") != std::string::npos);
}

TEST_CASE("atomic writes keep the file's permissions", "[fix]") {
  fs::path dir = fs::temp_directory_path() / ("ecolint-fix-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path f = dir / "run.py";
  { std::ofstream(f) << "old\n"; }
  ::chmod(f.c_str(), 0750);
  std::string error;
  REQUIRE(fix::write_atomically(f.string(), "new\n", error));
  CHECK(read(f) == "new\n");
  struct stat st {};
  REQUIRE(::stat(f.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0750);
  // Through a symlink: the target is replaced, the link stays.
  fs::path link = dir / "link.py";
  fs::create_symlink(f, link);
  REQUIRE(fix::write_atomically(link.string(), "newer\n", error));
  CHECK(fs::is_symlink(link));
  CHECK(read(f) == "newer\n");
  fs::remove_all(dir);
}

TEST_CASE("all fixes on every fixture and example leave no fixable finding and a file that parses", "[fix][fixtures]") {
  std::size_t applied = 0, files = 0;
  for (const char* root : {"tests/fixtures", "examples"}) {
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(ECOLINT_SOURCE_DIR) / root)) {
      if (!entry.is_regular_file()) continue;
      std::string path = entry.path().string();
      FileKind kind = kind_of_path(path);
      if (kind == FileKind::Unknown) continue;
      std::string text = read(entry.path());
      FileResult before = lint_kind(text, kind, path);
      fix::FixedText out = fix::fix_text(path, text, kind, LintOptions::all_rules(), before.diagnostics, true);
      INFO(path);
      CHECK(out.problem.empty());
      for (const auto& d : out.remaining) {
        INFO(d.rule << " at " << d.range.start.line << ":" << d.range.start.column);
        CHECK(d.fixes.empty());
      }
      if (out.applied.empty()) continue;
      ++files;
      applied += out.applied.size();
      if (kind == FileKind::Yaml) {
        CHECK_NOTHROW(YAML::LoadAll(out.text));
      } else if (kind == FileKind::Notebook) {
        auto a = nlohmann::json::parse(text), b = nlohmann::json::parse(out.text);
        REQUIRE(a["cells"].size() == b["cells"].size());
        for (std::size_t i = 0; i < a["cells"].size(); ++i) CHECK(a["cells"][i]["cell_type"] == b["cells"][i]["cell_type"]);
      }
      // Python parses: a new syntax note would have undone the round (out.problem).
    }
  }
  CHECK(files >= 20);
  CHECK(applied >= 80);
}
