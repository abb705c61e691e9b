#pragma once
// The engine table (rules/surfaces.yaml): the only place ecolint knows about serving engines and
// training tools. Which engine a process, config file, config map or Python call belongs to, and
// which flag / env var / key / keyword of that engine means which setting. Every reader (YAML,
// shell lines, Python) matches through these rows; rules read the settings by meaning.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/trigger.hpp"

namespace ecolint::engines {

struct Engine {
  std::string id, name;
  bool underscores_are_dashes = false;
  std::string default_4bit_type;  // "nf4", "fp4", or empty
  std::string int8_fix;           // empty: the threshold can be set, the rule's own fix applies
  bool serves = false;            // an inference server: what it loads runs inference, never training
};

struct Launcher {
  std::string engine;  // empty only for `argv` launchers (the command names the engine)
  std::string program, subcommand, module, script, image, model_format, kind, map_key;
  std::vector<std::string> doc_keys_all, doc_keys_any;
  // An env file (KEY=value lines) is this engine's environment when it sets one of these
  // variables, which only this engine reads.
  std::vector<std::string> env_file_any;
  // Any YAML map holding one of these keys (and not read by another launcher) is this engine's
  // config; its model is looked for in the map and the maps around it, nearest first.
  std::vector<std::string> map_with_keys;
  // YAML keys whose values are shell scripts (SkyPilot `run:`, dstack `commands:`, truss
  // `start_command:`): read as scripts, whatever engine they start (no engine on the row).
  std::vector<std::string> script_keys;
  // A map whose `engine:` field has this value (kubeai `engine: VLLM`): its `args` are this engine's.
  std::string engine_value;
  // (call launchers) the positional argument holding a config dict read as keys (DictDefault({...})).
  int config_arg = -1;
  std::string positional;  // setting of the first bare word after a program launcher
  // Python: calls whose import-resolved callee is one of these dotted names (see call_matches).
  std::vector<std::string> call;
  std::vector<std::string> call_not_containing;  // ...unless the callee contains one of these (AutoTokenizer.from_pretrained)
  std::vector<std::string> args;  // setting of each positional argument of such a call ("" for none)
  int argv = -1;                  // the positional argument holding a command line (subprocess)
  std::string note;               // added to quantization findings written directly in this call
  // The call makes an object that runs the model on what it is called with (a transformers
  // pipeline): its batch setting matters only when it is called on many inputs, and calling it
  // once per item of a loop is unbatched.
  bool callable_model = false;
  // The call makes an engine whose .generate() takes prompt text (vLLM's LLM, SGLang's Engine):
  // generate(prompt) once per item of a loop is unbatched.
  bool generates_from_text = false;
  std::size_t row = 0;            // 1-based index in the launchers list, for messages
};

struct SettingRow {
  std::vector<std::string> engines;
  std::string flag, short_flag, env, key, under, kwarg;
  bool in_parent = false;
  bool is_bool = false;
  std::string setting;
  std::map<std::string, std::string> means;                   // value -> method
  std::map<std::string, std::string> means_contains;          // value containing this text -> method
  std::map<std::string, std::vector<std::string>> requires_;  // setting -> allowed values
  bool strict_requires = false;  // the required settings must be written (not just allowed when absent)
  std::string fix;                                           // how to fix this setting, where it differs from the rule's
  bool implied = false;  // quantization implied by another choice (axolotl adapter: qlora): a switch that says the same wins
  bool of_callable_model = false;  // a keyword only the calls of callable_model launchers take (a pipeline's batch_size)
  std::size_t row = 0;                                       // 1-based index in the settings list
  bool for_engine(std::string_view engine) const;
};

// The meanings a setting row may have, and the quantization methods `means` may name.
extern const std::vector<std::string> kSettingNames;
extern const std::vector<std::string> kQuantizationMethods;

struct Surfaces {
  // Model ids that name a checkpoint already quantized by bitsandbytes (`...-bnb-4bit`): the
  // suffix and the method loading it means.
  std::vector<std::pair<std::string, std::string>> prequantized_suffixes;
  std::vector<Engine> engines;
  std::vector<Launcher> launchers;
  std::vector<SettingRow> settings;
  const Engine* engine(std::string_view id) const;
  // The first launcher whose `call` patterns match a Python callee (see call_matches), or null.
  const Launcher* call_launcher(std::string_view callee) const;
  // The prefilter words for rows of these meanings, restricted to rows whose `means` name one of
  // `methods` when `methods` is not empty (quantize rows). Every spelling a reader matches
  // (flag, short flag, env, key, kwarg, with '-' and '_' swapped where the engine allows it).
  // `value_near`: see base/trigger.hpp (the value the rule needs these settings to have).
  std::vector<Trigger> triggers(const std::vector<std::string>& meanings, const std::vector<std::string>& methods,
                                const std::string& value_near = "") const;
};

// A Python callee (import-resolved and dotted: "transformers.AutoModelForCausalLM.from_pretrained";
// "?.m" for a method of something dynamic) matches a `call:` pattern when it equals the pattern
// or ends with "." + pattern; a pattern "=name" matches only the bare callee "name" (a function
// not imported in the file).
bool call_matches(std::string_view callee, std::string_view pattern);

// Parses a table in the rules/surfaces.yaml format and checks every value against the closed
// lists above. Throws std::runtime_error naming `file`, the list and the row on a malformed one.
Surfaces parse_surfaces(std::string_view yaml_text, const std::string& file = "surfaces.yaml");

// The embedded table, parsed once (thread-safe). Throws std::runtime_error if it is malformed
// (a unit test checks the shipped table loads).
const Surfaces& surfaces();

}  // namespace ecolint::engines
