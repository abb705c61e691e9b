

// The Python reader's entry: a depth guard on the text, tree-sitter's parse (into the thread's tree
// arena), the two passes over the tree (python/impl.hpp), and the arena rewound past the tree once
// the facts are built (they hold no node).
#include "python/impl.hpp"

#include "base/heap.hpp"
#include "base/parse_budget.hpp"
#include "python/tree_arena.hpp"

extern "C" const TSLanguage* tree_sitter_python(void);

namespace ecolint::python {

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

Module::~Module() = default;

const CallSyntax* Module::syntax(const Call& call) const {
  auto it = syntax_.find(&call);
  return it == syntax_.end() ? nullptr : &it->second;
}

namespace detail {

GrammarTables build_grammar_tables() {
  GrammarTables t;
  const TSLanguage* language = tree_sitter_python();
  static const std::pair<T, const char*> kTypes[] = {
#define X(id, name) {T::id, name},
      ECOLINT_PYTHON_NODE_TYPES
#undef X
  };
  uint32_t count = ts_language_symbol_count(language);
  t.type_of_symbol.assign(count, T::other);
  for (uint32_t s = 0; s < count; ++s) {
    const char* name = ts_language_symbol_name(language, static_cast<TSSymbol>(s));
    if (!name) continue;
    for (const auto& [type, type_name] : kTypes)
      if (std::strcmp(name, type_name) == 0) t.type_of_symbol[s] = type;
  }
  static const char* const kFields[] = {
#define X(id, name) name,
      ECOLINT_PYTHON_FIELDS
#undef X
  };
  for (std::size_t f = 0; f < static_cast<std::size_t>(F::count); ++f)
    t.field_id[f] = ts_language_field_id_for_name(language, kFields[f], static_cast<uint32_t>(std::strlen(kFields[f])));
  return t;
}

NodeList named_children(TSNode n) {
  NodeList out;
  if (ts_node_is_null(n)) return out;
  uint32_t count = ts_node_named_child_count(n);
  if (count == 0) return out;
  if (count <= kCheapChildren) {
    for (uint32_t i = 0; i < count; ++i) out.push_back(ts_node_named_child(n, i));
    return out;
  }
  struct Cursor {
    TSTreeCursor cursor;
    bool live = false;
    ~Cursor() {
      if (live) ts_tree_cursor_delete(&cursor);
    }
  };
  thread_local Cursor c;
  if (c.live) {
    ts_tree_cursor_reset(&c.cursor, n);
  } else {
    c.cursor = ts_tree_cursor_new(n);
    c.live = true;
  }
  if (ts_tree_cursor_goto_first_child(&c.cursor)) {
    do {
      TSNode x = ts_tree_cursor_current_node(&c.cursor);
      if (ts_node_is_named(x)) out.push_back(x);
    } while (ts_tree_cursor_goto_next_sibling(&c.cursor));
  }
  return out;
}

namespace {

bool word_char(char c) { return python_word_byte(static_cast<unsigned char>(c)); }

// Skips a string literal starting at text[i] (a quote); `f`: an f-string, whose brackets count.
std::size_t skip_string(std::string_view text, std::size_t i, bool f, unsigned& depth, unsigned& deepest) {
  char q = text[i];
  bool triple = i + 2 < text.size() && text[i + 1] == q && text[i + 2] == q;
  i += triple ? 3 : 1;
  while (i < text.size()) {
    char c = text[i];
    if (c == '\\') {
      i += 2;
      continue;
    }
    if (c == q && (!triple || (i + 2 < text.size() && text[i + 1] == q && text[i + 2] == q))) return i + (triple ? 3 : 1);
    if (c == '\n' && !triple) return i;
    if (f && (c == '(' || c == '[' || c == '{')) deepest = std::max(deepest, ++depth);
    if (f && (c == ')' || c == ']' || c == '}') && depth > 0) --depth;
    ++i;
  }
  return i;
}

}  // namespace

std::optional<std::size_t> too_deep_for_parser(std::string_view text, unsigned limit) {
  if (text.size() <= limit) return std::nullopt;  // every level of nesting takes at least a byte
  unsigned brackets = 0;  // open brackets
  // Operators nested to the right since the last separator: prefix `-`, `+`, `~`, `*`, `not`,
  // `await`, `yield`, `lambda`, the `else` of conditional expressions and `**`. Binary operators
  // (other than `**`) nest to the left and do not count.
  unsigned chain = 0;
  bool after_operand = false;  // the previous token ends an operand (a name, a literal, a bracket)
  std::size_t i = 0, n = text.size();
  auto deep = [&] { return brackets + chain > limit; };
  while (i < n) {
    char c = text[i];
    if (c == '#') {
      while (i < n && text[i] != '\n') ++i;
      continue;
    }
    if (c == '"' || c == '\'') {
      bool f = false;
      for (std::size_t k = i; k > 0 && word_char(text[k - 1]) && i - k < 3; --k)
        if (text[k - 1] == 'f' || text[k - 1] == 'F') f = true;
      unsigned inner = 0, deepest = 0;
      std::size_t start = i;
      i = skip_string(text, i, f, inner, deepest);
      if (brackets + chain + deepest > limit) return start;
      after_operand = true;
      continue;
    }
    if (word_char(c)) {
      std::size_t start = i;
      while (i < n && word_char(text[i])) ++i;
      std::string_view word = text.substr(start, i - start);
      bool nests = word == "not" || word == "lambda" || word == "else" || word == "await" || word == "yield";
      if (nests) ++chain;
      after_operand = !nests && word != "and" && word != "or" && word != "in" && word != "is" && word != "if";
      if (deep()) return start;
      continue;
    }
    bool operand = false;
    switch (c) {
      case '(': case '[': case '{': ++brackets; break;
      case ')': case ']': case '}': if (brackets) --brackets; chain = 0; operand = true; break;
      case ',': case ';': chain = 0; break;
      case '\n': if (brackets == 0) chain = 0; break;
      case ' ': case '\t': case '\r': case '\\': operand = after_operand; break;
      case '*':
        if (i + 1 < n && text[i + 1] == '*') {  // ** nests to the right, binary or not
          ++chain;
          ++i;
        } else if (!after_operand) {
          ++chain;
        }
        break;
      case '-': case '+': case '~': if (!after_operand) ++chain; break;
      default: break;
    }
    after_operand = operand;
    if (deep()) return i;
    ++i;
  }
  return std::nullopt;
}

}  // namespace detail

std::unique_ptr<Module> Module::analyse(const SourceText& source, bool call_syntax) {
  std::unique_ptr<Module> module(new Module());
  module->source_ = &source;
  // tree-sitter 0.20's error recovery corrupts its heap on deeply nested unfinished code (about
  // 65,000 unclosed brackets, or prefix operators such as `not` or `-` chained that deep: a
  // double free in ts_subtree_release when the tree is deleted). CPython itself refuses far
  // shallower nesting (200 brackets), so such a file is not parsed at all; the limit leaves a
  // margin of three times below the crash and leaves every real file alone.
  if (auto at = too_deep_for_parser(source.text(), kMaxParserNesting)) {
    module->problems_.push_back({source.position_from_offset(*at),
                                 "code nesting deeper than " + std::to_string(kMaxParserNesting) +
                                     " levels (brackets and chained prefix operators; CPython accepts far less); "
                                     "the file was not parsed"});
    return module;
  }
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
  // The facts take tens of bytes a source byte: on a large file, room for them first.
  if (text->size() >= kHeapRoomFrom) prepare_heap(text->size() * 64);
  // The parser and the tree live in this thread's tree arena (python/tree_arena.hpp): a parser of
  // this file's own, deleted once it has parsed; the tree is never deleted, the arena is rewound
  // past it when `arena` closes, after the facts (which hold no node) are built.
  TreeArena::Scope arena;
  TSParser* parser = ts_parser_new();
  ts_parser_set_language(parser, tree_sitter_python());
  TSTree* tree = ts_parser_parse_string(parser, nullptr, text->data(), static_cast<uint32_t>(text->size()));
  ts_parser_delete(parser);
  arena.pause();
  if (!tree) {
    module->problems_.push_back({{1, 1}, "the Python parser gave up on this file"});
    return module;
  }
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
  if (call_syntax) build_call_syntax(impl, *module, root);
  return module;
}

}  // namespace ecolint::python
