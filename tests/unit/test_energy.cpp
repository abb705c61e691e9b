// The energy model: GPU catalogue, GPU detection in config files, GPU-aware impact and estimates.
#include <catch2/catch.hpp>

#include <set>

#include "catalog/rule_info.hpp"
#include "energy/gpus.hpp"
#include "energy/impact.hpp"
#include "energy/workload.hpp"
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
    // NVIDIA architectures have a compute capability; other vendors' have none.
    CHECK(compute_capability(g.arch).has_value() == (g.vendor == "NVIDIA"));
  }
  // The borrow table follows the sources: Hopper from Ampere, nothing else.
  REQUIRE(c.borrows.size() == 1);
  CHECK(borrow_for("Hopper")->from == "Ampere");
  CHECK_FALSE(borrow_for("Turing"));
  CHECK_FALSE(borrow_for("Ampere GA10x"));
  for (const auto& r : ecolint::catalog::rule_infos())
    for (const auto& e : r.evidence()) {
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

TEST_CASE("rows follow the GPU: its own, its architecture's, the sources' borrow, or none", "[energy]") {
  auto a800 = select_rows({"ECO001", std::nullopt, "A800", ""});
  REQUIRE(a800.counted().size() == 4);
  for (auto* r : a800.counted()) CHECK(r->gpu == "A800");
  CHECK_FALSE(a800.extrapolated);
  CHECK(a800.how.empty());
  CHECK(a800.rows_from == "A800");
  // An A100 is not measured; A800 is the same architecture (the sources' "Ampere (A100/A800)").
  auto a100 = select_rows({"ECO001", std::nullopt, "A100", ""});
  CHECK(a100.counted().size() == 4);
  CHECK(a100.extrapolated);
  CHECK(a100.how.find("no measurements on A100 40GB SXM4 (Ampere); same architecture: Ampere (A800)") != std::string::npos);
  // H100 (Hopper) for ECO001: no Hopper rows; the sources borrow Hopper from Ampere, so A800's
  // rows stand in (never Ada's, whatever the compute capabilities say).
  auto h100 = select_rows({"ECO001", std::nullopt, "H100", ""});
  REQUIRE(!h100.counted().empty());
  for (auto* r : h100.counted()) CHECK(r->arch == "Ampere");
  CHECK(h100.extrapolated);
  CHECK(h100.rows_from == "Ampere (A800)");
  CHECK(h100.how.find("borrowed from Ampere (A800) as the sources borrow Hopper from Ampere") != std::string::npos);
  CHECK(impact_text({"ECO001", std::nullopt, "H100", ""}).find("borrowed from Ampere (A800)") != std::string::npos);
  // No rows on the architecture and no borrow: no figures, and the finding says why.
  for (const char* gpu : {"T4", "V100", "A10G", "RTX 3090", "B200"}) {
    INFO(gpu);
    auto s = select_rows({"ECO001", std::nullopt, gpu, ""});
    CHECK_FALSE(s.median);
    CHECK(s.counted().empty());
    CHECK(s.no_estimate.find("no estimate for " + find_gpu(gpu)->name) == 0);
    CHECK(s.no_estimate.find("the sources borrow no other architecture's figures") != std::string::npos);
    CHECK_FALSE(estimate({"ECO001", 7.0, gpu, ""}, Workload{1e6, std::nullopt, std::nullopt}));
  }
  // Without a GPU: every measured GPU.
  auto all = select_rows({"ECO001", std::nullopt, "", ""});
  CHECK(all.rows_from == "all measured GPUs");
  CHECK_FALSE(all.extrapolated);
}

TEST_CASE("the GPU note names GPUs exactly: RTX 4090 stays listed after RTX 4090D", "[energy]") {
  // L4 (Ada) has no rows: the Ada rows stand in, RTX 4090D's listed first. Matching names by
  // substring used to drop "RTX 4090" from the note once "RTX 4090D" was in it.
  auto l4 = select_rows({"ECO001", std::nullopt, "L4", ""});
  CHECK(l4.rows_from == "Ada (RTX 4090D, RTX 4090)");
  CHECK(l4.how.find("same architecture: Ada (RTX 4090D, RTX 4090)") != std::string::npos);
  CHECK(impact_text({"ECO001", std::nullopt, "L4", ""}).find("Ada (RTX 4090D, RTX 4090)") != std::string::npos);
  CHECK(select_rows({"ECO003", std::nullopt, "", ""}).measured_on == "A800, H100 SXM5, T4");
}

TEST_CASE("non-NVIDIA accelerators resolve but never take NVIDIA figures", "[energy]") {
  const Gpu* mi300x = find_gpu("MI300X");
  REQUIRE(mi300x);
  CHECK(mi300x->vendor == "AMD");
  CHECK(mi300x->arch == "CDNA3");
  CHECK_FALSE(compute_capability(mi300x->arch));
  CHECK(find_gpu("AMD Instinct MI300X") == mi300x);
  CHECK(find_gpu("Standard_ND96isr_MI300X_v5") == mi300x);
  CHECK(find_gpu("MI250")->vram_gb == 128);
  for (const char* rule : {"ECO001", "ECO002", "ECO003"}) {
    INFO(rule);
    auto s = select_rows({rule, 1.1, "MI300X", ""});
    CHECK(s.counted().empty());
    CHECK(s.no_estimate.find("no estimate for MI300X (AMD CDNA3)") == 0);
    CHECK(impact_text({rule, 1.1, "MI300X", ""}).find("no estimate for MI300X (AMD CDNA3)") == 0);
    CHECK_FALSE(estimate({rule, 1.1, "MI300X", ""}, Workload{1e6, std::nullopt, std::nullopt}));
  }
  CHECK_FALSE(nf4_crossover_for_gpu("MI300X"));
}

TEST_CASE("rows are chosen by method and batch: penalties at batch 1, batching at the fix's batch", "[energy]") {
  for (const auto& info : ecolint::catalog::rule_infos())
    for (const char* gpu : {"", "A800", "RTX 4090", "RTX 4090D", "H100", "T4", "RTX 5090", "L4"}) {
      INFO(info.id << " " << gpu);
      auto s = select_rows({info.id, std::nullopt, gpu, ""});
      for (const auto& g : s.groups)
        for (auto* r : g.rows) {
          if (info.impact_method == "batch") {
            CHECK(r->batch == *info.suggested_batch);
            CHECK(r->method == info.impact_precision);
          } else {
            CHECK(r->batch == 1);
            CHECK(r->method == info.impact_method);
          }
          if (info.impact_max_params_b) CHECK(r->params_b <= *info.impact_max_params_b);
        }
    }
  // ECO003's fix names batch 8 first; its figures are batch 8 vs 1 in FP16, never another precision's.
  const auto* eco003 = ecolint::catalog::find_rule_info("ECO003");
  CHECK(*eco003->suggested_batch == 8);
  CHECK(eco003->impact_precision == "fp16");
  CHECK(eco003->fix.find("batch 8") != std::string::npos);
}

TEST_CASE("sessions are never pooled, accountings never mixed, suspect rows never counted", "[energy]") {
  for (const auto& info : ecolint::catalog::rule_infos())
    for (const char* gpu : {"", "A800", "A100", "RTX 4090", "RTX 4090D", "L4", "H100", "H200", "T4", "RTX 5090"}) {
      INFO(info.id << " " << gpu);
      auto s = select_rows({info.id, std::nullopt, gpu, ""});
      std::set<std::string> accountings;
      for (const auto& g : s.groups) {
        for (auto* r : g.rows) {
          CHECK(r->gpu == g.gpu);
          CHECK(r->session == g.session);
          CHECK(r->idle_subtracted == g.idle_subtracted);
        }
        if (!g.counted) {
          CHECK(!g.not_counted_because.empty());
          continue;
        }
        accountings.insert(g.idle_subtracted);
        for (auto* r : g.median_rows) CHECK(r->quality != "suspect");
      }
      CHECK(accountings.size() <= 1);
      // The central figure is one group's median or the median of the groups' medians.
      if (s.median) {
        std::vector<double> medians;
        for (const auto& g : s.groups)
          if (g.counted) medians.push_back(*g.median);
        CHECK(*s.median == Approx(median_of(medians)));
      }
    }
  // RTX 4090D: the February runs at board level are counted; the same runs with idle power
  // subtracted, and the March session of unknown accounting, are shown with the reason.
  auto d = select_rows({"ECO001", std::nullopt, "RTX 4090D", ""});
  CHECK(d.accounting == "false");
  REQUIRE(d.counted_groups() == 1);
  CHECK(*d.median == Approx((46.0 + 52.6) / 2));
  std::string text = impact_text({"ECO001", std::nullopt, "RTX 4090D", ""});
  CHECK(text.find("measured +40.1–59.7%") != std::string::npos);
  CHECK(text.find("RTX 4090D (Feb 2026, idle subtracted) +17.4–32.7% [idle subtracted: not mixed with board-level figures]") != std::string::npos);
  CHECK(text.find("RTX 4090D (Mar 2026) +142% [idle accounting unknown: not mixed with board-level figures]") != std::string::npos);
  // T4's only batch sweep is suspect: shown, flagged, no estimate (and no 400 W card's figures).
  auto t4 = select_rows({"ECO003", std::nullopt, "T4", ""});
  CHECK_FALSE(t4.median);
  CHECK(impact_text({"ECO003", std::nullopt, "T4", ""}).find("T4 -23.6% [flagged suspect]") != std::string::npos);
  CHECK_FALSE(estimate({"ECO003", 3.0, "T4", ""}, Workload{1e6, std::nullopt, std::nullopt}));
  // Summary figures are counted in their own group and said to be summaries.
  std::string rtx5090 = impact_text({"ECO001", std::nullopt, "RTX 5090", ""});
  CHECK(rtx5090.find("reported (summary figure) +74%") == 0);
  CHECK(rtx5090.find("n = 3") != std::string::npos);
  CHECK(impact_text({"ECO001", std::nullopt, "", ""}).find("RTX 5090 +74% (summary figure, n = 3)") != std::string::npos);
}

TEST_CASE("batching figures name larger batches only where they were measured", "[energy]") {
  std::string h100 = impact_text({"ECO003", std::nullopt, "H100", ""});
  CHECK(h100.find("larger batches, not estimated: H100 SXM5 batch 64 -96.7% to -98.1%") != std::string::npos);
  // A800 was not measured at batch 64 in FP16: no batch-64 figure on its findings.
  std::string a800 = impact_text({"ECO003", std::nullopt, "A800", ""});
  CHECK(a800.find("batch 64") == std::string::npos);
  CHECK(a800.find("-85.5%") != std::string::npos);
}

TEST_CASE("workload estimates match hand-checked arithmetic", "[energy]") {
  Workload w;
  w.tokens_per_day = 1e6;
  w.price_per_kwh = 0.20;
  w.grid_gco2_per_kwh = 400;
  // ECO001 on A800, batch-1 rows: +107.4, +117.2, +121.7, +130.8 -> median +119.45%; baseline the
  // row nearest 7.2B, the first in the data: Mistral-7B FP16 batch 1, 4,334 J/1k tokens.
  // 1e6 tok/day / 1000 * 4334 J * 1.1945 * 30 days / 3.6e6 J/kWh = 43.141 kWh/month.
  auto e = estimate({"ECO001", 7.2, "A800", ""}, w);
  REQUIRE(e);
  CHECK(e->delta_pct == Approx(119.45));
  CHECK(e->delta_low == Approx(107.4));
  CHECK(e->delta_high == Approx(130.8));
  CHECK(e->baseline_j_per_1k == Approx(4334));
  CHECK(e->kwh.median == Approx(43.141).epsilon(1e-4));
  CHECK(e->kwh.low == Approx(1000 * 4334 * 1.074 * 30 / 3.6e6));
  CHECK(e->kwh.high == Approx(1000 * 4334 * 1.308 * 30 / 3.6e6));
  CHECK(e->money->median == Approx(e->kwh.median * 0.2));
  CHECK(e->money->high == Approx(e->kwh.high * 0.2));
  CHECK(e->kg_co2e->low == Approx(e->kwh.low * 0.4));
  // ECO003, no GPU: FP16 batch 8 vs 1, not the suspect T4 row: A800 -85.5 (one row), H100
  // -80.9, -85.5, -82.8 (median -82.8) -> median of the two groups' medians -84.15%. Baseline:
  // nearest 7B among the counted rows: H100 llama-7b is 6.74 (0.26 away), A800 7.2 (0.2 away):
  // A800 Mistral-7B FP16 batch 1, 4,334 J/1k. 1000 * 4334 * 0.8415 * 30 / 3.6e6 = 30.392 kWh.
  auto b = estimate({"ECO003", 7.0, "", ""}, Workload{1e6, std::nullopt, std::nullopt});
  REQUIRE(b);
  CHECK(b->delta_pct == Approx(-84.15));
  CHECK(b->baseline_j_per_1k == Approx(4334));
  CHECK(b->kwh.median == Approx(30.392).epsilon(1e-4));
  CHECK(b->kwh.low == Approx(1000 * 4334 * 0.809 * 30 / 3.6e6));  // the smallest saving
  CHECK(b->kwh.high == Approx(1000 * 4334 * 0.855 * 30 / 3.6e6));
  CHECK_FALSE(b->money);
  // The baseline follows the model size on that GPU, for every rule.
  CHECK(estimate({"ECO003", 1.1, "H100", ""}, w)->baseline_j_per_1k == Approx(2278));
  CHECK(estimate({"ECO003", 7.0, "H100", ""}, w)->baseline_j_per_1k == Approx(4751));
  CHECK(estimate({"ECO001", 0.5, "RTX 4090", ""}, w)->baseline_j_per_1k == Approx(1550.92));
  CHECK(estimate({"ECO001", 7.0, "RTX 4090", ""}, w)->baseline_j_per_1k == Approx(5467.88));
  CHECK(estimate({"ECO002", 1.5, "T4", ""}, w)->baseline_j_per_1k == Approx(5731.80));
  // A penalty that the rows show reversed is a negative avoidable energy, not a hidden zero:
  // ECO002 on RTX 4090 spans -15.1% (August, 3B) to +35.6% (July, 0.5B).
  auto nf4 = estimate({"ECO002", 3.0, "RTX 4090", ""}, w);
  REQUIRE(nf4);
  CHECK(nf4->kwh.low < 0);
  CHECK(nf4->kwh.high > 0);
}

TEST_CASE("ECO002's threshold follows the GPU's fitted crossover", "[energy]") {
  CHECK(*nf4_crossover_for_gpu("T4") == Approx(2.126));
  CHECK(*nf4_crossover_for_gpu("RTX 4090") == Approx(3.728));
  CHECK(*nf4_crossover_for_gpu("L4") == Approx(3.728));  // Ada too
  CHECK(*nf4_crossover_for_gpu("RTX 5090") == Approx(4.751));
  CHECK_FALSE(nf4_crossover_for_gpu("A100"));  // Ampere: no fitted crossover, the default applies
  CHECK_FALSE(nf4_crossover_for_gpu("nonsense"));
}
