#!/usr/bin/env bash
# Prints the directory of a Node.js >= 24 binary for this project, obtaining one when needed:
#   1. a `node` on PATH whose major is >= the required one is used as it is;
#   2. else the project's own copy under .tools/ (made by an earlier run) is used;
#   3. else the official binary is fetched from the npm registry (package node-<os>-<arch>, the version in
#      .nvmrc; npm checks the tarball's integrity) and unpacked into .tools/. Nothing outside the project is
#      changed and nothing is downloaded from anywhere but the registry.
# Progress and errors go to stderr; stdout carries only the directory, so a Makefile can put it on PATH.
# Exit 1 with one line saying what to install when none of this works (no npm, or no build for the platform).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want="$(tr -d ' \n\r' < "$root/.nvmrc")"    # e.g. 24.22.3
major="${want%%.*}"
fail() { echo "Node.js $major is required: $1" >&2; exit 1; }

major_of() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if sys="$(command -v node 2>/dev/null)" && [ "$(major_of "$sys")" -ge "$major" ]; then
  dirname "$sys"
  exit 0
fi

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) fail "no registry build for $(uname -s); install it from https://nodejs.org/" ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) fail "no registry build for $(uname -m); install it from https://nodejs.org/" ;;
esac
pkg="node-$os-$arch"
hint="install Node.js $major (https://nodejs.org/, or: brew install node@$major / nvm install $major)"

for dir in "$root"/.tools/node-"$major".*-"$os"-"$arch"; do
  if [ -x "$dir/bin/node" ] && [ "$(major_of "$dir/bin/node")" -ge "$major" ]; then
    echo "$dir/bin"
    exit 0
  fi
done

command -v npm >/dev/null 2>&1 || fail "no npm to fetch it with; $hint"
version="$want"
if ! npm view "$pkg@$version" version >/dev/null 2>&1; then
  # Not every platform gets every release in the registry: take the newest of the same major.
  version="$(npm view "$pkg@^$major" version 2>/dev/null | tail -n 1 | awk '{print $NF}' | tr -d "'")"
  [ -n "$version" ] || fail "the npm registry has no $pkg@$major; $hint"
fi

dest="$root/.tools/node-$version-$os-$arch"
mkdir -p "$root/.tools"
tmp="$(mktemp -d "$root/.tools/tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "Node.js $major not found on PATH (found: $(node --version 2>/dev/null || echo none)); fetching $pkg@$version from the npm registry into .tools/" >&2
tarball="$(cd "$tmp" && npm pack --silent "$pkg@$version" 2>/dev/null | tail -n 1)" || fail "npm pack $pkg@$version failed; $hint"
[ -f "$tmp/$tarball" ] || fail "npm pack $pkg@$version produced nothing; $hint"
mkdir -p "$tmp/unpacked"
tar -xzf "$tmp/$tarball" -C "$tmp/unpacked"
[ "$(major_of "$tmp/unpacked/package/bin/node")" -ge "$major" ] || fail "the fetched $pkg@$version does not run here; $hint"
rm -rf "$dest"
mv "$tmp/unpacked/package" "$dest"
echo "Node.js $("$dest/bin/node" --version) is in ${dest#"$root"/}" >&2
echo "$dest/bin"
