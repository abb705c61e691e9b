#pragma once
// Dockerfiles and env files, read with the same engine table as command lines.
//   Dockerfile: ENTRYPOINT and CMD (exec form ["a", "b"] or shell form; CMD's words follow
//   ENTRYPOINT's, as Docker runs them) and RUN lines are commands; ENV values are the environment
//   of the image's engine (FROM vllm/vllm-openai: the flags in CMD are vLLM's).
//   Env files (.env, model.env, read by compose's env_file or docker --env-file): KEY=value lines
//   are an engine's environment when the file holds variables only that engine reads (the
//   launcher rows with `env_file_any`).
#include <vector>

#include "base/source.hpp"
#include "engines/launch.hpp"

namespace ecolint::shell {

std::vector<engines::Launch> dockerfile_launches(const SourceText& source);
std::vector<engines::Launch> env_file_launches(const SourceText& source);

}  // namespace ecolint::shell
