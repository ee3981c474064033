#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Regenerate the fuzzers' seed corpora, tests/fuzz/corpus/<target>/, from the bundled
sample incident, the templates and the unit tests' inputs (docs/fuzzing.md).

    python3 tests/fuzz/make-corpus.py SOURCE_DIR [REGAUTOPSY]

With REGAUTOPSY (a built binary), the template seeds carry the report model of the
sample incident (`regautopsy report --json`, cut down); without, a stub. Each corpus is rewritten from scratch and kept small (at most 50 files, 200 KB in
all): a seed only has to show the fuzzer the shape of real input. The input formats
of the targets (header bytes, NUL-separated parts) are described at the top of each
tests/fuzz/fuzz_<target>.c.
"""
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import tarfile
import zipfile

MAX_FILES = 50
MAX_BYTES = 200 * 1024
SAMPLE = "samples/incident-2026-04"
TARBALLS = ("registry-2026-04-12T0100Z.tar.gz", "registry-2026-04-13T0100Z.tar.gz")
MTIME = 1775606400  # 2026-04-08T00:00:00Z, for the generated archives


def members(src):
    out = []
    for name in TARBALLS:
        with tarfile.open(os.path.join(src, SAMPLE, name)) as tf:
            for m in tf.getmembers():
                data = tf.extractfile(m).read() if m.isfile() else None
                out.append((m.name.rstrip("/"), data))
    return out


# ---- layout: member names ----

LAYOUT_FAMILIES = [
    ("blob-data", r"/blobs/sha256/../[0-9a-f]{64}/data$"),
    ("blob-dir", r"/blobs/sha256/../[0-9a-f]{64}$"),
    ("blob-hh", r"/blobs/sha256/..$"),
    ("layer-link", r"/_layers/sha256/[0-9a-f]{64}/link$"),
    ("revision-link", r"/_manifests/revisions/sha256/[0-9a-f]{64}/link$"),
    ("tag-current", r"/_manifests/tags/[^/]+/current/link$"),
    ("tag-index", r"/_manifests/tags/[^/]+/index/sha256/[0-9a-f]{64}/link$"),
    ("tag-dir", r"/_manifests/tags/[^/]+$"),
    ("tags-root", r"/_manifests/tags$"),
    ("uploads", r"/_uploads$"),
    ("repo-dir", r"/repositories/[^_][^/]*$"),
    ("root", r"docker/registry/v2$"),
    ("above-root", r"^var/lib$"),
]


def layout_seeds(src, mem):
    seeds = {}
    names = [n for n, _ in mem]
    for fam, rx in LAYOUT_FAMILIES:
        hits = [n for n in names if re.search(rx, n)]
        for i, n in enumerate(sorted(set(hits))[:2]):
            seeds["%s-%d" % (fam, i)] = n.encode()
    root = "var/lib/registry/docker/registry/v2/"
    for key in ("blob-data-0", "layer-link-0", "tag-current-0", "tag-index-0"):
        if key in seeds:
            seeds[key + "-rootless"] = seeds[key][len(root):]
    link = seeds.get("revision-link-0", b"")
    hexd = re.search(rb"[0-9a-f]{64}", link).group(0) if link else b"0" * 64
    extra = {
        "upload-data": root + "repositories/infra-ci/_uploads/0d8c5bd5-6e1c-4a84-b7b4-"
                              "2d52b4f0a1c3/data",
        "upload-startedat": root + "repositories/infra-ci/_uploads/0d8c5bd5-6e1c-4a84-"
                                   "b7b4-2d52b4f0a1c3/startedat",
        "upload-hashstate": root + "repositories/infra-ci/_uploads/0d8c5bd5-6e1c-4a84-"
                                   "b7b4-2d52b4f0a1c3/hashstates/sha256/0",
        "repo-named-like-root": "repositories/docker/registry/v2/_manifests/tags/x/"
                                "current/link",
        "traversal": root + "repositories/../../../etc/_layers/sha256/%s/link"
                     % hexd.decode(),
        "uppercase-hex": root + "blobs/sha256/%s/%s/data"
                         % (hexd[:2].decode().upper(), hexd.decode().upper()),
        "hh-mismatch": root + "blobs/sha256/zz/%s/data" % hexd.decode(),
        "nested-roots": "a/docker/registry/v2/b/docker/registry/v2/blobs",
    }
    for k, v in extra.items():
        seeds[k] = v.encode()
    seeds["not-utf8"] = root.encode() + b"repositories/caf\xe9\xff/_manifests/tags/\xc0t" \
                                        b"/current/link"
    return seeds


# ---- manifest: JSON blobs ----

MANIFEST_EXTRA = {
    "schema1-signed": {
        "schemaVersion": 1, "name": "base/debian", "tag": "old", "architecture": "amd64",
        "fsLayers": [{"blobSum": "sha256:" + "a" * 64}, {"blobSum": "sha256:" + "b" * 64}],
        "history": [{"v1Compatibility": "{\"id\":\"x\"}"}],
        "signatures": [{"header": {"alg": "ES256"}, "signature": "c2ln",
                        "protected": "cHJvdA"}],
    },
    "docker-list": {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
        "manifests": [
            {"mediaType": "application/vnd.docker.distribution.manifest.v2+json",
             "digest": "sha256:" + "c" * 64, "size": 528,
             "platform": {"architecture": "arm", "os": "linux", "variant": "v7"}},
        ],
    },
    "oci-artifact-subject": {
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "artifactType": "application/vnd.example.sbom",
        "config": {"mediaType": "application/vnd.oci.empty.v1+json",
                   "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c06"
                             "0f61caaff8a", "size": 2, "data": "e30="},
        "layers": [{"mediaType": "application/spdx+json", "digest": "sha256:" + "d" * 64,
                    "size": 10}],
        "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "digest": "sha256:" + "e" * 64, "size": 100},
    },
    "foreign-layer": {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
                   "digest": "sha256:" + "f" * 64, "size": 1},
        "layers": [{"mediaType":
                    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
                    "digest": "sha256:" + "1" * 64, "size": 5,
                    "urls": ["https://example.com/layer"]}],
    },
    "no-media-type": {"schemaVersion": 2, "manifests": [], "annotations": {"a": "b"}},
}


def manifest_seeds(mem):
    seeds, seen = {}, set()
    for name, data in mem:
        if data and data[:1] == b"{" and data not in seen:
            seen.add(data)
            seeds["sample-" + name.split("/")[-2][:12]] = data
    for k, v in MANIFEST_EXTRA.items():
        seeds[k] = json.dumps(v, indent=3).encode()
    seeds["bom-duplicate-keys"] = b'\xef\xbb\xbf {"schemaVersion":2,"schemaVersion":1,' \
                                  b'"mediaType":null,"layers":null}'
    return seeds


# ---- archive: tiny registry storage ----

def sha(b):
    return hashlib.sha256(b).hexdigest()


def tiny_registry(index):
    """Members of a one-repository registry: tag t -> image (or index -> two images,
    the second one's blobs missing)."""
    root = "srv/docker/registry/v2/"
    files = {}

    def blob(data):
        h = sha(data)
        files[root + "blobs/sha256/%s/%s/data" % (h[:2], h)] = data
        return h

    def link(repo_path, h):
        files[root + "repositories/app/" + repo_path] = ("sha256:" + h).encode()

    def image(arch, present=True):
        cfg = json.dumps({"architecture": arch, "os": "linux", "rootfs": {
            "type": "layers", "diff_ids": []}}).encode()
        layer = b"\x1f\x8b" + arch.encode() * 8
        hc, hl = sha(cfg), sha(layer)
        if present:
            blob(cfg)
            blob(layer)
            link("_layers/sha256/%s/link" % hc, hc)
            link("_layers/sha256/%s/link" % hl, hl)
        man = json.dumps({
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                       "digest": "sha256:" + hc, "size": len(cfg)},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                        "digest": "sha256:" + hl, "size": len(layer)}]}).encode()
        hm = blob(man)
        link("_manifests/revisions/sha256/%s/link" % hm, hm)
        return hm, len(man), arch

    if index:
        kids = [image("amd64"), image("arm64", present=False)]
        top = json.dumps({
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "digest": "sha256:" + h, "size": n,
                           "platform": {"os": "linux", "architecture": a}}
                          for h, n, a in kids]}).encode()
        ht = blob(top)
        link("_manifests/revisions/sha256/%s/link" % ht, ht)
    else:
        ht = image("amd64")[0]
    link("_manifests/tags/t/current/link", ht)
    link("_manifests/tags/t/index/sha256/%s/link" % ht, ht)
    files[root + "repositories/app/_uploads/u1/startedat"] = b"2026-04-01T00:00:00Z"
    return files


def tar_bytes(files, fmt=tarfile.USTAR_FORMAT):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tf:
        for name in sorted(files):
            ti = tarfile.TarInfo(name)
            ti.size, ti.mtime, ti.mode = len(files[name]), MTIME, 0o644
            tf.addfile(ti, io.BytesIO(files[name]))
        ti = tarfile.TarInfo("srv/docker/registry/v2/repositories/app/_manifests/tags/t/"
                             "current/link.sym")
        ti.type, ti.linkname, ti.mtime = tarfile.SYMTYPE, "link", MTIME
        tf.addfile(ti)
    # Drop tarfile's padding to a 10 KiB record: the end-of-archive marker will do.
    data = buf.getvalue().rstrip(b"\0")
    return data + b"\0" * (-len(data) % 512 + 1024)


def archive_seeds(src):
    seeds = {}
    for name in TARBALLS:
        with open(os.path.join(src, SAMPLE, name), "rb") as f:
            seeds["sample-" + name] = f.read()
    image, index = tiny_registry(False), tiny_registry(True)
    seeds["tiny-image.tar"] = tar_bytes(image)
    seeds["tiny-index.pax.tar"] = tar_bytes(index, tarfile.PAX_FORMAT)
    seeds["tiny-index.tar.gz"] = gzip.compress(tar_bytes(index), mtime=0)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(image):
            zf.writestr(zipfile.ZipInfo(name, (2026, 4, 8, 0, 0, 0)), image[name])
    seeds["tiny-image.zip"] = buf.getvalue()
    return seeds


# ---- tmpl: data \0 template \0 partials ----

def trim(v, depth=0):
    """The report model cut down: one item per array, short strings."""
    if isinstance(v, list):
        return [trim(x, depth + 1) for x in v[:1]]
    if isinstance(v, dict):
        return {k: trim(x, depth + 1) for k, x in v.items()}
    if isinstance(v, str) and len(v) > 40:
        return v[:40]
    return v


def tmpl_part(data, template, partials=()):
    out = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
    out += b"\0" + template.encode()
    for name, body in partials:
        out += b"\0" + name.encode() + b"\n" + body.encode()
    return out


def tmpl_seeds(src, model):
    seeds = {}
    tdir = os.path.join(src, "templates")
    names = sorted(n for n in os.listdir(tdir) if n.endswith(".mustache"))
    bodies = {n[:-len(".mustache")]: open(os.path.join(tdir, n)).read() for n in names}
    main = bodies.pop("postmortem.md")
    data = trim(model) if model is not None else {"title": "t"}
    seeds["postmortem-full"] = tmpl_part(data, main, sorted(bodies.items()))
    for name, body in sorted(bodies.items()):
        seeds["partial-" + name] = tmpl_part(data, body)
    sdir = os.path.join(src, "tests/unit/report/tmpl_spec")
    for fn in sorted(os.listdir(sdir)):
        if not fn.endswith(".json"):
            continue
        cases = json.load(open(os.path.join(sdir, fn)))
        for case in cases[:3]:
            parts = sorted(case.get("partials", {}).items())
            seeds["spec-%s-%s" % (fn[:-5], re.sub(r"\W+", "-", case["name"])[:30])] = \
                tmpl_part(case.get("data"), case["template"], parts)
    return seeds


# ---- cron and calendar: header bytes + expression ----

CRON = [
    "25 3 * * 0", "@weekly", "@hourly", "@reboot", "0 2 * * *", "*/15 * * * *",
    "0,30 9-17/4 * * *", "0 0 * * fri-sun", "0 12 * JAN,mar Mon-fri", "0 0 */2 * 1",
    "0 0 1-31 * 1", "0 0 29 2 *", "0 0 30 2 *", "0 0 31 4,6,9,11 *", "30 1 * * *",
    "*/20 1 * * *", "0 0 * * 7", "0 0 15 * 0-7", "0 0 * * 3/2", "10-50/20 * * * *",
    "0 * * * * *", "* * * * 1#2", "*/5/2 * * * *", "1,,2 * * * *", "  0\t0  * *   *  \n",
    "@annually", "@midnight", "0 0 1 */5 *", "0-60/5 * * * *", "0 0 * janu *",
]

CALENDAR = [
    "Sun *-*-* 03:25:00", "daily", "weekly", "hourly", "minutely", "quarterly",
    "semi-annually", "Mon..Fri *-*-* 09:00", "Sat,Sun 10:30", "*:0/15", "*-*-* 01:30",
    "*-02~01", "Mon *-05~07/1", "2026-04-12 03:25:00 UTC", "*-*-* 03:25 Europe/London",
    "*-*-* 02:15 America/New_York", "@1775964300", "Mon-Wed,Fri *-1,4,7,10-1 00:00",
    "2019..2045/4-02-29 12:00", "*:*:0/10", "*-*-* 25:00", "Sun *-*-* 03:25 Europe/Nowhere",
    "00:00:00.5", "monday..sunday *-*-31 23:59:59", "70-01-01", "*-*-* *:30 Australia/"
    "Lord_Howe",
]


def schedule_seeds(exprs, prefix):
    seeds = {}
    for i, e in enumerate(exprs):
        head = bytes([(i * 5) & 0xff, i % 7])
        seeds["%s-%02d" % (prefix, i)] = head + e.encode()
    seeds[prefix + "-raw-time"] = bytes([2, 7]) + struct.pack("<q", 1792890000) + \
        exprs[0].encode()
    return seeds


# ---- logs: chunk byte + log text ----

def c_literals(path):
    """Runs of adjacent C string literals (HEX_* macros expanded) from a test file."""
    text = open(path, encoding="latin-1").read()
    macros = dict(re.findall(r'#define (HEX_\w+) "([0-9a-f]{64})"', text))
    tok = re.compile(r'"((?:[^"\\\n]|\\.)*)"|(HEX_\w+)|(\s+)|(//[^\n]*)')
    runs, cur, pos = [], [], 0
    while pos < len(text):
        m = tok.match(text, pos)
        if not m:
            if cur:
                runs.append("".join(cur))
                cur = []
            pos += 1
            continue
        if m.group(1) is not None:
            cur.append(unescape(m.group(1)))
        elif m.group(2):
            if m.group(2) in macros:
                cur.append(macros[m.group(2)])
        pos = m.end()
    return runs


def unescape(s):
    out, i = [], 0
    simple = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "0": "\0"}
    while i < len(s):
        c = s[i]
        if c != "\\":
            out.append(c)
            i += 1
        elif s[i + 1] == "x":
            m = re.match(r"[0-9a-fA-F]+", s[i + 2:])
            out.append(chr(int(m.group(0), 16) & 0xff))
            i += 2 + len(m.group(0))
        else:
            out.append(simple.get(s[i + 1], s[i + 1]))
            i += 2
    return "".join(out)


def log_seeds(src):
    seeds = {}
    with open(os.path.join(src, SAMPLE, "gc-2026-04-12.log"), "rb") as f:
        seeds["sample-gc-2026-04-12"] = b"\0" + f.read()
    runs = [r for r in c_literals(os.path.join(src, "tests/unit/analysis/test_logs.c"))
            if "\n" in r.rstrip("\n") or r.lstrip().startswith(("[", "{"))]
    runs = sorted(set(r for r in runs if len(r) >= 60), key=lambda r: (len(r), r))
    step = max(1, len(runs) // 24)
    for i, r in enumerate(runs[::step][:24]):
        chunk = (0, 1, 7, 64, 255)[i % 5]
        seeds["test-logs-%02d" % i] = bytes([chunk]) + r.encode("latin-1")
    return seeds


def write(corpus, name, seeds):
    d = os.path.join(corpus, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    total = 0
    for k in sorted(seeds)[:MAX_FILES]:
        with open(os.path.join(d, k), "wb") as f:
            f.write(seeds[k])
        total += len(seeds[k])
    n = min(len(seeds), MAX_FILES)
    print("%-9s %3d files %7d bytes" % (name, n, total))
    if total > MAX_BYTES:
        sys.exit("%s: corpus over %d bytes" % (name, MAX_BYTES))


def report_model(src, binary):
    """The sample incident's report model, from `regautopsy report --json`."""
    s = os.path.join(src, SAMPLE)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "model.json")
        subprocess.run([binary, "report", "-q", "--json", out, "-o", os.devnull,
                        "--log", os.path.join(s, "gc-2026-04-12.log")] +
                       [os.path.join(s, t) for t in TARBALLS], check=False)
        with open(out) as f:
            return json.load(f)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: make-corpus.py SOURCE_DIR [REGAUTOPSY]")
    src = os.path.abspath(sys.argv[1])
    corpus = os.path.join(src, "tests/fuzz/corpus")
    model = report_model(src, sys.argv[2]) if len(sys.argv) == 3 else None
    mem = members(src)
    write(corpus, "layout", layout_seeds(src, mem))
    write(corpus, "manifest", manifest_seeds(mem))
    write(corpus, "archive", archive_seeds(src))
    write(corpus, "tmpl", tmpl_seeds(src, model))
    write(corpus, "cron", schedule_seeds(CRON, "cron"))
    write(corpus, "calendar", schedule_seeds(CALENDAR, "calendar"))
    write(corpus, "logs", log_seeds(src))


if __name__ == "__main__":
    main()
