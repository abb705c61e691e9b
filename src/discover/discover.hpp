#pragma once
// Which files to lint: explicit file arguments always; directories walked without following
// symlinks, skipping VCS and tool folders and whatever git would ignore there: core.excludesFile,
// $GIT_DIR/info/exclude and the .gitignore of every directory from the work-tree top down (also
// those above a walk root inside the work tree), with git's pattern syntax, negation and
// precedence. Each ignore file is read once and matched in memory (discover/gitignore.hpp);
// libgit2 only reads core.excludesFile from git config. A nested repository brings its own rules.
#include <functional>
#include <string>
#include <vector>

#include "base/diagnostic.hpp"

namespace ecolint {

struct FileToLint {
  std::string display_path;  // relative to the working directory, as the user gave it
  std::string fs_path;       // what to open
  bool explicit_argument = false;
};

struct DiscoverOptions {
  bool respect_gitignore = true;
};

// Fills `files` (sorted by display path, no duplicates) and `notes` (for arguments that do not
// exist or directories that cannot be read). Returns false if any argument does not exist.
bool discover_files(const std::vector<std::string>& arguments, const DiscoverOptions& options,
                    std::vector<FileToLint>& files, std::vector<Note>& notes);

// The same, streamed: `files` is called for each file as the walk finds it (walk order; a file
// reached through two arguments comes twice), so linting can start before the walk ends.
using FileSink = std::function<void(FileToLint&&)>;
bool discover_files(const std::vector<std::string>& arguments, const DiscoverOptions& options, const FileSink& files,
                    std::vector<Note>& notes);

// Whether a directory walk picks up this file name (by extension).
bool is_lintable_name(const std::string& name);

// Whether a directory walk never enters directories of this name (VCS and tool folders).
bool is_skipped_dir_name(const std::string& name);

}  // namespace ecolint
