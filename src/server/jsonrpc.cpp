#include "server/jsonrpc.hpp"

#include <cctype>
#include <cstdlib>

namespace ecolint::server {

namespace {

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<FrameReader::Frame> FrameReader::next() {
  if (skip_ > 0) {
    std::size_t n = std::min(skip_, buffer_.size());
    buffer_.erase(0, n);
    skip_ -= n;
    if (skip_ > 0) return std::nullopt;
  }
  std::size_t end = buffer_.find("\r\n\r\n");
  if (end == std::string::npos) {
    if (buffer_.size() > 64 * 1024) {  // no header ends in sight: not LSP framing
      buffer_.clear();
      return Frame{"", "no Content-Length header in the first 64 KiB; input dropped"};
    }
    return std::nullopt;
  }
  std::string_view headers(buffer_.data(), end);
  std::optional<std::size_t> length;
  bool bad = false;
  while (!headers.empty()) {
    std::size_t eol = headers.find("\r\n");
    std::string_view line = headers.substr(0, eol);
    headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      bad = true;
      continue;
    }
    if (equals_ignore_case(trim(line.substr(0, colon)), "content-length")) {
      std::string value(trim(line.substr(colon + 1)));
      char* stop = nullptr;
      unsigned long long n = std::strtoull(value.c_str(), &stop, 10);
      if (value.empty() || *stop != '\0' || !std::isdigit(static_cast<unsigned char>(value[0]))) bad = true;
      else length = static_cast<std::size_t>(n);
    }
  }
  if (!length || bad) {
    buffer_.erase(0, end + 4);
    return Frame{"", length ? "malformed header" : "missing Content-Length header"};
  }
  if (*length > kMaxBody) {
    buffer_.erase(0, end + 4);
    skip_ = *length;
    return Frame{"", "message of " + std::to_string(*length) + " bytes is over the limit; dropped"};
  }
  if (buffer_.size() < end + 4 + *length) return std::nullopt;
  Frame f{buffer_.substr(end + 4, *length), ""};
  buffer_.erase(0, end + 4 + *length);
  return f;
}

std::string frame(std::string_view body) {
  return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

}  // namespace ecolint::server
