#pragma once
// Model size from a model id ("Qwen/Qwen2.5-1.5B-Instruct" -> 1.5 B parameters), from the name
// itself or from the curated table rules/model_sizes.yaml for ids whose name carries no size.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ecolint::model {

struct ModelSize {
  bool known = false;
  double total_billions = 0.0;                 // all parameters (MoE: every expert)
  std::optional<double> active_billions;       // MoE active / "effective" count, when known
  std::string basis;                           // how it was found: "name" or "table: <source>"
};

// Parse a size from the name alone; unknown if the name has no unambiguous size token.
ModelSize size_from_name(std::string_view model_id);

// Curated table first, then the name. A local path is sized by its last components (the
// directory a model is saved in keeps its hub name: "/models/Qwen/Qwen3-0.6B-Base"); unknown ids
// are unknown.
ModelSize resolve_model_size(std::string_view model_id);

// True if the id looks like a local path rather than a hub id ("./ckpt", "/models/x", "~/m").
bool looks_like_local_path(std::string_view model_id);

// One row of rules/model_sizes.yaml.
struct SizeTableRow {
  std::vector<std::string> ids;                // aliases, matched case-insensitively
  double total_billions = 0.0;
  std::optional<double> active_billions;
  std::string source;                          // citation, never empty in a valid table
  std::string note;
};

struct SizeTable {
  std::vector<SizeTableRow> rows;
  std::string error;                           // empty if the whole table was valid
};

// Parse and validate a table in the rules/model_sizes.yaml format. Never throws: on any
// problem, rows is empty and error says what was wrong (so one bad row disables the table).
SizeTable parse_size_table(std::string_view yaml_text);

// The embedded table, parsed once on first use (thread-safe).
const SizeTable& size_table();

}  // namespace ecolint::model
