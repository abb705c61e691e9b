#pragma once
// The Python facts layer: every call in a module with its callee (import aliases resolved) and its
// arguments' values resolved where that is statically possible. Unknown stays unknown.
// Comments, strings and docstrings never produce facts: only call nodes do.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/source.hpp"

namespace ecolint::python {

struct Call;
struct Value;
using ValuePtr = std::shared_ptr<const Value>;

enum class ValueKind {
  Unknown,  // not statically known
  None,
  Bool,
  Int,
  Float,
  String,
  Dict,     // string-keyed entries
  List,     // list or tuple
  Call,     // the result of a call (e.g. a BitsAndBytesConfig(...) object)
  Name,     // an external name (import-resolved dotted path), e.g. "torch.float16"
};

struct DictEntry {
  std::string key;
  ValuePtr value;
  Range key_range;  // where the key is written: a dict literal key, a dict(key=...) keyword,
                    // a kw["key"] = ... subscript, or an .update(key=...) keyword
  Range range;      // the whole entry as written: `"k": v`, `k=v`, `kw["k"] = v`
};

struct Value {
  ValueKind kind = ValueKind::Unknown;
  bool boolean = false;
  double number = 0.0;
  std::string text;                 // String: the value; Name: dotted path
  std::vector<DictEntry> entries;   // Dict
  bool dict_open = false;           // Dict: may hold keys we could not see (**unknown)
  std::vector<ValuePtr> items;      // List
  const Call* call = nullptr;       // Call
  Range range;                      // where the expression is written

  bool is_true() const { return kind == ValueKind::Bool && boolean; }
  bool is_number() const { return kind == ValueKind::Int || kind == ValueKind::Float; }
  const DictEntry* entry(const std::string& key) const;
};

struct Keyword {
  std::string name;
  ValuePtr value;
  Range name_range;  // the keyword name in the call, or the dict key it came from via **
  Range range;       // the whole keyword (or dict entry) as written: `name=value`
  bool from_splat = false;
};

struct Call {
  std::string callee;  // dotted, import-resolved: "transformers.BitsAndBytesConfig"; "" if dynamic
  std::string method;  // last segment of the callee: "from_pretrained"
  std::vector<ValuePtr> args;      // positional arguments up to the first *splat (later ones have no known index)
  std::vector<Keyword> keywords;  // written ones and those expanded from resolvable ** dicts
  bool has_unknown_kwargs = false;  // a ** we could not resolve
  Range range;
  Range callee_range;
  uint32_t start_byte = 0;
  uint32_t end_byte = 0;
  uint32_t callee_start_byte = 0;  // the function expression as written (`model.generate`)
  uint32_t callee_end_byte = 0;

  const Keyword* keyword(const std::string& name) const;
  // A keyword or, failing that, the positional argument at `index`.
  ValuePtr argument(const std::string& name, std::size_t index) const;
};

// An argparse option: parser.add_argument("--model-name", default="gpt2") -> dest "model_name".
struct ArgparseOption {
  std::string dest;
  ValuePtr default_value;
};

// ---- Syntactic context of calls -------------------------------------------------------------
// What loop-shaped rules need beyond values: the loops and function around a call, and the names
// each expression reads. Purely syntactic; values are resolved as elsewhere in this layer.

// One expression as written: its kind, the names it reads and whether it slices.
struct ExpressionFacts {
  std::string node_type;            // tree-sitter type: "identifier", "list", "subscript", "call", ...
  std::string text;                 // source text, cut at kMaxExpressionText bytes
  std::vector<std::string> reads;   // identifiers read (not attribute or keyword names), in order, unique
  bool has_slice = false;           // contains a slice subscript x[a:b]
  std::vector<std::string> slice_reads;  // names read inside slice bounds: `i` in prompts[i:i+8]
  Range range;
  uint32_t start_byte = 0;
  uint32_t end_byte = 0;
};
inline constexpr std::size_t kMaxExpressionText = 200;

// `targets = value` (also augmented assignments, walrus, and the targets of a nested for loop).
struct LoopAssignment {
  std::vector<std::string> targets;
  ExpressionFacts value;
  // `obj.method(args)`: a call that may change `obj` (conv.append_message(role, question)), kept
  // as an assignment to obj from the call.
  bool method_call = false;
};

struct Loop {
  enum Kind { For, While, Comprehension } kind = For;
  Range range;                          // the whole statement or comprehension
  std::vector<std::string> targets;     // loop variables (For, Comprehension)
  ExpressionFacts iterable;             // For, Comprehension (first clause); While: the condition
  ValuePtr iterable_value;              // resolved where possible; never null
  bool reads_input = false;             // an input()/raw_input()/stdin read in the condition or body
  std::vector<LoopAssignment> assignments;  // in the body, in source order, nested functions excluded
};

struct CallSyntax {
  std::vector<const Loop*> loops;     // enclosing loops, innermost first, inside the innermost function
  ExpressionFacts callee;             // the function expression: its node_type and text only
  ValuePtr callee_value;              // its value (a Call value for `pipe = pipeline(...)`; pipe(x)); never null
  // The rest is filled only for a call inside a loop (`loops` not empty) or whose callee's value is
  // a call (`pipe(x)` for `pipe = pipeline(...)`); empty or null for every other call.
  ValuePtr receiver_value;            // `obj.m(...)`: obj's value; null when the callee is not an attribute
  std::vector<ExpressionFacts> args;  // parallel to Call::args
  // Written keyword arguments by name, plus "**" for each dict splat and "*" for each list splat.
  std::vector<std::pair<std::string, ExpressionFacts>> keywords;
};

struct ParseProblem {
  Position position;
  std::string message;
};

class Module {
 public:
  // Parses and analyses `source`. Never throws; syntax errors are recorded in problems().
  // `call_syntax`: whether to build the syntactic context of calls (syntax()); without it, syntax()
  // is null for every call. It is the costliest pass after the parse, and only the rules that say
  // so read it (Rule::reads_call_syntax).
  static std::unique_ptr<Module> analyse(const SourceText& source, bool call_syntax = true);
  ~Module();

  const std::vector<std::unique_ptr<Call>>& calls() const { return calls_; }
  const std::vector<ParseProblem>& problems() const { return problems_; }
  const SourceText& source() const { return *source_; }
  // Loops, enclosing function and argument reads of a call of this module; null if unknown.
  const CallSyntax* syntax(const Call& call) const;

  struct Impl;

 private:
  Module() = default;
  const SourceText* source_ = nullptr;
  std::vector<std::unique_ptr<Call>> calls_;
  std::vector<ArgparseOption> argparse_;
  std::vector<ParseProblem> problems_;
  friend struct Impl;
  // Call syntax (see CallSyntax), filled by SyntaxBuilder after the calls are built.
  std::vector<std::unique_ptr<Loop>> loops_;
  std::unordered_map<const Call*, CallSyntax> syntax_;
};

// The last dotted segment: "a.b.c" -> "c".
std::string last_segment(const std::string& dotted);

}  // namespace ecolint::python
