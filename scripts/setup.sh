#!/usr/bin/env bash
# Install what regautopsy needs on Debian 12 (run as root), only what is missing.
# Build: gcc, cmake, pkg-config and the -dev packages of the chosen libraries.
# Tests: cmocka, and for the end-to-end tests the real registry and tools
# (docker-registry = Distribution 2.8.2, skopeo, umoci), jq, zstd, python3-croniter,
# and prometheus for promtool (the probe tests check metrics and alert rules with it),
# prometheus-alertmanager (tests/e2e/alertmanager.sh sends an alert through the real one).
# Packaging (tests/pkg): dpkg-dev (dpkg-shlibdeps for cpack -G DEB), file, zsh.
# The format check (ctest format.check, scripts/format.sh): clang-format.
# The render tests (tests/render): cmark-gfm, shellcheck, and node with npm (Debian's
# nodejs and npm when no node is installed) to install Mermaid's parser, pinned by
# tests/render/package-lock.json, into tests/render/node_modules.
set -euo pipefail

pkgs=(
    build-essential cmake pkg-config git
    libarchive-dev libjansson-dev libssl-dev libgit2-dev libyaml-dev zlib1g-dev libcmocka-dev
    docker-registry skopeo umoci
    jq zstd xz-utils cpio curl time python3 python3-croniter man-db groff-base
    shellcheck cmark-gfm clang-format
    dpkg-dev file zsh
    prometheus prometheus-alertmanager
)

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$p")
done

if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Mermaid's parser for tests/render/mermaid.sh, at the versions package-lock.json pins.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "setup: installing nodejs npm" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
render=$(dirname "$0")/../tests/render
if ! (cd "$render" && npm ls --silent >/dev/null 2>&1); then
    echo "setup: npm ci in tests/render (mermaid, jsdom)" >&2
    (cd "$render" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
