#include "pipeline/isolation.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ecolint::pipeline {

namespace {

// A new field in these structs must be added to the format below (and this size updated).
// The workload estimate (MonthlyEstimate) is left out on purpose: it is made after linting.
static_assert(sizeof(Diagnostic) == 664, "Diagnostic changed: serialize its new field in pipeline/isolation.cpp");
static_assert(sizeof(Fix) == 64 && sizeof(Edit) == 104, "Fix or Edit changed: serialize its new field in pipeline/isolation.cpp");
static_assert(sizeof(Note) == 72, "Note changed: serialize its new field in pipeline/isolation.cpp");

class Writer {
 public:
  void u32(uint32_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void f64(double v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void str(const std::string& s) {
    u32(static_cast<uint32_t>(s.size()));
    out_ += s;
  }
  void pos(const Position& p) { u32(p.line), u32(p.column); }
  void opt(const std::optional<double>& v) {
    u32(v ? 1 : 0);
    if (v) f64(*v);
  }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(const std::string& in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return at_ == in_.size(); }
  uint32_t u32() { return raw<uint32_t>(); }
  double f64() { return raw<double>(); }
  std::string str() {
    uint32_t n = u32();
    if (!ok_ || n > in_.size() - at_) return ok_ = false, std::string();
    std::string s = in_.substr(at_, n);
    at_ += n;
    return s;
  }
  Position pos() {
    Position p;
    p.line = u32();
    p.column = u32();
    return p;
  }
  std::optional<double> opt() {
    if (u32() == 0) return std::nullopt;
    return f64();
  }
  // A count of items, each at least `min_bytes` long: a bad count cannot make a huge allocation.
  uint32_t count(std::size_t min_bytes) {
    uint32_t n = u32();
    if (n > (in_.size() - at_) / min_bytes) ok_ = false, n = 0;
    return n;
  }

 private:
  template <typename T>
  T raw() {
    T v{};
    if (!ok_ || in_.size() - at_ < sizeof v) return ok_ = false, v;
    std::memcpy(&v, in_.data() + at_, sizeof v);
    at_ += sizeof v;
    return v;
  }
  const std::string& in_;
  std::size_t at_ = 0;
  bool ok_ = true;
};

void put(Writer& w, const Range& range) { w.pos(range.start), w.pos(range.end); }

void put(Writer& w, const Diagnostic& d) {
  w.str(d.rule), w.str(d.path), put(w, d.range);
  w.u32(static_cast<uint32_t>(d.severity));
  w.str(d.message), w.str(d.fix), w.str(d.impact), w.str(d.gpu_origin), w.str(d.snippet);
  w.u32(static_cast<uint32_t>(d.cell)), w.pos(d.cell_position);
  w.str(d.gpu), w.opt(d.params_b), w.str(d.impact_method);
  w.u32(static_cast<uint32_t>(d.fixes.size()));
  for (const auto& f : d.fixes) {
    w.str(f.title), w.u32(static_cast<uint32_t>(f.applicability));
    w.u32(static_cast<uint32_t>(f.edits.size()));
    for (const auto& e : f.edits) put(w, e.range), w.str(e.text), w.u32(static_cast<uint32_t>(e.cell)), put(w, e.cell_range), w.str(e.cell_text);
  }
  // No estimate: the workload estimate is made after linting, in the parent (energy::apply_workload).
}

Range get_range(Reader& r) {
  Range range;
  range.start = r.pos(), range.end = r.pos();
  return range;
}

Diagnostic get_diagnostic(Reader& r) {
  Diagnostic d;
  d.rule = r.str(), d.path = r.str(), d.range = get_range(r);
  uint32_t severity = r.u32();
  d.severity = severity <= static_cast<uint32_t>(Severity::Error) ? static_cast<Severity>(severity) : Severity::Warning;
  d.message = r.str(), d.fix = r.str(), d.impact = r.str(), d.gpu_origin = r.str(), d.snippet = r.str();
  d.cell = static_cast<int>(r.u32()), d.cell_position = r.pos();
  d.gpu = r.str(), d.params_b = r.opt(), d.impact_method = r.str();
  for (uint32_t i = 0, n = r.count(12); i < n && r.ok(); ++i) {
    Fix f;
    f.title = r.str();
    f.applicability = r.u32() == static_cast<uint32_t>(Applicability::Safe) ? Applicability::Safe : Applicability::Unsafe;
    for (uint32_t j = 0, m = r.count(40); j < m && r.ok(); ++j) {
      Edit e;
      e.range = get_range(r), e.text = r.str(), e.cell = static_cast<int>(r.u32()), e.cell_range = get_range(r);
      e.cell_text = r.str();
      f.edits.push_back(std::move(e));
    }
    d.fixes.push_back(std::move(f));
  }
  return d;
}

using Clock = std::chrono::steady_clock;

// Waits until `fd` is ready for `events` or the deadline passes (unbounded: no deadline).
bool wait_ready(int fd, short events, Clock::time_point deadline, bool bounded) {
  for (;;) {
    int wait_ms = -1;
    if (bounded) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return false;
      wait_ms = static_cast<int>(std::min<long long>(left.count(), 1 << 30));
    }
    pollfd p{fd, events, 0};
    int ready = ::poll(&p, 1, wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    return ready > 0;
  }
}

enum class Io { Done, Closed, TimedOut };

Io send_all(int fd, const std::string& bytes, Clock::time_point deadline, bool bounded) {
  std::size_t at = 0;
  while (at < bytes.size()) {
    if (!wait_ready(fd, POLLOUT, deadline, bounded)) return Io::TimedOut;
    ssize_t n = ::send(fd, bytes.data() + at, bytes.size() - at, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return Io::Closed;
    at += static_cast<std::size_t>(n);
  }
  return Io::Done;
}

Io receive_exact(int fd, std::size_t size, std::string& out, Clock::time_point deadline, bool bounded) {
  out.resize(size);
  std::size_t at = 0;
  while (at < size) {
    if (!wait_ready(fd, POLLIN, deadline, bounded)) return Io::TimedOut;
    ssize_t n = ::recv(fd, &out[at], size - at, MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return Io::Closed;
    at += static_cast<std::size_t>(n);
  }
  return Io::Done;
}

// A message: its length (8 bytes), then its bytes.
std::string framed(const std::string& payload) {
  uint64_t n = payload.size();
  std::string out(reinterpret_cast<const char*>(&n), sizeof n);
  out += payload;
  return out;
}

Io receive_message(int fd, std::string& payload, Clock::time_point deadline, bool bounded) {
  std::string header;
  Io io = receive_exact(fd, sizeof(uint64_t), header, deadline, bounded);
  if (io != Io::Done) return io;
  uint64_t n = 0;
  std::memcpy(&n, header.data(), sizeof n);
  if (n > (uint64_t{1} << 34)) return Io::Closed;
  return receive_exact(fd, static_cast<std::size_t>(n), payload, deadline, bounded);
}

// The child's loop: a request in, a result out, until the parent closes the socket.
[[noreturn]] void serve(int fd, const Analyser& analyse) {
  const auto forever = Clock::time_point::max();
  for (;;) {
    std::string payload;
    if (receive_message(fd, payload, forever, false) != Io::Done) ::_exit(0);
    Reader r(payload);
    AnalysisRequest request;
    request.kind = static_cast<FileKind>(r.u32());
    request.candidate = r.u32() != 0;
    request.display_path = r.str();
    request.text = r.str();
    if (!r.ok()) ::_exit(5);
    std::string result;
    try {
      result = serialize(analyse(std::move(request)));
    } catch (...) {
      ::_exit(3);
    }
    if (send_all(fd, framed(result), forever, false) != Io::Done) ::_exit(0);
  }
}

std::string signal_text(int sig) {
  const char* name = sigabbrev_np(sig);
  return name ? std::string("SIG") + name : "signal " + std::to_string(sig);
}

FileResult note_only(const std::string& path, std::string message) {
  FileResult r;
  r.notes.push_back({path, std::move(message), {}});
  return r;
}

}  // namespace

std::string serialize(const FileResult& r) {
  Writer w;
  w.u32(static_cast<uint32_t>(r.diagnostics.size()));
  for (const auto& d : r.diagnostics) put(w, d);
  w.u32(static_cast<uint32_t>(r.notes.size()));
  for (const auto& n : r.notes) w.str(n.path), w.str(n.message), w.pos(n.position);
  w.u32(static_cast<uint32_t>(r.suppressed.size()));
  for (const auto& s : r.suppressed) put(w, s.diagnostic), w.str(s.justification);
  w.u32(static_cast<uint32_t>(r.unused_suppressions.size()));
  for (const auto& u : r.unused_suppressions)
    w.str(u.path), w.str(u.rule), w.pos(u.position), w.u32(static_cast<uint32_t>(u.cell)), w.pos(u.cell_position);
  return std::move(w.bytes());
}

bool deserialize(const std::string& bytes, FileResult& out) {
  Reader r(bytes);
  FileResult res;
  for (uint32_t i = 0, n = r.count(8); i < n && r.ok(); ++i) res.diagnostics.push_back(get_diagnostic(r));
  for (uint32_t i = 0, n = r.count(8); i < n && r.ok(); ++i) {
    Note note;
    note.path = r.str(), note.message = r.str(), note.position = r.pos();
    res.notes.push_back(std::move(note));
  }
  for (uint32_t i = 0, n = r.count(8); i < n && r.ok(); ++i) {
    SuppressedDiagnostic s;
    s.diagnostic = get_diagnostic(r);
    s.justification = r.str();
    res.suppressed.push_back(std::move(s));
  }
  for (uint32_t i = 0, n = r.count(8); i < n && r.ok(); ++i) {
    UnusedSuppression u;
    u.path = r.str(), u.rule = r.str(), u.position = r.pos();
    u.cell = static_cast<int>(r.u32()), u.cell_position = r.pos();
    res.unused_suppressions.push_back(std::move(u));
  }
  if (!r.ok() || !r.done()) return false;
  out = std::move(res);
  return true;
}

ChildProcesses::ChildProcesses(unsigned count, std::chrono::milliseconds budget, Analyser analyse)
    : budget_(budget), analyse_(std::move(analyse)) {
  for (unsigned i = 0; i < std::max(1u, count); ++i) {
    Child c = start();
    if (c.pid < 0) break;
    idle_.push_back(c);
    ++total_;
  }
}

ChildProcesses::~ChildProcesses() {
  for (auto& c : idle_) stop(c, false);
}

ChildProcesses::Child ChildProcesses::start() const {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return {};
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return {};
  }
  if (pid == 0) {
    // The child keeps only its socket to the parent (as fd 3) and the standard streams: holding
    // another child's socket would keep that child from seeing the parent close it. It leaves
    // with _exit (no atexit handlers, no flush of the parent's stdio buffers).
    int own = fds[1];
    if (own != 3) {
      if (::dup2(own, 3) < 0) ::_exit(6);
      own = 3;
    }
    ::close_range(4, ~0U, 0);
    serve(own, analyse_);
  }
  ::close(fds[1]);
  return {pid, fds[0]};
}

void ChildProcesses::stop(Child& c, bool kill_it) {
  if (c.fd >= 0) ::close(c.fd);
  if (kill_it && c.pid > 0) ::kill(c.pid, SIGKILL);
  int status = 0;
  if (c.pid > 0)
    while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
    }
  c = {};
}

FileResult ChildProcesses::analyse(AnalysisRequest request) {
  Child child;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (total_ == 0) {
      lock.unlock();
      return analyse_(std::move(request));  // no child could be started: uncontained
    }
    free_.wait(lock, [&] { return !idle_.empty(); });
    child = idle_.back();
    idle_.pop_back();
  }
  FileResult result = exchange(child, request);
  std::lock_guard<std::mutex> lock(mutex_);
  if (child.pid < 0) {
    child = start();  // a replacement for one that crashed or ran out of time
    if (child.pid < 0) {
      --total_;
      free_.notify_all();
      return result;
    }
  }
  idle_.push_back(child);
  free_.notify_one();
  return result;
}

FileResult ChildProcesses::exchange(Child& c, const AnalysisRequest& request) {
  Writer w;
  w.u32(static_cast<uint32_t>(request.kind));
  w.u32(request.candidate ? 1 : 0);
  w.str(request.display_path);
  w.str(request.text);
  bool bounded = budget_.count() > 0;
  Clock::time_point deadline = bounded ? Clock::now() + budget_ : Clock::time_point::max();
  Io io = send_all(c.fd, framed(w.bytes()), deadline, bounded);
  std::string payload;
  if (io == Io::Done) io = receive_message(c.fd, payload, deadline, bounded);
  FileResult result;
  if (io == Io::Done && deserialize(payload, result)) return result;
  // The child is gone, or is stopped now: find out how it ended.
  if (io == Io::TimedOut) ::kill(c.pid, SIGKILL);
  ::close(c.fd);
  int status = 0;
  while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
  }
  c = {};
  if (io == Io::TimedOut)
    return note_only(request.display_path, "analysis took longer than the per-file limit of " +
                                               std::to_string(budget_.count()) +
                                               " ms (--file-timeout); the process analysing it was stopped; not analysed");
  if (WIFSIGNALED(status))
    return note_only(request.display_path, "analysis crashed (" + signal_text(WTERMSIG(status)) +
                                               ") in the process analysing this file (--isolate-crashes); not analysed");
  return note_only(request.display_path, "analysis failed in the process analysing this file (exit status " +
                                             std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                                             "); not analysed");
}

}  // namespace ecolint::pipeline
