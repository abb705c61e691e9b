#include "rules/edits.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string_view>

#include "base/text.hpp"
#include "engines/surfaces.hpp"

namespace ecolint::edits {

using engines::Setting;
using Form = engines::Setting::Form;

namespace {

struct Span {
  std::size_t a = 0, b = 0;  // bytes [a, b) of the sub-source text
};

std::optional<Span> span_of(const SourceText& src, const Range& r) {
  if (r.start.line == 0 || r.end.line == 0) return std::nullopt;
  Span s{src.offset_from_position(r.start), src.offset_from_position(r.end)};
  if (s.b < s.a) return std::nullopt;
  return s;
}

bool inside(const Span& inner, const Span& outer) { return inner.a >= outer.a && inner.b <= outer.b; }

Edit edit_of(const SourceText& src, std::size_t a, std::size_t b, std::string text) {
  Edit e;
  e.range = {src.position_from_offset(a), src.position_from_offset(b)};
  e.text = std::move(text);
  return e;
}

bool space(char c) { return c == ' ' || c == '\t'; }
bool newline(char c) { return c == '\n' || c == '\r'; }

std::size_t line_begin(const std::string& t, std::size_t at) {
  while (at > 0 && !newline(t[at - 1])) --at;
  return at;
}
std::size_t line_end(const std::string& t, std::size_t at) {
  while (at < t.size() && !newline(t[at])) ++at;
  return at;
}
// The start of the line after the one ending at `end` (past its \n, \r\n or \r).
std::size_t next_line(const std::string& t, std::size_t end) {
  if (end < t.size() && t[end] == '\r' && end + 1 < t.size() && t[end + 1] == '\n') return end + 2;
  return end < t.size() ? end + 1 : end;
}

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

bool blank(std::string_view s) { return trim_spaces(s).empty(); }

// What may stand before a removed setting on its line for the whole line to go: indentation, and
// for a command word a YAML block sequence's dash.
bool line_lead(std::string_view prefix, Form form) {
  std::string_view p = trim_spaces(prefix);
  if (p.empty()) return true;
  return form == Form::Flag && p == "-" && !prefix.empty() && space(prefix.back());
}

// What may follow it: nothing, a comma (Python, flow YAML), a comment, or a shell continuation.
bool line_tail(std::string_view suffix, Form form) {
  std::string_view s = trim_spaces(suffix);
  if (!s.empty() && s.front() == ',') s = trim_spaces(s.substr(1));
  if (s.empty() || s.front() == '#') return true;
  return form == Form::Flag && s == "\\";
}

std::size_t indentation(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

// A YAML block mapping key that is the only key of its mapping: removing it would turn the
// parent into null (an empty batcher is no batcher).
bool sole_yaml_key(const SourceText& src, uint32_t line) {
  std::size_t own = indentation(src.line(line));
  auto significant = [&](uint32_t l) {
    std::string_view t = trim_spaces(src.line(l));
    return !t.empty() && t.front() != '#';
  };
  bool sibling_before = false, sibling_after = false;
  for (uint32_t l = line; l-- > 1;) {
    if (!significant(l)) continue;
    sibling_before = indentation(src.line(l)) == own && trim_spaces(src.line(l)).front() != '-';
    break;
  }
  for (uint32_t l = line + 1; l <= src.line_count(); ++l) {
    if (!significant(l)) continue;
    sibling_after = indentation(src.line(l)) == own && trim_spaces(src.line(l)).front() != '-';
    break;
  }
  return !sibling_before && !sibling_after;
}

std::optional<Edit> remove_span(const SourceText& src, Span s, Form form) {
  const std::string& t = src.text();
  std::size_t ls = line_begin(t, s.a), le = line_end(t, s.b);
  std::string_view prefix(t.data() + ls, s.a - ls), suffix(t.data() + s.b, le - s.b);
  if (line_lead(prefix, form) && line_tail(suffix, form)) return edit_of(src, ls, next_line(t, le), "");
  // An item of a comma-separated list: Python arguments, dict entries, flow YAML.
  std::size_t after = s.b;
  while (after < t.size() && space(t[after])) ++after;
  if (after < t.size() && t[after] == ',') {
    std::size_t e = after + 1;
    while (e < t.size() && space(t[e])) ++e;
    return edit_of(src, s.a, e, "");
  }
  std::size_t before = s.a;
  while (before > 0 && (space(t[before - 1]) || newline(t[before - 1]))) --before;
  if (before > 0 && t[before - 1] == ',') return edit_of(src, before - 1, s.b, "");
  if (before > 0 && std::strchr("([{", t[before - 1]) && after < t.size() && std::strchr(")]}", t[after]))
    return edit_of(src, s.a, s.b, "");
  if (form != Form::Flag) return std::nullopt;
  // Words of a command line: the word(s) and the blanks before them, or after them when they
  // start the line (its indentation may belong to a YAML block).
  std::size_t from = s.a;
  if (!blank(prefix))
    while (from > ls && space(t[from - 1])) --from;
  std::size_t to = s.b;
  if (from == s.a)
    while (to < le && space(t[to])) ++to;
  return edit_of(src, from, to, "");
}

// ---- Python text shapes ----------------------------------------------------------------------

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// `name=value` (a keyword argument), as opposed to a dict entry or an item assignment.
bool keyword_form(std::string_view w) {
  std::size_t i = 0;
  while (i < w.size() && ident_char(w[i])) ++i;
  if (i == 0) return false;
  while (i < w.size() && space(w[i])) ++i;
  return i + 1 < w.size() && w[i] == '=' && w[i + 1] != '=';
}

// `"key": value` in a dict literal: the quote character, or 0.
char dict_entry_quote(std::string_view w) { return !w.empty() && (w[0] == '"' || w[0] == '\'') ? w[0] : 0; }

// The bracketed span ([{ ... }]) that encloses `s`, or nullopt. Strings are skipped only roughly
// (quotes without escapes), which is enough to find the call a keyword is written in.
std::optional<Span> enclosing_brackets(const std::string& t, Span s) {
  int depth = 0;
  std::size_t open = std::string::npos;
  for (std::size_t i = s.a; i-- > 0;) {
    char c = t[i];
    if (c == ')' || c == ']' || c == '}') ++depth;
    else if (c == '(' || c == '[' || c == '{') {
      if (depth == 0) { open = i; break; }
      --depth;
    }
  }
  if (open == std::string::npos) return std::nullopt;
  depth = 0;
  char quote = 0;
  for (std::size_t i = open + 1; i < t.size(); ++i) {
    char c = t[i];
    if (quote) {
      if (c == '\\') ++i;
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') quote = c;
    else if (c == '(' || c == '[' || c == '{') ++depth;
    else if (c == ')' || c == ']' || c == '}') {
      if (depth == 0) return Span{open, i + 1};
      --depth;
    }
  }
  return std::nullopt;
}

// The text sets a dtype keyword or key already: `torch_dtype=`, `dtype=`, `"torch_dtype":`.
bool sets_dtype(std::string_view text) {
  for (std::string_view key : {std::string_view("torch_dtype"), std::string_view("dtype")}) {
    for (std::size_t at = text.find(key); at != std::string_view::npos; at = text.find(key, at + 1)) {
      char before = at ? text[at - 1] : ' ';
      bool quoted = before == '"' || before == '\'';
      if (!quoted && ident_char(before)) continue;  // my_dtype, or the tail of torch_dtype
      std::size_t j = at + key.size();
      if (quoted) {
        if (j >= text.size() || text[j] != before) continue;
        ++j;
      } else if (j < text.size() && ident_char(text[j])) {
        continue;
      }
      while (j < text.size() && space(text[j])) ++j;
      if (j >= text.size()) continue;
      if (quoted ? text[j] == ':' : (text[j] == '=' && (j + 1 >= text.size() || text[j + 1] != '='))) return true;
    }
  }
  return false;
}

// A module-level `import torch` (also `import torch.cuda`, `import os, torch`; not `import torch as th`).
bool imports_torch(const SourceText& src) {
  for (uint32_t l = 1; l <= src.line_count(); ++l) {
    std::string_view line = src.line(l);
    if (!text::starts_with(line, "import ")) continue;
    std::string_view rest = line.substr(7);
    if (auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
    while (!rest.empty()) {
      std::size_t comma = rest.find(',');
      std::string_view item = trim_spaces(rest.substr(0, comma));
      if (item.find(" as ") == std::string_view::npos && (item == "torch" || text::starts_with(item, "torch.")))
        return true;
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
    }
  }
  return false;
}

// `import torch` inserted before the module's first top-level import (after any `from __future__`).
std::optional<Edit> add_torch_import(const SourceText& src) {
  for (uint32_t l = 1; l <= src.line_count(); ++l) {
    std::string_view line = src.line(l);
    bool import = text::starts_with(line, "import ") || text::starts_with(line, "from ");
    if (!import || text::starts_with(line, "from __future__")) continue;
    std::size_t at = src.line_start(l);
    return edit_of(src, at, at, "import torch\n");
  }
  return std::nullopt;
}

// YAML's spelling of false in the style of the `true` it replaces.
std::string yaml_false_like(const std::string& written) {
  std::string l = text::lower(written);
  std::string f = l == "yes" ? "no" : l == "on" ? "off" : "false";
  if (!written.empty() && std::isupper(static_cast<unsigned char>(written[0]))) f[0] = static_cast<char>(std::toupper(f[0]));
  if (written.size() > 1 && std::isupper(static_cast<unsigned char>(written[1])))
    for (char& c : f) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return f;
}

std::string_view text_of(const SourceText& src, const Span& s) {
  return std::string_view(src.text()).substr(s.a, s.b - s.a);
}

bool overlapping(std::vector<Edit>& edits, const SourceText& src) {
  std::vector<Span> spans;
  for (const auto& e : edits) spans.push_back({src.offset_from_position(e.range.start), src.offset_from_position(e.range.end)});
  std::sort(spans.begin(), spans.end(), [](const Span& x, const Span& y) { return x.a < y.a || (x.a == y.a && x.b < y.b); });
  for (std::size_t i = 1; i < spans.size(); ++i)
    if (spans[i].a < spans[i - 1].b || (spans[i].a == spans[i - 1].a && spans[i].a == spans[i].b)) return true;
  return false;
}

// ---- ECO002, Python: the loading call gets a dtype instead of the 4-bit config ----------------

// vLLM's `--load-format bitsandbytes` (load_format="bitsandbytes") must go with its bitsandbytes
// quantization: where the setting's call (Python) or YAML document holds one, removing the
// quantization alone would not start, so no edit is offered.
bool bitsandbytes_load_format(const SourceText& src, const Setting& s) {
  auto at = span_of(src, s.whole);
  if (!at) return true;
  const std::string& t = src.text();
  std::size_t from = 0, to = t.size();
  if (s.form == Form::Python) {
    auto call = enclosing_brackets(t, *at);
    if (!call) return true;
    from = call->a, to = call->b;
  } else {
    for (uint32_t l = s.whole.start.line; l >= 1 && from == 0; --l)
      if (text::starts_with(src.line(l), "---")) from = src.line_start(l);
    for (uint32_t l = s.whole.end.line + 1; l <= src.line_count(); ++l)
      if (text::starts_with(src.line(l), "---")) {
        to = src.line_start(l);
        break;
      }
  }
  std::string_view region = std::string_view(t).substr(from, to - from);
  for (const char* key : {"load-format", "load_format"})
    for (std::size_t k = region.find(key); k != std::string_view::npos; k = region.find(key, k + 1))
      if (region.substr(k, 48).find("bitsandbytes") != std::string_view::npos) return true;
  return false;
}

std::optional<std::vector<Edit>> python_bf16(const SourceText& src, const engines::Launch& launch, const Setting& s) {
  // A method keyword of a serving engine (vLLM's quantization="bitsandbytes"): removed, the
  // engine then picks its default FP16/BF16 dtype.
  bool method_keyword = s.via_key.empty() && s.row && !s.row->means.count("true");
  if (method_keyword) {
    if (bitsandbytes_load_format(src, s)) return std::nullopt;
    auto e = remove_setting(src, s);
    if (!e) return std::nullopt;
    return std::vector<Edit>{*e};
  }
  // A transformers load: the config object's carrier (`quantization_config=bnb`), unless it is the
  // kwargs a pipeline forwards to from_pretrained (`model_kwargs={...}`): there the 4-bit entry is
  // itself the keyword; or the 4-bit switch written in the loading call.
  std::optional<Span> target;
  bool carried = !s.via_key.empty() && s.via_key != "model_kwargs";
  if (carried) target = span_of(src, s.via);
  else if (s.direct || s.via_key == "model_kwargs") target = span_of(src, s.whole);
  if (!target) return std::nullopt;
  std::string_view written = text_of(src, *target);
  auto call = enclosing_brackets(src.text(), *target);
  if (!call) return std::nullopt;
  std::vector<Edit> edits;
  std::vector<Span> removed;
  // Other 4-bit keywords written next to it go too (bnb_4bit_quant_type="nf4" on from_pretrained).
  if (!carried)
    for (const auto& other : launch.settings)
      if (&other != &s && other.name == "bnb_4bit_quant_type" && other.form == Form::Python)
        if (auto o = span_of(src, other.whole); o && inside(*o, *call)) removed.push_back(*o);
  bool has_dtype = sets_dtype(text_of(src, *call));
  if (has_dtype) {
    removed.push_back(*target);
  } else {
    std::string dtype = "torch.bfloat16";
    if (!imports_torch(src)) {
      auto import = add_torch_import(src);
      if (!import) return std::nullopt;
      edits.push_back(*import);
    }
    std::string replacement;
    if (keyword_form(written)) replacement = "torch_dtype=" + dtype;
    else if (char q = dict_entry_quote(written)) replacement = std::string(1, q) + "torch_dtype" + q + ": " + dtype;
    else return std::nullopt;
    edits.push_back(edit_of(src, target->a, target->b, replacement));
  }
  for (const auto& r : removed) {
    auto e = remove_span(src, r, Form::Python);
    if (!e) return std::nullopt;
    edits.push_back(*e);
  }
  return edits;
}

}  // namespace

std::optional<Edit> remove_setting(const SourceText& src, const Setting& s) {
  if (s.form == Form::Env || s.form == Form::Unknown) return std::nullopt;
  auto whole = span_of(src, s.whole);
  if (!whole) return std::nullopt;
  if (s.form == Form::YamlKey) {
    const std::string& t = src.text();
    std::string_view prefix(t.data() + line_begin(t, whole->a), whole->a - line_begin(t, whole->a));
    if (!blank(prefix)) {
      // Only flow mappings ({a: 1, b: 2}) are edited in place; `- key: v` starts a sequence item.
      if (trim_spaces(prefix).back() == '-') return std::nullopt;
    } else if (sole_yaml_key(src, s.whole.start.line)) {
      return std::nullopt;
    }
  }
  return remove_span(src, *whole, s.form);
}

std::optional<Edit> replace_value(const SourceText& src, const Setting& s, const std::string& text) {
  auto value = span_of(src, s.value_range), whole = span_of(src, s.whole);
  if (!value || !whole || !inside(*value, *whole) || value->a == value->b) return std::nullopt;
  return edit_of(src, value->a, value->b, text);
}

std::optional<Fix> int8_threshold_fix(const SourceText& src, const Setting& eight_bit, const Setting* threshold) {
  Fix fix;
  if (threshold) {
    auto e = replace_value(src, *threshold, "0.0");
    if (!e) return std::nullopt;
    fix.title = "set llm_int8_threshold=0.0 (pure INT8; changes model outputs)";
    fix.edits.push_back(*e);
    return fix;
  }
  fix.title = "add llm_int8_threshold=0.0 (pure INT8; changes model outputs)";
  auto whole = span_of(src, eight_bit.whole);
  if (!whole) return std::nullopt;
  const std::string& t = src.text();
  std::string_view written = text_of(src, *whole);
  std::size_t ls = line_begin(t, whole->a), le = line_end(t, whole->b);
  std::string_view prefix(t.data() + ls, whole->a - ls), suffix(t.data() + whole->b, le - whole->b);
  if (eight_bit.form == Form::Python) {
    if (keyword_form(written)) {
      fix.edits.push_back(edit_of(src, whole->b, whole->b, ", llm_int8_threshold=0.0"));
    } else if (char q = dict_entry_quote(written)) {
      fix.edits.push_back(edit_of(src, whole->b, whole->b, std::string(", ") + q + "llm_int8_threshold" + q + ": 0.0"));
    } else {
      // kw["load_in_8bit"] = True: the same assignment for the threshold on the next line.
      std::size_t bracket = written.find('[');
      if (bracket == std::string_view::npos || bracket + 1 >= written.size() || !blank(prefix) || !line_tail(suffix, Form::Python))
        return std::nullopt;
      char quote = written[bracket + 1];
      if (quote != '"' && quote != '\'') return std::nullopt;
      std::string line = "\n" + std::string(prefix) + std::string(written.substr(0, bracket + 1)) + quote +
                         "llm_int8_threshold" + quote + "] = 0.0";
      fix.edits.push_back(edit_of(src, le, le, line));
    }
    return fix;
  }
  if (eight_bit.form == Form::YamlKey) {
    std::string_view lead = trim_spaces(prefix);
    if (lead.empty() || lead == "-") {
      if (!line_tail(suffix, Form::YamlKey)) return std::nullopt;
      std::string indent(prefix.size(), ' ');
      fix.edits.push_back(edit_of(src, le, le, "\n" + indent + "llm_int8_threshold: 0.0"));
      return fix;
    }
    std::size_t after = whole->b;
    while (after < t.size() && space(t[after])) ++after;
    if (after < t.size() && (t[after] == ',' || t[after] == '}')) {  // a flow mapping
      fix.edits.push_back(edit_of(src, whole->b, whole->b, ", llm_int8_threshold: 0.0"));
      return fix;
    }
  }
  return std::nullopt;
}

std::optional<Fix> bf16_instead_of_4bit_fix(const SourceText& src, const engines::Launch& launch,
                                            const std::vector<const Setting*>& four_bit) {
  Fix fix;
  fix.title = "load in BF16/FP16 instead of bitsandbytes 4-bit";
  bool python_done = false;
  for (const Setting* s : four_bit) {
    switch (s->form) {
      case Form::Python: {
        if (python_done) break;
        auto edits = python_bf16(src, launch, *s);
        if (!edits) return std::nullopt;
        fix.edits.insert(fix.edits.end(), edits->begin(), edits->end());
        fix.title = "load in BF16 (torch_dtype=torch.bfloat16) instead of bitsandbytes 4-bit";
        python_done = true;
        break;
      }
      case Form::YamlKey: {
        std::optional<Edit> e;
        std::string value = engines::canonical_value(s->value);
        auto value_span = span_of(src, s->value_range);
        std::string written = value_span ? std::string(text_of(src, *value_span)) : "";
        if (value == "true") e = replace_value(src, *s, yaml_false_like(written));
        else if (value == "qlora") e = replace_value(src, *s, written == "QLoRA" ? "LoRA" : "lora");  // axolotl: LoRA on BF16 weights
        else e = remove_setting(src, *s);
        if (!e) return std::nullopt;
        fix.edits.push_back(*e);
        break;
      }
      case Form::Flag: {
        if (bitsandbytes_load_format(src, *s)) return std::nullopt;
        auto e = remove_setting(src, *s);
        if (!e) return std::nullopt;
        fix.edits.push_back(*e);
        break;
      }
      default: return std::nullopt;
    }
  }
  if (fix.edits.empty() || overlapping(fix.edits, src)) return std::nullopt;
  return fix;
}

std::optional<Fix> remove_batch_cap_fix(const SourceText& src, const engines::Launch& launch, const Setting& cap) {
  if (launch.launcher && launch.launcher->callable_model) return std::nullopt;  // pipeline batch_size: default 1
  if (cap.form == Form::Python) {
    // Only a value written in place: `max_num_seqs=args.n` would lose the command-line option.
    auto value = span_of(src, cap.value_range), whole = span_of(src, cap.whole);
    if (!value || !whole || !inside(*value, *whole)) return std::nullopt;
  }
  auto e = remove_setting(src, cap);
  if (!e) return std::nullopt;
  Fix fix;
  fix.title = "remove the batch limit of 1 (the engine's default limit applies)";
  fix.edits.push_back(*e);
  return fix;
}

void attach(Diagnostic* d, std::optional<Fix> fix, const std::string& fix_safety) {
  if (!d || !fix || fix->edits.empty()) return;
  fix->applicability = fix_safety == "safe" ? Applicability::Safe : Applicability::Unsafe;
  d->fixes.push_back(std::move(*fix));
}

}  // namespace ecolint::edits
