#!/usr/bin/env bash
# `cmake --install` gives a self-contained ecolint: the binary runs from the prefix with the source
# and build trees out of reach (the rule data is embedded), and the rule pages are installed.
source "$(dirname "$0")/lib.sh"
BUILD="${ECOLINT_BUILD_DIR:?set ECOLINT_BUILD_DIR to the build tree}"
P="$WORK/prefix"
cmake --install "$BUILD" --prefix "$P" >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log" >&2; fail "cmake --install"; finish; }
[ -x "$P/bin/ecolint" ] || fail "P/bin/ecolint is installed"
for r in ECO001 ECO002 ECO003 ECO004; do
  [ -s "$P/share/doc/ecolint/rules/$r.md" ] || fail "rule page $r.md is installed"
done
# Nothing in the binary points into the build or source tree.
if readelf -d "$P/bin/ecolint" | grep -E 'RPATH|RUNPATH' | grep -qF -e "$BUILD" -e "${ECOLINT_SOURCE_DIR:-/nonexistent}"; then
  fail "the installed binary has a run path into the build or source tree"
fi
# Run it from elsewhere, with the build and source trees hidden from its view of the file system
# where unshare is allowed (else: from a directory outside both, with a clean environment).
cd "$WORK"
printf '%s\n' "$INT8_LINE" > bad.py
run_installed() {
  env -i PATH="$P/bin:/usr/bin:/bin" HOME="$HOME" "$@"
}
expect_rc 0 "installed --version" -- run_installed ecolint --version
expect_contains "$OUT" "ecolint " "--version"
expect_rc 0 "installed rule page" -- run_installed ecolint rule ECO001
expect_contains "$OUT" "ECO001" "the embedded rule documentation"
expect_rc 1 "installed binary lints" -- run_installed ecolint bad.py
expect_contains "$OUT" "bad.py:1:" "a finding from the installed binary"
if unshare -rm true 2>/dev/null; then
  hide="mount -t tmpfs none '$BUILD'"
  [ -n "${ECOLINT_SOURCE_DIR:-}" ] && hide="$hide && mount -t tmpfs none '$ECOLINT_SOURCE_DIR'"
  expect_rc 1 "installed binary with the build and source trees hidden" -- \
    unshare -rm sh -c "$hide && '$P/bin/ecolint' bad.py"
  expect_contains "$OUT" "bad.py:1:" "a finding with the trees hidden"
else
  echo "note: unshare is not permitted here; the installed binary ran from outside the trees only" >&2
fi
# --- the Debian package (CPack): its metadata, and an install with dpkg into an empty root
if command -v dpkg-deb >/dev/null && command -v dpkg-shlibdeps >/dev/null; then
  (cd "$WORK" && cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$WORK/pkg" >"$WORK/cpack.log" 2>&1) \
    || { tail -20 "$WORK/cpack.log" >&2; fail "cpack -G DEB"; }
  deb="$(ls "$WORK"/pkg/ecolint_*.deb 2>/dev/null | head -1)"
  if [ -n "$deb" ]; then
    expect_contains "$(dpkg-deb -f "$deb" Package Depends Recommends)" "libyaml-cpp" "Depends from dpkg-shlibdeps"
    expect_contains "$(dpkg-deb -f "$deb" Recommends)" "libgit2" "libgit2 recommended"
    expect_contains "$(dpkg-deb -c "$deb")" "./usr/bin/ecolint" "the package holds /usr/bin/ecolint"
    ROOT="$WORK/root"
    mkdir -p "$ROOT/var/lib/dpkg/info" "$ROOT/var/lib/dpkg/updates"
    : > "$ROOT/var/lib/dpkg/status"
    # An empty root has none of the dependencies (the host provides them when the binary runs).
    if dpkg --root="$ROOT" --force-depends --force-not-root --force-script-chrootless --log=/dev/null \
         --instdir="$ROOT" --admindir="$ROOT/var/lib/dpkg" -i "$deb" >"$WORK/dpkg.log" 2>&1; then
      expect_contains "$(cat "$ROOT/var/lib/dpkg/status")" "Package: ecolint" "dpkg records the package"
      expect_rc 1 "the packaged binary lints" -- env -i PATH=/usr/bin:/bin "$ROOT/usr/bin/ecolint" bad.py
      expect_contains "$OUT" "bad.py:1:" "a finding from the packaged binary"
      [ -s "$ROOT/usr/share/doc/ecolint/rules/ECO001.md" ] || fail "the package installs the rule pages"
    else
      cat "$WORK/dpkg.log" >&2
      fail "dpkg -i into an empty root"
    fi
  else
    fail "cpack wrote no .deb"
  fi
else
  echo "note: dpkg-deb or dpkg-shlibdeps missing; the Debian package is not checked" >&2
fi
finish
