#include "yaml/guards.hpp"

#include <cctype>
#include <cstring>
#include <sstream>
#include <vector>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

namespace ecolint::yaml {

namespace {

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// `word` at `at`, not followed by another word character.
bool word_at(std::string_view text, std::size_t at, std::string_view word) {
  if (text.compare(at, word.size(), word) != 0) return false;
  std::size_t end = at + word.size();
  return end >= text.size() || !word_char(text[end]);
}

// Helm's built-in objects and the template keywords and functions charts use at the start of an
// action.
constexpr const char* kObjects[] = {"Values", "Release", "Chart", "Capabilities", "Template", "Files"};
constexpr const char* kKeywords[] = {"include", "template", "if",      "else",   "end",      "range",
                                     "with",    "define",   "block",   "toYaml", "tpl",      "printf",
                                     "required", "default", "quote",   "nindent", "indent",  "lookup"};

}  // namespace

std::optional<std::size_t> helm_action(std::string_view text) {
  for (std::size_t open = text.find("{{"); open != std::string_view::npos; open = text.find("{{", open + 2)) {
    std::size_t i = open + 2;
    if (i < text.size() && text[i] == '-') ++i;
    // Whitespace between `{{` and the action: each run is looked at from the `{{` before it only.
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= text.size()) break;
    char c = text[i];
    if (c == '$') return open;
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') return open;
    if (c == '.') {
      for (const char* o : kObjects)
        if (word_at(text, i + 1, o)) return open;
      continue;
    }
    for (const char* k : kKeywords)
      if (word_at(text, i, k)) return open;
  }
  return std::nullopt;
}

std::optional<DepthProblem> too_deep(std::string_view text, unsigned max_depth) {
  unsigned flow = 0;
  std::vector<std::size_t> indents;
  std::size_t i = 0, n = text.size();
  while (i < n) {
    std::size_t line_start = i;
    std::size_t indent = 0;
    while (i < n && text[i] == ' ') ++i, ++indent;
    if (flow == 0 && i < n && text[i] != '\n' && text[i] != '#') {
      while (!indents.empty() && indents.back() > indent) indents.pop_back();
      if (indents.empty() || indents.back() < indent) indents.push_back(indent);
      // "- - - x" nests one level per dash
      std::size_t j = i;
      unsigned dashes = 0;
      while (j + 1 < n && text[j] == '-' && text[j + 1] == ' ') {
        ++dashes;
        j += 2;
        while (j < n && text[j] == ' ') ++j;
      }
      if (indents.size() + dashes > max_depth) return DepthProblem{line_start, static_cast<unsigned>(indents.size() + dashes)};
    }
    bool token_start = true;
    while (i < n && text[i] != '\n') {
      char c = text[i];
      if (c == '#' && token_start) {
        while (i < n && text[i] != '\n') ++i;
        break;
      }
      if ((c == '"' || c == '\'') && token_start) {
        char q = c;
        ++i;
        while (i < n && text[i] != q) {
          if (q == '"' && text[i] == '\\') ++i;
          ++i;
        }
        if (i < n) ++i;
        token_start = false;
        continue;
      }
      if (c == '[' || c == '{') {
        if (++flow + indents.size() > max_depth) return DepthProblem{i, static_cast<unsigned>(flow + indents.size())};
      } else if ((c == ']' || c == '}') && flow > 0) {
        --flow;
      }
      token_start = c == ' ' || c == '\t' || c == '[' || c == '{' || c == ',' || c == ':';
      ++i;
    }
    if (i < n) ++i;
  }
  return std::nullopt;
}

namespace {

// Counts the stream's nodes and throws them away; stops the parse (by throwing) past the limit.
class CountEvents : public YAML::EventHandler {
 public:
  struct Stop {};
  explicit CountEvents(std::size_t max_nodes) : max_nodes_(max_nodes) {}
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override { node(); }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { node(); }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override { node(); }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node();
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override { node(); }
  void OnMapEnd() override {}

 private:
  void node() {
    if (++nodes_ > max_nodes_) throw Stop{};
  }
  std::size_t max_nodes_;
  std::size_t nodes_ = 0;
};

}  // namespace

StreamProblem check_stream(const std::string& text, std::size_t max_documents, std::size_t max_nodes) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  CountEvents events(max_nodes);
  std::size_t documents = 0;
  try {
    while (parser.HandleNextDocument(events))
      if (++documents > max_documents) return StreamProblem::TooManyDocuments;
  } catch (const CountEvents::Stop&) {
    return StreamProblem::TooManyNodes;
  }
  return StreamProblem::None;
}

namespace {

// `---` or `...` at the start of a line, followed by the line's end, a blank or nothing.
bool document_marker(std::string_view line) {
  if (line.size() < 3 || !(line.substr(0, 3) == "---" || line.substr(0, 3) == "...")) return false;
  return line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r';
}

// A top-level `kind: CustomResourceDefinition` line (the value may be quoted; a comment may follow).
bool crd_kind_line(std::string_view line) {
  constexpr std::string_view kKey = "kind:";
  if (line.substr(0, kKey.size()) != kKey) return false;
  std::size_t i = kKey.size();
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i < line.size() && (line[i] == '"' || line[i] == '\'')) ++i;
  constexpr std::string_view kCrd = "CustomResourceDefinition";
  if (line.substr(i, kCrd.size()) != kCrd) return false;
  i += kCrd.size();
  if (i < line.size() && (line[i] == '"' || line[i] == '\'')) ++i;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
  return i == line.size() || line[i] == '#';
}

}  // namespace

bool blank_inert_documents(std::string_view text, std::string& out) {
  // Each document's byte span: from the line after a marker (or the start) to the next marker line.
  struct Span {
    std::size_t begin, end;
    bool crd;
  };
  std::vector<Span> inert;
  std::size_t doc_begin = 0;
  bool crd = false;
  std::size_t at = 0;
  while (at <= text.size()) {
    std::size_t eol = text.find('\n', at);
    std::size_t line_end = eol == std::string_view::npos ? text.size() : eol;
    std::string_view line = text.substr(at, line_end - at);
    if (document_marker(line)) {
      if (crd) inert.push_back({doc_begin, at, true});
      crd = false;
      // Content on the marker line itself (`--- kind: x` is not valid; `--- !tag` may be) stays.
      doc_begin = eol == std::string_view::npos ? text.size() : eol + 1;
    } else if (!crd && crd_kind_line(line)) {
      crd = true;
    }
    if (eol == std::string_view::npos) break;
    at = eol + 1;
  }
  if (crd) inert.push_back({doc_begin, text.size(), true});
  if (inert.empty()) return false;
  out.assign(text.data(), text.size());
  for (const auto& span : inert)
    for (std::size_t i = span.begin; i < span.end; ++i)
      if (out[i] != '\n' && out[i] != '\r') out[i] = ' ';
  return true;
}

bool python_key_possible(std::string_view text) {
  for (std::size_t at = text.find(".py"); at != std::string_view::npos; at = text.find(".py", at + 1)) {
    std::size_t i = at + 3;
    if (i < text.size() && (text[i] == '"' || text[i] == '\'')) ++i;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) ++i;
    if (i < text.size() && text[i] == ':') return true;
  }
  return false;
}

}  // namespace ecolint::yaml
