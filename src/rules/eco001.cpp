// ECO001 int8-mixed-precision: bitsandbytes 8-bit loading (LLM.int8()) with the default or a
// non-zero outlier threshold, in any surface the engine table knows (BitsAndBytesConfig,
// from_pretrained, quantization_config dicts, TGI --quantize bitsandbytes, axolotl load_in_8bit,
// LLaMA-Factory quantization_bit: 8, text-generation-webui --load-in-8bit, ...).
#include <cstdio>

#include "engines/surfaces.hpp"
#include "model/model_size.hpp"
#include "rules/edits.hpp"
#include "rules/rules.hpp"

namespace ecolint {
namespace {

// The model size for the estimate's baseline: the launch's model (resolved as ECO002 does), else
// the file's one model (a BitsAndBytesConfig(...) is a launch of its own, without the model).
std::optional<double> model_size(const engines::Launch& launch, const RuleContext& ctx) {
  if (const engines::Setting* m = launch.get("model"); m && m->known)
    if (model::ModelSize size = model::resolve_model_size(m->value); size.known) return size.total_billions;
  return ctx.file().model_params_b;
}

class Eco001 final : public Rule {
 public:
  Eco001() : Rule("ECO001") {}
  std::vector<std::string> settings_read() const override { return {"quantize"}; }
  std::vector<std::string> methods_read() const override { return {"int8"}; }

  void check_launches(const std::vector<engines::Launch>& launches, RuleContext& ctx) const override {
    for (const auto& launch : launches) {
      for (const auto& q : engines::quantizations(launch)) {
        if (q.method != "int8") continue;
        const engines::Engine* engine = engines::surfaces().engine(launch.engine);
        bool settable = !engine || engine->int8_fix.empty();
        std::string threshold;
        if (q.threshold) threshold = "a non-zero outlier threshold (llm_int8_threshold=" + q.threshold->value + ")";
        else if (settable) threshold = "the default outlier threshold (llm_int8_threshold=6.0)";
        else threshold = "outlier threshold 6.0, which " + launch.engine_name + " does not let you change";
        std::string message = launch.describe(*q.setting) + " loads the model with bitsandbytes LLM.int8() at " +
                              threshold + ": the mixed-precision decomposition converts INT8<->FP16 in every linear layer";
        if (q.setting->direct && launch.launcher && !launch.launcher->note.empty())
          message += " (" + launch.launcher->note + ")";
        Diagnostic* d = report(ctx, {q.setting->where, message, settable ? "" : engine->int8_fix, model_size(launch, ctx)});
        if (settable) edits::attach(d, edits::int8_threshold_fix(ctx.source(), *q.setting, q.threshold), info().fix_safety);
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_eco001() { return std::make_unique<Eco001>(); }

}  // namespace ecolint
