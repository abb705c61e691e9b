#pragma once
// Commands that launch engines, read through the engine table: `vllm serve m --max-num-seqs 1`,
// `python -m sglang.launch_server ...`, `sh -c "..."`, `KEY=value program ...`. Used by the YAML
// reader (container commands, compose commands, config `run:` blocks), notebook shell lines and
// Python argument lists (subprocess.run([...])).
#include <string>
#include <vector>

#include "base/source.hpp"
#include "engines/launch.hpp"
#include "shell/words.hpp"

namespace ecolint::engines {
struct Surfaces;
}

namespace ecolint::shell {

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

  engines::Launch new_launch(const std::string& engine) const;
  // An environment variable the engine reads (QUANTIZE=bitsandbytes), added to `launch`.
  void env_var(const std::string& name, const std::string& value, Range where, engines::Launch& launch) const;
  void env_assignment(const std::string& text, Range where, engines::Launch& launch) const;
  Range range_of(std::size_t offset, std::size_t length) const;
  Range range_of(const Word& w) const { return range_of(w.offset, w.length); }
  // From the start of `first` to the end of `last`, over lines; line 0 when either word is not
  // written literally (for fixes).
  Range span_of(const Word& first, const Word& last) const;

 private:
  void run_segment(std::vector<Word> seg, const std::string& default_engine, std::vector<engines::Launch>& launches) const;

  const SourceText& raw_;
  const engines::Surfaces& table_;
};

// Values that are not statically known: templated ({{ }}) or environment references ($(X), ${X}).
bool templated(const std::string& value);

// A setting read through a row, spelled `written`.
engines::Setting make_setting(const engines::SettingRow& row, const std::string& written, const std::string& value,
                              Range where, bool from_env);

}  // namespace ecolint::shell
