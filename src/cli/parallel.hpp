#pragma once
// Linting files on worker threads while the directory walk goes on, with a per-file time budget:
// a watchdog turns a file whose analysis runs past the budget into a note, starts a new worker in
// its place and lets the run finish without it (the stuck thread is abandoned, never joined: C++
// cannot stop a thread, so the process must then end with std::_Exit, see RunStatus).
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "base/diagnostic.hpp"
#include "discover/discover.hpp"

namespace ecolint::cli {

struct Linted {
  FileToLint file;
  FileResult result;
};

// Lints one file. It is copied into the pool and shared with every worker: whatever it refers to
// must outlive abandoned threads (hold it by shared_ptr), and it must not throw.
using LintFunction = std::function<FileResult(const FileToLint&)>;

struct PoolOptions {
  unsigned jobs = 1;                    // worker threads (at least one is tried)
  std::chrono::milliseconds budget{0};  // per file; 0: none
};

struct PoolResult {
  std::vector<Linted> linted;   // files with something to say, in no particular order
  std::vector<Note> timeouts;   // one per file over the budget
  bool abandoned_threads = false;
};

// Calls `walk(push)`; each file pushed is linted on a worker as soon as one is free. Returns when
// every file is linted or over its budget. Worker threads that cannot be created are done without;
// with none at all, files are linted on the calling thread as they are pushed (no budget then).
PoolResult lint_in_pool(const std::function<void(const std::function<void(FileToLint&&)>&)>& walk, LintFunction lint,
                        const PoolOptions& options);

// The CPUs this process may run on (its affinity mask), at least 1.
unsigned available_cpus();

}  // namespace ecolint::cli
