# SPDX-License-Identifier: MIT
# shellcheck shell=bash
#
# registry-lib.sh - make REAL Docker Distribution registry storage for tests and
# samples, with real software: docker-registry (Distribution 2.8.x, Debian),
# skopeo, umoci, jq, curl, GNU tar, gzip, zstd.
#
# Source it from bash:   . scripts/registry-lib.sh
#
#   reg_start [-r] DIR         serve storage rootdirectory DIR on 127.0.0.1:<free port>
#                              (-r: read-only). Exports REG_PORT REG_PID REG_CONFIG
#                              REG_LOG REG_ROOT REG_STATE. The registry's stdout and
#                              stderr go to REG_LOG; REG_LOG_LEVEL (default error),
#                              REG_LOG_FORMATTER (text or json, default text) and
#                              REG_ACCESS_LOG=1 (the combined access log, default off)
#                              set what it logs.
#   reg_stop                   stop it (kill by PID, wait).
#   reg_gc [-m] [--dry-run]    docker-registry garbage-collect [-m] REG_CONFIG, with the
#                              registry stopped (restarted afterwards if it was running).
#                              Output kept in REG_GC_LOG (default $REG_STATE/gc.log).
#   img_build LAYOUT NAME ARCH [VARIANT] CONTENT [CONTENT...]
#                              deterministic single-platform OCI image (one tiny layer
#                              per CONTENT: /etc/motd, then /etc/layer2...) tagged NAME
#                              in the OCI layout LAYOUT; IMG_CREATED and IMG_AUTHOR set
#                              the config's created/author (default 2026-04-01T00:00:00Z).
#                              Same CONTENT at the same position = same layer digest.
#   img_index LAYOUT TAG NAME...
#                              OCI image index of the named images, tagged TAG.
#   push_oci LAYOUT TAG REPO:TAG [--format v2s2|oci]
#                              skopeo copy --all oci:LAYOUT:TAG docker://127.0.0.1:PORT/REPO:TAG
#   truth_json OUT.json REPO:TAG...
#                              ground truth from skopeo only (see below).
#   reg_mark FILE              create a marker file whose mtime is a little in the past.
#   set_mtimes DIR MARKER 'YYYY-MM-DD HH:MM:SS UTC'
#                              touch -h -d every file/dir under DIR changed after MARKER.
#   snap_tar DIR OUT.tar[.gz|.zst]
#                              tar the contents of DIR (members relative to DIR).
#
# All functions return non-zero on failure and print a message prefixed with
# "registry-lib:" on stderr. They do not call exit.

REG_LIB_DATE_DEFAULT='2026-04-01T00:00:00Z'

_rl_err() { printf 'registry-lib: %s\n' "$*" >&2; }

_rl_need() {
    local c missing=()
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || missing+=("$c")
    done
    if ((${#missing[@]})); then
        _rl_err "missing tools: ${missing[*]}"
        return 1
    fi
}

_rl_sha256() { sha256sum "$1" | cut -d' ' -f1; }

# A state directory for configs, logs and scratch files of this shell.
_rl_state() {
    if [[ -z "${REG_STATE:-}" || ! -d "$REG_STATE" ]]; then
        REG_STATE=$(mktemp -d "${TMPDIR:-/tmp}/registry-lib.XXXXXX") || return 1
        export REG_STATE
    fi
}

_rl_skopeo() { skopeo --insecure-policy "$@"; }

_rl_free_port() {
    local p
    if command -v python3 >/dev/null 2>&1; then
        p=$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()' 2>/dev/null) && [[ -n "$p" ]] && { echo "$p"; return 0; }
    fi
    # Fallback: probe random high ports with bash's /dev/tcp.
    local i
    for i in $(seq 1 50); do
        p=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

# _rl_probe PORT: does GET /v2/ answer 200?
_rl_probe() {
    local port=$1
    if command -v curl >/dev/null 2>&1; then
        curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/v2/" 2>/dev/null
        return
    fi
    # bash /dev/tcp fallback
    local line
    (
        exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
        printf 'GET /v2/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
        IFS= read -r -t 2 line <&3 || exit 1
        [[ "$line" == *" 200"* ]]
    ) 2>/dev/null
}

# reg_start [-r] DIR
reg_start() {
    local ro=false
    if [[ "${1:-}" == -r ]]; then
        ro=true
        shift
    fi
    local dir=${1:?usage: reg_start [-r] DIR}
    _rl_need docker-registry || return 1
    _rl_state || return 1
    if [[ -n "${REG_PID:-}" ]] && kill -0 "$REG_PID" 2>/dev/null; then
        _rl_err "a registry is already running (pid $REG_PID); reg_stop first"
        return 1
    fi
    mkdir -p "$dir" || return 1
    dir=$(cd "$dir" && pwd -P) || return 1
    local port
    port=$(_rl_free_port) || { _rl_err "no free port"; return 1; }
    REG_ROOT=$dir
    REG_PORT=$port
    REG_CONFIG=$REG_STATE/config-$port.yml
    REG_LOG=$REG_STATE/registry-$port.log
    {
        printf 'version: 0.1\n'
        printf 'log:\n  level: %s\n  formatter: %s\n  accesslog:\n    disabled: %s\n' \
            "${REG_LOG_LEVEL:-error}" "${REG_LOG_FORMATTER:-text}" \
            "$([[ ${REG_ACCESS_LOG:-} == 1 ]] && echo false || echo true)"
        printf 'storage:\n'
        printf '  filesystem:\n    rootdirectory: "%s"\n' "$dir"
        printf '  delete:\n    enabled: true\n'
        printf '  maintenance:\n    uploadpurging:\n      enabled: false\n'
        if $ro; then
            printf '    readonly:\n      enabled: true\n'
        fi
        printf 'http:\n  addr: 127.0.0.1:%s\n' "$port"
    } >"$REG_CONFIG"
    docker-registry serve "$REG_CONFIG" >>"$REG_LOG" 2>&1 &
    REG_PID=$!
    export REG_ROOT REG_PORT REG_CONFIG REG_LOG REG_PID
    local i
    for i in $(seq 1 150); do
        if ! kill -0 "$REG_PID" 2>/dev/null; then
            _rl_err "docker-registry exited at start; log $REG_LOG:"
            sed 's/^/  /' "$REG_LOG" >&2
            REG_PID=
            return 1
        fi
        if _rl_probe "$port"; then
            return 0
        fi
        sleep 0.1
    done
    _rl_err "docker-registry did not answer on 127.0.0.1:$port/v2/ within 15 s"
    reg_stop
    return 1
}

# reg_stop: stop the registry started by reg_start (by its PID only).
reg_stop() {
    local pid=${REG_PID:-}
    [[ -n "$pid" ]] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        local i
        for i in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -9 "$pid" 2>/dev/null || true
        fi
    fi
    wait "$pid" 2>/dev/null || true
    REG_PID=
    export REG_PID
    return 0
}

# reg_gc [-m] [--dry-run]: garbage-collect REG_CONFIG's storage with the registry
# stopped (restarted afterwards if it was running). Its output (stdout+stderr) is
# written to REG_GC_LOG (default $REG_STATE/gc.log).
reg_gc() {
    local args=()
    while (($#)); do
        case $1 in
        -m | --delete-untagged | -d | --dry-run) args+=("$1") ;;
        *)
            _rl_err "reg_gc: unknown option $1"
            return 2
            ;;
        esac
        shift
    done
    [[ -n "${REG_CONFIG:-}" && -f "$REG_CONFIG" ]] || {
        _rl_err "reg_gc: no REG_CONFIG (reg_start first)"
        return 1
    }
    local was_running=false root=$REG_ROOT
    if [[ -n "${REG_PID:-}" ]] && kill -0 "$REG_PID" 2>/dev/null; then
        was_running=true
        reg_stop
    fi
    : "${REG_GC_LOG:=$REG_STATE/gc.log}"
    export REG_GC_LOG
    local rc=0
    docker-registry garbage-collect "${args[@]}" "$REG_CONFIG" >"$REG_GC_LOG" 2>&1 || rc=$?
    if ((rc != 0)); then
        _rl_err "garbage-collect failed (exit $rc); log $REG_GC_LOG:"
        tail -n 20 "$REG_GC_LOG" | sed 's/^/  /' >&2
    fi
    if $was_running; then
        if grep -q 'readonly:' "$REG_CONFIG"; then
            reg_start -r "$root" || return 1
        else
            reg_start "$root" || return 1
        fi
    fi
    return "$rc"
}

# _rl_layer_tar SRCDIR OUT.tar: deterministic tar of SRCDIR's contents.
_rl_layer_tar() {
    tar -C "$1" --sort=name --mtime="$REG_LIB_DATE_DEFAULT" --owner=0 --group=0 \
        --numeric-owner --format=gnu -cf "$2" etc
}

# img_build LAYOUT NAME ARCH [VARIANT] CONTENT [CONTENT...]
# With 4 arguments there is no variant; with 5 or more the 4th is the variant
# (may be empty). Layer 1 holds /etc/motd = CONTENT, layer N>1 /etc/layerN.
img_build() {
    if (($# < 4)); then
        _rl_err "usage: img_build LAYOUT NAME ARCH [VARIANT] CONTENT [CONTENT...]"
        return 2
    fi
    local layout=$1 name=$2 arch=$3 variant=
    shift 3
    if (($# >= 2)); then
        variant=$1
        shift
    fi
    _rl_need umoci jq tar || return 1
    _rl_state || return 1
    local created=${IMG_CREATED:-$REG_LIB_DATE_DEFAULT}
    local author=${IMG_AUTHOR:-regautopsy tests <regautopsy@example.invalid>}
    if [[ ! -f "$layout/oci-layout" ]]; then
        umoci init --layout "$layout" || return 1
    fi
    umoci new --image "$layout:$name" || return 1
    local work i=0 content
    work=$(mktemp -d "$REG_STATE/layer.XXXXXX") || return 1
    for content in "$@"; do
        i=$((i + 1))
        rm -rf "$work/rootfs" && mkdir -p "$work/rootfs/etc"
        local f=$work/rootfs/etc/motd
        ((i > 1)) && f=$work/rootfs/etc/layer$i
        printf '%s\n' "$content" >"$f"
        chmod 0644 "$f"
        chmod 0755 "$work/rootfs/etc"
        _rl_layer_tar "$work/rootfs" "$work/layer.tar" || { rm -rf "$work"; return 1; }
        umoci raw add-layer --image "$layout:$name" \
            --history.created="$created" --history.author="$author" \
            --history.created_by="regautopsy img_build layer $i" \
            "$work/layer.tar" || { rm -rf "$work"; return 1; }
    done
    rm -rf "$work"
    umoci config --image "$layout:$name" --architecture="$arch" --os=linux \
        --created="$created" --author="$author" --no-history || return 1
    if [[ -n "$variant" ]]; then
        # umoci 0.4 has no --variant: patch the config blob and re-link.
        _rl_set_variant "$layout" "$name" "$variant" || return 1
    fi
    umoci gc --layout "$layout" || return 1
}

# _rl_put_blob LAYOUT FILE -> prints sha256:<hex>, copies FILE into blobs.
_rl_put_blob() {
    local layout=$1 file=$2 hex
    hex=$(_rl_sha256 "$file") || return 1
    mkdir -p "$layout/blobs/sha256"
    cp "$file" "$layout/blobs/sha256/$hex" || return 1
    echo "sha256:$hex"
}

# _rl_ref_desc LAYOUT NAME -> descriptor JSON of NAME in index.json
_rl_ref_desc() {
    jq -ce --arg n "$2" '[.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $n)] | if length == 1 then .[0] else empty end' \
        "$1/index.json"
}

# _rl_set_ref LAYOUT NAME DESC_JSON: replace/add NAME in index.json.
_rl_set_ref() {
    local layout=$1 name=$2 desc=$3 tmp
    tmp=$(mktemp "$layout/.index.XXXXXX") || return 1
    jq -c --arg n "$name" --argjson d "$desc" \
        '.manifests = ([.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] != $n)]
          + [$d | .annotations = ((.annotations // {}) + {"org.opencontainers.image.ref.name": $n})])' \
        "$layout/index.json" >"$tmp" && mv "$tmp" "$layout/index.json"
}

_rl_set_variant() {
    local layout=$1 name=$2 variant=$3 desc mdg cdg tmp newc newm
    desc=$(_rl_ref_desc "$layout" "$name") || { _rl_err "no image $name in $layout"; return 1; }
    mdg=$(jq -r .digest <<<"$desc")
    tmp=$(mktemp -d "$REG_STATE/variant.XXXXXX") || return 1
    cdg=$(jq -r .config.digest "$layout/blobs/sha256/${mdg#sha256:}")
    # keep umoci's key order; insert variant after architecture
    jq -c --arg v "$variant" 'to_entries | map(if .key == "architecture" then ., {key: "variant", value: $v} else . end) | from_entries' \
        "$layout/blobs/sha256/${cdg#sha256:}" | tr -d '\n' >"$tmp/config"
    newc=$(_rl_put_blob "$layout" "$tmp/config") || return 1
    jq -c --arg d "$newc" --argjson s "$(stat -c %s "$tmp/config")" \
        '.config.digest = $d | .config.size = $s' \
        "$layout/blobs/sha256/${mdg#sha256:}" | tr -d '\n' >"$tmp/manifest"
    newm=$(_rl_put_blob "$layout" "$tmp/manifest") || return 1
    desc=$(jq -c --arg d "$newm" --argjson s "$(stat -c %s "$tmp/manifest")" \
        '.digest = $d | .size = $s' <<<"$desc")
    rm -rf "$tmp"
    _rl_set_ref "$layout" "$name" "$desc"
}

# img_index LAYOUT TAG NAME...: an OCI image index listing the named images with
# their platform (os/architecture/variant from each image's config).
img_index() {
    if (($# < 3)); then
        _rl_err "usage: img_index LAYOUT TAG NAME..."
        return 2
    fi
    local layout=$1 tag=$2
    shift 2
    _rl_need jq || return 1
    _rl_state || return 1
    local tmp name desc mdg cdg
    tmp=$(mktemp -d "$REG_STATE/index.XXXXXX") || return 1
    : >"$tmp/descs"
    for name in "$@"; do
        desc=$(_rl_ref_desc "$layout" "$name") || { _rl_err "no image $name in $layout"; rm -rf "$tmp"; return 1; }
        mdg=$(jq -r .digest <<<"$desc")
        cdg=$(jq -r .config.digest "$layout/blobs/sha256/${mdg#sha256:}")
        jq -c --argjson d "$desc" \
            '{mediaType: $d.mediaType, digest: $d.digest, size: $d.size,
              platform: ({architecture, os} + (if .variant then {variant} else {} end))}' \
            "$layout/blobs/sha256/${cdg#sha256:}" >>"$tmp/descs"
    done
    jq -cs '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: .}' \
        "$tmp/descs" | tr -d '\n' >"$tmp/index"
    local dg
    dg=$(_rl_put_blob "$layout" "$tmp/index") || { rm -rf "$tmp"; return 1; }
    _rl_set_ref "$layout" "$tag" \
        "$(jq -nc --arg d "$dg" --argjson s "$(stat -c %s "$tmp/index")" \
            '{mediaType: "application/vnd.oci.image.index.v1+json", digest: $d, size: $s}')"
    local rc=$?
    rm -rf "$tmp"
    return $rc
}

# push_oci LAYOUT TAG REPO:TAG [--format v2s2|oci]
push_oci() {
    if (($# < 3)); then
        _rl_err "usage: push_oci LAYOUT TAG REPO:TAG [--format v2s2]"
        return 2
    fi
    local layout=$1 tag=$2 dest=$3
    shift 3
    local fmt=()
    while (($#)); do
        case $1 in
        --format) fmt=(--format "$2"); shift ;;
        --format=*) fmt=("$1") ;;
        *) _rl_err "push_oci: unknown option $1"; return 2 ;;
        esac
        shift
    done
    [[ -n "${REG_PORT:-}" ]] || { _rl_err "push_oci: no registry (reg_start first)"; return 1; }
    local keep=(--preserve-digests)
    ((${#fmt[@]})) && keep=()
    _rl_skopeo copy -q --all "${keep[@]}" "${fmt[@]}" --dest-tls-verify=false \
        "oci:$layout:$tag" "docker://127.0.0.1:$REG_PORT/$dest"
}

# truth_json OUT.json REPO:TAG...
# Ground truth from skopeo only, against the registry started by reg_start:
#  resolves  - skopeo inspect --raw succeeds; digest = sha256 of the raw bytes
#  pullable  - skopeo copy --all docker://... dir:TMP succeeds
#  platforms - index: each child (platform from the index, digest from the index),
#              pullable = skopeo --override-os/arch/variant copy succeeds;
#              image: one entry, platform from skopeo inspect --config, digest = manifest.
# Extra fields: media_type, and error (first skopeo error line, port replaced by
# REGISTRY) when something fails.
truth_json() {
    if (($# < 1)); then
        _rl_err "usage: truth_json OUT.json REPO:TAG..."
        return 2
    fi
    local out=$1
    shift
    _rl_need skopeo jq || return 1
    _rl_state || return 1
    [[ -n "${REG_PORT:-}" ]] || { _rl_err "truth_json: no registry (reg_start first)"; return 1; }
    local tmp ref repo tag url
    tmp=$(mktemp -d "$REG_STATE/truth.XXXXXX") || return 1
    : >"$tmp/entries"
    for ref in "$@"; do
        repo=${ref%:*}
        tag=${ref##*:}
        url=docker://127.0.0.1:$REG_PORT/$repo:$tag
        local resolves=false digest=null mt=null pullable=false err=
        rm -rf "$tmp/pl" && mkdir -p "$tmp/pl"
        : >"$tmp/platforms"
        if _rl_skopeo inspect --raw --tls-verify=false "$url" >"$tmp/raw" 2>"$tmp/err"; then
            resolves=true
            digest="sha256:$(_rl_sha256 "$tmp/raw")"
            mt=$(jq -r '.mediaType // (if .manifests then "application/vnd.oci.image.index.v1+json" elif .config then "application/vnd.oci.image.manifest.v1+json" else "unknown" end)' "$tmp/raw")
            if _rl_truth_copy "$tmp" "$url" --all; then
                pullable=true
            else
                err=$(_rl_errline "$tmp/err")
            fi
            if jq -e 'has("manifests")' "$tmp/raw" >/dev/null 2>&1; then
                local child cdig os arch var plat ok perr
                while IFS= read -r child; do
                    cdig=$(jq -r .digest <<<"$child")
                    os=$(jq -r '.platform.os // ""' <<<"$child")
                    arch=$(jq -r '.platform.architecture // ""' <<<"$child")
                    var=$(jq -r '.platform.variant // ""' <<<"$child")
                    plat=$os/$arch${var:+/$var}
                    local ov=(--override-os "$os" --override-arch "$arch")
                    [[ -n "$var" ]] && ov+=(--override-variant "$var")
                    ok=false perr=
                    if _rl_truth_copy "$tmp" "$url" --platform "${ov[@]}"; then
                        ok=true
                    else
                        perr=$(_rl_errline "$tmp/err")
                    fi
                    jq -nc --arg p "$plat" --arg d "$cdig" --argjson ok "$ok" --arg e "$perr" \
                        '{platform: $p, digest: $d, pullable: $ok} + (if $e != "" then {error: $e} else {} end)' \
                        >>"$tmp/platforms"
                done < <(jq -c '.manifests[]' "$tmp/raw")
            else
                local plat=unknown
                if _rl_skopeo inspect --config --tls-verify=false "$url" >"$tmp/config" 2>/dev/null; then
                    plat=$(jq -r '(.os // "") + "/" + (.architecture // "") + (if .variant then "/" + .variant else "" end)' "$tmp/config")
                fi
                jq -nc --arg p "$plat" --arg d "$digest" --argjson ok "$pullable" --arg e "$err" \
                    '{platform: $p, digest: $d, pullable: $ok} + (if $e != "" then {error: $e} else {} end)' \
                    >>"$tmp/platforms"
            fi
        else
            err=$(_rl_errline "$tmp/err")
        fi
        jq -nc --arg r "$repo" --arg t "$tag" --argjson res "$resolves" \
            --arg d "$digest" --arg mt "$mt" --argjson ok "$pullable" --arg e "$err" \
            --slurpfile pl "$tmp/platforms" \
            '{repository: $r, tag: $t, resolves: $res,
              digest: (if $d == "null" then null else $d end),
              media_type: (if $mt == "null" then null else $mt end),
              pullable: $ok, platforms: ($pl | sort_by(.platform, .digest))}
             + (if $e != "" then {error: $e} else {} end)' >>"$tmp/entries"
    done
    jq -s '{tags: sort_by(.repository, .tag)}' "$tmp/entries" >"$out.tmp" && mv "$out.tmp" "$out"
    local rc=$?
    rm -rf "$tmp"
    return $rc
}

# _rl_truth_copy TMP URL (--all | --platform OVERRIDES...): skopeo copy to a dir.
_rl_truth_copy() {
    local tmp=$1 url=$2 mode=$3
    shift 3
    rm -rf "$tmp/dir"
    local rc=0
    if [[ "$mode" == --all ]]; then
        _rl_skopeo copy -q --all --src-tls-verify=false "$url" "dir:$tmp/dir" >/dev/null 2>"$tmp/err" || rc=$?
    else
        _rl_skopeo "$@" copy -q --src-tls-verify=false "$url" "dir:$tmp/dir" >/dev/null 2>"$tmp/err" || rc=$?
    fi
    rm -rf "$tmp/dir"
    return $rc
}

_rl_errline() {
    grep -v '^\s*$' "$1" | tail -n 1 | sed -e "s#127\.0\.0\.1:${REG_PORT:-0}#REGISTRY#g" \
        -e 's/^time="[^"]*" level=[a-z]* msg="//' -e 's/"$//' | cut -c1-400
}

# reg_mark FILE: a marker for set_mtimes, dated 2 s in the past so that every
# file written after this call is strictly newer, even with coarse timestamps.
reg_mark() {
    local f=${1:?usage: reg_mark FILE}
    : >"$f" && touch -d "@$(($(date +%s) - 2))" "$f"
}

# set_mtimes DIR MARKER 'YYYY-MM-DD HH:MM:SS UTC'
set_mtimes() {
    local dir=${1:?usage: set_mtimes DIR MARKER DATE} marker=${2:?} when=${3:?}
    [[ -e "$marker" ]] || { _rl_err "set_mtimes: no marker $marker"; return 1; }
    date -d "$when" >/dev/null 2>&1 || { _rl_err "set_mtimes: bad date '$when'"; return 1; }
    if (($(date -d "$when" +%s) >= $(stat -c %Y "$marker"))); then
        _rl_err "set_mtimes: '$when' is not before the marker; the clock is wrong?"
        return 1
    fi
    find "$dir" -newer "$marker" ! -samefile "$marker" -print0 |
        xargs -0 -r touch -h -d "$when"
}

# snap_tar DIR OUT.tar[.gz|.tgz|.zst|.xz]: members are DIR's entries, relative
# ("var/lib/registry/docker/registry/v2/..."), sorted, numeric owners, mtimes kept.
snap_tar() {
    local dir=${1:?usage: snap_tar DIR OUT} out=${2:?usage: snap_tar DIR OUT}
    _rl_need tar || return 1
    local entries=()
    mapfile -t entries < <(find "$dir" -mindepth 1 -maxdepth 1 -printf '%f\n' | LC_ALL=C sort)
    ((${#entries[@]})) || { _rl_err "snap_tar: $dir is empty"; return 1; }
    local comp=(cat)
    case $out in
    *.tar.gz | *.tgz) comp=(gzip -n -9) ;;
    *.tar.zst | *.tzst) _rl_need zstd || return 1; comp=(zstd -q -19 -c) ;;
    *.tar.xz) comp=(xz -9 -c) ;;
    *.tar) ;;
    *) _rl_err "snap_tar: unknown archive type $out"; return 2 ;;
    esac
    LC_ALL=C tar -C "$dir" --numeric-owner --sort=name -cf - -- "${entries[@]}" | "${comp[@]}" >"$out.part" &&
        mv "$out.part" "$out"
}
