// Unit tests for src/model/model_size: name parsing, the embedded size table, local paths.
#include <catch2/catch.hpp>

#include <string>
#include <thread>
#include <vector>

#include "model/model_size.hpp"

using ecolint::model::looks_like_local_path;
using ecolint::model::parse_size_table;
using ecolint::model::resolve_model_size;
using ecolint::model::size_from_name;
using ecolint::model::size_table;

namespace {

constexpr double kUnknown = -1.0;  // expected: unknown
constexpr double kNone = -1.0;     // expected: no active count

struct Case {
  const char* id;
  double total;   // billions, or kUnknown
  double active;  // billions, or kNone
};

// Real-world ids (plus a few made-up look-alikes) and what resolve_model_size must say.
const Case kCases[] = {
    // --- sizes in the name -----------------------------------------------------------------
    {"meta-llama/Llama-2-7b-chat-hf", 7, kNone},
    {"TinyLlama/TinyLlama-1.1B-Chat-v1.0", 1.1, kNone},
    {"Qwen/Qwen2.5-0.5B-Instruct", 0.5, kNone},
    {"Qwen/Qwen2.5-1.5B-Instruct", 1.5, kNone},
    {"meta-llama/Meta-Llama-3.1-8B-Instruct", 8, kNone},
    {"meta-llama/Llama-2-70b-hf", 70, kNone},
    {"META-LLAMA/LLAMA-2-7B-HF", 7, kNone},
    {"facebook/opt-350m", 0.35, kNone},
    {"HuggingFaceTB/SmolLM2-135M", 0.135, kNone},
    {"HuggingFaceTB/SmolLM-360M-Instruct", 0.36, kNone},
    {"bigscience/bloom-560m", 0.56, kNone},
    {"bigscience/bloom-7b1", 7.1, kNone},
    {"bigscience/bloom-1b7", 1.7, kNone},
    {"bigscience/bloom-1b1", 1.1, kNone},
    {"bigscience/bloomz-7b1-mt", 7.1, kNone},
    {"stabilityai/stablelm-2-1_6b", 1.6, kNone},
    {"EleutherAI/pythia-1.4b-deduped", 1.4, kNone},
    {"EleutherAI/pythia-70m", 0.07, kNone},
    {"google/gemma-2-2b-it", 2, kNone},
    {"google/gemma-7b", 7, kNone},
    {"tiiuae/falcon-7b", 7, kNone},
    {"tiiuae/falcon-180B", 180, kNone},
    {"EleutherAI/gpt-j-6b", 6, kNone},
    {"EleutherAI/gpt-neox-20b", 20, kNone},
    {"Salesforce/codegen-350M-mono", 0.35, kNone},
    {"deepseek-ai/deepseek-coder-6.7b-instruct", 6.7, kNone},
    {"deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", 7, kNone},
    {"01-ai/Yi-1.5-6B", 6, kNone},
    {"01-ai/Yi-34B-200K", 34, kNone},
    {"mistralai/Mistral-7B-v0.1", 7, kNone},
    {"mistralai/Mistral-7B-Instruct-v0.3", 7, kNone},
    {"mistralai/Mistral-Small-24B-Instruct-2501", 24, kNone},
    {"codellama/CodeLlama-34b-Instruct-hf", 34, kNone},
    {"Qwen/Qwen2-7B", 7, kNone},
    {"Qwen/Qwen2.5-Coder-32B-Instruct", 32, kNone},
    {"Qwen/Qwen2.5-14B-Instruct-1M", 14, kNone},
    {"THUDM/chatglm3-6b-32k", 6, kNone},
    {"allenai/OLMo-7B-0724-hf", 7, kNone},
    {"llama3.1:8b", 8, kNone},
    // --- quantisation tags are not sizes ---------------------------------------------------------
    {"unsloth/llama-3-8b-bnb-4bit", 8, kNone},
    {"unsloth/mistral-7b-instruct-v0.3-bnb-4bit", 7, kNone},
    {"Qwen/Qwen2.5-7B-Instruct-AWQ", 7, kNone},
    {"TheBloke/Llama-2-13B-chat-GPTQ", 13, kNone},
    {"Qwen/Qwen2-7B-Instruct-GPTQ-Int4", 7, kNone},
    {"Qwen/Qwen2.5-72B-Instruct-GPTQ-Int8", 72, kNone},
    {"neuralmagic/Meta-Llama-3.1-8B-Instruct-FP8", 8, kNone},
    {"neuralmagic/Meta-Llama-3.1-70B-Instruct-quantized.w4a16", 70, kNone},
    {"meta-llama/Llama-3.2-3B-Instruct-QLORA_INT4_EO8", 3, kNone},
    {"acme/llama-2-13b-8bit", 13, kNone},
    // --- total + active in the name ----------------------------------------------------------------
    {"Qwen/Qwen2-57B-A14B", 57, 14},
    {"acme/Foo-30B-A3B", 30, 3},
    {"acme/foo-3b-a800m", 3, 0.8},
    // --- table: mixture of experts ------------------------------------------------------------------
    {"Qwen/Qwen3-30B-A3B", 30.5, 3.3},
    {"Qwen/Qwen3-235B-A22B", 235, 22},
    {"Qwen/Qwen1.5-MoE-A2.7B", 14.3, 2.7},
    {"Qwen/Qwen1.5-MoE-A2.7B-Chat", 14.3, 2.7},
    {"mistralai/Mixtral-8x7B-v0.1", 46.7, 13},
    {"mistralai/Mixtral-8x7B-Instruct-v0.1", 46.7, 13},
    {"TheBloke/Mixtral-8x7B-Instruct-v0.1-GPTQ", 46.7, 13},
    {"unsloth/mixtral-8x7b-instruct-v0.1-bnb-4bit", 46.7, 13},
    {"mistralai/Mixtral-8x22B-v0.1", 141, 39},
    {"mistralai/Mixtral-8x22B-Instruct-v0.1", 141, 39},
    {"meta-llama/Llama-4-Scout-17B-16E", 109, 17},
    {"meta-llama/Llama-4-Scout-17B-16E-Instruct", 109, 17},
    {"meta-llama/Llama-4-Maverick-17B-128E-Instruct", 400, 17},
    {"ibm-granite/granite-3.0-3b-a800m-instruct", 3.3, 0.8},
    {"ibm-granite/granite-3.0-1b-a400m-base", 1.3, 0.4},
    {"ibm-granite/granite-3.0-2b-instruct", 2.5, kNone},
    {"openai/gpt-oss-20b", 21, 3.6},
    {"openai/gpt-oss-120b", 117, 5.1},
    {"deepseek-ai/DeepSeek-V3", 671, 36.6},
    {"deepseek-ai/DeepSeek-R1", 671, 36.6},
    {"deepseek-ai/DeepSeek-V2-Lite", 16, kNone},
    {"deepseek-ai/DeepSeek-V2", 236, kNone},
    {"databricks/dbrx-instruct", 132, kNone},
    {"google/gemma-3n-E2B", 5.0, 2},
    {"google/gemma-3n-E2B-it", 5.0, 2},
    {"google/gemma-3n-E4B-it", 8.0, 4},
    // --- table: no size, or a misleading one, in the name -------------------------------------------
    {"gpt2", 0.117, kNone},
    {"openai-community/gpt2", 0.117, kNone},
    {"GPT2", 0.117, kNone},
    {"gpt2-medium", 0.345, kNone},
    {"openai-community/gpt2-large", 0.774, kNone},
    {"gpt2-xl", 1.558, kNone},
    {"distilgpt2", 0.082, kNone},
    {"openai-gpt", 0.110, kNone},
    {"microsoft/phi-1_5", 1.3, kNone},
    {"microsoft/phi-2", 2.7, kNone},
    {"microsoft/Phi-3-mini-4k-instruct", 3.8, kNone},
    {"microsoft/Phi-3-mini-128k-instruct", 3.8, kNone},
    {"microsoft/Phi-3.5-mini-instruct", 3.8, kNone},
    {"t5-small", 0.060, kNone},
    {"google-t5/t5-base", 0.220, kNone},
    {"t5-large", 0.770, kNone},
    {"t5-3b", 2.8, kNone},
    {"t5-11b", 11, kNone},
    {"google/flan-t5-small", 0.080, kNone},
    {"google/flan-t5-base", 0.250, kNone},
    {"google/flan-t5-large", 0.780, kNone},
    {"google/flan-t5-xl", 3, kNone},
    {"google/flan-t5-xxl", 11.1, kNone},
    {"bert-base-uncased", 0.110, kNone},
    {"google-bert/bert-base-cased", 0.110, kNone},
    {"bert-large-uncased", 0.340, kNone},
    {"distilbert-base-uncased", 0.066, kNone},
    {"roberta-base", 0.125, kNone},
    {"FacebookAI/roberta-large", 0.355, kNone},
    {"distilroberta-base", 0.082, kNone},
    {"bigscience/bloom", 176.247271424, kNone},
    {"CohereForAI/c4ai-command-r-v01", 35, kNone},
    {"CohereForAI/c4ai-command-r-plus", 104, kNone},
    // --- look-alikes and ambiguity: unknown, never the look-alike ------------------------------------
    {"Qwen/Qwen2.5", kUnknown, kNone},
    {"meta-llama/Llama-3.1", kUnknown, kNone},
    {"acme/foo-v0.3", kUnknown, kNone},
    {"google/t5-v1_1-xxl", kUnknown, kNone},
    {"t5-v1_1", kUnknown, kNone},
    {"acme/foo-4k", kUnknown, kNone},
    {"acme/foo-32k", kUnknown, kNone},
    {"acme/foo-128k", kUnknown, kNone},
    {"mistralai/Mistral-Nemo-Instruct-2407", kUnknown, kNone},
    {"acme/foo-2501", kUnknown, kNone},
    {"acme/foo-bnb-4bit", kUnknown, kNone},
    {"acme/foo-4bit", kUnknown, kNone},
    {"acme/foo-8bit", kUnknown, kNone},
    {"acme/foo-Int4", kUnknown, kNone},
    {"acme/foo-Int8", kUnknown, kNone},
    {"acme/foo-FP8", kUnknown, kNone},
    {"acme/foo-w4a16", kUnknown, kNone},
    {"acme/foo-GPTQ", kUnknown, kNone},
    {"acme/foo-AWQ", kUnknown, kNone},
    {"gpt-3.5-turbo", kUnknown, kNone},
    {"acme/foo-7-turbo", kUnknown, kNone},
    {"gpt-4o", kUnknown, kNone},
    {"microsoft/phi-1", kUnknown, kNone},
    {"whisper-large-v3", kUnknown, kNone},
    {"deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct", kUnknown, kNone},
    {"acme/Foo-8x3B", kUnknown, kNone},         // unknown NxM: no N*M guess
    {"mixtral:8x7b", kUnknown, kNone},
    {"acme/Bar-MoE-A2.7B", kUnknown, kNone},     // active count only
    {"acme/Foo-17B-16E", kUnknown, kNone},       // 17B is active; total unknown
    {"acme/foo-E4B", kUnknown, kNone},           // effective size only
    {"acme/foo-7b-13b", kUnknown, kNone},        // two disagreeing sizes
    {"acme/foo-7b-350m", kUnknown, kNone},
    {"acme/foo-3b-a7b", kUnknown, kNone},        // active larger than total
    {"7b-org/no-size-here", kUnknown, kNone},    // org names never carry sizes
    {"acme/bar", kUnknown, kNone},
    {"", kUnknown, kNone},
    {"   ", kUnknown, kNone},
    // --- local paths: sized by the directory the model was saved in (its hub name) ---------------
    {"./ckpt/llama-7b", 7, kNone},
    {"./gpt2", 0.117, kNone},                                  // the table, by the last component
    {"/models/llama-2-7b", 7, kNone},
    {"~/models/Mistral-7B", 7, kNone},
    {"../out/qwen-7b", 7, kNone},
    {"C:\\models\\llama-7b", 7, kNone},
    {"D:/ckpt/llama-7b", 7, kNone},
    {"outputs/run1/llama-7b", 7, kNone},
    {"/root/models/Qwen/Qwen3-0.6B-Base", 0.6, kNone},        // org/name as saved
    {"./Shanghai_AI_Laboratory/internlm2-chat-1_8b", 1.8, kNone},
    {"./output/checkpoint-500", kUnknown, kNone},              // a checkpoint directory names no model
    {"/data/models/", kUnknown, kNone},
    {"./", kUnknown, kNone},
    // --- model URIs: kubeai's url (hf://, ollama://) and storage locations sized like paths -------
    {"hf://Qwen/Qwen2.5-0.5B-Instruct", 0.5, kNone},
    {"hf://openai-community/gpt2", 0.117, kNone},             // the table, as a hub id
    {"HF://TinyLlama/TinyLlama-1.1B-Chat-v1.0/", 1.1, kNone},
    {"ollama://qwen2:0.5b", 0.5, kNone},
    {"s3://bucket/models/llama-2-7b", 7, kNone},
    {"pvc://model-cache/Qwen/Qwen3-0.6B-Base", 0.6, kNone},
    {"gs://bucket/checkpoint-500", kUnknown, kNone},
    {"https://example.com/models/llama-2-7b", kUnknown, kNone},  // a URL we do not read
    // --- an underscore that may be a separator or a decimal point --------------------------------
    {"torchtune.models.llama3_2.qlora_llama3_2_1b", 1.23, kNone},  // the table
    {"torchtune.models.llama3_1.qlora_llama3_1_8b", 8, kNone},     // not 1.8B
    {"torchtune.models.llama2.qlora_llama2_7b", 7, kNone},         // unambiguous: parsed
    {"torchtune.models.gemma.qlora_gemma_2b", 2, kNone},
    {"acme.qlora_llama3_1_8b", kUnknown, kNone},                  // 1.8B or 8B: unknown
    {"lora_qwen2_5_0_5b", kUnknown, kNone},
    // --- unsloth uploads without a size in the name -------------------------------------------------
    {"unsloth/tinyllama-bnb-4bit", 1.1, kNone},
    {"unsloth/tinyllama-chat-bnb-4bit", 1.1, kNone},
    {"unsloth/Phi-3-mini-4k-instruct-bnb-4bit", 3.8, kNone},
};

}  // namespace

TEST_CASE("resolve_model_size on real-world ids", "[model]") {
  std::size_t count = 0;
  for (const Case& c : kCases) {
    ++count;
    INFO("model id: '" << c.id << "'");
    auto s = resolve_model_size(c.id);
    if (c.total == kUnknown) {
      CHECK_FALSE(s.known);
      CHECK_FALSE(s.active_billions.has_value());
      continue;
    }
    REQUIRE(s.known);
    CHECK(s.total_billions == Approx(c.total).epsilon(1e-9));
    if (c.active == kNone) {
      CHECK_FALSE(s.active_billions.has_value());
    } else {
      REQUIRE(s.active_billions.has_value());
      CHECK(*s.active_billions == Approx(c.active).epsilon(1e-9));
    }
    CHECK_FALSE(s.basis.empty());
  }
  CHECK(count >= 60);
}

TEST_CASE("size_from_name never guesses MoE totals", "[model]") {
  CHECK_FALSE(size_from_name("mistralai/Mixtral-8x7B-v0.1").known);
  CHECK_FALSE(size_from_name("mistralai/Mixtral-8x22B-v0.1").known);
  CHECK_FALSE(size_from_name("Qwen/Qwen1.5-MoE-A2.7B").known);
  CHECK_FALSE(size_from_name("meta-llama/Llama-4-Scout-17B-16E").known);
  CHECK_FALSE(size_from_name("google/gemma-3n-E2B-it").known);

  auto q = size_from_name("Qwen/Qwen3-30B-A3B");
  REQUIRE(q.known);
  CHECK(q.total_billions == Approx(30));
  REQUIRE(q.active_billions);
  CHECK(*q.active_billions == Approx(3));

  auto g = size_from_name("ibm-granite/granite-3.0-3b-a800m");
  REQUIRE(g.known);
  CHECK(g.total_billions == Approx(3));
  REQUIRE(g.active_billions);
  CHECK(*g.active_billions == Approx(0.8));
}

TEST_CASE("size_from_name ignores the table", "[model]") {
  CHECK_FALSE(size_from_name("gpt2").known);  // "gpt2" is not 2B
  CHECK_FALSE(size_from_name("microsoft/phi-1_5").known);  // version, not 1.5B
  auto t5 = size_from_name("t5-3b");
  REQUIRE(t5.known);
  CHECK(t5.total_billions == Approx(3));
  CHECK(t5.basis == "name");
  CHECK(resolve_model_size("t5-3b").total_billions == Approx(2.8));  // the table wins
}

TEST_CASE("basis says where a size came from", "[model]") {
  auto byname = resolve_model_size("meta-llama/Llama-2-7b-chat-hf");
  CHECK(byname.basis == "name");
  auto bytable = resolve_model_size("openai-community/gpt2");
  CHECK(bytable.basis.rfind("table: ", 0) == 0);
  CHECK(bytable.basis.find("pretrained_models.rst") != std::string::npos);
  auto none = resolve_model_size("acme/bar");
  CHECK_FALSE(none.known);
  CHECK(none.basis.empty());
}

TEST_CASE("looks_like_local_path", "[model]") {
  for (const char* p : {"/models/x", "./ckpt", "../ckpt", "~/m", "~", ".", "..", "C:\\models\\x",
                        "d:/x", "E:", "a/b/c", "outputs/run1/", ".\\ckpt", "models\\llama"}) {
    INFO(p);
    CHECK(looks_like_local_path(p));
  }
  for (const char* p : {"gpt2", "openai-community/gpt2", "meta-llama/Llama-2-7b-hf", "llama3.1:8b",
                        "Qwen/Qwen2.5-0.5B-Instruct", ""}) {
    INFO(p);
    CHECK_FALSE(looks_like_local_path(p));
  }
}

TEST_CASE("every row of the embedded size table parses and has a source", "[model]") {
  const auto& table = size_table();
  INFO(table.error);
  REQUIRE(table.error.empty());
  REQUIRE(table.rows.size() >= 40);
  for (const auto& row : table.rows) {
    REQUIRE_FALSE(row.ids.empty());
    INFO("row " << row.ids.front());
    CHECK_FALSE(row.source.empty());
    CHECK(row.total_billions > 0.0);
    if (row.active_billions) {
      CHECK(*row.active_billions > 0.0);
      CHECK(*row.active_billions <= row.total_billions);
    }
    // Every alias resolves to its own row (nothing shadows it), with and without the org.
    for (const auto& id : row.ids) {
      INFO("id " << id);
      auto s = resolve_model_size(id);
      REQUIRE(s.known);
      CHECK(s.total_billions == Approx(row.total_billions));
      CHECK(s.basis == "table: " + row.source);
    }
  }
}

TEST_CASE("the size table covers the ids the linter needs", "[model]") {
  for (const char* id :
       {"gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl", "distilgpt2", "openai-gpt", "phi-1_5", "phi-2",
        "Phi-3-mini-4k-instruct", "Phi-3-mini-128k-instruct", "Phi-3.5-mini-instruct", "t5-small",
        "t5-base", "t5-large", "t5-3b", "t5-11b", "flan-t5-small", "flan-t5-base", "flan-t5-large",
        "flan-t5-xl", "flan-t5-xxl", "bert-base-uncased", "bert-base-cased", "bert-large-uncased",
        "distilbert-base-uncased", "roberta-base", "roberta-large", "distilroberta-base",
        "bigscience/bloom", "Mixtral-8x7B-v0.1", "Mixtral-8x7B-Instruct-v0.1", "Mixtral-8x22B",
        "Mixtral-8x22B-v0.1", "Mixtral-8x22B-Instruct-v0.1", "Qwen3-30B-A3B", "Qwen3-235B-A22B",
        "Qwen1.5-MoE-A2.7B", "DeepSeek-V3", "DeepSeek-R1", "gpt-oss-20b", "gpt-oss-120b",
        "Llama-4-Scout-17B-16E", "Llama-4-Scout-17B-16E-Instruct", "Llama-4-Maverick-17B-128E",
        "Llama-4-Maverick-17B-128E-Instruct", "granite-3.0-3b-a800m", "granite-3.0-1b-a400m",
        "gemma-3n-E2B", "gemma-3n-E2B-it", "gemma-3n-E4B", "gemma-3n-E4B-it", "dbrx-instruct",
        "c4ai-command-r-v01", "c4ai-command-r-plus", "DeepSeek-V2-Lite", "DeepSeek-V2"}) {
    INFO(id);
    auto s = resolve_model_size(id);
    CHECK(s.known);
    CHECK(s.basis.rfind("table: ", 0) == 0);
  }
}

TEST_CASE("a malformed size table is an error, never a crash", "[model]") {
  const char* bad[] = {
      "models: [",                                                              // not YAML
      "rows: []",                                                               // no models:
      "models: {a: 1}",                                                         // not a list
      "models:\n  - ids: [x]\n    total_b: 1\n",                                // no source
      "models:\n  - ids: [x]\n    total_b: 1\n    source: ''\n",                // empty source
      "models:\n  - ids: []\n    total_b: 1\n    source: s\n",                  // no ids
      "models:\n  - ids: x\n    total_b: 1\n    source: s\n",                   // ids not a list
      "models:\n  - ids: [x]\n    total_b: -1\n    source: s\n",                // negative
      "models:\n  - ids: [x]\n    total_b: lots\n    source: s\n",              // not a number
      "models:\n  - ids: [x]\n    source: s\n",                                 // no total
      "models:\n  - ids: [x]\n    total_b: 1\n    active_b: 2\n    source: s\n",  // active > total
      "models:\n  - ids: [x]\n    total_b: 1\n    activ_b: 0.5\n    source: s\n",  // typo'd key
      "models:\n  - ids: [x]\n    total_b: 1\n    source: s\n"
      "  - ids: [org/X]\n    total_b: 2\n    source: s\n",                      // clashing ids
      "models:\n  - 42\n",                                                      // row not a map
  };
  for (const char* text : bad) {
    INFO(text);
    auto t = parse_size_table(text);
    CHECK_FALSE(t.error.empty());
    CHECK(t.rows.empty());
  }
  auto ok = parse_size_table(
      "models:\n  - ids: [a/x, y]\n    total_b: 1.5\n    active_b: 0.5\n    source: s\n    note: n\n");
  INFO(ok.error);
  REQUIRE(ok.error.empty());
  REQUIRE(ok.rows.size() == 1);
  CHECK(ok.rows[0].ids.size() == 2);
  CHECK(ok.rows[0].total_billions == Approx(1.5));
  REQUIRE(ok.rows[0].active_billions);
  CHECK(*ok.rows[0].active_billions == Approx(0.5));
  CHECK(ok.rows[0].note == "n");
}

TEST_CASE("the size table loads once and is safe to use from several threads", "[model]") {
  std::vector<std::thread> threads;
  std::vector<int> ok(8, 0);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([i, &ok] {
      bool good = true;
      for (int k = 0; k < 200; ++k) {
        good = good && resolve_model_size("mistralai/Mixtral-8x7B-v0.1").known;
        good = good && resolve_model_size("Qwen/Qwen2.5-0.5B-Instruct").known;
      }
      ok[static_cast<std::size_t>(i)] = good ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  for (int v : ok) CHECK(v == 1);
  CHECK(&size_table() == &size_table());
}
