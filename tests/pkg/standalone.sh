#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The default templates are compiled in: a copy of the binary alone in an empty
# directory renders the sample's post-mortem byte for byte as the build tree's binary
# (and as samples/incident-2026-04/postmortem.md); templates beside the binary, then
# --template, still win over the built-in ones.
#
#   bash tests/pkg/standalone.sh REGAUTOPSY SOURCE_DIR
set -euo pipefail
export LC_ALL=C TZ=UTC
bin=$(realpath "$1")
src=$(realpath "$2")
sample=samples/incident-2026-04
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# the inputs of golden.sample-report, with the same relative paths
cd "$work"
ln -s "$src/samples" samples
git clone -q "$sample/config.bundle" infra-config
args=(report -q --config infra-config --log "$sample/gc-2026-04-12.log"
    --log "$sample/registry-access.log" --log "$sample/pipelines.json"
    "$sample/registry-2026-04-12T0100Z.tar.gz" "$sample/registry-2026-04-13T0100Z.tar.gz")
render() { # BINARY OUT [ARGS...]: the report, exit 1 (tags unpullable) expected
    local b=$1 out=$2 rc=0
    shift 2
    "$b" "${args[@]}" "$@" >"$out" || rc=$?
    [ "$rc" = 1 ] || fail "$b report: exit $rc, want 1"
}

[ -d "$(dirname "$bin")/share/regautopsy/templates" ] ||
    fail "no templates beside $bin: the normal render would not use them"
render "$bin" normal.md

mkdir -p alone/bin
cp "$bin" alone/bin/regautopsy
[ ! -e alone/share ] || fail "alone/share exists"
render alone/bin/regautopsy alone.md
cmp normal.md alone.md || fail "the copied binary's report differs from the normal one"
cmp normal.md "$sample/postmortem.md" || fail "the report differs from $sample/postmortem.md"
grep -qx '## Summary' alone.md || fail "no '## Summary' in the copied binary's report"

# templates beside the copy win over the built-in ones
mkdir -p alone/share/regautopsy/templates
cp "$src"/templates/*.mustache alone/share/regautopsy/templates/
sed -i '1s/^/BESIDE\n/' alone/share/regautopsy/templates/summary.mustache
render alone/bin/regautopsy beside.md
grep -qx BESIDE beside.md || fail "templates beside the binary were not used"
diff <(grep -vx BESIDE beside.md) normal.md >/dev/null ||
    fail "with the templates beside it, the report differs by more than the marker"

# --template wins over both
mkdir given
cp "$src"/templates/*.mustache given/
sed -i '1s/^/GIVEN\n/' given/summary.mustache
render alone/bin/regautopsy given.md --template given
grep -qx GIVEN given.md || fail "--template DIR was not used"
! grep -qx BESIDE given.md || fail "--template DIR: the templates beside the binary were used"
echo "ok: a copied binary renders the sample alone; beside and --template templates win"
