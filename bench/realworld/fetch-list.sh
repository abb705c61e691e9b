#!/usr/bin/env bash
# List the repository snapshots the real-world dev set needs, and whether each is present.
#
#   bench/realworld/fetch-list.sh CORPUS.yaml [CORPUS.yaml ...]
#
# Prints one line per repository: `github:<owner>/<name>  <status>` where status is `ok`,
# `missing` (no snapshot under $ECOLINT_MIRROR, default /work/.mirror) or
# `missing-commit <sha>...` (snapshot present but a pinned commit is not in it). The
# `github:owner/name` form is what the session's snapshot fetcher takes; any bare clone of the
# public repository placed at $ECOLINT_MIRROR/<owner>+<name>/repo works as well, as long as it
# contains the pinned commits. Exit status 1 if anything is missing.
set -u
[ "$#" -ge 1 ] || { echo "usage: $0 CORPUS.yaml [CORPUS.yaml ...]" >&2; exit 2; }
mirror="${ECOLINT_MIRROR:-/work/.mirror}"
status=0
while IFS=$'\t' read -r repo commits; do
  slug="${repo/\//+}"
  gd=""
  for d in "$mirror/$slug/repo" "$mirror/$slug" "$mirror/$slug.git"; do
    if [ -d "$d" ] && git --git-dir="$d" rev-parse --git-dir >/dev/null 2>&1; then gd="$d"; break; fi
  done
  if [ -z "$gd" ]; then
    echo "github:$repo  missing"; status=1; continue
  fi
  miss=""
  for c in $commits; do
    git --git-dir="$gd" cat-file -e "$c^{commit}" 2>/dev/null || miss="$miss $c"
  done
  if [ -n "$miss" ]; then echo "github:$repo  missing-commit$miss"; status=1; else echo "github:$repo  ok"; fi
done < <(python3 - "$@" <<'PY'
import sys, yaml
repos = {}
for p in sys.argv[1:]:
    with open(p, encoding="utf-8") as f:
        for e in (yaml.safe_load(f) or {}).get("files") or []:
            s = e.get("source") or {}
            repos.setdefault(s.get("repo", ""), set()).add(s.get("commit", ""))
for r in sorted(repos, key=str.lower):
    print(r + "\t" + " ".join(sorted(repos[r])))
PY
)
exit $status
