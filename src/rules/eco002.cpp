// ECO002 nf4-small-model: bitsandbytes 4-bit quantization of a model at or below the size where
// NF4 starts to save energy.
#include <cstdio>

#include "deploy/document.hpp"
#include "energy/evidence.hpp"
#include "model/model_size.hpp"
#include "python/facts.hpp"
#include "rules/bnb.hpp"
#include "rules/rules.hpp"

namespace ecolint {
namespace {

using python::Call;
using python::Value;
using python::ValueKind;

std::string fmt_b(double b) {
  char buf[32];
  if (b < 1.0) std::snprintf(buf, sizeof buf, "%gM", b * 1000.0);
  else std::snprintf(buf, sizeof buf, "%gB", b);
  return buf;
}

// The size at or below which 4-bit costs energy: the GPU's fitted NF4 crossover (set per file in
// LintOptions), else the rule's default (3B).
double size_threshold(const LintContext& ctx) {
  if (ctx.options().nf4_threshold_b) return *ctx.options().nf4_threshold_b;
  const auto* info = energy::find_rule_info("ECO002");
  return info && info->default_threshold_b ? *info->default_threshold_b : 3.0;
}

class Eco002 final : public Rule {
 public:
  std::string_view id() const override { return "ECO002"; }
  std::vector<Trigger> triggers() const override { return {{"load_in_4bit", {}}, {"bitsandbytes", {}}}; }

  void check_python(const python::Module& module, LintContext& ctx) const override {
    for (const auto& call : module.calls()) {
      python::ValuePtr model_id;
      if (check_vllm_engine(*call, ctx)) continue;
      if (call->method == "from_pretrained") {
        model_id = call->argument("pretrained_model_name_or_path", 0);
      } else if (call->method == "pipeline") {
        model_id = call->argument("model", 1);
      } else {
        continue;
      }
      if (!model_id || model_id->kind != ValueKind::String) continue;
      auto setting = four_bit_setting(*call);
      if (!setting) continue;
      check(model_id->text, *setting, ctx);
    }
  }

  // vLLM from Python: LLM(model=..., quantization="bitsandbytes") (also EngineArgs and
  // AsyncEngineArgs). vLLM's on-the-fly bitsandbytes quantization is always NF4.
  static bool check_vllm_engine(const Call& call, LintContext& ctx) {
    if (call.method != "LLM" && call.method != "EngineArgs" && call.method != "AsyncEngineArgs") return false;
    const python::Keyword* q = call.keyword("quantization");
    if (!q || q->value->kind != ValueKind::String || q->value->text != "bitsandbytes") return true;
    python::ValuePtr model_id = call.argument("model", 0);
    if (!model_id || model_id->kind != ValueKind::String) return true;
    model::ModelSize size = model::resolve_model_size(model_id->text);
    if (!size.known) return true;
    double threshold = size_threshold(ctx);
    if (size.total_billions > threshold) return true;
    std::string message = "vLLM " + call.method + "(quantization=\"bitsandbytes\") quantizes " + model_id->text +
                          " to 4-bit bitsandbytes (NF4, vLLM's only on-the-fly bitsandbytes mode), " +
                          fmt_b(size.total_billions) + " parameters, at or below the " + fmt_b(threshold) +
                          " threshold: dequantizing every layer on every forward pass costs more energy than a model "
                          "this small saves in memory traffic";
    if (Diagnostic* d = ctx.report("ECO002", q->name_range, message,
                                   "drop quantization=\"bitsandbytes\" and serve the model in FP16/BF16 (dtype=\"auto\")",
                                   energy::impact_text({"ECO002", size.total_billions, ctx.options().gpu, ""})))
      d->params_b = size.total_billions;
    return true;
  }

  // Deployment / training YAML: 4-bit bitsandbytes (TGI bitsandbytes-nf4, vLLM --quantization
  // bitsandbytes, axolotl qlora, ...) of a model whose id resolves to a small size.
  void check_deploy(const deploy::Document& doc, LintContext& ctx) const override {
    for (const auto& launch : doc.launches) {
      const deploy::Setting* model_id = launch.get("model");
      if (!model_id || !model_id->known) continue;
      for (const auto& q : deploy::quantizations(launch)) {
        if (q.method == "int8") continue;
        model::ModelSize size = model::resolve_model_size(model_id->value);
        if (!size.known) break;
        const auto* info = energy::find_rule_info("ECO002");
        double threshold = size_threshold(ctx);
        if (size.total_billions > threshold) break;
        std::string quant = q.method == "nf4" ? "NF4" : q.method == "fp4" ? "FP4" : q.method;
        std::string written = deploy::as_written(*q.setting);
        std::string message = launch.engine_name + " `" + written + "` quantizes " + model_id->value +
                              " to 4-bit bitsandbytes (" + quant + "), " + fmt_b(size.total_billions) +
                              " parameters, at or below the " + fmt_b(threshold) +
                              " threshold: dequantizing every layer on every forward pass costs more energy than a "
                              "model this small saves in memory traffic";
        if (q.method == "fp4") message += "; FP4 shares NF4's dequantization path, the measurements are NF4's";
        if (Diagnostic* d = ctx.report("ECO002", q.setting->where, message, info ? info->fix_short : "",
                                       energy::impact_text({"ECO002", size.total_billions, ctx.options().gpu, ""})))
          d->params_b = size.total_billions;
        break;  // one finding per launch (axolotl's adapter: qlora and load_in_4bit say the same)
      }
    }
  }

 private:
  // The 4-bit setting that reaches this call, from its own keywords, a quantization_config
  // (a BitsAndBytesConfig call or a dict) or model_kwargs.
  static std::optional<rules::BnbSettings> four_bit_setting(const Call& call) {
    rules::BnbSettings own = rules::settings_from_call(call);
    if (rules::is_4bit(own)) return own;
    for (const char* name : {"quantization_config", "model_kwargs"}) {
      const python::Keyword* kw = call.keyword(name);
      if (!kw) continue;
      if (auto s = from_value(*kw->value, 0)) return s;
    }
    return std::nullopt;
  }

  static std::optional<rules::BnbSettings> from_value(const Value& v, int depth) {
    if (depth > 3) return std::nullopt;
    if (v.kind == ValueKind::Call && v.call && rules::is_bnb_config_call(*v.call)) {
      rules::BnbSettings s = rules::settings_from_call(*v.call);
      if (rules::is_4bit(s)) return s;
    } else if (v.kind == ValueKind::Dict) {
      rules::BnbSettings s = rules::settings_from_dict(v);
      if (rules::is_4bit(s)) return s;
      if (const python::DictEntry* q = v.entry("quantization_config")) return from_value(*q->value, depth + 1);
    }
    return std::nullopt;
  }

  static void check(const std::string& model_id, const rules::BnbSettings& s, LintContext& ctx) {
    model::ModelSize size = model::resolve_model_size(model_id);
    if (!size.known) return;
    const auto* info = energy::find_rule_info("ECO002");
    double threshold = size_threshold(ctx);
    if (size.total_billions > threshold) return;

    std::string quant = "FP4";
    bool fp4 = true;
    if (s.bnb_4bit_quant_type) {
      const Value& q = *s.bnb_4bit_quant_type->value;
      if (q.kind != ValueKind::String) quant = "4-bit";
      else if (q.text == "nf4") quant = "NF4", fp4 = false;
      else if (q.text != "fp4") quant = q.text;
    }
    std::string message = "4-bit bitsandbytes quantization (" + quant + ") of " + model_id + " (" +
                          fmt_b(size.total_billions) + " parameters, at or below the " + fmt_b(threshold) +
                          " threshold): dequantizing every layer on every forward pass costs more energy "
                          "than a model this small saves in memory traffic";
    if (fp4) message += "; FP4 (the bnb_4bit_quant_type default) shares NF4's dequantization path, the measurements are NF4's";
    if (Diagnostic* d = ctx.report("ECO002", s.load_in_4bit->where, message, info ? info->fix_short : "",
                                   energy::impact_text({"ECO002", size.total_billions, ctx.options().gpu, ""})))
      d->params_b = size.total_billions;
  }
};

}  // namespace

std::unique_ptr<Rule> make_eco002() { return std::make_unique<Eco002>(); }

}  // namespace ecolint
