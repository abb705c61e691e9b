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
  if (is(target, T::identifier)) {
    Binding b;
    b.argparse_namespace = argparse_first;
    bind(scope, node_text(target), b);
    return;
  }
  if (is(target, T::pattern_list) || is(target, T::tuple_pattern) || is(target, T::list_pattern) ||
      is(target, T::parenthesized_expression) || is(target, T::list_splat_pattern) || is(target, T::tuple) ||
      is(target, T::list)) {
    const NodeList parts = named_children(target);
    for (std::size_t i = 0; i < parts.size(); ++i) bind_targets_opaque(scope, parts[i], argparse_first && i == 0);
  }
  // Attribute and subscript targets bind no name.
}

void Module::Impl::record_assignment(TSNode node, ScopeId scope) {
  TSNode left = field(node, F::left);
  TSNode right = field(node, F::right);
  if (ts_node_is_null(left)) return;
  if (is(node, T::augmented_assignment)) {
    bind_targets_opaque(scope, left);
    return;
  }
  if (ts_node_is_null(right)) return;  // annotation only: x: int
  if (is(left, T::identifier)) {
    Binding b;
    b.kind = BindingKind::Assign;
    b.value = is(right, T::assignment) ? field(right, F::right) : right;  // a = b = value
    bind(scope, node_text(left), b);
    if (is(right, T::assignment)) record_assignment(right, scope);
    return;
  }
  if (is(left, T::attribute)) {
    // self.model_id = "..." in a method: an attribute of every instance of the class.
    TSNode obj = field(left, F::object);
    const std::string& cls = scopes[scope].class_name;
    if (!cls.empty() && !scopes[scope].is_class && is(obj, T::identifier) && node_text(obj) == "self")
      instance_attributes[cls + "." + node_text(field(left, F::attribute))].push_back({right, scope});
    return;
  }
  if (is(left, T::subscript)) {
    TSNode obj = field(left, F::value);
    TSNode key = field(left, F::subscript);
    if (is(obj, T::identifier) && !ts_node_is_null(key)) {
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
  if (is(right, T::call)) {
    TSNode fn = field(right, F::function);
    if (is(fn, T::attribute)) known_args = node_text(field(fn, F::attribute)) == "parse_known_args";
  }
  bind_targets_opaque(scope, left, known_args);
}

void Module::Impl::record_import(TSNode node, ScopeId scope) {
  if (is(node, T::import_statement)) {
    for (TSNode c : named_children(node)) {
      Binding b;
      b.kind = BindingKind::Import;
      if (is(c, T::aliased_import)) {
        b.path = node_text(field(c, F::name));
        bind(scope, node_text(field(c, F::alias)), b);
      } else if (is(c, T::dotted_name)) {
        std::string full = node_text(c);
        std::string first = full.substr(0, full.find('.'));
        b.path = first;
        bind(scope, first, b);
      }
    }
    return;
  }
  // from X import a, b as c
  TSNode mod = field(node, F::module_name);
  std::string base = ts_node_is_null(mod) ? "" : node_text(mod);
  for (TSNode c : named_children(node)) {
    if (ts_node_eq(c, mod)) continue;
    Binding b;
    b.kind = BindingKind::Import;
    if (is(c, T::aliased_import)) {
      b.path = base + "." + node_text(field(c, F::name));
      bind(scope, node_text(field(c, F::alias)), b);
    } else if (is(c, T::dotted_name)) {
      std::string name = node_text(c);
      b.path = base + "." + name;
      bind(scope, name, b);
    }
  }
}

void Module::Impl::record_parameters(TSNode params, ScopeId scope, ScopeId outer, const std::string& function) {
  if (ts_node_is_null(params)) return;
  uint32_t position = 0;
  bool positional = true;  // parameters after * or **kwargs are keyword-only
  for (TSNode p : named_children(params)) {
    TSNode name{};
    TSNode default_value{};
    if (is(p, T::identifier)) name = p;
    else if (is(p, T::default_parameter) || is(p, T::typed_default_parameter)) name = field(p, F::name), default_value = field(p, F::value);
    else if (is(p, T::typed_parameter) || is(p, T::list_splat_pattern) || is(p, T::dictionary_splat_pattern)) {
      for (uint32_t j = 0; j < ts_node_named_child_count(p); ++j) {
        TSNode c = ts_node_named_child(p, j);
        if (is(c, T::identifier)) { name = c; break; }
        if (is(c, T::list_splat_pattern) || is(c, T::dictionary_splat_pattern)) {
          if (ts_node_named_child_count(c) > 0) name = ts_node_named_child(c, 0);
          break;
        }
      }
    }
    if (is(p, T::list_splat_pattern) || is(p, T::dictionary_splat_pattern) || is(p, T::keyword_separator)) positional = false;
    if (!ts_node_is_null(name) && is(name, T::identifier)) {
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
      if (is(p, T::list_splat_pattern) || is(p, T::dictionary_splat_pattern)) b.function.clear();
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
  const T type = type_of(node);

  if (type == T::function_definition || type == T::lambda) {
    TSNode name = field(node, F::name);
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
    TSNode params = field(node, F::parameters);
    if (!ts_node_is_null(params)) {
      for (TSNode p : named_children(params)) {
        TSNode v = field(p, F::value);
        if (!ts_node_is_null(v)) walk(v, scope, depth + 1);
      }
    }
    record_parameters(params, inner, scope, ts_node_is_null(name) ? std::string() : node_text(name));
    TSNode body = field(node, F::body);
    if (!ts_node_is_null(body)) walk(body, inner, depth + 1);
    return;
  }
  if (type == T::class_definition) {
    TSNode name = field(node, F::name);
    if (!ts_node_is_null(name)) {
      Binding b;
      b.kind = BindingKind::Definition;
      b.path = node_text(name);
      bind(scope, node_text(name), b);
    }
    TSNode supers = field(node, F::superclasses);
    if (!ts_node_is_null(supers)) walk(supers, scope, depth + 1);
    ScopeId inner = new_scope(scope, true);
    if (!ts_node_is_null(name)) scopes[inner].class_name = node_text(name);
    TSNode body = field(node, F::body);
    if (!ts_node_is_null(body)) walk(body, inner, depth + 1);
    return;
  }
  if (type == T::global_statement || type == T::nonlocal_statement) {
    for (TSNode c : named_children(node)) {
      std::string name = node_text(c);
      if (type == T::global_statement) {
        scopes[scope].globals.insert(name);
      } else {
        // nonlocal: the enclosing binding is rebound somewhere we do not follow.
        bind(scopes[scope].parent, name, Binding{});
      }
    }
    return;
  }
  if (type == T::assignment || type == T::augmented_assignment) {
    record_assignment(node, scope);
  } else if (type == T::import_statement || type == T::import_from_statement) {
    record_import(node, scope);
    return;
  } else if (type == T::for_statement) {
    bind_targets_opaque(scope, field(node, F::left));
  } else if (type == T::with_item || type == T::as_pattern) {
    TSNode alias = field(node, F::alias);
    if (!ts_node_is_null(alias)) {
      if (is(alias, T::as_pattern_target) && ts_node_named_child_count(alias) > 0)
        alias = ts_node_named_child(alias, 0);
      bind_targets_opaque(scope, alias);
    }
  } else if (type == T::named_expression) {
    bind_targets_opaque(scope, field(node, F::name));
  } else if (type == T::except_clause) {
    // `except E as name`: in this grammar the alias is an identifier after `as`.
    uint32_t n = ts_node_child_count(node);
    for (uint32_t i = 0; i + 1 < n; ++i)
      if (is(ts_node_child(node, i), T::as))
        bind_targets_opaque(scope, ts_node_child(node, i + 1));
  } else if (type == T::delete_statement) {
    for (TSNode c : named_children(node)) {
      if (is(c, T::subscript) && is(field(c, F::value), T::identifier)) {
        Mutation m;
        m.kind = Mutation::Destroy;
        m.scope = scope;
        mutations[node_text(field(c, F::value))].push_back(m);
      }
    }
  } else if (type == T::call) {
    call_nodes.emplace_back(node, scope);
    scope_of_call[node_key(node)] = scope;
    TSNode fn = field(node, F::function);
    if (is(fn, T::attribute)) {
      std::string method = node_text(field(fn, F::attribute));
      TSNode obj = field(fn, F::object);
      if (method == "add_argument") add_argument_nodes.emplace_back(node, scope);
      if (is(obj, T::identifier)) {
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
  } else if (type == T::list_comprehension || type == T::dictionary_comprehension ||
             type == T::set_comprehension || type == T::generator_expression) {
    // Comprehension variables live in their own scope.
    ScopeId inner = new_scope(scope, false);
    NodeList children = named_children(node);
    remember_children(node, children);
    for (TSNode c : children)
      if (is(c, T::for_in_clause)) bind_targets_opaque(inner, field(c, F::left));
    for (TSNode c : children)
      if (worth_walking(c, depth)) walk(c, inner, depth + 1);
    return;
  }

  NodeList children = named_children(node);
  remember_children(node, children);
  for (TSNode c : children)
    if (worth_walking(c, depth)) walk(c, scope, depth + 1);
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
