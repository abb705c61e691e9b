#include "suppress/suppress.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "base/source.hpp"
#include "catalog/rule_info.hpp"

namespace ecolint::suppress {

namespace {



struct Comment {
  std::size_t offset;  // of the '#'
  std::string_view text;  // from the '#' to the end of the line
};

bool is_line_end(char c) { return c == '\n' || c == '\r'; }

std::size_t line_end(std::string_view t, std::size_t i) {
  while (i < t.size() && !is_line_end(t[i])) ++i;
  return i;
}

// Python: skip string literals, collect `#` comments.
std::vector<Comment> python_comments(std::string_view t) {
  std::vector<Comment> out;
  std::size_t i = 0, n = t.size();
  while (i < n) {
    char c = t[i];
    if (c == '#') {
      std::size_t e = line_end(t, i);
      out.push_back({i, t.substr(i, e - i)});
      i = e;
    } else if (c == '\'' || c == '"') {
      bool triple = i + 2 < n && t[i + 1] == c && t[i + 2] == c;
      i += triple ? 3 : 1;
      while (i < n) {
        if (t[i] == '\\') { i += 2; continue; }
        if (!triple && is_line_end(t[i])) break;  // unterminated: the line ends it
        if (t[i] == c && (!triple || (i + 2 < n && t[i + 1] == c && t[i + 2] == c))) {
          i += triple ? 3 : 1;
          break;
        }
        ++i;
      }
    } else {
      ++i;
    }
  }
  return out;
}

// YAML (and other `#` languages): per line, a `#` after whitespace or at the start, outside quotes.
std::vector<Comment> hash_comments(std::string_view t) {
  std::vector<Comment> out;
  std::size_t i = 0, n = t.size();
  while (i < n) {
    std::size_t start = i, e = line_end(t, i);
    char quote = 0;
    for (std::size_t k = start; k < e; ++k) {
      char c = t[k];
      char prev = k == start ? ' ' : t[k - 1];
      if (quote) {
        if (quote == '"' && c == '\\') ++k;
        else if (c == quote) quote = 0;
      } else if ((c == '"' || c == '\'') && (std::isspace(static_cast<unsigned char>(prev)) || prev == ':' ||
                                             prev == '[' || prev == '{' || prev == ',' || k == start)) {
        quote = c;
      } else if (c == '#' && (k == start || std::isspace(static_cast<unsigned char>(prev)))) {
        out.push_back({k, t.substr(k, e - k)});
        break;
      }
    }
    i = e;
    if (i < n && t[i] == '\r') ++i;
    if (i < n && t[i] == '\n') ++i;
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool valid_rule_id(std::string_view id) {
  std::size_t i = 0;
  while (i < id.size() && std::isupper(static_cast<unsigned char>(id[i]))) ++i;
  if (i == 0 || i == id.size()) return false;
  for (; i < id.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(id[i]))) return false;
  return true;
}

bool known_rule(std::string_view id) {
  return catalog::find_rule_info(std::string(id)) != nullptr;
}

// Parses one directive starting just after "ecolint:". False (with a note) when malformed.
bool parse_directive(std::string_view s, Directive& d, std::string& problem) {
  s = trim(s);
  std::size_t w = 0;
  while (w < s.size() && (std::isalpha(static_cast<unsigned char>(s[w])) || s[w] == '-')) ++w;
  std::string_view word = s.substr(0, w);
  if (word == "ignore") d.scope = Scope::Line;
  else if (word == "ignore-next-line") d.scope = Scope::NextLine;
  else if (word == "ignore-file") d.scope = Scope::File;
  else {
    problem = "unknown ecolint directive '" + std::string(word) +
              "' (use ignore[RULE], ignore-next-line[RULE] or ignore-file[RULE]); ignored";
    return false;
  }
  s.remove_prefix(w);
  if (s.empty() || s.front() != '[') {
    problem = "suppression without rule ids is ignored; write `# ecolint: " + std::string(word) +
              "[ECO001] reason`";
    return false;
  }
  std::size_t close = s.find(']');
  if (close == std::string_view::npos) {
    problem = "suppression is missing its closing ']'; ignored";
    return false;
  }
  std::string_view ids = s.substr(1, close - 1);
  while (!ids.empty()) {
    std::size_t comma = ids.find(',');
    std::string_view id = trim(ids.substr(0, comma));
    if (!valid_rule_id(id)) {
      problem = "invalid rule id '" + std::string(id) + "' in suppression; ignored";
      return false;
    }
    d.rules.emplace_back(id);
    if (comma == std::string_view::npos) break;
    ids.remove_prefix(comma + 1);
  }
  if (d.rules.empty()) {
    problem = "suppression without rule ids is ignored; write `# ecolint: " + std::string(word) +
              "[ECO001] reason`";
    return false;
  }
  d.reason = std::string(trim(s.substr(close + 1)));
  return true;
}

}  // namespace

std::vector<Directive> parse(const std::string& path, std::string_view text, CommentSyntax syntax,
                             std::vector<Note>& notes) {
  std::vector<Directive> out;
  // memmem: string_view::find stops at every 'e'; most files have no marker at all.
  if (!::memmem(text.data(), text.size(), kMarker.data(), kMarker.size())) return out;
  SourceText source{std::string(text)};
  auto comments = syntax == CommentSyntax::Python ? python_comments(text) : hash_comments(text);
  for (const auto& c : comments) {
    // The marker must open the comment or a `#` inside it ("# noqa  # ecolint: ignore[...]").
    for (std::size_t h = 0; h < c.text.size(); h = c.text.find('#', h + 1)) {
      if (h == std::string_view::npos) break;
      std::string_view rest = c.text.substr(h + 1);
      std::size_t lead = 0;
      while (lead < rest.size() && (rest[lead] == ' ' || rest[lead] == '\t')) ++lead;
      if (rest.compare(lead, kMarker.size(), kMarker) != 0) continue;
      Directive d;
      d.position = source.position_from_offset(c.offset + h + 1 + lead);
      d.target_line = d.position.line;
      std::string problem;
      std::string_view body = rest.substr(lead + kMarker.size());
      if (!parse_directive(body, d, problem)) {
        notes.push_back({path, problem, d.position});
        break;
      }
      if (d.scope == Scope::NextLine) d.target_line = d.position.line + 1;
      for (const auto& id : d.rules)
        if (!known_rule(id)) notes.push_back({path, "suppression names unknown rule '" + id + "'", d.position});
      out.push_back(std::move(d));
      break;
    }
  }
  return out;
}

void apply(const std::string& path, std::string_view text, CommentSyntax syntax,
           const std::vector<std::string>& enabled_rules, FileResult& result) {
  std::vector<Directive> directives = parse(path, text, syntax, result.notes);
  if (directives.empty()) return;
  // used[i][k]: directive i's k-th rule silenced something.
  std::vector<std::vector<bool>> used;
  for (const auto& d : directives) used.emplace_back(d.rules.size(), false);
  std::vector<Diagnostic> kept;
  for (auto& diag : result.diagnostics) {
    const Directive* by = nullptr;
    for (std::size_t i = 0; i < directives.size(); ++i) {
      const Directive& d = directives[i];
      bool covers = d.scope == Scope::File ||
                    (d.target_line >= diag.range.start.line &&
                     d.target_line <= std::max(diag.range.start.line, diag.range.end.line));
      if (!covers) continue;
      auto it = std::find(d.rules.begin(), d.rules.end(), diag.rule);
      if (it == d.rules.end()) continue;
      used[i][static_cast<std::size_t>(it - d.rules.begin())] = true;
      if (!by) by = &d;
    }
    if (by) result.suppressed.push_back({std::move(diag), by->reason});
    else kept.push_back(std::move(diag));
  }
  result.diagnostics = std::move(kept);
  for (std::size_t i = 0; i < directives.size(); ++i)
    for (std::size_t k = 0; k < directives[i].rules.size(); ++k) {
      const std::string& id = directives[i].rules[k];
      bool on = std::find(enabled_rules.begin(), enabled_rules.end(), id) != enabled_rules.end();
      if (on && !used[i][k]) result.unused_suppressions.push_back({path, id, directives[i].position});
    }
}

}  // namespace ecolint::suppress
