// ECO004 quantized-but-fits: bitsandbytes quantization (pure INT8 with threshold 0.0, or 4-bit) used
// for inference of a model whose FP16 weights fit the file's GPU with room to spare. The memory it
// saves is not needed, and it costs energy (pure INT8, NF4 with double quantization) or accuracy
// (plain NF4, about flat in energy where measured). Needs a known GPU and a known model size.
// Default-threshold INT8 is ECO001's.
#include <algorithm>
#include <cstdio>
#include <optional>

#include "energy/gpus.hpp"
#include "energy/impact.hpp"
#include "engines/surfaces.hpp"
#include "model/model_size.hpp"
#include "rules/edits.hpp"
#include "rules/rules.hpp"

namespace ecolint {
namespace {

std::string fmt(double v, const char* unit) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g%s", v, unit);
  return buf;
}

class Eco004 final : public Rule {
 public:
  Eco004() : Rule("ECO004") {}
  std::vector<std::string> settings_read() const override { return {"quantize"}; }
  std::vector<std::string> methods_read() const override { return {"int8", "nf4", "fp4", "bnb4"}; }

  // The median change in energy per token of this method's FP16-baseline rows measured on the
  // GPU's architecture, else on the architecture the sources borrow for it; nullopt without rows.
  // Suspect rows are never counted.
  struct Measured {
    double median;     // median change in energy per token, percent
    std::string arch;  // the architecture whose rows gave it
  };
  std::optional<Measured> median_delta(const std::string& method, const energy::Gpu& gpu) const {
    std::vector<std::string> archs{gpu.arch};
    if (const energy::Borrow* b = energy::borrow_for(gpu.arch)) archs.push_back(b->from);
    for (const auto& arch : archs) {
      std::vector<double> deltas;
      for (const auto& row : info().evidence())
        if (row.method == method && row.baseline == "fp16" && row.arch == arch && row.quality != "suspect")
          deltas.push_back(row.delta_pct);
      if (deltas.empty()) continue;
      std::sort(deltas.begin(), deltas.end());
      size_t n = deltas.size();
      return Measured{n % 2 ? deltas[n / 2] : (deltas[n / 2 - 1] + deltas[n / 2]) / 2, arch};
    }
    return std::nullopt;
  }

  void check_launches(const std::vector<engines::Launch>& launches, RuleContext& ctx) const override {
    const energy::Gpu* gpu = ctx.file().gpu.empty() ? nullptr : energy::find_gpu(ctx.file().gpu);
    if (!gpu || gpu->vram_gb <= 0) return;  // no GPU named: nothing to compare with
    double fraction = info().parameters.count("max_weight_fraction") ? info().parameters.at("max_weight_fraction") : 0.5;
    for (const auto& launch : launches) {
      const engines::Engine* engine = engines::surfaces().engine(launch.engine);
      bool inference = (engine && engine->serves) || launch.purpose == engines::Launch::Purpose::Inference;
      if (launch.purpose == engines::Launch::Purpose::Training) inference = false;
      if (!inference) continue;
      const engines::Setting* model_id = launch.get("model");
      if (!model_id || !model_id->known) continue;
      model::ModelSize size = model::resolve_model_size(model_id->value);
      if (!size.known) continue;
      double weights_gb = size.total_billions * 2.0;  // FP16: two bytes per parameter
      if (weights_gb > fraction * gpu->vram_gb) continue;
      for (const auto& q : engines::quantizations(launch)) {
        std::string method;
        if (q.method == "int8-pure") method = "int8-pure";
        else if (q.method == "nf4" || q.method == "fp4" || q.method == "4-bit") method = "nf4";
        else continue;  // default-threshold INT8 is ECO001's
        // A small model's 4-bit is ECO002's finding (it runs first): one finding per setting.
        if (ctx.reported("ECO002", q.setting->where.start)) break;
        // Where an NF4 energy crossover was fitted for the GPU's architecture (Turing, Ada,
        // Blackwell), 4-bit above it measured an energy saving: not this rule's finding there.
        // Below it, ECO002 reports the setting.
        if (method == "nf4") {
          if (auto crossover = energy::nf4_crossover_for_gpu(ctx.file().gpu);
              crossover && size.total_billions > *crossover)
            break;
          const engines::Setting* dq = launch.get("double_quant");
          if (dq && dq->known && engines::canonical_value(dq->value) == "true") method = "nf4-dq";
        }
        std::string what = method == "int8-pure" ? "8-bit LLM.int8() with threshold 0.0"
                           : method == "nf4-dq"  ? "4-bit NF4 with double quantization"
                                                 : "4-bit " + std::string(q.method == "fp4" ? "FP4" : "NF4");
        std::string message = launch.describe(*q.setting) + " quantizes " + model_id->value + " (" +
                              fmt(size.total_billions, "B") + " parameters, about " + fmt(weights_gb, " GB") +
                              " in FP16) to " + what + " for inference on GPU " + gpu->name + " (" +
                              fmt(gpu->vram_gb, " GB") + "): the FP16 weights fit with room to spare, so the "
                              "memory it saves is not needed";
        // A warning where this method's rows on the GPU's architecture (or the one the sources
        // borrow for it) measured a penalty; else a note naming the accuracy cost.
        std::optional<Measured> measured = median_delta(method, *gpu);
        Severity severity = measured && measured->median > 0 ? Severity::Warning : Severity::Note;
        std::string accuracy = method == "int8-pure"
                                   ? "pure INT8 raised perplexity by 1.3% to 25% where measured"
                                   : "4-bit weights raised perplexity by 5% to 28% in one measurement session";
        if (severity == Severity::Warning)
          message += ", and it costs energy per token";
        else if (measured)
          message += "; " + what + " measured about flat in energy on " + measured->arch + ", but " + accuracy;
        else
          message += "; its energy on this GPU's architecture is unmeasured, and " + accuracy;
        Diagnostic* d = report(ctx, {q.setting->where, message, "", size.total_billions, method, severity});
        // The edit ECO002 writes (the quantization setting removed or turned off, BF16 in Python),
        // over every quantization setting of the launch.
        std::vector<const engines::Setting*> settings;
        for (const auto& other : engines::quantizations(launch)) settings.push_back(other.setting);
        auto fix = edits::bf16_instead_of_4bit_fix(ctx.source(), launch, settings);
        if (fix && method == "int8-pure") fix->title = "load in BF16/FP16 instead of bitsandbytes 8-bit";
        edits::attach(d, std::move(fix), info().fix_safety);
        break;  // one finding per launch
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_eco004() { return std::make_unique<Eco004>(); }

}  // namespace ecolint
