#pragma once
// Python calls read through the engine table: a call whose callee matches a `call:` launcher
// (vllm.LLM, BitsAndBytesConfig, from_pretrained, transformers.pipeline, sglang.Engine, Ray
// Serve's serve.batch, ...) becomes a launch of that engine; its keywords and positional
// arguments are read through the setting rows, and config objects handed to it (a
// quantization_config dict or call, model_kwargs) are read into the same launch. Dicts that name
// a launcher with `type=` (mmengine / xtuner configs) count as that call. A command line handed to
// an `argv` launcher (subprocess.run([...])) is read as a shell command.
#include <vector>

#include "engines/launch.hpp"

namespace ecolint::python {

class Module;

std::vector<engines::Launch> launches_of(const Module& module);

}  // namespace ecolint::python
