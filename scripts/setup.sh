#!/usr/bin/env bash
# Installs what ecolint needs to build and test on Debian 12 (run as root; skips what is present).
set -euo pipefail

packages=(build-essential cmake pkg-config git ca-certificates
          libyaml-cpp-dev libtree-sitter-dev libcli11-dev catch2 libgit2-dev nlohmann-json3-dev
          libtomlplusplus-dev libmimalloc-dev)
if [ "${1:-}" = "--test" ]; then
  # The test suite also drives real clients: pre-commit (its hook test), Neovim's built-in LSP
  # client (the language server test) and python3 (the protocol-level LSP client, the fix test);
  # `file` is what CPack's Debian generator runs to find the binary's library dependencies (the
  # install test builds the .deb).
  packages+=(pre-commit neovim python3 python3-yaml file)
fi
if [ "${1:-}" = "--fuzz" ]; then
  # bench/fuzz.sh: clang with libFuzzer and its sanitizers.
  packages+=(clang libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm fetches the pinned tree-sitter Python grammar at build time.
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "ecolint setup: missing Debian packages: ${missing[*]}" >&2
    echo "Run this script as root, or: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "ecolint setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
