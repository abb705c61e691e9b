// Pass 1 over the syntax tree: scopes (module, functions, lambdas, classes, comprehensions), the
// bindings of every name, item assignments and .update() calls on dicts, the calls of the module,
// and the first syntax error. Name lookup follows Python's scoping rules.
#include "python/impl.hpp"

#include <set>

namespace ecolint::python {

ScopeId Module::Impl::new_scope(ScopeId parent, bool is_class) {
  ScopeInfo info;
  // Names in a class body are not visible from its methods: methods look past the class.
  info.parent = scopes[parent].is_class ? scopes[parent].parent : parent;
  info.is_class = is_class;
  scopes.push_back(std::move(info));
  return static_cast<ScopeId>(scopes.size() - 1);
}

void Module::Impl::bind(ScopeId scope, const std::string& name, Binding b) {
  if (scopes[scope].globals.count(name)) scope = 0;
  scopes[scope].bindings[name].push_back(std::move(b));
}

void Module::Impl::bind_targets_opaque(ScopeId scope, TSNode target, bool argparse_first) {
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

void Module::Impl::record_assignment(TSNode node, ScopeId scope) {
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
  if (is(left, "attribute")) {
    // self.model_id = "..." in a method: an attribute of every instance of the class.
    TSNode obj = field(left, "object");
    const std::string& cls = scopes[scope].class_name;
    if (!cls.empty() && !scopes[scope].is_class && is(obj, "identifier") && node_text(obj) == "self")
      instance_attributes[cls + "." + node_text(field(left, "attribute"))].push_back({right, scope});
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

void Module::Impl::record_import(TSNode node, ScopeId scope) {
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

void Module::Impl::record_parameters(TSNode params, ScopeId scope, ScopeId outer, const std::string& function) {
  if (ts_node_is_null(params)) return;
  uint32_t n = ts_node_named_child_count(params);
  uint32_t position = 0;
  bool positional = true;  // parameters after * or **kwargs are keyword-only
  for (uint32_t i = 0; i < n; ++i) {
    TSNode p = ts_node_named_child(params, i);
    TSNode name{};
    TSNode default_value{};
    if (is(p, "identifier")) name = p;
    else if (is(p, "default_parameter") || is(p, "typed_default_parameter")) name = field(p, "name"), default_value = field(p, "value");
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
    if (is(p, "list_splat_pattern") || is(p, "dictionary_splat_pattern") || is(p, "keyword_separator")) positional = false;
    if (!ts_node_is_null(name) && is(name, "identifier")) {
      Binding b;
      b.kind = BindingKind::Parameter;
      b.path = node_text(name);
      b.value = default_value;
      b.node = p;
      b.function = function;
      b.owner_class = scopes[scope].class_name;
      b.position = positional ? position : UINT32_MAX;
      b.outer = outer;
      // *args and **kwargs are never followed to call sites.
      if (is(p, "list_splat_pattern") || is(p, "dictionary_splat_pattern")) b.function.clear();
      bind(scope, node_text(name), b);
    }
    ++position;
  }
}

void Module::Impl::walk(TSNode node, ScopeId scope, int depth) {
  if (depth > kMaxWalkDepth) {
    if (!too_deep) {
      too_deep = true;
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
    ScopeId inner = new_scope(scope, false);
    if (scopes[scope].is_class) scopes[inner].class_name = scopes[scope].class_name;  // a method
    if (!ts_node_is_null(name)) {
      Binding b;
      b.kind = BindingKind::Definition;
      b.path = node_text(name);
      b.node = node;
      b.inner = inner;
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
    record_parameters(params, inner, scope, ts_node_is_null(name) ? std::string() : node_text(name));
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
    if (!ts_node_is_null(name)) scopes[inner].class_name = node_text(name);
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

std::optional<ScopeId> Module::Impl::resolving_scope(ScopeId scope, const std::string& name) const {
  ScopeId s = scope;
  for (int guard = 0; guard < 256; ++guard) {
    if (scopes[s].bindings.count(name)) return s;
    if (s == 0) return std::nullopt;
    s = scopes[s].parent;
  }
  return std::nullopt;
}

const std::vector<Binding>* Module::Impl::lookup(ScopeId scope, const std::string& name, ScopeId* found) const {
  auto s = resolving_scope(scope, name);
  if (!s) return nullptr;
  if (found) *found = *s;
  return &scopes[*s].bindings.at(name);
}

void Module::Impl::first_syntax_error(TSNode root) {
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

}  // namespace ecolint::python
