#!/usr/bin/env bash
# Lays the real-world benchmark corpus out: every repository of bench/corpus/repos.yaml, as its tree
# at the pinned commit, into OUTDIR/<owner>+<name>/ (no .git). The trees come from local git copies
# under the mirror root ($ECOLINT_MIRROR, default /work/.mirror): <owner>+<name>/repo (a bare
# snapshot or a clone), <owner>+<name>/.git or <owner>+<name>.git. A repository that has no copy
# there, or whose copy lacks the commit, is reported as missing and skipped; the others are laid out.
#
#   bash bench/corpus/layout.sh OUTDIR
#   env: ECOLINT_MIRROR=/work/.mirror  ECOLINT_CORPUS_MAX_BYTES=4194304
#
# Files of ECOLINT_CORPUS_MAX_BYTES (4 MiB) and more are left out, and so are blobs missing from the
# copy: the snapshots the corpus was measured on lack files of 4 MiB and more, so a full clone gives
# the same corpus. Idempotent: OUTDIR/.layout/<owner>+<name> records the commit laid out and a repo
# already laid out at its commit is skipped. Exit status: 0 when every repository is laid out,
# 3 when some are missing (the others are still laid out), 2 on a usage error.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
list="$here/repos.yaml"
[ $# -eq 1 ] || { echo "usage: bash bench/corpus/layout.sh OUTDIR" >&2; exit 2; }
out="$1"
mirror="${ECOLINT_MIRROR:-/work/.mirror}"
max="${ECOLINT_CORPUS_MAX_BYTES:-4194304}"
mkdir -p "$out/.layout"
out="$(cd "$out" && pwd)"

git_dir_of() {  # git_dir_of OWNER+NAME: prints the git directory of the local copy, or nothing
  local d
  for d in "$mirror/$1/repo/.git" "$mirror/$1/repo" "$mirror/$1/.git" "$mirror/$1.git" "$mirror/$1"; do
    if [ -d "$d/objects" ] && [ -f "$d/HEAD" ]; then echo "$d"; return; fi
  done
}

missing=()
laid=0 skipped=0 left_out=0
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
while read -r repo commit; do
  key="${repo/\//+}"
  dest="$out/$key"
  stamp="$out/.layout/$key"
  if [ -d "$dest" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$commit" ]; then
    skipped=$((skipped + 1))
    continue
  fi
  gd="$(git_dir_of "$key")"
  if [ -z "$gd" ] || ! git --git-dir="$gd" cat-file -e "$commit^{commit}" 2>/dev/null; then
    missing+=("$repo $commit")
    echo "missing: $repo at ${commit:0:12} (${gd:-no copy under $mirror/$key})" >&2
    continue
  fi
  # An index of the commit's tree less the files to leave out, checked out into a fresh folder.
  export GIT_INDEX_FILE="$tmp/index"
  rm -f "$GIT_INDEX_FILE"
  git --git-dir="$gd" read-tree "$commit"
  git --git-dir="$gd" ls-tree -r -l -z "$commit" | python3 -c '
import subprocess, sys
gd, commit, maxb = sys.argv[1], sys.argv[2], int(sys.argv[3])
entries = [e for e in sys.stdin.buffer.read().split(b"\0") if e]
drop, blobs = [], []
for e in entries:
    meta, path = e.split(b"\t", 1)
    mode, kind, obj, size = meta.split()
    if kind == b"commit":
        continue  # submodule: checkout-index writes nothing for it
    if size == b"BAD" or (size != b"-" and int(size) >= maxb):
        drop.append(path)
    else:
        blobs.append((obj, path))
# ls-tree prints a size for every blob it can read the header of; make sure those can be read whole.
check = subprocess.run(["git", "--git-dir=" + gd, "cat-file", "--batch-check"], input=b"".join(o + b"\n" for o, _ in blobs),
                       capture_output=True, check=True).stdout.splitlines()
drop += [p for (o, p), line in zip(blobs, check) if line.endswith(b" missing")]
sys.stdout.buffer.write(b"".join(p + b"\0" for p in drop))
' "$gd" "$commit" "$max" >"$tmp/drop"
  n_drop=$(tr -cd '\0' <"$tmp/drop" | wc -c)
  [ "$n_drop" -eq 0 ] || git --git-dir="$gd" update-index -z --force-remove --stdin <"$tmp/drop"
  rm -rf "$dest.part" "$dest"
  mkdir -p "$dest.part"
  git --git-dir="$gd" --work-tree="$dest.part" checkout-index -a -f
  unset GIT_INDEX_FILE
  mv "$dest.part" "$dest"
  echo "$commit" >"$stamp"
  laid=$((laid + 1))
  left_out=$((left_out + n_drop))
  echo "laid out: $repo at ${commit:0:12}$([ "$n_drop" -eq 0 ] || echo ", $n_drop file(s) of >= $max bytes or absent from the copy left out")" >&2
done < <(grep -oE 'repo: *[^ ,}]+, *commit: *[0-9a-f]{40}' "$list" | sed -E 's/repo: *([^ ,]+), *commit: *([0-9a-f]{40})/\1 \2/')

total=$(grep -cE 'repo: *[^ ,}]+, *commit:' "$list")
echo "layout: $total repositories listed; $laid laid out now, $skipped already there, ${#missing[@]} missing" \
     "-> $out" >&2
if [ ${#missing[@]} -gt 0 ]; then
  echo "To get the missing ones, then run this script again:" >&2
  echo "  in the ecolint workplace: call the fetch tool with github:<owner>/<name> for each (it lands in" >&2
  echo "  $mirror/<owner>+<name>/repo); elsewhere, a plain clone at the pinned commit:" >&2
  for m in "${missing[@]}"; do
    set -- $m
    echo "    git clone -q https://github.com/$1 \"$mirror/${1/\//+}/repo\" && git -C \"$mirror/${1/\//+}/repo\" checkout -q $2" >&2
  done
  exit 3
fi
