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

std::string text(const YAML::Node& n, const char* key) {
  const YAML::Node v = n[key];
  if (!v || v.IsNull()) return {};
  return v.as<std::string>();
}

Gpu gpu_row(const YAML::Node& g, std::string vendor) {
  Gpu gpu;
  gpu.name = g["name"].as<std::string>();
  gpu.vendor = g["vendor"] ? g["vendor"].as<std::string>() : std::move(vendor);
  gpu.arch = g["arch"].as<std::string>();
  gpu.vram_gb = g["vram_gb"].as<double>();
  gpu.board_power_w = g["board_power_w"].as<double>();
  gpu.source = text(g, "source");
  gpu.note = text(g, "note");
  for (const auto& a : g["aliases"]) gpu.aliases.push_back(normalise(a.as<std::string>()));
  if (gpu.source.empty()) throw std::runtime_error("gpus.yaml: " + gpu.name + " has no source");
  return gpu;
}

const Architecture* architecture(const GpuCatalogue& c, const std::string& name) {
  for (const auto& a : c.architectures)
    if (a.name == name) return &a;
  return nullptr;
}

GpuCatalogue load() {
  auto data = data::embedded("gpus.yaml");
  if (!data) throw std::runtime_error("gpus.yaml is not embedded");
  YAML::Node doc = YAML::Load(std::string(*data));
  GpuCatalogue c;
  for (const auto& a : doc["architectures"])
    c.architectures.push_back({a["name"].as<std::string>(), "NVIDIA", a["compute_capability"].as<double>(), ""});
  for (const auto& a : doc["other_architectures"])
    c.architectures.push_back({a["name"].as<std::string>(), a["vendor"].as<std::string>(), std::nullopt, text(a, "llvm_target")});
  for (const auto& g : doc["gpus"]) c.gpus.push_back(gpu_row(g, "NVIDIA"));
  for (const auto& g : doc["other_accelerators"]) {
    if (!g["vendor"]) throw std::runtime_error("gpus.yaml: other_accelerators row without vendor");
    c.gpus.push_back(gpu_row(g, ""));
  }
  for (const auto& k : doc["label_keys"]) c.label_keys.push_back(k.as<std::string>());
  for (const auto& i : doc["instance_types"])
    c.instance_prefixes.emplace_back(normalise(i["prefix"].as<std::string>()), i["gpu"].as<std::string>());
  for (const auto& i : doc["other_instance_types"])
    c.instance_prefixes.emplace_back(normalise(i["prefix"].as<std::string>()), i["accelerator"].as<std::string>());
  for (const auto& b : doc["borrow"]) c.borrows.push_back({text(b, "arch"), text(b, "from"), text(b, "source")});

  for (const auto& gpu : c.gpus) {
    const Architecture* arch = architecture(c, gpu.arch);
    if (!arch) throw std::runtime_error("gpus.yaml: " + gpu.name + " has an unknown architecture " + gpu.arch);
    if (arch->vendor != gpu.vendor)
      throw std::runtime_error("gpus.yaml: " + gpu.name + " (" + gpu.vendor + ") on " + arch->vendor + " architecture " + gpu.arch);
  }
  for (const auto& instance : c.instance_prefixes) {
    const std::string& name = instance.second;
    if (std::none_of(c.gpus.begin(), c.gpus.end(), [&name](const Gpu& g) { return g.name == name; }))
      throw std::runtime_error("gpus.yaml: instance type " + instance.first + " names an unknown GPU " + name);
  }
  for (const auto& b : c.borrows) {
    const Architecture* to = architecture(c, b.arch);
    const Architecture* from = architecture(c, b.from);
    if (!to || !from) throw std::runtime_error("gpus.yaml: borrow " + b.arch + " <- " + b.from + " names an unknown architecture");
    if (to->vendor != from->vendor) throw std::runtime_error("gpus.yaml: borrow " + b.arch + " <- " + b.from + " crosses vendors");
    if (b.source.empty()) throw std::runtime_error("gpus.yaml: borrow " + b.arch + " <- " + b.from + " has no source");
  }
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

const Borrow* borrow_for(const std::string& arch) {
  for (const auto& b : gpu_catalogue().borrows)
    if (b.arch == arch) return &b;
  return nullptr;
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
