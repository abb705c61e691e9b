#pragma once
// The YAML reader: what the engines in a deployment or training YAML file are told to do. A YAML
// file (all documents of the stream) becomes a list of launches: one process, config file or
// config map read by one recognised engine (rules/surfaces.yaml), with its settings and their
// exact positions. Embedded Python (ConfigMap `*.py` entries) is handed on with its place, for
// the pipeline to analyse as a Python sub-source.
#include <string>
#include <vector>

#include "base/source.hpp"
#include "engines/launch.hpp"

namespace ecolint::yaml {

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

// A GPU the file names (a node selector, an accelerator field, an instance type).
struct GpuMention {
  std::string gpu;      // canonical catalogue name
  std::string written;  // the value as written
  Position position;
  int document = 0;     // 1-based document of the stream it is in
};

struct Document {
  std::vector<engines::Launch> launches;
  std::vector<GpuMention> gpus;  // in file order
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

}  // namespace ecolint::yaml
