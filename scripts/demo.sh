#!/usr/bin/env bash
# Set up, build, and render the post-mortem of the bundled sample incident (README, first
# command): two nightly snapshots of the registry volume, the config repo (a git bundle),
# the GC output, the registry's log and the CI pipeline history.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target regautopsy >/dev/null

sample=samples/incident-2026-04
config=$(mktemp -d)
trap 'rm -rf "$config"' EXIT
git clone -q "$sample/config.bundle" "$config/infra-config"

set +e
./build/regautopsy report -q -o build/postmortem.md --json build/postmortem.json \
    --config "$config/infra-config" \
    --log "$sample/gc-2026-04-12.log" --log "$sample/registry-access.log" \
    --log "$sample/pipelines.json" \
    "$sample/registry-2026-04-12T0100Z.tar.gz" "$sample/registry-2026-04-13T0100Z.tar.gz"
rc=$?
set -e
if [ "$rc" -ge 2 ]; then
    exit "$rc"
fi
cat build/postmortem.md
echo
echo "Written to build/postmortem.md (model: build/postmortem.json)."
echo "Exit code $rc: 0 all tags pullable, 1 tags unpullable or objects lost."
