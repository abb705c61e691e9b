#include "pipeline/analyse.hpp"

#include <algorithm>
#include <map>
#include <memory>

#include "energy/gpus.hpp"
#include "energy/impact.hpp"
#include "model/model_size.hpp"
#include "notebook/notebook.hpp"
#include "pipeline/subsource.hpp"
#include "pipeline/triage.hpp"
#include "python/facts.hpp"
#include "python/launches.hpp"
#include "rules/rule.hpp"
#include "shell/command.hpp"
#include "shell/dockerfile.hpp"
#include "engines/surfaces.hpp"
#include "suppress/suppress.hpp"
#include "yaml/document.hpp"

namespace ecolint::pipeline {

namespace {

// One sub-source with the facts its reader extracted.
struct Part {
  std::unique_ptr<SubSource> source;
  std::unique_ptr<python::Module> module;  // Python sub-sources
  std::vector<engines::Launch> launches;
  int document = -1;  // YAML: the document its launches come from
};

bool enabled(const LintOptions& options, const std::string& id) {
  return std::find(options.enabled_rules.begin(), options.enabled_rules.end(), id) != options.enabled_rules.end();
}

// The one place rules run: every enabled rule on one sub-source's facts. Findings are at the
// sub-source's positions.
std::vector<Diagnostic> find(const Part& part, const std::string& path, const FileContext& context,
                             const LintOptions& options) {
  std::vector<Diagnostic> found;
  RuleContext ctx(path, part.source->text(), context, found);
  const SubSource& source = *part.source;
  ctx.set_host_map([&source](Position p) { return source.to_host(p); });
  for (const auto& rule : all_rules()) {
    if (!enabled(options, rule->id())) continue;
    if (part.module) rule->check_python(*part.module, ctx);
    if (!part.launches.empty()) rule->check_launches(part.launches, ctx);
  }
  return found;
}

// Finds and moves the findings to the host file.
void run_rules(const Part& part, const std::string& path, const FileContext& context, const LintOptions& options,
               std::vector<Diagnostic>& out) {
  for (auto& d : find(part, path, context, options)) {
    part.source->place(d);
    out.push_back(std::move(d));
  }
}

// A Python sub-source: parse, build facts, read its launches; parse problems become notes worded
// by `note` and placed in the host file (with the cell, in a notebook). The calls' syntax is built
// only where a rule that reads it may fire: where one of its triggers holds in this Python text.
template <typename Wording>
void read_python(Part& part, const std::string& path, const LintOptions& options, Wording&& note,
                 std::vector<Note>& notes) {
  const Prefilter* syntax_rules = call_syntax_prefilter_for(options);
  bool call_syntax = syntax_rules && syntax_rules->check(part.source->text().text(), true).candidate;
  part.module = python::Module::analyse(part.source->text(), call_syntax);
  for (const auto& p : part.module->problems()) {
    std::string message = note(p.message);
    int cell = part.source->cell_of(p.position, nullptr);
    if (p.position.line && cell > 0) message += " (cell " + std::to_string(cell) + ")";
    notes.push_back({path, message, part.source->to_host(p.position)});
  }
  part.launches = python::launches_of(*part.module);
}

// A problem in a whole file: a syntax error skips only the statement it is in.
std::string file_problem(const std::string& message) {
  return message.rfind("syntax error", 0) == 0 ? message + " (the rest of the file was analysed)" : message;
}

// The file's context: the GPU from the options, else one the file itself names (a deployment's
// node selector or instance type, a Colab notebook's metadata); the threshold that GPU sets; the
// size of the one model the file's launches name.
FileContext file_context(const LintOptions& options, const std::vector<yaml::GpuMention>& gpus,
                         const std::string& colab_gpu, const std::vector<Part>& parts) {
  FileContext c;
  c.gpu = options.gpu;
  c.nf4_threshold_b = options.nf4_threshold_b;
  if (c.gpu.empty() && !gpus.empty()) {
    const yaml::GpuMention& first = gpus.front();
    c.gpu = first.gpu;
    c.gpu_origin = "GPU " + first.gpu + " from line " + std::to_string(first.position.line) + " (" + first.written + ")";
  }
  if (c.gpu.empty() && !colab_gpu.empty()) {
    if (const energy::Gpu* gpu = energy::find_gpu(colab_gpu)) {
      c.gpu = gpu->name;
      c.gpu_origin = "GPU " + gpu->name + " from the notebook's Colab metadata";
    }
  }
  if (!c.nf4_threshold_b && !c.gpu.empty()) c.nf4_threshold_b = energy::nf4_crossover_for_gpu(c.gpu);
  std::optional<double> size;
  bool several = false;
  for (const auto& part : parts)
    for (const auto& launch : part.launches)
      if (const engines::Setting* m = launch.get("model"); m && m->known) {
        model::ModelSize s = model::resolve_model_size(m->value);
        if (!s.known) continue;
        if (size && *size != s.total_billions) several = true;
        size = s.total_billions;
      }
  if (!several) c.model_params_b = size;
  return c;
}

FileResult analyse_python(const std::string& path, const SourceText& source, const LintOptions& options) {
  FileResult result;
  std::vector<Part> parts(1);
  parts[0].source = std::make_unique<SubSource>(source);
  read_python(parts[0], path, options, file_problem, result.notes);
  FileContext context = file_context(options, {}, "", parts);
  run_rules(parts[0], path, context, options, result.diagnostics);
  suppress::apply(path, source.text(), suppress::CommentSyntax::Python, options.enabled_rules, result);
  return result;
}

// A ConfigMap's Python block as a sub-source: its line L column C is the file's line
// first_line + L - 1, column C + indent.
std::unique_ptr<SubSource> block_source(const SourceText& yaml, const yaml::PythonBlock& block) {
  std::vector<uint32_t> offsets;
  offsets.reserve(block.code.size() + 1);
  uint32_t line = block.first_line;
  std::size_t column = 0;
  for (char c : block.code) {
    offsets.push_back(static_cast<uint32_t>(yaml.line_start(line) + block.indent + column));
    if (c == '\n') ++line, column = 0;
    else ++column;
  }
  offsets.push_back(static_cast<uint32_t>(std::min(yaml.line_start(line) + block.indent + column, yaml.text().size())));
  for (auto& o : offsets) o = static_cast<uint32_t>(std::min<std::size_t>(o, yaml.text().size()));
  auto source = std::make_unique<SubSource>(yaml, block.code, std::move(offsets));
  source->set_encoding(SubSource::Encoding::Indented, block.indent);
  return source;
}

FileResult analyse_yaml(const std::string& path, const SourceText& source, const LintOptions& options) {
  FileResult result;
  yaml::Document doc = yaml::analyse(source);
  for (const auto& n : doc.notes) result.notes.push_back({path, n.message, n.position});
  // The launches of each document of the stream are one part: a stream of several deployments
  // may name a different GPU in each.
  std::vector<Part> parts;
  std::map<int, std::size_t> part_of_document;
  for (auto& launch : doc.launches) {
    auto [it, added] = part_of_document.emplace(launch.document, parts.size());
    if (added) {
      parts.emplace_back();
      parts.back().source = std::make_unique<SubSource>(source);
      parts.back().document = launch.document;
    }
    parts[it->second].launches.push_back(std::move(launch));
  }
  for (const auto& block : doc.python_blocks) {
    Part part;
    part.source = block_source(source, block);
    read_python(part, path, options, [&](const std::string& m) { return "in `" + block.key + "`: " + m + " (the rest was analysed)"; },
                result.notes);
    parts.push_back(std::move(part));
  }
  for (const auto& part : parts) {
    // A document's launches run on the GPU that document names; a ConfigMap's Python runs in a
    // deployment beside it, on the first GPU the file names.
    std::vector<yaml::GpuMention> gpus;
    for (const auto& g : doc.gpus)
      if (part.document < 0 || g.document == part.document) gpus.push_back(g);
    FileContext context = file_context(options, gpus, "", parts);
    run_rules(part, path, context, options, result.diagnostics);
  }
  suppress::apply(path, source.text(), suppress::CommentSyntax::Hash, options.enabled_rules, result);
  return result;
}

// Shell scripts, Dockerfiles and env files: their launches are the only facts.
template <typename Reader>
FileResult analyse_commands(const std::string& path, const SourceText& source, const LintOptions& options,
                            Reader&& read) {
  FileResult result;
  std::vector<Part> parts(1);
  parts[0].source = std::make_unique<SubSource>(source);
  parts[0].launches = read(source);
  FileContext context = file_context(options, {}, "", parts);
  run_rules(parts[0], path, context, options, result.diagnostics);
  suppress::apply(path, source.text(), suppress::CommentSyntax::Hash, options.enabled_rules, result);
  return result;
}

// Where a shell line's own comment starts (a `#` at its start or after a blank, outside quotes),
// or npos.
std::size_t shell_comment_start(const std::string& line) {
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == '\\' && quote == '"') ++i;
      else if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '\\') {
      ++i;
    } else if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
      return i;
    }
  }
  return std::string::npos;
}

// The module text the suppression comments are read from: each shell line (blank in the module)
// holds its own comment again, at the columns it has in its cell line.
std::string suppression_text(const std::string& module, const std::vector<notebook::ShellLine>& shells) {
  std::map<uint32_t, std::string> comment_of_line;
  for (const auto& shell : shells) {
    std::size_t at = shell_comment_start(shell.command);
    if (at == std::string::npos || shell.command.find(suppress::kMarker, at) == std::string::npos) continue;
    // One space per code point before the comment, so its columns are the cell line's.
    std::size_t before = shell.cell_column - 1;
    for (std::size_t k = 0; k < at; ++k)
      if ((static_cast<unsigned char>(shell.command[k]) & 0xC0) != 0x80) ++before;
    comment_of_line[shell.module_line] = std::string(before, ' ') + shell.command.substr(at);
  }
  if (comment_of_line.empty()) return module;
  std::string out;
  uint32_t line = 1;
  std::size_t start = 0;
  while (start <= module.size()) {
    std::size_t nl = module.find('\n', start);
    std::size_t end = nl == std::string::npos ? module.size() : nl;
    auto it = comment_of_line.find(line);
    out += it == comment_of_line.end() ? module.substr(start, end - start) : it->second;
    if (nl == std::string::npos) break;
    out += '\n';
    start = nl + 1;
    ++line;
  }
  return out;
}

FileResult analyse_notebook(const std::string& path, const SourceText& raw, const LintOptions& options) {
  FileResult result;
  notebook::ExtractError error;
  auto extracted = notebook::extract(raw.text(), error);
  if (!extracted) {
    result.notes.push_back({path, error.message, error.position});
    return result;
  }
  std::vector<Part> parts(1);
  parts[0].source = std::make_unique<SubSource>(raw, extracted->python, extracted->raw_offset);
  parts[0].source->set_cells(extracted->cell_of_line, extracted->first_line_of_cell);
  parts[0].source->set_snippet(SubSource::Snippet::Own);
  parts[0].source->set_encoding(SubSource::Encoding::Json);
  // The cells are parsed only when they hold a trigger word themselves (the raw file's may be in
  // markdown or outputs).
  bool code_matters = prefilter_for(options).check(extracted->python, true).candidate;
  if (code_matters) read_python(parts[0], path, options, file_problem, result.notes);
  // Shell lines that launch an engine (`!vllm serve ... --max-num-seqs 1`, a %%bash cell) are
  // read like command lines in YAML, with the same engine table.
  std::map<uint32_t, std::size_t> shell_part_of_line;  // module line -> index in parts
  std::map<uint32_t, uint32_t> shell_column_of_line;   // module line -> cell column of the command
  for (const auto& shell : extracted->shell_lines) {
    Part part;
    part.source = std::make_unique<SubSource>(raw, shell.command, shell.raw_offset);
    uint32_t first = extracted->first_line_of_cell[static_cast<std::size_t>(shell.cell)];
    part.source->set_cell(shell.cell, shell.module_line - first + 1, shell.cell_column);
    part.source->set_snippet(SubSource::Snippet::Fixed, shell.cell_line);
    part.source->set_encoding(SubSource::Encoding::Json);
    const SourceText& command = part.source->text();
    shell::CommandReader reader(command, engines::surfaces());
    part.launches = reader.launches(shell::split(command.text(), command.text(), 0), "");
    // Every shell line is kept (a comment on it may be a suppression that silences nothing).
    shell_part_of_line[shell.module_line] = parts.size();
    shell_column_of_line[shell.module_line] = shell.cell_column;
    parts.push_back(std::move(part));
  }
  FileContext context = file_context(options, {}, extracted->colab_gpu, parts);

  // Shell-line findings join the module's in module coordinates (the shell line's module line,
  // columns of its cell line), so the cells' suppression comments apply to them too: on the line
  // itself (the shell line's own `# ...` comment), on the line before, or for the whole file.
  auto to_module = [&](uint32_t line, Position p) {
    return Position{line, p.column + shell_column_of_line[line] - 1};
  };
  auto to_part = [&](Position p) { return Position{1, p.column + 1 - shell_column_of_line[p.line]}; };
  FileResult module;
  if (code_matters) module.diagnostics = find(parts[0], path, context, options);
  for (const auto& [line, index] : shell_part_of_line) {
    for (auto& d : find(parts[index], path, context, options)) {
      d.range = {to_module(line, d.range.start), to_module(line, d.range.end)};
      module.diagnostics.push_back(std::move(d));
    }
  }
  suppress::apply(path, suppression_text(parts[0].source->text().text(), extracted->shell_lines),
                  suppress::CommentSyntax::Python, options.enabled_rules, module);
  // Back to the host file: a shell line's positions through its own sub-source.
  auto place = [&](Diagnostic& d) {
    auto it = shell_part_of_line.find(d.range.start.line);
    if (it == shell_part_of_line.end()) return parts[0].source->place(d);
    d.range = {to_part(d.range.start), to_part(d.range.end)};
    parts[it->second].source->place(d);
  };
  // A position in the module as the host file's, with its cell for messages.
  auto host_position = [&](Position p, Position& in_cell) {
    auto it = shell_part_of_line.find(p.line);
    const SubSource& source = it == shell_part_of_line.end() ? *parts[0].source : *parts[it->second].source;
    if (it != shell_part_of_line.end()) p = to_part(p);
    int cell = source.cell_of(p, &in_cell);
    Position host = source.to_host(p);
    if (cell <= 0) in_cell = {};
    return std::make_pair(host, cell);
  };
  for (auto& d : module.diagnostics) place(d);
  for (auto& s : module.suppressed) place(s.diagnostic);
  for (auto& u : module.unused_suppressions) {
    auto [host, cell] = host_position(u.position, u.cell_position);
    u.position = host;
    u.cell = cell;
  }
  for (auto& n : module.notes) {
    if (!n.position.line) continue;
    Position in_cell;
    auto [host, cell] = host_position(n.position, in_cell);
    n.position = host;
    if (cell > 0) n.message += " (cell " + std::to_string(cell) + ")";
  }
  result.diagnostics = std::move(module.diagnostics);
  result.suppressed = std::move(module.suppressed);
  result.unused_suppressions = std::move(module.unused_suppressions);
  result.notes.insert(result.notes.end(), module.notes.begin(), module.notes.end());
  return result;
}

}  // namespace

FileResult analyse(const std::string& display_path, std::string text, FileKind kind, const LintOptions& options,
                   bool candidate) {
  SourceText source(std::move(text));
  if (kind == FileKind::Notebook) return analyse_notebook(display_path, source, options);
  // In-source suppressions apply after the rules; files the prefilter skips may still hold
  // malformed or unused ones.
  auto syntax = kind == FileKind::Python ? suppress::CommentSyntax::Python : suppress::CommentSyntax::Hash;
  if (!candidate) {
    FileResult result;
    suppress::apply(display_path, source.text(), syntax, options.enabled_rules, result);
    return result;
  }
  try {
    if (kind == FileKind::Python) return analyse_python(display_path, source, options);
    if (kind == FileKind::Yaml) return analyse_yaml(display_path, source, options);
    if (kind == FileKind::Shell || kind == FileKind::MaybeShell)
      return analyse_commands(display_path, source, options, [](const SourceText& s) {
        shell::CommandReader reader(s, engines::surfaces());
        return reader.script_launches(s.text(), 0);
      });
    if (kind == FileKind::Dockerfile) return analyse_commands(display_path, source, options, shell::dockerfile_launches);
    if (kind == FileKind::EnvFile) return analyse_commands(display_path, source, options, shell::env_file_launches);
  } catch (const std::exception& e) {
    FileResult result;
    result.notes.push_back({display_path, std::string("internal error while analysing: ") + e.what(), {}});
    suppress::apply(display_path, source.text(), syntax, options.enabled_rules, result);
    return result;
  }
  return {};
}

}  // namespace ecolint::pipeline
