#pragma once
// Cheap checks on a YAML file's text before yaml-cpp sees it: things yaml-cpp cannot parse (Helm
// templates), would recurse on without bound (deep nesting) or would never finish (some malformed
// streams). All run in time linear in the text, with no recursion.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ecolint::yaml {

// The byte offset of the first Go-template action as Helm writes it ({{ .Values.x }}, {{- if ... }},
// {{ include ... }}); nullopt when there is none. Jinja chat templates ({{ bos_token }},
// {{ message['content'] }}) and other `{{.Name}}` placeholders in a value are not Helm.
std::optional<std::size_t> helm_action(std::string_view text);

struct DepthProblem {
  std::size_t offset;
  unsigned depth;
};
// Nesting depth from brackets and indentation, without a parser.
std::optional<DepthProblem> too_deep(std::string_view text, unsigned max_depth);

// True when the stream holds more than `limit` documents. Throws what the parser throws.
bool document_count_exceeds(const std::string& text, std::size_t limit);

}  // namespace ecolint::yaml
