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

int8_line='model = AutoModelForCausalLM.from_pretrained("facebook/opt-6.7b", load_in_8bit=True)'

case "$case_name" in
  list)
    echo "huge_file large_parsed_file deep_nesting_python deep_nesting_notebook invalid_utf8 utf16 nul_bytes line_endings bom"
    echo "yaml_large yaml_deep_nesting yaml_alias_bomb"
    echo "symlinks unreadable non_utf8_names empty_file missing_argument special_files"
    exit 0 ;;

  huge_file)  # 50 MB: over the 10 MiB limit, skipped with a note, exit 0, memory stays small
    python3 -c '
import sys
line = b"x = [1, 2, 3]  # load_in_8bit padding padding padding padding\n"
with open("huge.py", "wb") as f:
    f.write(line * (50 * 1024 * 1024 // len(line) + 1))'
    run huge.py; expect_rc 0; expect_note 'MiB limit; not analysed'; expect_findings ""
    run .; expect_rc 0; expect_note 'MiB limit; not analysed' ;;

  large_parsed_file)  # a 4 MB file with trigger words: parsed in bounded time and memory
    python3 -c '
finding = "model = AutoModelForCausalLM.from_pretrained(\"facebook/opt-6.7b\", load_in_8bit=True)\n"
parts, size, n = ["from transformers import AutoModelForCausalLM\n"], 0, 0
while size < 4_000_000:
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

  missing_argument)  # a file gone before the run (or mistyped): exit 2 with a note, others still linted
    printf '%s\n' "$int8_line" >present.py
    printf 'x = 1\n' >gone.py; rm gone.py
    run present.py gone.py; expect_rc 2; expect_note 'cannot read'; expect_findings "ECO001:1"
    run no_such_dir; expect_rc 2; expect_note 'cannot read' ;;

  special_files)  # FIFOs and devices: never opened for reading (a FIFO would block forever)
    mkfifo pipe.py
    run pipe.py; [ "$rc" -ne 1 ] || fail "pipe reported findings"; expect_note 'not a regular file'
    run .; expect_rc 0
    run /dev/zero; [ "$rc" -ne 1 ] || fail "/dev/zero"; expect_note "not a regular file|not a file type" ;;

  *) echo "unknown case $case_name" >&2; exit 2 ;;
esac
echo "ok [$case_name]"
