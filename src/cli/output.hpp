#pragma once
// Writing the files a run is asked to write (-o FILE, --write-baseline FILE).
#include <string>

namespace ecolint::cli {

// Writes `content` to `path` and reports every failure (ENOSPC on /dev/full included); false with
// `error` naming the path. What is there decides how:
//   nothing, or a regular file   a temporary file in the same directory, then a rename: readers
//                                never see a partial file; the temporary is removed on failure;
//   a device, FIFO or socket,    written in place, never replaced (-o /dev/null, a pipe; a FIFO
//   or a link to one             nobody reads is an error, not a hang);
//   /dev/stdout, /dev/stderr,    the process's own open file, appended to in place;
//   /dev/fd/N, /proc/self/fd/N
//   a directory, or a link to    refused: a link committed in a tree under the report's name must
//   a regular file or nothing    not make ecolint overwrite the file it points to.
bool write_output_file(const std::string& path, const std::string& content, std::string& error);

}  // namespace ecolint::cli
