#pragma once
// UTF-8 checks: linted text must be valid UTF-8, and machine output (JSON, SARIF) always is.
#include <cstddef>
#include <string>
#include <string_view>

namespace ecolint {

// True if `text` is valid UTF-8 (no overlong forms, surrogates or values past U+10FFFF);
// otherwise *bad_offset (when given) is the first invalid byte.
bool valid_utf8(std::string_view text, std::size_t* bad_offset);

// Replaces invalid UTF-8 with U+FFFD.
std::string sanitize_utf8(std::string_view s);

}  // namespace ecolint
