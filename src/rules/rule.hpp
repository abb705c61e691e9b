#pragma once
// A rule reads the facts of one sub-source (a Python module, the launches of a YAML file or a
// shell line) and reports diagnostics. One rule = src/rules/ecoNNN.cpp (detection) +
// rules/ECONNN.yaml (id, title, severity, docs, fix text, evidence). The base class fills in what
// every finding carries from the rule's data: id, severity, fix and energy impact.
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "base/diagnostic.hpp"
#include "base/source.hpp"
#include "base/trigger.hpp"
#include "catalog/rule_info.hpp"
#include "engines/launch.hpp"

namespace ecolint {

namespace python {
class Module;
}

// What the pipeline knows about a file before any rule runs.
struct FileContext {
  std::string gpu;         // canonical GPU name for the estimates, or "" for all measured GPUs
  std::string gpu_origin;  // where the file itself named its GPU ("GPU L4 from line 17 (NVIDIA-L4)"), or ""
  std::optional<double> nf4_threshold_b;  // ECO002's size threshold (the GPU's crossover, or config)
  std::optional<double> model_params_b;   // the size of the one model the file's launches name, if one
};

class RuleContext {
 public:
  RuleContext(std::string path, const SourceText& source, const FileContext& file, std::vector<Diagnostic>& out)
      : path_(std::move(path)), source_(source), file_(file), out_(out) {
    for (const auto& d : out_) seen_.insert({d.rule, d.range.start.line, d.range.start.column});
  }
  const std::string& path() const { return path_; }
  const SourceText& source() const { return source_; }
  const FileContext& file() const { return file_; }
  // Where a position of this sub-source is in the host file (a notebook cell's line is a line of
  // the raw .ipynb), for messages that name another place.
  Position host_position(Position p) const { return to_host_ ? to_host_(p) : p; }
  void set_host_map(std::function<Position(Position)> to_host) { to_host_ = std::move(to_host); }
  // Adds a finding; a second finding of the same rule at the same place is dropped. Returns the
  // new finding, or nullptr when it was a duplicate.
  Diagnostic* add(Diagnostic d);
  // Whether a rule that ran before already reported a finding starting here (one finding per
  // setting where two rules would say the same thing).
  bool reported(const std::string& rule, Position start) const {
    return seen_.count({rule, start.line, start.column}) > 0;
  }

 private:
  std::string path_;
  const SourceText& source_;
  const FileContext& file_;
  std::vector<Diagnostic>& out_;
  std::set<std::tuple<std::string, uint32_t, uint32_t>> seen_;  // (rule, line, column) already reported
  std::function<Position(Position)> to_host_;
};

class Rule {
 public:
  // Throws std::runtime_error when rules/<id>.yaml is missing (a test checks every rule has data).
  explicit Rule(std::string id);
  virtual ~Rule() = default;
  const std::string& id() const { return id_; }
  const catalog::RuleInfo& info() const { return *info_; }

  // Setting meanings (rules/surfaces.yaml `setting`) this rule reads, and for quantize settings the
  // methods it cares about: the prefilter words are derived from every row that spells them.
  virtual std::vector<std::string> settings_read() const { return {}; }
  virtual std::vector<std::string> methods_read() const { return {}; }
  // The one value the settings read must have for a finding, when there is one (base/trigger.hpp
  // `value_near`); empty: any value.
  virtual std::string settings_value() const { return {}; }
  // Words of code shapes the rule finds without a setting (a generate() call in a loop).
  virtual std::vector<Trigger> code_triggers() const { return {}; }
  // All of this rule's prefilter triggers.
  std::vector<Trigger> triggers() const;
  // The triggers of the settings it reads (every spelling in the engine table), without the code
  // words: what can make it fire in text where no Python is read (a shell script, a YAML file
  // without a ConfigMap Python key).
  std::vector<Trigger> setting_triggers() const;

  // Whether check_python reads Module::syntax() (loops and argument reads around calls). That pass
  // is built only for Python text where such a rule's triggers hold (its findings need them); for
  // other text Module::syntax() is null for every call.
  virtual bool reads_call_syntax() const { return false; }
  virtual void check_python(const python::Module&, RuleContext&) const {}
  virtual void check_launches(const std::vector<engines::Launch>&, RuleContext&) const {}

 protected:
  struct Finding {
    Range where;
    std::string message;
    std::string fix;                    // empty: the rule's fix_short
    std::optional<double> params_b;     // the model's size, for the impact
    std::string method;                 // the evidence method of the impact, when not the rule's own
    std::optional<Severity> severity;   // when the finding's evidence sets it, not the rule's data
  };
  Diagnostic* report(RuleContext& ctx, Finding f) const;

 private:
  std::string id_;
  const catalog::RuleInfo* info_;
};

// Every rule, in id order. The list the compiler sees: adding a rule adds one line in registry.cpp.
const std::vector<std::unique_ptr<Rule>>& all_rules();

}  // namespace ecolint
