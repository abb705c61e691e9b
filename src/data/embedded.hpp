#pragma once
// Data files from rules/ (rule metadata, evidence, model sizes, GPUs), embedded at build time.
#include <optional>
#include <string_view>
#include <vector>

namespace ecolint::data {
// The bytes of rules/<name>, e.g. embedded("model_sizes.yaml"); nullopt if there is no such file.
std::optional<std::string_view> embedded(std::string_view name);
std::vector<std::string_view> embedded_names();
}  // namespace ecolint::data
