#pragma once
// Which reader a file goes to, by its name. A file without an extension may be a shell script:
// it is read only if it starts with a `#!` line naming a shell (see is_shell_shebang).
#include <string_view>

#include "base/text.hpp"

namespace ecolint {

enum class FileKind { Python, Notebook, Yaml, Shell, Dockerfile, EnvFile, MaybeShell, Unknown };

inline FileKind kind_of_path(std::string_view path) {
  auto slash = path.find_last_of('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (text::ends_with(name, ".py")) return FileKind::Python;
  if (text::ends_with(name, ".ipynb")) return FileKind::Notebook;
  if (text::ends_with(name, ".yaml") || text::ends_with(name, ".yml")) return FileKind::Yaml;
  if (text::ends_with(name, ".sh") || text::ends_with(name, ".bash")) return FileKind::Shell;
  if (name == "Dockerfile" || name == "Containerfile" || text::starts_with(name, "Dockerfile.") ||
      text::ends_with(name, ".dockerfile") || text::ends_with(name, ".Dockerfile"))
    return FileKind::Dockerfile;
  if (name == ".env" || text::starts_with(name, ".env.") || text::ends_with(name, ".env")) return FileKind::EnvFile;
  if (!name.empty() && name.find('.') == std::string_view::npos) return FileKind::MaybeShell;
  return FileKind::Unknown;
}

// `#!/bin/bash`, `#!/usr/bin/env sh`, `#!/bin/zsh -e`, ...
inline bool is_shell_shebang(std::string_view text) {
  if (!text::starts_with(text, "#!")) return false;
  std::string_view line = text.substr(2, text.find('\n') == std::string_view::npos ? std::string_view::npos : text.find('\n') - 2);
  for (std::string_view shell : {"/sh", "/bash", "/dash", "/zsh", "/ash", "/ksh", " sh", " bash", " zsh", " dash"}) {
    auto at = line.find(shell);
    if (at == std::string_view::npos) continue;
    std::size_t end = at + shell.size();
    if (end >= line.size() || line[end] == ' ' || line[end] == '\r' || line[end] == '\t') return true;
  }
  return false;
}

}  // namespace ecolint
