// Values: literals, names followed through once-assigned bindings and imports, dicts built up by
// item assignment and .update(), argparse defaults, f-strings, and the calls of the module with
// their keyword values. Unknown stays unknown; every chain of names is cut at kMaxEvalDepth.
#include "python/impl.hpp"

#include <cstdlib>
#include <map>
#include <set>

namespace ecolint::python {

ValuePtr Module::Impl::unknown_at(Range r) {
  auto v = std::make_shared<Value>();
  v->range = r;
  return v;
}

ValuePtr Module::Impl::make(ValueKind kind, TSNode n) {
  auto v = std::make_shared<Value>();
  v->kind = kind;
  v->range = range_of(n);
  return v;
}

ValuePtr Module::Impl::evaluate(TSNode n, ScopeId scope, int depth) {
  if (ts_node_is_null(n)) return unknown_at({});
  if (depth > kMaxEvalDepth) {
    if (!eval_cut) {  // said once: a setting fed by this value may be missed
      eval_cut = true;
      module.problems_.push_back({src.position_from_offset(ts_node_start_byte(n)),
                                  "a value reached through more than " + std::to_string(kMaxEvalDepth) +
                                      " names or nested expressions was not followed further; a setting it feeds "
                                      "may be missed"});
    }
    return unknown_at(range_of(n));
  }
  uint64_t key = node_key(n);
  if (auto it = memo.find(key); it != memo.end()) return it->second;
  if (in_progress.count(key)) return unknown_at(range_of(n));  // a cycle: a = b; b = a
  in_progress.insert(key);
  ValuePtr v = evaluate_uncached(n, scope, depth);
  in_progress.erase(key);
  memo[key] = v;
  return v;
}

std::string Module::Impl::decode_string_content(const std::string& raw, bool is_raw) const {
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

ValuePtr Module::Impl::evaluate_string(TSNode n, ScopeId scope, int depth) {
  std::string prefix;
  std::string out;
  bool is_f = false, is_raw = false;
  uint32_t count = ts_node_child_count(n);
  for (uint32_t i = 0; i < count; ++i) {
    TSNode c = ts_node_child(n, i);
    const T t = type_of(c);
    if (t == T::string_start) {
      for (char ch : node_text(c)) {
        if (ch == 'f' || ch == 'F') is_f = true;
        if (ch == 'r' || ch == 'R') is_raw = true;
        if (ch == 'b' || ch == 'B') return unknown_at(range_of(n));  // bytes are not text
      }
    } else if (t == T::string_content) {
      out += decode_string_content(node_text(c), is_raw);
    } else if (t == T::interpolation) {
      if (!is_f) return unknown_at(range_of(n));
      TSNode e = field(c, F::expression);
      if (!ts_node_is_null(field(c, F::format_specifier)) || !ts_node_is_null(field(c, F::type_conversion)))
        return unknown_at(range_of(n));
      ValuePtr part = evaluate(e, scope, depth + 1);
      if (part->kind == ValueKind::String) out += part->text;
      else if (part->kind == ValueKind::Int) out += std::to_string(static_cast<long long>(part->number));
      else return unknown_at(range_of(n));
    } else if (t == T::escape_interpolation) {
      out += node_text(c).substr(0, 1);  // {{ -> {
    }
  }
  auto v = make(ValueKind::String, n);
  std::const_pointer_cast<Value>(v)->text = std::move(out);
  return v;
}

ValuePtr Module::Impl::evaluate_number(TSNode n, bool is_float) {
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

void Module::Impl::add_keyword_entries(std::shared_ptr<Value>& dict, TSNode arglist, ScopeId scope, int depth) {
  for (TSNode a : named_children(arglist)) {
    if (is(a, T::keyword_argument)) {
      TSNode name = field(a, F::name);
      dict->entries.push_back({node_text(name), evaluate(field(a, F::value), scope, depth + 1), range_of(name), range_of(a)});
    } else if (is(a, T::dictionary_splat)) {
      ValuePtr inner = ts_node_named_child_count(a) ? evaluate(ts_node_named_child(a, 0), scope, depth + 1) : nullptr;
      merge_dict(dict, inner);
    } else if (is(a, T::comment)) {
      continue;
    } else {
      // dict(other_dict, k=v) or dict(pairs): the positional part is merged when it is a dict.
      ValuePtr inner = evaluate(a, scope, depth + 1);
      merge_dict(dict, inner);
    }
  }
}

void Module::Impl::merge_dict(std::shared_ptr<Value>& dict, const ValuePtr& other) {
  if (other && other->kind == ValueKind::Dict) {
    for (const auto& e : other->entries)
      if (dict->entries.size() < kMaxDictEntries) dict->entries.push_back(e);
    dict->dict_open = dict->dict_open || other->dict_open;
  } else {
    dict->dict_open = true;
  }
}

ValuePtr Module::Impl::evaluate_dict_literal(TSNode n, ScopeId scope, int depth) {
  auto dict = std::make_shared<Value>();
  dict->kind = ValueKind::Dict;
  dict->range = range_of(n);
  for (TSNode c : named_children(n)) {
    if (is(c, T::pair)) {
      TSNode k = field(c, F::key);
      ValuePtr key = evaluate(k, scope, depth + 1);
      if (key->kind != ValueKind::String) {
        dict->dict_open = true;
        continue;
      }
      if (dict->entries.size() < kMaxDictEntries)
        dict->entries.push_back({key->text, evaluate(field(c, F::value), scope, depth + 1), range_of(k), range_of(c)});
    } else if (is(c, T::dictionary_splat)) {
      ValuePtr inner = ts_node_named_child_count(c) ? evaluate(ts_node_named_child(c, 0), scope, depth + 1) : nullptr;
      merge_dict(dict, inner);
    }
  }
  return dict;
}

ValuePtr Module::Impl::apply_mutations(ValuePtr base, const std::string& name, ScopeId s, int depth) {
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
      TSNode args = field(m.value, F::arguments);
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

ValuePtr Module::Impl::evaluate_identifier(TSNode n, ScopeId scope, int depth) {
  std::string name = node_text(n);
  ScopeId found = 0;
  const std::vector<Binding>* bindings = lookup(scope, name, &found);
  if (!bindings) {
    // A free name (builtin or defined elsewhere): known only by its spelling.
    auto v = make(ValueKind::Name, n);
    std::const_pointer_cast<Value>(v)->text = name;
    return v;
  }
  if (bindings->size() == 1) return evaluate_binding(bindings->front(), found, name, n, depth);
  // Several bindings: known only when they all say the same (the same import written twice, a
  // constant assigned the same value in two notebook cells).
  ValuePtr agreed;
  for (const Binding& b : *bindings) {
    ValuePtr v = evaluate_binding(b, found, name, n, depth);
    if (v->kind == ValueKind::Unknown || v->kind == ValueKind::Dict || v->kind == ValueKind::List ||
        v->kind == ValueKind::Call || (agreed && !same_value(*agreed, *v)))
      return unknown_at(range_of(n));
    if (!agreed) agreed = v;
  }
  return agreed ? agreed : unknown_at(range_of(n));
}

ValuePtr Module::Impl::evaluate_binding(const Binding& b, ScopeId found, const std::string& name, TSNode at, int depth) {
  switch (b.kind) {
    case BindingKind::Assign: {
      ValuePtr v = evaluate(b.value, found, depth + 1);
      return apply_mutations(v, name, found, depth);
    }
    case BindingKind::Import:
    case BindingKind::Definition: {
      auto v = make(ValueKind::Name, at);
      std::const_pointer_cast<Value>(v)->text = b.path;
      return v;
    }
    case BindingKind::Parameter:
      return evaluate_parameter(b, at, depth);
    default:
      return unknown_at(range_of(at));
  }
}

bool Module::Impl::same_value(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ValueKind::Bool: return a.boolean == b.boolean;
    case ValueKind::Int:
    case ValueKind::Float: return a.number == b.number;
    case ValueKind::String:
    case ValueKind::Name: return a.text == b.text;
    case ValueKind::None: return true;
    default: return false;
  }
}

const std::vector<std::size_t>& Module::Impl::calls_of(const std::string& callee) {
  if (!calls_indexed) {
    calls_indexed = true;
    for (std::size_t i = 0; i < call_nodes.size(); ++i) {
      TSNode fn = field(call_nodes[i].first, F::function);
      if (is(fn, T::identifier)) calls_by_callee[node_text(fn)].push_back(i);
      else if (is(fn, T::attribute)) calls_by_callee["." + node_text(field(fn, F::attribute))].push_back(i);
    }
  }
  static const std::vector<std::size_t> kNone;
  auto it = calls_by_callee.find(callee);
  return it == calls_by_callee.end() ? kNone : it->second;
}

ValuePtr Module::Impl::evaluate_parameter(const Binding& b, TSNode at, int depth) {
  if (b.function.empty()) return unknown_at(range_of(at));  // a lambda, *args, **kwargs
  uint64_t key = node_key(b.node);
  if (auto it = parameter_memo.find(key); it != parameter_memo.end()) return it->second;
  parameter_memo[key] = unknown_at(range_of(at));  // a recursive call sees unknown
  bool method = !b.owner_class.empty();
  bool constructor = method && b.function == "__init__";
  if (method && b.position == 0) return unknown_at(range_of(at));  // self
  ValuePtr agreed;
  bool conflict = false, any_call = false;
  auto take = [&](const ValuePtr& v) {
    if (!v || v->kind == ValueKind::Unknown || (agreed && !same_value(*agreed, *v))) conflict = true;
    else if (!agreed) agreed = v;
  };
  auto default_value = [&]() -> ValuePtr {
    if (ts_node_is_null(b.value)) return nullptr;
    return evaluate(b.value, b.outer, depth + 1);
  };
  for (std::size_t caller : calls_of(constructor ? b.owner_class : method ? "." + b.function : b.function)) {
    const auto& [call, call_scope] = call_nodes[caller];
    if (conflict) break;
    TSNode fn = field(call, F::function);
    bool match = false, bound = false;  // bound: called on an instance, so `self` is not passed
    if (constructor) {
      match = is(fn, T::identifier) && node_text(fn) == b.owner_class;
      bound = true;
    } else if (method) {
      match = is(fn, T::attribute) && node_text(field(fn, F::attribute)) == b.function;
      bound = true;
    } else {
      match = is(fn, T::identifier) && node_text(fn) == b.function;
    }
    if (!match) continue;
    any_call = true;
    TSNode args = field(call, F::arguments);
    if (ts_node_is_null(args) || !is(args, T::argument_list)) {
      conflict = true;
      break;
    }
    TSNode given{};
    uint32_t index = 0, wanted = b.position == UINT32_MAX ? UINT32_MAX : b.position - (bound ? 1 : 0);
    for (TSNode a : named_children(args)) {
      if (is(a, T::keyword_argument)) {
        if (node_text(field(a, F::name)) == b.path) given = field(a, F::value);
      } else if (is(a, T::list_splat) || is(a, T::dictionary_splat)) {
        conflict = true;  // the argument may come from the splat
      } else if (!is(a, T::comment)) {
        if (index++ == wanted) given = a;
      }
    }
    if (conflict) break;
    take(ts_node_is_null(given) ? default_value() : evaluate(given, call_scope, depth + 1));
  }
  // Called nowhere in this file: an entry point (fire.Fire(main), a framework's hook) runs with
  // its defaults unless the user passes others.
  if (!any_call && !conflict) take(default_value());
  ValuePtr result = conflict || !agreed ? unknown_at(range_of(at)) : agreed;
  parameter_memo[key] = result;
  return result;
}

ValuePtr Module::Impl::returned_value(const Binding& def, int depth) {
  if (ts_node_is_null(def.node) || !is(def.node, T::function_definition)) return nullptr;
  TSNode body = field(def.node, F::body);
  if (ts_node_is_null(body)) return nullptr;
  // The function's return statements, outside nested functions and classes.
  std::vector<TSNode> returns;
  std::vector<TSNode> stack{body};
  int budget = 4096;
  while (!stack.empty() && --budget > 0) {
    TSNode n = stack.back();
    stack.pop_back();
    if (is(n, T::return_statement)) {
      returns.push_back(n);
      continue;
    }
    if (is(n, T::function_definition) || is(n, T::class_definition) || is(n, T::lambda)) continue;
    for (TSNode c : named_children(n)) stack.push_back(c);
  }
  if (returns.size() != 1 || ts_node_named_child_count(returns[0]) != 1) return nullptr;
  return evaluate(ts_node_named_child(returns[0], 0), def.inner, depth + 1);
}

ValuePtr Module::Impl::instance_attribute(const std::string& cls, const std::string& attr, TSNode at, int depth) {
  auto it = instance_attributes.find(cls + "." + attr);
  if (it == instance_attributes.end()) return unknown_at(range_of(at));
  ValuePtr agreed;
  for (const auto& [value, scope] : it->second) {
    ValuePtr v = evaluate(value, scope, depth + 1);
    if (v->kind == ValueKind::Unknown || (agreed && !same_value(*agreed, *v))) return unknown_at(range_of(at));
    if (!agreed) agreed = v;
  }
  return agreed ? agreed : unknown_at(range_of(at));
}

bool Module::Impl::is_argparse_namespace(TSNode obj, ScopeId scope) {
  if (!is(obj, T::identifier)) return false;
  std::string name = node_text(obj);
  ScopeId found = 0;
  const std::vector<Binding>* bindings = lookup(scope, name, &found);
  if (!bindings) return false;
  if (bindings->size() != 1) return false;
  const Binding& b = bindings->front();
  if (b.argparse_namespace) return true;
  if (b.kind == BindingKind::Assign && is(b.value, T::call)) {
    TSNode fn = field(b.value, F::function);
    return is(fn, T::attribute) && node_text(field(fn, F::attribute)) == "parse_args";
  }
  // A function parameter conventionally holding the parsed options: def main(args): ...
  static const std::set<std::string> kNamespaceParams = {"args", "opt", "opts", "flags", "cli_args"};
  return b.kind == BindingKind::Parameter && kNamespaceParams.count(name) > 0;
}

void Module::Impl::ensure_argparse() {
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

ValuePtr Module::Impl::evaluate_attribute(TSNode n, ScopeId scope, int depth) {
  TSNode obj = field(n, F::object);
  std::string attr = node_text(field(n, F::attribute));
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
  // self.X in a method: what the class's methods assign to it.
  if (is(obj, T::identifier) && node_text(obj) == "self" && !scopes[scope].class_name.empty() && !scopes[scope].is_class)
    return instance_attribute(scopes[scope].class_name, attr, n, depth);
  ValuePtr base = evaluate(obj, scope, depth + 1);
  if (base->kind == ValueKind::Name) {
    auto v = make(ValueKind::Name, n);
    std::const_pointer_cast<Value>(v)->text = base->text + "." + attr;
    return v;
  }
  return unknown_at(range_of(n));
}

ValuePtr Module::Impl::evaluate_uncached(TSNode n, ScopeId scope, int depth) {
  const T t = type_of(n);
  if (t == T::parenthesized_expression)
    return ts_node_named_child_count(n) == 1 ? evaluate(ts_node_named_child(n, 0), scope, depth + 1)
                                             : unknown_at(range_of(n));
  if (t == T::true_ || t == T::false_) {
    auto v = make(ValueKind::Bool, n);
    std::const_pointer_cast<Value>(v)->boolean = t == T::true_;
    return v;
  }
  if (t == T::none) return make(ValueKind::None, n);
  if (t == T::integer) return evaluate_number(n, false);
  if (t == T::float_) return evaluate_number(n, true);
  if (t == T::string) return evaluate_string(n, scope, depth);
  if (t == T::concatenated_string) {
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
  if (t == T::unary_operator) {
    TSNode op = field(n, F::operator_);
    ValuePtr arg = evaluate(field(n, F::argument), scope, depth + 1);
    if (!arg->is_number()) return unknown_at(range_of(n));
    std::string o = node_text(op);
    if (o != "-" && o != "+") return unknown_at(range_of(n));
    auto v = std::make_shared<Value>(*arg);
    v->range = range_of(n);
    if (o == "-") v->number = -v->number;
    return v;
  }
  if (t == T::binary_operator) {
    ValuePtr l = evaluate(field(n, F::left), scope, depth + 1);
    ValuePtr r = evaluate(field(n, F::right), scope, depth + 1);
    if (node_text(field(n, F::operator_)) == "+" && l->kind == ValueKind::String && r->kind == ValueKind::String) {
      auto v = make(ValueKind::String, n);
      std::const_pointer_cast<Value>(v)->text = l->text + r->text;
      return v;
    }
    return unknown_at(range_of(n));
  }
  if (t == T::identifier) return evaluate_identifier(n, scope, depth);
  if (t == T::attribute) return evaluate_attribute(n, scope, depth);
  if (t == T::dictionary) return evaluate_dict_literal(n, scope, depth);
  if (t == T::list || t == T::tuple) {
    auto v = make(ValueKind::List, n);
    auto mv = std::const_pointer_cast<Value>(v);
    for (TSNode c : named_children(n)) {
      if (mv->items.size() >= kMaxDictEntries) break;
      mv->items.push_back(evaluate(c, scope, depth + 1));
    }
    return v;
  }
  if (t == T::call) {
    Call* call = build_call(n, scope, depth + 1);
    if (call->callee == "dict" && !lookup(scope, "dict", nullptr)) {
      auto dict = std::make_shared<Value>();
      dict->kind = ValueKind::Dict;
      dict->range = range_of(n);
      TSNode args = field(n, F::arguments);
      if (!ts_node_is_null(args)) add_keyword_entries(dict, args, scope, depth);
      return dict;
    }
    // d.copy() and copy.deepcopy(d) keep the dict's value.
    if (call->method == "copy" || call->method == "deepcopy") {
      TSNode fn = field(n, F::function);
      if (call->method == "copy" && is(fn, T::attribute)) {
        ValuePtr base = evaluate(field(fn, F::object), scope, depth + 1);
        if (base->kind == ValueKind::Dict) return base;
      } else if (call->args.size() == 1 && call->args[0]->kind == ValueKind::Dict) {
        return call->args[0];
      }
    }
    // A same-file function with one `return <expression>`: its value (def make_config(): return
    // BitsAndBytesConfig(...); model = load(quantization_config=make_config())).
    TSNode fn = field(n, F::function);
    if (is(fn, T::identifier)) {
      ScopeId found = 0;
      const std::vector<Binding>* bindings = lookup(scope, node_text(fn), &found);
      if (bindings && bindings->size() == 1 && bindings->front().kind == BindingKind::Definition)
        if (ValuePtr returned = returned_value(bindings->front(), depth)) {
          if (returned->kind != ValueKind::Unknown) return returned;
        }
    }
    auto v = make(ValueKind::Call, n);
    std::const_pointer_cast<Value>(v)->call = call;
    return v;
  }
  return unknown_at(range_of(n));
}

std::string Module::Impl::callee_of(TSNode fn, ScopeId scope, int depth) {
  if (is(fn, T::identifier) || is(fn, T::attribute)) {
    ValuePtr v = evaluate(fn, scope, depth + 1);
    if (v->kind == ValueKind::Name) return v->text;
    if (is(fn, T::attribute)) {
      // Method on something dynamic: keep the method name so rules can still see it.
      return "?." + node_text(field(fn, F::attribute));
    }
  }
  return "";
}

Call* Module::Impl::build_call(TSNode n, ScopeId scope, int depth) {
  uint64_t key = node_key(n);
  if (auto it = built_calls.find(key); it != built_calls.end()) return it->second;
  auto call = std::make_unique<Call>();
  Call* raw = call.get();
  built_calls[key] = raw;  // before evaluating arguments: recursion sees the same object
  module.calls_.push_back(std::move(call));
  if (auto it = scope_of_call.find(key); it != scope_of_call.end()) scope = it->second;

  TSNode fn = field(n, F::function);
  raw->range = range_of(n);
  raw->callee_range = range_of(fn);
  if (!ts_node_is_null(fn)) {
    raw->callee_start_byte = ts_node_start_byte(fn);
    raw->callee_end_byte = ts_node_end_byte(fn);
  }
  raw->start_byte = ts_node_start_byte(n);
  raw->end_byte = ts_node_end_byte(n);
  raw->callee = callee_of(fn, scope, depth);
  raw->method = last_segment(raw->callee);
  TSNode args = field(n, F::arguments);
  if (ts_node_is_null(args) || !is(args, T::argument_list)) return raw;  // generator argument etc.
  bool positional_known = true;
  for (TSNode a : named_children(args)) {
    if (is(a, T::keyword_argument)) {
      TSNode name = field(a, F::name);
      raw->keywords.push_back({node_text(name), evaluate(field(a, F::value), scope, depth + 1), range_of(name), range_of(a), false});
    } else if (is(a, T::dictionary_splat)) {
      ValuePtr d = ts_node_named_child_count(a) ? evaluate(ts_node_named_child(a, 0), scope, depth + 1) : nullptr;
      if (d && d->kind == ValueKind::Dict) {
        for (const auto& e : d->entries) raw->keywords.push_back({e.key, e.value, e.key_range, e.range, true});
        if (d->dict_open) raw->has_unknown_kwargs = true;
      } else {
        raw->has_unknown_kwargs = true;
      }
    } else if (is(a, T::list_splat)) {
      positional_known = false;  // later positional arguments sit at unknown indexes
    } else if (is(a, T::comment)) {
      continue;
    } else if (positional_known) {
      raw->args.push_back(evaluate(a, scope, depth + 1));
    }
  }
  return raw;
}

}  // namespace ecolint::python
