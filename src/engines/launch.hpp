#pragma once
// What an engine is told to do, whoever told it: a process in a Kubernetes manifest or compose
// file, a shell line, a config file, a config map, or a Python call. Readers (src/yaml,
// src/shell, src/python) produce launches through the rows of the engine table; rules read their
// settings by meaning, never by spelling.
#include <string>
#include <string_view>
#include <vector>

#include "base/source.hpp"

namespace ecolint::engines {

struct SettingRow;
struct Launcher;

// One recognised setting: `--quantize bitsandbytes`, `QUANTIZE=bitsandbytes`, `load_in_8bit: true`,
// `load_in_8bit=True`.
struct Setting {
  std::string name;     // the meaning (a surfaces.yaml `setting`): model, quantize, max_batch_size, ...
  std::string value;    // the value ("true" for a switch or a Python True)
  bool known = true;    // false when the value is templated, an env reference, or not statically known
  std::string written;  // as written, for messages: "--quantize bitsandbytes", "load_in_8bit=True"
  bool from_env = false;
  bool direct = true;   // written in the launch itself, not in a config object handed to it
  const SettingRow* row = nullptr;
  Range where;          // the flag, the env variable's name, the key or the keyword
  std::string context;  // a clause for messages ("it is run over a list or dataset at line 12")

  // Where the setting is written, for fixes (src/rules/edits.hpp). A range with line 0 is not
  // known; an edit is offered only where the text there is what the setting says.
  enum class Form { Unknown, Flag, Env, YamlKey, Python };
  Form form = Form::Unknown;
  Range whole;  // the whole setting: `--max-num-seqs 1`, `load_in_8bit: true`, `load_in_8bit=True`, `"k": v`
  Range value_range;  // its value as written: `1`, `true`, `True` (the word itself for a switch)
  // Python: the keyword or dict entry that handed the config object holding this setting to the
  // launch (`quantization_config=bnb_config`), and its name; empty when written in the launch.
  Range via;
  std::string via_key;
};

struct Launch {
  std::string engine;       // surfaces.yaml engine id
  std::string engine_name;  // for messages
  // Python: the call or dict the settings were written in ("BitsAndBytesConfig(...)", "the
  // `model_kwargs` dict"); empty for processes and config files, which name the engine instead.
  std::string written_in;
  const Launcher* launcher = nullptr;
  bool open = false;  // may hold settings we could not see (a **kwargs we could not resolve)
  // What the loaded model is used for, where the reader can tell: a serving engine serves; a
  // Python file that generates and trains nothing runs inference; one that trains, training.
  enum class Purpose { Unknown, Inference, Training } purpose = Purpose::Unknown;
  int document = 0;  // YAML: the 1-based document of the stream it was read from (0 elsewhere)
  std::vector<Setting> settings;
  // The effective setting of this name: a flag or key over an env var, the last one written.
  const Setting* get(std::string_view name) const;
  // How a finding names the setting: "text-generation-inference `--quantize bitsandbytes`" or
  // "`load_in_8bit=True` in BitsAndBytesConfig(...)".
  std::string describe(const Setting& s) const;
};

// A bitsandbytes quantization a launch asks for, after `requires` and the threshold are applied.
struct Quantization {
  std::string method;  // "int8" (LLM.int8() with an outlier threshold), "int8-pure" (threshold 0.0),
                       // "nf4", "fp4", or "4-bit" (type unknown)
  const Setting* setting = nullptr;
  const Setting* threshold = nullptr;  // int8: the llm_int8_threshold written, when one is
};
std::vector<Quantization> quantizations(const Launch& launch);

// YAML 1.1 and 1.2 spellings of true/false, as Python tools (PyYAML) read them, become "true" /
// "false"; other values are returned unchanged.
std::string canonical_value(const std::string& v);

}  // namespace ecolint::engines
