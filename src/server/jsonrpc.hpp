#pragma once
// JSON-RPC 2.0 message framing over a byte stream, as the Language Server Protocol specifies:
// `Content-Length: N\r\n` (other headers ignored), a blank line, then N bytes of JSON.
#include <optional>
#include <string>
#include <string_view>

namespace ecolint::server {

class FrameReader {
 public:
  // Bytes as they arrive.
  void feed(std::string_view bytes) { buffer_.append(bytes.data(), bytes.size()); }

  struct Frame {
    std::string body;   // the message's JSON text
    std::string error;  // the header was broken (the frame was skipped): a parse error to report
  };
  // The next complete frame, or nothing yet.
  std::optional<Frame> next();

  static constexpr std::size_t kMaxBody = 256 * 1024 * 1024;

 private:
  std::string buffer_;
  std::size_t skip_ = 0;  // bytes of an oversized body still to drop
};

// `body` framed for sending.
std::string frame(std::string_view body);

}  // namespace ecolint::server
