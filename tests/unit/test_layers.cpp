// The layers of src/ and the one direction their includes may point: a folder may include its own
// files and those of folders in lower layers, never a higher layer or another folder of its own
// layer. The table below is the specification (README "How it works" describes it).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

namespace {

const std::map<std::string, int> kLayer = {
    {"base", 0},                             // diagnostics, source text, UTF-8, strings, globs
    {"data", 1},                             // the embedded rules/ files
    {"catalog", 2}, {"model", 2},            // rule metadata and evidence rows; model sizes
    {"engines", 3}, {"energy", 3},           // the engine table and launches; GPUs and estimates
    {"shell", 4},                            // command lines (used by the YAML and Python readers)
    {"yaml", 5}, {"python", 5}, {"notebook", 5},  // readers: text -> facts and sub-sources
    {"rules", 6}, {"suppress", 6},           // rules read facts; in-source suppressions
    {"pipeline", 7},                         // one owner of a file's journey
    {"report", 8},                           // output formats (print what they are given)
    {"git", 9}, {"fix", 9},                  // libgit2; fixes applied to files (--fix, --diff)
    {"discover", 10}, {"gate", 10}, {"settings", 10},  // file walk; baseline and diff filters; configuration
    {"cli", 11}, {"server", 11},             // the command line; the language server
    {"main.cpp", 12},
};

struct Violation {
  std::string file, included;
};

// Include lines of `text` that break the layering for a file in folder `from`.
std::vector<std::string> violations_in(const std::string& from, const std::string& text) {
  std::vector<std::string> out;
  static const std::regex include(R"(#include\s+"([a-z_]+)/)");
  auto own = kLayer.find(from);
  for (std::sregex_iterator it(text.begin(), text.end(), include), end; it != end; ++it) {
    std::string to = (*it)[1];
    if (to == from) continue;
    auto target = kLayer.find(to);
    if (own == kLayer.end() || target == kLayer.end() || target->second >= own->second) out.push_back(to);
  }
  return out;
}

}  // namespace

TEST_CASE("every folder of src/ has a layer and includes only lower layers", "[layers]") {
  namespace fs = std::filesystem;
  fs::path src = fs::path(ECOLINT_SOURCE_DIR) / "src";
  std::vector<Violation> found;
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(src)) {
    if (!entry.is_regular_file()) continue;
    std::string ext = entry.path().extension().string();
    if (ext != ".cpp" && ext != ".hpp") continue;
    ++files;
    fs::path rel = fs::relative(entry.path(), src);
    std::string folder = rel.begin()->string();
    INFO(rel.string());
    CHECK(kLayer.count(folder) == 1);  // a new folder must be given its layer here
    std::ifstream in(entry.path());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const auto& to : violations_in(folder, text)) found.push_back({rel.string(), to});
  }
  CHECK(files > 50);
  for (const auto& v : found) FAIL_CHECK(v.file << " includes " << v.included << "/ (a higher layer or a sibling)");
}

TEST_CASE("the layering check catches upward and sideways includes", "[layers]") {
  CHECK(violations_in("base", "#include \"pipeline/lint.hpp\"\n") == std::vector<std::string>{"pipeline"});
  CHECK(violations_in("yaml", "#include \"python/facts.hpp\"\n") == std::vector<std::string>{"python"});
  CHECK(violations_in("rules", "#include \"engines/launch.hpp\"\n#include \"rules/rule.hpp\"\n").empty());
  CHECK(violations_in("unknown", "#include \"base/source.hpp\"\n") == std::vector<std::string>{"base"});
}
