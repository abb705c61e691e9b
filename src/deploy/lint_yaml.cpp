#include "deploy/lint_yaml.hpp"

#include <algorithm>

#include "deploy/document.hpp"
#include "python/facts.hpp"

namespace ecolint::deploy {
namespace {

bool enabled(const LintOptions& options, std::string_view id) {
  return std::find(options.enabled_rules.begin(), options.enabled_rules.end(), id) != options.enabled_rules.end();
}

Position shift(Position p, const PythonBlock& block) {
  if (p.line == 0) return p;
  return {p.line + block.first_line - 1, p.column + block.indent};
}

void lint_python_block(const std::string& path, const SourceText& yaml, const PythonBlock& block,
                       const LintOptions& options, FileResult& result) {
  SourceText code(block.code);
  auto module = python::Module::analyse(code);
  for (const auto& p : module->problems())
    result.notes.push_back({path, "in `" + block.key + "`: " + p.message + " (the rest was analysed)", shift(p.position, block)});
  std::vector<Diagnostic> found;
  LintContext ctx(path, code, options, found);
  for (const auto& rule : all_rules())
    if (enabled(options, rule->id())) rule->check_python(*module, ctx);
  for (auto& d : found) {
    d.range.start = shift(d.range.start, block);
    d.range.end = shift(d.range.end, block);
    d.snippet = std::string(yaml.line(d.range.start.line));
    result.diagnostics.push_back(std::move(d));
  }
}

}  // namespace

void lint_yaml(const std::string& display_path, const SourceText& source, const LintOptions& options, FileResult& result) {
  Document doc = analyse(source);
  for (const auto& n : doc.notes) result.notes.push_back({display_path, n.message, n.position});
  LintContext ctx(display_path, source, options, result.diagnostics);
  for (const auto& rule : all_rules())
    if (enabled(options, rule->id())) rule->check_deploy(doc, ctx);
  for (const auto& block : doc.python_blocks) lint_python_block(display_path, source, block, options, result);
}

}  // namespace ecolint::deploy
