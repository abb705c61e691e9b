#pragma once
// The YAML facts layer: what the engines in a deployment or training YAML file are told to do.
// A YAML file (all documents of the stream) becomes a list of launches: one process, config file
// or config map read by one recognised engine (rules/surfaces.yaml), with its settings and their
// exact positions. Embedded Python (ConfigMap `*.py` entries) is handed on with its offsets.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/source.hpp"

namespace ecolint::deploy {

struct SettingRow;

// One recognised setting: `--quantize bitsandbytes`, `QUANTIZE=bitsandbytes`, `load_in_8bit: true`.
struct Setting {
  std::string name;     // the meaning (a surfaces.yaml `setting`): model, quantize, max_batch_size, ...
  std::string value;    // the value as written ("true" for a switch)
  bool known = true;    // false when the value is templated or an env reference ($(X), ${X}, {{ }})
  std::string spelled;  // how it was written: "--quantize", "QUANTIZE", "load_in_8bit"
  bool from_env = false;
  const SettingRow* row = nullptr;
  Range where;          // the flag, the env variable's name, or the key
};

// The setting as a user wrote it, for messages: "--quantize bitsandbytes", "QUANTIZE=bitsandbytes",
// "load_in_8bit: true", "--load-in-8bit".
std::string as_written(const Setting& s);

struct Launch {
  std::string engine;       // surfaces.yaml engine id
  std::string engine_name;  // for messages
  std::vector<Setting> settings;
  // The effective setting of this name: a flag or key over an env var, the last one written.
  const Setting* get(std::string_view name) const;
};

// A bitsandbytes quantization a launch asks for, after `requires` and the threshold are applied.
struct Quantization {
  std::string method;  // "int8" (LLM.int8() with an outlier threshold), "nf4", "fp4"
  const Setting* setting = nullptr;
};
std::vector<Quantization> quantizations(const Launch& launch);

// Python source in a literal block scalar; its line L column C is the file's line
// first_line + L - 1, column C + indent.
struct PythonBlock {
  std::string key;
  std::string code;
  uint32_t first_line = 0;
  uint32_t indent = 0;
};

struct DocumentNote {
  Position position;
  std::string message;
};

struct Document {
  std::vector<Launch> launches;
  std::vector<PythonBlock> python_blocks;
  std::vector<DocumentNote> notes;  // why (part of) the file was not analysed
};

struct AnalyseLimits {
  unsigned max_depth = 200;
  std::size_t max_nodes = 200000;  // node visits; aliases are counted each time they are reached
};

// Parses every document of the stream and collects its launches. Never throws: parse errors,
// Helm templates, deep nesting and alias bombs become notes.
Document analyse(const SourceText& source, const AnalyseLimits& limits = {});

// The launches of one shell command line (the whole text), e.g. a notebook's `!vllm serve m
// --max-num-seqs 1`, read with the same engine tables as commands in YAML.
Document analyse_shell_command(const SourceText& source);

}  // namespace ecolint::deploy
