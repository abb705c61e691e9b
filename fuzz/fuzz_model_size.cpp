// Fuzzes model-size parsing from model ids (name tokens and the curated table lookup).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "model/model_size.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view id(reinterpret_cast<const char*>(data), size);
  ecolint::model::ModelSize s = ecolint::model::resolve_model_size(id);
  // A known size is a finite, positive number of parameters.
  if (s.known && !(std::isfinite(s.total_billions) && s.total_billions > 0)) __builtin_trap();
  if (s.active_billions && !std::isfinite(*s.active_billions)) __builtin_trap();
  (void)ecolint::model::size_from_name(id);
  (void)ecolint::model::looks_like_local_path(id);
  return 0;
}
