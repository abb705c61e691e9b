#pragma once
// The walk over one parsed YAML document: Kubernetes kinds and training / serve config files
// recognised as a whole, maps under recognised keys (quantization_config), processes (containers,
// compose services, KServe predictors: image, command, args, env) and ConfigMap Python entries.
// Every node visit counts against a budget (aliases each time they are reached), so an alias bomb
// or a deep document stops with a note.
#include <yaml-cpp/yaml.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "shell/command.hpp"
#include "yaml/document.hpp"

namespace ecolint::engines {
struct Surfaces;
}

namespace ecolint::yaml {

class Walker {
 public:
  Walker(const SourceText& source, const AnalyseLimits& limits, Document& doc);
  void document(const YAML::Node& root);

 private:
  bool visit(const YAML::Node& n, unsigned depth);
  void stop(const YAML::Node& n, std::string message);
  Position position(const YAML::Node& n) const;
  Range range_of(const YAML::Node& n) const;
  void keep(engines::Launch&& l);

  void keys_of(const YAML::Node& map, engines::Launch& launch, const std::string& under, bool parent);
  void config_document(const YAML::Node& root);
  void keyed_under(const YAML::Node& n, engines::Launch& launch, unsigned depth);
  void config_map_python(const YAML::Node& root);
  std::optional<PythonBlock> literal_block(const YAML::Node& n, const std::string& key) const;
  void walk(const YAML::Node& n, unsigned depth, const std::string& key = "");
  void map_config(const YAML::Node& map);
  void claim(const YAML::Node& map) { claimed_.insert(map.Mark().pos); }
  bool claimed(const YAML::Node& map) const { return claimed_.count(map.Mark().pos) > 0; }
  void mapped_config(const std::string& key, const YAML::Node& map, const YAML::Node& parent);
  void process(const YAML::Node& map);
  std::string engine_of_image(const std::string& image) const;
  void add_words(const YAML::Node& part, std::vector<shell::Word>& words) const;
  void env_settings(const YAML::Node& env, engines::Launch& launch) const;
  void gpu_labels(const YAML::Node& map);
  void scripts(const YAML::Node& map);

  const SourceText& source_;
  const AnalyseLimits& limits_;
  Document& doc_;
  const engines::Surfaces& table_;
  mutable shell::CommandReader commands_;  // script_launches keeps a script's variables while it reads it
  std::vector<std::pair<YAML::Node, std::string>> ancestors_;  // maps being walked, with the key each is under
  std::set<int> claimed_;  // maps a launcher has read (by position)
  std::size_t visits_ = 0;
  int document_ = 0;  // 1-based index of the document being walked
  bool stopped_ = false;
};

}  // namespace ecolint::yaml
