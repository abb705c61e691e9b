// The one-pass byte prefilter agrees with a plain search for every word.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "pipeline/lint.hpp"
#include "pipeline/prefilter.hpp"
#include "pipeline/triage.hpp"
#include "yaml/guards.hpp"

using ecolint::WordSet;

TEST_CASE("the prefilter finds each word anywhere and nothing else", "[prefilter]") {
  std::vector<std::string> words = {"load_in_8bit", "load_in_4bit", "generate(", "pipeline", "max-num-seqs",
                                    "bitsandbytes", "x", "th"};
  WordSet set(words);
  for (const auto& w : words) {
    INFO(w);
    CHECK(set.any_in(w));
    CHECK(set.any_in("prefix " + w));
    CHECK(set.any_in(w + " suffix"));
    CHECK(set.any_in("a\n" + w + "\nb"));
  }
  WordSet no_short({"load_in_8bit", "generate("});
  CHECK_FALSE(no_short.any_in(""));
  CHECK_FALSE(no_short.any_in("l"));
  CHECK_FALSE(no_short.any_in("load_in_8bi"));
  CHECK_FALSE(no_short.any_in("oad_in_8bit"));
  CHECK_FALSE(no_short.any_in("generate ("));
  CHECK(no_short.any_in("model.generate(**x)"));
}

TEST_CASE("the prefilter agrees with std::string::find on random text", "[prefilter]") {
  std::vector<std::string> words = {"load_in_8bit", "generate(", "pipeline", "max_num_seqs", "batch_size"};
  WordSet set(words);
  std::mt19937 rng(7);
  const std::string alphabet = "abcdeilnoprstuxz_(8 \n";
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    std::size_t len = rng() % 200;
    for (std::size_t i = 0; i < len; ++i) text += alphabet[rng() % alphabet.size()];
    if (rng() % 4 == 0) text.insert(rng() % (text.size() + 1), words[rng() % words.size()]);
    bool expected = false;
    for (const auto& w : words) expected = expected || text.find(w) != std::string::npos;
    INFO(text);
    REQUIRE(set.any_in(text) == expected);
  }
}

TEST_CASE("a conditional trigger needs its word and one of its others", "[prefilter]") {
  using ecolint::Prefilter;
  Prefilter p(std::vector<ecolint::Trigger>{{"load_in_8bit", {}}, {"pipeline", {"batch_size", "generation"}}});
  CHECK(p.matches("x(load_in_8bit=True)"));
  CHECK_FALSE(p.matches("pipeline = make()"));
  CHECK_FALSE(p.matches("batch_size = 1; generation = 2"));
  CHECK(p.matches("p = pipeline('text-generation')"));
  CHECK(p.matches("batch_size=1\np = pipeline(x)"));
  CHECK_FALSE(p.matches("pipelin batch_size"));
  Prefilter plain(std::vector<ecolint::Trigger>{{"load_in_8bit", {}}, {"generate(", {}}});
  CHECK(plain.matches("m.generate(x)"));
  CHECK_FALSE(plain.matches("m.generate (x)"));
}

TEST_CASE("every scan level agrees with std::string::find, at block edges too", "[prefilter]") {
  std::vector<std::string> words = {"load_in_8bit", "generate(", "pipeline", "max_num_seqs", "batch_size", "ab", "q"};
  WordSet set(words, {"ecolint:"});
  std::mt19937 rng(11);
  const std::string alphabet = "abcdeilnoprstuxz_(8q: \n";
  for (int level : {0, 1, 2}) {
    WordSet::force_level_for_tests(level);
    for (int round = 0; round < 3000; ++round) {
      std::string text;
      std::size_t len = rng() % (round % 3 == 0 ? 100 : 700);
      for (std::size_t i = 0; i < len; ++i) text += alphabet[rng() % alphabet.size()];
      // Words planted anywhere, including where they end exactly at the last byte.
      if (rng() % 3 == 0) {
        const std::string& w = words[rng() % words.size()];
        std::size_t at = rng() % 2 ? rng() % (text.size() + 1) : text.size();
        text.insert(at, w);
      }
      if (rng() % 5 == 0) text.insert(rng() % (text.size() + 1), "ecolint:");
      // Strip the one-byte word most of the time, so the others are actually searched for.
      if (rng() % 4 != 0) text.erase(std::remove(text.begin(), text.end(), 'q'), text.end());
      bool trigger = false;
      for (const auto& w : words) trigger = trigger || text.find(w) != std::string::npos;
      bool marker = text.find("ecolint:") != std::string::npos;
      INFO("level " << level << ": " << text);
      unsigned found = set.scan(text);
      REQUIRE(((found & 1u) != 0) == trigger);
      if (!trigger) REQUIRE(((found & 2u) != 0) == marker);
    }
  }
  WordSet::force_level_for_tests(-1);
}

TEST_CASE("every scan level agrees with std::string::find for words of 3 bytes or more", "[prefilter]") {
  // Words of 4 bytes or more take 4-byte fingerprints on AVX2, a set with a 3-byte word 3-byte
  // ones; words sharing fingerprints, planted at block edges, at the end, overlapping.
  const std::vector<std::vector<std::string>> sets = {
      {"load_in_8bit", ".generate(", "pipeline", "max_num_seqs", "batch_size", "max_batch_size", "bits", "method",
       "adapter", "quantize", "quantization", "q_lora", "QUANTIZE", "maxBatchSize"},
      {"tok", "llm", "bnb", "processor", "serve", "translation"}};
  std::mt19937 rng(23);
  const std::string alphabet = "abdeiklmnopqrstuvz_.(8 \nQUANTIZEB";
  for (const auto& words : sets) {
    WordSet set(words, {"ecolint:"});
    for (int level : {0, 1, 2}) {
      WordSet::force_level_for_tests(level);
      for (int round = 0; round < 3000; ++round) {
        std::string text;
        std::size_t len = rng() % (round % 3 == 0 ? 70 : 500);
        for (std::size_t i = 0; i < len; ++i) text += alphabet[rng() % alphabet.size()];
        if (rng() % 3 == 0) {
          const std::string& w = words[rng() % words.size()];
          std::size_t at = rng() % 2 ? rng() % (text.size() + 1) : text.size();
          text.insert(at, w);
        }
        if (rng() % 5 == 0) text.insert(rng() % (text.size() + 1), "ecolint:");
        bool trigger = false;
        for (const auto& w : words) trigger = trigger || text.find(w) != std::string::npos;
        bool marker = text.find("ecolint:") != std::string::npos;
        INFO("level " << level << ": " << text);
        unsigned found = set.scan(text);
        REQUIRE(((found & 1u) != 0) == trigger);
        if (!trigger) REQUIRE(((found & 2u) != 0) == marker);
      }
    }
  }
  WordSet::force_level_for_tests(-1);
}

TEST_CASE("the marker is reported when a first word lacks its condition", "[prefilter]") {
  ecolint::Prefilter p(std::vector<ecolint::Trigger>{{"pipeline", {"generation"}}}, "ecolint:");
  auto r = p.check("pipeline = 1  # ecolint: ignore[ECO003] x");
  CHECK_FALSE(r.candidate);
  CHECK(r.marker);
  CHECK_FALSE(p.check("pipeline = 1").marker);
  CHECK(p.check("pipeline('text-generation')  # ecolint: ignore[ECO003] x").candidate);
}

TEST_CASE("the prefilter agrees with a trigger-by-trigger reference (shared and mixed words)", "[prefilter]") {
  // A word several rules share with different conditions, one both plain and conditional, and
  // conditions that are themselves first words elsewhere.
  const std::vector<ecolint::Trigger> triggers{
      {"quantize", {"bitsandbytes", "bnb.int8"}}, {"quantize", {"bnb.nf4"}}, {"bits", {"bitsandbytes"}},
      {"pipeline", {"generation", "batch_size"}}, {"batch_size", {"pipeline", "from_pretrained"}},
      {"generate(", {}},                          {"method", {"bnb"}},         {"method", {}}};
  ecolint::Prefilter p(triggers, "ecolint:");
  auto reference = [&](const std::string& text) {
    for (const auto& t : triggers) {
      if (text.find(t.word) == std::string::npos) continue;
      if (t.and_any_of.empty()) return true;
      for (const auto& w : t.and_any_of)
        if (text.find(w) != std::string::npos) return true;
    }
    return false;
  };
  const std::vector<std::string> pieces{"quantize", "bitsandbytes", "bnb.int8", "bnb.nf4", "bits", "pipeline",
                                        "generation", "batch_size", "from_pretrained", "generate(", "method",
                                        "bnb", "ecolint:", "x = 1\n", " ", "quant", "gener", "meth"};
  uint32_t state = 12345;
  auto next = [&]() { return state = state * 1664525u + 1013904223u; };
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    for (int k = static_cast<int>(next() % 5); k > 0; --k) text += pieces[next() % pieces.size()] + " ";
    CHECK(p.matches(text) == reference(text));
  }
}

TEST_CASE("a value-shaped trigger needs its value written as a whole number just after the word", "[prefilter]") {
  using ecolint::Prefilter;
  using ecolint::value_written_near;
  Prefilter p(std::vector<ecolint::Trigger>{{"max_num_seqs", {}, "1"}, {"max-num-seqs", {}, "1"},
                                            {"MAX_BATCH_SIZE", {}, "1"}, {"batch_size", {"pipeline"}, "1"}});
  // The ways a cap of 1 is written next to its setting.
  for (const char* yes : {"LLM(model=m, max_num_seqs=1)", "vllm serve m --max-num-seqs 1", "--max-num-seqs=1 --x 2",
                          "max_num_seqs: 1\n", "{\"max_num_seqs\": \"1\"}", "max_num_seqs = 1.0\n",
                          "args:\n  - --max-num-seqs\n  - \"1\"\n", "- name: MAX_BATCH_SIZE\n          value: \"1\"\n",
                          "MAX_BATCH_SIZE=1\n", "p.add_argument('--max-num-seqs', type=int, default=1)",
                          "pipe = pipeline('text-generation', batch_size=1)"}) {
    INFO(yes);
    CHECK(p.matches(yes));
  }
  // Other values, a 1 inside another number or name, a 1 too far away, a condition missing.
  for (const char* no : {"LLM(model=m, max_num_seqs=16)", "--max-num-seqs 128", "max_num_seqs: 0.1", "max_num_seqs: v1",
                         "max_num_seqs: 1e3", "max_num_seqs: 10", "max_num_seqs = args.n\n# ............................................................. 1",
                         "n = 1\nLLM(max_num_seqs=n)", "batch_size=1", "MAX_BATCH_SIZE=${N:-8}  # 1x"}) {
    INFO(no);
    CHECK_FALSE(p.matches(no));
  }
  // Any occurrence of the word may be the one with the value.
  CHECK(p.matches("max_num_seqs = n\nLLM(max_num_seqs=1)"));
  CHECK(value_written_near("=1", 0, "1"));
  CHECK_FALSE(value_written_near("=1", 2, "1"));
  CHECK(value_written_near(std::string(ecolint::kValueReach - 1, ' ') + "1", 0, "1"));
  CHECK_FALSE(value_written_near(std::string(ecolint::kValueReach, ' ') + "1", 0, "1"));
  // A word some trigger needs no value for is decided without one.
  Prefilter mixed(std::vector<ecolint::Trigger>{{"max_num_seqs", {}, "1"}, {"max_num_seqs", {}, ""}});
  CHECK(mixed.matches("max_num_seqs=16"));
}

TEST_CASE("a bare setting name takes its value only past separators; a quoted one anywhere within reach", "[prefilter]") {
  using ecolint::Prefilter;
  Prefilter p(std::vector<ecolint::Trigger>{{"batch_size", {"pipeline"}, "1", true}, {"max-num-seqs", {}, "1", true}});
  // Tensor shapes and other arguments after a bare name are not its value.
  CHECK_FALSE(p.matches("pipeline\nx = torch.zeros(batch_size, 1, dim)"));
  CHECK_FALSE(p.matches("pipeline\nbatch_size * 1"));
  CHECK_FALSE(p.matches("pipeline\nif batch_size == 1 or training:"));
  CHECK(p.matches("pipeline\ndef run(batch_size: int = 1):"));
  CHECK_FALSE(p.matches("pipeline\ndef run(batch_size: integer = 1):"));
  CHECK(p.matches("pipeline\nbatch_size = 1"));
  CHECK(p.matches("pipeline\nbatch_size: 1"));
  // Quoted: a JSON value, a list item, an argparse option over several lines.
  CHECK(p.matches("pipeline\n{\"batch_size\": 1}"));
  CHECK(p.matches("cmd = [\"vllm\", \"serve\", m, \"--max-num-seqs\", \"1\"]"));
  CHECK(p.matches("parser.add_argument(\n    \"--max-num-seqs\",\n    type=int,\n    default=1,\n)"));
  // A YAML list's next item, a shell line continued, a notebook's JSON-escaped line break.
  CHECK(p.matches("args:\n  - --max-num-seqs\n  - 1\n"));
  CHECK(p.matches("vllm serve m --max-num-seqs \\\n  1"));
  CHECK(p.matches("\"!vllm serve m --max-num-seqs\\n1\""));
}

TEST_CASE("a whole-word trigger is not found inside a longer name", "[prefilter]") {
  using ecolint::Prefilter;
  Prefilter p(std::vector<ecolint::Trigger>{{"q_lora", {}, "", true},
                                            {"batch_size", {"pipeline"}, "1", true},
                                            {"generate(", {}, "", false}});
  for (const char* no : {"self.q_lora_rank = config.q_lora_rank", "use_q_lora = True", "Q_LORA",
                         "pipeline\nper_device_train_batch_size=1", "pipeline\nbatch_sizes = 1"}) {
    INFO(no);
    CHECK_FALSE(p.matches(no));
  }
  for (const char* yes : {"--q_lora True", "q_lora: true", "\"q_lora\"", "x.q_lora", "pipeline\nbatch_size=1",
                          "[\"--q_lora\\nTrue\"]", "\"source\": [\"\\nq_lora = True\"]", "model.generate(x)",
                          "self.regenerate(x)"}) {
    INFO(yes);
    CHECK(p.matches(yes));
  }
  // The same word wanted whole by one trigger and anywhere by another is found anywhere.
  Prefilter mixed(std::vector<ecolint::Trigger>{{"q_lora", {}, "", true}, {"q_lora", {}, "", false}});
  CHECK(mixed.matches("q_lora_rank"));
  // The SIMD scan and the portable one agree on word edges.
  for (int level : {0, 1, 2}) {
    ecolint::WordSet::force_level_for_tests(level);
    ecolint::WordSet set({"q_lora", "load_in_8bit"}, {}, {"q_lora", "load_in_8bit"});
    std::string pad(40, ' ');
    CHECK_FALSE(set.any_in(pad + "q_lora_rank" + pad));
    CHECK_FALSE(set.any_in(pad + "xload_in_8bit" + pad));
    CHECK(set.any_in(pad + "x q_lora" + pad));
    CHECK(set.any_in("q_lora"));
    CHECK_FALSE(set.any_in("q_lora_"));
  }
  ecolint::WordSet::force_level_for_tests(-1);
}

TEST_CASE("the shipped rules' triggers: ECO003's pipeline needs a generation task written", "[prefilter]") {
  ecolint::LintOptions options = ecolint::LintOptions::all_rules();
  const ecolint::Prefilter& p = ecolint::pipeline::prefilter_for(options);
  CHECK(p.matches("from transformers import pipeline\npipe = pipeline(\"text-generation\", model=m)\n"));
  CHECK(p.matches("import transformers\np = transformers.pipeline(task=\"text2text-generation\")\n"));
  CHECK(p.matches("from transformers import pipeline\ns = pipeline(\"summarization\")\n"));
  // generation_config is not a task; a longer name holding `pipeline` is not the factory.
  CHECK_FALSE(p.matches("from transformers import pipeline\ncfg = model.generation_config\n"));
  CHECK_FALSE(p.matches("from diffusers import StableDiffusionPipeline\nmake_pipeline_x(\"text-generation\")\n"));
  // batch_size is a pipeline's keyword only: beside from_pretrained alone it is no cap.
  CHECK_FALSE(p.matches("m = AutoModelForCausalLM.from_pretrained(name, batch_size=1)\n"));
  CHECK(p.matches("from transformers import pipeline\np = pipeline(\"fill-mask\", batch_size=1)\n"));
}

TEST_CASE("the shipped rules' triggers: a flag's `_` form counts with the flag; Ray Serve's keyword with serve",
          "[prefilter]") {
  ecolint::LintOptions options = ecolint::LintOptions::all_rules();
  const ecolint::Prefilter& p = ecolint::pipeline::prefilter_for(options);
  // TGI reads --max-batch-size and MAX_BATCH_SIZE only; `max_batch_size` is a variable handing the
  // flag its value, so it counts where the flag (or its variable) is written too.
  CHECK(p.matches("args: [\"--max-batch-size\", \"1\"]\n", false));
  CHECK(p.matches("max_batch_size=1\ntext-generation-launcher --max-batch-size $max_batch_size\n", false));
  CHECK(p.matches("env:\n  MAX_BATCH_SIZE: \"1\"\n", false));
  CHECK_FALSE(p.matches("build_config = dict(max_batch_size=1, max_input_len=512)\n"));
  CHECK_FALSE(p.matches("engine = Builder(max_concurrent_requests=1)\n"));
  CHECK(p.matches("max_concurrent_requests = 1\ncmd = ['text-generation-launcher', '--max-concurrent-requests',\n"
                  "       str(max_concurrent_requests)]\n"));
  // Ray Serve's keyword: serve (a whole name, in code) is written wherever serve.batch is called.
  CHECK(p.matches("from ray import serve\n@serve.batch(max_batch_size=1)\nasync def f(xs): ...\n"));
  CHECK(p.matches("from ray.serve import batch\n@batch(max_batch_size=1)\nasync def f(xs): ...\n"));
  CHECK(p.matches("import ray\n@ray.serve.batch(max_batch_size=1)\nasync def f(xs): ...\n"));
  CHECK_FALSE(p.matches("from tritonserver import x\nconfig = dict(max_batch_size=1)\n"));
  CHECK_FALSE(p.matches("# served by ray serve\nconfig = dict(max_batch_size=1)\n"));
  // vLLM and SGLang take `_` and `-` alike: both forms count alone.
  CHECK(p.matches("llm = LLM(model=m, max_num_seqs=1)\n"));
  CHECK(p.matches("args: [\"--max_num_seqs\", \"1\"]\n", false));
  CHECK(p.matches("engine = sgl.Engine(model_path=m, max_running_requests=1)\n"));
}

TEST_CASE("the shipped rules' triggers fit the SIMD scans", "[prefilter]") {
  ecolint::LintOptions options = ecolint::LintOptions::all_rules();
  CHECK(ecolint::pipeline::prefilter_for(options).simd_sized());
}

TEST_CASE("a set of single words reports each word it finds; a stop word ends the scan", "[prefilter]") {
  for (int level : {0, 1, 2}) {
    ecolint::WordSet::force_level_for_tests(level);
    ecolint::WordSet set = ecolint::WordSet::each({"bits", "llm", "q", "bnb"}, {"load_in_8bit"}, {"load_in_8bit"});
    std::string pad(100, ' ');
    CHECK(set.scan_bits(pad + "bits = 4" + pad + "llm" + pad) == 0b0011u);
    CHECK(set.scan_bits(pad + "xqx bnb" + pad) == 0b1100u);
    CHECK(set.scan_bits(pad + "orbits" + pad) == 0b0001u);  // words of this set are found anywhere
    CHECK(set.scan_bits(pad) == 0u);
    uint64_t stop = uint64_t{1} << ecolint::WordSet::kMaxEach;
    CHECK((set.scan_bits(pad + "load_in_8bit" + pad) & stop) != 0);
    CHECK((set.scan_bits(pad + "xload_in_8bit" + pad) & stop) == 0);  // a stop word here is whole
  }
  ecolint::WordSet::force_level_for_tests(-1);
}

TEST_CASE("a set of single words reports every word it holds at every scan level (found words are dropped)",
          "[prefilter]") {
  // Each found word's anchor leaves the block loop once all of its words are found: words that
  // share an anchor (max_batch_size, batch_size), repeated words, words across block edges and at
  // the text's end must all still be reported, and a stop word still end the scan.
  const std::vector<std::string> words = {"batch_size", "max_batch_size", "tok", "llm", "serve", "processor",
                                          "pipeline", "bits", "method", "adapter", ".generate("};
  ecolint::WordSet set = ecolint::WordSet::each(words, {"load_in_8bit"}, {});
  const uint64_t stop = uint64_t{1} << ecolint::WordSet::kMaxEach;
  std::mt19937 rng(7);
  const std::string alphabet = "abcdeiklmnoprstuvz_.( \n";
  for (int level : {0, 1, 2}) {
    ecolint::WordSet::force_level_for_tests(level);
    for (int round = 0; round < 3000; ++round) {
      std::string text;
      std::size_t len = rng() % (round % 2 ? 90 : 600);
      for (std::size_t i = 0; i < len; ++i) text += alphabet[rng() % alphabet.size()];
      for (int k = static_cast<int>(rng() % 6); k > 0; --k) {
        const std::string& w = words[rng() % words.size()];
        std::size_t at = rng() % 4 ? rng() % (text.size() + 1) : text.size();
        text.insert(at, w);
      }
      bool stops = rng() % 8 == 0;
      if (stops) text.insert(rng() % (text.size() + 1), "load_in_8bit");
      uint64_t want = 0;
      for (std::size_t i = 0; i < words.size(); ++i)
        if (text.find(words[i]) != std::string::npos) want |= uint64_t{1} << i;
      INFO("level " << level << ": " << text);
      uint64_t got = set.scan_bits(text);
      if (stops) {
        REQUIRE((got & stop) != 0);
        REQUIRE((got & ~stop & ~want) == 0);  // what it reports before stopping is there
      } else {
        REQUIRE(got == want);
      }
    }
  }
  ecolint::WordSet::force_level_for_tests(-1);
}

TEST_CASE("more conditional words than one scan can tell apart: the rest are still checked", "[prefilter]") {
  std::vector<ecolint::Trigger> triggers;
  for (int i = 0; i < 80; ++i) triggers.push_back({"word" + std::to_string(i) + "x", {"cond" + std::to_string(i) + "y"}});
  ecolint::Prefilter p(triggers);
  for (int i : {0, 31, 62, 63, 70, 79}) {
    std::string w = "word" + std::to_string(i) + "x", c = "cond" + std::to_string(i) + "y";
    INFO(w);
    CHECK(p.matches(w + " " + c));
    CHECK_FALSE(p.matches(w + " cond" + std::to_string((i + 1) % 80) + "z"));
    CHECK_FALSE(p.matches(c));
  }
}

namespace {
// Whether the `n`th occurrence (from 0) of `needle` in `text` lies on a line lines_in_loops keeps.
bool in_loop_at(const std::string& text, const std::string& needle, int n = 0) {
  std::size_t at = text.find(needle);
  for (; n > 0 && at != std::string::npos; --n) at = text.find(needle, at + 1);
  REQUIRE(at != std::string::npos);
  auto ranges = ecolint::lines_in_loops(text);
  REQUIRE(ranges.has_value());
  for (const auto& [b, e] : *ranges)
    if (b <= at && at < e) return true;
  return false;
}
}  // namespace

TEST_CASE("lines in loops: bodies of for and while, comprehensions, within the same function", "[prefilter]") {
  std::string body = "for p in prompts:\n    x = tok(p)\n    out = model.generate(**x)\nprint(model.generate(y))\n";
  CHECK(in_loop_at(body, "generate"));
  CHECK_FALSE(in_loop_at(body, "generate", 1));  // after the loop
  CHECK(in_loop_at("while q:\n    if a:\n        m.generate(q.pop())\n", "generate"));
  CHECK(in_loop_at("async def f():\n    async for p in s:\n        await m.generate(p)\n", "generate"));
  CHECK(in_loop_at("for p in ps: m.generate(p)\n", "generate"));  // a one-line loop
  CHECK(in_loop_at("outs = [\n    m.generate(**tok(p))\n    for p in prompts\n]\n", "generate"));
  CHECK_FALSE(in_loop_at("info = {'format': x}\nm.generate(info)\n", "generate"));  // `format` is no `for`
  // A function defined in a loop runs where it is called: not in the loop.
  CHECK_FALSE(in_loop_at("for i in r:\n    def g(p):\n        return m.generate(p)\n", "generate"));
  // for ... else: the else block runs once.
  CHECK_FALSE(in_loop_at("for p in ps:\n    pass\nelse:\n    m.generate(q)\n", "generate"));
  // A comment or a string at another indentation ends no block; a string's `for` is no loop.
  CHECK(in_loop_at("for p in ps:\n# note\n    s = \"\"\"\nfor x\n\"\"\"\n    m.generate(p)\n", "generate"));
  CHECK_FALSE(in_loop_at("s = '''\nfor p in ps:\n    m.generate(p)\n'''\n", "generate"));
  CHECK(in_loop_at("for p in ps \\\n        if p else []:\n    m.generate(p)\n", "generate"));
  CHECK(in_loop_at("for p in ps:\r\n    m.generate(p)\r\n", "generate"));
  CHECK(in_loop_at("def f():\n\tfor p in ps:\n\t\tm.generate(p)\n\treturn m.generate(q)\n", "generate"));
  CHECK_FALSE(in_loop_at("def f():\n\tfor p in ps:\n\t\tm.generate(p)\n\treturn m.generate(q)\n", "generate", 1));
  // Lines that cannot be told apart: no answer (the caller then counts every occurrence).
  CHECK_FALSE(ecolint::lines_in_loops("s = 'unterminated\nm.generate(p)\n").has_value());
  CHECK_FALSE(ecolint::lines_in_loops("x = (\nm.generate(p)\n").has_value());
}

TEST_CASE("a word wanted in a loop counts only there in Python, anywhere in other text", "[prefilter]") {
  ecolint::Prefilter p(std::vector<ecolint::Trigger>{{"generate(", {}, "", false, true}, {"load_in_8bit", {}}});
  CHECK(p.matches("for p in ps:\n    m.generate(p)\n"));
  CHECK_FALSE(p.matches("out = m.generate(p)\n"));
  CHECK(p.matches("out = m.generate(p)\nload_in_8bit = True\n"));
  CHECK(p.matches("x = (\nm.generate(p)\n"));  // unclosed bracket: counted
  CHECK(p.matches("{\"source\": [\"out = m.generate(p)\"]}", false));
  CHECK_FALSE(p.matches("{\"source\": [\"out = m.generate(p)\"]}", true));
  // The same word needed anywhere by another trigger: anywhere.
  ecolint::Prefilter mixed(std::vector<ecolint::Trigger>{{"generate(", {}, "", false, true}, {"generate(", {}}});
  CHECK(mixed.matches("out = m.generate(p)\n"));
}

namespace {
// Whether the `n`th occurrence (from 0) of `needle` in `text` is code for python_non_code.
bool code_at(const std::string& text, const std::string& needle, int n = 0) {
  std::size_t at = text.find(needle);
  for (int i = 0; i < n && at != std::string::npos; ++i) at = text.find(needle, at + 1);
  REQUIRE(at != std::string::npos);
  auto ranges = ecolint::python_non_code(text);
  REQUIRE(ranges.has_value());
  for (const auto& [b, e] : *ranges)
    if (at >= b && at < e) return false;
  return true;
}
}  // namespace

TEST_CASE("python_non_code tells strings and comments from code", "[prefilter]") {
  CHECK(code_at("from transformers import pipeline\n", "pipeline"));
  CHECK_FALSE(code_at("# build a pipeline\nx = 1\n", "pipeline"));
  CHECK_FALSE(code_at("x = 'pipeline'\n", "pipeline"));
  CHECK_FALSE(code_at("x = \"a # pipeline\"\n", "pipeline"));
  CHECK(code_at("x = \"a # b\"; pipeline(y)\n", "pipeline"));  // a # inside a string starts no comment
  CHECK_FALSE(code_at("def f():\n    \"\"\"Runs the\n    pipeline.\"\"\"\n", "pipeline"));
  CHECK(code_at("def f():\n    \"\"\"Doc \"quoted\" here.\"\"\"\n    return pipeline(x)\n", "pipeline"));
  CHECK_FALSE(code_at("s = r'C:\\\\pipeline\\\\'\n", "pipeline"));
  CHECK_FALSE(code_at("s = b'pipeline'\n", "pipeline"));
  CHECK_FALSE(code_at("s = 'it\\'s a pipeline'\n", "pipeline"));
  CHECK(code_at("s = f'{pipeline(x)}'\n", "pipeline"));   // an f-string's braces are code
  CHECK(code_at("s = rf\"{pipeline}\"\n", "pipeline"));
  CHECK_FALSE(code_at("s = 'x' # pipeline\n", "pipeline"));
  CHECK(code_at("a = '''x''' + \\\n  pipeline\n", "pipeline"));
  CHECK_FALSE(code_at("a = 'x'\r# pipeline\rb = 1\r", "pipeline"));
  // An unterminated string: no answer.
  CHECK_FALSE(ecolint::python_non_code("s = 'open\npipeline\n").has_value());
  CHECK_FALSE(ecolint::python_non_code("s = '''open\npipeline\n").has_value());
}

TEST_CASE("code triggers count in Python's code only, anywhere in other text", "[prefilter]") {
  ecolint::Trigger word{"pipeline", {"text-generation"}, "", true, false, true};
  CHECK(ecolint::trigger_holds("p = pipeline('text-generation')\n", word));
  CHECK_FALSE(ecolint::trigger_holds("# a pipeline for 'text-generation'\nx = 1\n", word));
  CHECK_FALSE(ecolint::trigger_holds("\"\"\"pipeline\"\"\"\nt = 'text-generation'\n", word));
  CHECK(ecolint::trigger_holds("# a pipeline for 'text-generation'\nx = 1\n", word, false));  // not Python
  CHECK(ecolint::trigger_holds("s = 'open\n# pipeline text-generation\n", word));  // strings not told apart
  ecolint::Trigger conditions{"batch_size", {"pipeline"}, "1", true, false, false, true};
  CHECK(ecolint::trigger_holds("from transformers import pipeline\np = pipeline(t, batch_size=1)\n", conditions));
  CHECK_FALSE(ecolint::trigger_holds("# the data pipeline\nbatch_size = 1\n", conditions));
  CHECK_FALSE(ecolint::trigger_holds("make_pipeline(x)\nbatch_size = 1\n", conditions));  // whole names
  CHECK(ecolint::trigger_holds("# the data pipeline\nbatch_size = 1\n", conditions, false));
  // Through the Prefilter; a trigger of the same word whose conditions are not code wins.
  CHECK_FALSE(ecolint::Prefilter(std::vector<ecolint::Trigger>{conditions}).matches("'pipeline'\nbatch_size = 1\n"));
  ecolint::Trigger plain{"batch_size", {"pipeline"}, "1", true};
  CHECK(ecolint::Prefilter(std::vector<ecolint::Trigger>{conditions, plain}).matches("'pipeline'\nbatch_size = 1\n"));
  CHECK_FALSE(ecolint::Prefilter(std::vector<ecolint::Trigger>{word}).matches("# pipeline text-generation\n"));
  CHECK(ecolint::Prefilter(std::vector<ecolint::Trigger>{word}).matches("# pipeline text-generation\n", false));
}

TEST_CASE("the shipped rules' call triggers: names in docstrings and comments call nothing", "[prefilter]") {
  ecolint::LintOptions options = ecolint::LintOptions::all_rules();
  const ecolint::Prefilter& p = ecolint::pipeline::prefilter_for(options);
  CHECK_FALSE(p.matches("def f(batch_size=1):\n    \"\"\"Feeds the pipeline.\"\"\"\n"));
  CHECK(p.matches("from transformers import pipeline\ndef f(batch_size=1):\n    return pipeline('fill-mask')\n"));
  CHECK_FALSE(p.matches("# see pipeline('text-generation') in the docs\nx = 1\n"));
  CHECK_FALSE(p.matches("for p in prompts:\n    # model.generate(p) was slow\n    pass\n"));
  CHECK(p.matches("for p in prompts:\n    out = model.generate(p)\n"));
  // The generate() checks read method calls: a function of that name, or another method, is none.
  CHECK_FALSE(p.matches("for p in prompts:\n    out = self._generate(p)\n"));
  CHECK_FALSE(p.matches("for p in prompts:\n    out = generate(model, p)\n"));
}

namespace {
// Whether the `n`th occurrence (from 0) of `needle` in `text` is inside a string for python_strings.
bool string_at(const std::string& text, const std::string& needle, int n = 0) {
  std::size_t at = text.find(needle);
  for (int i = 0; i < n && at != std::string::npos; ++i) at = text.find(needle, at + 1);
  REQUIRE(at != std::string::npos);
  auto ranges = ecolint::python_strings(text);
  REQUIRE(ranges.has_value());
  for (const auto& [b, e] : *ranges)
    if (at >= b && at < e) return true;
  return false;
}
}  // namespace

TEST_CASE("python_strings finds string literals, f-strings included, and no comments", "[prefilter]") {
  CHECK(string_at("m = {'model_type': 'llm'}\n", "llm"));
  CHECK(string_at("m = \"\"\"a\nllm\"\"\"\n", "llm"));
  CHECK(string_at("m = f'{x}-llm'\n", "llm"));  // an f-string is a string here
  CHECK(string_at("m = rb'llm'\n", "llm"));
  CHECK_FALSE(string_at("llm = model.llm\n", "llm"));
  CHECK_FALSE(string_at("x = 1  # llm\n", "llm"));
  CHECK_FALSE(string_at("x = '#'; llm = 1\n", "llm"));  // a # in a string starts no comment
  CHECK_FALSE(string_at("x = 'a' # 'llm'\n", "llm"));    // nor does a quote in a comment start a string
  CHECK_FALSE(ecolint::python_strings("s = 'open\nllm\n").has_value());
}

TEST_CASE("value conditions count inside Python strings only, anywhere in other text", "[prefilter]") {
  ecolint::Trigger bits{"bits", {"llm"}, "", true, false, false, false, true, true};
  CHECK(ecolint::trigger_holds("cfg = {'model_type': 'llm', 'quantization': {'bits': 4}}\n", bits));
  CHECK(ecolint::trigger_holds("cfg = dict(bits=4, model_type=\"llm\")\n", bits));
  CHECK_FALSE(ecolint::trigger_holds("q(x, bits=8)\nllm = self.llm\n", bits));
  CHECK_FALSE(ecolint::trigger_holds("q(x, bits=8)  # the llm\n", bits));
  CHECK_FALSE(ecolint::trigger_holds("q(x, bits=8)\ngetattr(self, '_llm')\n", bits));  // whole words
  CHECK(ecolint::trigger_holds("q(x, bits=8)\nllm = self.llm\n", bits, false));          // not Python
  CHECK(ecolint::trigger_holds("q(x, bits=8)\ns = 'open\nllm = 1\n", bits));  // strings not told apart
  // Through the Prefilter; a trigger of the same word whose conditions count anywhere wins.
  CHECK_FALSE(ecolint::Prefilter(std::vector<ecolint::Trigger>{bits}).matches("q(bits=8)\nllm.run()\n"));
  ecolint::Trigger plain{"bits", {"llm"}, "", true};
  CHECK(ecolint::Prefilter(std::vector<ecolint::Trigger>{bits, plain}).matches("q(bits=8)\nllm.run()\n"));
  // The shipped rules: Ludwig's bits beside model_type llm, ms-swift's quant_bits beside bnb.
  ecolint::LintOptions options = ecolint::LintOptions::all_rules();
  const ecolint::Prefilter& p = ecolint::pipeline::prefilter_for(options);
  CHECK_FALSE(p.matches("from kernels import bnb\nw = bnb.pack(x, quant_bits=4)\n"));
  CHECK_FALSE(p.matches("def q(x, bits):\n    return x\nq(model.llm, bits=8)\n"));
  CHECK(p.matches("run(['swift', 'sft', '--quant_method', 'bnb', '--quant_bits', '4'])\n"));
  CHECK(p.matches("config = {'model_type': 'llm', 'quantization': {'bits': 4}}\n"));
  CHECK(p.matches("from kernels import bnb\nw = bnb.pack(x, quant_bits=4)\n", false));  // not Python: anywhere
}

TEST_CASE("whole conditions count only as whole words, in any text", "[prefilter]") {
  ecolint::Trigger t{"quant_bits", {"bnb"}, "", true, false, false, false, false, true};
  CHECK(ecolint::trigger_holds("--quant_bits 4 --quant_method bnb\n", t, false));
  CHECK_FALSE(ecolint::trigger_holds("--quant_bits 4 --quant_method bnb_x\n", t, false));
  CHECK(ecolint::trigger_holds("quant_bits: 4\nquant_method: \"bnb\"\n", t, false));
  // Strings without whole words: a pipeline's task is a value, `-generation` a part of it.
  ecolint::Trigger task{"pipeline", {"-generation", "translation"}, "", true, false, true, false, true};
  CHECK(ecolint::trigger_holds("p = pipeline('text-generation')\n", task));
  CHECK(ecolint::trigger_holds("p = pipeline(task='translation_en_to_fr')\n", task));
  CHECK_FALSE(ecolint::trigger_holds("p = pipeline(t)\nc = model.generation_config  # text-generation\n", task));
  CHECK_FALSE(ecolint::trigger_holds("p = pipeline(t)\nx = run_text-generation\n", task));  // code
}

TEST_CASE("the shipped rules' triggers: a pipeline's task counts inside strings only", "[prefilter]") {
  ecolint::LintOptions options = ecolint::LintOptions::all_rules();
  const ecolint::Prefilter& p = ecolint::pipeline::prefilter_for(options);
  CHECK(p.matches("from transformers import pipeline\ngen = pipeline('text-generation')\n"));
  CHECK(p.matches("from transformers import pipeline\nTASK = \"translation_en_to_de\"\ngen = pipeline(TASK)\n"));
  CHECK_FALSE(p.matches("from transformers import pipeline\n# a text-generation pipeline\ngen = pipeline(task)\n"));
}

TEST_CASE("a value searched for alone counts in Python only inside a string", "[prefilter]") {
  ecolint::LintOptions options = ecolint::LintOptions::all_rules();
  const ecolint::Prefilter& p = ecolint::pipeline::prefilter_for(options);
  CHECK_FALSE(p.matches("import bitsandbytes as bnb\nlayer = bnb.nn.Linear8bitLt(4, 4)\n"));
  CHECK(p.matches("subprocess.run(['vllm', 'serve', m, '-q', 'bitsandbytes'])\n"));
  CHECK(p.matches("import bitsandbytes as bnb\nlayer = bnb.nn.Linear8bitLt(4, 4)\n", false));  // not Python
  ecolint::Trigger value{"bitsandbytes", {}, "", true};
  value.string_word = true;
  CHECK(ecolint::trigger_holds("cmd = f\"vllm serve {m} -q bitsandbytes\"\n", value));
  CHECK_FALSE(ecolint::trigger_holds("# -q bitsandbytes\nimport bitsandbytes\n", value));
  CHECK(ecolint::trigger_holds("s = 'open\nimport bitsandbytes\n", value));  // strings not told apart
}

TEST_CASE("the call-syntax prefilter holds only the triggers of rules that read call syntax (ECO003)",
          "[prefilter]") {
  ecolint::LintOptions options = ecolint::LintOptions::all_rules();
  const ecolint::Prefilter* p = ecolint::pipeline::call_syntax_prefilter_for(options);
  REQUIRE(p);
  CHECK(p->matches("for q in prompts:\n    out = model.generate(**tok(q))\n"));
  CHECK(p->matches("from transformers import pipeline\npipe = pipeline(\"text-generation\")\n"));
  CHECK(p->matches("llm = LLM(model=m, max_num_seqs=1)\n"));
  // ECO001's words alone (an INT8 load) do not need the pass; nor a generate() outside a loop.
  CHECK_FALSE(p->matches("m = AutoModelForCausalLM.from_pretrained(name, load_in_8bit=True)\n"));
  CHECK_FALSE(p->matches("out = model.generate(**tok(q))\n"));
  // The whole prefilter keeps both.
  CHECK(ecolint::pipeline::prefilter_for(options).matches(
      "m = AutoModelForCausalLM.from_pretrained(name, load_in_8bit=True)\n"));
  ecolint::LintOptions no_eco003 = options;
  no_eco003.enabled_rules.erase(std::remove(no_eco003.enabled_rules.begin(), no_eco003.enabled_rules.end(), "ECO003"),
                                no_eco003.enabled_rules.end());
  CHECK(ecolint::pipeline::call_syntax_prefilter_for(no_eco003) == nullptr);
  // Asked again for the first set (the per-thread cache keys on the rule set).
  CHECK(ecolint::pipeline::call_syntax_prefilter_for(options) == p);
}

TEST_CASE("a YAML key ending in .py is told from the raw bytes", "[prefilter]") {
  using ecolint::yaml::python_key_possible;
  CHECK(python_key_possible("kind: ConfigMap\ndata:\n  serve.py: |\n    import vllm\n"));
  CHECK(python_key_possible("data:\n  \"serve.py\": |\n    x = 1\n"));
  CHECK(python_key_possible("data:\n  'serve.py' : |\n    x = 1\n"));
  CHECK(python_key_possible("data:\n  ? serve.py\n  : |\n    x = 1\n"));  // an explicit key
  CHECK(python_key_possible("data: {a.py: x}"));  // a flow map: no block scalar, but the key is there
  CHECK_FALSE(python_key_possible("command: [python, serve.py, --max-num-seqs, '1']\n"));
  CHECK_FALSE(python_key_possible("script: run.py\nother: 1\n"));
  CHECK_FALSE(python_key_possible("args: python -m serve.pyx\n"));
  CHECK_FALSE(python_key_possible("file: app.pyc: 1\n"));
  CHECK_FALSE(python_key_possible(""));
  CHECK_FALSE(python_key_possible(".py"));
}

TEST_CASE("code words count only in text where Python is read", "[prefilter]") {
  ecolint::LintOptions options = ecolint::LintOptions::all_rules();
  using ecolint::FileKind;
  using ecolint::pipeline::triage;
  // ECO003's code words: a pipeline with a generation task, a generate() in a loop.
  const std::string code = "pipe = pipeline(\"text-generation\", model=m)\nfor q in prompts:\n    out = model.generate(q)\n";
  CHECK(triage(options, FileKind::Python, code).candidate);
  CHECK(triage(options, FileKind::Notebook, code).candidate);
  // No Python is read from these, so nothing those words stand for can be found there.
  for (FileKind kind : {FileKind::Shell, FileKind::Dockerfile, FileKind::EnvFile, FileKind::MaybeShell, FileKind::Yaml}) {
    INFO(static_cast<int>(kind));
    CHECK_FALSE(triage(options, kind, code).candidate);
    CHECK_FALSE(ecolint::pipeline::reads_python(kind, code));
  }
  // A YAML file with a `*.py` key (a ConfigMap's Python) keeps them.
  const std::string config_map =
      "kind: ConfigMap\ndata:\n  serve.py: |\n    pipe = pipeline(\"text-generation\", model=m)\n"
      "    for q in prompts:\n        out = pipe(q)\n";
  CHECK(ecolint::pipeline::reads_python(FileKind::Yaml, config_map));
  CHECK(triage(options, FileKind::Yaml, config_map).candidate);
  // A KFP-style YAML that only names a pipeline and a generation task does not.
  const std::string kfp = "pipelineInfo:\n  description: a pipeline for text-generation\nroot:\n  dag: {}\n";
  CHECK(ecolint::pipeline::prefilter_for(options).matches(kfp, false));
  CHECK_FALSE(triage(options, FileKind::Yaml, kfp).candidate);
  // Settings' words count everywhere: a batch cap of 1, INT8 quantization.
  const std::string tgi = "text-generation-launcher --max-batch-size 1 --quantize bitsandbytes\n";
  for (FileKind kind : {FileKind::Shell, FileKind::Dockerfile, FileKind::Yaml, FileKind::Python})
    CHECK(triage(options, kind, tgi).candidate);
  // The suppression marker is still seen in a file that only code words made a candidate.
  const std::string marked = "# ecolint: ignore[ECO003] reason\nfor q in prompts: out = model.generate(q)\n";
  CHECK(ecolint::pipeline::prefilter_for(options).matches(marked, false));
  auto shell = triage(options, FileKind::Shell, marked);
  CHECK_FALSE(shell.candidate);
  CHECK(shell.marker);
  // setting_prefilter_for is built once per rule set and holds no code word.
  CHECK(&ecolint::pipeline::setting_prefilter_for(options) == &ecolint::pipeline::setting_prefilter_for(options));
  CHECK_FALSE(ecolint::pipeline::setting_prefilter_for(options).matches(code, true));
  CHECK(ecolint::pipeline::setting_prefilter_for(options).matches(tgi, false));
}
