#include "python/launches.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "base/text.hpp"
#include "engines/surfaces.hpp"
#include "python/facts.hpp"
#include "shell/command.hpp"

namespace ecolint::python {

using engines::Launch;
using engines::Launcher;
using engines::SettingRow;

namespace {

constexpr int kMaxConfigDepth = 4;  // config objects nested in config objects

// A Python literal as a setting value ("true" for True); false when not statically known.
bool literal_text(const Value& v, std::string& out) {
  char buf[64];
  switch (v.kind) {
    case ValueKind::Bool: out = v.boolean ? "true" : "false"; return true;
    case ValueKind::Int: std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v.number)); out = buf; return true;
    case ValueKind::Float: std::snprintf(buf, sizeof buf, "%g", v.number); out = buf; return true;
    case ValueKind::String: out = v.text; return true;
    default: return false;
  }
}

class Builder {
 public:
  explicit Builder(const Module& m)
      : module_(m), source_(m.source()), table_(engines::surfaces()), commands_(source_, table_) {}

  std::vector<Launch> run() {
    purpose_ = purpose_of(module_);
    for (const auto& call : module_.calls()) {
      if (call->callee == "dict") {
        typed_dict(dict_of_call(*call));
      } else if (const Launcher* l = launcher_of(call->callee)) {
        if (l->argv >= 0) command_line(*call, *l);
        else launch_of_call(*call, *l);
      }
      // Config objects handed to any call: quantization_config={...} to a loader we do not know.
      for (const auto& kw : call->keywords) loose_config(kw.name, *kw.value, *call, 0, kw.range);
      for (const auto& arg : call->args) loose_config("", *arg, *call, 0);
    }
    return std::move(out_);
  }

  // How a Python file uses what it loads: it trains when it builds a trainer, a PEFT model or
  // training arguments, or calls train(); it runs inference when it generates and trains nothing.
  static Launch::Purpose purpose_of(const Module& m) {
    bool generates = false, trains = false;
    for (const auto& call : m.calls()) {
      const std::string& name = call->method;
      if (name == "generate" || name == "chat" || name == "stream_chat" || engines::call_matches(call->callee, "transformers.pipeline"))
        generates = true;
      if (name == "train" || name == "get_peft_model" || name == "prepare_model_for_kbit_training" ||
          text::ends_with(name, "Trainer") || name == "TrainingArguments" || text::ends_with(name, "TrainingArguments") ||
          name == "SFTConfig" || name == "LoraConfig" || name == "get_peft_model")
        trains = true;
    }
    if (trains) return Launch::Purpose::Training;
    return generates ? Launch::Purpose::Inference : Launch::Purpose::Unknown;
  }

 private:
  const Module& module_;
  const SourceText& source_;
  const engines::Surfaces& table_;
  shell::CommandReader commands_;
  std::vector<Launch> out_;
  Launch::Purpose purpose_ = Launch::Purpose::Unknown;

  const Launcher* launcher_of(const std::string& callee) const { return table_.call_launcher(callee); }

  const Launcher* map_key_launcher(const std::string& key) const {
    for (const auto& l : table_.launchers)
      if (!l.map_key.empty() && l.map_key == key) return &l;
    return nullptr;
  }

  // The source text of a range on one line (how a keyword was written), else `fallback`.
  std::string written(const Range& r, const std::string& fallback) const {
    if (r.start.line == 0 || r.start.line != r.end.line || r.end.column <= r.start.column) return fallback;
    std::size_t a = source_.offset_from_position(r.start), b = source_.offset_from_position(r.end);
    if (b <= a || b - a > 200) return fallback;
    return source_.text().substr(a, b - a);
  }

  // A literal as Python writes it, for messages when the source text spans lines.
  static std::string python_literal(const Value& v, const std::string& text) {
    if (v.kind == ValueKind::Bool) return v.boolean ? "True" : "False";
    if (v.kind == ValueKind::String) return "\"" + text + "\"";
    return text;
  }

  // The callee as written (cut at kMaxExpressionText bytes, as in CallSyntax::callee), else the
  // last segment of its resolved name; read from the source, so without Module::syntax().
  std::string call_text(const Call& call) const {
    const std::string& text = source_.text();
    std::string name;
    if (call.callee_end_byte > call.callee_start_byte && call.callee_end_byte <= text.size())
      name = text.substr(call.callee_start_byte,
                         std::min<std::size_t>(call.callee_end_byte - call.callee_start_byte, kMaxExpressionText));
    if (name.empty()) name = text::last_segment(call.callee);
    if (name.size() > 60) name = text::last_segment(name);
    return name + "(...)";
  }

  // Rows of `engine` that a keyword or dict key named `name` means. `parent`: keys of the map that
  // holds a config (the call's own keywords) may also be the config's `in_parent` rows.
  const SettingRow* row_for(const std::string& engine, const std::string& name, bool own, bool parent) const {
    const engines::Engine* e = table_.engine(engine);
    for (const auto& r : table_.settings) {
      if (!r.for_engine(engine) || !r.under.empty()) continue;
      if (r.in_parent ? !parent : !own) continue;
      if (r.kwarg == name || r.key == name) return &r;
      if (e && e->underscores_are_dashes) {
        std::string flag = r.flag;
        while (!flag.empty() && flag[0] == '-') flag.erase(0, 1);
        if ((!r.key.empty() && text::underscored(r.key) == name) || (!flag.empty() && text::underscored(flag) == name))
          return &r;
      }
    }
    return nullptr;
  }

  const SettingRow* row_of_setting(const std::string& engine, const std::string& setting) const {
    for (const auto& r : table_.settings)
      if (r.for_engine(engine) && r.setting == setting) return &r;
    return nullptr;
  }

  void add_setting(Launch& launch, const SettingRow& row, const std::string& name, const Value& value, Range name_range,
                   Range whole, bool direct) {
    engines::Setting s;
    s.name = row.setting;
    s.row = &row;
    s.known = literal_text(value, s.value);
    s.written = written(whole, name + "=" + (s.known ? python_literal(value, s.value) : "..."));
    s.direct = direct;
    s.where = name_range;
    s.form = engines::Setting::Form::Python;
    s.whole = whole;
    s.value_range = value.range;
    launch.settings.push_back(std::move(s));
  }

  // Settings from launch.settings[from] on were read from a config object handed over by `carrier`
  // (`quantization_config=bnb`): recorded for fixes, innermost carrier first.
  static void carried(Launch& launch, std::size_t from, const std::string& key, Range carrier) {
    for (std::size_t i = from; i < launch.settings.size(); ++i)
      if (launch.settings[i].via_key.empty()) launch.settings[i].via = carrier, launch.settings[i].via_key = key;
  }

  // A config object (a dict, or a call of a launcher such as BitsAndBytesConfig) read into `launch`
  // with the rows of `engine`.
  void read_config(const Value& v, Launch& launch, const std::string& engine, int depth) {
    if (depth > kMaxConfigDepth) return;
    if (v.kind == ValueKind::Dict) {
      if (v.dict_open) launch.open = true;
      for (const auto& e : v.entries) read_entry(e.key, *e.value, e.key_range, e.range, launch, engine, false, depth);
    } else if (v.kind == ValueKind::Call && v.call) {
      const Launcher* l = launcher_of(v.call->callee);
      if (!l || l->engine.empty()) return;
      read_call(*v.call, launch, *l, false, depth + 1);
    }
  }

  void read_entry(const std::string& key, const Value& value, Range key_range, Range whole, Launch& launch,
                  const std::string& engine, bool direct, int depth) {
    if (key == "type") return;  // the class of an mmengine-style dict
    if (const SettingRow* row = row_for(engine, key, true, direct)) {
      add_setting(launch, *row, key, value, key_range, whole, direct);
    } else if (const Launcher* l = map_key_launcher(key)) {
      std::size_t before = launch.settings.size();
      if (value.kind == ValueKind::Dict || value.kind == ValueKind::Call) read_config(value, launch, l->engine, depth + 1);
      carried(launch, before, key, whole);
    }
  }

  void read_call(const Call& call, Launch& launch, const Launcher& l, bool direct, int depth) {
    if (call.has_unknown_kwargs) launch.open = true;
    for (const auto& kw : call.keywords)
      read_entry(kw.name, *kw.value, kw.name_range, kw.range, launch, l.engine, direct, depth);
    // A config dict handed as a positional argument (axolotl's DictDefault({...})): its keys.
    if (l.config_arg >= 0 && static_cast<std::size_t>(l.config_arg) < call.args.size() &&
        call.args[static_cast<std::size_t>(l.config_arg)]->kind == ValueKind::Dict) {
      const Value& config = *call.args[static_cast<std::size_t>(l.config_arg)];
      if (config.dict_open) launch.open = true;
      for (const auto& e : config.entries) read_entry(e.key, *e.value, e.key_range, e.range, launch, l.engine, direct, depth);
    }
    for (std::size_t i = 0; i < l.args.size() && i < call.args.size(); ++i) {
      if (l.args[i].empty() || call.keyword(l.args[i]) != nullptr) continue;
      if (const SettingRow* row = row_of_setting(l.engine, l.args[i])) {
        engines::Setting s;
        s.name = row->setting;
        s.row = row;
        const Value& v = *call.args[i];
        s.known = literal_text(v, s.value);
        s.written = written(v.range, s.known ? python_literal(v, s.value) : "...");
        s.direct = direct;
        s.where = v.range;
        s.form = engines::Setting::Form::Python;
        s.whole = s.value_range = v.range;
        launch.settings.push_back(std::move(s));
      }
    }
  }

  Launch new_launch(const Launcher& l, std::string written_in) const {
    Launch launch = commands_.new_launch(l.engine);
    launch.launcher = &l;
    launch.written_in = std::move(written_in);
    launch.purpose = purpose_;
    return launch;
  }

  void keep(Launch&& l) {
    // A pipeline's batch_size is no setting of the other calls of its engine (from_pretrained).
    if (!l.launcher || !l.launcher->callable_model)
      l.settings.erase(std::remove_if(l.settings.begin(), l.settings.end(),
                                      [](const engines::Setting& s) { return s.row && s.row->of_callable_model; }),
                       l.settings.end());
    if (!l.settings.empty()) out_.push_back(std::move(l));
  }

  void launch_of_call(const Call& call, const Launcher& l) {
    Launch launch = new_launch(l, call_text(call));
    read_call(call, launch, l, true, 0);
    if (l.callable_model) batch_context(call, launch);
    keep(std::move(launch));
  }

  // `dict(type=X, k=v)` or `{"type": X, ...}` naming a launcher: that call, written as a dict.
  void typed_dict(const Value& dict) {
    const DictEntry* type = dict.entry("type");
    if (!type || (type->value->kind != ValueKind::Name && type->value->kind != ValueKind::String)) return;
    const Launcher* l = launcher_of(type->value->text);
    if (!l || l->engine.empty()) return;
    std::string shown = written(type->value->range, text::last_segment(type->value->text));
    Launch launch = new_launch(*l, "dict(type=" + shown + ", ...)");
    if (dict.dict_open) launch.open = true;
    for (const auto& e : dict.entries) read_entry(e.key, *e.value, e.key_range, e.range, launch, l->engine, true, 0);
    keep(std::move(launch));
  }

  static Value dict_of_call(const Call& call) {
    Value d;
    d.kind = ValueKind::Dict;
    d.dict_open = call.has_unknown_kwargs || !call.args.empty();
    d.range = call.range;
    for (const auto& kw : call.keywords) d.entries.push_back({kw.name, kw.value, kw.name_range, kw.range});
    return d;
  }

  // A dict handed to a call that is no launcher: one that names a launcher with `type`, or one
  // under a map key (quantization_config={...}) with the call's own keywords as its parent map.
  void loose_config(const std::string& keyword, const Value& v, const Call& parent, int depth, Range carrier = {}) {
    if (depth > kMaxConfigDepth || v.kind != ValueKind::Dict) return;
    typed_dict(v);
    if (const Launcher* l = keyword.empty() ? nullptr : map_key_launcher(keyword)) {
      if (!launcher_of(parent.callee)) {
        Launch launch = new_launch(*l, "the `" + keyword + "` dict");
        read_config(v, launch, l->engine, 0);
        carried(launch, 0, keyword, carrier);
        if (!launch.settings.empty())
          for (const auto& kw : parent.keywords)
            if (const SettingRow* row = row_for(l->engine, kw.name, false, true))
              add_setting(launch, *row, kw.name, *kw.value, kw.name_range, kw.range, false);
        keep(std::move(launch));
      }
    }
    for (const auto& e : v.entries) loose_config(e.key, *e.value, parent, depth + 1, e.range);
  }

  // subprocess.run(["vllm", "serve", m, "--max-num-seqs", "1"]), a string, or shlex.split("...").
  void command_line(const Call& call, const Launcher& l) {
    ValuePtr command = call.argument("args", static_cast<std::size_t>(l.argv));
    if (!command) return;
    std::vector<shell::Word> words;
    auto offset_of = [&](const Value& v) { return source_.offset_from_position(v.range.start); };
    if (command->kind == ValueKind::List) {
      for (const auto& item : command->items) {
        shell::Word w;
        std::string text;
        if (item->kind == ValueKind::String || item->kind == ValueKind::Int) literal_text(*item, text);
        w.text = text;  // unknown: matches nothing
        w.offset = offset_of(*item);
        std::size_t end = source_.offset_from_position(item->range.end);
        w.length = end > w.offset ? end - w.offset : 0;
        words.push_back(std::move(w));
      }
    } else if (command->kind == ValueKind::String) {
      words = shell::split(command->text, source_.text(), offset_of(*command));
    } else if (command->kind == ValueKind::Call && command->call && command->call->method == "split" &&
               !command->call->args.empty() && command->call->args[0]->kind == ValueKind::String) {
      const Value& s = *command->call->args[0];
      words = shell::split(s.text, source_.text(), offset_of(s));  // shlex.split("...")
    } else {
      return;
    }
    for (auto& launch : commands_.launches(words, "")) keep(std::move(launch));
  }

  // ---- pipeline(batch_size=1) matters only when the pipeline is run over many inputs ----------

  static bool builds_collection(const ExpressionFacts& e) {
    if (e.node_type == "binary_operator" && !e.text.empty() && e.text.front() == '[') return true;  // [prompt] * n
    return e.node_type == "list_comprehension" || e.node_type == "generator_expression" ||
           e.node_type == "set_comprehension";
  }

  static const ExpressionFacts* input_syntax(const CallSyntax& us) {
    for (const auto& [kw, facts] : us.keywords)
      if (kw == "text_inputs" || kw == "inputs") return &facts;
    return us.args.empty() ? nullptr : &us.args[0];
  }

  static bool runs_over_many(const Call& use, const CallSyntax& us) {
    const ExpressionFacts* arg = input_syntax(us);
    ValuePtr v = use.argument("text_inputs", 0);
    if (!v) v = use.argument("inputs", 0);
    if (!arg || !v) return false;
    if (v->kind == ValueKind::List) return v->items.size() > 1;
    if (builds_collection(*arg)) return true;
    if (v->kind == ValueKind::Call && v->call) {
      static const std::set<std::string> kDatasets = {"KeyDataset", "KeyPairDataset", "load_dataset", "from_list",
                                                      "from_dict", "from_pandas"};
      if (kDatasets.count(v->call->method)) return true;
    }
    std::string text = text::lower(arg->text);
    return text::contains(text, "dataset") || text == "ds" || text::starts_with(text, "ds[");
  }

  // Keeps the batch setting only when a call of the object this call made runs it over a list or a
  // dataset without a batch_size of its own, and says where.
  void batch_context(const Call& factory, Launch& launch) {
    int line = 0;
    for (const auto& use : module_.calls()) {
      const CallSyntax* us = module_.syntax(*use);
      if (!us || us->callee_value->kind != ValueKind::Call || us->callee_value->call != &factory) continue;
      if (use->keyword("batch_size")) continue;  // the call overrides it
      if (!runs_over_many(*use, *us)) continue;
      line = static_cast<int>(use->range.start.line);
      break;
    }
    for (auto it = launch.settings.begin(); it != launch.settings.end();) {
      if (it->name != "max_batch_size") {
        ++it;
        continue;
      }
      if (line == 0) {
        it = launch.settings.erase(it);
      } else {
        it->context = "it is run over a list or dataset at line " + std::to_string(line);
        ++it;
      }
    }
  }
};

}  // namespace

std::vector<Launch> launches_of(const Module& module) { return Builder(module).run(); }

}  // namespace ecolint::python
