#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for SECONDS (default 60; a real run is 600
# or more per target), one at a time, with inputs up to ECOLINT_FUZZ_MAX_LEN bytes (default 1 MiB).
# Seeds come from tests/fixtures, examples and a few built-in inputs, plus real files from the
# directories in ECOLINT_FUZZ_REAL_SEEDS (colon-separated; e.g. checkouts of public repositories:
# their .py, .ipynb, .yaml, pyproject.toml and .gitignore files up to the maximum length), copied
# into the build directory (the repo is never written). Crashes are left in
# build-fuzz/artifacts/<target>/; turn each into a regression test once fixed. Not run in CI.
#   ECOLINT_FUZZ_REAL_SEEDS=/path/a:/path/b bash bench/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
dir="${ECOLINT_FUZZ_BUILD_DIR:-build-fuzz}"
max_len="${ECOLINT_FUZZ_MAX_LEN:-1048576}"
# ECOLINT_FUZZ_KEEP_GOING=1: go on after a crash, timeout or OOM (libFuzzer's -fork=1 mode), so a
# known open crash does not end a target's run early; every finding is left in artifacts/.
keep_going=()
[ "${ECOLINT_FUZZ_KEEP_GOING:-0}" = 1 ] && keep_going=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)

if ! command -v clang++ >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo 'fuzz.sh: needs clang and libFuzzer: run "bash scripts/setup.sh --fuzz" (apt-get install clang libclang-rt-14-dev)' >&2
  exit 2
fi

cmake -S . -B "$dir" -DECOLINT_FUZZ=ON -DECOLINT_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build "$dir" --target fuzz_all -j"$(( $(nproc) < 2 ? $(nproc) : 2 ))" >/dev/null

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for t in "$dir"/fuzz/fuzz_*; do [ -x "$t" ] && targets+=("$(basename "$t")"); done
fi

# Seed corpora: real fixtures and examples, plus inputs that reach each parser's interesting paths.
seed() {  # seed TARGET NAME CONTENT
  mkdir -p "$dir/corpus/$1"
  printf '%s' "$3" >"$dir/corpus/$1/seed-$2"
}
for t in fuzz_python fuzz_notebook fuzz_yaml fuzz_suppress fuzz_config fuzz_glob; do mkdir -p "$dir/corpus/$t"; done
find tests/fixtures examples -type f -name '*.py' -size -64k -exec cp -t "$dir/corpus/fuzz_python" {} + 2>/dev/null || true
find tests/fixtures examples -type f -name '*.ipynb' -size -64k -exec cp -t "$dir/corpus/fuzz_notebook" {} + 2>/dev/null || true
find tests/fixtures examples -type f \( -name '*.yaml' -o -name '*.yml' \) -size -64k \
  -exec cp -t "$dir/corpus/fuzz_yaml" {} + 2>/dev/null || true
find tests/fixtures examples -type f \( -name '*.py' -o -name '*.yaml' -o -name '*.yml' \) -size -64k \
  -exec grep -l 'ecolint:' {} + 2>/dev/null | xargs -r cp -t "$dir/corpus/fuzz_suppress" 2>/dev/null || true
find tests/fixtures examples -type f \( -name '.ecolint.yaml' -o -name 'pyproject.toml' \) -size -64k \
  -exec cp -t "$dir/corpus/fuzz_config" {} + 2>/dev/null || true
# Real files, large ones included (the biggest inputs are where time and memory limits matter).
# Copies are named by a hash of their path: many repositories share file names.
copy_real() {  # copy_real TARGET FIND-ARGS...: the 30 largest and 300 others (a fixed sample) per target
  local target="$1"; shift
  local root list="$dir/corpus/.real-$target"
  IFS=: read -r -a roots <<<"${ECOLINT_FUZZ_REAL_SEEDS:-}"
  : >"$list"
  for root in "${roots[@]}"; do
    [ -d "$root" ] || continue
    find "$root" -type f "$@" -size -"$((max_len / 1024))"k -printf '%s\t%p\n' 2>/dev/null >>"$list"
  done
  { sort -n "$list" | tail -n 30; sort -n "$list" | head -n -30 | shuf -n 300 --random-source=<(yes); } | cut -f2- |
    while IFS= read -r f; do cp "$f" "$dir/corpus/$target/real-$(printf '%s' "$f" | md5sum | cut -c1-12)"; done
  rm -f "$list"
}
copy_real fuzz_python -name '*.py'
copy_real fuzz_notebook -name '*.ipynb'
copy_real fuzz_yaml \( -name '*.yaml' -o -name '*.yml' \)
copy_real fuzz_suppress \( -name '*.py' -o -name '*.yaml' \) -size +8k
copy_real fuzz_config \( -name 'pyproject.toml' -o -name '.ecolint.yaml' \)
# Glob seeds: a .gitignore's patterns (NUL-separated, first line) over paths (the rest).
IFS=: read -r -a glob_roots <<<"${ECOLINT_FUZZ_REAL_SEEDS:-}"
for root in "${glob_roots[@]}"; do
  [ -d "$root" ] || continue
  # (head closes pipes early: the SIGPIPEs of find and grep are expected)
  { find "$root" -name .gitignore -type f -size -64k 2>/dev/null | head -n 200 | while IFS= read -r g; do
    { { grep -v '^#' "$g" | grep -v '^$' | head -n 50 | tr '\n' '\0'; } || true; printf '\n'
      (cd "$(dirname "$g")" && find . -maxdepth 3 | head -n 60 | sed 's|^\./||') || true; } \
      >"$dir/corpus/fuzz_glob/real-$(printf '%s' "$g" | md5sum | cut -c1-12)"
  done; } || true
done
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
          image: registry.example.com/serving/tgi
          command: ["text-generation-launcher"]
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
seed fuzz_config bomb 'a0: &a0 [ECO001, ECO001, ECO001]
a1: &a1 [*a0, *a0, *a0]
a2: &a2 [*a1, *a1, *a1]
select: *a2
'
printf '*a*a*a*a*a*a*a*a*a*a*b\0vendor/**\0**/gen_*.yaml\0[!a-z]?.py\0\\#x\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.py\nvendor/a/b.py\nsrc/gen_1.yaml\n' \
  >"$dir/corpus/fuzz_glob/seed-stars"
printf '**/**/**/a/**/b\0a/**/b\0/root.py\0dir/\n a/b\na/x/y/b\nroot.py\ndir/file\n' >"$dir/corpus/fuzz_glob/seed-spans"

mkdir -p "$dir/artifacts"
status=0
for t in "${targets[@]}"; do
  bin="$dir/fuzz/$t"
  [ -x "$bin" ] || { echo "fuzz.sh: no target $t" >&2; status=2; continue; }
  mkdir -p "$dir/corpus/$t" "$dir/artifacts/$t"
  dict=()
  [ -f "fuzz/${t#fuzz_}.dict" ] && dict=(-dict="fuzz/${t#fuzz_}.dict")
  echo "== $t (${seconds}s, inputs up to $max_len bytes, $(ls "$dir/corpus/$t" | wc -l) corpus files)"
  # -rss_limit_mb and -timeout turn memory blow-ups and hangs into reported failures (a 1 MB input
  # under ASan takes a few seconds at most; 60 s is a hang).
  if ! "$bin" "${dict[@]}" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2560 -max_len="$max_len" "${keep_going[@]}" \
      -print_final_stats=1 -artifact_prefix="$dir/artifacts/$t/" "$dir/corpus/$t" \
      >"$dir/artifacts/$t.log" 2>&1; then
    echo "fuzz.sh: $t found a problem; see $dir/artifacts/$t.log and $dir/artifacts/$t/" >&2
    tail -n 40 "$dir/artifacts/$t.log" >&2
    status=1
  fi
  grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb)' "$dir/artifacts/$t.log" | tail -n 3 || true
  grep -E '^#[0-9]+: cov: ' "$dir/artifacts/$t.log" | tail -n 1 || true  # -fork mode's last status
  echo "crashes/timeouts/ooms left: $(ls "$dir/artifacts/$t" | wc -l)"
done
exit "$status"
