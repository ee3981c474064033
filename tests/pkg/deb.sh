#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Debian package: configure and build a Release tree with prefix /usr beside the
# test's build (<build>/pkg-deb, reused between runs), `cpack -G DEB`, then check the
# .deb's control fields and its exact file list (dpkg-deb -c), install it with dpkg -i,
# run the installed /usr/bin/regautopsy on the bundled sample (the post-mortem's exact
# section headings, the whole report byte for byte, the installed templates in use),
# its man page, bash completion and --version, and remove it again with dpkg -r.
# Installing needs root (CI runs as root in a throwaway machine): skipped otherwise.
#
#   bash tests/pkg/deb.sh REGAUTOPSY SOURCE_DIR
set -euo pipefail
export LC_ALL=C TZ=UTC
bin=$(realpath "$1")
src=$(realpath "$2")
fail() { echo "FAIL: $*" >&2; exit 1; }

if [ "$(id -u)" != 0 ]; then
    echo "SKIP: installing the .deb with dpkg -i needs root"
    exit 77
fi
for tool in cpack dpkg-deb dpkg-shlibdeps; do
    command -v "$tool" >/dev/null || fail "$tool not found (bash scripts/setup.sh installs it)"
done
# one installation at a time on this machine (several build trees may run this test)
exec 9>/tmp/regautopsy-pkg-deb.lock
flock 9
if dpkg-query -W -f='${Status}' regautopsy 2>/dev/null | grep -q 'install ok'; then
    fail "a regautopsy package is already installed; remove it first (dpkg -r regautopsy)"
fi
[ ! -e /usr/bin/regautopsy ] || fail "/usr/bin/regautopsy exists outside the package"

version=$(sed -nE 's/^project\(regautopsy VERSION ([0-9.]+).*/\1/p' "$src/CMakeLists.txt")
[ -n "$version" ] || fail "no version in project() of $src/CMakeLists.txt"
arch=$(dpkg --print-architecture)

# --- build the package ---
pkgdir=$(dirname "$bin")/pkg-deb
cmake -S "$src" -B "$pkgdir" -DCMAKE_BUILD_TYPE=Release -DRA_TESTS=OFF -DRA_FUZZ=OFF \
    -DRA_SANITIZE=OFF -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
cmake --build "$pkgdir" -j2 >/dev/null
rm -f "$pkgdir"/*.deb
(cd "$pkgdir" && cpack -G DEB >/dev/null)
deb=$pkgdir/regautopsy_${version}_$arch.deb
[ -f "$deb" ] || fail "cpack made no $deb: $(ls "$pkgdir"/*.deb 2>/dev/null)"

# --- control fields ---
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = regautopsy ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), want $version"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture: $(field Architecture)"
[ "$(field Section)" = utils ] || fail "Section: $(field Section)"
[ "$(field Priority)" = optional ] || fail "Priority: $(field Priority)"
grep -qE '^[^<]+ <[^@>]+@[^>]+>$' <<<"$(field Maintainer)" || fail "Maintainer: $(field Maintainer)"
grep -q 'Docker Distribution' <<<"$(field Description)" || fail "Description: $(field Description)"
# Depends comes from dpkg-shlibdeps: one package per library the binary links
depends=$(field Depends)
for lib in libarchive13 libc6 'libgit2-[0-9.]+' libjansson4 'libssl[0-9]+' libyaml-0-2; do
    grep -qE "(^|, )$lib( |,|$)" <<<"$depends" || fail "Depends lacks $lib: $depends"
done

# --- the exact file list ---
expected() {
    local d
    for d in bin share share/bash-completion share/bash-completion/completions share/doc \
        share/doc/regautopsy share/doc/regautopsy/docs share/man share/man/man1 \
        share/regautopsy share/regautopsy/templates share/zsh share/zsh/vendor-completions; do
        echo "drwxr-xr-x root/root ./usr/$d/"
    done
    echo "drwxr-xr-x root/root ./usr/"
    echo "-rwxr-xr-x root/root ./usr/bin/regautopsy"
    for f in share/bash-completion/completions/regautopsy share/zsh/vendor-completions/_regautopsy \
        share/doc/regautopsy/README.md share/doc/regautopsy/copyright \
        share/man/man1/regautopsy.1.gz; do
        echo "-rw-r--r-- root/root ./usr/$f"
    done
    for f in "$src"/docs/*.md; do
        echo "-rw-r--r-- root/root ./usr/share/doc/regautopsy/docs/${f##*/}"
    done
    for f in "$src"/templates/*.mustache; do
        echo "-rw-r--r-- root/root ./usr/share/regautopsy/templates/${f##*/}"
    done
}
listing=$(dpkg-deb -c "$deb")
got=$(awk '{ print $1, $2, $6 }' <<<"$listing" | sort)
if [ "$got" != "$(expected | sort)" ]; then
    echo "FAIL: the .deb's contents (< expected, > dpkg-deb -c):" >&2
    diff <(expected | sort) <<<"$got" >&2 || true
    exit 1
fi
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/doc/regautopsy/copyright |
    cmp - "$src/LICENSE" || fail "copyright is not LICENSE"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/bin/regautopsy >"$pkgdir/packaged-bin"
if command -v file >/dev/null; then
    file "$pkgdir/packaged-bin" | grep -q ', stripped' || fail "the packaged binary is not stripped"
fi

# --- install, use, remove ---
work=$(mktemp -d)
installed=0
cleanup() {
    if [ "$installed" = 1 ]; then
        dpkg -r regautopsy >/dev/null || echo "FAIL: dpkg -r regautopsy" >&2
    fi
    rm -rf "$work"
}
trap cleanup EXIT
# dpkg's lock may be held for a moment by another installation on this machine
for try in $(seq 1 30); do
    if dpkg -i "$deb" >"$work/dpkg.out" 2>&1; then
        installed=1
        break
    fi
    grep -q 'lock' "$work/dpkg.out" || { cat "$work/dpkg.out" >&2; fail "dpkg -i $deb"; }
    sleep 2
done
[ "$installed" = 1 ] || fail "dpkg -i: the dpkg lock stayed held"
[ "$(dpkg-query -W -f='${Status} ${Version}' regautopsy)" = "install ok installed $version" ] ||
    fail "dpkg-query: $(dpkg-query -W -f='${Status} ${Version}' regautopsy)"
[ -x /usr/bin/regautopsy ] || fail "no /usr/bin/regautopsy after dpkg -i"

cd "$work"
sample=samples/incident-2026-04
ln -s "$src/samples" samples
git clone -q "$sample/config.bundle" infra-config
args=(report -q --config infra-config --log "$sample/gc-2026-04-12.log"
    --log "$sample/registry-access.log" --log "$sample/pipelines.json"
    "$sample/registry-2026-04-12T0100Z.tar.gz" "$sample/registry-2026-04-13T0100Z.tar.gz")
rc=0
/usr/bin/regautopsy "${args[@]}" >report.md || rc=$?
[ "$rc" = 1 ] || fail "installed regautopsy report: exit $rc, want 1 (tags unpullable)"
headings=$(grep -E '^##? ' report.md || true)
want='# infra-ci:latest cannot be pulled
## Summary
## Impact
## Root cause and trigger
## Detection
## Resolution
## Recovery
## Lessons learned
## Action items
## Timeline
## Appendix'
[ "$headings" = "$want" ] || fail "the installed binary's report headings:
$headings"
cmp report.md "$sample/postmortem.md" || fail "the installed binary's report differs from $sample/postmortem.md"
# the templates it read are the installed ones: a line added there shows up
echo 'INSTALLED TEMPLATE' >>/usr/share/regautopsy/templates/summary.mustache
/usr/bin/regautopsy "${args[@]}" >marked.md || true
grep -qx 'INSTALLED TEMPLATE' marked.md || fail "/usr/share/regautopsy/templates was not used"

[ "$(/usr/bin/regautopsy --version)" = "regautopsy $version" ] ||
    fail "--version: $(/usr/bin/regautopsy --version)"
if command -v man >/dev/null; then
    [ "$(man -w regautopsy)" = /usr/share/man/man1/regautopsy.1.gz ] ||
        fail "man -w regautopsy: $(man -w regautopsy)"
fi
got=$(bash -c 'source /usr/share/bash-completion/completions/regautopsy
    COMP_WORDS=(regautopsy ti); COMP_CWORD=1; _regautopsy; echo "${COMPREPLY[*]}"')
[ "$got" = timeline ] || fail "the installed bash completion completes 'ti' to '$got'"

dpkg -r regautopsy >/dev/null || fail "dpkg -r regautopsy"
installed=0
[ ! -e /usr/bin/regautopsy ] || fail "/usr/bin/regautopsy is still there after dpkg -r"
[ ! -e /usr/share/regautopsy ] || fail "/usr/share/regautopsy is still there after dpkg -r"
echo "ok: regautopsy_${version}_$arch.deb builds, installs, renders the sample and is removed"
echo "$listing"
