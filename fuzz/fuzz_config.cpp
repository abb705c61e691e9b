// Fuzzes configuration loading: the same bytes as `.ecolint.yaml` and as `pyproject.toml`, and the
// glob matcher (first line a pattern, second a path). A bad file must be a SettingsError.
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
      for (const auto& g : s.exclude) (void)settings::glob_match(g, "a/b/c.py");
      if (s.fail_level) (void)settings::fail_level_rank(*s.fail_level);
    } catch (const settings::SettingsError&) {
    }
  }
  std::size_t nl = text.find('\n');
  if (nl != std::string::npos && nl < 256 && text.size() - nl < 512)
    (void)settings::glob_match(std::string_view(text).substr(0, nl), std::string_view(text).substr(nl + 1));
  return 0;
}
