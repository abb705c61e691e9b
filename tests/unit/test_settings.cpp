// Configuration files: keys, errors, discovery, globs.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "settings/settings.hpp"

using namespace ecolint::settings;
namespace fs = std::filesystem;

namespace {
// The message of the SettingsError that parsing `text` as file `name` throws, or "".
std::string error_of(const std::string& text, const std::string& name) {
  try {
    parse_text(text, name);
  } catch (const SettingsError& e) {
    return e.what();
  }
  return {};
}
}  // namespace

TEST_CASE("YAML configuration keys", "[settings]") {
  auto s = parse_text(
      "select: [ECO001, ECO002]\n"
      "ignore: ECO002\n"
      "per-file-ignores:\n  \"tests/**\": [ECO001]\n"
      "exclude: [build, 'vendor/**']\n"
      "gpu: H100\n"
      "fail-level: error\n"
      "tokens-per-day: 1e9\n"
      "price-per-kwh: 0.2\n"
      "grid-gco2-per-kwh: 350\n"
      "report-unused-suppressions: true\n",
      ".ecolint.yaml");
  CHECK(s.select == std::vector<std::string>{"ECO001", "ECO002"});
  CHECK(s.ignore == std::vector<std::string>{"ECO002"});
  REQUIRE(s.per_file_ignores.size() == 1);
  CHECK(s.per_file_ignores[0].first == "tests/**");
  CHECK(s.exclude == std::vector<std::string>{"build", "vendor/**"});
  CHECK(s.gpu == "H100");
  CHECK(s.fail_level == ecolint::Severity::Error);
  CHECK(*s.tokens_per_day == Approx(1e9));
  CHECK(*s.price_per_kwh == Approx(0.2));
  CHECK(*s.grid_gco2_per_kwh == Approx(350));
  CHECK(s.report_unused_suppressions == true);
}

TEST_CASE("pyproject.toml [tool.ecolint]", "[settings]") {
  auto s = parse_text("[project]\nname='x'\n[tool.ecolint]\nignore = ['ECO003']\nfail-level = 'note'\n"
                      "tokens-per-day = 5000000\n[tool.ecolint.per-file-ignores]\n'scripts/*.py' = ['ECO001']\n",
                      "pyproject.toml");
  CHECK(s.ignore == std::vector<std::string>{"ECO003"});
  CHECK(s.fail_level == ecolint::Severity::Note);
  CHECK(*s.tokens_per_day == Approx(5e6));
  REQUIRE(s.per_file_ignores.size() == 1);
  CHECK(parse_text("[project]\nname='x'\n", "pyproject.toml").fail_level == std::nullopt);
}

TEST_CASE("bad configuration is a clear error", "[settings]") {
  CHECK_THAT(error_of("colour: red\n", ".ecolint.yaml"), Catch::Contains("'colour': unknown setting"));
  CHECK_THAT(error_of("fail-level: loud\n", ".ecolint.yaml"), Catch::Contains("expected note, warning or error"));
  CHECK_THAT(error_of("select: [ECO999]\n", ".ecolint.yaml"), Catch::Contains("unknown rule 'ECO999'"));
  CHECK_THAT(error_of("tokens-per-day: lots\n", ".ecolint.yaml"), Catch::Contains("expected a number"));
  CHECK_THAT(error_of("tokens-per-day: -1\n", ".ecolint.yaml"), Catch::Contains(">= 0"));
  CHECK_THAT(error_of("report-unused-suppressions: maybe\n", ".ecolint.yaml"), Catch::Contains("true or false"));
  CHECK_THAT(error_of("[1, 2]\n", ".ecolint.yaml"), Catch::Contains("expected a mapping"));
  CHECK_THAT(error_of("select: [a\n", ".ecolint.yaml"), Catch::Contains("invalid YAML"));
  CHECK_THAT(error_of("[tool.ecolint]\nselect = \n", "pyproject.toml"), Catch::Contains("invalid TOML"));
  CHECK_THAT(error_of("[tool.ecolint]\ngpu = 3\n", "pyproject.toml"), Catch::Contains("'gpu': expected a string"));
}

TEST_CASE("globs", "[settings]") {  // more in test_glob.cpp
  CHECK(glob_match("*.py", "a/b/c.py"));
  CHECK(glob_match("build", "x/build"));
  CHECK(glob_match("src/*.py", "src/a.py"));
  CHECK_FALSE(glob_match("src/*.py", "src/sub/a.py"));
  CHECK(glob_match("src/**/*.py", "src/sub/deep/a.py"));
  CHECK(glob_match("src/**/*.py", "src/a.py"));
  CHECK(glob_match("**/gen_*.yaml", "a/gen_1.yaml"));
  CHECK(glob_match("./vendor/", "vendor"));
  CHECK(glob_match("data[0-9].py", "data7.py"));
  CHECK_FALSE(glob_match("data[!0-9].py", "data7.py"));
  CHECK(glob_match("?.py", "a.py"));
  CHECK_FALSE(glob_match("?.py", "ab.py"));
  CHECK(any_glob_matches({"vendor"}, "vendor/lib/x.py"));
  CHECK(any_glob_matches({"vendor/**"}, "vendor/lib/x.py"));
  CHECK_FALSE(any_glob_matches({"vendor"}, "src/vendored.py"));
}

TEST_CASE("discovery walks up to the work tree's top", "[settings]") {
  fs::path root = fs::temp_directory_path() / ("ecolint-settings-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "repo/.git");
  fs::create_directories(root / "repo/pkg/sub");
  std::ofstream(root / ".ecolint.yaml") << "gpu: A100\n";  // outside the repo: never found
  std::ofstream(root / "repo/pkg/sub/x.py") << "x = 1\n";
  CHECK_FALSE(discover((root / "repo/pkg/sub/x.py").string()));

  std::ofstream(root / "repo/pyproject.toml") << "[project]\nname = 'x'\n";  // no table: skipped
  CHECK_FALSE(discover((root / "repo/pkg/sub").string()));
  std::ofstream(root / "repo/pyproject.toml") << "[tool.ecolint]\ngpu = 'H100'\n";
  auto found = discover((root / "repo/pkg/sub/x.py").string());
  REQUIRE(found);
  CHECK(fs::path(*found).filename() == "pyproject.toml");
  auto s = load_file(*found);
  CHECK(s.gpu == "H100");
  CHECK(fs::path(s.root) == fs::path(root / "repo").lexically_normal());

  std::ofstream(root / "repo/pkg/.ecolint.yaml") << "gpu: T4\n";
  found = discover((root / "repo/pkg/sub").string());
  REQUIRE(found);
  CHECK(fs::path(*found) == root / "repo/pkg/.ecolint.yaml");
  fs::remove_all(root);
}

// Found by fuzzing: toml++ 3.3 reaches an "unreachable" branch on some non-ASCII characters
// outside strings. Only [tool.ecolint] is parsed, and non-ASCII outside its strings is refused.
TEST_CASE("pyproject.toml: only [tool.ecolint] is parsed, non-ASCII outside strings is refused", "[settings][regress]") {
  const std::string crash("[\xc9\xbf\0\0\0\0\\c: : [cE ", 17);
  CHECK_FALSE(parse_text(crash, "pyproject.toml").select);
  auto s = parse_text("[project]\nauthors = [\xc9\xbf]\n[tool.ecolint]\n# caf\xc3\xa9\nselect = ['ECO001']  # \xc3\xa9\n"
                      "exclude = [\"d\xc3\xa9j\xc3\xa0/**\"]\n",
                      "pyproject.toml");
  CHECK(s.select == std::vector<std::string>{"ECO001"});
  std::string message;
  try {
    parse_text("[project]\nname = 'x'\n[tool.ecolint]\nselect = [\xc9\xbf]\n", "pyproject.toml");
  } catch (const SettingsError& e) {
    message = e.what();
  }
  CHECK_THAT(message, Catch::Contains("pyproject.toml:4: invalid TOML: non-ASCII character outside a string"));
  // Found by fuzzing too: a quote where no string can start (`= +"...`) is not a string to toml++,
  // which reads on through its non-ASCII characters as code.
  message.clear();
  try {
    parse_text("[tool.ecolint]\n\"\"=+\"tool.elect:ail-lv{i..tdsa\xc4\xafTs0\"\n", "pyproject.toml");
  } catch (const SettingsError& e) {
    message = e.what();
  }
  CHECK_THAT(message, Catch::StartsWith("pyproject.toml:2:"));
  // toml++ is handed ASCII only: non-ASCII in a basic string is escaped (the same value), in a
  // comment replaced, in a literal string refused.
  message.clear();
  try {
    parse_text("[tool.ecolint]\n\"\"\"\" 0\n  ee\\\n\xcd\x96gnores\"\"1\n", "pyproject.toml");
  } catch (const SettingsError& e) {
    message = e.what();
  }
  CHECK_THAT(message, Catch::StartsWith("pyproject.toml:"));
  message.clear();
  try {
    parse_text("[tool.ecolint]\nexclude = ['caf\xc3\xa9/**']\n", "pyproject.toml");
  } catch (const SettingsError& e) {
    message = e.what();
  }
  CHECK_THAT(message, Catch::Contains("pyproject.toml:2: invalid TOML: non-ASCII character outside a basic"));
  // Strings where TOML has them are still read, non-ASCII and all.
  auto t = parse_text("[tool.ecolint]\n\"select\" = [\"ECO001\",\n  'ECO002']\nexclude = [\"caf\xc3\xa9/**\"]\n",
                      "pyproject.toml");
  CHECK(t.select == std::vector<std::string>{"ECO001", "ECO002"});
  CHECK(t.exclude == std::vector<std::string>{"caf\xc3\xa9/**"});
}

TEST_CASE("configuration errors name the file and the line", "[settings]") {
  CHECK_THAT(error_of("select: [ECO001]\ncolour: red\n", ".ecolint.yaml"), Catch::StartsWith(".ecolint.yaml:2: 'colour'"));
  CHECK_THAT(error_of("[tool.ecolint]\nselect = ['ECO001']\nfail-level = 'loud'\n", "pyproject.toml"),
             Catch::StartsWith("pyproject.toml:3: 'fail-level': expected note, warning or error"));
}

// Issue 15: a 602-byte `.ecolint.yaml` whose `select:` is an alias bomb (10 levels x 10) took 4 GB
// in 23 s, then bad_alloc. Configuration files now have the linted YAML's limits: every node visit
// counts (an alias each time), depth is checked before parsing, nodes before a tree is built.
TEST_CASE("regression: a configuration alias bomb is an error naming the file, not 4 GB", "[settings][regress]") {
  for (int levels : {7, 10}) {
    std::string text = "a0: &a0 [ECO001, ECO001, ECO001, ECO001, ECO001, ECO001, ECO001, ECO001, ECO001, ECO001]\n";
    for (int i = 1; i < levels; ++i) {
      text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
      for (int k = 0; k < 10; ++k) text += (k ? ", *a" : "*a") + std::to_string(i - 1);
      text += "]\n";
    }
    text += "select: *a" + std::to_string(levels - 1) + "\n";
    INFO(levels << " levels, " << text.size() << " bytes");
    auto t0 = std::chrono::steady_clock::now();
    CHECK_THAT(error_of(text, "bomb/.ecolint.yaml"),
               Catch::StartsWith("bomb/.ecolint.yaml: more than 200000 values to read"));
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 30);
  }
  // A small alias is fine.
  auto s = parse_text("select: &ids [ECO001, ECO002]\nignore: *ids\n", ".ecolint.yaml");
  CHECK(s.ignore == std::vector<std::string>{"ECO001", "ECO002"});
}

TEST_CASE("configuration limits: depth, nodes, size", "[settings][hostile]") {
  std::string deep = "select: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
  CHECK_THAT(error_of(deep, ".ecolint.yaml"), Catch::Contains(".ecolint.yaml:1: YAML nested more than 200 levels"));
  std::string block = "select:\n";
  for (int i = 0; i < 300; ++i) block += std::string(static_cast<std::size_t>(i + 1), ' ') + "- \n";
  CHECK_THAT(error_of(block, ".ecolint.yaml"), Catch::Contains("YAML nested more than 200 levels"));
  std::string many = "exclude: [";
  for (int i = 0; i < 250000; ++i) many += "a,";
  many += "]\n";
  CHECK_THAT(error_of(many, ".ecolint.yaml"), Catch::Contains("YAML has more than 200000 nodes"));
  std::string toml = "[tool.ecolint]\nexclude = [";
  for (int i = 0; i < 250000; ++i) toml += "'a',";
  toml += "]\n";
  CHECK_THAT(error_of(toml, "pyproject.toml"), Catch::Contains("more than 200000 values"));
  Limits small;
  small.max_bytes = 100;
  CHECK_THROWS_WITH(parse_text(std::string(101, '#'), ".ecolint.yaml", small),
                    Catch::Contains("larger than the 100 bytes limit"));
  // A modest exclude list is read.
  CHECK(parse_text("exclude: [a, b, c]\n", ".ecolint.yaml").exclude.size() == 3);
}

// Issue 15: what sits under a configuration file's name is read only as a regular file: a FIFO
// would block the run, /dev/zero would be read forever.
TEST_CASE("configuration files are regular files: FIFOs and devices are refused", "[settings][hostile]") {
  fs::path root = fs::temp_directory_path() / ("ecolint-settings-special-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / ".git");
  REQUIRE(::mkfifo((root / ".ecolint.yaml").c_str(), 0600) == 0);
  auto found = discover(root.string());
  REQUIRE(found);  // found, and refused when read: not skipped for a configuration further up
  CHECK_THROWS_WITH(load_file(*found), Catch::Contains("not a regular file (a FIFO)"));
  fs::remove(root / ".ecolint.yaml");
  fs::create_symlink("/dev/zero", root / ".ecolint.yaml");
  CHECK_THROWS_WITH(load_file((root / ".ecolint.yaml").string()), Catch::Contains("not a regular file (a character device)"));
  fs::remove(root / ".ecolint.yaml");
  fs::create_symlink("/dev/zero", root / "pyproject.toml");
  found = discover(root.string());
  REQUIRE(found);
  CHECK_THROWS_WITH(load_file(*found), Catch::Contains("not a regular file"));
  fs::remove(root / "pyproject.toml");
  CHECK_THROWS_WITH(load_file((root / "missing.yaml").string()), Catch::Contains("configuration file not found"));
  fs::remove_all(root);
}

TEST_CASE("rule selection merges as Ruff's: the latest select is the basis, specific beats general", "[settings]") {
  const std::vector<std::string> ids = {"ECO001", "ECO002", "ECO003", "ECO004"};
  using V = std::vector<std::string>;
  RuleSelection config;
  config.ignore = {"ECO002"};
  CHECK(resolve_rules(ids, {&config}) == V{"ECO001", "ECO003", "ECO004"});
  // --select ECO002 over a configuration that ignores it: ECO002 and nothing else.
  RuleSelection cli;
  cli.select = V{"ECO002"};
  CHECK(resolve_rules(ids, {&config, &cli}) == V{"ECO002"});
  // A command-line ignore adds to the configuration's.
  RuleSelection cli_ignore;
  cli_ignore.ignore = {"ECO003"};
  CHECK(resolve_rules(ids, {&config, &cli_ignore}) == V{"ECO001", "ECO004"});
  // extend-select adds to the configuration's select.
  RuleSelection narrow;
  narrow.select = V{"ECO001"};
  RuleSelection extend;
  extend.extend_select = {"ECO004"};
  CHECK(resolve_rules(ids, {&narrow, &extend}) == V{"ECO001", "ECO004"});
  // select: [] selects nothing (extend-select may still add).
  RuleSelection none;
  none.select = V{};
  CHECK(resolve_rules(ids, {&none}).empty());
  none.extend_select = {"ECO003"};
  CHECK(resolve_rules(ids, {&none}) == V{"ECO003"});
  // Within one source the longer selector wins; at equal length, ignore.
  RuleSelection specific;
  specific.select = V{"ECO002"};
  specific.ignore = {"ECO"};
  CHECK(resolve_rules(ids, {&specific}) == V{"ECO002"});
  RuleSelection tie;
  tie.select = V{"ECO002", "ECO003"};
  tie.ignore = {"ECO003"};
  CHECK(resolve_rules(ids, {&tie}) == V{"ECO002"});
}

TEST_CASE("extend-select, extend-ignore and severity keys", "[settings]") {
  auto s = parse_text("extend-select: [ECO004]\nextend-ignore: ECO001\nseverity: {ECO00: note, ECO003: error}\n",
                      ".ecolint.yaml");
  CHECK(s.extend_select == std::vector<std::string>{"ECO004"});
  CHECK(s.extend_ignore == std::vector<std::string>{"ECO001"});
  CHECK(s.severity_of("ECO003") == ecolint::Severity::Error);
  CHECK(s.severity_of("ECO001") == ecolint::Severity::Note);
  auto t = parse_text("[tool.ecolint.severity]\nECO003 = 'error'\n", "pyproject.toml");
  CHECK(t.severity_of("ECO003") == ecolint::Severity::Error);
  CHECK_FALSE(t.severity_of("ECO001"));
  CHECK_THAT(error_of("severity: {ECO003: loud}\n", ".ecolint.yaml"), Catch::Contains("expected note, warning or error"));
  CHECK_THAT(error_of("severity: {ECO999: error}\n", ".ecolint.yaml"), Catch::Contains("unknown rule 'ECO999'"));
}
