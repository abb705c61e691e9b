#pragma once
// The GPU catalogue (rules/gpus.yaml): resolving a GPU name as users and platforms write it, and
// finding GPUs named in deployment files (node selectors, accelerator fields, instance types).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ecolint::energy {

struct Gpu {
  std::string name;  // canonical, as the evidence rows spell it
  std::string arch;
  double vram_gb = 0;
  double board_power_w = 0;
  std::vector<std::string> aliases;
  std::string source;
};

struct Architecture {
  std::string name;
  double compute_capability = 0;
};

struct GpuCatalogue {
  std::vector<Gpu> gpus;
  std::vector<Architecture> architectures;
  std::vector<std::pair<std::string, std::string>> instance_prefixes;  // prefix -> GPU name
  std::vector<std::string> label_keys;  // keys whose value names a GPU (see rules/gpus.yaml)
};

// Parsed once from the embedded data; throws std::runtime_error if malformed (a test loads it).
const GpuCatalogue& gpu_catalogue();

// "A100", "nvidia-tesla-t4", "NVIDIA-H100-80GB-HBM3", "RTX 4090", "p4d.24xlarge" -> the GPU.
const Gpu* find_gpu(std::string_view name);

// A GPU named by a deployment file's label or field: `key` is one of the catalogue's label keys
// (nvidia.com/gpu.product, cloud.google.com/gke-accelerator, node.kubernetes.io/instance-type,
// SkyPilot accelerators, ...) and `value` its value ("NVIDIA-A100-SXM4-80GB", "A100:8",
// "p4d.24xlarge"); null when the key names no GPU or the value is not one we know.
const Gpu* gpu_of_label(std::string_view key, std::string_view value);

// Architecture order for "nearest measured architecture".
std::optional<double> compute_capability(const std::string& arch);

}  // namespace ecolint::energy
