// The YAML reader: guards on the text, then yaml-cpp, then a bounded walk of every document
// (yaml/walker.hpp) that collects launches through the engine table.
#include "yaml/document.hpp"

#include <yaml-cpp/yaml.h>

#include "yaml/guards.hpp"
#include "yaml/walker.hpp"

namespace ecolint::yaml {

namespace {

constexpr std::size_t kMaxDocuments = 10000;

std::string parse_error_message(const YAML::Exception& e) {
  std::string msg = e.msg.empty() ? e.what() : e.msg;
  return "invalid YAML: " + msg + "; not analysed";
}

}  // namespace

Document analyse(const SourceText& source, const AnalyseLimits& limits) {
  Document doc;
  // CustomResourceDefinitions are blanked before anything reads the stream (see guards.hpp).
  std::string without_inert;
  const std::string& text = blank_inert_documents(source.text(), without_inert) ? without_inert : source.text();
  if (auto at = helm_action(text)) {
    doc.notes.push_back({source.position_from_offset(*at), "Helm template ({{ }} actions); not analysed"});
    return doc;
  }
  if (auto deep = too_deep(text, limits.max_depth)) {
    doc.notes.push_back({source.position_from_offset(deep->offset),
                         "YAML nested more than " + std::to_string(limits.max_depth) + " levels deep; not analysed"});
    return doc;
  }
  std::vector<YAML::Node> documents;
  try {
    // Read the stream's events first, with no tree: yaml-cpp 0.7's LoadAll never returns on some
    // malformed streams (a stray ',' at the start of a document yields empty documents forever;
    // found by fuzzing), and its tree costs about 470 bytes a node (a 10 MiB flow sequence once
    // took 1.9 GB before the walk's budget could stop it).
    switch (check_stream(text, kMaxDocuments, limits.max_nodes)) {
      case StreamProblem::TooManyDocuments:
        doc.notes.push_back({{1, 1}, "more than " + std::to_string(kMaxDocuments) +
                                         " YAML documents in one stream (or a stream yaml-cpp cannot end); not analysed"});
        return doc;
      case StreamProblem::TooManyNodes:
        doc.notes.push_back({{1, 1}, "YAML has more than " + std::to_string(limits.max_nodes) +
                                         " nodes (counted before parsing); not analysed"});
        return doc;
      case StreamProblem::None:
        break;
    }
    documents = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    Position p;
    if (e.mark.line >= 0 && e.mark.pos >= 0) p = source.position_from_offset(static_cast<std::size_t>(e.mark.pos));
    std::string message = parse_error_message(e);
    if (text.find("{{") != std::string::npos) message = "templated file ({{ }}) is not valid YAML; not analysed";
    doc.notes.push_back({p, message});
    return doc;
  }
  try {
    Walker walker(source, limits, doc);
    for (const auto& d : documents) walker.document(d);
  } catch (const YAML::Exception& e) {
    doc.notes.push_back({{}, std::string("YAML could not be analysed: ") + e.what()});
  }
  return doc;
}

}  // namespace ecolint::yaml
