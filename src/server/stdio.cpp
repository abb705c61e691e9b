// The language server's transport: LSP frames on stdin and stdout, one thread. Between messages
// the loop waits for input or for the next debounced lint, whichever comes first.
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <poll.h>
#include <unistd.h>

#include "server/jsonrpc.hpp"
#include "server/server.hpp"

namespace ecolint::server {

namespace {

bool write_all(int fd, const std::string& s) {
  const char* p = s.data();
  std::size_t left = s.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

int run_stdio(ServerOptions options) {
  std::signal(SIGPIPE, SIG_IGN);  // a client that went away is an error from write(), not a signal
  bool output_ok = true;
  Server server(
      [&](const json& message) {
        if (output_ok) output_ok = write_all(1, frame(message.dump(-1, ' ', false, json::error_handler_t::replace)));
      },
      options);
  FrameReader reader;
  std::string buffer(64 * 1024, '\0');
  while (output_ok) {
    int timeout = -1;
    if (auto due = server.next_due()) {
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*due - Clock::now()).count();
      timeout = static_cast<int>(std::max<long long>(0, std::min<long long>(wait, 60 * 1000)));
    }
    pollfd in{0, POLLIN, 0};
    int ready = ::poll(&in, 1, timeout);
    if (ready < 0 && errno != EINTR) break;
    if (ready > 0) {
      ssize_t n = ::read(0, buffer.data(), buffer.size());
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) break;  // the client closed our input
      reader.feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
      while (auto f = reader.next()) {
        if (!f->error.empty()) server.reject(f->error);
        else server.receive(f->body);
        if (server.exited()) return server.exit_code();
      }
    }
    server.tick();
  }
  return server.exit_code();
}

}  // namespace ecolint::server
