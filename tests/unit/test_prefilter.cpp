// The one-pass byte prefilter agrees with a plain search for every word.
#include <catch2/catch.hpp>

#include <random>

#include "core/prefilter.hpp"

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
  Prefilter p({{"load_in_8bit", {}}, {"pipeline", {"batch_size", "generation"}}});
  CHECK(p.matches("x(load_in_8bit=True)"));
  CHECK_FALSE(p.matches("pipeline = make()"));
  CHECK_FALSE(p.matches("batch_size = 1; generation = 2"));
  CHECK(p.matches("p = pipeline('text-generation')"));
  CHECK(p.matches("batch_size=1\np = pipeline(x)"));
  CHECK_FALSE(p.matches("pipelin batch_size"));
  Prefilter plain({{"load_in_8bit", {}}, {"generate(", {}}});
  CHECK(plain.matches("m.generate(x)"));
  CHECK_FALSE(plain.matches("m.generate (x)"));
}
