// The energy model: GPU catalogue, GPU detection in config files, GPU-aware impact and estimates.
#include <catch2/catch.hpp>

#include <set>

#include "catalog/rule_info.hpp"
#include "energy/impact.hpp"
#include "energy/gpus.hpp"
#include "yaml/document.hpp"

using namespace ecolint::energy;

TEST_CASE("the GPU catalogue loads and every GPU in the evidence is in it", "[energy]") {
  const auto& c = gpu_catalogue();
  REQUIRE(c.gpus.size() >= 15);
  for (const auto& g : c.gpus) {
    INFO(g.name);
    CHECK(!g.source.empty());
    CHECK(g.vram_gb > 0);
    CHECK(g.board_power_w > 0);
    CHECK(compute_capability(g.arch).has_value());
  }
  for (const auto& r : ecolint::catalog::rule_infos())
    for (const auto& e : r.evidence) {
      INFO(r.id << " " << e.gpu);
      const Gpu* g = find_gpu(e.gpu);
      REQUIRE(g != nullptr);
      CHECK(g->arch == e.arch);
    }
  for (const auto& [prefix, name] : c.instance_prefixes) {
    INFO(prefix);
    CHECK(find_gpu(name) != nullptr);
  }
}

TEST_CASE("GPU names resolve as platforms write them", "[energy]") {
  CHECK(find_gpu("A100")->name == "A100 40GB SXM4");
  CHECK(find_gpu("NVIDIA-A100-SXM4-80GB")->name == "A100 80GB SXM4");
  CHECK(find_gpu("nvidia-tesla-t4")->name == "T4");
  CHECK(find_gpu("NVIDIA-H100-80GB-HBM3")->name == "H100 SXM5");
  CHECK(find_gpu("rtx 4090")->name == "RTX 4090");
  CHECK(find_gpu("RTX 4090D")->name == "RTX 4090D");
  CHECK(find_gpu("p4d.24xlarge")->name == "A100 40GB SXM4");
  CHECK(find_gpu("g5.2xlarge")->name == "A10G");
  CHECK(find_gpu("g6e.xlarge")->name == "L40S");
  CHECK(find_gpu("a3-highgpu-8g")->name == "H100 SXM5");
  CHECK(find_gpu("nvidia-l4")->name == "L4");
  CHECK(find_gpu("TPU-v5") == nullptr);
  CHECK(find_gpu("") == nullptr);
}

namespace {
// The first GPU the YAML reader finds in a deployment file.
std::optional<ecolint::yaml::GpuMention> gpu_in(const std::string& text) {
  ecolint::SourceText source(text);
  auto doc = ecolint::yaml::analyse(source);
  if (doc.gpus.empty()) return std::nullopt;
  return doc.gpus.front();
}
}  // namespace

TEST_CASE("GPUs named in deployment files are found", "[energy]") {
  auto k8s = gpu_in(
      "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      nodeSelector:\n"
      "        nvidia.com/gpu.product: NVIDIA-A100-SXM4-80GB\n");
  REQUIRE(k8s);
  CHECK(k8s->gpu == "A100 80GB SXM4");
  CHECK(k8s->position.line == 7);
  auto gke = gpu_in("nodeSelector:\n  cloud.google.com/gke-accelerator: nvidia-l4\n");
  REQUIRE(gke);
  CHECK(gke->gpu == "L4");
  auto sky = gpu_in("resources:\n  accelerators: A100:8\n");
  REQUIRE(sky);
  CHECK(sky->gpu == "A100 40GB SXM4");
  auto sky_map = gpu_in("resources:\n  accelerators: {H100: 1}\n");
  REQUIRE(sky_map);
  CHECK(sky_map->gpu == "H100 SXM5");
  auto inst = gpu_in("nodeSelector:\n  node.kubernetes.io/instance-type: \"g4dn.xlarge\"\n");
  REQUIRE(inst);
  CHECK(inst->gpu == "T4");
  // A matchExpressions item names its label in `key` and the GPU in `values`.
  auto affinity = gpu_in(
      "affinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms:\n"
      "        - matchExpressions:\n            - key: nvidia.com/gpu.product\n              operator: In\n"
      "              values:\n                - NVIDIA-H100-80GB-HBM3\n");
  REQUIRE(affinity);
  CHECK(affinity->gpu == "H100 SXM5");
  CHECK(affinity->position.line == 9);
  CHECK_FALSE(gpu_in("# accelerators: A100:8\nresources: {}\n"));
  CHECK_FALSE(gpu_in("resources:\n  limits:\n    nvidia.com/gpu: 1\n"));
  CHECK_FALSE(gpu_in("accelerators: TPU-v4:8\n"));
  CHECK_FALSE(gpu_in("description: \"accelerators: A100:8\"\n"));  // a value that mentions one is not a label
}

TEST_CASE("impact follows the GPU: measured, nearest architecture, or all", "[energy]") {
  std::string note;
  auto a800 = impact_rows({"ECO001", std::nullopt, "A800", ""}, &note);
  REQUIRE(a800.size() == 6);
  CHECK(note.empty());
  for (auto* r : a800) CHECK(r->gpu == "A800");
  // An A100 is not measured; A800 is the same architecture.
  auto a100 = impact_rows({"ECO001", std::nullopt, "A100", ""}, &note);
  CHECK(a100.size() == 6);
  CHECK(note.find("no measurements on A100 40GB SXM4 (Ampere); same architecture: Ampere") != std::string::npos);
  // H100 (Hopper, 9.0) for ECO001: nearest measured architecture is Ada (8.9).
  auto h100 = impact_rows({"ECO001", std::nullopt, "H100", ""}, &note);
  REQUIRE(!h100.empty());
  for (auto* r : h100) CHECK(r->arch == "Ada");
  CHECK(note.find("nearest measured architecture: Ada") != std::string::npos);
  auto unknown = impact_rows({"ECO001", std::nullopt, "MI300X", ""}, &note);
  CHECK(unknown.size() == impact_rows({"ECO001", std::nullopt, "", ""}, nullptr).size());
  CHECK(note.find("unknown GPU 'MI300X'") != std::string::npos);
  CHECK(impact_text({"ECO001", std::nullopt, "H100", ""}).find("nearest measured architecture: Ada") != std::string::npos);
}

TEST_CASE("workload estimates match hand-checked arithmetic", "[energy]") {
  Workload w;
  w.tokens_per_day = 1e6;
  w.price_per_kwh = 0.20;
  w.grid_gco2_per_kwh = 400;
  // ECO001 on A800: median of +107.4, +117.2, +121.7, +125.6, +130.8, +147.1 = +123.65%;
  // baseline: Mistral-7B FP16 batch 1, 4,334 J/1k tokens (the row nearest 7.2B).
  // 1e6 tok/day / 1000 * 4334 J * 1.2365 * 30 days / 3.6e6 J/kWh = 44.658 kWh/month.
  auto e = estimate({"ECO001", 7.2, "A800", ""}, w);
  REQUIRE(e);
  CHECK(e->delta_pct == Approx(123.65));
  CHECK(e->baseline_j_per_1k == Approx(4334));
  CHECK(e->kwh_per_month == Approx(44.658).epsilon(1e-4));
  CHECK(*e->money_per_month == Approx(8.9316).epsilon(1e-4));
  CHECK(*e->kg_co2e_per_month == Approx(17.863).epsilon(1e-4));
  // ECO003, no GPU: batch-8 rows -85.7, -85.5, -85.5, -85.3, -84.0, -82.8, -80.9, -23.6 (T4) ->
  // median (-85.3 - 84.0) / 2 = -84.65%; the median model size among rows with a baseline is 7.2B
  // -> the first 7.2B row, the A800 pure-INT8 sweep at batch 1, 6,907 J/1k.
  // 1000 * 6907 * 0.8465 * 30 / 3.6e6 = 48.723 kWh/month.
  auto b = estimate({"ECO003", std::nullopt, "", ""}, Workload{1e6, std::nullopt, std::nullopt});
  REQUIRE(b);
  CHECK(b->delta_pct == Approx(-84.65));
  CHECK(b->baseline_j_per_1k == Approx(6907));
  CHECK(b->kwh_per_month == Approx(48.723).epsilon(1e-4));
  CHECK_FALSE(b->money_per_month);
}

TEST_CASE("ECO002's threshold follows the GPU's fitted crossover", "[energy]") {
  CHECK(*nf4_crossover_for_gpu("T4") == Approx(2.126));
  CHECK(*nf4_crossover_for_gpu("RTX 4090") == Approx(3.728));
  CHECK(*nf4_crossover_for_gpu("L4") == Approx(3.728));  // Ada too
  CHECK(*nf4_crossover_for_gpu("RTX 5090") == Approx(4.751));
  CHECK_FALSE(nf4_crossover_for_gpu("A100"));  // Ampere: no fitted crossover, the default applies
  CHECK_FALSE(nf4_crossover_for_gpu("nonsense"));
}
