#pragma once
// The notebook reader (.ipynb, nbformat 4): code cells, in order, become one Python module, with a
// map from every byte of that module back to its byte in the raw .ipynb file, so findings point
// at the raw file (what code scanning and editors highlight) and name the cell. Shell lines
// (`!cmd`, %%bash cells) are handed on separately, each with its own byte map.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/source.hpp"

namespace ecolint::notebook {

struct ShellLine {
  int cell = 0;             // 1-based index among all cells
  uint32_t module_line = 0; // 1-based line in the module text (blanked there)
  std::string command;      // the shell command, without the leading `!` (or a %%bash cell line)
  uint32_t cell_column = 0; // 1-based code-point column of the command's first character in its cell line
  std::vector<uint32_t> raw_offset;  // raw .ipynb byte offset for each byte of `command` (+1 end)
  std::string cell_line;    // the whole line as written in the cell (for snippets)
};

struct Extracted {
  std::string python;                  // code cells joined, magics and shell lines blanked
  std::vector<uint32_t> raw_offset;    // raw .ipynb byte offset for each byte of `python` (+1 end)
  std::vector<int> cell_of_line;       // per module line (index 0 = line 1): 1-based cell index
  std::vector<uint32_t> first_line_of_cell;  // per cell index: its first module line (0 if none)
  std::vector<ShellLine> shell_lines;
  std::string colab_gpu;  // metadata.colab.gpuType ("T4", "L4", "A100"), when the notebook records one
};

struct ExtractError {
  std::string message;
  Position position;  // in the raw file; 0/0 when unknown
};

// Never throws. Invalid JSON, a JSON document that is not an nbformat-4 notebook, or missing
// fields give an error instead.
std::optional<Extracted> extract(const std::string& raw, ExtractError& error);

}  // namespace ecolint::notebook
