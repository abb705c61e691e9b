#include "shell/dockerfile.hpp"

#include <algorithm>
#include <cctype>

#include "base/text.hpp"
#include "engines/surfaces.hpp"
#include "shell/command.hpp"

namespace ecolint::shell {

namespace {

struct Instruction {
  std::string keyword;      // upper-cased: FROM, CMD, ENTRYPOINT, RUN, ENV, ...
  std::size_t args_offset;  // where the arguments start in the file
  std::string args;         // the arguments with `\` line continuations joined (offsets kept by search)
};

// Instructions, with continuation lines joined and comment lines dropped.
std::vector<Instruction> instructions(const std::string& text) {
  std::vector<Instruction> out;
  std::size_t i = 0, n = text.size();
  while (i < n) {
    std::size_t line_end = text.find('\n', i);
    if (line_end == std::string::npos) line_end = n;
    std::size_t k = i;
    while (k < line_end && (text[k] == ' ' || text[k] == '\t')) ++k;
    if (k >= line_end || text[k] == '#') {
      i = line_end + 1;
      continue;
    }
    std::size_t word_end = k;
    while (word_end < line_end && std::isalpha(static_cast<unsigned char>(text[word_end]))) ++word_end;
    Instruction ins;
    ins.keyword = text.substr(k, word_end - k);
    std::transform(ins.keyword.begin(), ins.keyword.end(), ins.keyword.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    std::size_t a = word_end;
    while (a < line_end && (text[a] == ' ' || text[a] == '\t')) ++a;
    ins.args_offset = a;
    // Join lines that end with a backslash (the continuation stays in the text: the shell
    // splitter treats `\` + newline as a space).
    std::size_t end = line_end;
    while (end > a && end < n && end > 0 && (text[end - 1] == '\\' || (text[end - 1] == '\r' && end > 1 && text[end - 2] == '\\'))) {
      std::size_t next = text.find('\n', end + 1);
      end = next == std::string::npos ? n : next;
    }
    ins.args = text.substr(a, end - a);
    out.push_back(std::move(ins));
    i = end + 1;
  }
  return out;
}

// An exec-form array ["a", "b"]: its strings as words with their offsets; false when the
// arguments are not one (shell form).
bool exec_form(const Instruction& ins, std::vector<Word>& words) {
  const std::string& s = ins.args;
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  if (i >= s.size() || s[i] != '[') return false;
  ++i;
  std::vector<Word> out;
  while (i < s.size()) {
    while (i < s.size() && (std::isspace(static_cast<unsigned char>(s[i])) || s[i] == ',' || s[i] == '\\')) ++i;
    if (i < s.size() && s[i] == ']') {
      words.insert(words.end(), out.begin(), out.end());
      return true;
    }
    if (i >= s.size() || s[i] != '"') return false;
    Word w;
    w.offset = ins.args_offset + i;
    ++i;
    while (i < s.size() && s[i] != '"') {
      if (s[i] == '\\' && i + 1 < s.size()) ++i;
      w.text.push_back(s[i++]);
    }
    if (i >= s.size()) return false;
    ++i;
    w.length = ins.args_offset + i - w.offset;
    out.push_back(std::move(w));
  }
  return false;
}

}  // namespace

std::vector<engines::Launch> dockerfile_launches(const SourceText& source) {
  const std::string& text = source.text();
  CommandReader reader(source, engines::surfaces());
  std::vector<engines::Launch> out;
  std::string image_engine;
  std::vector<Word> entrypoint, cmd;
  std::vector<std::pair<std::string, Range>> env;
  auto keep = [&](std::vector<engines::Launch> ls) {
    for (auto& l : ls)
      if (!l.settings.empty()) out.push_back(std::move(l));
  };
  auto words_of = [&](const Instruction& ins) {
    std::vector<Word> words;
    if (!exec_form(ins, words)) words = split(ins.args, text, ins.args_offset);
    return words;
  };
  auto flush_stage = [&] {
    // The container's command: ENTRYPOINT then CMD, run by the image's engine when it starts
    // with flags.
    std::vector<Word> command = entrypoint;
    command.insert(command.end(), cmd.begin(), cmd.end());
    std::vector<engines::Launch> launches = command.empty() ? std::vector<engines::Launch>{} : reader.launches(command, image_engine);
    std::string env_engine = !image_engine.empty() ? image_engine : launches.empty() ? "" : launches.front().engine;
    if (!env_engine.empty() && !env.empty()) {
      engines::Launch* target = nullptr;
      for (auto& l : launches)
        if (l.engine == env_engine) target = &l;
      if (!target) {
        launches.push_back(reader.new_launch(env_engine));
        target = &launches.back();
      }
      for (const auto& [assignment, where] : env) reader.env_assignment(assignment, where, *target);
    }
    keep(std::move(launches));
    entrypoint.clear();
    cmd.clear();
    env.clear();
  };
  for (const auto& ins : instructions(text)) {
    if (ins.keyword == "FROM") {
      flush_stage();
      std::vector<Word> words = split(ins.args, text, ins.args_offset);
      image_engine.clear();
      for (const auto& w : words)
        if (!w.separator && w.text.rfind("--", 0) != 0) {
          image_engine = reader.engine_of_image(w.text);
          break;
        }
    } else if (ins.keyword == "ENTRYPOINT") {
      entrypoint = words_of(ins);
    } else if (ins.keyword == "CMD") {
      cmd = words_of(ins);
    } else if (ins.keyword == "RUN") {
      keep(reader.script_launches(ins.args, ins.args_offset));
    } else if (ins.keyword == "ENV") {
      // ENV KEY=value KEY2=value2, or the legacy ENV KEY value.
      std::vector<Word> words = split(ins.args, text, ins.args_offset);
      if (words.size() == 2 && words[0].text.find('=') == std::string::npos) {
        env.push_back({words[0].text + "=" + words[1].text, reader.range_of(words[0])});
      } else {
        for (const auto& w : words)
          if (!w.separator && w.text.find('=') != std::string::npos) env.push_back({w.text, reader.range_of(w)});
      }
    }
  }
  flush_stage();
  return out;
}

std::vector<engines::Launch> env_file_launches(const SourceText& source) {
  const engines::Surfaces& table = engines::surfaces();
  CommandReader reader(source, table);
  struct Entry {
    std::string name, value;
    Range where;
  };
  std::vector<Entry> entries;
  for (uint32_t line = 1; line <= source.line_count(); ++line) {
    std::string_view l = source.line(line);
    std::size_t k = 0;
    while (k < l.size() && (l[k] == ' ' || l[k] == '\t')) ++k;
    if (text::starts_with(l.substr(k), "export ")) k += 7;
    std::size_t eq = l.find('=', k);
    if (eq == std::string_view::npos || k >= l.size() || l[k] == '#') continue;
    std::string name(l.substr(k, eq - k));
    if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }))
      continue;
    std::string value(l.substr(eq + 1));
    auto hash = value.find(" #");
    if (hash != std::string::npos) value.resize(hash);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\r')) value.pop_back();
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    std::size_t offset = source.line_start(line) + k;
    entries.push_back({name, value, reader.range_of(offset, name.size())});
  }
  std::vector<engines::Launch> out;
  for (const auto& l : table.launchers) {
    if (l.env_file_any.empty()) continue;
    bool recognised = std::any_of(entries.begin(), entries.end(), [&](const Entry& e) {
      return std::find(l.env_file_any.begin(), l.env_file_any.end(), e.name) != l.env_file_any.end();
    });
    if (!recognised) continue;
    engines::Launch launch = reader.new_launch(l.engine);
    launch.launcher = &l;
    for (const auto& e : entries) reader.env_var(e.name, e.value, e.where, launch);
    if (!launch.settings.empty()) out.push_back(std::move(launch));
  }
  return out;
}

}  // namespace ecolint::shell
