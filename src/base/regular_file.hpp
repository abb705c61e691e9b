#pragma once
// Reading a file ecolint needs besides the linted ones (configuration, baseline, ignore files):
// only a regular file, only up to a size limit. A FIFO, a device (/dev/zero), a directory or a
// symbolic link to one is refused before a byte is read, so a hostile tree cannot make a run
// block or read forever.
#include <cstddef>
#include <string>

namespace ecolint {

struct RegularFileLimits {
  std::size_t max_bytes = 1024 * 1024;
  bool follow_symlink = true;  // false: a symbolic link is refused (O_NOFOLLOW)
};

// Reads `path` whole into `out`. False with `error` saying why ("not a regular file (a FIFO)",
// "larger than the 1 MiB limit", strerror) otherwise; `error` does not repeat the path.
bool read_regular_file(const std::string& path, const RegularFileLimits& limits, std::string& out, std::string& error);

// "12 MiB", "512 KiB", "100 bytes": for messages about limits.
std::string byte_size_text(std::size_t bytes);

}  // namespace ecolint
