// Baseline files as a hostile tree can shape them: a link to /dev/zero, a FIFO, huge counts, deep
// JSON. Each is an error naming the file, quickly; none hangs, wraps or overflows the stack.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "gate/baseline.hpp"

namespace fs = std::filesystem;
using namespace ecolint;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() / ("ecolint-baseline-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

std::string error_reading(const fs::path& p) {
  try {
    baseline::read_file(p.string());
  } catch (const std::exception& e) {
    return e.what();
  }
  return {};
}

std::string error_parsing(const std::string& text) {
  try {
    baseline::parse(text, "b.json");
  } catch (const std::exception& e) {
    return e.what();
  }
  return {};
}

std::string entry(const std::string& count) {
  return R"({"version": 1, "tool": "ecolint", "findings": [{"fingerprint": "f", "count": )" + count + "}]}";
}

}  // namespace

// Issue 15: `--baseline` naming a link to /dev/zero read forever with unbounded memory; a FIFO hung.
TEST_CASE("regression: a baseline is read only from a regular file", "[baseline][regress]") {
  TempDir dir;
  fs::create_symlink("/dev/zero", dir.path / "zero.json");
  CHECK_THAT(error_reading(dir.path / "zero.json"), Catch::Contains("not a regular file (a character device)"));
  REQUIRE(::mkfifo((dir.path / "fifo.json").c_str(), 0600) == 0);
  CHECK_THAT(error_reading(dir.path / "fifo.json"), Catch::Contains("not a regular file (a FIFO)"));
  fs::create_directories(dir.path / "dir.json");
  CHECK_THAT(error_reading(dir.path / "dir.json"), Catch::Contains("not a regular file (a directory)"));
  CHECK_THAT(error_reading(dir.path / "missing.json"), Catch::Contains("cannot read the baseline file"));
  {
    std::ofstream big(dir.path / "big.json");
    big << std::string(baseline::kMaxFileBytes + 1, ' ');
  }
  CHECK_THAT(error_reading(dir.path / "big.json"), Catch::Contains("larger than the 32 MiB limit"));
}

// Issue 15: a count of 4294967296 wrapped to 0 in 32 bits (the finding was then not baselined).
TEST_CASE("regression: baseline counts do not wrap", "[baseline][regress]") {
  CHECK_THAT(error_parsing(entry("4294967296")), Catch::Contains("\"count\" is not an integer from 0 to 1000000000"));
  CHECK_THAT(error_parsing(entry("18446744073709551615")), Catch::Contains("\"count\""));
  CHECK_THAT(error_parsing(entry("-1")), Catch::Contains("\"count\""));
  CHECK_THAT(error_parsing(entry("1.5")), Catch::Contains("\"count\""));
  CHECK(baseline::parse(entry("1000000000"), "b.json").at("f") == 1000000000u);
  // Two entries for one fingerprint add up, saturating instead of wrapping.
  std::string twice = R"({"version": 1, "findings": [{"fingerprint": "f", "count": 1000000000},
                                                     {"fingerprint": "f", "count": 1000000000}]})";
  CHECK(baseline::parse(twice, "b.json").at("f") == baseline::kMaxCount);
}

TEST_CASE("deeply nested JSON in a baseline is an error, not a stack overflow", "[baseline][hostile]") {
  std::string deep(1000000, '[');
  CHECK_THAT(error_parsing(deep), Catch::Contains("not a baseline file"));
  std::string closed = std::string(500000, '[') + std::string(500000, ']');
  CHECK_THAT(error_parsing(closed), Catch::Contains("not a baseline file"));
  std::string in_findings = R"({"version": 1, "findings": [)" + std::string(200000, '[') + std::string(200000, ']') + "]}";
  CHECK_THAT(error_parsing(in_findings), Catch::Contains("has no \"fingerprint\""));
}
