#include "cli/output.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "base/text.hpp"

namespace fs = std::filesystem;

namespace ecolint::cli {

namespace {

// Writes all of `content`; false with errno set on failure.
bool write_all(int fd, const std::string& content) {
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (n == 0) {
      errno = EIO;
      return false;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return true;
}

std::string failure(const std::string& path, int err) { return "cannot write " + path + ": " + std::strerror(err); }

bool replace_atomically(const std::string& path, const std::string& content, std::string& error) {
  fs::path target(path);
  fs::path dir = target.parent_path();
  std::string tmpl = (dir.empty() ? fs::path(".") : dir).string() + "/." + target.filename().string() + ".tmp.XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int fd = ::mkstemp(name.data());
  if (fd < 0) {
    error = failure(path, errno);
    return false;
  }
  bool ok = write_all(fd, content);
  int saved = errno;
  if (ok) {
    // mkstemp makes the file 0600; give it what a plain create would (0666 minus the umask).
    mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd, 0666 & ~mask);
    if (::fsync(fd) != 0) ok = false, saved = errno;
  }
  if (::close(fd) != 0 && ok) ok = false, saved = errno;
  if (ok && std::rename(name.data(), path.c_str()) != 0) ok = false, saved = errno;
  if (!ok) {
    ::unlink(name.data());
    error = failure(path, saved);
  }
  return ok;
}

bool write_in_place(const std::string& path, const std::string& content, std::string& error) {
  // O_NONBLOCK for the open only: a FIFO with no reader is an error (ENXIO), not a wait.
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    error = errno == ENXIO ? "cannot write " + path + ": no process is reading from it" : failure(path, errno);
    return false;
  }
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  bool ok = write_all(fd, content);
  int saved = errno;
  if (::close(fd) != 0 && ok) ok = false, saved = errno;
  if (!ok) error = failure(path, saved);
  return ok;
}

// The process's own open files, named through /dev or /proc.
bool names_own_descriptor(const std::string& path) {
  return path == "/dev/stdout" || path == "/dev/stderr" || text::starts_with(path, "/dev/fd/") ||
         text::starts_with(path, "/proc/self/fd/");
}

}  // namespace

bool write_output_file(const std::string& path, const std::string& content, std::string& error) {
  if (names_own_descriptor(path)) return write_in_place(path, content, error);
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) {
      error = failure(path, errno);
      return false;
    }
    return replace_atomically(path, content, error);
  }
  if (S_ISREG(st.st_mode)) return replace_atomically(path, content, error);
  if (S_ISDIR(st.st_mode)) {
    error = "cannot write " + path + ": it is a directory";
    return false;
  }
  if (S_ISLNK(st.st_mode)) {
    struct stat target {};
    if (::stat(path.c_str(), &target) != 0) {
      error = "cannot write " + path + ": a symbolic link to nothing (not followed)";
      return false;
    }
    if (S_ISREG(target.st_mode) || S_ISDIR(target.st_mode)) {
      error = "cannot write " + path + ": a symbolic link to a " + (S_ISDIR(target.st_mode) ? "directory" : "file") +
              " (links are followed only to devices and pipes; name the file itself)";
      return false;
    }
  }
  return write_in_place(path, content, error);
}

}  // namespace ecolint::cli
