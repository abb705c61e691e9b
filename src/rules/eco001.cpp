// ECO001 int8-mixed-precision: bitsandbytes 8-bit loading with the default outlier threshold.
#include "deploy/document.hpp"
#include "deploy/surfaces.hpp"
#include "energy/evidence.hpp"
#include "python/facts.hpp"
#include "rules/bnb.hpp"
#include "rules/rules.hpp"

namespace ecolint {
namespace {

using python::Call;
using python::Value;
using python::ValueKind;

class Eco001 final : public Rule {
 public:
  std::string_view id() const override { return "ECO001"; }
  std::vector<Trigger> triggers() const override { return {{"load_in_8bit", {}}}; }

  void check_python(const python::Module& module, LintContext& ctx) const override {
    for (const auto& call : module.calls()) {
      if (rules::is_bnb_config_call(*call)) {
        check_settings(rules::settings_from_call(*call), "BitsAndBytesConfig", ctx);
      } else if (call->method == "from_pretrained") {
        check_from_pretrained(*call, ctx);
      } else if (call->callee == "dict") {
        // mmengine-style config: quantization_config = dict(type=BitsAndBytesConfig, load_in_8bit=True)
        Value as_dict;
        as_dict.kind = ValueKind::Dict;
        as_dict.dict_open = call->has_unknown_kwargs || !call->args.empty();
        for (const auto& kw : call->keywords) as_dict.entries.push_back({kw.name, kw.value, kw.name_range});
        if (rules::is_typed_bnb_dict(as_dict)) check_value(as_dict, "", ctx, 0);
      }
      // Dicts that stand for a quantization config: model_kwargs={...}, quantization_config={...},
      // and mmengine-style dict(type=BitsAndBytesConfig, ...) anywhere.
      for (const auto& kw : call->keywords) check_value(*kw.value, kw.name, ctx, 0);
      for (const auto& arg : call->args) check_value(*arg, "", ctx, 0);
    }
  }

  // Deployment / training YAML: 8-bit bitsandbytes asked of an engine (TGI --quantize
  // bitsandbytes, axolotl load_in_8bit, ...). Engines that offer no threshold get their own fix.
  void check_deploy(const deploy::Document& doc, LintContext& ctx) const override {
    for (const auto& launch : doc.launches) {
      for (const auto& q : deploy::quantizations(launch)) {
        if (q.method != "int8") continue;
        const deploy::Engine* engine = deploy::surfaces().engine(launch.engine);
        bool settable = !engine || engine->int8_fix.empty();
        std::string written = deploy::as_written(*q.setting);
        std::string message = launch.engine_name + " `" + written + "` loads the model with bitsandbytes LLM.int8() at " +
                              (settable ? "the default outlier threshold (llm_int8_threshold=6.0)"
                                        : "outlier threshold 6.0, which " + launch.engine_name + " does not let you change") +
                              ": the mixed-precision decomposition converts INT8<->FP16 in every linear layer";
        ctx.report("ECO001", q.setting->where, message, settable ? fix() : engine->int8_fix, impact(ctx));
      }
    }
  }

 private:
  static std::string impact(const LintContext& ctx) { return energy::impact_text({"ECO001", std::nullopt, ctx.options().gpu, ""}); }
  static std::string fix() {
    const auto* info = energy::find_rule_info("ECO001");
    return info ? info->fix_short : "";
  }

  static std::string threshold_phrase(const rules::BnbSettings& s) {
    if (!s.llm_int8_threshold) return "the default outlier threshold (llm_int8_threshold=6.0)";
    char buf[64];
    std::snprintf(buf, sizeof buf, "a non-zero outlier threshold (llm_int8_threshold=%g)", s.llm_int8_threshold->value->number);
    return buf;
  }

  void check_settings(const rules::BnbSettings& s, const std::string& where, LintContext& ctx) const {
    if (!rules::is_int8_with_outlier_threshold(s)) return;
    ctx.report("ECO001", s.load_in_8bit->where,
               "8-bit bitsandbytes loading in " + where + " keeps " + threshold_phrase(s) +
                   ": LLM.int8()'s mixed-precision decomposition converts INT8<->FP16 in every linear layer",
               fix(), impact(ctx));
  }

  void check_from_pretrained(const Call& call, LintContext& ctx) const {
    rules::BnbSettings s = rules::settings_from_call(call);
    if (!rules::is_int8_with_outlier_threshold(s)) return;
    ctx.report("ECO001", s.load_in_8bit->where,
               "from_pretrained(load_in_8bit=True) loads with " + threshold_phrase(s) +
                   ": LLM.int8()'s mixed-precision decomposition converts INT8<->FP16 in every linear "
                   "layer (this argument is also deprecated and removed in transformers v5; use "
                   "quantization_config)",
               fix(), impact(ctx));
  }

  // A dict passed where a quantization config is read, or one that names the class itself.
  void check_value(const Value& v, const std::string& keyword, LintContext& ctx, int depth) const {
    if (depth > 4 || v.kind != ValueKind::Dict) return;
    bool config_like = keyword == "model_kwargs" || keyword == "quantization_config" ||
                       keyword == "bnb_config" || rules::is_typed_bnb_dict(v);
    if (config_like) {
      std::string where = rules::is_typed_bnb_dict(v) ? "a dict(type=BitsAndBytesConfig, ...)"
                                                      : "the `" + keyword + "` dict";
      check_settings(rules::settings_from_dict(v), where, ctx);
    }
    for (const auto& e : v.entries) check_value(*e.value, e.key, ctx, depth + 1);
  }
};

}  // namespace

std::unique_ptr<Rule> make_eco001() { return std::make_unique<Eco001>(); }

}  // namespace ecolint
