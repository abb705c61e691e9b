#pragma once
// Fixes as edits: how a rule's fix is written into the text of a sub-source (a Python module, a
// YAML file, a shell line), from where the readers say a setting is written (engines::Setting's
// form, whole, value and via). Every builder checks that the text is shaped the way the edit
// needs and otherwise offers nothing: a finding without an edit keeps its advice text. Edits are
// in the sub-source's positions; the pipeline moves them to the file (escaping them in a
// notebook's JSON). Whether a fix is safe is the rule's data (fix_safety), applied by attach().
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.hpp"
#include "base/source.hpp"
#include "engines/launch.hpp"

namespace ecolint::edits {

// Removes a setting with what belongs to it: a flag and its value (and a YAML sequence item's
// line), a YAML key's line (not the last key of its mapping), a Python keyword or dict entry and
// one comma. Nothing for an environment variable.
std::optional<Edit> remove_setting(const SourceText& src, const engines::Setting& s);

// Replaces the setting's value where it is written inside the setting itself.
std::optional<Edit> replace_value(const SourceText& src, const engines::Setting& s, const std::string& text);

// ECO001: LLM.int8() without the outlier decomposition. Adds `llm_int8_threshold=0.0` next to the
// 8-bit setting (Python keyword, dict entry or item assignment; YAML key), or sets a written
// non-zero threshold to 0.0.
std::optional<Fix> int8_threshold_fix(const SourceText& src, const engines::Setting& eight_bit,
                                      const engines::Setting* threshold);

// ECO002: load in BF16 instead of bitsandbytes 4-bit. Python: the config handed to the loader
// (`quantization_config=...`), or the 4-bit keyword written in the loading call, becomes
// `torch_dtype=torch.bfloat16` (removed instead when the call already sets a dtype; `import torch`
// added when the module lacks it). YAML: `load_in_4bit: false`, axolotl's `adapter: qlora` becomes
// `lora`, other keys and engine flags are removed. All of `four_bit` or nothing.
std::optional<Fix> bf16_instead_of_4bit_fix(const SourceText& src, const engines::Launch& launch,
                                            const std::vector<const engines::Setting*>& four_bit);

// ECO003: a batch cap of 1 removed, so the engine's default limit applies (TGI and SGLang batch
// what their memory allows, vLLM 256 sequences, Ray Serve 10, KServe's batcher 32). Nothing for
// a pipeline's batch_size (its default is 1 too) or an environment variable.
std::optional<Fix> remove_batch_cap_fix(const SourceText& src, const engines::Launch& launch,
                                        const engines::Setting& cap);

// Adds `fix` to the finding `d` (when both exist), with the applicability the rule's data gives
// (`fix_safety:` in rules/ECONNN.yaml: "safe" or "unsafe").
void attach(Diagnostic* d, std::optional<Fix> fix, const std::string& fix_safety);

}  // namespace ecolint::edits
