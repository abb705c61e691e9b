#pragma once
// Which reader a file goes to, by its name.
#include <string_view>

#include "base/text.hpp"

namespace ecolint {

enum class FileKind { Python, Notebook, Yaml, Unknown };

inline FileKind kind_of_path(std::string_view path) {
  if (text::ends_with(path, ".py")) return FileKind::Python;
  if (text::ends_with(path, ".ipynb")) return FileKind::Notebook;
  if (text::ends_with(path, ".yaml") || text::ends_with(path, ".yml")) return FileKind::Yaml;
  return FileKind::Unknown;
}

}  // namespace ecolint
