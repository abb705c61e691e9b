#pragma once
// The GPU catalogue (rules/gpus.yaml): resolving a GPU name as users and platforms write it, and
// finding GPUs named in deployment files (node selectors, accelerator fields, instance types).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ecolint::energy {

struct Gpu {
  std::string name;    // canonical, as the evidence rows spell it
  std::string vendor;  // "NVIDIA", "AMD"
  std::string arch;
  double vram_gb = 0;
  double board_power_w = 0;
  std::vector<std::string> aliases;
  std::string source;
  std::string note;
};

struct Architecture {
  std::string name;
  std::string vendor;
  std::optional<double> compute_capability;  // NVIDIA only
  std::string llvm_target;                   // AMD gfx target, for the catalogue's readers
};

// An architecture without measurements of its own whose figures come from another, as the
// sources themselves borrow (rules/gpus.yaml `borrow`).
struct Borrow {
  std::string arch, from, source;
};

struct GpuCatalogue {
  std::vector<Gpu> gpus;
  std::vector<Architecture> architectures;
  std::vector<Borrow> borrows;
  std::vector<std::pair<std::string, std::string>> instance_prefixes;  // prefix -> GPU name
  std::vector<std::string> label_keys;  // keys whose value names a GPU (see rules/gpus.yaml)
};

// Parsed once from the embedded data; throws std::runtime_error if malformed (a test loads it).
const GpuCatalogue& gpu_catalogue();

// "A100", "nvidia-tesla-t4", "NVIDIA-H100-80GB-HBM3", "RTX 4090", "p4d.24xlarge", "MI300X" -> the GPU.
const Gpu* find_gpu(std::string_view name);

// A GPU named by a deployment file's label or field: `key` is one of the catalogue's label keys
// (nvidia.com/gpu.product, cloud.google.com/gke-accelerator, node.kubernetes.io/instance-type,
// SkyPilot accelerators, ...) and `value` its value ("NVIDIA-A100-SXM4-80GB", "A100:8",
// "p4d.24xlarge"); null when the key names no GPU or the value is not one we know.
const Gpu* gpu_of_label(std::string_view key, std::string_view value);

std::optional<double> compute_capability(const std::string& arch);

// The borrow-table entry for an architecture, or null when the sources borrow nothing for it.
const Borrow* borrow_for(const std::string& arch);

}  // namespace ecolint::energy
