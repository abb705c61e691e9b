#pragma once
// Commands that launch engines, read through the engine table: `vllm serve m --max-num-seqs 1`,
// `python -m sglang.launch_server ...`, `sh -c "..."` (anywhere in a command: `docker exec c bash
// -c "..."`), `KEY=value program ...`, `docker run -e KEY=value IMAGE args...`, and whole shell
// scripts with their variables. Used by the YAML reader (container commands, compose commands),
// shell scripts, Dockerfiles, notebook shell lines and Python argument lists (subprocess.run).
#include <map>
#include <string>
#include <vector>

#include "base/source.hpp"
#include "engines/launch.hpp"
#include "shell/words.hpp"

namespace ecolint::engines {
struct Surfaces;
}

namespace ecolint::shell {

// As `default_engine`: a command with no program and no image (a kustomize patch of a container's
// args, the image being in the base) belongs to the engine its flags name, when only one reads them.
inline constexpr const char* kEngineOfFlags = "?flags";

class CommandReader {
 public:
  // `raw` is the file whose byte offsets the words carry.
  CommandReader(const SourceText& raw, const engines::Surfaces& table) : raw_(raw), table_(table) {}

  // `sh -c "script"` (or bash -lc ...): the script's words replace the three words.
  std::vector<Word> expand_shell_scripts(const std::vector<Word>& words) const;

  // The launches of a word list: split at separators; each command's engine is found by its
  // program (and subcommand), `python -m module` or `python script`; a command that starts with a
  // flag belongs to `default_engine` (the engine of a container's image). Unknown programs give
  // nothing: their flags mean nothing we know.
  std::vector<engines::Launch> launches(const std::vector<Word>& words, const std::string& default_engine) const;

  // A whole script: its variables (NAME=value assigned to one value in the file) are substituted
  // in the commands that use them ($NAME, ${NAME}).
  std::vector<engines::Launch> script_launches(std::string_view text, std::size_t offset, const std::string& default_engine = "");

  engines::Launch new_launch(const std::string& engine) const;
  // An environment variable the engine reads (QUANTIZE=bitsandbytes), added to `launch`.
  void env_var(const std::string& name, const std::string& value, Range where, engines::Launch& launch) const;
  void env_assignment(const std::string& text, Range where, engines::Launch& launch) const;
  Range range_of(std::size_t offset, std::size_t length) const;
  Range range_of(const Word& w) const { return range_of(w.offset, w.length); }
  // From the start of `first` to the end of `last`, over lines; line 0 when either word is not
  // written literally (for fixes).
  Range span_of(const Word& first, const Word& last) const;

  // The engine whose container image this is (`vllm/vllm-openai:v0.6`), or "".
  std::string engine_of_image(const std::string& image) const;

 private:
  void run_segment(std::vector<Word> seg, const std::string& default_engine, std::vector<engines::Launch>& launches) const;
  bool docker_run(const std::vector<Word>& seg, std::size_t i, std::vector<engines::Launch>& launches) const;
  std::string engine_of_flags(const std::vector<Word>& seg, std::size_t from) const;
  std::vector<Word> substitute(std::vector<Word> words) const;

  const SourceText& raw_;
  const engines::Surfaces& table_;
  std::map<std::string, std::string> variables_;  // script variables with one known value
};

// Values that are not statically known: templated ({{ }}) or references to variables ($X,
// ${X}, $(command)).
bool templated(const std::string& value);

// A setting read through a row, spelled `written`.
engines::Setting make_setting(const engines::SettingRow& row, const std::string& written, const std::string& value,
                              Range where, bool from_env);

}  // namespace ecolint::shell
