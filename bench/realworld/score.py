#!/usr/bin/env python3
"""Score ecolint's JSON output against the real-world dev set labels.

Usage:
  score.py --corpus corpus.yaml [--corpus more.yaml ...] --root OUTDIR \
           --ecolint-json RESULT.json [--tolerance 3] [--json]
  score.py --check --corpus corpus.yaml [...] [--reserved FILE] [--root OUTDIR]

RESULT.json is `cd OUTDIR && ecolint --format json --no-gitignore . > RESULT.json`: its
diagnostics' paths are relative to OUTDIR, where layout.sh put each corpus file at
<owner>+<name>/<path>.

Matching, per file and rule: a finding matches an expected label within +-tolerance lines
(closest pairs first; each label is matched at most once). A finding left over that lies within
the tolerance of an ambiguous label of the same rule is excluded (neither TP nor FP). Every other
finding is a false positive; every unmatched expected label is a miss. Only files listed in the
corpora count; findings in other files are ignored.

Needs Python 3 and PyYAML (Debian: python3-yaml).
"""
import argparse
import json
import os
import re
import sys
from collections import defaultdict

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.stderr.write("score.py needs PyYAML (apt-get install python3-yaml)\n")
    sys.exit(2)

RULES = ("ECO001", "ECO002", "ECO003", "ECO004")
KINDS = ("python", "notebook", "python-config", "train-config", "k8s", "compose", "helm-values",
         "serve-config", "shell", "dockerfile")
DEFAULT_RESERVED = "/work/shared/reserved-repos.txt"
HEX40 = re.compile(r"^[0-9a-f]{40}$")
REPO_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")


def load_corpora(paths):
    """Returns a list of (corpus_path, entry) pairs."""
    out = []
    for p in paths:
        with open(p, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        if not isinstance(doc, dict) or not isinstance(doc.get("files"), list):
            raise SystemExit(f"{p}: top level must be a mapping with a 'files' list")
        for e in doc["files"]:
            out.append((p, e))
    return out


def laid_out_path(entry):
    src = entry["source"]
    return src["repo"].replace("/", "+") + "/" + src["path"]


# --------------------------------------------------------------------------------------------
# --check


def check(corpora_paths, reserved_path, root):
    problems = []
    try:
        items = load_corpora(corpora_paths)
    except (OSError, yaml.YAMLError) as exc:
        print(f"error: {exc}")
        return 1
    reserved = set()
    rp = reserved_path or (DEFAULT_RESERVED if os.path.exists(DEFAULT_RESERVED) else None)
    if rp:
        with open(rp, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    reserved.add(line.lower())
    seen_ids = {}
    seen_files = {}
    for cpath, e in items:
        where = f"{cpath}: {e.get('id', '<no id>') if isinstance(e, dict) else '<not a mapping>'}"
        if not isinstance(e, dict):
            problems.append(f"{where}: entry is not a mapping")
            continue
        eid = e.get("id")
        if not isinstance(eid, str) or not eid:
            problems.append(f"{where}: missing id")
        elif eid in seen_ids:
            problems.append(f"{where}: duplicate id (also in {seen_ids[eid]})")
        else:
            seen_ids[eid] = cpath
        src = e.get("source")
        if not isinstance(src, dict):
            problems.append(f"{where}: missing source mapping")
        else:
            for k in ("repo", "commit", "path"):
                if k not in src or src.get(k) in (None, ""):
                    problems.append(f"{where}: source.{k} missing")
                elif not isinstance(src.get(k), str):
                    problems.append(f"{where}: source.{k} must be a string (quote it: YAML read {src.get(k)!r})")
            repo = src.get("repo", "")
            if isinstance(repo, str) and repo:
                if not REPO_RE.match(repo):
                    problems.append(f"{where}: source.repo {repo!r} is not owner/name")
                # A look-alike (a reserved owner/name with more after it) is refused too.
                near = [r for r in reserved if repo.lower().startswith(r)]
                if near:
                    problems.append(f"{where}: repository {repo} is, or is named like, the reserved {near[0]}")
            commit = src.get("commit", "")
            if isinstance(commit, str) and commit and not HEX40.match(commit):
                problems.append(f"{where}: source.commit is not 40 lowercase hex digits")
            if isinstance(src.get("path"), str) and src["path"]:
                key = (repo, src["path"])
                if key in seen_files:
                    problems.append(f"{where}: same file as {seen_files[key]}")
                else:
                    seen_files[key] = eid
        kind = e.get("kind")
        if kind not in KINDS:
            problems.append(f"{where}: kind {kind!r} not one of {', '.join(KINDS)}")
        if "gpu" in e and (not isinstance(e["gpu"], str) or not e["gpu"]):
            problems.append(f"{where}: gpu must be a non-empty string when present")
        if "note" in e and not isinstance(e["note"], str):
            problems.append(f"{where}: note must be a string")
        if "checked" not in e:
            problems.append(f"{where}: checked missing")
        elif not isinstance(e["checked"], int) or isinstance(e["checked"], bool) or e["checked"] < 1:
            problems.append(f"{where}: checked must be a positive integer")
        for lst in ("expected", "ambiguous"):
            labels = e.get(lst)
            if not isinstance(labels, list):
                problems.append(f"{where}: {lst} must be a list (use [] for none)")
                continue
            for i, lab in enumerate(labels):
                lw = f"{where}: {lst}[{i}]"
                if not isinstance(lab, dict):
                    problems.append(f"{lw}: not a mapping")
                    continue
                if lab.get("rule") not in RULES:
                    problems.append(f"{lw}: rule {lab.get('rule')!r} not one of {', '.join(RULES)}")
                line = lab.get("line")
                if not isinstance(line, int) or isinstance(line, bool) or line < 1:
                    problems.append(f"{lw}: line must be a positive integer")
                if not isinstance(lab.get("note"), str) or not lab.get("note"):
                    problems.append(f"{lw}: note missing")
                extra = set(lab) - {"rule", "line", "note"}
                if extra:
                    problems.append(f"{lw}: unknown keys {sorted(extra)}")
        extra = set(e) - {"id", "source", "kind", "gpu", "expected", "ambiguous", "note", "checked"}
        if extra:
            problems.append(f"{where}: unknown keys {sorted(extra)}")
        if root and isinstance(src, dict) and all(isinstance(src.get(k), str) for k in ("repo", "path")):
            fp = os.path.join(root, laid_out_path(e))
            if not os.path.isfile(fp):
                problems.append(f"{where}: not laid out under {root} ({laid_out_path(e)})")
            else:
                with open(fp, "rb") as f:
                    nlines = f.read().count(b"\n") + 1
                for lst in ("expected", "ambiguous"):
                    for lab in e.get(lst) or []:
                        if isinstance(lab, dict) and isinstance(lab.get("line"), int) and lab["line"] > nlines:
                            problems.append(f"{where}: {lst} line {lab['line']} beyond end of file ({nlines} lines)")
    for p in problems:
        print(p)
    n = len(items)
    if problems:
        print(f"{len(problems)} problem(s) in {n} entries")
        return 1
    print(f"ok: {n} entries in {len(corpora_paths)} corpus file(s)"
          + (f", reserved list {rp} checked" if rp else ", no reserved list"))
    return 0


# --------------------------------------------------------------------------------------------
# scoring


def norm_path(p):
    p = p.replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    return p


def match_file(findings, expected, ambiguous, tol):
    """findings: list of dict(line, ...). expected/ambiguous: list of label dicts.
    Returns (tp_pairs, fp_findings, fn_labels, excluded_findings)."""
    pairs = []
    for fi, f in enumerate(findings):
        for li, lab in enumerate(expected):
            d = abs(f["line"] - lab["line"])
            if d <= tol:
                pairs.append((d, fi, li))
    pairs.sort()
    used_f, used_l, tp = set(), set(), []
    for d, fi, li in pairs:
        if fi in used_f or li in used_l:
            continue
        used_f.add(fi)
        used_l.add(li)
        tp.append((findings[fi], expected[li]))
    fp, excluded = [], []
    for fi, f in enumerate(findings):
        if fi in used_f:
            continue
        if any(abs(f["line"] - a["line"]) <= tol for a in ambiguous):
            excluded.append(f)
        else:
            fp.append(f)
    fn = [lab for li, lab in enumerate(expected) if li not in used_l]
    return tp, fp, fn, excluded


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f1 = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
    return p, r, f1


def fmt(x):
    return "   -  " if x is None else f"{x:6.3f}"


def score(args):
    items = load_corpora(args.corpus)
    with open(args.ecolint_json, encoding="utf-8") as f:
        result = json.load(f)
    diags = result.get("diagnostics", []) if isinstance(result, dict) else []
    notes = result.get("notes", []) if isinstance(result, dict) else []
    by_path = {}
    for _, e in items:
        by_path[laid_out_path(e)] = e
    found = defaultdict(list)  # (path, rule) -> findings
    ignored_other = 0
    for d in diags:
        p = norm_path(str(d.get("path", "")))
        if p not in by_path:
            ignored_other += 1
            continue
        if d.get("rule") not in RULES:
            ignored_other += 1
            continue
        found[(p, d["rule"])].append({"line": int(d.get("line", 0)), "message": d.get("message", ""),
                                      "severity": d.get("severity", "")})
    counts = {"rule": defaultdict(lambda: [0, 0, 0, 0]), "kind": defaultdict(lambda: [0, 0, 0, 0])}
    total = [0, 0, 0, 0]  # tp fp fn excluded
    fps, fns = [], []
    missing = []
    for path, e in sorted(by_path.items()):
        if args.root and not os.path.isfile(os.path.join(args.root, path)):
            missing.append(path)
        for rule in RULES:
            exp = [l for l in e.get("expected") or [] if l.get("rule") == rule]
            amb = [l for l in e.get("ambiguous") or [] if l.get("rule") == rule]
            fnd = found.get((path, rule), [])
            if not exp and not amb and not fnd:
                continue
            tp, fp, fn, ex = match_file(fnd, exp, amb, args.tolerance)
            for bucket in (counts["rule"][rule], counts["kind"][e.get("kind", "?")], total):
                bucket[0] += len(tp)
                bucket[1] += len(fp)
                bucket[2] += len(fn)
                bucket[3] += len(ex)
            for f in fp:
                fps.append((path, f["line"], rule, f["message"], e["id"]))
            for lab in fn:
                fns.append((path, lab["line"], rule, lab.get("note", ""), e["id"]))
    report = {
        "files": len(by_path),
        "tolerance": args.tolerance,
        "overall": dict(zip(("tp", "fp", "fn", "excluded"), total)),
        "per_rule": {},
        "per_kind": {},
        "findings_outside_corpus": ignored_other,
        "files_not_laid_out": missing,
        "false_positives": [{"path": p, "line": l, "rule": r, "message": m, "id": i} for p, l, r, m, i in fps],
        "misses": [{"path": p, "line": l, "rule": r, "note": n, "id": i} for p, l, r, n, i in fns],
    }
    p, r, f1 = prf(*total[:3])
    report["overall"].update(precision=p, recall=r, f1=f1)
    for name, table in (("per_rule", counts["rule"]), ("per_kind", counts["kind"])):
        for k in sorted(table):
            tp, fp, fn, ex = table[k]
            p, r, f1 = prf(tp, fp, fn)
            report[name][k] = {"tp": tp, "fp": fp, "fn": fn, "excluded": ex, "precision": p, "recall": r, "f1": f1}
    if args.json:
        json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    print(f"real-world dev set: {len(by_path)} files, tolerance +-{args.tolerance} lines, "
          f"{len(diags)} diagnostics ({ignored_other} outside the corpus), {len(notes)} notes")
    if missing:
        print(f"warning: {len(missing)} corpus file(s) not found under {args.root} (counted as empty)")
    hdr = f"{'':14} {'TP':>4} {'FP':>4} {'FN':>4} {'excl':>4}  {'prec':>6} {'recall':>6} {'F1':>6}"
    for title, key in (("per rule", "per_rule"), ("per kind", "per_kind")):
        print(f"\n{title}:\n{hdr}")
        for k, v in report[key].items():
            print(f"{k:14} {v['tp']:4} {v['fp']:4} {v['fn']:4} {v['excluded']:4}  "
                  f"{fmt(v['precision'])} {fmt(v['recall'])} {fmt(v['f1'])}")
    o = report["overall"]
    print(f"\n{'overall':14} {o['tp']:4} {o['fp']:4} {o['fn']:4} {o['excluded']:4}  "
          f"{fmt(o['precision'])} {fmt(o['recall'])} {fmt(o['f1'])}")
    print(f"\nfalse positives ({len(fps)}):")
    for p_, l, r_, m, i in sorted(fps):
        print(f"  {p_}:{l}: {r_} [{i}] {m.splitlines()[0] if m else ''}")
    print(f"\nmisses ({len(fns)}):")
    for p_, l, r_, n, i in sorted(fns):
        print(f"  {p_}:{l}: {r_} [{i}] {n}")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", action="append", required=True, help="corpus YAML (repeatable)")
    ap.add_argument("--root", help="directory the corpus files were laid out in (layout.sh OUTDIR)")
    ap.add_argument("--ecolint-json", help="ecolint --format json output, paths relative to --root")
    ap.add_argument("--tolerance", type=int, default=3, help="line tolerance (default 3)")
    ap.add_argument("--json", action="store_true", help="print the numbers as JSON")
    ap.add_argument("--check", action="store_true", help="validate the corpus files and exit")
    ap.add_argument("--reserved", help=f"reserved repository list (default {DEFAULT_RESERVED} if present)")
    args = ap.parse_args()
    if args.check:
        return check(args.corpus, args.reserved, args.root)
    if not args.ecolint_json:
        ap.error("--ecolint-json is required unless --check")
    if args.tolerance < 0:
        ap.error("--tolerance must be >= 0")
    return score(args)


if __name__ == "__main__":
    sys.exit(main())
