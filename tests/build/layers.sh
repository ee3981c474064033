#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The layers' include rule (scripts/check-layers.sh, run by the build for every layer):
#   - the tree holds to it, with the table of src/CMakeLists.txt (passed as SPEC...);
#   - in a scratch tree, an upward include, a sideways one (ingest -> config), one from a
#     nested folder (config/sched/) and a "../" one each fail with their file, line and
#     the rule, and the includes allowed there (own layer, nested own layer, lower
#     layers, a header beside the file) pass.
#
#   bash tests/build/layers.sh SOURCE_DIR SPEC...
set -u
SRC=${1:?usage: layers.sh SOURCE_DIR SPEC...}
shift
CHECK=$SRC/scripts/check-layers.sh
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

out=$(sh "$CHECK" "$SRC/src" "$@" 2>&1) || fail "the tree breaks the layers:"$'\n'"$out"

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/src/util" "$T/src/model" "$T/src/ingest" "$T/src/config/sched" "$T/src/config/git"
printf '#include "util/buf.h"\n' >"$T/src/util/buf.c"
printf '#include "model/graph.h"\n#include "util/buf.h"\n\n#include "analysis/pull.h"\n' \
    >"$T/src/model/graph.c"
printf '#include "ingest/layout.h"\n#include "config/tz.h"\n' >"$T/src/ingest/layout.c"
printf '#include "config/sched/cron.h"\n#include "config/git/gitrepo.h"\n#include "cron_internal.h"\n#include "model/digest.h"\n#include "report/md.h"\n' \
    >"$T/src/config/sched/cron.c"
printf '#include "../util/buf.h"\n' >"$T/src/config/git/gitrepo.h"
specs=(util: model:util ingest:model,util config:model,util)
got=$(sh "$CHECK" "$T/src" "${specs[@]}" 2>&1)
rc=$?
want='src/model/graph.c:4: #include "analysis/pull.h": layer model may include only model, util (cli -> report -> analysis -> {ingest, config} -> model -> util; src/CMakeLists.txt)
src/ingest/layout.c:2: #include "config/tz.h": layer ingest may include only ingest, model, util (cli -> report -> analysis -> {ingest, config} -> model -> util; src/CMakeLists.txt)
src/config/git/gitrepo.h:1: #include "../util/buf.h": no "../" includes; name the layer ("config/...")
src/config/sched/cron.c:5: #include "report/md.h": layer config may include only config, model, util (cli -> report -> analysis -> {ingest, config} -> model -> util; src/CMakeLists.txt)'
[[ $rc == 1 ]] || fail "wrong includes: exit $rc, want 1"
if [[ $got != "$want" ]]; then
    fail "wrong includes: messages differ (< want, > got)"
    diff <(echo "$want") <(echo "$got")
fi
rm "$T/src/model/graph.c" "$T/src/ingest/layout.c" "$T/src/config/git/gitrepo.h"
sed -i '$d' "$T/src/config/sched/cron.c"
got=$(sh "$CHECK" "$T/src" "${specs[@]}" 2>&1) || fail "allowed includes refused: $got"

if ((fails)); then
    echo "layers: $fails failure(s)"
    exit 1
fi
echo "layers: the tree holds to the table; wrong includes fail with file, line and rule"
