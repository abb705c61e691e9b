#pragma once
// A piece of a host file analysed on its own text: the file itself, a ConfigMap's Python block, a
// notebook's code cells joined into one module, a notebook shell line. Each carries one map from
// its byte offsets to the host file's, so every finding, suppression and note is reported at the
// host file's line and column, and, in a notebook, with its cell.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/diagnostic.hpp"
#include "base/source.hpp"

namespace ecolint::pipeline {

class SubSource {
 public:
  // The host file itself.
  explicit SubSource(const SourceText& host) : host_(&host), text_(&host) {}
  // `text` whose byte i sits at host byte host_offset[i] (host_offset holds one more entry, for
  // the end of the text).
  SubSource(const SourceText& host, std::string text, std::vector<uint32_t> host_offset);

  const SourceText& text() const { return *text_; }
  const SourceText& host() const { return *host_; }

  Position to_host(Position p) const;
  // A range mapped to the host; one that would leave its start's line (it spanned JSON strings)
  // ends one column after its start.
  Range to_host(Range r) const;

  // Notebook cells: the module's line -> cell map, or one cell for a shell line whose text starts
  // at `line` and `column` of that cell.
  void set_cells(std::vector<int> cell_of_line, std::vector<uint32_t> first_line_of_cell);
  void set_cell(int cell, uint32_t line, uint32_t column);
  // The cell of a position in this sub-source (0: not a notebook), and the position in that cell.
  int cell_of(Position p, Position* in_cell) const;

  // Snippets (the line a finding is on, as the user reads it): the host's line (default), this
  // sub-source's line (a notebook module: the cell's line), or a fixed text (a shell line's cell line).
  enum class Snippet { Host, Own, Fixed };
  void set_snippet(Snippet from, std::string fixed = {}) {
    snippet_from_ = from;
    fixed_snippet_ = std::move(fixed);
  }
  std::string snippet(Position p) const;

  // How this text is written in the host, for edits: as it is (the file itself, or a block of
  // lines each indented by `indent` bytes: a ConfigMap's Python), or as JSON string content (a
  // notebook's cells, one string per line or one per cell).
  enum class Encoding { Plain, Indented, Json };
  void set_encoding(Encoding e, uint32_t indent = 0) {
    encoding_ = e;
    indent_ = indent;
  }

  // Moves a finding found in this sub-source's text to the host: range, snippet, cell, and its
  // fixes' edits (a fix with an edit that cannot be placed is dropped).
  void place(Diagnostic& d) const;
  // Moves one edit to the host, written as the host needs it (see Edit); false when the span is
  // not written contiguously there, so the edit would not land exactly where the rule meant.
  bool place(Edit& e) const;

 private:
  const SourceText* host_;
  std::shared_ptr<const SourceText> own_;
  const SourceText* text_;
  std::vector<uint32_t> host_offset_;  // empty: the identity
  std::vector<int> cell_of_line_;
  std::vector<uint32_t> first_line_of_cell_;
  int fixed_cell_ = 0;
  uint32_t fixed_line_ = 0, fixed_column_ = 0;
  Snippet snippet_from_ = Snippet::Host;
  std::string fixed_snippet_;
  Encoding encoding_ = Encoding::Plain;
  uint32_t indent_ = 0;
};

}  // namespace ecolint::pipeline
