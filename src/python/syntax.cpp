// Pass 2, read-only, once the calls are built: loops (for, while, comprehensions) with their
// targets, iterables and the assignments in their bodies, and for every call the loops around it
// (within its function), its callee and receiver, and the names each argument reads. Kept apart
// from pass 1 so the value analysis stays independent of it.
#include "python/impl.hpp"

#include <map>

namespace ecolint::python {

namespace {


struct SyntaxBuilder {
  Module::Impl& impl;
  Module& module;
  std::vector<Loop*> open_loops;  // innermost last; emptied at each function boundary
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
    if (is(n, T::identifier)) {
      add_unique(out.reads, impl.node_text(n));
      if (in_slice) add_unique(out.slice_reads, impl.node_text(n));
      return;
    }
    if (is(n, T::attribute)) {
      collect_reads(impl.field(n, F::object), out, in_slice, depth + 1, budget);
      return;
    }
    if (is(n, T::keyword_argument)) {
      collect_reads(impl.field(n, F::value), out, in_slice, depth + 1, budget);
      return;
    }
    if (is(n, T::slice)) {
      out.has_slice = true;
      in_slice = true;
    }
    for (TSNode c : named_children(n)) collect_reads(c, out, in_slice, depth + 1, budget);
  }

  // An expression's type and text (cut at kMaxExpressionText) only.
  ExpressionFacts type_and_text(TSNode n) {
    ExpressionFacts f;
    if (ts_node_is_null(n)) return f;
    f.node_type = ts_node_type(n);
    f.text = impl.node_text(n);
    if (f.text.size() > kMaxExpressionText) f.text.resize(kMaxExpressionText);
    return f;
  }

  ExpressionFacts expression(TSNode n) {
    ExpressionFacts f = type_and_text(n);
    if (ts_node_is_null(n)) return f;
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
    if (is(t, T::identifier)) {
      add_unique(out, impl.node_text(t));
      return;
    }
    if (is(t, T::pattern_list) || is(t, T::tuple_pattern) || is(t, T::list_pattern) || is(t, T::parenthesized_expression) ||
        is(t, T::list_splat_pattern) || is(t, T::tuple) || is(t, T::list)) {
      for (TSNode c : named_children(t)) target_names(c, out, depth + 1);
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
    impl.loops().push_back(std::move(loop));
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
    TSNode fn = impl.field(node, F::function);
    if (!open_loops.empty() && reads_input_call(impl.node_text(fn)))
      for (Loop* l : open_loops) l->reads_input = true;
    if (!open_loops.empty() && is(fn, T::attribute) && is(impl.field(fn, F::object), T::identifier)) {
      LoopAssignment a{{impl.node_text(impl.field(fn, F::object))}, expression(node), true};
      for (Loop* l : open_loops)
        if (l->assignments.size() < kMaxLoopAssignments) l->assignments.push_back(a);
    }
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
    cs.callee = type_and_text(fn);  // all the rules read of the callee (facts.hpp)
    cs.callee_value = impl.evaluate(fn, scope, 1);
    // The receiver and the arguments' facts serve per-item loops and uses of an object a call made
    // (pipe(x)): most calls are neither, and their facts were a large share of this pass.
    bool detailed = !cs.loops.empty() || cs.callee_value->kind == ValueKind::Call;
    if (detailed && is(fn, T::attribute)) cs.receiver_value = impl.evaluate(impl.field(fn, F::object), scope, 1);
    TSNode args = impl.field(node, F::arguments);
    if (detailed && !ts_node_is_null(args) && is(args, T::argument_list)) {
      bool positional_known = true;  // as in Call::args: positional arguments up to the first *splat
      for (TSNode a : named_children(args)) {
        if (is(a, T::keyword_argument)) {
          cs.keywords.emplace_back(impl.node_text(impl.field(a, F::name)), expression(impl.field(a, F::value)));
        } else if (is(a, T::dictionary_splat) || is(a, T::list_splat)) {
          TSNode inner = ts_node_named_child_count(a) ? ts_node_named_child(a, 0) : TSNode{};
          cs.keywords.emplace_back(is(a, T::dictionary_splat) ? "**" : "*", expression(inner));
          if (is(a, T::list_splat)) positional_known = false;
        } else if (!is(a, T::comment) && positional_known) {
          cs.args.push_back(expression(a));
        }
      }
    }
    impl.call_syntax()[call] = std::move(cs);
  }

  // Loops outside a function do not run its body per item: a def or lambda starts afresh.
  void walk_function(TSNode node, int depth) {
    TSNode params = impl.field(node, F::parameters);
    if (!ts_node_is_null(params)) {
      for (TSNode p : named_children(params)) {
        if (is(p, T::default_parameter) || is(p, T::typed_default_parameter))
          walk(impl.field(p, F::value), depth + 1);  // defaults run in the enclosing context
      }
    }
    std::vector<Loop*> saved_loops;
    saved_loops.swap(open_loops);
    walk(impl.field(node, F::body), depth + 1);
    open_loops.swap(saved_loops);
  }

  void walk_children(TSNode node, int depth) {
    const TSNode* first = nullptr;
    std::size_t count = 0;
    if (impl.remembered_children(node, first, count)) {
      for (std::size_t i = 0; i < count; ++i)
        if (worth_walking(first[i], depth)) walk(first[i], depth + 1);
      return;
    }
    for (TSNode c : named_children(node))
      if (worth_walking(c, depth)) walk(c, depth + 1);
  }

  void walk(TSNode node, int depth) {
    if (ts_node_is_null(node) || depth > kMaxWalkDepth) return;
    const T type = type_of(node);  // looked up once: each is() asks tree-sitter for the symbol
    if (type == T::error || ts_node_is_missing(node)) return;
    if (type == T::function_definition || type == T::lambda) {
      walk_function(node, depth);
      return;
    }
    if (type == T::for_statement) {
      TSNode left = impl.field(node, F::left), right = impl.field(node, F::right);
      walk(right, depth + 1);
      std::vector<std::string> targets;
      target_names(left, targets, 0);
      record_assignment(targets, right);  // for an enclosing loop, these names derive from the iterable
      Loop* loop = new_loop(Loop::For, node, right);
      loop->targets = targets;
      open_loops.push_back(loop);
      walk(impl.field(node, F::body), depth + 1);
      open_loops.pop_back();
      walk(impl.field(node, F::alternative), depth + 1);
      return;
    }
    if (type == T::while_statement) {
      TSNode condition = impl.field(node, F::condition);
      Loop* loop = new_loop(Loop::While, node, condition);
      open_loops.push_back(loop);
      walk(condition, depth + 1);
      walk(impl.field(node, F::body), depth + 1);
      open_loops.pop_back();
      walk(impl.field(node, F::alternative), depth + 1);
      return;
    }
    if (type == T::list_comprehension || type == T::set_comprehension || type == T::dictionary_comprehension ||
        type == T::generator_expression) {
      walk_comprehension(node, depth);
      return;
    }
    if (open_loops.empty()) {
      // Assignments matter to loops only (record_assignment): outside one, only calls are recorded.
      if (type == T::call) record_call(node);
    } else if (type == T::assignment || type == T::augmented_assignment) {
      std::vector<std::string> targets;
      target_names(impl.field(node, F::left), targets, 0);
      TSNode right = impl.field(node, F::right);
      for (int chain = 0; chain < 64 && is(right, T::assignment); ++chain) {  // a = b = value
        target_names(impl.field(right, F::left), targets, 0);
        right = impl.field(right, F::right);
      }
      record_assignment(targets, right);
    } else if (type == T::named_expression) {
      std::vector<std::string> targets;
      target_names(impl.field(node, F::name), targets, 0);
      record_assignment(targets, impl.field(node, F::value));
    } else if (type == T::call) {
      record_call(node);
    }
    walk_children(node, depth);
  }

  void walk_comprehension(TSNode node, int depth) {
    const NodeList children = named_children(node);
    TSNode first{};
    for (TSNode c : children)
      if (is(c, T::for_in_clause)) {
        first = c;
        break;
      }
    if (ts_node_is_null(first)) {
      walk_children(node, depth);
      return;
    }
    TSNode first_iterable = impl.field(first, F::right);
    walk(first_iterable, depth + 1);  // the first iterable is evaluated outside the comprehension
    Loop* loop = new_loop(Loop::Comprehension, node, first_iterable);
    target_names(impl.field(first, F::left), loop->targets, 0);
    open_loops.push_back(loop);
    for (TSNode c : children) {
      if (ts_node_eq(c, first)) continue;
      if (is(c, T::for_in_clause)) {
        std::vector<std::string> targets;
        target_names(impl.field(c, F::left), targets, 0);
        record_assignment(targets, impl.field(c, F::right));
        walk(impl.field(c, F::right), depth + 1);
      } else {
        walk(c, depth + 1);
      }
    }
    open_loops.pop_back();
  }
};

}  // namespace

void build_call_syntax(Module::Impl& impl, Module& module, TSNode root) { SyntaxBuilder(impl, module).walk(root, 0); }

}  // namespace ecolint::python
