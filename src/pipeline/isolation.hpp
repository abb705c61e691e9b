#pragma once
// Containment of each file's analysis in a child process (--isolate-crashes): the parsers are
// third-party C and C++ (tree-sitter, yaml-cpp) fed with bytes a pull request chose, and a crash in
// them would otherwise end the whole run. A few child processes are forked once, before the
// worker threads start; each analyses one file's bytes at a time (read and triaged by the parent)
// and sends the result back over a socket. A child that dies, or runs past the budget (it is then
// killed), becomes a note for that file and is replaced; the run goes on.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <condition_variable>
#include <string>
#include <vector>

#include "base/diagnostic.hpp"
#include "base/file_kind.hpp"

namespace ecolint::pipeline {

struct AnalysisRequest {
  std::string display_path;
  std::string text;  // the file's bytes, as read
  FileKind kind = FileKind::Unknown;
  bool candidate = false;  // it holds a trigger word (else only its suppression comments matter)
};

// Runs in a child: the analysis of one request.
using Analyser = std::function<FileResult(AnalysisRequest&&)>;

class ChildProcesses {
 public:
  // `count` children (at least one), each running `analyse`; `budget` 0: no time limit.
  ChildProcesses(unsigned count, std::chrono::milliseconds budget, Analyser analyse);
  ~ChildProcesses();  // the children see their socket close, exit, and are reaped
  ChildProcesses(const ChildProcesses&) = delete;
  ChildProcesses& operator=(const ChildProcesses&) = delete;

  // Thread-safe; waits for a free child. Never throws. Without a working child (fork refused) the
  // request is analysed in this process.
  FileResult analyse(AnalysisRequest request);

 private:
  struct Child {
    int pid = -1;
    int fd = -1;  // our end of the socket pair
  };
  Child start() const;
  static void stop(Child& c, bool kill_it);
  FileResult exchange(Child& c, const AnalysisRequest& request);

  std::chrono::milliseconds budget_;
  Analyser analyse_;
  std::mutex mutex_;
  std::condition_variable free_;
  std::vector<Child> idle_;
  unsigned total_ = 0;
};

// A FileResult as bytes and back (the socket's format); exposed for tests. False on malformed bytes.
std::string serialize(const FileResult& r);
bool deserialize(const std::string& bytes, FileResult& r);

}  // namespace ecolint::pipeline
