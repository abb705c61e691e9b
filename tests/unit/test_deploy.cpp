// Deployment/training YAML: the surfaces table, positions, and files that must become one note.
#include <catch2/catch.hpp>

#include <string>

#include "pipeline/lint.hpp"
#include "shell/words.hpp"
#include "shell/words.hpp"
#include "yaml/document.hpp"
#include "yaml/guards.hpp"
#include "engines/surfaces.hpp"
#include "rules/rule.hpp"

namespace {

ecolint::FileResult lint_yaml(const std::string& text) {
  return ecolint::lint_text("t.yaml", text, ecolint::FileKind::Yaml, ecolint::LintOptions::all_rules());
}

const char* kTgiDeployment =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "spec:\n"
    "  template:\n"
    "    spec:\n"
    "      containers:\n"
    "        - name: tgi\n"
    "          image: ghcr.io/huggingface/text-generation-inference:2.4.0\n"
    "          args: [\"--model-id\", \"Qwen/Qwen2.5-1.5B-Instruct\", \"--quantize\", \"QUANT\", \"--max-batch-size\", \"1\"]\n";

std::string tgi_with(const std::string& quant) {
  std::string s = kTgiDeployment;
  s.replace(s.find("QUANT"), 5, quant);
  return s;
}

}  // namespace

TEST_CASE("the embedded surfaces table loads and knows every engine it names", "[deploy]") {
  const auto& s = ecolint::engines::surfaces();
  CHECK(s.engine("tgi"));
  CHECK(s.engine("vllm"));
  CHECK(s.engine("kserve-hf"));
  CHECK(s.engine("axolotl"));
  CHECK(s.engine("llamafactory"));
  CHECK(s.engine("webui"));
  CHECK(!s.launchers.empty());
  bool tgi_quantize = false, vllm_seqs = false;
  for (const auto& r : s.settings) {
    if (r.flag == "--quantize" && r.env == "QUANTIZE" && r.for_engine("tgi")) tgi_quantize = r.means.at("bitsandbytes") == "int8";
    if (r.flag == "--max-num-seqs" && r.for_engine("vllm")) vllm_seqs = r.setting == "max_batch_size";
  }
  CHECK(tgi_quantize);
  CHECK(vllm_seqs);
  CHECK(!s.triggers({"quantize", "max_batch_size"}, {}).empty());
  // Engines that cannot set the threshold carry their own ECO001 fix, which never offers one.
  REQUIRE(s.engine("tgi"));
  CHECK(!s.engine("tgi")->int8_fix.empty());
  CHECK(s.engine("tgi")->int8_fix.find("llm_int8_threshold") == std::string::npos);
}

TEST_CASE("a malformed surfaces table is an error, not a silent empty table", "[deploy]") {
  CHECK_THROWS(ecolint::engines::parse_surfaces("engines: []\n"));
  CHECK_THROWS(ecolint::engines::parse_surfaces(
      "engines: [{id: a, name: A}]\nlaunchers: [{engine: b, program: x}]\nsettings: []\n"));
  CHECK_THROWS(ecolint::engines::parse_surfaces(
      "engines: [{id: a, name: A}]\nlaunchers: []\nsettings: [{engines: [a], setting: quantize}]\n"));
}

TEST_CASE("TGI nf4 on a 1.5B model and batch size 1: ECO002 and ECO003 at the list items", "[deploy]") {
  auto r = lint_yaml(tgi_with("bitsandbytes-nf4"));
  REQUIRE(r.diagnostics.size() == 2);
  CHECK(r.notes.empty());
  const auto& eco002 = r.diagnostics[0].rule == "ECO002" ? r.diagnostics[0] : r.diagnostics[1];
  const auto& eco003 = r.diagnostics[0].rule == "ECO003" ? r.diagnostics[0] : r.diagnostics[1];
  CHECK(eco002.rule == "ECO002");
  CHECK(eco002.range.start.line == 9);
  CHECK(eco002.range.start.column == 62);  // the opening quote of "--quantize"
  CHECK(eco002.range.end.column == 62 + 12);
  CHECK(eco003.rule == "ECO003");
  CHECK(eco003.range.start.line == 9);
  CHECK(eco003.range.start.column == 96);
  CHECK(eco002.snippet.find("--quantize") != std::string::npos);
}

TEST_CASE("TGI --quantize bitsandbytes: ECO001 whose fix offers no threshold TGI cannot take", "[deploy]") {
  auto r = lint_yaml(tgi_with("bitsandbytes"));
  const ecolint::Diagnostic* eco001 = nullptr;
  for (const auto& d : r.diagnostics)
    if (d.rule == "ECO001") eco001 = &d;
  REQUIRE(eco001);
  CHECK(eco001->range.start.line == 9);
  CHECK(eco001->range.start.column == 62);
  CHECK(eco001->fix.find("llm_int8_threshold") == std::string::npos);
  CHECK(eco001->fix.find("threshold=0") == std::string::npos);
  CHECK(eco001->fix.find("FP16") != std::string::npos);
  CHECK(eco001->fix.find("eetq") != std::string::npos);
}

TEST_CASE("positions in later documents of a stream are file lines; shell words get their own column", "[deploy]") {
  std::string text =
      "kind: Namespace\n"
      "---\n"
      "# second document\n"
      "services:\n"
      "  vllm:\n"
      "    image: vllm/vllm-openai:latest\n"
      "    command: --model m/x-7B   --max-num-seqs 1\n"
      "---\n"
      "services:\n"
      "  tgi:\n"
      "    image: ghcr.io/huggingface/text-generation-inference:latest\n"
      "    environment:\n"
      "      MAX_BATCH_SIZE: 1\n";
  auto r = lint_yaml(text);
  REQUIRE(r.diagnostics.size() == 2);
  CHECK(r.diagnostics[0].range.start.line == 7);
  CHECK(r.diagnostics[0].range.start.column == 31);
  CHECK(r.diagnostics[0].range.end.column == 31 + 14);
  CHECK(r.diagnostics[1].range.start.line == 13);
  CHECK(r.diagnostics[1].range.start.column == 7);
}

TEST_CASE("columns count code points after non-ASCII text", "[deploy]") {
  std::string text =
      "services:\n"
      "  tgi:\n"
      "    image: ghcr.io/huggingface/text-generation-inference:latest\n"
      "    command: [\"--model-id\", \"m/é-7B\", \"--max-batch-size\", \"1\"]\n";
  auto r = lint_yaml(text);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].range.start.column == 39);  // 40 if bytes were counted
}

TEST_CASE("Python in a ConfigMap is linted with positions in the YAML file", "[deploy]") {
  std::string text =
      "kind: ConfigMap\n"
      "data:\n"
      "  app.py: |\n"
      "    from transformers import BitsAndBytesConfig\n"
      "\n"
      "    cfg = BitsAndBytesConfig(load_in_8bit=True)\n";
  auto r = lint_yaml(text);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].rule == "ECO001");
  CHECK(r.diagnostics[0].range.start.line == 6);
  CHECK(r.diagnostics[0].range.start.column == 30);
  CHECK(r.diagnostics[0].snippet == "    cfg = BitsAndBytesConfig(load_in_8bit=True)");
}

TEST_CASE("shell strings split into words with their file offsets", "[deploy]") {
  std::string raw = "x: \"a --f='v w' && b\"";
  auto words = ecolint::shell::split("a --f='v w' && b", raw, 3);
  REQUIRE(words.size() == 4);
  CHECK(words[0].text == "a");
  CHECK(words[1].text == "--f=v w");
  CHECK(words[1].offset == 6);
  CHECK(words[2].separator);
  CHECK(words[3].text == "b");
  CHECK(words[3].offset == 19);
}

TEST_CASE("10,000-level nesting, a billion-laughs file and a Helm template: one note each", "[deploy]") {
  std::string flow = "args: " + std::string(10000, '[') + "\"--max-num-seqs\", 1" + std::string(10000, ']') + "\n";
  std::string block;
  for (int i = 0; i < 10000; ++i) block += std::string(static_cast<std::size_t>(i % 400), ' ') + "- max-num-seqs:\n";
  block += "- max-num-seqs: 1\n";  // a cap of 1 somewhere: the prefilter passes the file (base/trigger.hpp)
  std::string dashes = "x: " + std::string() ;
  for (int i = 0; i < 10000; ++i) dashes += "- ";
  dashes = "max-num-seqs:\n  " + dashes.substr(3) + "1\n";
  dashes += "max-num-seqs: 1\n";  // a cap of 1 the prefilter sees (the one above is 20,000 bytes from its word)
  std::string laughs = "a: &a [\"--max-num-seqs\", \"1\", x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'k'; ++c) {
    std::string prev(1, static_cast<char>(c - 1));
    laughs += std::string(1, c) + ": &" + c + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev +
              ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n";
  }
  laughs += "services:\n  vllm:\n    image: vllm/vllm-openai\n    command: *k\n";
  std::string helm =
      "spec:\n  containers:\n    - image: {{ .Values.image }}\n      args: [\"--max-batch-size\", \"1\"]\n"
      "{{- if .Values.gpu }}\n      resources: {}\n{{- end }}\n";
  struct Case {
    const char* name;
    std::string text;
    unsigned line;
  } cases[] = {{"flow nesting", flow, 1}, {"block nesting", block, 0}, {"dash nesting", dashes, 2},
               {"billion laughs", laughs, 0}, {"helm", helm, 3}};
  for (const auto& c : cases) {
    INFO(c.name);
    ecolint::FileResult r;
    r = lint_yaml(c.text);  // a hang is caught by the test's time limit (ctest), not timed here
    CHECK(r.diagnostics.empty());
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0].position.line >= 1);
    if (c.line) CHECK(r.notes[0].position.line == c.line);
  }
}

TEST_CASE("invalid YAML is a note with the parser's position", "[deploy]") {
  auto r = lint_yaml("services:\n  tgi:\n    image: text-generation-inference\n    command: [\"--max-batch-size\", \"1\"\n  x: ]\n");
  CHECK(r.diagnostics.empty());
  REQUIRE(r.notes.size() == 1);
  CHECK(r.notes[0].message.find("invalid YAML") != std::string::npos);
  CHECK(r.notes[0].position.line >= 4);
}

TEST_CASE("a chat template's {{ }} in a value is not a Helm template", "[deploy]") {
  std::string text =
      "base_model: Qwen/Qwen2.5-0.5B\n"
      "adapter: qlora\n"
      "chat_template_jinja: \"{{ bos_token }}{% for m in messages %}{{ m['content'] }}{% endfor %}\"\n"
      "datasets: []\n";
  auto r = lint_yaml(text);
  CHECK(r.notes.empty());
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].rule == "ECO002");
  CHECK(r.diagnostics[0].range.start.line == 2);
}

// Found by fuzzing: yaml-cpp 0.7's LoadAll loops forever on a stream whose document starts with a
// stray ','. The stream is read with the event parser first and refused past 10,000 documents.
TEST_CASE("a stream yaml-cpp cannot end is a note, not a hang", "[deploy][regress]") {
  for (const char* text : {",\nmax-num-seqs: 1\n", "# {{.Name}}\n  , \"x\"]\nmax-num-seqs: 1\n"}) {
    ecolint::FileResult r;
    r = lint_yaml(text);  // a hang is caught by the test's time limit (ctest)
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0].message.find("YAML documents") != std::string::npos);
    CHECK(r.diagnostics.empty());
  }
  // Many real documents still work.
  std::string many;
  for (int i = 0; i < 200; ++i) many += "---\nkind: ConfigMap\n";
  many += "---\nmax-num-seqs: 1\n";
  CHECK(lint_yaml(many).notes.empty());
}

TEST_CASE("CustomResourceDefinitions are blanked before parsing; other documents keep their positions", "[deploy]") {
  const std::string crd =
      "apiVersion: apiextensions.k8s.io/v1\n"
      "kind: \"CustomResourceDefinition\"  # an install bundle's schema\n"
      "spec:\n"
      "  versions:\n"
      "    - schema:\n"
      "        openAPIV3Schema:\n"
      "          properties:\n"
      "            maxBatchSize: {type: integer, description: \"e.g. --max-batch-size 1 or --quantize bitsandbytes\"}\n"
      "            args: [\"--model-id\", \"Qwen/Qwen2.5-1.5B-Instruct\", \"--quantize\", \"bitsandbytes\"]\n";
  std::string blanked;
  REQUIRE(ecolint::yaml::blank_inert_documents(crd + "---\n" + kTgiDeployment, blanked));
  CHECK(blanked.size() == crd.size() + 4 + std::string(kTgiDeployment).size());
  CHECK(blanked.substr(0, crd.size()).find_first_not_of(" \n") == std::string::npos);
  CHECK(blanked.substr(crd.size()) == std::string("---\n") + kTgiDeployment);
  std::string unchanged;
  CHECK_FALSE(ecolint::yaml::blank_inert_documents(kTgiDeployment, unchanged));
  // `kind: CustomResourceDefinition` below the top level, or as another word, is not a CRD.
  CHECK_FALSE(ecolint::yaml::blank_inert_documents("spec:\n  kind: CustomResourceDefinition\n", unchanged));
  CHECK_FALSE(ecolint::yaml::blank_inert_documents("kind: CustomResourceDefinitionList\n", unchanged));

  // Linting: the CRD's words give nothing; the deployment after it is found on its own lines.
  auto r = lint_yaml(crd + "---\n" + tgi_with("bitsandbytes"));
  REQUIRE(r.diagnostics.size() == 2);  // ECO001 (INT8) and ECO003 (batch 1)
  const int crd_lines = 9, marker = 1;
  for (const auto& d : r.diagnostics) CHECK(d.range.start.line == crd_lines + marker + 9);
  CHECK(lint_yaml(crd).diagnostics.empty());
  // A CRD last in the stream, after a deployment, is blanked too.
  auto later = lint_yaml(tgi_with("bitsandbytes") + "---\n" + crd);
  CHECK(later.diagnostics.size() == 2);
}
