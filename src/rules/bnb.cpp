#include "rules/bnb.hpp"

namespace ecolint::rules {

using python::ValueKind;

namespace {

void take(BnbSettings& s, const std::string& key, const python::ValuePtr& value, const Range& where) {
  BnbSettings::Item item{value, where};
  if (key == "load_in_8bit") s.load_in_8bit = item;
  else if (key == "load_in_4bit") s.load_in_4bit = item;
  else if (key == "llm_int8_threshold") s.llm_int8_threshold = item;
  else if (key == "bnb_4bit_quant_type") s.bnb_4bit_quant_type = item;
}

bool names_bnb_class(const python::Value& v) {
  if (v.kind != ValueKind::Name && v.kind != ValueKind::String) return false;
  return python::last_segment(v.text) == "BitsAndBytesConfig";
}

}  // namespace

BnbSettings settings_from_call(const python::Call& call) {
  BnbSettings s;
  for (const auto& k : call.keywords) take(s, k.name, k.value, k.name_range);
  s.may_have_more = call.has_unknown_kwargs;
  return s;
}

BnbSettings settings_from_dict(const python::Value& dict) {
  BnbSettings s;
  for (const auto& e : dict.entries) take(s, e.key, e.value, e.key_range);
  s.may_have_more = dict.dict_open;
  return s;
}

bool is_bnb_config_call(const python::Call& call) { return call.method == "BitsAndBytesConfig"; }

bool is_typed_bnb_dict(const python::Value& v) {
  if (v.kind != ValueKind::Dict) return false;
  const python::DictEntry* type = v.entry("type");
  return type && names_bnb_class(*type->value);
}

bool is_int8_with_outlier_threshold(const BnbSettings& s) {
  if (!s.load_in_8bit || !s.load_in_8bit->value->is_true()) return false;
  if (!s.llm_int8_threshold) return !s.may_have_more;  // absent: the 6.0 default applies
  const python::Value& t = *s.llm_int8_threshold->value;
  return t.is_number() && t.number != 0.0;
}

bool is_4bit(const BnbSettings& s) { return s.load_in_4bit && s.load_in_4bit->value->is_true(); }

}  // namespace ecolint::rules
