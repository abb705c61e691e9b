// ecolint: finds LLM loading and serving settings that waste GPU energy.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <cstdlib>
#include <iostream>
#include <sys/stat.h>

#if defined(ECOLINT_MIMALLOC)
#include <mimalloc.h>
#endif

#include "base/heap.hpp"
#include "catalog/docs.hpp"
#include "cli/commands.hpp"
#include "cli/formats.hpp"
#include "cli/run.hpp"
#include "catalog/rule_info.hpp"
#include "energy/impact.hpp"
#include "server/server.hpp"

namespace {

const char* kDescription =
    "ecolint finds settings in Python code, Jupyter notebooks and deployment YAML that waste GPU\n"
    "energy when loading and serving LLMs (bitsandbytes INT8 with the default outlier threshold, 4-bit NF4 on small\n"
    "models, unbatched serving, ...) and estimates the energy each fix saves, from published\n"
    "measurements.\n\n"
    "Commands:\n"
    "  ecolint [OPTIONS] [PATH...]   lint files and directories (default: .)\n"
    "  ecolint [OPTIONS] -- PATH...  the same; nothing after `--` is an option\n"
    "  ecolint [OPTIONS] -           lint standard input (as --stdin-filename NAME, else Python)\n"
    "  ecolint rules                 list the rules\n"
    "  ecolint rules --triggers      the words that make a file worth parsing, per rule (+: with\n"
    "                                one of these words; ~1: with a 1 written just after the word;\n"
    "                                whole: not inside a longer name; loop: in Python, only inside\n"
    "                                a loop's lines; code: in Python, only outside strings and\n"
    "                                comments; code+: the + words so, as whole names; string:\n"
    "                                in Python, only inside strings; string+: the + words so;\n"
    "                                whole+: the + words as whole words; python: only in files\n"
    "                                where Python is read: .py, .ipynb, YAML with a *.py key)\n"
    "  ecolint rule ECO001           print a rule's documentation and evidence (by id or name;\n"
    "                                --all for every rule, --format json)\n"
    "  ecolint server                language server (LSP over stdin/stdout) for editors\n\n"
    "Options go before the paths: everything after the first path (or after `--`) is a path, so a\n"
    "file named like an option (`--exclude=*.py`, `-o.x`) can never change what a run does.\n\n"
    "Configuration: each file uses the nearest .ecolint.yaml or [tool.ecolint] in pyproject.toml in\n"
    "its directory or above, up to the top of the git work tree (keys: select, ignore, extend-select,\n"
    "extend-ignore, severity, per-file-ignores, exclude, gpu, fail-level, tokens-per-day,\n"
    "price-per-kwh, grid-gco2-per-kwh, report-unused-suppressions). Command-line options override\n"
    "it; --select replaces the configured selection, --ignore and --extend-select adjust it (as Ruff).\n\n"
    "Fixes: where a rule can write its fix, --diff shows it as a unified diff and --fix applies it;\n"
    "today's fixes change model outputs, memory use or latency, so they need --unsafe-fixes too.\n\n"
    "Suppress a finding with a comment naming the rule and why:\n"
    "  x = f(load_in_8bit=True)  # ecolint: ignore[ECO001] reason\n"
    "  # ecolint: ignore-next-line[ECO001,ECO002] reason\n"
    "  # ecolint: ignore-file[ECO002] reason\n\n"
    "On untrusted code (a pull request's tree), ignore its configuration files and suppression\n"
    "comments: --isolated --no-inline-suppressions (see the README's trust model).\n\n"
    "Exit status: 0 no findings at or above the fail level, 1 findings, 2 usage, configuration or\n"
    "I/O error.\n"
    "To lint a directory named 'rules' or 'rule', write it as ./rules.\n";

// --help without CLI11's internals: option names without their flag defaults (`{true}`), one
// metavariable per option (FILE, IDS, ...), no "Excludes:" lists (the descriptions say it).
class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_option_name(const CLI::Option* opt, bool positional) const override {
    if (positional) return opt->get_name(true, false);
    std::string out;
    for (const auto& s : opt->get_snames()) out += (out.empty() ? "-" : ",-") + s;
    for (const auto& l : opt->get_lnames()) out += (out.empty() ? "--" : ",--") + l;
    return out;
  }
  std::string make_option_opts(const CLI::Option* opt) const override {
    if (opt->get_type_size() == 0) return {};
    if (!opt->get_option_text().empty()) return " " + opt->get_option_text();
    return " " + opt->get_type_name();
  }
};

// Standard output is the report: a write error there (a full disk, a closed pipe) is an I/O error.
int finish(int code) {
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "ecolint: error: cannot write the report to standard output\n";
    return ecolint::cli::kError;
  }
  return code;
}

}  // namespace

int main(int argc, char** argv) {
#if defined(ECOLINT_MIMALLOC)
  // Linked with mimalloc (CMakeLists.txt): its malloc serves the process, glibc's tuning does not
  // apply. (A call into the library keeps it linked where the linker drops unused ones.)
  (void)mi_version();
  ecolint::tune_heap(false);
#else
  ecolint::tune_heap();
#endif
  using ecolint::cli::kError;
  CLI::App app{kDescription, "ecolint"};
  app.formatter(std::make_shared<HelpFormatter>());
  app.set_version_flag("--version", std::string("ecolint ") + ECOLINT_VERSION);
  ecolint::cli::RunOptions options;
  std::vector<std::string> paths;
  // Everything after the first path is a path (pre-commit appends file names to the entry).
  app.positionals_at_end(true);
  app.add_option("paths", paths, "Files and directories to lint (default: .)")->option_text("PATH...");
  std::string format_help = "Output format:";
  for (const auto& f : ecolint::cli::output_formats())
    format_help += std::string("\n  ") + f.name + ": " + f.description;
  app.add_option("--format", options.format, format_help)->check(CLI::IsMember(ecolint::cli::output_format_names()))->option_text("FORMAT");
  app.add_option("-o,--output", options.output,
                 "Write the report to FILE instead of stdout (a regular file atomically; a device or pipe in place)")->option_text("FILE");
  std::vector<std::string> select;
  app.add_option("--select", select,
                 "Only these rule ids (or prefixes), comma-separated; replaces the configuration's selection")
      ->delimiter(',')->allow_extra_args(false)->option_text("IDS");
  app.add_option("--extend-select", options.extend_select, "Also these rule ids (or prefixes), comma-separated")
      ->delimiter(',')->allow_extra_args(false)->option_text("IDS");
  app.add_option("--ignore", options.ignore,
                 "Skip these rule ids (or prefixes), comma-separated; added to the configuration's ignores")
      ->delimiter(',')->allow_extra_args(false)->option_text("IDS");
  app.add_option("--extend-ignore", options.extend_ignore, "The same as --ignore")->delimiter(',')->allow_extra_args(false)->option_text("IDS");
  app.add_option("--exclude", options.exclude, "Globs of paths not to lint, comma-separated (replaces the config's)")
      ->delimiter(',')->allow_extra_args(false)->option_text("GLOBS");
  app.add_flag("--statistics", options.statistics,
               "Print the number of findings per rule instead of the findings (text, or --format json)");
  app.add_flag("--show-files", options.show_files, "List the files a run would lint (after excludes), then exit");
  app.add_flag("--show-settings", options.show_settings,
               "Print the settings that apply to the first PATH (configuration file, rules, severities, ...), then exit");
  app.add_option("--stdin-filename", options.stdin_filename,
                 "With the path `-` (standard input): lint the text as this file (kind, configuration, excludes)")
      ->option_text("NAME");
  app.add_flag("--force-exclude", options.force_exclude,
               "Apply excludes to files named on the command line too (for pre-commit)");
  app.add_option("--fail-level", options.fail_level,
                 "Exit 1 only for findings at or above this level: note, warning (default), error")
      ->check(CLI::IsMember(ecolint::cli::severity_names()))->option_text("LEVEL");
  app.add_flag("--exit-zero", options.exit_zero, "Exit 0 even when there are findings");
  app.add_flag("--report-unused-suppressions{true},--no-report-unused-suppressions{false}",
               options.report_unused_suppressions,
               "Report `# ecolint: ignore[...]` comments that silence nothing (as notes)");
  app.add_option("--config", options.config, "Read configuration from FILE (.ecolint.yaml or pyproject.toml)")
      ->check(CLI::ExistingFile)->option_text("FILE");
  app.add_flag("--isolated", options.isolated, "Ignore all configuration files");
  app.add_flag("--no-inline-suppressions", options.no_inline_suppressions,
               "Report findings that `# ecolint: ignore...` comments would silence (for untrusted code)");
  app.add_option("--baseline", options.baseline, "Drop findings recorded in this baseline FILE")
      ->check(CLI::ExistingFile)->option_text("FILE");
  app.add_option("--write-baseline", options.write_baseline,
                 "Record the current findings in FILE and exit 0 (adopt ecolint in an existing repo)")->option_text("FILE");
  app.add_option("--diff-base", options.diff_base,
                 "Report only findings new since the merge base with git REF (changed files' base versions are linted and their findings subtracted)")->option_text("REF");
  app.add_option("--project-root", options.project_root,
                 "Name files in SARIF and GitHub annotations relative to DIR (default: the git work tree's top)")
      ->check(CLI::ExistingDirectory)->option_text("DIR");
  app.add_flag("--sarif-include-suppressed", options.sarif_include_suppressed,
               "Keep suppressed and baselined findings in SARIF, marked with `suppressions` (code scanning "
               "would show them as open alerts)");
  app.add_option("--gpu", options.gpu, "GPU the code runs on, for GPU-specific estimates (e.g. H100, A100, V100, L40S, RTX 4090, MI300X; an unknown name is a warning and the estimates cover all GPUs)")->option_text("NAME");
  app.add_option("--tokens-per-day", options.tokens_per_day, "Workload for the estimates: generated tokens per day")
      ->check(CLI::NonNegativeNumber)->option_text("N");
  app.add_option("--price-per-kwh", options.price_per_kwh, "Electricity price per kWh, for the estimates")
      ->check(CLI::NonNegativeNumber)->option_text("PRICE");
  app.add_option("--grid-gco2-per-kwh", options.grid_gco2_per_kwh, "Grid carbon intensity (gCO2/kWh), for the estimates")
      ->check(CLI::NonNegativeNumber)->option_text("G");
  app.add_flag("--no-gitignore{false}", options.respect_gitignore, "Also lint files that .gitignore excludes");
  app.add_option("-j,--jobs", options.jobs, "Files linted in parallel (default and maximum: the CPUs available)")->option_text("N");
  app.add_flag("--fix", options.fix.fix, "Apply the safe fixes (edits) to the files, then report what remains");
  app.add_flag("--unsafe-fixes", options.fix.unsafe,
               "With --fix or --diff, also apply unsafe fixes (they change model outputs, memory use or latency)");
  app.add_flag("--diff", options.fix.diff, "Print the fixes as a unified diff instead of writing them (exit 1 if any)");
  app.add_flag("--show-fixes", options.fix.show, "List each fix applied (with --fix or --diff) or available");
  app.add_option("--file-timeout", options.file_timeout_seconds,
                 "Give up on a file whose analysis takes longer than SECONDS, with a note (default 60; 0: no limit)")
      ->check(CLI::NonNegativeNumber)->option_text("SECONDS");
  app.add_flag("--isolate-crashes", options.isolate_crashes,
               "Analyse each file that needs parsing in a child process: a crash there is a note for that file");
  app.get_option("--config")->excludes(app.get_option("--isolated"));
  app.get_option("--baseline")->excludes(app.get_option("--write-baseline"));

  auto* rules_cmd = app.add_subcommand("rules", "List the rules");
  bool triggers = false;
  rules_cmd->add_flag("--triggers", triggers,
                      "Print each rule's trigger words instead: a file holding none is never parsed");
  auto* rule_cmd = app.add_subcommand("rule", "Print a rule's documentation, evidence and fixes");
  std::string rule_id, rule_format = "text";
  bool all_rules = false;
  rule_cmd->add_option("id", rule_id, "Rule id or name, e.g. ECO001 or int8-mixed-precision")->option_text("RULE");
  rule_cmd->add_flag("--all", all_rules, "Every rule's documentation");
  rule_cmd->add_option("--format", rule_format, "text (Markdown, default) or json")
      ->check(CLI::IsMember({"text", "json"}))->option_text("FORMAT");
  auto* server_cmd = app.add_subcommand("server", "Run the language server (LSP 3.17 on stdin/stdout) for editors");
  app.require_subcommand(0, 1);

  try {
    app.parse(argc, argv);
    // Options not given stay unset, so the configuration file can supply them.
    if (app.count("--select")) options.select = select;
    if (app.count("--fail-level") == 0) options.fail_level.reset();
    if (app.count("--tokens-per-day") == 0) options.tokens_per_day.reset();
    if (app.count("--price-per-kwh") == 0) options.price_per_kwh.reset();
    if (app.count("--grid-gco2-per-kwh") == 0) options.grid_gco2_per_kwh.reset();
    if (app.count("--report-unused-suppressions") == 0) options.report_unused_suppressions.reset();
  } catch (const CLI::CallForHelp& e) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::CallForVersion& e) {
    std::cout << e.what() << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    std::cerr << "ecolint: error: " << e.what() << "\nRun 'ecolint --help' for usage.\n";
    return kError;
  }

  try {
    if (server_cmd->parsed()) return ecolint::server::run_stdio();
    if (rules_cmd->parsed()) {
      std::cout << (triggers ? ecolint::cli::rules_triggers() : ecolint::cli::rules_table());
      return finish(0);
    }
    if (rule_cmd->parsed()) {
      std::vector<const ecolint::catalog::RuleInfo*> chosen;
      if (all_rules) {
        for (const auto& r : ecolint::catalog::rule_infos()) chosen.push_back(&r);
      } else if (rule_id.empty()) {
        std::cerr << "ecolint: error: `ecolint rule` needs a rule id or name, or --all\nRun 'ecolint --help' for usage.\n";
        return kError;
      } else {
        const auto* info = ecolint::catalog::find_rule_info(rule_id);
        for (const auto& r : ecolint::catalog::rule_infos())
          if (!info && r.name == rule_id) info = &r;
        if (!info) {
          std::cerr << "ecolint: error: no rule '" << rule_id << "'; `ecolint rules` lists them\n";
          return kError;
        }
        chosen.push_back(info);
      }
      if (rule_format == "json") {
        // As Ruff's `rule --output-format json`: code, name, summary, fix safety, the whole page.
        nlohmann::json list = nlohmann::json::array();
        for (const auto* r : chosen)
          list.push_back({{"code", r->id}, {"name", r->name}, {"summary", r->title}, {"severity", r->severity_text},
                          {"fix_safety", r->fix_safety}, {"explanation", ecolint::catalog::rule_markdown(*r)}});
        std::cout << (all_rules ? list : list[0]).dump(2) << "\n";
      } else {
        for (std::size_t i = 0; i < chosen.size(); ++i)
          std::cout << (i ? "\n" : "") << ecolint::catalog::rule_markdown(*chosen[i]);
      }
      return finish(0);
    }
    if (!paths.empty()) options.paths = paths;
    if (paths.size() == 1 && paths.front() == "-") {
      std::ostringstream text;
      text << std::cin.rdbuf();
      options.stdin_text = text.str();
    } else if (std::find(paths.begin(), paths.end(), "-") != paths.end()) {
      std::cerr << "ecolint: error: `-` (standard input) must be the only path\nRun 'ecolint --help' for usage.\n";
      return kError;
    }
    for (const auto& p : paths) {
      struct stat st {};
      if (p.size() > 1 && p[0] == '-' && ::lstat(p.c_str(), &st) != 0) {
        std::cerr << "ecolint: error: '" << p << "' is not a file or directory; options go before the paths "
                  << "(everything after the first path, or after `--`, is a path)\nRun 'ecolint --help' for usage.\n";
        return kError;
      }
    }
    ecolint::cli::RunStatus status;
    int code = finish(ecolint::cli::run(options, std::cout, std::cerr, &status));
    if (status.abandoned_threads) {
      // A thread still analyses a file past its time limit and cannot be stopped: leave without
      // running static destructors under it.
      std::cerr.flush();
      std::_Exit(code);
    }
    return code;
  } catch (const std::exception& e) {
    std::cerr << "ecolint: error: " << e.what() << "\n";
    return kError;
  }
}
