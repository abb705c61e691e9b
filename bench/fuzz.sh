#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for SECONDS (default 60), one at a time.
# Seeds come from tests/fixtures, examples and a few built-in inputs, copied into the build
# directory (the repo is never written). Crashes are left in build-fuzz/artifacts/<target>/;
# turn each into a regression fixture under tests/fixtures/regress/ once fixed.
#   bash bench/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
dir="${ECOLINT_FUZZ_BUILD_DIR:-build-fuzz}"

if ! command -v clang++ >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo 'fuzz.sh: needs clang and libFuzzer: run "bash scripts/setup.sh --fuzz" (apt-get install clang libclang-rt-14-dev)' >&2
  exit 2
fi

cmake -S . -B "$dir" -DECOLINT_FUZZ=ON -DECOLINT_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build "$dir" --target fuzz_all -j"$(nproc)" >/dev/null

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for t in "$dir"/fuzz/fuzz_*; do [ -x "$t" ] && targets+=("$(basename "$t")"); done
fi

# Seed corpora: real fixtures and examples, plus inputs that reach each parser's interesting paths.
seed() {  # seed TARGET NAME CONTENT
  mkdir -p "$dir/corpus/$1"
  printf '%s' "$3" >"$dir/corpus/$1/seed-$2"
}
for t in fuzz_python fuzz_notebook fuzz_yaml fuzz_suppress fuzz_config; do mkdir -p "$dir/corpus/$t"; done
find tests/fixtures examples -type f -name '*.py' -size -64k -exec cp -t "$dir/corpus/fuzz_python" {} + 2>/dev/null || true
find tests/fixtures examples -type f -name '*.ipynb' -size -64k -exec cp -t "$dir/corpus/fuzz_notebook" {} + 2>/dev/null || true
find tests/fixtures examples -type f \( -name '*.yaml' -o -name '*.yml' \) -size -64k \
  -exec cp -t "$dir/corpus/fuzz_yaml" {} + 2>/dev/null || true
find tests/fixtures examples -type f \( -name '*.py' -o -name '*.yaml' -o -name '*.yml' \) -size -64k \
  -exec grep -l 'ecolint:' {} + 2>/dev/null | xargs -r cp -t "$dir/corpus/fuzz_suppress" 2>/dev/null || true
find tests/fixtures examples -type f \( -name '.ecolint.yaml' -o -name 'pyproject.toml' \) -size -64k \
  -exec cp -t "$dir/corpus/fuzz_config" {} + 2>/dev/null || true
seed fuzz_python bnb8 'from transformers import AutoModelForCausalLM, BitsAndBytesConfig
cfg = BitsAndBytesConfig(load_in_8bit=True)
m = AutoModelForCausalLM.from_pretrained("facebook/opt-1.3b", quantization_config=cfg)
'
seed fuzz_python bnb4 'import argparse
from transformers import AutoModelForCausalLM, BitsAndBytesConfig
p = argparse.ArgumentParser()
p.add_argument("--model", default="Qwen/Qwen2.5-1.5B")
args = p.parse_args()
kw = dict(load_in_4bit=True, bnb_4bit_quant_type="nf4")
kw.update(bnb_4bit_compute_dtype="bfloat16")
MODEL = args.model
model = AutoModelForCausalLM.from_pretrained(MODEL, quantization_config=BitsAndBytesConfig(**kw))
'
seed fuzz_python dict 'def load(name="gpt2"):
    opts = {"load_in_8bit": True, "llm_int8_threshold": 6.0}
    return pipeline("text-generation", model=name, model_kwargs=opts, batch_size=1)
'
for id in "Qwen/Qwen2.5-1.5B-Instruct" "mistralai/Mixtral-8x7B-v0.1" "Qwen/Qwen3-30B-A3B" "google/gemma-3n-E4B-it" \
          "bigscience/bloom-7b1" "facebook/opt-350m" "gpt2-medium" "./checkpoints/7b" "meta-llama/Llama-3.1-8B"; do
  seed fuzz_model_size "$(printf '%s' "$id" | tr '/.' '__')" "$id"
done
seed fuzz_notebook basic '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
 {"cell_type": "markdown", "metadata": {}, "source": ["# load_in_8bit in prose"]},
 {"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [],
  "source": ["!pip install bitsandbytes\n", "from transformers import AutoModelForCausalLM\n",
             "m = AutoModelForCausalLM.from_pretrained(\"facebook/opt-1.3b\", load_in_8bit=True)"]}]}'
seed fuzz_yaml axolotl 'base_model: Qwen/Qwen2.5-0.5B
adapter: qlora
load_in_4bit: true
'
seed fuzz_yaml k8s 'apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: tgi
          image: ghcr.io/huggingface/text-generation-inference
          args: ["--model-id", "bigscience/bloom-560m", "--quantize", "bitsandbytes", "--max-batch-size", "1"]
          env:
            - {name: MAX_BATCH_SIZE, value: "1"}
'
seed fuzz_yaml anchors 'a: &a [x, x]
b: &b [*a, *a]
c: [*b, *b]
'
seed fuzz_suppress line 'model = load(load_in_8bit=True)  # ecolint: ignore[ECO001] reviewed
'
seed fuzz_suppress file '# ecolint: ignore-file[ECO001,ECO002] vendored
# ecolint: ignore-next-line[ECO003]
'
seed fuzz_config yaml 'select: [ECO001, ECO002]
ignore: [ECO003]
gpu: H100
exclude: ["vendor/**"]
per-file-ignores:
  "tests/*": [ECO001]
'
seed fuzz_config toml '[tool.ecolint]
select = ["ECO001"]
gpu = "A800"
'

mkdir -p "$dir/artifacts"
status=0
for t in "${targets[@]}"; do
  bin="$dir/fuzz/$t"
  [ -x "$bin" ] || { echo "fuzz.sh: no target $t" >&2; status=2; continue; }
  mkdir -p "$dir/corpus/$t" "$dir/artifacts/$t"
  dict=()
  [ -f "fuzz/${t#fuzz_}.dict" ] && dict=(-dict="fuzz/${t#fuzz_}.dict")
  echo "== $t (${seconds}s)"
  # -rss_limit_mb and -timeout turn memory blow-ups and hangs into reported failures.
  if ! "$bin" "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="$dir/artifacts/$t/" "$dir/corpus/$t" \
      >"$dir/artifacts/$t.log" 2>&1; then
    echo "fuzz.sh: $t found a problem; see $dir/artifacts/$t.log and $dir/artifacts/$t/" >&2
    tail -n 40 "$dir/artifacts/$t.log" >&2
    status=1
  fi
  grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$dir/artifacts/$t.log" | tail -n 3 || true
done
exit "$status"
