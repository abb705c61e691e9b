// Notebook linting: extract code cells, lint them as one Python module, map positions back.
#include <algorithm>

#include "core/lint.hpp"
#include "deploy/document.hpp"
#include "energy/evidence.hpp"
#include "energy/gpus.hpp"
#include "notebook/notebook.hpp"

namespace ecolint {

FileResult lint_notebook(const std::string& display_path, const std::string& raw, const LintOptions& options) {
  FileResult result;
  notebook::ExtractError error;
  auto extracted = notebook::extract(raw, error);
  if (!extracted) {
    result.notes.push_back({display_path, error.message, error.position});
    return result;
  }
  // A Colab notebook records the GPU it ran on; like a GPU named in a deployment file, it sets
  // this file's estimates and ECO002's threshold unless --gpu or the configuration names one.
  LintOptions nb_options = options;
  std::string gpu_origin;
  if (options.gpu.empty() && !extracted->colab_gpu.empty())
    if (const energy::Gpu* gpu = energy::find_gpu(extracted->colab_gpu)) {
      nb_options.gpu = gpu->name;
      if (!nb_options.nf4_threshold_b) nb_options.nf4_threshold_b = energy::nf4_crossover_for_gpu(gpu->name);
      gpu_origin = "GPU " + gpu->name + " from the notebook's Colab metadata";
    }
  FileResult inner = lint_text(display_path, extracted->python, FileKind::Python, nb_options);
  if (!gpu_origin.empty())
    for (auto& d : inner.diagnostics) d.impact += "; " + gpu_origin;

  SourceText module(extracted->python);
  SourceText raw_text(raw);
  auto to_raw = [&](Position p) -> Position {
    if (p.line == 0) return p;
    std::size_t offset = module.offset_from_position(p);
    offset = std::min(offset, extracted->raw_offset.size() - 1);
    return raw_text.position_from_offset(extracted->raw_offset[offset]);
  };
  auto cell_of = [&](uint32_t line) -> int {
    return line >= 1 && line <= extracted->cell_of_line.size() ? extracted->cell_of_line[line - 1] : 0;
  };
  auto place = [&](Diagnostic& d) {
    d.cell = cell_of(d.range.start.line);
    if (d.cell > 0) {
      uint32_t first = extracted->first_line_of_cell[static_cast<std::size_t>(d.cell)];
      d.cell_position = {d.range.start.line - first + 1, d.range.start.column};
    }
    Position end = to_raw(d.range.end);
    d.range.start = to_raw(d.range.start);
    // A range that spans JSON strings would end on another raw line; keep it on the start line.
    d.range.end = end.line == d.range.start.line && end.column >= d.range.start.column
                      ? end
                      : Position{d.range.start.line, d.range.start.column + 1};
  };
  for (auto& d : inner.diagnostics) place(d);
  for (auto& s : inner.suppressed) place(s.diagnostic);
  for (auto& n : inner.notes) {
    if (n.position.line) {
      int cell = cell_of(n.position.line);
      n.position = to_raw(n.position);
      if (cell > 0) n.message += " (cell " + std::to_string(cell) + ")";
    }
  }
  for (auto& u : inner.unused_suppressions) u.position = to_raw(u.position);

  // Shell lines that launch an engine (`!vllm serve ... --max-num-seqs 1`, a %%bash cell) are
  // read like command lines in YAML, with the same engine tables.
  for (const auto& shell : extracted->shell_lines) {
    SourceText command(shell.command);
    deploy::Document doc = deploy::analyse_shell_command(command);
    if (doc.launches.empty()) continue;
    std::vector<Diagnostic> found;
    LintContext ctx(display_path, command, nb_options, found);
    for (const auto& rule : all_rules())
      if (std::find(options.enabled_rules.begin(), options.enabled_rules.end(), rule->id()) != options.enabled_rules.end())
        rule->check_deploy(doc, ctx);
    auto raw_of = [&](Position p) {
      std::size_t offset = std::min(command.offset_from_position(p), shell.raw_offset.size() - 1);
      return raw_text.position_from_offset(shell.raw_offset[offset]);
    };
    for (auto& d : found) {
      d.cell = shell.cell;
      d.snippet = shell.cell_line;
      uint32_t first = extracted->first_line_of_cell[static_cast<std::size_t>(shell.cell)];
      d.cell_position = {shell.module_line - first + 1, shell.cell_column + d.range.start.column - 1};
      Position start = raw_of(d.range.start), end = raw_of(d.range.end);
      d.range = {start, end.line == start.line && end.column > start.column ? end : Position{start.line, start.column + 1}};
      if (!gpu_origin.empty()) d.impact += "; " + gpu_origin;
      inner.diagnostics.push_back(std::move(d));
    }
  }
  return inner;
}

}  // namespace ecolint
