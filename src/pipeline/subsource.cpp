#include "pipeline/subsource.hpp"

#include <algorithm>

namespace ecolint::pipeline {

SubSource::SubSource(const SourceText& host, std::string text, std::vector<uint32_t> host_offset)
    : host_(&host), own_(std::make_shared<SourceText>(std::move(text))), text_(own_.get()),
      host_offset_(std::move(host_offset)) {}

Position SubSource::to_host(Position p) const {
  if (host_offset_.empty() || p.line == 0) return p;
  std::size_t offset = std::min(text_->offset_from_position(p), host_offset_.size() - 1);
  return host_->position_from_offset(host_offset_[offset]);
}

Range SubSource::to_host(Range r) const {
  if (host_offset_.empty()) return r;
  Range out{to_host(r.start), to_host(r.end)};
  if (out.end.line != out.start.line || out.end.column <= out.start.column)
    out.end = {out.start.line, out.start.column + 1};
  return out;
}

void SubSource::set_cells(std::vector<int> cell_of_line, std::vector<uint32_t> first_line_of_cell) {
  cell_of_line_ = std::move(cell_of_line);
  first_line_of_cell_ = std::move(first_line_of_cell);
}

void SubSource::set_cell(int cell, uint32_t line, uint32_t column) {
  fixed_cell_ = cell;
  fixed_line_ = line;
  fixed_column_ = column;
}

int SubSource::cell_of(Position p, Position* in_cell) const {
  if (fixed_cell_ > 0) {
    if (in_cell) *in_cell = {fixed_line_, fixed_column_ + p.column - 1};
    return fixed_cell_;
  }
  if (p.line == 0 || p.line > cell_of_line_.size()) return 0;
  int cell = cell_of_line_[p.line - 1];
  if (cell > 0 && in_cell && static_cast<std::size_t>(cell) < first_line_of_cell_.size())
    *in_cell = {p.line - first_line_of_cell_[static_cast<std::size_t>(cell)] + 1, p.column};
  return cell;
}

std::string SubSource::snippet(Position p) const {
  switch (snippet_from_) {
    case Snippet::Own: return std::string(text_->line(p.line));
    case Snippet::Fixed: return fixed_snippet_;
    case Snippet::Host: break;
  }
  return std::string(host_->line(to_host(p).line));
}

void SubSource::place(Diagnostic& d) const {
  d.snippet = snippet(d.range.start);
  d.cell = cell_of(d.range.start, &d.cell_position);
  d.range = to_host(d.range);
  for (auto& fix : d.fixes)
    if (!std::all_of(fix.edits.begin(), fix.edits.end(), [&](Edit& e) { return place(e); })) fix.edits.clear();
  d.fixes.erase(std::remove_if(d.fixes.begin(), d.fixes.end(), [](const Fix& f) { return f.edits.empty(); }),
                d.fixes.end());
}

}  // namespace ecolint::pipeline
