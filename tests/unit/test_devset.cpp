// The real-world dev set's labels (bench/realworld/corpus.yaml) keep their schema: every entry
// pinned to a commit, labelled with known rules at positive lines, of a known kind, read twice,
// ids unique, and no repository kept for independent evaluation (where that list is present).
#include <catch2/catch.hpp>

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>

namespace fs = std::filesystem;

namespace {

const std::set<std::string> kKinds = {"python",      "notebook", "python-config", "train-config", "k8s",
                                      "compose",     "helm-values", "serve-config", "shell", "dockerfile"};
const std::set<std::string> kRules = {"ECO001", "ECO002", "ECO003", "ECO004"};

void check_labels(const YAML::Node& labels, const std::string& id) {
  if (!labels) return;
  REQUIRE(labels.IsSequence());
  for (const auto& l : labels) {
    INFO(id);
    REQUIRE(l.IsMap());
    CHECK(kRules.count(l["rule"].as<std::string>("")) == 1);
    CHECK(l["line"].as<int>(0) > 0);
    CHECK(!l["note"].as<std::string>("").empty());
  }
}

}  // namespace

TEST_CASE("the real-world dev set's labels keep their schema", "[devset]") {
  fs::path corpus = fs::path(ECOLINT_SOURCE_DIR) / "bench" / "realworld" / "corpus.yaml";
  REQUIRE(fs::exists(corpus));
  YAML::Node root = YAML::LoadFile(corpus.string());
  REQUIRE(root["files"].IsSequence());
  std::set<std::string> reserved;
  fs::path reserved_list = fs::path(ECOLINT_SOURCE_DIR) / ".." / "shared" / "reserved-repos.txt";
  if (fs::exists(reserved_list)) {
    std::ifstream in(reserved_list);
    std::string line;
    while (std::getline(in, line))
      if (!line.empty() && line[0] != '#') reserved.insert(line);
  }
  std::set<std::string> ids, repos;
  std::size_t with_findings = 0;
  static const std::regex commit("[0-9a-f]{40}");
  for (const auto& f : root["files"]) {
    std::string id = f["id"].as<std::string>("");
    INFO(id);
    CHECK(!id.empty());
    CHECK(ids.insert(id).second);
    const YAML::Node source = f["source"];
    REQUIRE(source.IsMap());
    std::string repo = source["repo"].as<std::string>("");
    CHECK(repo.find('/') != std::string::npos);
    // Nor a look-alike: a reserved owner/name with more after it.
    for (const auto& r : reserved) CHECK(repo.compare(0, r.size(), r) != 0);
    repos.insert(repo);
    CHECK(std::regex_match(source["commit"].as<std::string>(""), commit));
    CHECK(!source["path"].as<std::string>("").empty());
    CHECK(kKinds.count(f["kind"].as<std::string>("")) == 1);
    REQUIRE(f["expected"].IsSequence());
    check_labels(f["expected"], id);
    check_labels(f["ambiguous"], id);
    if (f["expected"].size() > 0) ++with_findings;
    CHECK(f["checked"].as<int>(0) == 2);
  }
  CHECK(ids.size() >= 150);
  CHECK(repos.size() >= 40);
  CHECK(with_findings > 0);
}
