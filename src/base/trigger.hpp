#pragma once
// What must occur in a file's bytes for a rule to possibly fire: `word`, and, unless `and_any_of`
// is empty, one of those too. A file holding none of the enabled rules' triggers is never parsed
// (Semgrep derives the same kind of required-strings formula from its patterns).
// `value_near`, when not empty, is the value a setting must have for the rule to fire (ECO003: a
// batch cap of 1): the word then counts only where that value is written as a whole number within
// kValueReach bytes after it (`max_num_seqs=1`, `--max-batch-size 1`, `MAX_BATCH_SIZE: "1"`, an env
// entry's `value: "1"` on the next line, an argparse `default=1`). A value that reaches the setting
// through a variable set elsewhere is then not seen (a documented limit of the rules that use it).
#include <cstddef>
#include <string>
#include <vector>

namespace ecolint {

// `whole_word`: the word counts only as a whole token (no letter, digit or `_` just before or after
// it; a JSON string's `\n`, `\t` or `\r` just before it counts as a separator). Settings are
// always read by their whole name, so their spellings are whole words: `q_lora` is not a setting in
// `q_lora_rank`, nor `batch_size` in `per_device_train_batch_size`.
// `code_word`, `code_conditions`: in Python source, the word (the conditions, then as whole names)
// count only in code, not inside a string literal or a comment: a call's name is code
// (`pipeline(...)`, `from transformers import pipeline`), while a docstring or comment that says
// "pipeline" calls nothing.
// f-strings count as code (their braces hold code). Where strings cannot be told apart (one is
// unterminated), every occurrence counts.
// `string_conditions`: in Python source, the conditions count only inside a string literal
// (f-strings included), not in code or a comment: they are values (another setting's, Ludwig's
// `bits` beside `model_type: llm`; a pipeline's task, `-generation`), and a value in Python is
// written as a string (`{"model_type": "llm"}`, `MODEL_TYPE = "llm"`), while `self.llm` or `# llm`
// gives none.
// `whole_conditions`: the conditions count only as whole words (a value is a whole scalar or
// token: `llm` in `model_type: llm`, not in `_llm`).
// `string_word`: in Python source, the word itself counts only inside a string literal (f-strings
// included): a value searched for alone (vLLM's `-q bitsandbytes`, whose short flag is too short to
// search for) is a string in Python (`["vllm", "serve", m, "-q", "bitsandbytes"]`), while
// `import bitsandbytes as bnb` sets nothing.
// `in_loop`: the word counts only inside a loop of Python source, as the lines read (ECO003's
// calls per item: `.generate(` in a `for` or `while` body or on a comprehension's line, in the same
// function). The lines are told apart by indentation, brackets, strings and comments; where they
// cannot be (an unterminated string or bracket), every occurrence counts.
struct Trigger {
  std::string word;
  std::vector<std::string> and_any_of;
  std::string value_near;
  bool whole_word = false;
  bool in_loop = false;
  bool code_word = false;
  bool code_conditions = false;
  bool string_conditions = false;
  bool whole_conditions = false;
  bool string_word = false;
};

inline constexpr std::size_t kValueReach = 64;

}  // namespace ecolint
