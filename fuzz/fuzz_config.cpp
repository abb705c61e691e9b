// Fuzzes configuration loading: the same bytes as `.ecolint.yaml` and as `pyproject.toml`, with the
// limits a run applies (size, YAML depth, nodes before and while reading, an alias counted per
// use), then the globs the file names. A bad file must be a SettingsError, never a crash, a hang
// or unbounded memory (a 600-byte alias bomb once took 4 GB).
#include <cstddef>
#include <cstdint>
#include <string>

#include "settings/settings.hpp"

using namespace ecolint;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  for (const char* name : {".ecolint.yaml", "pyproject.toml"}) {
    try {
      settings::Settings s = settings::parse_text(text, name);
      settings::PathGlobs exclude(s.exclude);
      for (const char* path : {"a/b/c.py", "vendor/x.yaml", "deploy/k8s/serve.yaml", "notebooks/n.ipynb"}) {
        (void)exclude.matches(path);
        for (const auto& [glob, ids] : s.per_file_ignores) (void)settings::PathGlobs({glob}).matches(path);
      }
    } catch (const settings::SettingsError&) {
    }
  }
  return 0;
}
