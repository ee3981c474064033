# SPDX-License-Identifier: MIT
# The start every end-to-end test shares; sourced once BIN, SRC and PY are set.
#
#   e2e_begin NAME PACKAGES TOOL...
#
# sets up die and step for NAME; skips the test (exit 0, printing the Debian PACKAGES to
# install) when a TOOL or $PY is missing, unless CI is set (then the test fails);
# checks $BIN; makes $tmp, removed on exit together with the registry of
# scripts/registry-lib.sh when one was started.

T0=$SECONDS
E2E_NAME=e2e

die() {
    echo "FAIL: $E2E_NAME: $*" >&2
    exit 1
}
step() { echo "--- [$((SECONDS - T0))s] $*"; }

_e2e_cleanup() {
    if declare -F reg_stop >/dev/null; then reg_stop; fi
    rm -rf "$tmp" "${REG_STATE:-/nonexistent}"
}

e2e_begin() {
    local packages=$2 t missing=()
    E2E_NAME=$1
    shift 2
    for t in "$@"; do
        command -v "$t" >/dev/null 2>&1 || missing+=("$t")
    done
    [[ -x $PY ]] || missing+=("$PY")
    if ((${#missing[@]})); then
        if [[ -z "${CI:-}" ]]; then
            echo "SKIP: $E2E_NAME: needs ${missing[*]} (install: apt-get install $packages)"
            exit 0
        fi
        die "CI is set but these are missing: ${missing[*]}"
    fi
    [[ -x "$BIN" ]] || die "binary $BIN is not executable"
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/$E2E_NAME.XXXXXX") || die "mktemp"
    trap _e2e_cleanup EXIT
    trap 'exit 130' INT TERM
}
