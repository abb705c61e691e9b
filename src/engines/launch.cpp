#include "engines/launch.hpp"

#include <algorithm>
#include <cstdlib>

#include "base/text.hpp"
#include "engines/surfaces.hpp"

namespace ecolint::engines {

const Setting* Launch::get(std::string_view name) const {
  const Setting* best = nullptr;
  for (const auto& s : settings) {
    if (s.name != name) continue;
    if (best && !best->from_env && s.from_env) continue;  // a flag or key beats the environment
    best = &s;
  }
  return best;
}

std::string Launch::describe(const Setting& s) const {
  if (written_in.empty()) return engine_name + " `" + s.written + "`";
  return "`" + s.written + "` in " + written_in;
}

std::string canonical_value(const std::string& v) {
  std::string l = text::lower(v);
  if (l == "true" || l == "yes" || l == "on") return "true";
  if (l == "false" || l == "no" || l == "off") return "false";
  return v;
}

namespace {

bool is_zero_number(const std::string& v, bool* numeric) {
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  *numeric = !v.empty() && end && *end == '\0';
  return *numeric && d == 0.0;
}

}  // namespace

std::vector<Quantization> quantizations(const Launch& launch) {
  std::vector<Quantization> out;
  const Engine* engine = surfaces().engine(launch.engine);
  for (const auto& s : launch.settings) {
    if (s.name != "quantize" || !s.known || !s.row) continue;
    // An env var is overridden by the same row's flag.
    if (s.from_env) {
      bool overridden = false;
      for (const auto& t : launch.settings)
        if (&t != &s && t.row == s.row && !t.from_env) overridden = true;
      if (overridden) continue;
    }
    std::string method;
    auto m = s.row->means.find(canonical_value(s.value));
    if (m != s.row->means.end()) method = m->second;
    for (const auto& [part, contained] : s.row->means_contains)
      if (method.empty() && s.value.find(part) != std::string::npos) method = contained;
    if (method.empty()) continue;
    bool allowed = true;
    for (const auto& [other, values] : s.row->requires_) {
      const Setting* o = launch.get(other);
      if (!o) {
        if (s.row->strict_requires) allowed = false;
        continue;
      }
      if (!o->known || std::find(values.begin(), values.end(), canonical_value(o->value)) == values.end()) allowed = false;
    }
    if (!allowed) continue;
    Quantization q{method, &s, nullptr};
    if (q.method == "bnb4") {
      // The 4-bit type: the launch's own setting, else the default of the engine whose row this is.
      const Setting* type = launch.get("bnb_4bit_quant_type");
      const Engine* owner = s.row->engines.empty() ? engine : surfaces().engine(s.row->engines.front());
      if (type) q.method = type->known ? text::lower(type->value) : "4-bit";
      else if (launch.launcher && !launch.launcher->map_with_keys.empty()) q.method = "4-bit";  // a custom config: its own default
      else q.method = owner ? owner->default_4bit_type : "";
      if (q.method.empty()) q.method = "4-bit";
    }
    if (q.method == "int8") {
      if (const Setting* t = launch.get("llm_int8_threshold")) {
        bool numeric = false;
        bool zero = t->known && is_zero_number(t->value, &numeric);
        if (zero) q.method = "int8-pure";                        // threshold 0.0: no decomposition
        else if (!t->known || !numeric) continue;                 // not known
        q.threshold = t;
      } else if (launch.open) {
        continue;  // a **kwargs we could not read may set the threshold
      }
    }
    out.push_back(q);
  }
  // A model id that names a checkpoint bitsandbytes already quantized (`...-bnb-4bit`) loads it
  // quantized, whatever else is written.
  if (out.empty())
    if (const Setting* model = launch.get("model"); model && model->known) {
      std::string id = text::lower(model->value);
      for (const auto& [suffix, method] : surfaces().prequantized_suffixes)
        if (text::ends_with(id, suffix)) {
          out.push_back({method, model, nullptr});
          break;
        }
    }
  // A switch that states the quantization comes before a choice that implies it (axolotl
  // `load_in_4bit: true` before `adapter: qlora`): findings name the switch.
  std::stable_sort(out.begin(), out.end(), [](const Quantization& a, const Quantization& b) {
    return !a.setting->row->implied && b.setting->row->implied;
  });
  return out;
}

}  // namespace ecolint::engines
