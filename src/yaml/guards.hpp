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

// Documents that cannot carry a deployment setting, found on the raw bytes: a Kubernetes
// CustomResourceDefinition (`kind: CustomResourceDefinition` at the top level) defines a schema,
// and its OpenAPI text is full of words such as `maxBatchSize` and `quantize`; install bundles
// commit them by the megabyte. When there is one, `out` becomes the text with every byte of those
// documents but the line breaks turned into spaces (offsets, lines and the other documents stay
// as they were) and the result is true. Linear; a document split needs no parser, since a line
// starting with `---` or `...` always ends a document in YAML.
bool blank_inert_documents(std::string_view text, std::string& out);

// Whether the text may hold a mapping key ending in `.py`, the only place ecolint reads Python in
// YAML (a ConfigMap's `data`): `.py`, then an optional closing quote, then blanks or line breaks
// (an explicit `? key` puts the `:` on the next line), then `:`. False means no such key can be
// there; true may be wrong (a value such as `run.py: x` inside a string). A key spelled with
// escapes (`"app.p\x79"`) is not seen.
bool python_key_possible(std::string_view text);

}  // namespace ecolint::yaml
