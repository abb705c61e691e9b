// ECO003 unbatched-serving: LLM inference run one request at a time — a Python loop that
// tokenizes one prompt and calls generate() per iteration (or calls a pipeline or an engine per
// item), or a serving setting that caps the batch at 1 in any surface the engine table knows
// (TGI --max-batch-size, vLLM max_num_seqs, SGLang --max-running-requests, Ray Serve
// max_batch_size, KServe maxBatchSize, pipeline batch_size).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <map>
#include <set>

#include "base/text.hpp"
#include "engines/surfaces.hpp"
#include "model/model_size.hpp"
#include "python/facts.hpp"
#include "rules/edits.hpp"
#include "rules/rules.hpp"

namespace ecolint {
namespace {

using python::Call;
using python::CallSyntax;
using python::ExpressionFacts;
using python::Loop;
using python::Value;
using python::ValueKind;
using python::ValuePtr;

using text::contains;
using text::lower;

bool is_one(const ValuePtr& v) {
  if (!v) return false;
  if (v->is_number()) return v->number == 1.0;
  return v->kind == ValueKind::String && v->text == "1";
}

const ExpressionFacts* syntax_argument(const CallSyntax& cs, std::initializer_list<const char*> names, std::size_t index) {
  for (const char* name : names)
    for (const auto& [kw, facts] : cs.keywords)
      if (kw == name) return &facts;
  return index < cs.args.size() ? &cs.args[index] : nullptr;
}

bool reads_any(const std::vector<std::string>& reads, const std::set<std::string>& names) {
  for (const auto& r : reads)
    if (names.count(r)) return true;
  return false;
}

// `enumerate(tqdm(prompts))` -> `prompts`; `range(len(prompts))` -> `prompts`: the collection a
// loop walks, for the message.
std::string loop_subject(std::string text) {
  static const char* const kWrappers[] = {"enumerate(", "tqdm(", "tqdm.tqdm(", "track(", "iter(", "list(",
                                          "sorted(", "reversed(", "range(", "len(", "zip("};
  for (int round = 0; round < 6; ++round) {
    bool unwrapped = false;
    for (const char* w : kWrappers) {
      std::size_t n = std::strlen(w);
      if (text.compare(0, n, w) != 0 || text.empty() || text.back() != ')') continue;
      std::string inner = text.substr(n, text.size() - n - 1);
      int depth = 0;
      std::size_t cut = inner.size();
      for (std::size_t i = 0; i < inner.size(); ++i) {
        char c = inner[i];
        if (c == '(' || c == '[' || c == '{') ++depth;
        else if (c == ')' || c == ']' || c == '}') --depth;
        else if (c == ',' && depth == 0) { cut = i; break; }
      }
      // range(start, stop) names no collection: keep it whole ("range(start_idx, 200)").
      if (std::strcmp(w, "range(") == 0 && cut != inner.size()) break;
      text = inner.substr(0, cut);
      while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.erase(0, 1);
      unwrapped = true;
      break;
    }
    if (!unwrapped) break;
  }
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

// ---- Loops over batches (not findings) ------------------------------------------------------

bool batch_producing_call(const Value& v, int depth) {
  if (v.kind != ValueKind::Call || !v.call || depth > 4) return false;
  const Call& c = *v.call;
  static const std::set<std::string> kBatchers = {"DataLoader", "batched", "chunked", "chunks", "iter_batches",
                                                  "batch", "array_split", "split_every", "grouper", "as_batches"};
  if (kBatchers.count(c.method)) return true;
  std::string method = lower(c.method);
  for (const char* w : {"batch", "chunk", "loader"})
    if (contains(method, w)) return true;  // make_batches(...), get_loader(...)
  if (c.keyword("batch_size") || c.keyword("bs")) return true;
  if (c.method == "range" && c.args.size() == 3) return !is_one(c.args[2]);  // range(0, n, bs): batch starts
  static const std::set<std::string> kWrappers = {"enumerate", "tqdm", "iter", "list", "sorted", "reversed", "zip", "track"};
  if (kWrappers.count(c.method) && !c.args.empty() && c.args[0]) return batch_producing_call(*c.args[0], depth + 1);
  return false;
}

bool is_batch_loop(const Loop& loop) {
  // `for x in batches` walks batches; `for x in batch` walks the items of one batch.
  std::string text = lower(loop.iterable.text);
  for (const char* w : {"loader", "batches", "chunks", "batched", "chunked"})
    if (contains(text, w)) return true;
  for (const auto& t : loop.targets) {
    std::string name = lower(t);
    if (contains(name, "batch") || contains(name, "chunk")) return true;
  }
  const Value& v = *loop.iterable_value;
  if (batch_producing_call(v, 0)) return true;
  // A literal list of lists: each item is already a batch.
  if (v.kind == ValueKind::List && !v.items.empty() && v.items.front()->kind == ValueKind::List) return true;
  return false;
}

// ---- Which names hold one item of the loop ----------------------------------------------------

// A slice whose bounds move with the loop cuts a batch out of a list: prompts[i:i + 8].
bool is_batch_slice(const ExpressionFacts& e, const std::set<std::string>& loop_names) {
  return e.has_slice && reads_any(e.slice_reads, loop_names);
}

bool builds_collection(const ExpressionFacts& e) {
  if (e.node_type == "binary_operator" && !e.text.empty() && e.text.front() == '[') return true;  // [prompt] * n
  return e.node_type == "list_comprehension" || e.node_type == "generator_expression" ||
         e.node_type == "set_comprehension";
}

// generate(..., num_return_sequences=4) or num_beams=4 already decodes several sequences per call;
// unless the value is known to be 1, the batch is not 1.
bool decodes_several(const Call& generate) {
  for (const char* name : {"num_return_sequences", "num_beams"}) {
    const python::Keyword* k = generate.keyword(name);
    if (k && !is_one(k->value)) return true;
  }
  return false;
}

// One item per iteration: the loop variables (a for loop or comprehension), or, in a while loop,
// what is popped off a list.
std::set<std::string> item_names(const Loop& loop) {
  std::set<std::string> items;
  if (loop.kind == Loop::While) {
    for (const auto& a : loop.assignments) {
      const std::string& t = a.value.text;
      if (a.value.node_type == "call" && (contains(t, ".pop(") || contains(t, ".popleft(")) && !a.targets.empty())
        items.insert(a.targets.begin(), a.targets.end());
    }
    return items;
  }
  items.insert(loop.targets.begin(), loop.targets.end());
  return items;
}

// Names derived from the seed names through assignments in the loop, to a fixed point.
std::set<std::string> derive(const Loop& loop, std::set<std::string> names, const std::set<std::string>& loop_names,
                             bool stop_at_batches) {
  // A method call changes its receiver for this item only when the receiver is made anew in each
  // iteration from a call (conv = get_conversation_template(); conv.append_message(..., question));
  // a list (buffer = []; buffer.append(p)) gathers a batch instead.
  std::set<std::string> fresh;
  for (const auto& a : loop.assignments)
    if (!a.method_call && a.value.node_type == "call") fresh.insert(a.targets.begin(), a.targets.end());
  for (std::size_t round = 0; round <= loop.assignments.size() && round < 64; ++round) {
    bool changed = false;
    for (const auto& a : loop.assignments) {
      if (a.method_call && !fresh.count(a.targets.front())) continue;
      if (!reads_any(a.value.reads, names)) continue;
      if (stop_at_batches && (is_batch_slice(a.value, loop_names) || builds_collection(a.value))) continue;
      for (const auto& t : a.targets) changed |= names.insert(t).second;
    }
    if (!changed) break;
  }
  return names;
}

// An expression that stands for one item: reads an item name, cuts no batch, builds no list.
bool single_item(const ExpressionFacts* e, const std::set<std::string>& items, const std::set<std::string>& loop_names) {
  return e && reads_any(e->reads, items) && !is_batch_slice(*e, loop_names) && !builds_collection(*e);
}

// The tokenizer or processor input is one item: its first argument or an input keyword (a processor
// may take the item as `images=` next to a fixed `text=`).
bool encodes_single_item(const CallSyntax& ts, const std::set<std::string>& items, const std::set<std::string>& loop_names) {
  if (!ts.args.empty() && single_item(&ts.args[0], items, loop_names)) return true;
  static const std::set<std::string> kInputs = {"text", "conversation", "messages", "images", "audio", "videos"};
  for (const auto& [name, facts] : ts.keywords)
    if (kInputs.count(name) && single_item(&facts, items, loop_names)) return true;
  return false;
}

bool tokenizer_like_name(const std::string& text) {
  std::string last = lower(text.substr(text.rfind('.') == std::string::npos ? 0 : text.rfind('.') + 1));
  return contains(last, "tokenizer") || last == "tok" || contains(last, "processor");
}

// tokenizer(x), self.tokenizer(x), tokenizer.encode(x), processor.apply_chat_template(x), or a call
// of a name bound to AutoTokenizer.from_pretrained(...).
bool is_tokenizer_call(const Call& call, const CallSyntax& cs) {
  const std::string& fn = cs.callee.text;
  if (call.method == "apply_chat_template") return true;
  if (call.method == "encode" || call.method == "encode_plus" || call.method == "__call__") {
    std::string receiver = fn.substr(0, fn.rfind('.') == std::string::npos ? 0 : fn.rfind('.'));
    return tokenizer_like_name(receiver);
  }
  if (cs.callee.node_type == "identifier" || cs.callee.node_type == "attribute") {
    if (tokenizer_like_name(fn)) return true;
    const Value& v = *cs.callee_value;
    if (v.kind == ValueKind::Call && v.call && v.call->method == "from_pretrained" &&
        (contains(v.call->callee, "Tokenizer") || contains(v.call->callee, "Processor")))
      return true;
  }
  return false;
}

// A call that makes an object running the model on what it is called with (a transformers
// pipeline), per the engine table.
// A loop over prompts: its variable or collection is named for them, or it walks a literal list
// of strings.
bool walks_prompts(const Loop& loop) {
  static const char* const kWords[] = {"prompt", "question", "query", "queries", "instruction", "sentence", "text"};
  auto named = [&](const std::string& name) {
    std::string l = lower(name);
    for (const char* w : kWords)
      if (contains(l, w)) return true;
    return false;
  };
  for (const auto& t : loop.targets)
    if (named(t)) return true;
  if (named(loop.iterable.text)) return true;
  const Value& v = *loop.iterable_value;
  return v.kind == ValueKind::List && !v.items.empty() &&
         std::all_of(v.items.begin(), v.items.end(), [](const ValuePtr& i) { return i->kind == ValueKind::String; });
}

// The receiver of `x.generate(...)` is a model made in this file: named for one (model, llm) and
// bound to a call, not a parameter or a tokenizer.
bool builds_model(const CallSyntax& cs) {
  const std::string& fn = cs.callee.text;
  auto dot = fn.rfind('.');
  if (dot == std::string::npos) return false;
  std::string receiver = lower(fn.substr(0, dot));
  if (tokenizer_like_name(receiver)) return false;
  if (!contains(receiver, "model") && !contains(receiver, "llm")) return false;
  return cs.receiver_value && cs.receiver_value->kind == ValueKind::Call;
}

bool is_pipeline_factory(const Call& c) {
  const engines::Launcher* l = engines::surfaces().call_launcher(c.callee);
  return l && l->callable_model;
}

// A value made by a call whose .generate() takes prompt text (vLLM's LLM, SGLang's Engine).
bool generates_from_text(const Value& v) {
  if (v.kind != ValueKind::Call || !v.call) return false;
  const engines::Launcher* l = engines::surfaces().call_launcher(v.call->callee);
  return l && l->generates_from_text;
}

bool generation_task(const Call& pipeline) {
  ValuePtr task = pipeline.argument("task", 0);
  if (!task || task->kind != ValueKind::String) return false;
  static const std::set<std::string> kTasks = {"text-generation", "text2text-generation", "summarization",
                                               "translation", "image-text-to-text", "image-to-text",
                                               "conversational", "automatic-speech-recognition"};
  return kTasks.count(task->text) > 0 || task->text.rfind("translation_", 0) == 0;
}

// "`prompts` (loop at line 12)": the line as the host file numbers it (a notebook's raw line).
std::string loop_phrase(const Loop& loop, const RuleContext& ctx) {
  std::string where = std::string(loop.kind == Loop::Comprehension ? "comprehension" : "loop") + " at line " +
                      std::to_string(ctx.host_position(loop.range.start).line);
  if (loop.kind == Loop::While) return "a list drained item by item (" + where + ")";
  return "`" + loop_subject(loop.iterable.text) + "` (" + where + ")";
}

Range end_word(const Range& callee, std::size_t length) {
  // The method name is the last `length` code points of the callee expression (ASCII).
  Range r = callee;
  if (r.end.column > length) r.start = {r.end.line, static_cast<uint32_t>(r.end.column - length)};
  return r;
}

// The model size for the estimate's baseline: the launch's model, else the file's one model.
std::optional<double> model_size(const engines::Launch& launch, const RuleContext& ctx) {
  if (const engines::Setting* m = launch.get("model"); m && m->known)
    if (model::ModelSize size = model::resolve_model_size(m->value); size.known) return size.total_billions;
  return ctx.file().model_params_b;
}

class Eco003 final : public Rule {
 public:
  Eco003() : Rule("ECO003") {}
  std::vector<std::string> settings_read() const override { return {"max_batch_size"}; }
  // A cap matters only at 1 (is_one_text): the caps' words count only with a 1 written near them.
  std::string settings_value() const override { return "1"; }
  std::vector<Trigger> code_triggers() const override {
    // A pipeline called per item matters only with a generation task written in the file
    // (generation_task needs the task string; these words cover every entry of its list:
    // `-generation` is in text-generation and text2text-generation, not in generation_config).
    // The factory is reached through the whole name `pipeline` (an import or transformers.pipeline).
    // The per-item checks need the call inside a loop of its function: the words count only in
    // a loop's lines (Trigger::in_loop). The generate() checks read method calls only
    // (`model.generate(...)`), so the word is `.generate(`, not `generate(` (which `def generate(`,
    // `self._generate(` hold too). Calls are code: in Python, the words count outside
    // strings and comments only (Trigger::code_word); the task is a string (generation_task reads
    // a string value), so its words count inside strings only (Trigger::string_conditions).
    return {{".generate(", {}, "", false, true, true},
            {".chat(", {"tok", "processor"}, "", false, true, true},  // model.chat(tokenizer, query)
            {"pipeline",
             {"-generation", "summarization", "translation", "to-text", "conversational", "speech-recognition"},
             "",
             true,
             false,
             true,
             false,
             true}};
  }

  bool reads_call_syntax() const override { return true; }
  void check_python(const python::Module& module, RuleContext& ctx) const override {
    TokenizerCallsByLoop tokenizer_calls;
    for (const auto& call : module.calls()) {
      const CallSyntax* cs = module.syntax(*call);
      if (!cs || cs->loops.empty() || !is_tokenizer_call(*call, *cs)) continue;
      for (const Loop* loop : cs->loops) tokenizer_calls[loop].push_back({call.get(), cs});
    }
    // One finding per loop: a loop that generates in two branches is one loop to batch.
    std::set<const Loop*> reported;
    for (const auto& call : module.calls()) {
      const CallSyntax* cs = module.syntax(*call);
      if (!cs) continue;
      check_generate_per_item(tokenizer_calls, *call, *cs, ctx, reported);
      check_chat_per_item(*call, *cs, ctx, reported);
      check_pipeline_per_item(*call, *cs, ctx, reported);
    }
  }

  // An engine's batch cap set to 1, however it is written (rows of rules/surfaces.yaml).
  void check_launches(const std::vector<engines::Launch>& launches, RuleContext& ctx) const override {
    for (const auto& launch : launches) {
      // Every cap of the launch (TGI has two: concurrent requests and batch size); for each, the
      // effective spelling (a flag over the environment).
      std::set<const engines::SettingRow*> rows;
      for (const auto& s : launch.settings)
        if (s.name == "max_batch_size") rows.insert(s.row);
      for (const engines::SettingRow* row : rows) {
        const engines::Setting* cap = nullptr;
        for (const auto& s : launch.settings)
          if (s.row == row && (!cap || !(s.from_env && !cap->from_env))) cap = &s;
        if (!cap || !cap->known || !is_one_text(cap->value)) continue;
        std::string message = launch.describe(*cap) + " serves one request at a time";
        if (!cap->context.empty()) message += " (" + cap->context + ")";
        message += ": every token is decoded for a single sequence, so the GPU streams the whole model's weights per "
                   "token of one request";
        edits::attach(report(ctx, {cap->where, message, cap->row ? cap->row->fix : "", model_size(launch, ctx)}),
                      edits::remove_batch_cap_fix(ctx.source(), launch, *cap), info().fix_safety);
      }
    }
  }

 private:
  static bool is_one_text(const std::string& v) { return v == "1" || v == "1.0"; }

  // ---- Per-item loops -----------------------------------------------------------------------

  // The innermost loop, within the call's function, that walks single items: none when a loop on
  // the way reads input() (an interactive session: nothing to batch).
  template <typename PerItem>
  static const Loop* per_item_loop(const CallSyntax& cs, PerItem&& is_per_item) {
    for (const Loop* loop : cs.loops) {
      if (loop->reads_input) return nullptr;
      if (loop->kind != Loop::While && is_batch_loop(*loop)) continue;
      std::set<std::string> seeds = item_names(*loop);
      if (seeds.empty()) continue;
      std::set<std::string> loop_names = derive(*loop, seeds, seeds, false);
      std::set<std::string> items = derive(*loop, seeds, loop_names, true);
      if (is_per_item(*loop, items, loop_names)) return loop;
    }
    return nullptr;
  }

  struct TokenizerCall {
    const Call* call;
    const CallSyntax* syntax;
  };
  using TokenizerCallsByLoop = std::map<const Loop*, std::vector<TokenizerCall>>;

  void check_generate_per_item(const TokenizerCallsByLoop& tokenizer_calls, const Call& call, const CallSyntax& cs,
                               RuleContext& ctx, std::set<const Loop*>& reported) const {
    if (call.method != "generate" || cs.callee.node_type != "attribute" || cs.loops.empty()) return;
    if (decodes_several(call)) return;
    bool vllm = cs.receiver_value && generates_from_text(*cs.receiver_value);
    const Loop* loop = per_item_loop(cs, [&](const Loop& l, const std::set<std::string>& items,
                                             const std::set<std::string>& loop_names) {
      // vLLM's LLM.generate takes the prompt text itself.
      if (vllm && single_item(syntax_argument(cs, {"prompts"}, 0), items, loop_names)) return true;
      if (generates_from_encoded_item(tokenizer_calls, call, cs, l, items, loop_names)) return true;
      // A generate() that takes text (textgen, gpt4all, ...) given one prompt of a list of prompts,
      // on a model this file builds (not an object handed in, which may be anything).
      return !cs.args.empty() && single_item(&cs.args[0], items, loop_names) && walks_prompts(l) &&
             builds_model(cs);
    });
    if (!loop || !reported.insert(loop).second) return;
    std::string message = "generate() is called once per item of " + loop_phrase(*loop, ctx) +
                          ": each call decodes a single sequence, so the GPU reads every weight once per token "
                          "for one prompt";
    std::string fix = vllm ? "pass the whole list to one call: llm.generate(prompts, sampling_params); the engine "
                             "batches them continuously"
                           : "generate in batches: tokenizer.padding_side = \"left\"; for each slice of 8-32 prompts "
                             "call tokenizer(batch, padding=True, return_tensors=\"pt\") and model.generate(**inputs) "
                             "once; or serve with a continuous-batching engine (vLLM, TGI)";
    report(ctx, {end_word(call.callee_range, 8), message, fix, ctx.file().model_params_b});
  }

  // The loop tokenizes one item and hands that item's tensors to this generate() call.
  static bool generates_from_encoded_item(const TokenizerCallsByLoop& tokenizer_calls, const Call& generate,
                                          const CallSyntax& gs, const Loop& loop, const std::set<std::string>& items,
                                          const std::set<std::string>& loop_names) {
    std::set<std::string> encoded;
    bool inline_encoding = false;
    auto in_loop = tokenizer_calls.find(&loop);
    if (in_loop == tokenizer_calls.end()) return false;
    for (const auto& [other, ts] : in_loop->second) {
      if (!encodes_single_item(*ts, items, loop_names)) continue;
      if (other->start_byte >= generate.start_byte && other->end_byte <= generate.end_byte) inline_encoding = true;
      for (const auto& a : loop.assignments)
        if (other->start_byte >= a.value.start_byte && other->end_byte <= a.value.end_byte)
          encoded.insert(a.targets.begin(), a.targets.end());
    }
    if (inline_encoding) return true;
    if (encoded.empty()) return false;
    encoded = derive(loop, encoded, loop_names, true);
    for (const auto& a : gs.args)
      if (reads_any(a.reads, encoded) && !is_batch_slice(a, loop_names)) return true;
    for (const auto& [name, a] : gs.keywords)
      if (reads_any(a.reads, encoded) && !is_batch_slice(a, loop_names)) return true;
    return false;
  }

  // model.chat(tokenizer, query) per item: the remote-code chat API of ChatGLM, Qwen, InternLM,
  // Baichuan and others, one generation per call. A conversation (history carried from one call to
  // the next) cannot be batched and is not reported.
  void check_chat_per_item(const Call& call, const CallSyntax& cs, RuleContext& ctx, std::set<const Loop*>& reported) const {
    if (call.method != "chat" || cs.callee.node_type != "attribute" || cs.loops.empty()) return;
    if (cs.args.empty() || !tokenizer_like_name(cs.args[0].text)) return;
    const Loop* loop = per_item_loop(cs, [&](const Loop& l, const std::set<std::string>& items,
                                             const std::set<std::string>& loop_names) {
      for (const auto& [name, facts] : cs.keywords)
        if (name == "history" && !facts.reads.empty() && facts.node_type != "none") {
          // history=history, reassigned from the call's result in the loop: a conversation.
          for (const auto& a : l.assignments)
            if (reads_any(facts.reads, std::set<std::string>(a.targets.begin(), a.targets.end()))) return false;
        }
      return single_item(syntax_argument(cs, {"query", "question", "prompt", "messages", "message"}, 1), items,
                         loop_names);
    });
    if (!loop || !reported.insert(loop).second) return;
    std::string message = "chat() is called once per item of " + loop_phrase(*loop, ctx) +
                          ": each call generates for a single prompt, so the GPU reads every weight once per token "
                          "for one prompt";
    std::string fix = "batch the prompts: apply the chat template to 8-32 prompts, tokenize them together with "
                      "padding_side=\"left\" and call model.generate once per batch; or serve the model with a "
                      "continuous-batching engine (vLLM, SGLang, TGI)";
    report(ctx, {end_word(call.callee_range, 4), message, fix, ctx.file().model_params_b});
  }

  // pipe(prompt) per item, where pipe = pipeline("text-generation", ...).
  void check_pipeline_per_item(const Call& call, const CallSyntax& cs, RuleContext& ctx,
                               std::set<const Loop*>& reported) const {
    if (cs.loops.empty()) return;
    const Value& fn = *cs.callee_value;
    if (fn.kind != ValueKind::Call || !fn.call || !is_pipeline_factory(*fn.call) || !generation_task(*fn.call)) return;
    const Loop* loop = per_item_loop(cs, [&](const Loop&, const std::set<std::string>& items,
                                             const std::set<std::string>& loop_names) {
      return single_item(syntax_argument(cs, {"text_inputs", "inputs"}, 0), items, loop_names);
    });
    if (!loop || !reported.insert(loop).second) return;
    std::string message = "the " + fn.call->argument("task", 0)->text + " pipeline is called once per item of " +
                          loop_phrase(*loop, ctx) + ": each call runs the model on a single input";
    std::string fix = "call the pipeline once on the whole list (or a dataset) with batch_size=8-32 and a pad token "
                      "(tokenizer.padding_side = \"left\"): outputs = pipe(prompts, batch_size=16)";
    report(ctx, {call.range, message, fix, ctx.file().model_params_b});
  }

};

}  // namespace

std::unique_ptr<Rule> make_eco003() { return std::make_unique<Eco003>(); }

}  // namespace ecolint
