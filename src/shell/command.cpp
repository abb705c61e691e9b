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

bool is_assignment(const std::string& word) {
  auto eq = word.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  return std::all_of(word.begin(), word.begin() + static_cast<long>(eq),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

}  // namespace

bool templated(const std::string& v) {
  return v.find("{{") != std::string::npos || v.find("$(") != std::string::npos || v.find("${") != std::string::npos;
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
    bool at_command_start = out.empty() || out.back().separator;
    if (at_command_start && is_shell(w.text) && i + 2 < words.size() && words[i + 1].text.size() >= 2 &&
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
  for (const auto& w : expand_shell_scripts(words)) {
    if (w.separator) flush();
    else segment.push_back(w);
  }
  flush();
  return out;
}

void CommandReader::run_segment(std::vector<Word> seg, const std::string& default_engine, std::vector<Launch>& launches) const {
  std::size_t i = 0;
  std::vector<Word> assignments;
  while (i < seg.size() && (seg[i].text == "exec" || is_assignment(seg[i].text))) {
    if (seg[i].text != "exec") assignments.push_back(seg[i]);
    ++i;
  }
  if (i >= seg.size()) return;
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
  if (engine.empty() && !seg[i].text.empty() && seg[i].text[0] == '-') engine = default_engine;  // args to the image's entrypoint
  if (engine.empty()) return;

  Launch* launch = nullptr;
  for (auto& l : launches)
    if (l.engine == engine) launch = &l;
  if (!launch) {
    launches.push_back(new_launch(engine));
    launch = &launches.back();
  }
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
