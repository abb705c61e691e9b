#pragma once
// Shared reading of bitsandbytes settings from Python facts: is this call a BitsAndBytesConfig,
// what do its keywords (or a dict standing for one) say.
#include <optional>
#include <string>

#include "python/facts.hpp"

namespace ecolint::rules {

// The keyword/entry view over a BitsAndBytesConfig call or a dict of its settings.
struct BnbSettings {
  // Where a setting is and what it holds; nullptr when absent.
  struct Item {
    python::ValuePtr value;
    Range where;
  };
  std::optional<Item> load_in_8bit, load_in_4bit, llm_int8_threshold, bnb_4bit_quant_type;
  bool may_have_more = false;  // **unknown or an open dict: an absent key may still be set
};

BnbSettings settings_from_call(const python::Call& call);
BnbSettings settings_from_dict(const python::Value& dict);

// transformers.BitsAndBytesConfig (any import path or alias), or a dict(type=BitsAndBytesConfig, ...).
bool is_bnb_config_call(const python::Call& call);
// mmengine-style dict(type=BitsAndBytesConfig, ...) or {"type": "BitsAndBytesConfig", ...}.
bool is_typed_bnb_dict(const python::Value& v);

// 8-bit with the default (absent) or a non-zero threshold. Unknown values never qualify.
bool is_int8_with_outlier_threshold(const BnbSettings& s);
// 4-bit set to True.
bool is_4bit(const BnbSettings& s);

}  // namespace ecolint::rules
