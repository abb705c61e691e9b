#!/usr/bin/env bash
# Lay the real-world dev set files out from fetched repository snapshots.
#
#   bench/realworld/layout.sh CORPUS.yaml [CORPUS.yaml ...] OUTDIR
#
# For every entry {source: {repo, commit, path}} writes `git show COMMIT:PATH` to
# OUTDIR/<owner>+<name>/<path> (the file name and directories are kept). Snapshots are bare git
# directories under $ECOLINT_MIRROR (default /work/.mirror), looked for at
# <owner>+<name>/repo, <owner>+<name>, or <owner>+<name>.git. Entries that cannot be laid out
# (no snapshot, commit not in it, file absent or stored as a Git LFS pointer) are listed on
# stderr and skipped; the exit status is 1 if any was skipped, 0 otherwise, 2 on usage errors.
# Needs bash, git and python3 with PyYAML.
set -u

if [ "$#" -lt 2 ]; then
  echo "usage: $0 CORPUS.yaml [CORPUS.yaml ...] OUTDIR" >&2
  exit 2
fi
args=("$@")
out="${args[$#-1]}"
corpora=("${args[@]:0:$#-1}")
mirror="${ECOLINT_MIRROR:-/work/.mirror}"
for c in "${corpora[@]}"; do
  [ -f "$c" ] || { echo "$0: no such corpus file: $c" >&2; exit 2; }
done
mkdir -p "$out" || exit 2

find_gitdir() {  # owner/name -> git dir or empty
  local slug="${1/\//+}" d
  for d in "$mirror/$slug/repo" "$mirror/$slug" "$mirror/$slug.git"; do
    if [ -d "$d" ] && git --git-dir="$d" rev-parse --git-dir >/dev/null 2>&1; then
      printf '%s\n' "$d"
      return 0
    fi
  done
  return 1
}

# id, repo, commit, path as NUL-separated records (paths may hold spaces and non-ASCII).
entries() {
  python3 - "$@" <<'PY'
import sys, yaml
for p in sys.argv[1:]:
    with open(p, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    for e in doc.get("files") or []:
        s = e.get("source") or {}
        rec = [str(e.get("id", "?")), str(s.get("repo", "")), str(s.get("commit", "")), str(s.get("path", ""))]
        sys.stdout.write("\0".join(rec) + "\0")
PY
}

ok=0
skipped=0
declare -A gitdirs
while IFS= read -r -d '' id && IFS= read -r -d '' repo && IFS= read -r -d '' commit && IFS= read -r -d '' path; do
  if [ -z "${gitdirs[$repo]+x}" ]; then
    gitdirs[$repo]="$(find_gitdir "$repo" || true)"
  fi
  gd="${gitdirs[$repo]}"
  if [ -z "$gd" ]; then
    echo "skip $id: no snapshot of $repo under $mirror" >&2
    skipped=$((skipped + 1)); continue
  fi
  if ! git --git-dir="$gd" cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "skip $id: commit $commit not in the snapshot of $repo ($gd)" >&2
    skipped=$((skipped + 1)); continue
  fi
  dest="$out/${repo/\//+}/$path"
  mkdir -p "$(dirname "$dest")"
  if ! git --git-dir="$gd" show "$commit:$path" >"$dest.tmp" 2>/dev/null; then
    rm -f "$dest.tmp"
    echo "skip $id: $path not readable at $commit in $repo (absent, or too large for the snapshot)" >&2
    skipped=$((skipped + 1)); continue
  fi
  if head -c 200 "$dest.tmp" | grep -q '^version https://git-lfs'; then
    rm -f "$dest.tmp"
    echo "skip $id: $path is a Git LFS pointer in $repo" >&2
    skipped=$((skipped + 1)); continue
  fi
  mv "$dest.tmp" "$dest"
  ok=$((ok + 1))
done < <(entries "${corpora[@]}")

echo "laid out $ok file(s) under $out; skipped $skipped" >&2
[ "$skipped" -eq 0 ]
