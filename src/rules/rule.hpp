#pragma once
// A rule reads the facts of one file and reports diagnostics. Detection code lives in
// src/rules/ecoNNN.cpp; id, title, docs, fix text and evidence live in rules/ECONNN.yaml.
#include <memory>
#include <optional>
#include <set>
#include <tuple>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.hpp"
#include "core/source.hpp"

namespace ecolint {
namespace python { class Module; }
namespace deploy { struct Document; }  // YAML deployment/training config facts

struct LintOptions {
  std::vector<std::string> enabled_rules;  // ids; empty means none
  std::string gpu;                         // canonical GPU name from --gpu, or empty
  std::optional<double> nf4_threshold_b;   // ECO002's size threshold, from the GPU or config
};

class LintContext {
 public:
  LintContext(std::string path, const SourceText& source, const LintOptions& options, std::vector<Diagnostic>& out)
      : path_(std::move(path)), source_(source), options_(options), out_(out) {
    for (const auto& d : out_) seen_.insert({d.rule, d.range.start.line, d.range.start.column});
  }
  const std::string& path() const { return path_; }
  const SourceText& source() const { return source_; }
  const LintOptions& options() const { return options_; }
  // Adds a finding; a second finding of the same rule at the same place is dropped.
  // Returns the new finding, or nullptr when it was a duplicate.
  Diagnostic* report(const std::string& rule, const Range& range, std::string message, std::string fix, std::string impact);

 private:
  std::string path_;
  const SourceText& source_;
  const LintOptions& options_;
  std::vector<Diagnostic>& out_;
  std::set<std::tuple<std::string, uint32_t, uint32_t>> seen_;  // (rule, line, column) already reported
};

// What must occur in a file's bytes for a rule to possibly fire: `word`, and, unless `and_any_of`
// is empty, one of those too. A rule fires only if one of its triggers holds; this is the cheap
// prefilter that decides whether a file is parsed at all (Semgrep derives the same kind of
// required-strings formula from its patterns).
struct Trigger {
  std::string_view word;
  std::vector<std::string_view> and_any_of;
};

class Rule {
 public:
  virtual ~Rule() = default;
  virtual std::string_view id() const = 0;
  virtual std::vector<Trigger> triggers() const = 0;
  virtual void check_python(const python::Module&, LintContext&) const {}
  virtual void check_deploy(const deploy::Document&, LintContext&) const {}
};

// Every rule, in id order. The list the compiler sees: adding a rule adds one line here.
const std::vector<std::unique_ptr<Rule>>& all_rules();

}  // namespace ecolint
