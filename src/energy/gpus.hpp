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
};

// Parsed once from the embedded data; throws std::runtime_error if malformed (a test loads it).
const GpuCatalogue& gpu_catalogue();

// "A100", "nvidia-tesla-t4", "NVIDIA-H100-80GB-HBM3", "RTX 4090", "p4d.24xlarge" -> the GPU.
const Gpu* find_gpu(std::string_view name);

// A GPU named in a deployment/config file's text: Kubernetes node labels
// (nvidia.com/gpu.product, cloud.google.com/gke-accelerator, karpenter/EKS instance-gpu-name,
// node.kubernetes.io/instance-type), SkyPilot-style `accelerators: A100:1`, instance types.
// Returns the first one found, with its 1-based line; nullopt if none.
struct GpuMention {
  const Gpu* gpu = nullptr;
  unsigned line = 0;
  std::string written;  // as it appears in the file
};
std::optional<GpuMention> find_gpu_in_config(std::string_view text);

// Architecture order for "nearest measured architecture".
std::optional<double> compute_capability(const std::string& arch);

}  // namespace ecolint::energy
