#pragma once
// The table of configuration surfaces (rules/surfaces.yaml): which engine a process, config file
// or map belongs to, and which flag / env var / key of that engine means which setting.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ecolint::deploy {

struct Engine {
  std::string id, name;
  bool underscores_are_dashes = false;
  std::string default_4bit_type;  // "nf4", "fp4", or empty
  std::string int8_fix;           // empty: the threshold can be set, the rule's own fix applies
};

struct Launcher {
  std::string engine;
  std::string program, subcommand, module, script, image, model_format, kind, map_key;
  std::vector<std::string> doc_keys_all, doc_keys_any;
  std::string positional;  // setting of the first bare word after a program launcher
};

struct SettingRow {
  std::vector<std::string> engines;
  std::string flag, short_flag, env, key, under;
  bool in_parent = false;
  bool is_bool = false;
  std::string setting;
  std::map<std::string, std::string> means;                      // value -> method
  std::map<std::string, std::vector<std::string>> requires_;     // setting -> allowed values
  bool for_engine(std::string_view engine) const;
};

struct Surfaces {
  std::vector<Engine> engines;
  std::vector<Launcher> launchers;
  std::vector<SettingRow> settings;
  const Engine* engine(std::string_view id) const;
  // Words of which one must occur in a YAML file for any setting to matter (the prefilter).
  std::vector<std::string> trigger_words;
};

// Parses a table in the rules/surfaces.yaml format. Throws std::runtime_error on a malformed one.
Surfaces parse_surfaces(std::string_view yaml_text);

// The embedded table, parsed once (thread-safe). Throws std::runtime_error if it is malformed
// (a unit test checks the shipped table loads).
const Surfaces& surfaces();

}  // namespace ecolint::deploy
