#!/usr/bin/env python3
"""Times ecolint on each file alone, to find the files that cost the most.

    python3 bench/corpus/per_file.py ECOLINT LIST [--top N] [--rerun K] [--reps R] [--root DIR] [--tsv OUT]

LIST holds one path a line (the prefilter's candidates: `rg -l` with ecolint's trigger words).
Each file is linted alone once (`ECOLINT --format json FILE`); the K that took the most CPU time
are then run R times more and ranked by their median CPU time. Prints the N slowest with CPU and
wall time, size, throughput (size / CPU time), peak RSS and kind, then every file on which ecolint crashed (killed by a signal or an exit status above 2)
or reported an internal error, with its exact path. Exits 0 even when there are crashes (they are
listed); 2 on a usage error.
"""
import argparse
import json
import os
import re
import selectors
import statistics
import sys
import time


def lint(ecolint, path):
    """One run: wall s, CPU s (user + system), peak RSS KB, status, stdout, stderr."""
    r_out, w_out = os.pipe()
    r_err, w_err = os.pipe()
    for attempt in range(20):  # a shared machine can run out of processes for a moment
        try:
            start = time.perf_counter()
            pid = os.fork()
            break
        except BlockingIOError:
            if attempt == 19:
                raise
            time.sleep(0.5)
    if pid == 0:
        os.dup2(w_out, 1)
        os.dup2(w_err, 2)
        for fd in (r_out, w_out, r_err, w_err):
            os.close(fd)
        try:
            os.execv(ecolint, [ecolint, "--format", "json", path])
        finally:
            os._exit(127)
    os.close(w_out)
    os.close(w_err)
    chunks = {r_out: [], r_err: []}
    sel = selectors.DefaultSelector()
    for fd in chunks:
        sel.register(fd, selectors.EVENT_READ)
    open_fds = set(chunks)
    while open_fds:
        for key, _ in sel.select():
            data = os.read(key.fd, 65536)
            if data:
                chunks[key.fd].append(data)
            else:
                sel.unregister(key.fd)
                os.close(key.fd)
                open_fds.discard(key.fd)
    _, status, usage = os.wait4(pid, 0)
    secs = time.perf_counter() - start
    code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    cpu = usage.ru_utime + usage.ru_stime
    return secs, cpu, usage.ru_maxrss, code, b"".join(chunks[r_out]), b"".join(chunks[r_err])


def kind_of(path):
    """File type plus, for YAML, what kind of document it mostly is (a rough look at the text)."""
    ext = os.path.splitext(path)[1].lower()
    if ext == ".py":
        return "python"
    if ext == ".ipynb":
        return "notebook"
    try:
        with open(path, "rb") as f:
            head = f.read(1 << 20)
    except OSError:
        return "yaml"
    if b"{{" in head and (b"{{-" in head or b".Values" in head or b"{{ ." in head):
        return "yaml (Helm template)"
    if re.search(rb"(?m)^kind: *CustomResourceDefinition", head):
        n = len(re.findall(rb"(?m)^kind: ", head))
        return "yaml (k8s CRD)" if n <= 1 else f"yaml (k8s bundle, {n} docs)"
    if re.search(rb"(?m)^ *apiVersion: ", head):
        n = len(re.findall(rb"(?m)^kind: ", head))
        return "yaml (k8s manifest)" if n <= 1 else f"yaml (k8s bundle, {n} docs)"
    return "yaml"


def problem(code, out, err):
    """A crash or an internal error, else None."""
    if code < 0:
        return f"killed by signal {-code}"
    if code > 2:
        return f"exit status {code}"
    text = err.decode("utf-8", "replace")
    if "internal error" in text.lower():
        return "stderr: " + text.strip().splitlines()[0][:200]
    try:
        report = json.loads(out or b"{}")
    except ValueError:
        return "output is not JSON" + (f" (exit {code})" if code else "")
    for note in report.get("notes", []):
        if "internal error" in note.get("message", ""):
            return "note: " + note["message"][:200]
    if code == 2:
        return "exit status 2: " + text.strip()[:200]
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ecolint")
    ap.add_argument("list")
    ap.add_argument("--top", type=int, default=20, help="how many of the slowest files to print")
    ap.add_argument("--rerun", type=int, default=50, help="how many of the slowest to run again")
    ap.add_argument("--reps", type=int, default=2, help="extra runs of each of those (median of 1 + reps)")
    ap.add_argument("--root", default="", help="print paths relative to this folder")
    ap.add_argument("--progress", action="store_true", help="report progress on stderr")
    ap.add_argument("--tsv", help="also write every file's medians here (path, kind, bytes, CPU s, wall s, runs, RSS KB)")
    args = ap.parse_args()
    ecolint = os.path.abspath(args.ecolint)
    paths = [line.rstrip("\n") for line in open(args.list, encoding="utf-8", errors="surrogateescape") if line.strip()]
    if not paths:
        print("per_file: no files to time", file=sys.stderr)
        return 2

    times, cpus, rss, problems = {}, {}, {}, {}
    started = time.perf_counter()
    for i, path in enumerate(paths):
        secs, cpu, kb, code, out, err = lint(ecolint, path)
        times[path] = [secs]
        cpus[path] = [cpu]
        rss[path] = kb
        why = problem(code, out, err)
        if why:
            problems[path] = why
        if args.progress and (i + 1) % 500 == 0:
            print(f"  {i + 1}/{len(paths)} files, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    first_pass = time.perf_counter() - started
    # Ranked by CPU time (user + system), which other load on a shared machine disturbs far less
    # than wall time; ecolint on one file runs on one thread, so the two are close on an idle one.
    slow = sorted(paths, key=lambda p: cpus[p][0], reverse=True)[: args.rerun]
    for _ in range(args.reps):
        for path in slow:
            secs, cpu, kb, code, out, err = lint(ecolint, path)
            times[path].append(secs)
            cpus[path].append(cpu)
            rss[path] = max(rss[path], kb)
            why = problem(code, out, err)
            if why and path not in problems:
                problems[path] = why
    med = {p: statistics.median(t) for p, t in times.items()}
    med_cpu = {p: statistics.median(t) for p, t in cpus.items()}
    ranked = sorted(paths, key=lambda p: med_cpu[p], reverse=True)[: args.top]

    def shown(p):
        return os.path.relpath(p, args.root) if args.root else p

    print(f"{len(paths)} files linted one at a time: {first_pass:.1f} s in all (median per file "
          f"{statistics.median(t[0] for t in times.values()) * 1000:.1f} ms wall, "
          f"{statistics.median(t[0] for t in cpus.values()) * 1000:.1f} ms CPU); the {len(slow)} with the most "
          f"CPU time run {1 + args.reps} times; medians, ranked by CPU time")
    print(f"{'rank':>4} {'CPU s':>7} {'wall s':>7} {'runs':>4} {'MB':>6} {'MB/s':>6} {'RSS MB':>6}  {'kind':24} path")
    for i, p in enumerate(ranked, 1):
        size = os.path.getsize(p) / 1e6
        print(f"{i:4} {med_cpu[p]:7.3f} {med[p]:7.3f} {len(times[p]):4} {size:6.2f} {size / med_cpu[p]:6.2f} "
              f"{rss[p] / 1024:6.1f}  {kind_of(p):24} {shown(p)}")
    if args.tsv:
        with open(args.tsv, "w", encoding="utf-8", errors="surrogateescape") as out:
            for p in paths:
                out.write(f"{shown(p)}\t{kind_of(p)}\t{os.path.getsize(p)}\t{med_cpu[p]:.4f}\t{med[p]:.4f}\t"
                          f"{len(times[p])}\t{rss[p]}\n")
    print(f"\ncrashes and internal errors: {len(problems)}")
    for p, why in sorted(problems.items()):
        print(f"  {shown(p)}: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
