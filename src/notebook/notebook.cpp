#include "notebook/notebook.hpp"

#include <cstdint>
#include <cstring>

#include "base/parse_budget.hpp"

namespace ecolint::notebook {

namespace {

constexpr int kMaxJsonDepth = 256;

// A JSON value with the byte span it occupies in the raw text. Strings are not decoded until
// needed, so huge outputs (embedded images) cost only a scan.
struct JValue {
  enum Type { Object, Array, String, Number, True, False, Null } type = Null;
  std::size_t begin = 0, end = 0;  // raw span; for strings, including the quotes
  std::vector<std::pair<std::string, JValue>> members;
  std::vector<JValue> items;
  // A key given twice: the last one counts, as in Python's json module (what Jupyter reads), so
  // code cannot hide from the linter in a "cells" list Jupyter never shows.
  const JValue* get(const char* key) const {
    for (auto it = members.rbegin(); it != members.rend(); ++it)
      if (it->first == key) return &it->second;
    return nullptr;
  }
};

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The parts of a notebook the reader uses. Everything else (outputs, attachments, most metadata:
// the bulk of a large notebook) is checked as JSON but not kept, so memory follows the code cells,
// not the embedded images and logs.
enum class Keep { Nothing, Document, Cells, Cell, Source, Metadata, Colab, Scalar };

Keep keep_member(Keep parent, const std::string& key) {
  switch (parent) {
    case Keep::Document:
      if (key == "cells") return Keep::Cells;
      if (key == "metadata") return Keep::Metadata;
      if (key == "nbformat") return Keep::Scalar;
      return Keep::Nothing;
    case Keep::Cell:
      if (key == "cell_type") return Keep::Scalar;
      if (key == "source") return Keep::Source;
      return Keep::Nothing;
    case Keep::Metadata: return key == "colab" ? Keep::Colab : Keep::Nothing;
    case Keep::Colab: return key == "gpuType" ? Keep::Scalar : Keep::Nothing;
    default: return Keep::Nothing;
  }
}

Keep keep_item(Keep parent) {
  if (parent == Keep::Cells) return Keep::Cell;
  if (parent == Keep::Source) return Keep::Scalar;
  return Keep::Nothing;
}

class Parser {
 public:
  explicit Parser(const std::string& s) : s_(s) {}

  bool parse(JValue& out, ExtractError& err) {
    skip_ws();
    if (!value(out, 0, Keep::Document)) {
      err.message = error_.empty() ? "invalid JSON" : error_;
      err_offset_ = pos_;
      return false;
    }
    skip_ws();
    if (pos_ != s_.size()) {
      err.message = "invalid JSON: trailing characters after the document";
      err_offset_ = pos_;
      return false;
    }
    return true;
  }
  std::size_t error_offset() const { return err_offset_; }

  // Decodes the string whose raw span (with quotes) is [begin, end), recording for each output
  // byte the raw offset it came from.
  static void decode(const std::string& s, std::size_t begin, std::size_t end, std::string& out,
                     std::vector<uint32_t>& map) {
    std::size_t i = begin + 1, stop = end - 1;
    while (i < stop) {
      std::size_t at = i;
      char c = s[i];
      if (c != '\\') {
        out += c;
        map.push_back(static_cast<uint32_t>(at));
        ++i;
        continue;
      }
      char e = s[i + 1];
      i += 2;
      std::size_t before = out.size();
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'u': {
          uint32_t cp = hex4(s, i);
          i += 4;
          if (cp >= 0xD800 && cp < 0xDC00 && i + 6 <= stop && s[i] == '\\' && s[i + 1] == 'u') {
            uint32_t lo = hex4(s, i + 2);
            if (lo >= 0xDC00 && lo < 0xE000) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
              i += 6;
            }
          }
          if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD;  // a lone surrogate
          append_utf8(out, cp);
          break;
        }
        default: out += e; break;  // \" \\ \/
      }
      for (std::size_t k = before; k < out.size(); ++k) map.push_back(static_cast<uint32_t>(at));
    }
  }

 private:
  static uint32_t hex4(const std::string& s, std::size_t i) {
    uint32_t v = 0;
    for (std::size_t k = 0; k < 4 && i + k < s.size(); ++k) {
      char c = s[i + k];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<uint32_t>(c - 'A' + 10);
    }
    return v;
  }

  void skip_ws() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t')) ++pos_;
  }

  bool fail(const char* what) {
    if (error_.empty()) error_ = std::string("invalid JSON: ") + what;
    return false;
  }

  // The first byte at or after `pos` that may need a look in a string: a quote, a backslash or a
  // control character. Eight bytes at a time (outputs hold megabytes of base64 images); the test
  // may stop early, never late, and the byte loop decides.
  static std::size_t skip_plain(const std::string& s, std::size_t pos) {
    constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
    auto has_zero = [](uint64_t x) { return (x - kOnes) & ~x & kHigh; };
    while (pos + 8 <= s.size()) {
      uint64_t w;
      std::memcpy(&w, s.data() + pos, 8);
      uint64_t below_space = (w - 0x20 * kOnes) & ~w & kHigh;
      if (below_space | has_zero(w ^ ('"' * kOnes)) | has_zero(w ^ ('\\' * kOnes))) break;
      pos += 8;
    }
    return pos;
  }

  bool string_span(JValue& v) {
    v.type = JValue::String;
    v.begin = pos_++;
    while (pos_ < s_.size()) {
      pos_ = skip_plain(s_, pos_);
      if (pos_ >= s_.size()) break;
      char c = s_[pos_];
      if (c == '"') {
        v.end = ++pos_;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return fail("control character in a string");
      if (c == '\\') {
        if (pos_ + 1 >= s_.size()) break;
        char e = s_[pos_ + 1];
        if (e == 'u') {
          if (pos_ + 6 > s_.size()) break;
          for (int k = 2; k < 6; ++k)
            if (!std::isxdigit(static_cast<unsigned char>(s_[pos_ + k]))) return fail("bad \\u escape");
          pos_ += 6;
          continue;
        }
        if (!std::strchr("\"\\/bfnrt", e)) return fail("bad escape in a string");
        pos_ += 2;
        continue;
      }
      ++pos_;
    }
    return fail("unterminated string");
  }

  bool value(JValue& v, int depth, Keep keep) {
    if (depth > kMaxJsonDepth) return fail("nested deeper than 256 levels");
    if (pos_ >= s_.size()) return fail("unexpected end of input");
    char c = s_[pos_];
    v.begin = pos_;
    if (c == '"') return string_span(v);
    if (c == '{') {
      v.type = JValue::Object;
      ++pos_;
      skip_ws();
      if (pos_ < s_.size() && s_[pos_] == '}') { v.end = ++pos_; return true; }
      for (;;) {
        skip_ws();
        if (pos_ >= s_.size() || s_[pos_] != '"') return fail("expected a member name");
        JValue key;
        if (!string_span(key)) return false;
        std::string name;
        if (keep != Keep::Nothing) {
          std::vector<uint32_t> ignored;
          decode(s_, key.begin, key.end, name, ignored);
        }
        skip_ws();
        if (pos_ >= s_.size() || s_[pos_] != ':') return fail("expected ':'");
        ++pos_;
        skip_ws();
        JValue member;
        Keep member_keep = keep == Keep::Nothing ? Keep::Nothing : keep_member(keep, name);
        if (!value(member, depth + 1, member_keep)) return false;
        if (member_keep != Keep::Nothing) v.members.emplace_back(std::move(name), std::move(member));
        skip_ws();
        if (pos_ < s_.size() && s_[pos_] == ',') { ++pos_; continue; }
        if (pos_ < s_.size() && s_[pos_] == '}') { v.end = ++pos_; return true; }
        return fail("expected ',' or '}'");
      }
    }
    if (c == '[') {
      v.type = JValue::Array;
      ++pos_;
      skip_ws();
      if (pos_ < s_.size() && s_[pos_] == ']') { v.end = ++pos_; return true; }
      for (;;) {
        skip_ws();
        JValue item;
        Keep item_keep = keep_item(keep);
        if (!value(item, depth + 1, item_keep)) return false;
        if (item_keep != Keep::Nothing) v.items.push_back(std::move(item));
        skip_ws();
        if (pos_ < s_.size() && s_[pos_] == ',') { ++pos_; continue; }
        if (pos_ < s_.size() && s_[pos_] == ']') { v.end = ++pos_; return true; }
        return fail("expected ',' or ']'");
      }
    }
    auto literal = [&](const char* word, JValue::Type t) {
      std::size_t n = std::strlen(word);
      if (s_.compare(pos_, n, word) != 0) return fail("unexpected character");
      v.type = t;
      pos_ += n;
      v.end = pos_;
      return true;
    };
    if (c == 't') return literal("true", JValue::True);
    if (c == 'f') return literal("false", JValue::False);
    if (c == 'n') return literal("null", JValue::Null);
    if (c == '-' || (c >= '0' && c <= '9')) {
      v.type = JValue::Number;
      while (pos_ < s_.size() && std::strchr("+-0123456789.eE", s_[pos_])) ++pos_;
      v.end = pos_;
      return true;
    }
    return fail("unexpected character");
  }

  const std::string& s_;
  std::size_t pos_ = 0;
  std::size_t err_offset_ = 0;
  std::string error_;
};

bool starts_with(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

// The offset of the \n ending the line from `start`, or of a lone \r (one not before a \n); a
// \r\n stays in the line with its \n as the end. `text` ends with \n.
std::size_t line_end(const std::string& text, std::size_t start) {
  for (std::size_t i = start; i < text.size(); ++i) {
    if (text[i] == '\n') return i;
    if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) return i;
  }
  return text.size() - 1;
}

std::string lstrip(const std::string& s) {
  std::size_t i = s.find_first_not_of(" \t");
  return i == std::string::npos ? "" : s.substr(i);
}

}  // namespace

std::optional<Extracted> extract(const std::string& raw, ExtractError& error) {
  JValue doc;
  Parser parser(raw);
  if (!parser.parse(doc, error)) {
    error.position = SourceText(raw).position_from_offset(parser.error_offset());
    error.message += "; not a notebook that can be analysed";
    return std::nullopt;
  }
  const JValue* cells = doc.type == JValue::Object ? doc.get("cells") : nullptr;
  if (!cells || cells->type != JValue::Array) {
    const JValue* major = doc.type == JValue::Object ? doc.get("nbformat") : nullptr;
    error.message = major && raw.compare(major->begin, 1, "3") == 0
                        ? "nbformat 3 notebook; only nbformat 4 is analysed"
                        : "not a Jupyter notebook (no \"cells\" list)";
    return std::nullopt;
  }

  Extracted out;
  out.first_line_of_cell.assign(cells->items.size() + 1, 0);
  if (const JValue* meta = doc.get("metadata"); meta && meta->type == JValue::Object)
    if (const JValue* colab = meta->get("colab"); colab && colab->type == JValue::Object)
      if (const JValue* gpu = colab->get("gpuType"); gpu && gpu->type == JValue::String) {
        std::vector<uint32_t> ignored;
        Parser::decode(raw, gpu->begin, gpu->end, out.colab_gpu, ignored);
      }
  uint32_t module_line = 1;
  int index = 0;
  for (const JValue& cell : cells->items) {
    ++index;
    if (cell.type != JValue::Object) continue;
    const JValue* type = cell.get("cell_type");
    if (!type || type->type != JValue::String || raw.compare(type->begin, type->end - type->begin, "\"code\"") != 0)
      continue;  // markdown and raw cells are not code; outputs are never read
    const JValue* source = cell.get("source");
    if (!source) continue;
    std::string text;
    std::vector<uint32_t> map;
    if (source->type == JValue::String) {
      Parser::decode(raw, source->begin, source->end, text, map);
    } else if (source->type == JValue::Array) {
      for (const JValue& part : source->items)
        if (part.type == JValue::String) Parser::decode(raw, part.begin, part.end, text, map);
    } else {
      continue;
    }
    if (text.empty() || text.back() != '\n') {
      text += '\n';
      map.push_back(map.empty() ? static_cast<uint32_t>(source->begin) : map.back());
    }

    out.first_line_of_cell[static_cast<std::size_t>(index)] = module_line;
    // Split into lines; IPython magics and shell escapes are not Python: blank them (keeping the
    // line, so positions stay right), and remember shell commands for the engine tables.
    // Cell magics whose body is still Python: only their first line is blanked.
    bool python_cell_magic = starts_with(text, "%%time") || starts_with(text, "%%capture") ||
                             starts_with(text, "%%prun");
    bool cell_magic = starts_with(text, "%%") && !python_cell_magic;
    bool shell_cell = starts_with(text, "%%bash") || starts_with(text, "%%sh") || starts_with(text, "%%script bash");
    std::size_t start = 0;
    bool first = true;
    while (start < text.size()) {
      // Lines end where SourceText ends them (\n, \r\n, a lone \r), or cell numbers would drift
      // from line numbers: a lone \r becomes \n in the module, mapped to the \r in the raw file.
      std::size_t nl = line_end(text, start);
      std::string line = text.substr(start, nl - start);
      std::string body = lstrip(line);
      bool blank_it = false;
      // A shell command, with the raw offsets of its bytes, from byte `from` of this line.
      auto shell = [&](std::size_t from) {
        ShellLine sl{index, module_line, line.substr(from), 0, {}, line};
        uint32_t col = 1;
        for (std::size_t k = 0; k < from; ++k)
          if ((static_cast<unsigned char>(line[k]) & 0xC0) != 0x80) ++col;
        sl.cell_column = col;
        for (std::size_t k = from; k <= line.size(); ++k) sl.raw_offset.push_back(map[start + k]);
        out.shell_lines.push_back(std::move(sl));
      };
      std::size_t indent_bytes = line.size() - body.size();
      if (python_cell_magic && first) {
        blank_it = true;
      } else if (cell_magic) {
        blank_it = true;
        if (shell_cell && !first && !body.empty()) shell(indent_bytes);
      } else if (starts_with(body, "%") || starts_with(body, "!")) {
        blank_it = true;
        if (starts_with(body, "!")) shell(indent_bytes + 1);
      } else if (!body.empty() && body.back() == '?' && body.find('#') == std::string::npos) {
        blank_it = true;  // obj? / obj?? help lookups
      } else if (body.find("= !") != std::string::npos && body.find('#') == std::string::npos &&
                 body.find('"') == std::string::npos && body.find('\'') == std::string::npos) {
        blank_it = true;  // files = !ls
      }
      if (blank_it) {
        // Indented magic inside a block: keep the block valid with `pass`.
        std::size_t indent = line.size() - body.size();
        std::string replacement = indent ? line.substr(0, indent) + "pass" : "";
        for (std::size_t k = 0; k < replacement.size(); ++k) {
          out.python += replacement[k];
          out.raw_offset.push_back(map[start + std::min(k, line.size() ? line.size() - 1 : 0)]);
        }
      } else {
        out.python.append(line);
        for (std::size_t k = 0; k < line.size(); ++k) out.raw_offset.push_back(map[start + k]);
      }
      out.python += '\n';
      out.raw_offset.push_back(map[nl]);
      out.cell_of_line.push_back(index);
      ++module_line;
      first = false;
      start = nl + 1;
    }
  }
  out.raw_offset.push_back(out.raw_offset.empty() ? 0 : out.raw_offset.back());
  // The same token budget as a Python file's (base/parse_budget.hpp), before anything parses it.
  if (over_python_token_limit(out.python)) {
    error.message = "code cells: " + python_tokens_note();
    return std::nullopt;
  }
  return out;
}

}  // namespace ecolint::notebook
