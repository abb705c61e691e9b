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

std::optional<GpuMention> find_gpu_in_config(std::string_view text) {
  // Keys whose value names a GPU or an instance type that has one.
  static const char* kKeys[] = {"nvidia.com/gpu.product", "cloud.google.com/gke-accelerator",
                                "karpenter.k8s.aws/instance-gpu-name", "node.kubernetes.io/instance-type",
                                "beta.kubernetes.io/instance-type", "accelerators", "accelerator",
                                "instance_type", "instance-type", "instanceType", "gpu_type", "gpu-type"};
  unsigned line_no = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    ++line_no;
    std::size_t hash = line.find('#');
    if (hash != std::string_view::npos) line = line.substr(0, hash);  // comments name nothing
    for (const char* key : kKeys) {
      std::size_t k = line.find(key);
      if (k == std::string_view::npos) continue;
      std::size_t after = k + std::string_view(key).size();
      // `key: value` or `key=value` / `- key` in matchExpressions (values on following lines are
      // not followed: a values list is handled by the line-by-line scan below).
      std::size_t colon = line.find_first_of(":=", after);
      if (colon == std::string_view::npos) continue;
      std::string_view value = line.substr(colon + 1);
      auto trim = [](std::string_view v) {
        while (!v.empty() && (v.front() == ' ' || v.front() == '"' || v.front() == '\'' || v.front() == '[' || v.front() == '{'))
          v.remove_prefix(1);
        while (!v.empty() && (v.back() == ' ' || v.back() == '"' || v.back() == '\'' || v.back() == ',' || v.back() == ']' ||
                              v.back() == '}' || v.back() == '\r'))
          v.remove_suffix(1);
        return v;
      };
      value = trim(value);
      // SkyPilot: `A100:8` or `{A100: 8}`; keep the name part.
      std::size_t sep = value.find(':');
      if (sep != std::string_view::npos) value = trim(value.substr(0, sep));
      if (const Gpu* g = find_gpu(value)) return GpuMention{g, line_no, std::string(value)};
    }
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return std::nullopt;
}

}  // namespace ecolint::energy
