#pragma once
// `ecolint server`: a Language Server Protocol 3.17 server. Editors send documents as they are
// typed; ecolint lints them in memory through the same pipeline as the command line (same rules,
// same configuration files, same fixes) and publishes diagnostics a few tens of milliseconds after
// the last change. Hover on a finding shows the rule's why, fix and evidence; code actions apply
// the rule's fix or add an ignore comment. Notebooks come as notebook documents (one text
// document per cell) where the client offers that, else as the raw .ipynb file.
//
// The Server class is the protocol without the transport: messages in, messages out through a
// callback, time passed in, so tests drive it directly. run_stdio() is the transport.
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>


namespace ecolint::server {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

struct ServerOptions {
  std::chrono::milliseconds debounce{25};  // from the last change to the lint
};

class Server {
 public:
  using Sink = std::function<void(const json&)>;
  explicit Server(Sink send, ServerOptions options = {});
  ~Server();

  // One message's JSON text, as framed on the wire. Never throws: bad input gets a JSON-RPC error.
  void receive(const std::string& body, Clock::time_point now = Clock::now());
  // A frame that could not be read (a broken header): answered with a parse error.
  void reject(const std::string& message);
  // Lints what is due by `now` and publishes the results.
  void tick(Clock::time_point now = Clock::now());
  // When tick() has work next, if at all.
  std::optional<Clock::time_point> next_due() const;
  // Lints everything pending now (tests).
  void flush() { tick(Clock::time_point::max()); }

  // `exit` was received: the process should end with exit_code() (0 after `shutdown`, else 1).
  bool exited() const;
  int exit_code() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// Serves on stdin/stdout until `exit` or end of input; returns the process exit status.
int run_stdio(ServerOptions options = {});

}  // namespace ecolint::server
