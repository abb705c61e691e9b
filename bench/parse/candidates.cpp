// The Python files ecolint parses: reads file paths (one per line) on standard input and prints
// those that are Python (.py) and pass ecolint's triage with every rule enabled: the same call
// (pipeline::triage) that decides in an `ecolint` run whether a file is parsed.
// bench/run.sh gives it ripgrep's list of files holding a trigger word (a superset) and times
// tree-sitter alone on the result: the floor under ecolint's time on the real-world corpus.
//   ecolint-bench-candidates < PATHS
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "pipeline/lint.hpp"
#include "pipeline/triage.hpp"

int main() {
  const ecolint::LintOptions options = ecolint::LintOptions::all_rules();
  std::string path;
  while (std::getline(std::cin, path)) {
    if (path.size() < 3 || path.compare(path.size() - 3, 3, ".py") != 0) continue;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::cerr << "ecolint-bench-candidates: cannot read " << path << "\n";
      continue;
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (ecolint::pipeline::triage(options, ecolint::FileKind::Python, text).candidate) std::cout << path << "\n";
  }
  return 0;
}
