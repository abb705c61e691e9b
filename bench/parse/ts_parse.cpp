// The floor for parse-bound work: tree-sitter's own parse of every .py file under the given
// directories (read, parse, delete the tree; nothing else), with N threads like `ecolint --jobs N`.
// bench/run.sh times it against ecolint on a corpus where every file must be parsed.
//   ecolint-ts-parse [--jobs N] DIR...
#include <tree_sitter/api.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

extern "C" const TSLanguage* tree_sitter_python();

int main(int argc, char** argv) {
  unsigned jobs = 1;
  std::vector<std::string> roots;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--jobs") == 0 && i + 1 < argc) {
      jobs = static_cast<unsigned>(std::max(1, std::atoi(argv[++i])));
    } else {
      roots.emplace_back(argv[i]);
    }
  }
  if (roots.empty()) {
    std::fprintf(stderr, "usage: ecolint-ts-parse [--jobs N] DIR...\n");
    return 2;
  }
  std::vector<std::string> files;
  for (const auto& root : roots) {
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec) && it->path().extension() == ".py") files.push_back(it->path().string());
    }
  }
  std::atomic<std::size_t> next{0}, bytes{0}, errors{0};
  auto work = [&] {
    TSParser* parser = ts_parser_new();
    ts_parser_set_language(parser, tree_sitter_python());
    std::string text;
    for (std::size_t i; (i = next++) < files.size();) {
      std::ifstream in(files[i], std::ios::binary);
      text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      TSTree* tree = ts_parser_parse_string(parser, nullptr, text.data(), static_cast<uint32_t>(text.size()));
      if (tree && ts_node_has_error(ts_tree_root_node(tree))) ++errors;
      ts_tree_delete(tree);
      bytes += text.size();
    }
    ts_parser_delete(parser);
  };
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < jobs; ++t) threads.emplace_back(work);
  for (auto& t : threads) t.join();
  std::printf("%zu files, %zu bytes, %zu with syntax errors\n", files.size(), bytes.load(), errors.load());
  return 0;
}
