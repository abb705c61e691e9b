#!/usr/bin/env bash
# End-to-end tests of ecolint on hostile inputs: each case generates its input in a temp dir,
# runs the binary, and checks the exit status, the per-file note or finding, and that JSON
# output stays valid. Usage: hostile.sh ECOLINT_BINARY CASE   (CASE "list" prints the cases)
set -uo pipefail
bin="$1"
case_name="$2"
tmp="$(mktemp -d)"
cleanup() { chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
cd "$tmp" || exit 1

fail() { echo "FAIL [$case_name]: $*" >&2; [ -f out.json ] && head -c 3000 out.json >&2; exit 1; }

# run ARGS...: runs ecolint with JSON output into out.json; sets $rc. Fails on a crash or timeout.
run() {
  timeout 120 "$bin" --format json "$@" >out.json 2>err.txt
  rc=$?
  [ "$rc" -le 2 ] || fail "exit status $rc (crash or timeout); stderr: $(head -c 2000 err.txt)"
  python3 -c 'import json,sys; json.load(open("out.json", encoding="utf-8", errors="strict"))' \
    || fail "output is not valid UTF-8 JSON"
}
expect_rc() { [ "$rc" -eq "$1" ] || fail "exit status $rc, expected $1; stderr: $(head -c 2000 err.txt)"; }
# expect_note REGEX: some note's message matches REGEX.
expect_note() {
  python3 - "$1" <<'PY' || fail "no note matching '$1'"
import json, re, sys
doc = json.load(open("out.json", encoding="utf-8"))
sys.exit(0 if any(re.search(sys.argv[1], n["message"]) for n in doc["notes"]) else 1)
PY
}
# expect_findings "RULE:LINE ..." : exactly these findings (order-insensitive).
expect_findings() {
  python3 - "$1" <<'PY' || fail "findings differ from '$1'"
import json, sys
doc = json.load(open("out.json", encoding="utf-8"))
got = sorted(f'{d["rule"]}:{d["line"]}' for d in doc["diagnostics"])
want = sorted(sys.argv[1].split())
if got != want:
    print(f"got {got}, want {want}", file=sys.stderr)
    sys.exit(1)
PY
}
expect_no_notes() {
  python3 -c 'import json,sys; sys.exit(len(json.load(open("out.json"))["notes"]) != 0)' || fail "unexpected notes"
}

# A memory cap for one run (call it in a subshell): `ulimit -v KB`, except under AddressSanitizer,
# whose shadow memory needs terabytes of address space; there, its own limit on resident memory.
cap_memory() {
  if [ "${ECOLINT_SANITIZED:-0}" = 1 ]; then
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=$(( $1 / 1024 ))"
  else
    ulimit -v "$1"
  fi
}

int8_line='model = AutoModelForCausalLM.from_pretrained("facebook/opt-6.7b", load_in_8bit=True)'

case "$case_name" in
  list)
    echo "huge_file large_parsed_file deep_nesting_python deep_nesting_notebook invalid_utf8 utf16 nul_bytes line_endings bom"
    echo "yaml_large yaml_deep_nesting yaml_alias_bomb"
    echo "symlinks unreadable non_utf8_names empty_file missing_argument special_files"
    # Issue 15: one case per row of its table (python_* cases need the Python nesting fix in src/python).
    echo "helm_comment_spaces python_nesting_65534 python_nesting_configmap_notebook config_alias_bomb"
    echo "config_glob_backtracking baseline_dev_zero long_line_positions notebook_many_cells notebook_lone_cr"
    echo "directory_of_hostile_files directory_with_nesting_crash output_devices baseline_fifo_and_count"
    echo "notebook_duplicate_keys python_value_chain_cut dense_python jobs_huge untrusted_tree file_timeout"
    echo "isolate_crashes"
    exit 0 ;;

  huge_file)  # 50 MB: over the 10 MiB limit, skipped with a note, exit 0, memory stays small
    python3 -c '
import sys
line = b"x = [1, 2, 3]  # load_in_8bit padding padding padding padding\n"
with open("huge.py", "wb") as f:
    f.write(line * (50 * 1024 * 1024 // len(line) + 1))'
    run huge.py; expect_rc 0; expect_note 'MiB limit; not analysed'; expect_findings ""
    run .; expect_rc 0; expect_note 'MiB limit; not analysed' ;;

  large_parsed_file)  # a 2 MB file with trigger words (900,000 tokens): parsed in bounded time and memory
    python3 -c '
finding = "model = AutoModelForCausalLM.from_pretrained(\"facebook/opt-6.7b\", load_in_8bit=True)\n"
parts, size, n = ["from transformers import AutoModelForCausalLM\n"], 0, 0
while size < 2_000_000:
    block = f"def f_{n}(x):\n    y = x + {n}\n    return {{\"a\": y, \"b\": [y, y * 2]}}\n\n"
    if n % 100 == 0:
        block += finding
    parts.append(block); size += len(block); n += 1
open("big.py", "w").write("".join(parts))
open("expected", "w").write(str((n + 99) // 100))'
    run big.py; expect_rc 1
    python3 -c 'import json,sys; d=json.load(open("out.json")); sys.exit(len(d["diagnostics"]) != int(open("expected").read()))' \
      || fail "expected $(cat expected) findings" ;;

  deep_nesting_python)  # 10,000 levels of brackets and of calls: a note, no stack overflow
    python3 -c '
n = 10000
open("brackets.py", "w").write("cfg = dict(load_in_8bit=True)\nx = " + "[" * n + "1" + "]" * n + "\n")
open("calls.py", "w").write("x = " + "f(" * n + "load_in_8bit=True" + ")" * n + "\n")
open("parens.py", "w").write("load_in_8bit = " + "(" * n + "1" + ")" * n + "\n")
open("unclosed.py", "w").write("load_in_8bit = " + "{" * n + "\n")
open("blocks.py", "w").write("load_in_8bit = 1\n" + "".join(" " * i + "if x:\n" for i in range(2000)) + " " * 2000 + "pass\n")'
    for f in brackets.py calls.py parens.py unclosed.py blocks.py; do
      run "$f"; [ "$rc" -le 1 ] || fail "$f: exit status $rc"
    done
    run brackets.py; expect_note 'nesting deeper than' ;;

  deep_nesting_notebook)  # 10,000 levels of JSON arrays/objects, and broken JSON: a note each
    # (each holds a trigger word: notebooks without one are skipped by the prefilter, unread)
    python3 -c '
n = 10000
open("arrays.ipynb", "w").write("{\"cells\": " + "[" * n + "]" * n + ", \"x\": \"load_in_8bit\"}")
open("objects.ipynb", "w").write("{\"x\": \"load_in_8bit\", \"a\": " + "{\"a\": " * n + "1" + "}" * (n + 1))
open("broken.ipynb", "w").write("{\"cells\": [{\"cell_type\": \"code\", \"source\": \"load_in_8bit=True")'
    run arrays.ipynb objects.ipynb broken.ipynb; expect_rc 0; expect_findings ""
    python3 -c 'import json,sys; d=json.load(open("out.json")); sys.exit(len({n["path"] for n in d["notes"]}) != 3)' \
      || fail "expected a note for each notebook" ;;

  yaml_large)  # 100k-line deploy YAML: analysed in bounded time, the finding at its line
    python3 -c '
lines = ["apiVersion: v1", "kind: ConfigMap", "data:"] + [f"  key{i}: value{i}" for i in range(100000)]
lines += ["---", "base_model: facebook/opt-6.7b", "load_in_8bit: true"]
open("big.yaml", "w").write("\n".join(lines) + "\n")'
    run big.yaml; [ "$rc" -le 1 ] || fail "exit status $rc" ;;

  yaml_deep_nesting)  # 10,000 levels of flow and block nesting: a note, no stack overflow
    python3 -c '
n = 10000
open("flow.yaml", "w").write("load_in_8bit: true\nx: " + "[" * n + "1" + "]" * n + "\n")
open("map.yaml", "w").write("load_in_8bit: true\nx: " + "{a: " * n + "1" + "}" * n + "\n")
open("block.yaml", "w").write("load_in_8bit: true\n" + "".join(" " * i + "k:\n" for i in range(2000)))
open("unclosed.yaml", "w").write("load_in_8bit: true\nx: " + "[" * n + "\n")'
    for f in flow.yaml map.yaml block.yaml unclosed.yaml; do
      run "$f"; [ "$rc" -le 1 ] || fail "$f: exit status $rc"
    done ;;

  yaml_alias_bomb)  # billion laughs: aliases counted as visited, a note, small memory and time
    python3 -c '
lines = ["load_in_8bit: true", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
for i in range(1, 10):
    lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 10) + "]")
lines.append("args: *a9")
open("bomb.yaml", "w").write("\n".join(lines) + "\n")'
    run bomb.yaml; [ "$rc" -le 1 ] || fail "exit status $rc"; expect_note '.' ;;

  invalid_utf8)
    printf 'x = "\xff\xfe"  # load_in_8bit\n' >bad.py
    printf 'ok = 1\n\xc3\x28 = 2\n' >bad2.py
    printf '%s\n' "$int8_line" >good.py
    run .; expect_rc 1; expect_note 'not valid UTF-8'; expect_findings "ECO001:1" ;;

  utf16)  # UTF-16 (with and without BOM) is not analysed; says so, exit 0
    printf '%s\n' "$int8_line" | iconv -f UTF-8 -t UTF-16 >utf16.py
    printf '%s\n' "$int8_line" | iconv -f UTF-8 -t UTF-16BE >utf16be.py
    run .; expect_rc 0; expect_findings ""
    python3 -c 'import json,sys; d=json.load(open("out.json")); sys.exit(len(d["notes"]) != 2)' \
      || fail "expected one note per UTF-16 file" ;;

  nul_bytes)
    printf 'load_in_8bit = 1\0\n' >nul.py
    printf '\0' >only_nul.py
    run .; expect_rc 0; expect_note 'NUL'; expect_findings "" ;;

  line_endings)  # findings at the right line whatever the line endings
    printf 'import x\r\n\r\n%s\r\n' "$int8_line" >crlf.py
    printf 'import x\n\r\n# c\n%s\r\n' "$int8_line" >mixed.py
    printf 'import x\r\n"""doc\r\nstring"""\n\n%s' "$int8_line" >noeol.py
    run crlf.py mixed.py noeol.py; expect_rc 1
    python3 - <<'PY' || fail "wrong lines"
import json, sys
d = json.load(open("out.json"))
got = sorted((x["path"], x["line"], x["column"]) for x in d["diagnostics"])
want = [("crlf.py", 3, 71), ("mixed.py", 4, 71), ("noeol.py", 5, 71)]
if [g[:2] for g in got] != [w[:2] for w in want]:
    print(got, file=sys.stderr); sys.exit(1)
PY
    ;;

  bom)  # a UTF-8 BOM is not a column: same positions as without it
    printf '\xef\xbb\xbf%s\n' "$int8_line" >bom.py
    printf '%s\n' "$int8_line" >plain.py
    run bom.py plain.py; expect_rc 1
    python3 - <<'PY' || fail "BOM shifted positions"
import json, sys
d = json.load(open("out.json"))
pos = {x["path"]: (x["line"], x["column"]) for x in d["diagnostics"]}
sys.exit(not (len(pos) == 2 and pos["bom.py"] == pos["plain.py"]))
PY
    ;;

  symlinks)  # loops and links outside the root are not followed during a walk
    mkdir -p root/sub outside
    printf '%s\n' "$int8_line" >outside/finding.py
    ln -s .. root/sub/loop
    ln -s ../root root/self
    ln -s ../outside root/out_dir
    ln -s ../outside/finding.py root/out_file.py
    ln -s missing.py root/dangling.py
    printf 'x = 1\n' >root/sub/ok.py
    run root; expect_rc 0; expect_findings ""
    # Given explicitly, a symlinked file is the user's choice and is linted.
    run root/out_file.py; expect_rc 1; expect_findings "ECO001:1" ;;

  unreadable)
    mkdir -p tree/locked
    printf '%s\n' "$int8_line" >tree/secret.py
    printf '%s\n' "$int8_line" >tree/locked/inner.py
    chmod 000 tree/secret.py tree/locked
    if cat tree/secret.py >/dev/null 2>&1; then
      # Running as root (or with CAP_DAC_OVERRIDE): permissions do not block reads, so the files
      # are simply linted; check the run still completes cleanly.
      run tree; expect_rc 1; expect_findings "ECO001:1 ECO001:1"
    else
      run tree; expect_rc 0; expect_note 'cannot read'; expect_findings ""
      run tree/secret.py; [ "$rc" -ne 1 ] || fail "unreadable explicit file reported findings"
      expect_note 'cannot read'
    fi ;;

  non_utf8_names)  # file names that are not UTF-8 keep the JSON valid (replacement characters)
    mkdir -p d
    printf '%s\n' "$int8_line" >"d/bad$(printf '\xff\xfe')name.py"
    printf 'x = 1\0' >"d/bin$(printf '\xc3\x28').py"
    printf '%s\n' "$int8_line" >"d/quote\"back\\slash	tab.py"
    run d; expect_rc 1
    python3 - <<'PY' || fail "paths not escaped or replaced"
import json, sys
d = json.load(open("out.json", encoding="utf-8"))
paths = [x["path"] for x in d["diagnostics"]] + [n["path"] for n in d["notes"]]
ok = any("\ufffd" in p and p.endswith("name.py") for p in paths) and any('quote"back\\slash\ttab.py' in p for p in paths)
sys.exit(0 if ok and len(d["diagnostics"]) == 2 and len(d["notes"]) == 1 else 1)
PY
    ;;

  empty_file)
    : >empty.py
    run empty.py; expect_rc 0; expect_findings ""; expect_no_notes
    printf '\n\n\n' >blank.py
    printf '\xef\xbb\xbf' >bom_only.py
    run .; expect_rc 0; expect_findings ""; expect_no_notes ;;

  missing_argument)  # a file gone before the run (or mistyped): exit 2 with an error on stderr, others still linted
    printf '%s\n' "$int8_line" >present.py
    printf 'x = 1\n' >gone.py; rm gone.py
    run present.py gone.py; expect_rc 2; expect_findings "ECO001:1"
    grep -q 'error: gone.py: No such file' err.txt || fail "the missing path is an error on stderr"
    run no_such_dir; expect_rc 2
    grep -q 'error: no_such_dir: No such file' err.txt || fail "the missing directory is an error on stderr" ;;

  special_files)  # FIFOs and devices: never opened for reading (a FIFO would block forever)
    mkfifo pipe.py
    run pipe.py; [ "$rc" -ne 1 ] || fail "pipe reported findings"; expect_note 'not a regular file'
    run .; expect_rc 0
    run /dev/zero; [ "$rc" -ne 1 ] || fail "/dev/zero"; expect_note "not a regular file|not a file type" ;;

  # ---- Issue 15 ------------------------------------------------------------------------------
  helm_comment_spaces)  # `# {{` and 100,000 spaces: SIGSEGV in std::regex before; a linear scan now
    python3 -c 'open("h.yaml", "w").write("load_in_8bit: true\n# {{" + " " * 100000 + "\n")'
    run h.yaml; [ "$rc" -le 1 ] || fail "exit status $rc" ;;

  python_nesting_65534)  # 65,534 `(` after a trigger word: SIGSEGV / double free before
    # The layer that crashes is tree-sitter 0.20.7 itself (Debian's libtree-sitter): parsing then
    # ts_tree_delete, with no ecolint code between, double-frees (ASan: ts_subtree_release <-
    # ts_tree_delete) on 65,532 or more unclosed brackets of any kind; closed ones parse fine. So
    # the nesting must be bounded before tree-sitter sees the text (src/python).
    python3 -c '
open("deep.py", "w").write("load_in_8bit = 1\nx = " + "(" * 65534 + "\n")
open("deeper.py", "w").write("load_in_8bit = 1\nx = " + "(" * 200000 + "\n")
open("brackets.py", "w").write("load_in_8bit = 1\nx = " + "[" * 65532 + "\n")
open("braces.py", "w").write("load_in_8bit = 1\nx = " + "{" * 65532 + "\n")
open("closed.py", "w").write("load_in_8bit = 1\nx = " + "(" * 65534 + "1" + ")" * 65534 + "\n")'
    for f in deep.py deeper.py brackets.py braces.py closed.py; do
      run "$f"; [ "$rc" -le 1 ] || fail "$f: exit status $rc"; expect_note '.'
    done ;;

  python_nesting_configmap_notebook)  # the same parentheses in a ConfigMap *.py entry and a notebook cell
    python3 -c '
import json
deep = "x = " + "(" * 65534
open("cm.yaml", "w").write("apiVersion: v1\nkind: ConfigMap\ndata:\n  serve.py: |\n    load_in_8bit = 1\n    " + deep + "\n")
cell = {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["load_in_8bit = 1\n", deep + "\n"]}
open("nb.ipynb", "w").write(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell]}))'
    for f in cm.yaml nb.ipynb; do run "$f"; [ "$rc" -le 1 ] || fail "$f: exit status $rc"; expect_note '.'; done ;;

  config_alias_bomb)  # a 632-byte .ecolint.yaml whose select: is 10 levels x 10 aliases: 4 GB before
    python3 -c '
lines = ["a0: &a0 [ECO001, ECO001, ECO001, ECO001, ECO001, ECO001, ECO001, ECO001, ECO001, ECO001]"]
for i in range(1, 10):
    lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * 10) + "]")
lines.append("select: *a9")
open(".ecolint.yaml", "w").write("\n".join(lines) + "\n")'
    printf '%s\n' "$int8_line" >a.py
    ( cap_memory 1000000; timeout 60 "$bin" a.py >out.txt 2>err.txt ); rc=$?
    expect_rc 2; grep -q '\.ecolint\.yaml: more than 200000 values' err.txt || fail "no error naming the file: $(cat err.txt)" ;;

  config_glob_backtracking)  # exclude: ["*a*a*a*a*a*a*a*a*a*a*b"] and a name of 60 `a`: hung before
    printf 'exclude: ["*a*a*a*a*a*a*a*a*a*a*b"]\n' >.ecolint.yaml
    name="$(printf 'a%.0s' $(seq 60))"
    printf '%s\n' "$int8_line" >"$name.py"
    printf '%s\n' "$int8_line" >"${name}b"
    run "$name.py"; expect_rc 1
    run --exclude '*a*a*a*a*a*a*a*a*a*a*b,*a*a*a*a*a*a*a*a*a*a*c' --force-exclude -- "$name.py"; expect_rc 1
    printf 'per-file-ignores:\n  "*a*a*a*a*a*a*a*a*a*a*b": [ECO001]\n' >.ecolint.yaml
    run .; expect_rc 1 ;;

  baseline_dev_zero)  # --baseline naming a link to /dev/zero (a baseline in the tree): read forever before
    ln -s /dev/zero baseline.json
    printf '%s\n' "$int8_line" >a.py
    ( cap_memory 1000000; timeout 60 "$bin" --baseline baseline.json a.py >out.txt 2>err.txt ); rc=$?
    expect_rc 2; grep -q 'not a regular file (a character device)' err.txt || fail "message: $(cat err.txt)" ;;

  baseline_fifo_and_count)  # a FIFO baseline hung; a count of 4294967296 wrapped to 0
    mkfifo fifo.json
    printf '%s\n' "$int8_line" >a.py
    timeout 60 "$bin" --baseline fifo.json a.py >out.txt 2>err.txt; rc=$?
    expect_rc 2; grep -q 'not a regular file (a FIFO)' err.txt || fail "message: $(cat err.txt)"
    timeout 60 "$bin" --write-baseline good.json a.py 2>err.txt || fail "write-baseline"
    python3 -c '
import json; d = json.load(open("good.json")); d["findings"][0]["count"] = 4294967296; json.dump(d, open("big.json", "w"))'
    timeout 60 "$bin" --baseline big.json a.py >out.txt 2>err.txt; rc=$?
    expect_rc 2; grep -q '"count" is not an integer from 0 to 1000000000' err.txt || fail "message: $(cat err.txt)" ;;

  long_line_positions)  # 40,000 calls on one line: 39 s before (positions counted from the line start)
    python3 -c '
line = "; ".join(["g(x=\"\u00e9\")"] * 40000)
open("long.py", "w").write("from transformers import AutoModelForCausalLM\n" + line + "; m = AutoModelForCausalLM.from_pretrained(\"facebook/opt-6.7b\", load_in_8bit=True)\n")'
    start=$(date +%s)
    run long.py; expect_rc 1; expect_findings "ECO001:2"
    [ $(( $(date +%s) - start )) -lt 60 ] || fail "took $(( $(date +%s) - start )) s" ;;

  notebook_many_cells)  # 150,000 `!vllm serve ... --max-num-seqs 1` cells as single-line JSON: > 120 s before
    # (every 10th cell here: the positions of 15,000 findings along one 9 MB line, without a 120 MB report)
    python3 -c '
import json
cells = [{"cell_type": "code", "source": "!vllm serve m --max-num-seqs 1" if i % 10 == 9 else "!echo m --max-num-seqs 1"}
         for i in range(150000)]
open("many.ipynb", "w").write(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}, separators=(",", ":")))'
    start=$(date +%s)
    run --select ECO003 many.ipynb; expect_rc 1
    [ $(( $(date +%s) - start )) -lt 100 ] || fail "took $(( $(date +%s) - start )) s"
    python3 -c 'import json,sys; d=json.load(open("out.json")); sys.exit(not (len(d["diagnostics"]) == 15000 and d["diagnostics"][-1]["cell"] == 150000))' \
      || fail "expected 15,000 findings, the last in cell 150000" ;;

  notebook_lone_cr)  # a lone \r in an earlier cell shifted the cell number of a later finding
    python3 -c '
import json
cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "source": ["x = 1\r", "y = 2\n"]},
         {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["from transformers import AutoModelForCausalLM\n",
          "m = AutoModelForCausalLM.from_pretrained(\"facebook/opt-6.7b\", load_in_8bit=True)\n"]}]
open("cr.ipynb", "w").write(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}))'
    run cr.ipynb; expect_rc 1
    python3 -c 'import json,sys; d=json.load(open("out.json")); x=d["diagnostics"][0]; sys.exit(not (x["cell"] == 2 and x["cell_line"] == 2))' \
      || fail "finding not in cell 2, line 2" ;;

  notebook_duplicate_keys)  # two "cells" keys: Jupyter shows the last, ecolint read the first
    python3 -c '
shown = "[{\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": [], \"source\": [\"from transformers import AutoModelForCausalLM\\n\", \"m = AutoModelForCausalLM.from_pretrained(\\\"facebook/opt-6.7b\\\", load_in_8bit=True)\\n\"]}]"
decoy = "[{\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": [], \"source\": [\"x = 1\\n\"]}]"
open("dup.ipynb", "w").write("{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": " + decoy + ", \"cells\": " + shown + "}")'
    python3 -c 'import json; assert "load_in_8bit" in "".join(json.load(open("dup.ipynb"))["cells"][0]["source"])'
    run dup.ipynb; expect_rc 1; expect_findings "ECO001:1" ;;

  python_value_chain_cut)  # a value reached through more than 48 names was lost with no note
    python3 -c '
lines = ["from transformers import AutoModelForCausalLM", "v0 = True"] + [f"v{i} = v{i-1}" for i in range(1, 60)]
lines.append("m = AutoModelForCausalLM.from_pretrained(\"facebook/opt-6.7b\", load_in_8bit=v59)")
open("chain.py", "w").write("\n".join(lines) + "\n")'
    run chain.py; [ "$rc" -le 1 ] || fail "exit status $rc"
    python3 -c 'import json,sys; d=json.load(open("out.json")); sys.exit(not (d["diagnostics"] or d["notes"]))' \
      || fail "the finding was lost with no note" ;;

  dense_python)  # 10 MiB of `a\n`: 38.9 s and 3.3 GB before; refused by its token count now
    python3 -c 'open("dense.py", "w").write("load_in_8bit = 1\n" + "a\n" * (5 * 1024 * 1024 - 10))'
    ( cap_memory 2000000; timeout 120 "$bin" --format json dense.py >out.json 2>err.txt ); rc=$?
    expect_rc 0; expect_note 'Python tokens' ;;

  jobs_huge)  # -j 100000 aborted ("terminate called without an active exception")
    for i in 1 2 3 4 5; do printf '%s\n' "$int8_line" >"f$i.py"; done
    run -j 100000 .; expect_rc 1; expect_findings "ECO001:1 ECO001:1 ECO001:1 ECO001:1 ECO001:1" ;;

  untrusted_tree)  # a PR adding `exclude: ["*"]` or ignore-file comments silenced the gate
    git init -q .
    printf 'exclude: ["*"]\n' >.ecolint.yaml
    printf '# ecolint: ignore-file[ECO001] trust me\n%s\n' "$int8_line" >a.py
    printf '%s  # ecolint: ignore[ECO001] trust me\n' "$int8_line" >b.py
    mkdir -p sub && printf '[tool.ecolint]\nignore = ["ECO001"]\n' >sub/pyproject.toml && printf '%s\n' "$int8_line" >sub/c.py
    printf '*.py\n' >.gitignore
    run .; expect_rc 0
    run --isolated --no-inline-suppressions --no-gitignore .; expect_rc 1; expect_findings "ECO001:2 ECO001:1 ECO001:1"
    run --isolated --no-inline-suppressions --no-gitignore sub; expect_rc 1 ;;

  file_timeout)  # containment: a file over the per-file time budget becomes a note, the run goes on
    python3 -c '
finding = "m = AutoModelForCausalLM.from_pretrained(\"facebook/opt-6.7b\", load_in_8bit=True)\n"
parts = ["from transformers import AutoModelForCausalLM\n"]
for n in range(40000):
    parts.append(f"def f_{n}(x):\n    return {{\"a\": x, \"b\": [x, x * {n}]}}\n")
open("slow.py", "w").write("".join(parts) + finding)'
    printf '%s\n' "$int8_line" >fast.py
    run --file-timeout 0.001 -j 1 slow.py fast.py
    [ "$rc" -le 1 ] || fail "exit status $rc"; expect_note 'longer than the per-file limit of 1 ms'
    run --file-timeout 0 slow.py; expect_rc 1; expect_no_notes ;;

  directory_of_hostile_files)  # the issue's hostile files (but the Python nesting ones) in one directory
    mkdir -p tree && cd tree || exit 1
    python3 -c '
import json, os
open("helm.yaml", "w").write("load_in_8bit: true\n# {{" + " " * 100000 + "\n")
open("long.py", "w").write("load_in_8bit = 1\n" + "; ".join(["g(x=1)"] * 40000) + "\n")
cells = [{"cell_type": "code", "source": "!vllm serve m --max-num-seqs 1"} for _ in range(16000)]
open("many.ipynb", "w").write(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}, separators=(",", ":")))
open("dense.py", "w").write("load_in_8bit = 1\n" + "a\n" * (3 * 1024 * 1024))
open("flow.yaml", "w").write("load_in_8bit: true\nx: [" + "a," * 1000000 + "]\n")
names = ["a"] + [f"b{i}" for i in range(9)]
bomb = "load_in_8bit: true\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
for i in range(9):
    bomb += f"b{i}: &b{i} [" + ", ".join(["*" + names[i]] * 10) + "]\n"
open("bomb.yaml", "w").write(bomb)
open("bad.ipynb", "w").write("{\"cells\": [" * 300 + "load_in_8bit")
open("ok.py", "w").write("from transformers import AutoModelForCausalLM\nm = AutoModelForCausalLM.from_pretrained(\"facebook/opt-6.7b\", load_in_8bit=True)\n")'
    cd .. && run tree
    [ "$rc" -le 1 ] || fail "exit status $rc"
    python3 - <<'PY' || fail "expected the finding in ok.py and a note for each bad file"
import json, sys
d = json.load(open("out.json"))
noted = {n["path"] for n in d["notes"]}
want = {"tree/dense.py", "tree/flow.yaml", "tree/bomb.yaml", "tree/bad.ipynb"}
sys.exit(0 if want <= noted and any(x["path"] == "tree/ok.py" for x in d["diagnostics"]) else 1)
PY
    ;;

  directory_with_nesting_crash)  # a crashing file in a linted directory took the whole run down
    mkdir -p tree
    python3 -c '
open("tree/deep.py", "w").write("load_in_8bit = 1\nx = " + "(" * 65534 + "\n")
open("tree/ok.py", "w").write("from transformers import AutoModelForCausalLM\nm = AutoModelForCausalLM.from_pretrained(\"facebook/opt-6.7b\", load_in_8bit=True)\n")'
    run tree; expect_rc 1; expect_findings "ECO001:2"
    python3 -c 'import json,sys; d=json.load(open("out.json")); sys.exit(not any(n["path"] == "tree/deep.py" for n in d["notes"]))' \
      || fail "no note for tree/deep.py" ;;

  isolate_crashes)  # --isolate-crashes: a file that crashes its parser is a note, the run goes on
    # (deep.py crashes tree-sitter 0.20 until the Python nesting fix; with it, it is a plain note)
    mkdir -p tree
    python3 -c '
open("tree/deep.py", "w").write("load_in_8bit = 1\nx = " + "(" * 65534 + "\n")
open("tree/deeper.py", "w").write("load_in_8bit = 1\nx = " + "(" * 300000 + "\n")
for i in range(20):
    open(f"tree/ok{i}.py", "w").write("from transformers import AutoModelForCausalLM\nm = AutoModelForCausalLM.from_pretrained(\"facebook/opt-6.7b\", load_in_8bit=True)\n")'
    run --isolate-crashes tree; expect_rc 1
    python3 - <<'PY' || fail "expected 20 findings and a note for each deep file"
import json, sys
d = json.load(open("out.json"))
noted = {n["path"] for n in d["notes"]}
sys.exit(0 if len(d["diagnostics"]) == 20 and {"tree/deep.py", "tree/deeper.py"} <= noted else 1)
PY
    python3 -c '
parts = ["from transformers import AutoModelForCausalLM\n"]
for n in range(40000):
    parts.append(f"def f_{n}(x):\n    return {{\"a\": x, \"b\": [x, x * {n}]}}\n")
open("slow.py", "w").write("".join(parts))'
    run --isolate-crashes --file-timeout 0.001 slow.py tree/ok1.py; [ "$rc" -le 1 ] || fail "exit status $rc"
    expect_note 'longer than the per-file limit of 1 ms' ;;

  output_devices)  # -o onto a device node or link was replaced by a regular file; /dev/full's ENOSPC unreported
    printf '%s\n' "$int8_line" >a.py
    ln -s /dev/null null.out; ln -s /dev/full full.out
    timeout 60 "$bin" -o null.out a.py 2>err.txt; rc=$?
    expect_rc 1; [ -L null.out ] && [ -c null.out ] || fail "the link to /dev/null was replaced"
    timeout 60 "$bin" -o full.out a.py 2>err.txt; rc=$?
    expect_rc 2; grep -q 'No space left on device' err.txt || fail "no ENOSPC error: $(cat err.txt)"
    timeout 60 "$bin" -o /dev/full a.py 2>err.txt; rc=$?
    expect_rc 2; grep -q 'No space left on device' err.txt || fail "no ENOSPC error on /dev/full"
    timeout 60 "$bin" --format json a.py >/dev/full 2>err.txt; rc=$?
    expect_rc 2; grep -q 'cannot write the report to standard output' err.txt || fail "stdout ENOSPC unreported"
    timeout 60 "$bin" --format json -o /dev/fd/1 a.py >fd.json 2>err.txt; rc=$?
    expect_rc 1; python3 -c 'import json; json.load(open("fd.json"))' || fail "-o /dev/fd/1"
    if mknod nulldev c 1 3 2>/dev/null; then  # a device node of our own (as root): must stay one
      timeout 60 "$bin" -o nulldev a.py 2>err.txt; rc=$?
      expect_rc 1; [ -c nulldev ] || fail "the device node was replaced"
    fi
    mkfifo fifo.out
    timeout 60 "$bin" -o fifo.out a.py 2>err.txt; rc=$?
    expect_rc 2; grep -q 'no process is reading' err.txt || fail "FIFO without reader: $(cat err.txt)"
    ( timeout 60 cat fifo.out >from_fifo.txt & ); sleep 0.5
    timeout 60 "$bin" --write-baseline fifo.out a.py 2>err.txt; rc=$?; sleep 0.5
    expect_rc 0; grep -q '"version": 1' from_fifo.txt || fail "baseline not written through the FIFO"
    echo keep >precious; ln -s precious link.out
    timeout 60 "$bin" -o link.out a.py 2>err.txt; rc=$?
    expect_rc 2; [ "$(cat precious)" = keep ] || fail "wrote through a link to a file"
    # A write that fails midway (file size limit) leaves no temporary behind.
    ( trap '' XFSZ; ulimit -f 1; timeout 60 "$bin" --format sarif -o report.sarif a.py 2>err.txt ); rc=$?
    expect_rc 2; grep -q 'File too large' err.txt || fail "EFBIG unreported: $(cat err.txt)"
    ls -a | grep -q '\.tmp\.' && fail "a temporary file was left"
    [ -e report.sarif ] && fail "a partial report was left" ;;

  *) echo "unknown case $case_name" >&2; exit 2 ;;
esac
echo "ok [$case_name]"
