// ecolint: finds LLM loading and serving settings that waste GPU energy.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/docs.hpp"
#include "cli/run.hpp"
#include "energy/evidence.hpp"

namespace {

const char* kDescription =
    "ecolint finds settings in Python code that waste GPU energy when loading and serving LLMs\n"
    "(bitsandbytes INT8 with the default outlier threshold, 4-bit NF4 on small models, ...) and\n"
    "estimates the energy each fix saves, from published measurements.\n\n"
    "Usage:\n"
    "  ecolint [OPTIONS] [PATH...]   lint files and directories (default: .)\n"
    "  ecolint rules                 list the rules\n"
    "  ecolint rule ECO001           print a rule's documentation and evidence\n\n"
    "Exit status: 0 no findings, 1 findings, 2 usage, configuration or I/O error.\n"
    "To lint a directory named 'rules' or 'rule', write it as ./rules.";

}  // namespace

int main(int argc, char** argv) {
  using ecolint::cli::kError;
  CLI::App app{kDescription, "ecolint"};
  app.set_version_flag("--version", std::string("ecolint ") + ECOLINT_VERSION);
  ecolint::cli::RunOptions options;
  std::vector<std::string> paths;
  app.add_option("paths", paths, "Files and directories to lint (default: .)");
  app.add_option("--format", options.format, "Output format: text (default) or json");
  app.add_option("--select", options.select, "Only these rule ids (or prefixes), comma-separated")->delimiter(',');
  app.add_option("--ignore", options.ignore, "Skip these rule ids (or prefixes), comma-separated")->delimiter(',');
  app.add_flag("--exit-zero", options.exit_zero, "Exit 0 even when there are findings");
  app.add_flag("--no-gitignore{false}", options.respect_gitignore, "Also lint files that .gitignore excludes");
  app.add_option("-j,--jobs", options.jobs, "Files linted in parallel (default: one per core)");

  auto* rules_cmd = app.add_subcommand("rules", "List the rules");
  auto* rule_cmd = app.add_subcommand("rule", "Print a rule's documentation, evidence and fixes");
  std::string rule_id;
  rule_cmd->add_option("id", rule_id, "Rule id, e.g. ECO001")->required();
  app.require_subcommand(0, 1);

  try {
    app.parse(argc, argv);
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
    if (rules_cmd->parsed()) {
      std::cout << ecolint::cli::rules_table();
      return 0;
    }
    if (rule_cmd->parsed()) {
      const auto* info = ecolint::energy::find_rule_info(rule_id);
      if (!info) {
        std::cerr << "ecolint: error: no rule '" << rule_id << "'; `ecolint rules` lists them\n";
        return kError;
      }
      std::cout << ecolint::cli::rule_markdown(*info);
      return 0;
    }
    if (!paths.empty()) options.paths = paths;
    return ecolint::cli::run(options, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "ecolint: error: " << e.what() << "\n";
    return kError;
  }
}
