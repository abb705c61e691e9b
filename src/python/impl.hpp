#pragma once
// Internals of the Python reader, shared by its passes and not used outside src/python:
//   module.cpp  parse (after a depth guard), run the passes, free the tree
//   scopes.cpp  pass 1: scopes, bindings, dict mutations, the calls of the module
//   values.cpp  values: literals, names followed through once-assigned bindings, dicts, calls
//   syntax.cpp  pass 2: loops, and the loops and argument reads around each call
#include <tree_sitter/api.h>

#include <algorithm>
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
inline constexpr std::size_t kHeapRoomFrom = 64 * 1024;  // source bytes from which prepare_heap runs first
inline constexpr unsigned kMaxParserNesting = 20000;  // brackets + chained prefix operators tree-sitter is given

// Node types and field names by number. ts_node_type() and a strcmp per test, and
// ts_node_child_by_field_name() (a linear search of the grammar's field names per call), were a
// fifth of the time spent on a parsed file; the grammar's symbols and fields are looked up by name
// once, into tables. Every grammar symbol whose name is one of these (aliases included) maps to it;
// every other symbol is T::other.
#define ECOLINT_PYTHON_NODE_TYPES \
  X(error, "ERROR") \
  X(aliased_import, "aliased_import") \
  X(argument_list, "argument_list") \
  X(as, "as") \
  X(as_pattern, "as_pattern") \
  X(as_pattern_target, "as_pattern_target") \
  X(assignment, "assignment") \
  X(attribute, "attribute") \
  X(augmented_assignment, "augmented_assignment") \
  X(binary_operator, "binary_operator") \
  X(call, "call") \
  X(class_definition, "class_definition") \
  X(comment, "comment") \
  X(concatenated_string, "concatenated_string") \
  X(default_parameter, "default_parameter") \
  X(delete_statement, "delete_statement") \
  X(dictionary, "dictionary") \
  X(dictionary_comprehension, "dictionary_comprehension") \
  X(dictionary_splat, "dictionary_splat") \
  X(dictionary_splat_pattern, "dictionary_splat_pattern") \
  X(dotted_name, "dotted_name") \
  X(escape_interpolation, "escape_interpolation") \
  X(except_clause, "except_clause") \
  X(false_, "false") \
  X(float_, "float") \
  X(for_in_clause, "for_in_clause") \
  X(for_statement, "for_statement") \
  X(function_definition, "function_definition") \
  X(generator_expression, "generator_expression") \
  X(global_statement, "global_statement") \
  X(identifier, "identifier") \
  X(import_from_statement, "import_from_statement") \
  X(import_statement, "import_statement") \
  X(integer, "integer") \
  X(interpolation, "interpolation") \
  X(keyword_argument, "keyword_argument") \
  X(keyword_separator, "keyword_separator") \
  X(lambda, "lambda") \
  X(list, "list") \
  X(list_comprehension, "list_comprehension") \
  X(list_pattern, "list_pattern") \
  X(list_splat, "list_splat") \
  X(list_splat_pattern, "list_splat_pattern") \
  X(named_expression, "named_expression") \
  X(none, "none") \
  X(nonlocal_statement, "nonlocal_statement") \
  X(pair, "pair") \
  X(parenthesized_expression, "parenthesized_expression") \
  X(pattern_list, "pattern_list") \
  X(return_statement, "return_statement") \
  X(set_comprehension, "set_comprehension") \
  X(slice, "slice") \
  X(string, "string") \
  X(string_content, "string_content") \
  X(string_start, "string_start") \
  X(subscript, "subscript") \
  X(true_, "true") \
  X(tuple, "tuple") \
  X(tuple_pattern, "tuple_pattern") \
  X(typed_default_parameter, "typed_default_parameter") \
  X(typed_parameter, "typed_parameter") \
  X(unary_operator, "unary_operator") \
  X(while_statement, "while_statement") \
  X(with_item, "with_item")
#define ECOLINT_PYTHON_FIELDS \
  X(alias, "alias") \
  X(alternative, "alternative") \
  X(argument, "argument") \
  X(arguments, "arguments") \
  X(attribute, "attribute") \
  X(body, "body") \
  X(condition, "condition") \
  X(expression, "expression") \
  X(format_specifier, "format_specifier") \
  X(function, "function") \
  X(key, "key") \
  X(left, "left") \
  X(module_name, "module_name") \
  X(name, "name") \
  X(object, "object") \
  X(operator_, "operator") \
  X(parameters, "parameters") \
  X(right, "right") \
  X(subscript, "subscript") \
  X(superclasses, "superclasses") \
  X(type_conversion, "type_conversion") \
  X(value, "value")

enum class T : uint8_t {
  other,
#define X(id, name) id,
  ECOLINT_PYTHON_NODE_TYPES
#undef X
};
enum class F : uint8_t {
#define X(id, name) id,
  ECOLINT_PYTHON_FIELDS
#undef X
  count
};

struct GrammarTables {
  std::vector<T> type_of_symbol;
  TSFieldId field_id[static_cast<std::size_t>(F::count)] = {};
};
GrammarTables build_grammar_tables();
inline const GrammarTables& grammar_tables() {
  static const GrammarTables tables = build_grammar_tables();
  return tables;
}

inline T type_of(TSNode n) {
  if (ts_node_is_null(n)) return T::other;
  const auto& table = grammar_tables().type_of_symbol;
  TSSymbol s = ts_node_symbol(n);
  if (s < table.size()) return table[s];
  return s == static_cast<TSSymbol>(-1) ? T::error : T::other;  // ts_builtin_sym_error: "ERROR"
}
inline bool is(TSNode n, T type) { return type_of(n) == type; }
inline bool is_error_node(TSNode n) { return is(n, T::error); }
inline TSNode child_by_field(TSNode n, F f) {
  return ts_node_child_by_field_id(n, grammar_tables().field_id[static_cast<std::size_t>(f)]);
}

// The named children of `n`, in order, in a list that holds up to 8 without allocating (most
// nodes have fewer). ts_node_named_child(n, i) walks from the first child each time (tree-sitter
// 0.20), which is quadratic over a module's statements or a long list; a cursor is linear, and one
// cursor per thread is reset to each node instead of being created and freed.
class NodeList {
 public:
  void push_back(TSNode n) {
    if (size_ < kInline) {
      inline_[size_++] = n;
      return;
    }
    if (size_ == kInline) heap_.assign(inline_, inline_ + kInline);
    heap_.push_back(n);
    ++size_;
  }
  const TSNode* begin() const { return size_ <= kInline ? inline_ : heap_.data(); }
  const TSNode* end() const { return begin() + size_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const TSNode& operator[](std::size_t i) const { return begin()[i]; }

 private:
  static constexpr std::size_t kInline = 8;
  TSNode inline_[kInline];
  std::vector<TSNode> heap_;
  std::size_t size_ = 0;
};

NodeList named_children(TSNode n);
// Up to this many named children, indexing them is cheaper than moving a cursor (measured).
inline constexpr std::size_t kCheapChildren = 4;

// Whether a walk that looks for definitions, bindings, loops and calls must visit child `c` of a
// node at `depth`: a node without named children (a name, a number, a plain string, a comment)
// holds none of them, so it is skipped, unless it is past the depth limit (where the walk notes
// that it stopped).
inline bool worth_walking(TSNode c, int depth) {
  return depth + 1 > kMaxWalkDepth || ts_node_named_child_count(c) > 0;
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

  // The named children pass 1 listed for each node it descended into, kept for pass 2, which
  // descends into the same nodes: listing children through tree-sitter was the largest cost of
  // each pass after the parse. Up to kMaxRememberedChildren (4 MB of nodes).
  static constexpr std::size_t kMaxRememberedChildren = 1u << 17;
  struct ChildSpan {
    const void* id = nullptr;  // the node's (null: an empty slot)
    uint32_t start_byte = 0;   // of the node: with `id`, which node this is
    uint32_t begin = 0, count = 0;
  };
  std::vector<ChildSpan> child_spans;  // open addressing, a power of two in size, at most half full
  std::size_t child_span_count = 0;
  std::vector<TSNode> child_pool;
  static std::size_t slot_of(const void* id, std::size_t mask) {
    auto h = reinterpret_cast<std::uintptr_t>(id);
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ULL;
    return static_cast<std::size_t>(h >> 20) & mask;
  }
  void remember_children(TSNode n, const NodeList& children) {
    // Memory stays bounded on huge modules (pass 2 then lists the rest itself).
    if (child_pool.size() + children.size() > kMaxRememberedChildren) return;
    if (2 * (child_span_count + 1) > child_spans.size()) {
      std::vector<ChildSpan> old(std::max<std::size_t>(1024, 2 * child_spans.size()));
      old.swap(child_spans);
      std::size_t mask = child_spans.size() - 1;
      for (const ChildSpan& e : old) {
        if (!e.id) continue;
        std::size_t i = slot_of(e.id, mask);
        while (child_spans[i].id) i = (i + 1) & mask;
        child_spans[i] = e;
      }
    }
    std::size_t mask = child_spans.size() - 1;
    std::size_t i = slot_of(n.id, mask);
    uint32_t start = ts_node_start_byte(n);
    while (child_spans[i].id && !(child_spans[i].id == n.id && child_spans[i].start_byte == start)) i = (i + 1) & mask;
    if (!child_spans[i].id) ++child_span_count;
    child_spans[i] = {n.id, start, static_cast<uint32_t>(child_pool.size()), static_cast<uint32_t>(children.size())};
    child_pool.insert(child_pool.end(), children.begin(), children.end());
  }
  // Pass 1's list for `n`, or false when it has none.
  bool remembered_children(TSNode n, const TSNode*& first, std::size_t& count) const {
    if (child_spans.empty()) return false;
    std::size_t mask = child_spans.size() - 1;
    uint32_t start = ts_node_start_byte(n);
    for (std::size_t i = slot_of(n.id, mask); child_spans[i].id; i = (i + 1) & mask) {
      if (child_spans[i].id != n.id || child_spans[i].start_byte != start) continue;
      first = child_pool.data() + child_spans[i].begin;
      count = child_spans[i].count;
      return true;
    }
    return false;
  }

  std::string node_text(TSNode n) const {
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    if (b > text.size() || a > b) return {};
    return text.substr(a, b - a);
  }
  Range range_of(TSNode n) const {
    // From byte offsets; tree-sitter's rows only as hints (checked): it counts rows by '\n' only,
    // while Python (and SourceText) also end a line at a lone '\r' (the parse sees those as '\n').
    return {src.position_from_offset(ts_node_start_byte(n), ts_node_start_point(n).row),
            src.position_from_offset(ts_node_end_byte(n), ts_node_end_point(n).row)};
  }
  TSNode field(TSNode n, F f) const { return child_by_field(n, f); }

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
  std::unordered_map<const Call*, CallSyntax>& call_syntax() { return module.syntax_; }
};

// Pass 2: the syntactic context of every call built by pass 1 (loops, argument reads).
void build_call_syntax(Module::Impl& impl, Module& module, TSNode root);

}  // namespace ecolint::python
