// Edits found in a sub-source's text, moved to the host file: a ConfigMap's Python block keeps its
// indentation, a notebook's cells are JSON string content (escaped, one string per line kept).
#include <algorithm>

#include "pipeline/subsource.hpp"

namespace ecolint::pipeline {

namespace {

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

bool hex4(std::string_view s, std::size_t i, uint32_t& v) {
  if (i + 4 > s.size()) return false;
  v = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    char c = s[i + k];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= static_cast<uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f') v |= static_cast<uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= static_cast<uint32_t>(c - 'A' + 10);
    else return false;
  }
  return true;
}

bool json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Decodes raw JSON string content from `i`, one character (an escape counts as one); the boundary
// between two strings of a list (`", "`) decodes to nothing. False on anything else.
bool decode_one(std::string_view raw, std::size_t& i, std::string& out) {
  char c = raw[i];
  if (c == '"') {  // `"` ws `,` ws `"`: the next string of the list goes on
    std::size_t j = i + 1;
    while (j < raw.size() && json_space(raw[j])) ++j;
    if (j >= raw.size() || raw[j] != ',') return false;
    ++j;
    while (j < raw.size() && json_space(raw[j])) ++j;
    if (j >= raw.size() || raw[j] != '"') return false;
    i = j + 1;
    return true;
  }
  if (static_cast<unsigned char>(c) < 0x20) return false;
  if (c != '\\') {
    out += c;
    ++i;
    return true;
  }
  if (i + 1 >= raw.size()) return false;
  char e = raw[i + 1];
  i += 2;
  switch (e) {
    case 'n': out += '\n'; return true;
    case 't': out += '\t'; return true;
    case 'r': out += '\r'; return true;
    case 'b': out += '\b'; return true;
    case 'f': out += '\f'; return true;
    case '"': case '\\': case '/': out += e; return true;
    case 'u': {
      uint32_t cp = 0;
      if (!hex4(raw, i, cp)) return false;
      i += 4;
      if (cp >= 0xD800 && cp < 0xDC00 && i + 6 <= raw.size() && raw[i] == '\\' && raw[i + 1] == 'u') {
        uint32_t lo = 0;
        if (hex4(raw, i + 2, lo) && lo >= 0xDC00 && lo < 0xE000) {
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          i += 6;
        }
      }
      if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD;
      append_utf8(out, cp);
      return true;
    }
    default: return false;
  }
}

bool decode_json_span(std::string_view raw, std::string& out) {
  std::size_t i = 0;
  while (i < raw.size())
    if (!decode_one(raw, i, out)) return false;
  return true;
}

// A quote at `q` that opens or closes a string: not escaped by an odd run of backslashes.
bool unescaped_quote(const std::string& t, std::size_t q) {
  if (t[q] != '"') return false;
  std::size_t slashes = 0;
  while (q > slashes && t[q - 1 - slashes] == '\\') ++slashes;
  return slashes % 2 == 0;
}

// Where the JSON string holding raw offset `at` opens, or npos.
std::size_t opening_quote(const std::string& t, std::size_t at) {
  for (std::size_t q = std::min(at, t.size()); q-- > 0;)
    if (unescaped_quote(t, q)) return q;
  return std::string::npos;
}

// The text of an edit as JSON string content. Where the cell's source is a list with one string
// per line (as Jupyter writes it), every line break of the new text also ends its string and
// starts the next on a new line with the same indentation, so the layout stays line per string.
std::string json_text(const std::string& host, std::size_t at, const std::string& text) {
  std::string breaker;
  std::size_t quote = opening_quote(host, at);
  if (quote != std::string::npos) {
    std::size_t k = quote;
    while (k > 0 && (host[k - 1] == ' ' || host[k - 1] == '\t')) --k;
    std::size_t p = quote;
    while (p > 0 && json_space(host[p - 1])) --p;
    bool in_list = p > 0 && (host[p - 1] == '[' || host[p - 1] == ',');
    if (in_list && k > 0 && host[k - 1] == '\n') {
      std::string eol = k > 1 && host[k - 2] == '\r' ? "\r\n" : "\n";
      breaker = "\"," + eol + host.substr(k, quote - k) + "\"";
    }
  }
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; out += breaker; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out += hex[u >> 4];
          out += hex[u & 15];
        } else {
          out += c;
        }
    }
  }
  return out;
}

}  // namespace

bool SubSource::place(Edit& e) const {
  const SourceText& sub = *text_;
  std::size_t a = sub.offset_from_position(e.range.start), b = sub.offset_from_position(e.range.end);
  if (b < a) return false;
  Position in_a, in_b;
  int cell_a = cell_of(e.range.start, &in_a), cell_b = cell_of(e.range.end, &in_b);
  if (cell_a > 0 && cell_a == cell_b) {
    e.cell = cell_a;
    e.cell_range = {in_a, in_b};
    e.cell_text = e.text;
  }
  if (host_offset_.empty()) return true;
  if (b >= host_offset_.size()) return false;
  const std::string& host = host_->text();
  std::size_t ha = host_offset_[a], hb = host_offset_[b];
  if (hb < ha || hb > host.size()) return false;
  std::string_view wanted = std::string_view(sub.text()).substr(a, b - a);
  std::string new_text;
  if (encoding_ == Encoding::Indented) {
    // The host span, without the block's indentation after each line break, is the sub-source's.
    std::string got;
    for (std::size_t i = ha; i < hb; ++i) {
      got += host[i];
      if (host[i] == '\n') i += std::min<std::size_t>(indent_, hb - i - 1);
    }
    if (got != wanted || (b < sub.text().size() && (hb >= host.size() || host[hb] != sub.text()[b]))) return false;
    for (char c : e.text) {
      new_text += c;
      if (c == '\n') new_text.append(indent_, ' ');
    }
  } else if (encoding_ == Encoding::Json) {
    std::string got;
    if (!decode_json_span(std::string_view(host).substr(ha, hb - ha), got) || got != wanted) return false;
    if (b < sub.text().size()) {  // the next character is where it should be, too
      std::string next;
      std::size_t i = hb;
      if (hb >= host.size() || host[hb] == '"' || !decode_one(host, i, next) ||
          sub.text().compare(b, next.size(), next) != 0)
        return false;
    }
    // Whole strings removed from a line-per-string list: from quote to quote, so no empty
    // string is left behind.
    if (e.text.empty() && ha > 0 && hb > ha && unescaped_quote(host, ha - 1) && unescaped_quote(host, hb - 1) &&
        host[hb - 1] == '"' && opening_quote(host, ha) == ha - 1) {
      --ha, --hb;
    }
    new_text = json_text(host, ha, e.text);
  } else {
    return false;  // a mapped sub-source must say how it is written
  }
  e.range = {host_->position_from_offset(ha), host_->position_from_offset(hb)};
  e.text = std::move(new_text);
  return true;
}

}  // namespace ecolint::pipeline
