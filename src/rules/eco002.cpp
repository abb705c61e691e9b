// ECO002 nf4-small-model: bitsandbytes 4-bit quantization (NF4, FP4) of a model at or below the
// size where 4-bit starts to save energy, in any surface the engine table knows.
#include <cstdio>

#include "engines/surfaces.hpp"
#include "model/model_size.hpp"
#include "rules/edits.hpp"
#include "rules/rules.hpp"

namespace ecolint {
namespace {

std::string fmt_b(double b) {
  char buf[32];
  if (b < 1.0) std::snprintf(buf, sizeof buf, "%gM", b * 1000.0);
  else std::snprintf(buf, sizeof buf, "%gB", b);
  return buf;
}

// What each 4-bit method is called in messages; methods outside this list are not 4-bit
// bitsandbytes and are not this rule's (an engine row mapping a value to int8 is ECO001's).
const char* four_bit_name(const std::string& method) {
  if (method == "nf4") return "NF4";
  if (method == "fp4") return "FP4";
  if (method == "4-bit") return "4-bit";
  return nullptr;
}

class Eco002 final : public Rule {
 public:
  Eco002() : Rule("ECO002") {}
  std::vector<std::string> settings_read() const override { return {"quantize"}; }
  std::vector<std::string> methods_read() const override { return {"nf4", "fp4", "bnb4"}; }

  void check_launches(const std::vector<engines::Launch>& launches, RuleContext& ctx) const override {
    for (const auto& launch : launches) {
      const engines::Setting* model_id = launch.get("model");
      if (!model_id || !model_id->known) continue;
      for (const auto& q : engines::quantizations(launch)) {
        const char* quant = four_bit_name(q.method);
        if (!quant) continue;
        model::ModelSize size = model::resolve_model_size(model_id->value);
        if (!size.known) break;
        double threshold = size_threshold(ctx);
        if (size.total_billions > threshold) break;
        std::string message = launch.describe(*q.setting) + " quantizes " + model_id->value +
                              " to 4-bit bitsandbytes (" + quant + "), " + fmt_b(size.total_billions) +
                              " parameters, at or below the " + fmt_b(threshold) +
                              " threshold: dequantizing every layer on every forward pass often costs more energy than a "
                              "model this small saves in memory traffic";
        if (q.method == "fp4") {
          // "the default" only when the setting asked for 4-bit of no particular type (bnb4) and no
          // type is written; TGI's bitsandbytes-fp4 or LitGPT's bnb.fp4 choose FP4 outright.
          bool defaulted = false;
          if (!launch.get("bnb_4bit_quant_type") && q.setting->row) {
            auto m = q.setting->row->means.find(engines::canonical_value(q.setting->value));
            defaulted = m != q.setting->row->means.end() && m->second == "bnb4";
          }
          message += std::string("; FP4") + (defaulted ? " (the default when no bnb_4bit_quant_type is set)" : "") +
                     " shares NF4's dequantization path, the measurements are NF4's";
        }
        Diagnostic* d = report(ctx, {q.setting->where, message, q.setting->row ? q.setting->row->fix : "", size.total_billions});
        std::vector<const engines::Setting*> four_bit;  // every 4-bit setting of the launch goes
        for (const auto& other : engines::quantizations(launch))
          if (four_bit_name(other.method)) four_bit.push_back(other.setting);
        edits::attach(d, edits::bf16_instead_of_4bit_fix(ctx.source(), launch, four_bit), info().fix_safety);
        break;  // one finding per launch (axolotl's adapter: qlora and load_in_4bit say the same)
      }
    }
  }

 private:
  // The size at or below which 4-bit costs energy: the GPU's fitted NF4 crossover (set per file),
  // else the rule's default (3B).
  double size_threshold(const RuleContext& ctx) const {
    if (ctx.file().nf4_threshold_b) return *ctx.file().nf4_threshold_b;
    return info().default_threshold_b.value_or(3.0);
  }
};

}  // namespace

std::unique_ptr<Rule> make_eco002() { return std::make_unique<Eco002>(); }

}  // namespace ecolint
