#include "energy/gpus.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "data/embedded.hpp"

namespace ecolint::energy {

namespace {

// Lower case, with spaces and underscores as dashes: "NVIDIA A100_80GB" -> "nvidia-a100-80gb".
std::string normalise(std::string_view s) {
  std::string out;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == ' ' || c == '_') out += '-';
    else out += static_cast<char>(std::tolower(u));
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

GpuCatalogue load() {
  auto text = data::embedded("gpus.yaml");
  if (!text) throw std::runtime_error("gpus.yaml is not embedded");
  YAML::Node doc = YAML::Load(std::string(*text));
  GpuCatalogue c;
  for (const auto& a : doc["architectures"]) c.architectures.push_back({a["name"].as<std::string>(), a["compute_capability"].as<double>()});
  for (const auto& g : doc["gpus"]) {
    Gpu gpu;
    gpu.name = g["name"].as<std::string>();
    gpu.arch = g["arch"].as<std::string>();
    gpu.vram_gb = g["vram_gb"].as<double>();
    gpu.board_power_w = g["board_power_w"].as<double>();
    gpu.source = g["source"].as<std::string>();
    for (const auto& a : g["aliases"]) gpu.aliases.push_back(normalise(a.as<std::string>()));
    if (gpu.source.empty()) throw std::runtime_error("gpus.yaml: " + gpu.name + " has no source");
    c.gpus.push_back(std::move(gpu));
  }
  for (const auto& k : doc["label_keys"]) c.label_keys.push_back(k.as<std::string>());
  for (const auto& i : doc["instance_types"])
    c.instance_prefixes.emplace_back(normalise(i["prefix"].as<std::string>()), i["gpu"].as<std::string>());
  for (const auto& gpu : c.gpus)
    if (std::none_of(c.architectures.begin(), c.architectures.end(), [&](const Architecture& a) { return a.name == gpu.arch; }))
      throw std::runtime_error("gpus.yaml: " + gpu.name + " has an unknown architecture " + gpu.arch);
  return c;
}

}  // namespace

const GpuCatalogue& gpu_catalogue() {
  static const GpuCatalogue catalogue = load();
  return catalogue;
}

std::optional<double> compute_capability(const std::string& arch) {
  for (const auto& a : gpu_catalogue().architectures)
    if (a.name == arch) return a.compute_capability;
  return std::nullopt;
}

const Gpu* find_gpu(std::string_view raw) {
  std::string n = normalise(raw);
  if (n.empty()) return nullptr;
  const auto& c = gpu_catalogue();
  for (const auto& g : c.gpus) {
    if (normalise(g.name) == n) return &g;
    for (const auto& a : g.aliases)
      if (a == n) return &g;
  }
  for (const auto& [prefix, gpu] : c.instance_prefixes)
    if (n.rfind(prefix, 0) == 0)
      for (const auto& g : c.gpus)
        if (g.name == gpu) return &g;
  return nullptr;
}

const Gpu* gpu_of_label(std::string_view key, std::string_view value) {
  const auto& keys = gpu_catalogue().label_keys;
  if (std::find(keys.begin(), keys.end(), key) == keys.end()) return nullptr;
  // SkyPilot: `A100:8`; keep the name part.
  std::size_t sep = value.find(':');
  if (sep != std::string_view::npos) value = value.substr(0, sep);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  return find_gpu(value);
}

}  // namespace ecolint::energy
