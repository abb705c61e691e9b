#include "python/facts.hpp"

#include <tree_sitter/api.h>

#include <cstdlib>
#include <cstring>
#include <functional>
#include <set>
#include <unordered_map>
#include <unordered_set>

extern "C" const TSLanguage* tree_sitter_python(void);

namespace ecolint::python {

namespace {

constexpr int kMaxWalkDepth = 400;     // syntax nesting we descend into
constexpr int kMaxEvalDepth = 48;      // chained name/value resolution
constexpr std::size_t kMaxDictEntries = 512;
constexpr std::size_t kMaxCalls = 50000;    // calls per module whose facts are built

bool is_error_node(TSNode n) { return std::strcmp(ts_node_type(n), "ERROR") == 0; }

bool is(TSNode n, const char* type) { return !ts_node_is_null(n) && std::strcmp(ts_node_type(n), type) == 0; }

// The named children of `n`, in order. ts_node_named_child(n, i) walks from the first child each
// time (tree-sitter 0.20), which is quadratic over a module's statements or a long list; a cursor
// is linear. Used wherever a node can have many children.
std::vector<TSNode> named_children(TSNode n) {
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
  TSNode value{};          // Assign: the right-hand side
  std::string path;        // Import: dotted path; Definition: the defined name
  bool argparse_namespace = false;  // bound to parser.parse_args() / parse_known_args()[0]
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
  std::unordered_map<std::string, std::vector<Binding>> bindings;
  std::unordered_set<std::string> globals;
};

uint64_t node_key(TSNode n) {
  return (static_cast<uint64_t>(ts_node_start_byte(n)) << 24) ^ (static_cast<uint64_t>(ts_node_end_byte(n)) << 1) ^
         ts_node_symbol(n);
}

}  // namespace

const DictEntry* Value::entry(const std::string& key) const {
  // The last write of a key wins, as in Python.
  for (auto it = entries.rbegin(); it != entries.rend(); ++it)
    if (it->key == key) return &*it;
  return nullptr;
}

const Keyword* Call::keyword(const std::string& name) const {
  for (auto it = keywords.rbegin(); it != keywords.rend(); ++it)
    if (it->name == name) return &*it;
  return nullptr;
}

ValuePtr Call::argument(const std::string& name, std::size_t index) const {
  if (const Keyword* k = keyword(name)) return k->value;
  if (index < args.size()) return args[index];
  return nullptr;
}

std::string last_segment(const std::string& dotted) {
  auto pos = dotted.rfind('.');
  return pos == std::string::npos ? dotted : dotted.substr(pos + 1);
}

struct Module::Impl {
  Module& module;
  const SourceText& src;
  const std::string& text;
  std::vector<ScopeInfo> scopes;
  std::unordered_map<uint64_t, ScopeId> scope_of_call;  // call node -> scope
  std::unordered_map<std::string, std::vector<Mutation>> mutations;  // by dict name
  std::vector<std::pair<TSNode, ScopeId>> call_nodes;
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

  ScopeId new_scope(ScopeId parent, bool is_class) {
    ScopeInfo info;
    // Names in a class body are not visible from its methods: methods look past the class.
    info.parent = scopes[parent].is_class ? scopes[parent].parent : parent;
    info.is_class = is_class;
    scopes.push_back(std::move(info));
    return static_cast<ScopeId>(scopes.size() - 1);
  }

  void bind(ScopeId scope, const std::string& name, Binding b) {
    if (scopes[scope].globals.count(name)) scope = 0;
    scopes[scope].bindings[name].push_back(std::move(b));
  }

  // Every name a target pattern binds gets an opaque binding (tuple unpacking, for targets, ...).
  void bind_targets_opaque(ScopeId scope, TSNode target, bool argparse_first = false) {
    if (is(target, "identifier")) {
      Binding b;
      b.argparse_namespace = argparse_first;
      bind(scope, node_text(target), b);
      return;
    }
    if (is(target, "pattern_list") || is(target, "tuple_pattern") || is(target, "list_pattern") ||
        is(target, "parenthesized_expression") || is(target, "list_splat_pattern") || is(target, "tuple") ||
        is(target, "list")) {
      uint32_t n = ts_node_named_child_count(target);
      for (uint32_t i = 0; i < n; ++i) bind_targets_opaque(scope, ts_node_named_child(target, i), argparse_first && i == 0);
    }
    // Attribute and subscript targets bind no name.
  }

  void record_assignment(TSNode node, ScopeId scope) {
    TSNode left = field(node, "left");
    TSNode right = field(node, "right");
    if (ts_node_is_null(left)) return;
    if (is(node, "augmented_assignment")) {
      bind_targets_opaque(scope, left);
      return;
    }
    if (ts_node_is_null(right)) return;  // annotation only: x: int
    if (is(left, "identifier")) {
      Binding b;
      b.kind = BindingKind::Assign;
      b.value = is(right, "assignment") ? field(right, "right") : right;  // a = b = value
      bind(scope, node_text(left), b);
      if (is(right, "assignment")) record_assignment(right, scope);
      return;
    }
    if (is(left, "subscript")) {
      TSNode obj = field(left, "value");
      TSNode key = field(left, "subscript");
      if (is(obj, "identifier") && !ts_node_is_null(key)) {
        Mutation m;
        m.kind = Mutation::SetItem;
        m.scope = scope;
        m.key = key;
        m.value = right;
        mutations[node_text(obj)].push_back(m);
      }
      return;
    }
    // Tuple unpacking: `args, rest = parser.parse_known_args()` binds an argparse namespace first.
    bool known_args = false;
    if (is(right, "call")) {
      TSNode fn = field(right, "function");
      if (is(fn, "attribute")) known_args = node_text(field(fn, "attribute")) == "parse_known_args";
    }
    bind_targets_opaque(scope, left, known_args);
  }

  void record_import(TSNode node, ScopeId scope) {
    if (is(node, "import_statement")) {
      uint32_t n = ts_node_named_child_count(node);
      for (uint32_t i = 0; i < n; ++i) {
        TSNode c = ts_node_named_child(node, i);
        Binding b;
        b.kind = BindingKind::Import;
        if (is(c, "aliased_import")) {
          b.path = node_text(field(c, "name"));
          bind(scope, node_text(field(c, "alias")), b);
        } else if (is(c, "dotted_name")) {
          std::string full = node_text(c);
          std::string first = full.substr(0, full.find('.'));
          b.path = first;
          bind(scope, first, b);
        }
      }
      return;
    }
    // from X import a, b as c
    TSNode mod = field(node, "module_name");
    std::string base = ts_node_is_null(mod) ? "" : node_text(mod);
    uint32_t n = ts_node_named_child_count(node);
    for (uint32_t i = 0; i < n; ++i) {
      TSNode c = ts_node_named_child(node, i);
      if (ts_node_eq(c, mod)) continue;
      Binding b;
      b.kind = BindingKind::Import;
      if (is(c, "aliased_import")) {
        b.path = base + "." + node_text(field(c, "name"));
        bind(scope, node_text(field(c, "alias")), b);
      } else if (is(c, "dotted_name")) {
        std::string name = node_text(c);
        b.path = base + "." + name;
        bind(scope, name, b);
      }
    }
  }

  void record_parameters(TSNode params, ScopeId scope) {
    if (ts_node_is_null(params)) return;
    uint32_t n = ts_node_named_child_count(params);
    for (uint32_t i = 0; i < n; ++i) {
      TSNode p = ts_node_named_child(params, i);
      TSNode name{};
      if (is(p, "identifier")) name = p;
      else if (is(p, "default_parameter") || is(p, "typed_default_parameter")) name = field(p, "name");
      else if (is(p, "typed_parameter") || is(p, "list_splat_pattern") || is(p, "dictionary_splat_pattern")) {
        for (uint32_t j = 0; j < ts_node_named_child_count(p); ++j) {
          TSNode c = ts_node_named_child(p, j);
          if (is(c, "identifier")) { name = c; break; }
          if (is(c, "list_splat_pattern") || is(c, "dictionary_splat_pattern")) {
            if (ts_node_named_child_count(c) > 0) name = ts_node_named_child(c, 0);
            break;
          }
        }
      }
      if (!ts_node_is_null(name) && is(name, "identifier")) {
        Binding b;
        b.kind = BindingKind::Parameter;
        b.path = node_text(name);
        bind(scope, node_text(name), b);
      }
    }
  }

  void walk(TSNode node, ScopeId scope, int depth) {
    if (depth > kMaxWalkDepth) {
      if (!module.too_deep_) {
        module.too_deep_ = true;
        module.problems_.push_back({src.position_from_offset(ts_node_start_byte(node)),
                                    "nesting deeper than " + std::to_string(kMaxWalkDepth) +
                                        " levels; the deeper part was not analysed"});
      }
      return;
    }
    // Code inside a syntax error is not trusted: it may be a misparse.
    if (is_error_node(node) || ts_node_is_missing(node)) return;
    const char* type = ts_node_type(node);

    if (std::strcmp(type, "function_definition") == 0 || std::strcmp(type, "lambda") == 0) {
      TSNode name = field(node, "name");
      if (!ts_node_is_null(name)) {
        Binding b;
        b.kind = BindingKind::Definition;
        b.path = node_text(name);
        bind(scope, node_text(name), b);
      }
      // Defaults and decorators are evaluated in the enclosing scope.
      TSNode params = field(node, "parameters");
      if (!ts_node_is_null(params)) {
        uint32_t n = ts_node_named_child_count(params);
        for (uint32_t i = 0; i < n; ++i) {
          TSNode v = field(ts_node_named_child(params, i), "value");
          if (!ts_node_is_null(v)) walk(v, scope, depth + 1);
        }
      }
      ScopeId inner = new_scope(scope, false);
      record_parameters(params, inner);
      TSNode body = field(node, "body");
      if (!ts_node_is_null(body)) walk(body, inner, depth + 1);
      return;
    }
    if (std::strcmp(type, "class_definition") == 0) {
      TSNode name = field(node, "name");
      if (!ts_node_is_null(name)) {
        Binding b;
        b.kind = BindingKind::Definition;
        b.path = node_text(name);
        bind(scope, node_text(name), b);
      }
      TSNode supers = field(node, "superclasses");
      if (!ts_node_is_null(supers)) walk(supers, scope, depth + 1);
      ScopeId inner = new_scope(scope, true);
      TSNode body = field(node, "body");
      if (!ts_node_is_null(body)) walk(body, inner, depth + 1);
      return;
    }
    if (std::strcmp(type, "global_statement") == 0 || std::strcmp(type, "nonlocal_statement") == 0) {
      uint32_t n = ts_node_named_child_count(node);
      for (uint32_t i = 0; i < n; ++i) {
        TSNode c = ts_node_named_child(node, i);
        std::string name = node_text(c);
        if (type[0] == 'g') {
          scopes[scope].globals.insert(name);
        } else {
          // nonlocal: the enclosing binding is rebound somewhere we do not follow.
          bind(scopes[scope].parent, name, Binding{});
        }
      }
      return;
    }
    if (std::strcmp(type, "assignment") == 0 || std::strcmp(type, "augmented_assignment") == 0) {
      record_assignment(node, scope);
    } else if (std::strcmp(type, "import_statement") == 0 || std::strcmp(type, "import_from_statement") == 0) {
      record_import(node, scope);
      return;
    } else if (std::strcmp(type, "for_statement") == 0) {
      bind_targets_opaque(scope, field(node, "left"));
    } else if (std::strcmp(type, "with_item") == 0 || std::strcmp(type, "as_pattern") == 0) {
      TSNode alias = field(node, "alias");
      if (!ts_node_is_null(alias)) {
        if (is(alias, "as_pattern_target") && ts_node_named_child_count(alias) > 0)
          alias = ts_node_named_child(alias, 0);
        bind_targets_opaque(scope, alias);
      }
    } else if (std::strcmp(type, "named_expression") == 0) {
      bind_targets_opaque(scope, field(node, "name"));
    } else if (std::strcmp(type, "except_clause") == 0) {
      // `except E as name`: in this grammar the alias is an identifier after `as`.
      uint32_t n = ts_node_child_count(node);
      for (uint32_t i = 0; i + 1 < n; ++i)
        if (std::strcmp(ts_node_type(ts_node_child(node, i)), "as") == 0)
          bind_targets_opaque(scope, ts_node_child(node, i + 1));
    } else if (std::strcmp(type, "delete_statement") == 0) {
      uint32_t n = ts_node_named_child_count(node);
      for (uint32_t i = 0; i < n; ++i) {
        TSNode c = ts_node_named_child(node, i);
        if (is(c, "subscript") && is(field(c, "value"), "identifier")) {
          Mutation m;
          m.kind = Mutation::Destroy;
          m.scope = scope;
          mutations[node_text(field(c, "value"))].push_back(m);
        }
      }
    } else if (std::strcmp(type, "call") == 0) {
      call_nodes.emplace_back(node, scope);
      scope_of_call[node_key(node)] = scope;
      TSNode fn = field(node, "function");
      if (is(fn, "attribute")) {
        std::string method = node_text(field(fn, "attribute"));
        TSNode obj = field(fn, "object");
        if (method == "add_argument") add_argument_nodes.emplace_back(node, scope);
        if (is(obj, "identifier")) {
          static const std::set<std::string> kMutators = {"update", "pop", "popitem", "clear", "setdefault"};
          if (kMutators.count(method)) {
            Mutation m;
            m.kind = method == "update" ? Mutation::Update : Mutation::Destroy;
            m.scope = scope;
            m.value = node;
            mutations[node_text(obj)].push_back(m);
          }
        }
      }
    } else if (std::strcmp(type, "list_comprehension") == 0 || std::strcmp(type, "dictionary_comprehension") == 0 ||
               std::strcmp(type, "set_comprehension") == 0 || std::strcmp(type, "generator_expression") == 0) {
      // Comprehension variables live in their own scope.
      ScopeId inner = new_scope(scope, false);
      std::vector<TSNode> children = named_children(node);
      for (TSNode c : children)
        if (is(c, "for_in_clause")) bind_targets_opaque(inner, field(c, "left"));
      for (TSNode c : children) walk(c, inner, depth + 1);
      return;
    }

    for (TSNode c : named_children(node)) walk(c, scope, depth + 1);
  }

  // ---- Name resolution ------------------------------------------------------------------------

  // The scope whose binding of `name` is visible from `scope`, or nullopt for a free name.
  std::optional<ScopeId> resolving_scope(ScopeId scope, const std::string& name) const {
    ScopeId s = scope;
    for (int guard = 0; guard < 256; ++guard) {
      if (scopes[s].bindings.count(name)) return s;
      if (s == 0) return std::nullopt;
      s = scopes[s].parent;
    }
    return std::nullopt;
  }

  const std::vector<Binding>* lookup(ScopeId scope, const std::string& name, ScopeId* found) const {
    auto s = resolving_scope(scope, name);
    if (!s) return nullptr;
    if (found) *found = *s;
    return &scopes[*s].bindings.at(name);
  }

  // ---- Evaluation -------------------------------------------------------------------------------

  static ValuePtr unknown_at(Range r) {
    auto v = std::make_shared<Value>();
    v->range = r;
    return v;
  }

  ValuePtr make(ValueKind kind, TSNode n) {
    auto v = std::make_shared<Value>();
    v->kind = kind;
    v->range = range_of(n);
    return v;
  }

  ValuePtr evaluate(TSNode n, ScopeId scope, int depth) {
    if (ts_node_is_null(n)) return unknown_at({});
    if (depth > kMaxEvalDepth) return unknown_at(range_of(n));
    uint64_t key = node_key(n);
    if (auto it = memo.find(key); it != memo.end()) return it->second;
    if (in_progress.count(key)) return unknown_at(range_of(n));  // a cycle: a = b; b = a
    in_progress.insert(key);
    ValuePtr v = evaluate_uncached(n, scope, depth);
    in_progress.erase(key);
    memo[key] = v;
    return v;
  }

  std::string decode_string_content(const std::string& raw, bool is_raw) const {
    if (is_raw || raw.find('\\') == std::string::npos) return raw;
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      char c = raw[i];
      if (c != '\\' || i + 1 >= raw.size()) { out += c; continue; }
      char e = raw[++i];
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case '\\': out += '\\'; break;
        case '\'': out += '\''; break;
        case '"': out += '"'; break;
        case '\n': break;  // line continuation inside a string
        default: out += '\\'; out += e; break;
      }
    }
    return out;
  }

  ValuePtr evaluate_string(TSNode n, ScopeId scope, int depth) {
    std::string prefix;
    std::string out;
    bool is_f = false, is_raw = false;
    uint32_t count = ts_node_child_count(n);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode c = ts_node_child(n, i);
      const char* t = ts_node_type(c);
      if (std::strcmp(t, "string_start") == 0) {
        for (char ch : node_text(c)) {
          if (ch == 'f' || ch == 'F') is_f = true;
          if (ch == 'r' || ch == 'R') is_raw = true;
          if (ch == 'b' || ch == 'B') return unknown_at(range_of(n));  // bytes are not text
        }
      } else if (std::strcmp(t, "string_content") == 0) {
        out += decode_string_content(node_text(c), is_raw);
      } else if (std::strcmp(t, "interpolation") == 0) {
        if (!is_f) return unknown_at(range_of(n));
        TSNode e = field(c, "expression");
        if (!ts_node_is_null(field(c, "format_specifier")) || !ts_node_is_null(field(c, "type_conversion")))
          return unknown_at(range_of(n));
        ValuePtr part = evaluate(e, scope, depth + 1);
        if (part->kind == ValueKind::String) out += part->text;
        else if (part->kind == ValueKind::Int) out += std::to_string(static_cast<long long>(part->number));
        else return unknown_at(range_of(n));
      } else if (std::strcmp(t, "escape_interpolation") == 0) {
        out += node_text(c).substr(0, 1);  // {{ -> {
      }
    }
    auto v = make(ValueKind::String, n);
    std::const_pointer_cast<Value>(v)->text = std::move(out);
    return v;
  }

  ValuePtr evaluate_number(TSNode n, bool is_float) {
    std::string t;
    for (char c : node_text(n))
      if (c != '_') t += c;
    auto v = std::make_shared<Value>();
    v->range = range_of(n);
    char* end = nullptr;
    std::string digits = t;  // outlives the parse: `end` points into it
    if (is_float) {
      if (!t.empty() && (t.back() == 'j' || t.back() == 'J')) return unknown_at(v->range);
      v->number = std::strtod(digits.c_str(), &end);
      v->kind = ValueKind::Float;
    } else {
      int base = 10;
      if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) base = 16, digits = t.substr(2);
      else if (t.size() > 2 && t[0] == '0' && (t[1] == 'o' || t[1] == 'O')) base = 8, digits = t.substr(2);
      else if (t.size() > 2 && t[0] == '0' && (t[1] == 'b' || t[1] == 'B')) base = 2, digits = t.substr(2);
      v->number = static_cast<double>(std::strtoll(digits.c_str(), &end, base));
      v->kind = ValueKind::Int;
    }
    if (end == nullptr || *end != '\0') return unknown_at(v->range);
    return v;
  }

  void add_keyword_entries(std::shared_ptr<Value>& dict, TSNode arglist, ScopeId scope, int depth) {
    uint32_t n = ts_node_named_child_count(arglist);
    for (uint32_t i = 0; i < n; ++i) {
      TSNode a = ts_node_named_child(arglist, i);
      if (is(a, "keyword_argument")) {
        TSNode name = field(a, "name");
        dict->entries.push_back({node_text(name), evaluate(field(a, "value"), scope, depth + 1), range_of(name), range_of(a)});
      } else if (is(a, "dictionary_splat")) {
        ValuePtr inner = ts_node_named_child_count(a) ? evaluate(ts_node_named_child(a, 0), scope, depth + 1) : nullptr;
        merge_dict(dict, inner);
      } else if (is(a, "comment")) {
        continue;
      } else {
        // dict(other_dict, k=v) or dict(pairs): the positional part is merged when it is a dict.
        ValuePtr inner = evaluate(a, scope, depth + 1);
        merge_dict(dict, inner);
      }
    }
  }

  static void merge_dict(std::shared_ptr<Value>& dict, const ValuePtr& other) {
    if (other && other->kind == ValueKind::Dict) {
      for (const auto& e : other->entries)
        if (dict->entries.size() < kMaxDictEntries) dict->entries.push_back(e);
      dict->dict_open = dict->dict_open || other->dict_open;
    } else {
      dict->dict_open = true;
    }
  }

  ValuePtr evaluate_dict_literal(TSNode n, ScopeId scope, int depth) {
    auto dict = std::make_shared<Value>();
    dict->kind = ValueKind::Dict;
    dict->range = range_of(n);
    for (TSNode c : named_children(n)) {
      if (is(c, "pair")) {
        TSNode k = field(c, "key");
        ValuePtr key = evaluate(k, scope, depth + 1);
        if (key->kind != ValueKind::String) {
          dict->dict_open = true;
          continue;
        }
        if (dict->entries.size() < kMaxDictEntries)
          dict->entries.push_back({key->text, evaluate(field(c, "value"), scope, depth + 1), range_of(k), range_of(c)});
      } else if (is(c, "dictionary_splat")) {
        ValuePtr inner = ts_node_named_child_count(c) ? evaluate(ts_node_named_child(c, 0), scope, depth + 1) : nullptr;
        merge_dict(dict, inner);
      }
    }
    return dict;
  }

  // A dict bound once to `name` in scope `s`, with its item assignments and .update() calls
  // applied (flow-insensitively). A key written with different values becomes unknown.
  ValuePtr apply_mutations(ValuePtr base, const std::string& name, ScopeId s, int depth) {
    auto it = mutations.find(name);
    if (it == mutations.end() || base->kind != ValueKind::Dict) return base;
    auto dict = std::make_shared<Value>(*base);
    for (const Mutation& m : it->second) {
      auto owner = resolving_scope(m.scope, name);
      if (!owner || *owner != s) continue;
      if (m.kind == Mutation::Destroy) return unknown_at(base->range);
      if (m.kind == Mutation::SetItem) {
        ValuePtr key = evaluate(m.key, m.scope, depth + 1);
        if (key->kind != ValueKind::String) {
          dict->dict_open = true;
          continue;
        }
        TSNode assignment_left = ts_node_parent(m.key);
        dict->entries.push_back(
            {key->text, evaluate(m.value, m.scope, depth + 1), range_of(assignment_left), range_of(ts_node_parent(assignment_left))});
      } else {
        TSNode args = field(m.value, "arguments");
        if (!ts_node_is_null(args)) add_keyword_entries(dict, args, m.scope, depth);
      }
    }
    // Keys written more than once with different values are not statically known.
    std::map<std::string, std::vector<const DictEntry*>> by_key;
    for (const auto& e : dict->entries) by_key[e.key].push_back(&e);
    std::vector<DictEntry> merged;
    for (const auto& e : dict->entries) {
      const auto& writes = by_key[e.key];
      if (writes.size() == 1) { merged.push_back(e); continue; }
      if (&e != writes.back()) continue;
      bool all_same = true;
      for (const DictEntry* w : writes) {
        const Value& a = *w->value;
        const Value& b = *writes.front()->value;
        if (a.kind != b.kind || a.boolean != b.boolean || a.number != b.number || a.text != b.text ||
            a.kind == ValueKind::Unknown || a.kind == ValueKind::Dict || a.kind == ValueKind::Call)
          all_same = false;
      }
      DictEntry last = e;
      if (!all_same) last.value = unknown_at(e.value->range);
      merged.push_back(last);
    }
    dict->entries = std::move(merged);
    return dict;
  }

  ValuePtr evaluate_identifier(TSNode n, ScopeId scope, int depth) {
    std::string name = node_text(n);
    ScopeId found = 0;
    const std::vector<Binding>* bindings = lookup(scope, name, &found);
    if (!bindings) {
      // A free name (builtin or defined elsewhere): known only by its spelling.
      auto v = make(ValueKind::Name, n);
      std::const_pointer_cast<Value>(v)->text = name;
      return v;
    }
    if (bindings->size() != 1) return unknown_at(range_of(n));
    const Binding& b = bindings->front();
    switch (b.kind) {
      case BindingKind::Assign: {
        ValuePtr v = evaluate(b.value, found, depth + 1);
        return apply_mutations(v, name, found, depth);
      }
      case BindingKind::Import: {
        auto v = make(ValueKind::Name, n);
        std::const_pointer_cast<Value>(v)->text = b.path;
        return v;
      }
      case BindingKind::Definition: {
        auto v = make(ValueKind::Name, n);
        std::const_pointer_cast<Value>(v)->text = b.path;
        return v;
      }
      default:
        return unknown_at(range_of(n));
    }
  }

  bool is_argparse_namespace(TSNode obj, ScopeId scope) {
    if (!is(obj, "identifier")) return false;
    std::string name = node_text(obj);
    ScopeId found = 0;
    const std::vector<Binding>* bindings = lookup(scope, name, &found);
    if (!bindings) return false;
    if (bindings->size() != 1) return false;
    const Binding& b = bindings->front();
    if (b.argparse_namespace) return true;
    if (b.kind == BindingKind::Assign && is(b.value, "call")) {
      TSNode fn = field(b.value, "function");
      return is(fn, "attribute") && node_text(field(fn, "attribute")) == "parse_args";
    }
    // A function parameter conventionally holding the parsed options: def main(args): ...
    static const std::set<std::string> kNamespaceParams = {"args", "opt", "opts", "flags", "cli_args"};
    return b.kind == BindingKind::Parameter && kNamespaceParams.count(name) > 0;
  }

  void ensure_argparse() {
    if (argparse_ready) return;
    argparse_ready = true;
    for (auto& [node, scope] : add_argument_nodes) {
      Call* call = build_call(node, scope, 1);
      std::string dest;
      if (const Keyword* d = call->keyword("dest"); d && d->value->kind == ValueKind::String) dest = d->value->text;
      std::string first_short;
      for (const auto& a : call->args) {
        if (a->kind != ValueKind::String) continue;
        const std::string& opt = a->text;
        if (!dest.empty()) break;
        if (opt.rfind("--", 0) == 0) {
          dest = opt.substr(2);
        } else if (opt.rfind("-", 0) == 0) {
          if (first_short.empty()) first_short = opt.substr(1);
        } else {
          dest = opt;
        }
      }
      if (dest.empty()) dest = first_short;
      if (dest.empty()) continue;
      for (char& c : dest)
        if (c == '-') c = '_';
      const Keyword* def = call->keyword("default");
      module.argparse_.push_back({dest, def ? def->value : unknown_at(call->range)});
    }
  }

  ValuePtr evaluate_attribute(TSNode n, ScopeId scope, int depth) {
    TSNode obj = field(n, "object");
    std::string attr = node_text(field(n, "attribute"));
    if (is_argparse_namespace(obj, scope)) {
      ensure_argparse();
      ValuePtr found;
      int matches = 0;
      for (const auto& o : module.argparse_)
        if (o.dest == attr) {
          ++matches;
          found = o.default_value;
        }
      // One option with that name: its default is what runs unless the user overrides it.
      if (matches == 1 && found) return found;
      return unknown_at(range_of(n));
    }
    ValuePtr base = evaluate(obj, scope, depth + 1);
    if (base->kind == ValueKind::Name) {
      auto v = make(ValueKind::Name, n);
      std::const_pointer_cast<Value>(v)->text = base->text + "." + attr;
      return v;
    }
    return unknown_at(range_of(n));
  }

  ValuePtr evaluate_uncached(TSNode n, ScopeId scope, int depth) {
    const char* t = ts_node_type(n);
    if (std::strcmp(t, "parenthesized_expression") == 0)
      return ts_node_named_child_count(n) == 1 ? evaluate(ts_node_named_child(n, 0), scope, depth + 1)
                                               : unknown_at(range_of(n));
    if (std::strcmp(t, "true") == 0 || std::strcmp(t, "false") == 0) {
      auto v = make(ValueKind::Bool, n);
      std::const_pointer_cast<Value>(v)->boolean = t[0] == 't';
      return v;
    }
    if (std::strcmp(t, "none") == 0) return make(ValueKind::None, n);
    if (std::strcmp(t, "integer") == 0) return evaluate_number(n, false);
    if (std::strcmp(t, "float") == 0) return evaluate_number(n, true);
    if (std::strcmp(t, "string") == 0) return evaluate_string(n, scope, depth);
    if (std::strcmp(t, "concatenated_string") == 0) {
      std::string out;
      for (TSNode c : named_children(n)) {
        ValuePtr part = evaluate(c, scope, depth + 1);
        if (part->kind != ValueKind::String) return unknown_at(range_of(n));
        out += part->text;
      }
      auto v = make(ValueKind::String, n);
      std::const_pointer_cast<Value>(v)->text = std::move(out);
      return v;
    }
    if (std::strcmp(t, "unary_operator") == 0) {
      TSNode op = field(n, "operator");
      ValuePtr arg = evaluate(field(n, "argument"), scope, depth + 1);
      if (!arg->is_number()) return unknown_at(range_of(n));
      std::string o = node_text(op);
      if (o != "-" && o != "+") return unknown_at(range_of(n));
      auto v = std::make_shared<Value>(*arg);
      v->range = range_of(n);
      if (o == "-") v->number = -v->number;
      return v;
    }
    if (std::strcmp(t, "binary_operator") == 0) {
      ValuePtr l = evaluate(field(n, "left"), scope, depth + 1);
      ValuePtr r = evaluate(field(n, "right"), scope, depth + 1);
      if (node_text(field(n, "operator")) == "+" && l->kind == ValueKind::String && r->kind == ValueKind::String) {
        auto v = make(ValueKind::String, n);
        std::const_pointer_cast<Value>(v)->text = l->text + r->text;
        return v;
      }
      return unknown_at(range_of(n));
    }
    if (std::strcmp(t, "identifier") == 0) return evaluate_identifier(n, scope, depth);
    if (std::strcmp(t, "attribute") == 0) return evaluate_attribute(n, scope, depth);
    if (std::strcmp(t, "dictionary") == 0) return evaluate_dict_literal(n, scope, depth);
    if (std::strcmp(t, "list") == 0 || std::strcmp(t, "tuple") == 0) {
      auto v = make(ValueKind::List, n);
      auto mv = std::const_pointer_cast<Value>(v);
      for (TSNode c : named_children(n)) {
        if (mv->items.size() >= kMaxDictEntries) break;
        mv->items.push_back(evaluate(c, scope, depth + 1));
      }
      return v;
    }
    if (std::strcmp(t, "call") == 0) {
      Call* call = build_call(n, scope, depth + 1);
      if (call->callee == "dict" && !lookup(scope, "dict", nullptr)) {
        auto dict = std::make_shared<Value>();
        dict->kind = ValueKind::Dict;
        dict->range = range_of(n);
        TSNode args = field(n, "arguments");
        if (!ts_node_is_null(args)) add_keyword_entries(dict, args, scope, depth);
        return dict;
      }
      // d.copy() and copy.deepcopy(d) keep the dict's value.
      if (call->method == "copy" || call->method == "deepcopy") {
        TSNode fn = field(n, "function");
        if (call->method == "copy" && is(fn, "attribute")) {
          ValuePtr base = evaluate(field(fn, "object"), scope, depth + 1);
          if (base->kind == ValueKind::Dict) return base;
        } else if (call->args.size() == 1 && call->args[0]->kind == ValueKind::Dict) {
          return call->args[0];
        }
      }
      auto v = make(ValueKind::Call, n);
      std::const_pointer_cast<Value>(v)->call = call;
      return v;
    }
    return unknown_at(range_of(n));
  }

  // ---- Calls --------------------------------------------------------------------------------------

  std::string callee_of(TSNode fn, ScopeId scope, int depth) {
    if (is(fn, "identifier") || is(fn, "attribute")) {
      ValuePtr v = evaluate(fn, scope, depth + 1);
      if (v->kind == ValueKind::Name) return v->text;
      if (is(fn, "attribute")) {
        // Method on something dynamic: keep the method name so rules can still see it.
        return "?." + node_text(field(fn, "attribute"));
      }
    }
    return "";
  }

  Call* build_call(TSNode n, ScopeId scope, int depth) {
    uint64_t key = node_key(n);
    if (auto it = built_calls.find(key); it != built_calls.end()) return it->second;
    auto call = std::make_unique<Call>();
    Call* raw = call.get();
    built_calls[key] = raw;  // before evaluating arguments: recursion sees the same object
    module.calls_.push_back(std::move(call));
    if (auto it = scope_of_call.find(key); it != scope_of_call.end()) scope = it->second;

    TSNode fn = field(n, "function");
    raw->range = range_of(n);
    raw->callee_range = range_of(fn);
    raw->start_byte = ts_node_start_byte(n);
    raw->end_byte = ts_node_end_byte(n);
    raw->callee = callee_of(fn, scope, depth);
    raw->method = last_segment(raw->callee);
    TSNode args = field(n, "arguments");
    if (ts_node_is_null(args) || !is(args, "argument_list")) return raw;  // generator argument etc.
    uint32_t count = ts_node_named_child_count(args);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode a = ts_node_named_child(args, i);
      if (is(a, "keyword_argument")) {
        TSNode name = field(a, "name");
        raw->keywords.push_back({node_text(name), evaluate(field(a, "value"), scope, depth + 1), range_of(name), range_of(a), false});
      } else if (is(a, "dictionary_splat")) {
        ValuePtr d = ts_node_named_child_count(a) ? evaluate(ts_node_named_child(a, 0), scope, depth + 1) : nullptr;
        if (d && d->kind == ValueKind::Dict) {
          for (const auto& e : d->entries) raw->keywords.push_back({e.key, e.value, e.key_range, e.range, true});
          if (d->dict_open) raw->has_unknown_kwargs = true;
        } else {
          raw->has_unknown_kwargs = true;
        }
      } else if (is(a, "list_splat")) {
        raw->has_unknown_args = true;
      } else if (is(a, "comment")) {
        continue;
      } else {
        raw->args.push_back(evaluate(a, scope, depth + 1));
      }
    }
    return raw;
  }

  void first_syntax_error(TSNode root) {
    if (!ts_node_has_error(root)) return;
    // Find the first ERROR or MISSING node, iteratively.
    TSTreeCursor cursor = ts_tree_cursor_new(root);
    int guard = 0;
    for (;;) {
      TSNode n = ts_tree_cursor_current_node(&cursor);
      if (is_error_node(n) || ts_node_is_missing(n)) {
        module.problems_.push_back({src.position_from_offset(ts_node_start_byte(n)),
                                    ts_node_is_missing(n) ? std::string("syntax error: missing ") + ts_node_type(n)
                                                          : "syntax error"});
        break;
      }
      if (ts_node_has_error(n) && ts_tree_cursor_goto_first_child(&cursor)) continue;
      bool moved = false;
      while (!(moved = ts_tree_cursor_goto_next_sibling(&cursor))) {
        if (!ts_tree_cursor_goto_parent(&cursor)) break;
      }
      if (!moved || ++guard > 1000000) break;
    }
    ts_tree_cursor_delete(&cursor);
  }
};

Module::~Module() = default;

// ---- Call syntax: loops, enclosing functions and the names expressions read ---------------------
// A second, read-only walk over the tree once the calls are built. Kept apart from Impl's walk so
// the value analysis above stays independent of it.

struct SyntaxBuilder {
  Module::Impl& impl;
  Module& module;
  std::vector<Loop*> open_loops;  // innermost last; emptied at each function boundary
  const FunctionInfo* function = nullptr;
  std::map<const Loop*, TSNode> unevaluated_iterables;

  static constexpr int kMaxExpressionNodes = 4096;
  // Bounds for pathological files: assignments remembered per loop, loops remembered per call.
  // Cutting either only loses facts (a rule sees fewer derived names), never invents them.
  static constexpr std::size_t kMaxLoopAssignments = 4096;
  static constexpr std::size_t kMaxLoopsPerCall = 16;

  SyntaxBuilder(Module::Impl& i, Module& m) : impl(i), module(m) {}

  static void add_unique(std::vector<std::string>& names, std::string name) {
    for (const auto& n : names)
      if (n == name) return;
    names.push_back(std::move(name));
  }

  void collect_reads(TSNode n, ExpressionFacts& out, bool in_slice, int depth, int& budget) {
    if (ts_node_is_null(n) || depth > kMaxWalkDepth || --budget < 0) return;
    if (is(n, "identifier")) {
      add_unique(out.reads, impl.node_text(n));
      if (in_slice) add_unique(out.slice_reads, impl.node_text(n));
      return;
    }
    if (is(n, "attribute")) {
      collect_reads(impl.field(n, "object"), out, in_slice, depth + 1, budget);
      return;
    }
    if (is(n, "keyword_argument")) {
      collect_reads(impl.field(n, "value"), out, in_slice, depth + 1, budget);
      return;
    }
    if (is(n, "slice")) {
      out.has_slice = true;
      in_slice = true;
    }
    for (TSNode c : named_children(n)) collect_reads(c, out, in_slice, depth + 1, budget);
  }

  ExpressionFacts expression(TSNode n) {
    ExpressionFacts f;
    if (ts_node_is_null(n)) return f;
    f.node_type = ts_node_type(n);
    f.text = impl.node_text(n);
    if (f.text.size() > kMaxExpressionText) f.text.resize(kMaxExpressionText);
    f.range = impl.range_of(n);
    f.start_byte = ts_node_start_byte(n);
    f.end_byte = ts_node_end_byte(n);
    int budget = kMaxExpressionNodes;
    collect_reads(n, f, false, 0, budget);
    return f;
  }

  // Names a target pattern binds (attribute and subscript targets bind none).
  void target_names(TSNode t, std::vector<std::string>& out, int depth) {
    if (ts_node_is_null(t) || depth > 32) return;
    if (is(t, "identifier")) {
      add_unique(out, impl.node_text(t));
      return;
    }
    if (is(t, "pattern_list") || is(t, "tuple_pattern") || is(t, "list_pattern") || is(t, "parenthesized_expression") ||
        is(t, "list_splat_pattern") || is(t, "tuple") || is(t, "list")) {
      uint32_t n = ts_node_named_child_count(t);
      for (uint32_t i = 0; i < n; ++i) target_names(ts_node_named_child(t, i), out, depth + 1);
    }
  }

  void record_assignment(std::vector<std::string> targets, TSNode value) {
    if (open_loops.empty() || targets.empty() || ts_node_is_null(value)) return;
    LoopAssignment a{std::move(targets), expression(value)};
    for (Loop* l : open_loops)
      if (l->assignments.size() < kMaxLoopAssignments) l->assignments.push_back(a);
  }

  Loop* new_loop(Loop::Kind kind, TSNode node, TSNode iterable) {
    auto loop = std::make_unique<Loop>();
    loop->kind = kind;
    loop->range = impl.range_of(node);
    loop->iterable = expression(iterable);
    loop->iterable_value = Module::Impl::unknown_at(loop->iterable.range);
    if (kind != Loop::While && !ts_node_is_null(iterable)) unevaluated_iterables[loop.get()] = iterable;
    // Iterating standard input is an interactive loop.
    if (loop->iterable.text.find("stdin") != std::string::npos) loop->reads_input = true;
    Loop* raw = loop.get();
    module.loops_.push_back(std::move(loop));
    return raw;
  }

  static bool reads_input_call(const std::string& fn) {
    static const char* const kExact[] = {"input", "raw_input", "getpass", "getpass.getpass"};
    for (const char* e : kExact)
      if (fn == e) return true;
    static const char* const kSuffixes[] = {"stdin.readline", "stdin.read", "Prompt.ask", "console.input", "chat_input"};
    for (const char* s : kSuffixes) {
      std::size_t n = std::strlen(s);
      if (fn.size() >= n && fn.compare(fn.size() - n, n, s) == 0) return true;
    }
    return false;
  }

  void record_call(TSNode node) {
    TSNode fn = impl.field(node, "function");
    if (!open_loops.empty() && reads_input_call(impl.node_text(fn)))
      for (Loop* l : open_loops) l->reads_input = true;
    auto it = impl.built_calls.find(node_key(node));
    if (it == impl.built_calls.end()) return;
    const Call* call = it->second;
    ScopeId scope = 0;
    if (auto s = impl.scope_of_call.find(node_key(node)); s != impl.scope_of_call.end()) scope = s->second;

    for (Loop* l : open_loops) {
      auto pending = unevaluated_iterables.find(l);
      if (pending == unevaluated_iterables.end()) continue;
      l->iterable_value = impl.evaluate(pending->second, scope, 1);
      unevaluated_iterables.erase(pending);
    }

    CallSyntax cs;
    for (auto l = open_loops.rbegin(); l != open_loops.rend() && cs.loops.size() < kMaxLoopsPerCall; ++l)
      cs.loops.push_back(*l);
    cs.function = function;
    cs.callee = expression(fn);
    cs.callee_value = impl.evaluate(fn, scope, 1);
    if (is(fn, "attribute")) cs.receiver_value = impl.evaluate(impl.field(fn, "object"), scope, 1);
    TSNode args = impl.field(node, "arguments");
    if (!ts_node_is_null(args) && is(args, "argument_list")) {
      uint32_t count = ts_node_named_child_count(args);
      for (uint32_t i = 0; i < count; ++i) {
        TSNode a = ts_node_named_child(args, i);
        if (is(a, "keyword_argument")) {
          cs.keywords.emplace_back(impl.node_text(impl.field(a, "name")), expression(impl.field(a, "value")));
        } else if (is(a, "dictionary_splat") || is(a, "list_splat")) {
          TSNode inner = ts_node_named_child_count(a) ? ts_node_named_child(a, 0) : TSNode{};
          cs.keywords.emplace_back(is(a, "dictionary_splat") ? "**" : "*", expression(inner));
        } else if (!is(a, "comment")) {
          cs.args.push_back(expression(a));
        }
      }
    }
    module.syntax_[call] = std::move(cs);
  }

  void walk_function(TSNode node, int depth) {
    auto info = std::make_unique<FunctionInfo>();
    TSNode name = impl.field(node, "name");
    if (!ts_node_is_null(name)) info->name = impl.node_text(name);
    info->range = impl.range_of(node);
    TSNode parent = ts_node_parent(node);
    if (is(parent, "decorated_definition")) {
      uint32_t n = ts_node_named_child_count(parent);
      for (uint32_t i = 0; i < n; ++i) {
        TSNode d = ts_node_named_child(parent, i);
        if (is(d, "decorator") && ts_node_named_child_count(d) > 0)
          info->decorators.push_back(expression(ts_node_named_child(d, 0)));
      }
    }
    TSNode params = impl.field(node, "parameters");
    if (!ts_node_is_null(params)) {
      uint32_t n = ts_node_named_child_count(params);
      for (uint32_t i = 0; i < n; ++i) {
        TSNode p = ts_node_named_child(params, i);
        if (is(p, "default_parameter") || is(p, "typed_default_parameter")) {
          target_names(impl.field(p, "name"), info->parameters, 0);
          walk(impl.field(p, "value"), depth + 1);  // defaults run in the enclosing context
        } else if (is(p, "identifier")) {
          target_names(p, info->parameters, 0);
        } else {
          for (uint32_t j = 0; j < ts_node_named_child_count(p); ++j)
            if (is(ts_node_named_child(p, j), "identifier")) {
              target_names(ts_node_named_child(p, j), info->parameters, 0);
              break;
            }
        }
      }
    }
    const FunctionInfo* raw = info.get();
    module.functions_.push_back(std::move(info));
    std::vector<Loop*> saved_loops;
    saved_loops.swap(open_loops);
    const FunctionInfo* saved_function = function;
    function = raw;
    walk(impl.field(node, "body"), depth + 1);
    function = saved_function;
    open_loops.swap(saved_loops);
  }

  void walk_children(TSNode node, int depth) {
    for (TSNode c : named_children(node)) walk(c, depth + 1);
  }

  void walk(TSNode node, int depth) {
    if (ts_node_is_null(node) || depth > kMaxWalkDepth) return;
    if (is_error_node(node) || ts_node_is_missing(node)) return;
    if (is(node, "function_definition") || is(node, "lambda")) {
      walk_function(node, depth);
      return;
    }
    if (is(node, "for_statement")) {
      TSNode left = impl.field(node, "left"), right = impl.field(node, "right");
      walk(right, depth + 1);
      std::vector<std::string> targets;
      target_names(left, targets, 0);
      record_assignment(targets, right);  // for an enclosing loop, these names derive from the iterable
      Loop* loop = new_loop(Loop::For, node, right);
      loop->targets = targets;
      open_loops.push_back(loop);
      walk(impl.field(node, "body"), depth + 1);
      open_loops.pop_back();
      walk(impl.field(node, "alternative"), depth + 1);
      return;
    }
    if (is(node, "while_statement")) {
      TSNode condition = impl.field(node, "condition");
      Loop* loop = new_loop(Loop::While, node, condition);
      open_loops.push_back(loop);
      walk(condition, depth + 1);
      walk(impl.field(node, "body"), depth + 1);
      open_loops.pop_back();
      walk(impl.field(node, "alternative"), depth + 1);
      return;
    }
    if (is(node, "list_comprehension") || is(node, "set_comprehension") || is(node, "dictionary_comprehension") ||
        is(node, "generator_expression")) {
      walk_comprehension(node, depth);
      return;
    }
    if (is(node, "assignment") || is(node, "augmented_assignment")) {
      std::vector<std::string> targets;
      target_names(impl.field(node, "left"), targets, 0);
      TSNode right = impl.field(node, "right");
      for (int chain = 0; chain < 64 && is(right, "assignment"); ++chain) {  // a = b = value
        target_names(impl.field(right, "left"), targets, 0);
        right = impl.field(right, "right");
      }
      record_assignment(targets, right);
    } else if (is(node, "named_expression")) {
      std::vector<std::string> targets;
      target_names(impl.field(node, "name"), targets, 0);
      record_assignment(targets, impl.field(node, "value"));
    } else if (is(node, "call")) {
      record_call(node);
    }
    walk_children(node, depth);
  }

  void walk_comprehension(TSNode node, int depth) {
    uint32_t n = ts_node_named_child_count(node);
    TSNode first{};
    for (uint32_t i = 0; i < n; ++i)
      if (is(ts_node_named_child(node, i), "for_in_clause")) {
        first = ts_node_named_child(node, i);
        break;
      }
    if (ts_node_is_null(first)) {
      walk_children(node, depth);
      return;
    }
    TSNode first_iterable = impl.field(first, "right");
    walk(first_iterable, depth + 1);  // the first iterable is evaluated outside the comprehension
    Loop* loop = new_loop(Loop::Comprehension, node, first_iterable);
    target_names(impl.field(first, "left"), loop->targets, 0);
    open_loops.push_back(loop);
    for (uint32_t i = 0; i < n; ++i) {
      TSNode c = ts_node_named_child(node, i);
      if (ts_node_eq(c, first)) continue;
      if (is(c, "for_in_clause")) {
        std::vector<std::string> targets;
        target_names(impl.field(c, "left"), targets, 0);
        record_assignment(targets, impl.field(c, "right"));
        walk(impl.field(c, "right"), depth + 1);
      } else {
        walk(c, depth + 1);
      }
    }
    open_loops.pop_back();
  }
};

const CallSyntax* Module::syntax(const Call& call) const {
  auto it = syntax_.find(&call);
  return it == syntax_.end() ? nullptr : &it->second;
}

std::unique_ptr<Module> Module::analyse(const SourceText& source) {
  std::unique_ptr<Module> module(new Module());
  module->source_ = &source;
  TSParser* parser = ts_parser_new();
  ts_parser_set_language(parser, tree_sitter_python());
  const std::string* text = &source.text();
  // tree-sitter counts rows at '\n' only, but Python (and SourceText) also end a line at a lone
  // '\r': parse a copy with those turned into '\n' (same length, so byte offsets are unchanged).
  std::string lf_text;
  for (std::size_t i = text->find('\r'); i != std::string::npos; i = text->find('\r', i + 1)) {
    if (i + 1 < text->size() && (*text)[i + 1] == '\n') continue;
    if (lf_text.empty()) lf_text = *text;
    lf_text[i] = '\n';
  }
  if (!lf_text.empty()) text = &lf_text;
  TSTree* tree = ts_parser_parse_string(parser, nullptr, text->data(), static_cast<uint32_t>(text->size()));
  ts_parser_delete(parser);
  if (!tree) {
    module->problems_.push_back({{1, 1}, "the Python parser gave up on this file"});
    return module;
  }
  module->tree_ = std::shared_ptr<void>(tree, [](void* t) { ts_tree_delete(static_cast<TSTree*>(t)); });
  TSNode root = ts_tree_root_node(tree);
  Impl impl(*module, source);
  impl.first_syntax_error(root);
  impl.walk(root, 0, 0);
  // Generated files can hold millions of calls; facts for the first kMaxCalls keep time and memory
  // bounded. Cutting facts can lose a finding, never invent one, and a note says so.
  if (impl.call_nodes.size() > kMaxCalls) {
    module->problems_.push_back({source.position_from_offset(ts_node_start_byte(impl.call_nodes[kMaxCalls].first)),
                                 "more than " + std::to_string(kMaxCalls) + " calls; calls from here on were not analysed"});
    impl.call_nodes.resize(kMaxCalls);
  }
  for (auto& [node, scope] : impl.call_nodes) impl.build_call(node, scope, 0);
  impl.ensure_argparse();
  SyntaxBuilder(impl, *module).walk(root, 0);
  return module;
}

}  // namespace ecolint::python
