#pragma once
// Internals of the Python reader, shared by its passes and not used outside src/python:
//   module.cpp  parse (after a depth guard), run the passes, free the tree
//   scopes.cpp  pass 1: scopes, bindings, dict mutations, the calls of the module
//   values.cpp  values: literals, names followed through once-assigned bindings, dicts, calls
//   syntax.cpp  pass 2: loops, and the loops and argument reads around each call
#include <tree_sitter/api.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "python/facts.hpp"

namespace ecolint::python {

namespace detail {

inline constexpr int kMaxWalkDepth = 400;     // syntax nesting we descend into
inline constexpr int kMaxEvalDepth = 48;      // chained name/value resolution
inline constexpr std::size_t kMaxDictEntries = 512;
inline constexpr std::size_t kMaxCalls = 50000;    // calls per module whose facts are built
inline constexpr unsigned kMaxParserNesting = 20000;  // brackets + chained prefix operators tree-sitter is given

inline bool is_error_node(TSNode n) { return std::strcmp(ts_node_type(n), "ERROR") == 0; }

inline bool is(TSNode n, const char* type) { return !ts_node_is_null(n) && std::strcmp(ts_node_type(n), type) == 0; }

// The named children of `n`, in order. ts_node_named_child(n, i) walks from the first child each
// time (tree-sitter 0.20), which is quadratic over a module's statements or a long list; a cursor
// is linear. Used wherever a node can have many children.
inline std::vector<TSNode> named_children(TSNode n) {
  std::vector<TSNode> out;
  if (ts_node_is_null(n)) return out;
  uint32_t count = ts_node_named_child_count(n);
  out.reserve(count);
  if (count <= 16) {  // few children: indexing is cheaper than setting up a cursor
    for (uint32_t i = 0; i < count; ++i) out.push_back(ts_node_named_child(n, i));
    return out;
  }
  TSTreeCursor c = ts_tree_cursor_new(n);
  if (ts_tree_cursor_goto_first_child(&c)) {
    do {
      TSNode x = ts_tree_cursor_current_node(&c);
      if (ts_node_is_named(x)) out.push_back(x);
    } while (ts_tree_cursor_goto_next_sibling(&c));
  }
  ts_tree_cursor_delete(&c);
  return out;
}

// Scope ids: 0 is the module; each function, lambda or class body gets its own.
using ScopeId = uint32_t;

enum class BindingKind { Assign, Import, Definition, Parameter, Other };

struct Binding {
  BindingKind kind = BindingKind::Other;
  TSNode value{};          // Assign: the right-hand side; Parameter: its default (may be null)
  std::string path;        // Import: dotted path; Definition: the defined name
  bool argparse_namespace = false;  // bound to parser.parse_args() / parse_known_args()[0]
  // Definition of a function: its body's scope and node (for its return value).
  // Parameter: the function it belongs to, its position among the positional parameters, and the
  // class when the function is a method (its first parameter is `self`).
  TSNode node{};
  uint32_t inner = 0;      // ScopeId
  std::string function, owner_class;
  uint32_t position = 0;
  uint32_t outer = 0;      // ScopeId where a parameter's default is evaluated
};

struct Mutation {
  enum Kind { SetItem, Update, Destroy } kind = SetItem;
  ScopeId scope = 0;
  TSNode key{};    // SetItem
  TSNode value{};  // SetItem: the value; Update: the call node
};

struct ScopeInfo {
  ScopeId parent = 0;
  bool is_class = false;
  std::string class_name;  // a class body, or a method of that class
  std::unordered_map<std::string, std::vector<Binding>> bindings;
  std::unordered_set<std::string> globals;
};

inline uint64_t node_key(TSNode n) {
  return (static_cast<uint64_t>(ts_node_start_byte(n)) << 24) ^ (static_cast<uint64_t>(ts_node_end_byte(n)) << 1) ^
         ts_node_symbol(n);
}

// The offset where the text nests deeper than `limit` (open brackets plus prefix operators chained
// since the last separator, strings and comments skipped); nullopt when it does not.
std::optional<std::size_t> too_deep_for_parser(std::string_view text, unsigned limit);

}  // namespace detail

using namespace detail;

struct Module::Impl {
  Module& module;
  const SourceText& src;
  const std::string& text;
  std::vector<ScopeInfo> scopes;
  std::unordered_map<uint64_t, ScopeId> scope_of_call;  // call node -> scope
  std::unordered_map<std::string, std::vector<Mutation>> mutations;  // by dict name
  std::vector<std::pair<TSNode, ScopeId>> call_nodes;
  // call_nodes by what they call, built on first use: `f(...)` under "f", `x.f(...)` under ".f";
  // indices ascend (source order). A parameter's callers are looked up here, not by a scan of
  // every call per parameter (which made a 0.5 MB module take a second).
  std::unordered_map<std::string, std::vector<std::size_t>> calls_by_callee;
  bool calls_indexed = false;
  const std::vector<std::size_t>& calls_of(const std::string& callee);
  std::vector<std::pair<TSNode, ScopeId>> add_argument_nodes;
  std::unordered_map<uint64_t, Call*> built_calls;
  std::unordered_map<uint64_t, ValuePtr> memo;
  std::unordered_set<uint64_t> in_progress;
  bool argparse_ready = false;

  Impl(Module& m, const SourceText& s) : module(m), src(s), text(s.text()) { scopes.emplace_back(); }

  std::string node_text(TSNode n) const {
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    if (b > text.size() || a > b) return {};
    return text.substr(a, b - a);
  }
  Range range_of(TSNode n) const {
    // From byte offsets, not tree-sitter's rows: it counts rows by '\n' only, while Python (and
    // SourceText) also end a line at a lone '\r'.
    return {src.position_from_offset(ts_node_start_byte(n)), src.position_from_offset(ts_node_end_byte(n))};
  }
  TSNode field(TSNode n, const char* name) const {
    return ts_node_child_by_field_name(n, name, static_cast<uint32_t>(std::strlen(name)));
  }

  // ---- Pass 1: scopes, bindings, mutations, calls ------------------------------------------

  ScopeId new_scope(ScopeId parent, bool is_class);

  void bind(ScopeId scope, const std::string& name, Binding b);

  // Every name a target pattern binds gets an opaque binding (tuple unpacking, for targets, ...).
  void bind_targets_opaque(ScopeId scope, TSNode target, bool argparse_first = false);

  void record_assignment(TSNode node, ScopeId scope);

  void record_import(TSNode node, ScopeId scope);

  void record_parameters(TSNode params, ScopeId scope, ScopeId outer, const std::string& function);

  void walk(TSNode node, ScopeId scope, int depth);

  // ---- Name resolution ------------------------------------------------------------------------

  // The scope whose binding of `name` is visible from `scope`, or nullopt for a free name.
  std::optional<ScopeId> resolving_scope(ScopeId scope, const std::string& name) const;

  const std::vector<Binding>* lookup(ScopeId scope, const std::string& name, ScopeId* found) const;

  // ---- Evaluation -------------------------------------------------------------------------------

  static ValuePtr unknown_at(Range r);

  ValuePtr make(ValueKind kind, TSNode n);

  ValuePtr evaluate(TSNode n, ScopeId scope, int depth);

  std::string decode_string_content(const std::string& raw, bool is_raw) const;

  ValuePtr evaluate_string(TSNode n, ScopeId scope, int depth);

  ValuePtr evaluate_number(TSNode n, bool is_float);

  void add_keyword_entries(std::shared_ptr<Value>& dict, TSNode arglist, ScopeId scope, int depth);

  static void merge_dict(std::shared_ptr<Value>& dict, const ValuePtr& other);

  ValuePtr evaluate_dict_literal(TSNode n, ScopeId scope, int depth);

  // A dict bound once to `name` in scope `s`, with its item assignments and .update() calls
  // applied (flow-insensitively). A key written with different values becomes unknown.
  ValuePtr apply_mutations(ValuePtr base, const std::string& name, ScopeId s, int depth);

  ValuePtr evaluate_identifier(TSNode n, ScopeId scope, int depth);

  bool is_argparse_namespace(TSNode obj, ScopeId scope);

  void ensure_argparse();

  ValuePtr evaluate_attribute(TSNode n, ScopeId scope, int depth);

  ValuePtr evaluate_uncached(TSNode n, ScopeId scope, int depth);

  // ---- Calls --------------------------------------------------------------------------------------

  std::string callee_of(TSNode fn, ScopeId scope, int depth);

  Call* build_call(TSNode n, ScopeId scope, int depth);

  void first_syntax_error(TSNode root);

  bool too_deep = false;  // the walk stopped at kMaxWalkDepth somewhere (noted once)
  bool eval_cut = false;  // a value was cut at kMaxEvalDepth somewhere (noted once)

  // ---- values that cross a function boundary ----
  // self.X = value in the methods of class C, by "C.X".
  std::unordered_map<std::string, std::vector<std::pair<TSNode, ScopeId>>> instance_attributes;
  std::unordered_map<uint64_t, ValuePtr> parameter_memo;  // by parameter node
  // The value of one binding of a name used at `at`.
  ValuePtr evaluate_binding(const Binding& b, ScopeId found, const std::string& name, TSNode at, int depth);
  // A parameter: the one value every call of its function in this file passes (its default when a
  // call passes none, or when nothing here calls the function: an entry point run by fire or a
  // framework); unknown otherwise.
  ValuePtr evaluate_parameter(const Binding& b, TSNode at, int depth);
  // A function's single `return <expression>`, evaluated; null when it has none or several.
  ValuePtr returned_value(const Binding& def, int depth);
  // self.X inside a method of class `cls`: the one value its assignments agree on.
  ValuePtr instance_attribute(const std::string& cls, const std::string& attr, TSNode at, int depth);
  // Two values that say the same (literals, names): a binding repeated with one value.
  static bool same_value(const Value& a, const Value& b);

  // Where pass 2 puts its facts.
  std::vector<std::unique_ptr<Loop>>& loops() { return module.loops_; }
  std::map<const Call*, CallSyntax>& call_syntax() { return module.syntax_; }
};

// Pass 2: the syntactic context of every call built by pass 1 (loops, argument reads).
void build_call_syntax(Module::Impl& impl, Module& module, TSNode root);

}  // namespace ecolint::python
