#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Compare a `regautopsy scan --json` result with skopeo ground truth.

usage: compare_truth.py TRUTH.json SCAN.json [options]

TRUTH.json is written by truth_json (scripts/registry-lib.sh):
  {"tags":[{"repository","tag","resolves","digest","pullable",
            "platforms":[{"platform","digest","pullable"}]}]}
SCAN.json is regautopsy.scan/1 with exactly one snapshot.

Checks, for every truth tag (unless --ignore'd):
  - resolves=false: the scan may omit the tag; if present it must not be pullable
  - otherwise the scan lists the tag, with the same digest and pullable, and for
    every truth platform a scan platform with that digest (and the same platform
    string, unless truth could not tell it) and the same pullable
Options add assertions:
  --finding CODES DIGEST [key=value...]   a finding whose code is one of CODES
                                           (comma-separated) names DIGEST, and whose
                                           other fields equal the given values
                                           (e.g. parent=sha256:..., repository=infra-ci)
  --no-finding CODES DIGEST               no such finding
  --tag REPO:TAG pullable|unpullable      the scan says so
  --root ROOT                             every registry's root is ROOT
  --ignore REPO:TAG                       skip this truth tag
  --label TEXT                            name used in messages
Prints "ok: ..." and exits 0, or prints every failure and exits 1 (2: bad input).
"""
import argparse
import json
import sys


def load(path, what):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        print(f"compare_truth: cannot read {what} {path}: {e}", file=sys.stderr)
        sys.exit(2)


def split_ref(ref):
    repo, sep, tag = ref.rpartition(":")
    if not sep or not repo or not tag:
        print(f"compare_truth: bad REPO:TAG {ref!r}", file=sys.stderr)
        sys.exit(2)
    return repo, tag


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("truth")
    ap.add_argument("scan")
    ap.add_argument("--label", default="")
    ap.add_argument("--finding", nargs="+", action="append", default=[],
                    metavar="ARG")
    ap.add_argument("--no-finding", nargs=2, action="append", default=[],
                    metavar=("CODES", "DIGEST"))
    ap.add_argument("--tag", nargs=2, action="append", default=[],
                    metavar=("REPO:TAG", "STATE"))
    ap.add_argument("--root")
    ap.add_argument("--ignore", action="append", default=[])
    a = ap.parse_args()

    label = a.label or a.scan
    truth = load(a.truth, "truth")
    scan = load(a.scan, "scan")
    fails = []

    def fail(msg):
        fails.append(msg)

    if scan.get("schema") != "regautopsy.scan/1":
        fail(f"schema is {scan.get('schema')!r}, want 'regautopsy.scan/1'")
    snaps = scan.get("snapshots") or []
    if len(snaps) != 1:
        fail(f"{len(snaps)} snapshots in the scan, want 1")
    regs = [r for s in snaps for r in (s.get("registries") or [])]
    if len(regs) != 1:
        fail(f"{len(regs)} registries found, want 1 "
             f"(roots: {[r.get('root') for r in regs]})")
    if a.root is not None:
        for r in regs:
            if r.get("root") != a.root:
                fail(f"registry root {r.get('root')!r}, want {a.root!r}")

    tags = {}
    findings = []
    for r in regs:
        for t in r.get("tags") or []:
            key = (t.get("repository"), t.get("tag"))
            if key in tags:
                fail(f"tag {key[0]}:{key[1]} listed twice")
            tags[key] = t
        findings.extend(r.get("findings") or [])

    ignored = {split_ref(x) for x in a.ignore}
    nplat = 0
    for tt in truth.get("tags", []):
        key = (tt["repository"], tt["tag"])
        ref = f"{key[0]}:{key[1]}"
        if key in ignored:
            continue
        st = tags.get(key)
        if not tt["resolves"]:
            if st is not None and st.get("pullable") is not False:
                fail(f"{ref}: skopeo cannot even resolve it, scan says "
                     f"pullable={st.get('pullable')!r}")
            continue
        if st is None:
            fail(f"{ref}: missing from the scan (skopeo resolves it, "
                 f"pullable={tt['pullable']})")
            continue
        if st.get("digest") != tt["digest"]:
            fail(f"{ref}: digest {st.get('digest')}, skopeo {tt['digest']}")
        if st.get("pullable") is not tt["pullable"]:
            fail(f"{ref}: pullable={st.get('pullable')!r} (reason "
                 f"{st.get('reason')!r}), skopeo says {tt['pullable']}"
                 + (f" ({tt['error']})" if tt.get("error") else ""))
        splats = st.get("platforms") or []
        is_index = len(tt["platforms"]) != 1 or tt["platforms"][0]["digest"] != tt["digest"]
        for tp in tt["platforms"]:
            nplat += 1
            cands = [p for p in splats if p.get("digest") == tp["digest"]]
            if not cands:
                if not is_index and not splats:
                    # single image without a platform list: the tag verdict stands
                    continue
                fail(f"{ref} {tp['platform']}: no platform entry with digest "
                     f"{tp['digest']} in the scan (has "
                     f"{[(p.get('platform'), p.get('digest')) for p in splats]})")
                continue
            sp = cands[0]
            if tp["platform"] != "unknown" and sp.get("platform") != tp["platform"]:
                fail(f"{ref} {tp['digest']}: platform {sp.get('platform')!r}, "
                     f"skopeo's index/config says {tp['platform']!r}")
            if sp.get("pullable") is not tp["pullable"]:
                fail(f"{ref} {tp['platform']}: pullable={sp.get('pullable')!r} "
                     f"(reason {sp.get('reason')!r}), skopeo says {tp['pullable']}"
                     + (f" ({tp['error']})" if tp.get("error") else ""))

    for ref, state in a.tag:
        if state not in ("pullable", "unpullable"):
            print(f"compare_truth: --tag state must be pullable|unpullable", file=sys.stderr)
            sys.exit(2)
        st = tags.get(split_ref(ref))
        want = state == "pullable"
        if st is None:
            fail(f"{ref}: missing from the scan (want {state})")
        elif st.get("pullable") is not want:
            fail(f"{ref}: pullable={st.get('pullable')!r}, want {want}")

    def matching(codes, digest, extra):
        out = []
        for f in findings:
            if f.get("code") not in codes or f.get("digest") != digest:
                continue
            if all(str(f.get(k)) == v for k, v in extra.items()):
                out.append(f)
        return out

    def brief(fs):
        return [(f.get("code"), f.get("repository"), f.get("digest"), f.get("parent"))
                for f in fs]

    for spec in a.finding:
        if len(spec) < 2:
            print("compare_truth: --finding CODES DIGEST [key=value...]", file=sys.stderr)
            sys.exit(2)
        codes = set(spec[0].split(","))
        extra = {}
        for kv in spec[2:]:
            k, sep, v = kv.partition("=")
            if not sep:
                print(f"compare_truth: bad key=value {kv!r}", file=sys.stderr)
                sys.exit(2)
            extra[k] = v
        if not matching(codes, spec[1], extra):
            near = [f for f in findings if f.get("digest") == spec[1]]
            fail(f"no finding {'|'.join(sorted(codes))} for {spec[1]}"
                 + (f" with {extra}" if extra else "")
                 + f"; findings naming that digest: {brief(near)}")
    for codes, digest in a.no_finding:
        hit = matching(set(codes.split(",")), digest, {})
        if hit:
            fail(f"unexpected finding(s) {brief(hit)}")

    if fails:
        print(f"FAIL: {label}: {len(fails)} mismatch(es) with the skopeo truth:")
        for m in fails:
            print(f"  - {m}")
        return 1
    print(f"ok: {label}: {len(truth.get('tags', []))} tags, {nplat} platforms, "
          f"{len(a.finding) + len(a.no_finding)} finding assertions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
