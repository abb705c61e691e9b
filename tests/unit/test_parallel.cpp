// The worker pool: files linted while the walk goes on, and the per-file time budget that turns a
// file whose analysis never ends into a note instead of a hung run.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "cli/parallel.hpp"

using namespace ecolint;
using namespace ecolint::cli;

namespace {

FileResult note_for(const FileToLint& f) {
  FileResult r;
  r.notes.push_back({f.display_path, "seen", {}});
  return r;
}

auto walk_of(int n) {
  return [n](const std::function<void(FileToLint&&)>& push) {
    for (int i = 0; i < n; ++i) push({"f" + std::to_string(i) + ".py", "f.py", false});
  };
}

}  // namespace

TEST_CASE("the pool lints every file once, whatever the number of jobs", "[parallel]") {
  for (unsigned jobs : {1u, 2u, 8u}) {
    PoolOptions options;
    options.jobs = jobs;
    PoolResult r = lint_in_pool(walk_of(500), note_for, options);
    CHECK(r.linted.size() == 500);
    CHECK(r.timeouts.empty());
    CHECK_FALSE(r.abandoned_threads);
    std::set<std::string> seen;
    for (const auto& l : r.linted) seen.insert(l.file.display_path);
    CHECK(seen.size() == 500);
  }
}

// Issue 15 (containment): one file must not be able to hold the run. A file whose analysis does
// not end within the budget becomes a note; a new worker takes the stuck one's place.
TEST_CASE("a file over the time budget becomes a note and the run goes on", "[parallel]") {
  auto release = std::make_shared<std::atomic<bool>>(false);
  auto lint = [release](const FileToLint& f) {
    if (f.display_path == "f3.py")
      while (!*release) std::this_thread::sleep_for(std::chrono::milliseconds(5));  // "never" ends
    return note_for(f);
  };
  PoolOptions options;
  options.jobs = 2;
  options.budget = std::chrono::milliseconds(200);
  auto t0 = std::chrono::steady_clock::now();
  PoolResult r = lint_in_pool(walk_of(50), lint, options);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  *release = true;  // let the abandoned thread finish; it drops its result
  CHECK(r.abandoned_threads);
  REQUIRE(r.timeouts.size() == 1);
  CHECK(r.timeouts[0].path == "f3.py");
  CHECK_THAT(r.timeouts[0].message, Catch::Contains("longer than the per-file limit of 200 ms"));
  CHECK(r.linted.size() == 49);
  CHECK(seconds < 60);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

TEST_CASE("with one job, a stuck file is replaced too", "[parallel]") {
  auto release = std::make_shared<std::atomic<bool>>(false);
  auto lint = [release](const FileToLint& f) {
    if (f.display_path == "f0.py" || f.display_path == "f5.py")
      while (!*release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return note_for(f);
  };
  PoolOptions options;
  options.jobs = 1;
  options.budget = std::chrono::milliseconds(100);
  PoolResult r = lint_in_pool(walk_of(10), lint, options);
  *release = true;
  CHECK(r.timeouts.size() == 2);
  CHECK(r.linted.size() == 8);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
}
