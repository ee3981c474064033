#!/bin/sh
# SPDX-License-Identifier: MIT
# The layers' include rule (docs/architecture.md): a file under src/LAYER/ (in any
# sub-folder) may include "X/..." only when X is LAYER itself or a layer LAYER sees;
# "name.h" without a folder is a header beside the file (same layer); "../" is refused.
# The layer is the first path component under src/, of the file and of the include.
# The build runs this for each layer's library before compiling it (src/CMakeLists.txt
# holds the table), and ctest build.layers for all of them.
#
#   sh scripts/check-layers.sh SRC_DIR LAYER:SEEN,SEEN,... [LAYER:...]...
#   e.g. sh scripts/check-layers.sh src model:util ingest:model,util
#
# Prints one line per wrong include,
#   src/model/graph.c:12: #include "analysis/pull.h": layer model may include only model, util
# and exits 1 when there is one, 0 when there is none.
set -eu
src=${1:?usage: check-layers.sh SRC_DIR LAYER:SEEN,... ...}
shift
[ $# -gt 0 ] || { echo "usage: check-layers.sh SRC_DIR LAYER:SEEN,... ..." >&2; exit 2; }
bad=0
for spec in "$@"; do
    layer=${spec%%:*}
    seen=${spec#*:}
    [ "$seen" = "$spec" ] && seen=
    [ -d "$src/$layer" ] || { echo "check-layers: no folder $src/$layer" >&2; exit 2; }
    list=$(find "$src/$layer" \( -name '*.c' -o -name '*.h' \) -type f | LC_ALL=C sort)
    [ -n "$list" ] || continue
    # shellcheck disable=SC2086 # one path a line, no blanks in source file names
    awk -v layer="$layer" -v seen="$seen" -v src="$src/" '
        BEGIN {
            allowed[layer] = 1
            n = split(seen, s, ",")
            for (i = 1; i <= n; i++) if (s[i] != "") allowed[s[i]] = 1
            says = layer; for (i = 1; i <= n; i++) if (s[i] != "") says = says ", " s[i]
        }
        /^[ \t]*#[ \t]*include[ \t]*"/ {
            inc = $0
            sub(/^[^"]*"/, "", inc)
            sub(/".*/, "", inc)
            name = FILENAME
            if (index(name, src) == 1) name = "src/" substr(name, length(src) + 1)
            if (inc ~ /(^|\/)\.\.\//) {
                printf "%s:%d: #include \"%s\": no \"../\" includes; name the layer (\"%s/...\")\n",
                       name, FNR, inc, layer
                bad = 1
                next
            }
            if (index(inc, "/") == 0) next   # beside the file: the same layer
            top = inc
            sub(/\/.*/, "", top)
            if (!(top in allowed)) {
                printf "%s:%d: #include \"%s\": layer %s may include only %s " \
                       "(cli -> report -> analysis -> {ingest, config} -> model -> util; " \
                       "src/CMakeLists.txt)\n", name, FNR, inc, layer, says
                bad = 1
            }
        }
        END { exit bad }
    ' $list || bad=1
done
exit "$bad"
