#include "shell/command.hpp"

#include <algorithm>
#include <cctype>

#include "base/text.hpp"
#include "engines/surfaces.hpp"

namespace ecolint::shell {

using engines::Launch;
using engines::Launcher;
using engines::Setting;
using engines::SettingRow;

namespace {

bool is_python(const std::string& program) {
  std::string b = text::basename(program);
  if (b.compare(0, 6, "python") != 0) return false;
  return std::all_of(b.begin() + 6, b.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; });
}

bool is_shell(const std::string& program) {
  std::string b = text::basename(program);
  return b == "sh" || b == "bash" || b == "dash" || b == "zsh" || b == "ash";
}

// Words that start a command without being its program: shell keywords and wrappers.
bool is_prefix_word(const std::string& w) {
  static const char* const kWords[] = {"exec", "if", "then", "else", "elif", "do", "while", "until", "!", "time",
                                       "nohup", "command", "env", "(", "{", "&&", "||"};
  for (const char* k : kWords)
    if (w == k) return true;
  return false;
}

bool is_assignment(const std::string& word) {
  auto eq = word.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  return std::all_of(word.begin(), word.begin() + static_cast<long>(eq),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

}  // namespace

bool templated(const std::string& v) {
  if (v.find("{{") != std::string::npos || v.find('`') != std::string::npos) return true;
  for (std::size_t i = v.find('$'); i != std::string::npos; i = v.find('$', i + 1)) {
    char next = i + 1 < v.size() ? v[i + 1] : '\0';
    if (next == '(' || next == '{' || next == '_' || std::isalpha(static_cast<unsigned char>(next))) return true;
  }
  return false;
}

Setting make_setting(const SettingRow& row, const std::string& written, const std::string& value, Range where,
                     bool from_env) {
  Setting s;
  s.name = row.setting;
  s.value = value;
  s.known = !templated(value);
  s.written = written;
  s.from_env = from_env;
  s.row = &row;
  s.where = where;
  return s;
}

Range CommandReader::range_of(std::size_t offset, std::size_t length) const {
  Range r{raw_.position_from_offset(offset), raw_.position_from_offset(offset + length)};
  if (r.end.line != r.start.line) r.end = r.start;
  return r;
}

Range CommandReader::span_of(const Word& first, const Word& last) const {
  if (first.length == 0 || last.length == 0 || last.offset + last.length < first.offset) return {};
  return {raw_.position_from_offset(first.offset), raw_.position_from_offset(last.offset + last.length)};
}

Launch CommandReader::new_launch(const std::string& engine) const {
  Launch l;
  l.engine = engine;
  const engines::Engine* e = table_.engine(engine);
  l.engine_name = e ? e->name : engine;
  return l;
}

std::vector<Word> CommandReader::expand_shell_scripts(const std::vector<Word>& words) const {
  std::vector<Word> out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const Word& w = words[i];
    // Anywhere in a command: `docker exec c bash -c "..."`, `ssh host sh -c "..."`.
    if (is_shell(w.text) && i + 2 < words.size() && words[i + 1].text.size() >= 2 &&
        words[i + 1].text[0] == '-' && words[i + 1].text.find('c') != std::string::npos) {
      const Word& script = words[i + 2];
      auto inner = split(script.text, raw_.text(), script.offset);
      Word sep;
      sep.separator = true;
      out.push_back(sep);
      out.insert(out.end(), inner.begin(), inner.end());
      out.push_back(sep);
      i += 2;
      continue;
    }
    out.push_back(w);
  }
  return out;
}

std::vector<Launch> CommandReader::launches(const std::vector<Word>& words, const std::string& default_engine) const {
  std::vector<Launch> out;
  std::vector<Word> segment;
  auto flush = [&] {
    if (!segment.empty()) run_segment(segment, default_engine, out);
    segment.clear();
  };
  for (const auto& w : substitute(expand_shell_scripts(words))) {
    if (w.separator) flush();
    else segment.push_back(w);
  }
  flush();
  return out;
}

void CommandReader::run_segment(std::vector<Word> seg, const std::string& default_engine, std::vector<Launch>& launches) const {
  std::size_t i = 0;
  std::vector<Word> assignments;
  for (;;) {
    if (i < seg.size() && is_assignment(seg[i].text)) {
      assignments.push_back(seg[i++]);
    } else if (i < seg.size() && is_prefix_word(seg[i].text)) {
      ++i;
    } else if (i < seg.size() && seg[i].text == "sudo") {
      ++i;
      while (i < seg.size() && seg[i].text.size() > 1 && seg[i].text[0] == '-') ++i;  // sudo -E, -H
    } else {
      break;
    }
  }
  if (i >= seg.size()) return;
  if (docker_run(seg, i, launches)) return;
  std::string engine;
  const Launcher* by = nullptr;
  const std::string program = text::basename(seg[i].text);
  for (const auto& l : table_.launchers) {
    if (l.program.empty() || l.program != program) continue;
    if (!l.subcommand.empty() && !(i + 1 < seg.size() && seg[i + 1].text == l.subcommand)) continue;
    engine = l.engine, by = &l;
    i += l.subcommand.empty() ? 1 : 2;
    break;
  }
  if (engine.empty() && is_python(seg[i].text)) {
    std::size_t j = i + 1;
    while (j < seg.size() && seg[j].text.size() > 1 && seg[j].text[0] == '-' && seg[j].text != "-m") ++j;
    if (j + 1 < seg.size() && seg[j].text == "-m") {
      for (const auto& l : table_.launchers)
        if (!l.module.empty() && l.module == seg[j + 1].text) engine = l.engine, by = &l;
      if (!engine.empty()) i = j + 2;
    } else if (j < seg.size()) {
      for (const auto& l : table_.launchers)
        if (!l.script.empty() && l.script == text::basename(seg[j].text)) engine = l.engine, by = &l;
      if (!engine.empty()) i = j + 1;
    }
  }
  if (engine.empty() && !seg[i].text.empty() && seg[i].text[0] == '-') {
    // Args to the image's entrypoint; with no image at all (a patch), the engine their flags name.
    engine = default_engine == kEngineOfFlags ? engine_of_flags(seg, i) : default_engine;
  }
  if (engine.empty()) return;

  // Each command is a launch of its own: a script may start the same engine twice with different
  // settings.
  launches.push_back(new_launch(engine));
  Launch* launch = &launches.back();
  launch->launcher = by;
  const engines::Engine* eng = table_.engine(engine);
  for (const auto& a : assignments) env_assignment(a.text, range_of(a), *launch);
  bool positional_taken = false;
  for (; i < seg.size(); ++i) {
    const Word& w = seg[i];
    if (w.text.size() < 2 || w.text[0] != '-') {
      if (by && !by->positional.empty() && !positional_taken) {
        positional_taken = true;
        for (const auto& row : table_.settings)
          if (row.for_engine(engine) && row.setting == by->positional) {
            std::string launcher = by->program + (by->subcommand.empty() ? "" : " " + by->subcommand);
            launch->settings.push_back(make_setting(row, launcher + " " + w.text, w.text, range_of(w), false));
            break;
          }
      }
      continue;
    }
    positional_taken = true;  // a positional after flags is an option's value, not the model
    std::string name = w.text, inline_value;
    bool has_inline = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_inline = true;
    }
    const SettingRow* row = nullptr;
    for (const auto& r : table_.settings) {
      if (!r.for_engine(engine)) continue;
      bool same = name == r.flag || (!r.short_flag.empty() && name == r.short_flag);
      if (!same && eng && eng->underscores_are_dashes && !r.flag.empty())
        same = text::underscored(name) == text::underscored(r.flag);
      if (same) {
        row = &r;
        break;
      }
    }
    if (!row) continue;
    // For fixes: the flag with its value, and the value alone.
    auto placed = [&](const Word& last, Range value) {
      Setting& s = launch->settings.back();
      s.form = Setting::Form::Flag;
      s.whole = span_of(w, last);
      s.value_range = value;
    };
    if (row->is_bool) {
      launch->settings.push_back(
          make_setting(*row, name, has_inline ? engines::canonical_value(inline_value) : "true", range_of(w), false));
      placed(w, has_inline ? Range{} : range_of(w));
      continue;
    }
    if (has_inline) {
      launch->settings.push_back(make_setting(*row, name + " " + inline_value, inline_value, range_of(w), false));
      std::size_t eq = raw_.text().compare(w.offset, name.size() + 1, name + "=") == 0 ? name.size() + 1 : 0;
      placed(w, eq ? range_of(w.offset + eq, w.length - eq) : Range{});
    } else if (i + 1 < seg.size()) {
      launch->settings.push_back(make_setting(*row, name + " " + seg[i + 1].text, seg[i + 1].text, range_of(w), false));
      placed(seg[i + 1], seg[i + 1].length ? range_of(seg[i + 1]) : Range{});
      ++i;
    }
  }
}

// Flags with no program or image to name their engine (a kustomize patch of a container's args,
// the image being in the base): the engine whose row every recognised flag belongs to, when one
// row reads each (--max-num-seqs is only ever vLLM's argument). Otherwise none.
std::string CommandReader::engine_of_flags(const std::vector<Word>& seg, std::size_t from) const {
  std::string engine;
  for (std::size_t k = from; k < seg.size(); ++k) {
    const std::string& w = seg[k].text;
    if (w.size() < 3 || w[0] != '-' || w[1] != '-') continue;
    std::string name = w.substr(0, w.find('='));
    const SettingRow* only = nullptr;
    bool several = false;
    for (const auto& r : table_.settings) {
      if (r.flag.empty() || text::underscored(r.flag) != text::underscored(name)) continue;
      if (only && only != &r) several = true;
      only = &r;
    }
    if (!only) continue;
    if (several) return "";
    if (!engine.empty() && !only->for_engine(engine)) return "";
    if (engine.empty()) engine = only->engines.front();
  }
  return engine;
}

std::string CommandReader::engine_of_image(const std::string& image) const {
  for (const auto& l : table_.launchers)
    if (!l.image.empty() && image.find(l.image) != std::string::npos) return l.engine;
  return "";
}

// `docker run [options] IMAGE [command...]` (also podman, nerdctl): the image's engine reads the
// command's flags and the `-e KEY=value` environment. False when this is not such a command.
bool CommandReader::docker_run(const std::vector<Word>& seg, std::size_t i, std::vector<Launch>& launches) const {
  std::string program = text::basename(seg[i].text);
  if (program != "docker" && program != "podman" && program != "nerdctl") return false;
  if (i + 1 >= seg.size() || (seg[i + 1].text != "run" && seg[i + 1].text != "create")) return false;
  // Options that take a value as the next word (the rest are switches).
  static const char* const kWithValue[] = {
      "-e", "--env", "-v", "--volume", "-p", "--publish", "--name", "--gpus", "--shm-size", "--entrypoint", "--cpus",
      "-w", "--workdir", "--network", "--net", "--ipc", "-m", "--memory", "--runtime", "--device", "--env-file", "-u",
      "--user", "--mount", "--label", "-l", "--restart", "--hostname", "-h", "--platform", "--ulimit", "--cap-add",
      "--security-opt", "--add-host", "--log-driver", "--pull", "--memory-swap", "--cpuset-cpus", "--tmpfs",
      "--volumes-from", "--link", "--group-add", "--pid", "--dns", "--expose", "--label-file", "--log-opt",
      "--stop-signal", "--cgroupns", "--uts", "--health-cmd", "--storage-opt", "--sysctl"};
  std::vector<const Word*> env;
  std::size_t j = i + 2;
  for (; j < seg.size(); ++j) {
    const std::string& w = seg[j].text;
    if (w.size() < 2 || w[0] != '-') break;
    std::string name = w.substr(0, w.find('='));
    bool takes_value = w.find('=') == std::string::npos &&
                       std::any_of(std::begin(kWithValue), std::end(kWithValue), [&](const char* k) { return name == k; });
    if ((name == "-e" || name == "--env") && (takes_value ? j + 1 < seg.size() : true)) {
      if (takes_value) env.push_back(&seg[j + 1]);
    }
    if (takes_value) ++j;
  }
  if (j >= seg.size()) return true;
  std::string engine = engine_of_image(seg[j].text);
  std::vector<Word> command(seg.begin() + static_cast<long>(j) + 1, seg.end());
  std::size_t before = launches.size();
  if (!command.empty()) run_segment(command, engine, launches);
  if (engine.empty()) return true;
  Launch* target = nullptr;
  for (std::size_t k = before; k < launches.size(); ++k)
    if (launches[k].engine == engine) target = &launches[k];
  if (!target) {
    launches.push_back(new_launch(engine));
    target = &launches.back();
  }
  for (const Word* e : env) env_assignment(e->text, range_of(*e), *target);
  return true;
}

// Script variables: a name assigned (NAME=value, export NAME=value, local/readonly/declare) to
// one value everywhere in the script is replaced by that value where a command uses it.
std::vector<Word> CommandReader::substitute(std::vector<Word> words) const {
  if (variables_.empty()) return words;
  for (auto& w : words) {
    if (w.separator || w.text.find('$') == std::string::npos) continue;
    std::string out;
    for (std::size_t i = 0; i < w.text.size();) {
      if (w.text[i] != '$') {
        out += w.text[i++];
        continue;
      }
      bool braced = i + 1 < w.text.size() && w.text[i + 1] == '{';
      std::size_t start = i + (braced ? 2 : 1), end = start;
      while (end < w.text.size() && (std::isalnum(static_cast<unsigned char>(w.text[end])) || w.text[end] == '_')) ++end;
      bool closed = !braced || (end < w.text.size() && w.text[end] == '}');
      auto it = end > start && closed ? variables_.find(w.text.substr(start, end - start)) : variables_.end();
      if (it == variables_.end()) {
        out += w.text[i++];
        continue;
      }
      out += it->second;
      i = end + (braced ? 1 : 0);
    }
    w.text = out;
  }
  return words;
}

std::vector<Launch> CommandReader::script_launches(std::string_view text, std::size_t offset,
                                                   const std::string& default_engine) {
  std::vector<Word> words = expand_shell_scripts(split(text, raw_.text(), offset));
  std::map<std::string, std::vector<std::string>> assigned;
  bool at_start = true;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const Word& w = words[i];
    if (w.separator) {
      at_start = true;
      continue;
    }
    if (at_start && (w.text == "export" || w.text == "local" || w.text == "readonly" || w.text == "declare")) continue;
    if (at_start && is_assignment(w.text)) {
      auto eq = w.text.find('=');
      assigned[w.text.substr(0, eq)].push_back(w.text.substr(eq + 1));
      continue;
    }
    at_start = false;
  }
  variables_.clear();
  for (const auto& [name, values] : assigned) {
    const std::string& first = values.front();
    bool one = std::all_of(values.begin(), values.end(), [&first](const std::string& v) { return v == first; });
    if (one && !values.front().empty() && !templated(values.front()) && values.front().find('(') == std::string::npos)
      variables_[name] = values.front();
  }
  std::vector<Launch> out = launches(words, default_engine);
  variables_.clear();
  return out;
}

void CommandReader::env_var(const std::string& name, const std::string& value, Range where, Launch& launch) const {
  for (const auto& row : table_.settings)
    if (row.for_engine(launch.engine) && !row.env.empty() && row.env == name) {
      launch.settings.push_back(make_setting(row, name + "=" + value, value, where, true));
      launch.settings.back().form = Setting::Form::Env;
    }
}

void CommandReader::env_assignment(const std::string& text, Range where, Launch& launch) const {
  auto eq = text.find('=');
  if (eq == std::string::npos) return;
  env_var(text.substr(0, eq), text.substr(eq + 1), where, launch);
}

}  // namespace ecolint::shell
