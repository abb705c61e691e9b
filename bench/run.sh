#!/usr/bin/env bash
# Speed benchmark (not run in CI). Two corpora:
#  synthetic (the default): a corpus of its own (copies of the system's Python standard library plus
#    generated training scripts and deploy YAML, with and without findings); times, alternating in one
#    run: ecolint (all rules), `rg -l` with the same trigger words, `ast-grep scan` with equivalent
#    rules, and `cat` of every candidate file. Prints medians, ratios, peak RSS, parse throughput
#    (ecolint against tree-sitter's own parse of the same files, ecolint-ts-parse), and scaling with
#    corpus size and --jobs.
#  realworld: the public repositories of bench/corpus/repos.yaml at their pinned commits, laid out by
#    bench/corpus/layout.sh into $ECOLINT_BENCH_REALWORLD (from the git copies under $ECOLINT_MIRROR)
#    when missing; times, alternating: ecolint (all rules, --no-gitignore), `rg -l` with ecolint's
#    trigger words over ecolint's file kinds, `ast-grep scan` with the rules below, and on the .py
#    files that hold a trigger word (each with one appended, so all are parsed) ecolint against
#    tree-sitter's own parse; and tree-sitter alone on the .py files ecolint parses in the corpus (the
#    floor under ecolint's time there, beside rg's); medians, paired ratios and peak RSS.
# --slowest also times ecolint on each file of a corpus that holds a trigger word, alone, and prints
# the 20 slowest (a few minutes on the real-world corpus).
#   bash bench/run.sh [REPS] [--corpus synthetic|realworld|both] [--slowest]
#   env: ECOLINT=path/to/ecolint  ECOLINT_BENCH_DIR=/tmp/...  ECOLINT_BENCH_REALWORLD=/tmp/...
#        ECOLINT_MIRROR=/work/.mirror
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
reps=5
corpus=synthetic
slowest=0
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus="${2:-}"; shift 2 || { echo "bench: --corpus needs a value" >&2; exit 2; } ;;
    --corpus=*) corpus="${1#--corpus=}"; shift ;;
    --slowest) slowest=1; shift ;;
    [0-9]*) reps="$1"; shift ;;
    *) echo "usage: bash bench/run.sh [REPS] [--corpus synthetic|realworld|both] [--slowest]" >&2; exit 2 ;;
  esac
done
case "$corpus" in synthetic|realworld|both) ;; *) echo "bench: --corpus is synthetic, realworld or both" >&2; exit 2 ;; esac
bench="${ECOLINT_BENCH_DIR:-/tmp/ecolint-bench}"
stdlib="${ECOLINT_BENCH_STDLIB:-/usr/lib/python3.11}"
sizes=(${ECOLINT_BENCH_SIZES:-4 13 40})  # copies of the standard library in the small, medium and large corpus
realworld="${ECOLINT_BENCH_REALWORLD:-/tmp/ecolint-bench-realworld}"
mkdir -p "$bench"

# --- tools ----------------------------------------------------------------------------------
need_apt=()
command -v rg >/dev/null || need_apt+=(ripgrep)
[ -x /usr/bin/time ] || need_apt+=(time)
command -v npm >/dev/null || need_apt+=(npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing ${need_apt[*]}" >&2
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
if [ ! -x "$bench/tools/node_modules/.bin/ast-grep" ]; then
  mkdir -p "$bench/tools"
  (cd "$bench/tools" && npm install --no-audit --no-fund --loglevel=error "@ast-grep/cli@0.51" >/dev/null)
fi
astgrep="$bench/tools/node_modules/.bin/ast-grep"
ecolint="${ECOLINT:-$repo/build/ecolint}"
if [ ! -x "$ecolint" ]; then
  bash scripts/build.sh >/dev/null
fi
# tree-sitter's own parse of the same files (bench/parse/ts_parse.cpp), built beside ecolint: the
# floor for a corpus where every file must be parsed.
tsparse="$(dirname "$ecolint")/ecolint-ts-parse"
if [ ! -x "$tsparse" ]; then
  cmake --build "$(dirname "$ecolint")" --target ecolint-ts-parse >/dev/null
fi
# Which files ecolint parses as Python (bench/parse/candidates.cpp: its prefilter, all rules).
candidates_tool="$(dirname "$ecolint")/ecolint-bench-candidates"
if [ "$corpus" != synthetic ] && [ ! -x "$candidates_tool" ]; then
  cmake --build "$(dirname "$ecolint")" --target ecolint-bench-candidates >/dev/null
fi
if [ "$corpus" != realworld ] && [ ! -d "$stdlib" ]; then
  echo "bench: no Python standard library at $stdlib (set ECOLINT_BENCH_STDLIB)" >&2; exit 2
fi

# The words that make ecolint parse a file, from ecolint itself: `ecolint rules --triggers` prints
# one trigger a line (rule, word, and `+` with the words one of which must also be in the file for
# a few, `~1` where a 1 must be written just after the word, `whole` where the word must not be part
# of a longer name). rg gets every first word as plain text, so it lists every file ecolint parses
# and more.
mapfile -t words < <("$ecolint" rules --triggers | awk -F'\t' 'NF >= 2 && $2 != "" {print $2}' | sort -u)
[ ${#words[@]} -ge 4 ] || { echo "bench: could not read the trigger words from '$ecolint rules --triggers'" >&2; exit 2; }
rg_args=(-l -F -g '*.py' -g '*.ipynb' -g '*.yaml' -g '*.yml' -g '*.sh' -g '*.bash' -g 'Dockerfile*' -g '*.env' -g '.env*')
for w in "${words[@]}"; do rg_args+=(-e "$w"); done

# --- ast-grep rules: the syntactic core of each rule, without value resolution ------------------
mkdir -p "$bench/astgrep/rules"
cat >"$bench/astgrep/sgconfig.yml" <<'YML'
ruleDirs: [rules]
YML
for flag in load_in_8bit load_in_4bit; do
  cat >"$bench/astgrep/rules/py-$flag.yml" <<YML
id: py-$flag
language: python
severity: warning
message: $flag
rule:
  any:
    - kind: keyword_argument
      all:
        - has: {field: name, regex: "^$flag\$"}
        - has: {field: value, kind: "true"}
    - kind: pair
      all:
        - has: {field: key, regex: "$flag"}
        - has: {field: value, kind: "true"}
YML
  cat >"$bench/astgrep/rules/yaml-$flag.yml" <<YML
id: yaml-$flag
language: yaml
severity: warning
message: $flag
rule:
  kind: block_mapping_pair
  all:
    - has: {field: key, regex: "^$flag\$"}
    - has: {field: value, regex: "^(true|True)\$"}
YML
done
cat >"$bench/astgrep/rules/py-batch1.yml" <<'YML'
id: py-batch1
language: python
severity: warning
message: batch of one
rule:
  kind: keyword_argument
  all:
    - has: {field: name, regex: "^(batch_size|max_batch_size|max_num_seqs)$"}
    - has: {field: value, regex: "^1$"}
YML

# --- measuring (both corpora) ----------------------------------------------------------------
measure() {  # measure LABEL DIR CMD...: one timed run appended to $results (label, seconds, KB, CPU seconds)
  local label="$1" dir="$2"
  shift 2
  (cd "$dir" && /usr/bin/time -f '%e %M %U %S' -o "$bench/time.out" "$@" >/dev/null 2>"$bench/stderr.out") || {
    local rc=$?
    # ecolint exits 1 on findings and ast-grep on matches: only a crash-like status is fatal.
    [ $rc -le 2 ] || { echo "bench: $label failed ($rc)" >&2; cat "$bench/stderr.out" >&2; exit 1; }
  }
  read -r secs kb user sys <"$bench/time.out"
  printf '%s\t%s\t%s\t%s\n' "$label" "$secs" "$kb" "$(echo "$user $sys" | awk '{print $1 + $2}')" >>"$results"
}
candidates() { find . -name .git -prune -o -name build -prune -o \( -name '*.py' -o -name '*.yaml' -o -name '*.yml' \
  -o -name '*.ipynb' \) -type f -print0 | xargs -0 cat; }
export -f candidates
# report RESULTS.TSV [PARSE_BYTES]: medians of each label, ratio to "ecolint", peak RSS (and MB/s of
# the parse runs with PARSE_BYTES); with REPORT_CPU=1 also the median CPU time (user + system), which
# other load on a shared machine disturbs less than wall time.
report() {
  REPORT_CPU="${REPORT_CPU:-0}" python3 - "$@" <<'PY'
import os, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    label, secs, kb, cpu = line.rstrip("\n").split("\t")
    rows.setdefault(label, []).append((float(secs), int(kb), float(cpu)))
med = {k: tuple(statistics.median(r[i] for r in v) for i in range(3)) for k, v in rows.items()}
base = med["ecolint"][0]
cpu = os.environ["REPORT_CPU"] == "1"
print(f"\n{'run':28} {'median s':>9} {'vs ecolint':>11} {'peak RSS MB':>12}" + (f" {'CPU s':>8}" if cpu else ""))
for label, (s, kb, c) in med.items():
    extra = f" {c:8.2f}" if cpu else ""
    if label.startswith("parse:") and len(sys.argv) > 2:
        extra = f"   {int(sys.argv[2]) / 1e6 / s:7.1f} MB/s"
    ratio = f"{s / base:10.2f}x" if not label.startswith(("parse", "scale")) else ""
    print(f"{label:28} {s:9.3f} {ratio:>11} {kb / 1024:12.1f}{extra}")
PY
}
# parse_ratios RESULTS.TSV A B [A2 B2]: per repetition, A's time over B's (wall and CPU), and the
# median of those ratios: pairs run back to back, so a slow spell on a shared machine hits both.
parse_ratios() {
  python3 - "$@" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    label, secs, kb, cpu = line.rstrip("\n").split("\t")
    rows.setdefault(label, []).append((float(secs), float(cpu)))
pairs = sys.argv[2:]
for a, b in zip(pairs[::2], pairs[1::2]):
    if a not in rows or b not in rows:
        continue
    wall = [x[0] / y[0] for x, y in zip(rows[a], rows[b]) if y[0] > 0]
    cpu = [x[1] / y[1] for x, y in zip(rows[a], rows[b]) if y[1] > 0]
    print(f"{a} / {b}: median of paired ratios {statistics.median(wall):.2f}x wall, {statistics.median(cpu):.2f}x CPU")
PY
}
machine_line() {
  echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB RAM, $(uname -sr)"
  echo "tools:   $("$ecolint" --version), $(rg --version | sed -n 1p), ast-grep $("$astgrep" --version | awk '{print $2}')"
}
slowest_files() {  # slowest_files LIST ROOT: ecolint on each listed file alone, the 20 slowest
  echo
  echo "slowest files (ecolint --format json FILE, each file alone; the 30 with the most CPU time run 3 times):"
  python3 "$repo/bench/corpus/per_file.py" "$ecolint" "$1" --top 20 --rerun 30 --reps 2 --root "$2"
}

if [ "$corpus" != realworld ]; then  # the synthetic corpus, up to its report (not indented: heredocs)
# --- corpus ---------------------------------------------------------------------------------
template="$bench/template"
if [ ! -d "$template/stdlib" ]; then
  mkdir -p "$template/stdlib"
  tar -C "$stdlib" --exclude=__pycache__ --exclude='*.pyc' -cf - . | tar -C "$template/stdlib" -xf -
  mkdir -p "$template/app/deploy" "$template/app/train"
  for i in $(seq 1 20); do
    cat >"$template/app/train/finetune_$i.py" <<PY
import torch
from transformers import AutoModelForCausalLM, BitsAndBytesConfig

MODEL_ID = "Qwen/Qwen2.5-1.5B-Instruct"
bnb = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_compute_dtype=torch.bfloat16)
model = AutoModelForCausalLM.from_pretrained(MODEL_ID, quantization_config=bnb)
int8 = AutoModelForCausalLM.from_pretrained("facebook/opt-6.7b", load_in_8bit=True)
PY
    cat >"$template/app/train/clean_$i.py" <<PY
import torch
from transformers import AutoModelForCausalLM

model = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-3.1-8B", torch_dtype=torch.bfloat16)
for step in range($i):
    model.train()
PY
    cat >"$template/app/deploy/tgi_$i.yaml" <<YML
apiVersion: apps/v1
kind: Deployment
metadata: {name: tgi-$i}
spec:
  template:
    spec:
      nodeSelector: {nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3}
      containers:
        - name: tgi
          image: registry.example.com/serving/tgi:2.4
          command: ["text-generation-launcher"]
          args: ["--model-id", "bigscience/bloom-560m", "--quantize", "bitsandbytes", "--max-batch-size", "1"]
YML
    cat >"$template/app/deploy/axolotl_$i.yml" <<YML
base_model: Qwen/Qwen2.5-0.5B
adapter: qlora
load_in_4bit: true
sequence_len: 2048
micro_batch_size: 4
YML
    cat >"$template/app/deploy/clean_$i.yaml" <<YML
apiVersion: v1
kind: Service
metadata: {name: web-$i}
spec:
  ports: [{port: 80, targetPort: 8080}]
YML
  done
fi

make_corpus() {  # make_corpus DIR COPIES
  local dir="$1" copies="$2"
  [ -f "$dir/.complete" ] && return
  rm -rf "$dir"
  mkdir -p "$dir"
  for i in $(seq 1 "$copies"); do cp -r "$template/stdlib" "$dir/lib$i"; cp -r "$template/app" "$dir/app$i"; done
  # Ignored build output, as a real repository has: every tool here honours .gitignore.
  mkdir -p "$dir/build"
  cp -r "$template/app" "$dir/build/app"
  printf 'build/\n*.log\n' >"$dir/.gitignore"
  git -C "$dir" init -q
  touch "$dir/.complete"
}

# A corpus in which every file needs a parse: the standard library with a trigger word in each.
parse_corpus="$bench/corpus-parse"
if [ ! -f "$parse_corpus/.complete" ]; then
  rm -rf "$parse_corpus"
  cp -r "$template/stdlib" "$parse_corpus"
  find "$parse_corpus" -name '*.py' -exec sh -c 'for f; do printf "\n# load_in_4bit\n" >>"$f"; done' _ {} +
  touch "$parse_corpus/.complete"
fi
for n in "${sizes[@]}"; do make_corpus "$bench/corpus-$n" "$n"; done

# --- measuring the synthetic corpus -----------------------------------------------------------
results="$bench/results.tsv"
: >"$results"

large="$bench/corpus-${sizes[-1]}"
nfiles=$(cd "$large" && find . -name .git -prune -o -type f -print | wc -l)
ncand=$(cd "$large" && find . -name .git -prune -o -name build -prune -o \( -name '*.py' -o -name '*.yaml' -o -name '*.yml' \) -type f -print | wc -l)
nparsed=$(cd "$large" && rg "${rg_args[@]}" . | wc -l)
parse_bytes=$(find "$parse_corpus" -name '*.py' -print0 | du -cb --apparent-size --files0-from=- | tail -1 | cut -f1)

# Warm the page cache so every tool reads from memory.
for d in "$bench"/corpus-*; do (cd "$d" && bash -c candidates >/dev/null); done

for rep in $(seq 1 "$reps"); do
  echo "repetition $rep/$reps" >&2
  measure "ecolint" "$large" "$ecolint" --exit-zero --format json .
  measure "rg -l" "$large" rg "${rg_args[@]}" .
  measure "ast-grep scan" "$large" "$astgrep" scan --config "$bench/astgrep/sgconfig.yml" --threads 2 .
  measure "cat candidates" "$large" bash -c candidates
  measure "parse: ecolint -j1" "$parse_corpus" "$ecolint" --exit-zero --jobs 1 --format json .
  measure "parse: tree-sitter -j1" "$parse_corpus" "$tsparse" --jobs 1 .
  measure "parse: ecolint -j2" "$parse_corpus" "$ecolint" --exit-zero --jobs 2 --format json .
  measure "parse: tree-sitter -j2" "$parse_corpus" "$tsparse" --jobs 2 .
  measure "parse: ast-grep -j2" "$parse_corpus" "$astgrep" scan --config "$bench/astgrep/sgconfig.yml" --threads 2 .
  for n in "${sizes[@]}"; do
    measure "scale: ecolint ${n}x -j1" "$bench/corpus-$n" "$ecolint" --exit-zero --jobs 1 --format json .
    measure "scale: ecolint ${n}x -j2" "$bench/corpus-$n" "$ecolint" --exit-zero --jobs 2 --format json .
    measure "scale: rg ${n}x" "$bench/corpus-$n" rg "${rg_args[@]}" .
  done
done

# --- report ---------------------------------------------------------------------------------
echo
machine_line
echo "corpus:  ${sizes[-1]} copies of $stdlib + generated scripts/YAML: $nfiles files, $ncand candidates" \
     "(.py/.yaml/.yml), $nparsed contain a trigger word; trigger words: ${words[*]}"
echo "         parse corpus: $(find "$parse_corpus" -name '*.py' | wc -l) .py files, $((parse_bytes / 1024 / 1024)) MiB, all need a parse"
echo "reps:    $reps, alternating; medians of wall time; peak RSS is the median of max RSS"
report "$results" "$parse_bytes"
parse_ratios "$results" "parse: ecolint -j1" "parse: tree-sitter -j1" "parse: ecolint -j2" "parse: tree-sitter -j2"
if [ "$slowest" = 1 ]; then
  (cd "$large" && rg "${rg_args[@]}" .) | sed "s|^\./|$large/|" | sort >"$bench/candidates-synthetic.txt"
  slowest_files "$bench/candidates-synthetic.txt" "$large"
fi
fi  # synthetic corpus

# --- real-world corpus ------------------------------------------------------------------------
if [ "$corpus" != synthetic ]; then
if [ "$corpus" = both ]; then echo; fi  # a blank line between the two reports
# The same trigger words as the synthetic corpus (from `ecolint rules --triggers`).
rw_words=("${words[@]}")
rw_words_from="ecolint rules --triggers"
jobs="${ECOLINT_BENCH_JOBS:-2}"
# ecolint --no-gitignore walks hidden folders and skips only these; rg is told the same.
rw_rg_args=(-l -F -j"$jobs" --no-ignore --hidden -g '*.py' -g '*.ipynb' -g '*.yaml' -g '*.yml' -g '*.sh' -g '*.bash' -g 'Dockerfile*' -g '*.env' -g '.env*')  # ecolint's file kinds (extensionless shell scripts aside)
for d in .git .hg .svn .bzr _darcs .jj __pycache__ .mypy_cache .ruff_cache .pytest_cache .tox .nox node_modules; do
  rw_rg_args+=(-g "!**/$d/**")
done
for w in "${rw_words[@]}"; do rw_rg_args+=(-e "$w"); done

rc=0
bash bench/corpus/layout.sh "$realworld" || rc=$?
n_listed=$(grep -cE 'repo: *[^ ,}]+, *commit:' bench/corpus/repos.yaml)
n_laid=$(find "$realworld/.layout" -type f 2>/dev/null | wc -l)
if [ "$n_laid" -eq 0 ]; then
  echo "bench: no repository of bench/corpus/repos.yaml could be laid out in $realworld (see above)" >&2
  exit 2
fi
[ "$rc" -eq 0 ] || echo "bench: $((n_listed - n_laid)) of $n_listed repositories are missing; measuring the $n_laid laid out" >&2

rw_find() { find . -path ./.layout -prune -o "$@"; }
rw_nfiles=$(cd "$realworld" && rw_find -type f -print | wc -l)
rw_bytes=$(cd "$realworld" && rw_find -type f -print0 | du -cb --apparent-size --files0-from=- | tail -1 | cut -f1)
rw_ncand=$(cd "$realworld" && rw_find -type f \( -name '*.py' -o -name '*.ipynb' -o -name '*.yaml' -o -name '*.yml' \) -print | wc -l)
# Warm the page cache so every tool reads from memory.
(cd "$realworld" && rw_find -type f \( -name '*.py' -o -name '*.ipynb' -o -name '*.yaml' -o -name '*.yml' \) -print0 \
  | xargs -0 cat >/dev/null)
rw_nparsed=$(cd "$realworld" && rg "${rw_rg_args[@]}" . | wc -l)
# The parse-bound corpus of the real world: every .py file that holds one of the words below,
# copied flat with a trigger appended (as the synthetic parse corpus), so ecolint parses each.
rw_parse="$bench/realworld-parse"
rw_plain_args=(-l -F --no-ignore --hidden -g '*.py')
for d in .git __pycache__ node_modules; do rw_plain_args+=(-g "!**/$d/**"); done
# The words are fixed here, not read from `ecolint rules --triggers`, so that the corpus stays the
# same 1,395 files as triggers are narrowed: the words that needed no other word on 2026-11-30,
# before TGI's flags in their `_` form took the flag as a condition (the settings read at one value
# only, `~1`, included).
for w in -bnb-4bit MAX_BATCH_SIZE MAX_CONCURRENT_REQUESTS bitsandbytes 'generate(' load-in-4bit load-in-8bit \
  load_in_4bit load_in_8bit max-batch-size max-concurrent-requests max-num-seqs max-running-requests maxBatchSize \
  max_batch_size max_concurrent_requests max_num_seqs max_running_requests q_lora quantization_bit; do
  rw_plain_args+=(-e "$w")
done
# copy_flat LIST DIR [TRAILER]: the files of LIST (paths under $realworld, as ./a/b.py) copied into
# DIR as a_b.py, each with TRAILER appended; kept as they are while LIST is unchanged.
copy_flat() {
  local list="$1" dir="$2" trailer="${3:-}" f dest
  cmp -s "$list" "$dir/.list" 2>/dev/null && return 0
  rm -rf "$dir"
  mkdir -p "$dir"
  while IFS= read -r f; do
    dest="$dir/$(printf '%s' "${f#./}" | tr '/' '_')"
    cp "$realworld/$f" "$dest"
    [ -z "$trailer" ] || printf '%s' "$trailer" >>"$dest"
  done <"$list"
  cp "$list" "$dir/.list"
}
(cd "$realworld" && rg "${rw_plain_args[@]}" . | sort) >"$bench/realworld-parse.list"
copy_flat "$bench/realworld-parse.list" "$rw_parse" $'\n# load_in_4bit\n'
# The floor under ecolint's real-world time: tree-sitter alone on the .py files ecolint parses there
# (those of rg's trigger-word files its prefilter passes), copied flat. Whatever ecolint does, it
# parses these; the rules read whole modules, so each is parsed whole.
rw_floor="$bench/realworld-floor"
(cd "$realworld" && rg "${rw_rg_args[@]}" . | sort | "$candidates_tool") >"$bench/realworld-floor.list"
copy_flat "$bench/realworld-floor.list" "$rw_floor"
rw_floor_files=$(find "$rw_floor" -name '*.py' | wc -l)
rw_floor_bytes=$(find "$rw_floor" -name '*.py' -print0 | du -cb --apparent-size --files0-from=- | tail -1 | cut -f1)
rw_parse_files=$(find "$rw_parse" -name '*.py' | wc -l)
rw_parse_bytes=$(find "$rw_parse" -name '*.py' -print0 | du -cb --apparent-size --files0-from=- | tail -1 | cut -f1)

results="$bench/results-realworld.tsv"
: >"$results"
rw_load=$(cut -d' ' -f1-3 /proc/loadavg)
for rep in $(seq 1 "$reps"); do
  echo "real-world repetition $rep/$reps" >&2
  measure "ecolint" "$realworld" "$ecolint" --exit-zero --format json --no-gitignore --jobs "$jobs" .
  measure "rg -l" "$realworld" rg "${rw_rg_args[@]}" .
  measure "ast-grep scan" "$realworld" "$astgrep" scan --config "$bench/astgrep/sgconfig.yml" --threads "$jobs" \
    --no-ignore hidden --no-ignore dot --no-ignore vcs --no-ignore parent .
  measure "parse: ecolint" "$rw_parse" "$ecolint" --exit-zero --format json --jobs "$jobs" .
  measure "parse: tree-sitter" "$rw_parse" "$tsparse" --jobs "$jobs" .
  measure "floor: tree-sitter" "$rw_floor" "$tsparse" --jobs "$jobs" .
done

echo
machine_line
echo "corpus:  real world, $n_laid of $n_listed repositories of bench/corpus/repos.yaml in $realworld: $rw_nfiles files," \
     "$((rw_bytes / 1000000)) MB; $rw_ncand .py/.ipynb/.yaml/.yml, $rw_nparsed of them hold a trigger word"
echo "         trigger words ($rw_words_from): ${rw_words[*]}"
echo "reps:    $reps, alternating, $jobs threads each; medians of wall time; peak RSS is the median of max RSS;" \
     "CPU is user + system time; load average before: $rw_load"
echo "         parse-bound: $rw_parse_files .py files holding one of the fixed parse-corpus words, $((rw_parse_bytes / 1000000)) MB, each" \
     "with a trigger appended (all parsed), ecolint vs tree-sitter's own parse (ecolint-ts-parse)"
echo "         floor: tree-sitter alone on the $rw_floor_files .py files ecolint parses here ($((rw_floor_bytes / 1000000)) MB;" \
     "ecolint-bench-candidates: its prefilter on rg's list)"
REPORT_CPU=1 report "$results" "$rw_parse_bytes"
parse_ratios "$results" "ecolint" "rg -l" "parse: ecolint" "parse: tree-sitter" "floor: tree-sitter" "rg -l"
if [ "$slowest" = 1 ]; then
  (cd "$realworld" && rg "${rw_rg_args[@]}" .) | sed "s|^\./|$realworld/|" | sort >"$bench/candidates-realworld.txt"
  slowest_files "$bench/candidates-realworld.txt" "$realworld"
fi
fi  # real-world corpus
