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

// What reading a stream's events (no tree is built) found first: more than `max_documents`
// documents, more than `max_nodes` nodes (scalars, sequences, maps and aliases, each alias once),
// or neither. Stops at the first limit passed, so time and memory stay bounded whatever the size
// of the stream. Throws what the parser throws.
enum class StreamProblem { None, TooManyDocuments, TooManyNodes };
StreamProblem check_stream(const std::string& text, std::size_t max_documents, std::size_t max_nodes);

}  // namespace ecolint::yaml
