#!/usr/bin/env bash
# Set up, build, and examine the bundled sample incident (README, first command).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRA_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" --target regautopsy >/dev/null
sample=samples/incident-2026-04
set +e
./build/regautopsy scan --all-tags "$sample"/registry-2026-04-12T0100Z.tar.gz \
    "$sample"/registry-2026-04-13T0100Z.tar.gz
rc=$?
set -e
echo
echo "exit code $rc (0: all tags pullable, 1: some tag unpullable or a critical finding)"
