#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Generate synthetic but valid Docker Distribution registry storage for benchmarks.

    gen.py OUTDIR [--repos N | --target-entries N] [--tags-per-repo T] [--history H]
           [--platforms 2-4] [--layers-per-image L] [--shared-layer-pool P]
           [--blob-bytes-small S] [--big-every K | --target-blob-bytes B] [--big-bytes B]
           [--seed 1] [--mtime 2026-04-12T01:00:00Z] [--dry-run]

Writes OUTDIR/var/lib/registry/docker/registry/v2/{blobs,repositories}. Every tag is an
OCI image index with 2-4 platform children (linux/amd64 always, plus a sample of
linux/arm64/v8, linux/arm/v7, linux/s390x); each child is an OCI image manifest with a JSON
config and layers. Layers come from a shared pool (the same base-layer blobs in many
repos) and per-image unique layers (half of which are carried over from the tag's
previous version, like an unchanged application layer). Each tag has H past versions in
tags/<t>/index plus the current one. All digests are the real sha256 of the content, and
every link a pull needs is present: revisions for indexes and children, _layers for
configs and layers, tags/<t>/current/link and tags/<t>/index/sha256/<hex>/link.

Layers are gzip streams (stored blocks, level 0) of pseudo-random bytes, so they are
valid gzip and incompressible; configs carry the matching rootfs.diff_ids. Content comes
from a seeded Mersenne Twister (random.randbytes, ~450 MB/s), so output is byte-identical
for a given seed and parameters (with --mtime, including mtimes).

--target-entries N picks the number of repositories so that at least N entries (files and
directories under OUTDIR) are written; --target-blob-bytes B picks --big-every so that
total blob bytes come to about B. Both plan with a dry run first (no content, fake digests;
the entry count can differ by a few two-hex-digit blob directories).

Prints entries (files + directories under OUTDIR, OUTDIR itself not counted) and total
blob bytes; the last line is machine-readable: "entries=N dirs=D files=F blob_bytes=B ...".
"""

import argparse
import datetime
import hashlib
import json
import os
import random
import sys
import time
import zlib

PLATFORMS = [
    ("amd64", None),
    ("arm64", "v8"),
    ("arm", "v7"),
    ("s390x", None),
]

MT_INDEX = "application/vnd.oci.image.index.v1+json"
MT_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MT_CONFIG = "application/vnd.oci.image.config.v1+json"
MT_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"

CHUNK = 4 << 20
BASE_TIME = 1767225600  # 2026-01-01T00:00:00Z, start of the synthetic push history


def parse_range(s):
    if "-" in s:
        lo, hi = s.split("-", 1)
        lo, hi = int(lo), int(hi)
    else:
        lo = hi = int(s)
    if not (1 <= lo <= hi <= len(PLATFORMS)):
        raise argparse.ArgumentTypeError("platforms must be within 1-%d" % len(PLATFORMS))
    return lo, hi


def parse_time(s):
    s = s.strip()
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    dt = datetime.datetime.fromisoformat(s)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.timezone.utc)
    return int(dt.timestamp())


def parse_size(s):
    mult = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    s = s.strip().lower().rstrip("ib")
    if s and s[-1] in mult:
        return int(float(s[:-1]) * mult[s[-1]])
    return int(float(s))


def rfc3339(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def canon(obj):
    return json.dumps(obj, separators=(",", ":"), sort_keys=False).encode()


class Out:
    """Writes files (or, dry, only counts them), tracking every directory it creates."""

    def __init__(self, outdir, dry, mtime):
        self.outdir = os.path.abspath(outdir)
        self.dry = dry
        self.mtime = mtime
        self.dirs = set()
        self.new_dirs = []
        self.files = 0
        self.blob_bytes = 0
        self.blobs = 0
        self.blob_set = set()
        self.fake = 0
        self.crng = None  # content RNG, set by the caller
        p = self.outdir
        while True:  # OUTDIR and its ancestors exist (or are made) but are not counted
            self.dirs.add(p)
            q = os.path.dirname(p)
            if q == p:
                break
            p = q
        if not dry:
            os.makedirs(self.outdir, exist_ok=True)
        self.root = os.path.join(self.outdir, "var/lib/registry/docker/registry/v2")
        self.tmp = os.path.join(self.outdir, ".gen-tmp-blob")

    def mkdir(self, path):
        if path in self.dirs:
            return
        self.mkdir(os.path.dirname(path))
        if not self.dry:
            os.mkdir(path)
        self.dirs.add(path)
        self.new_dirs.append(path)

    def _ns(self, path):
        # the pinned second plus nanoseconds from the path, as real files have them
        frac = 1 + zlib.crc32(os.path.relpath(path, self.outdir).encode()) % 999999999
        return (int(self.mtime) * 1000000000 + frac,) * 2

    def _touch(self, path):
        if self.mtime is not None:
            os.utime(path, ns=self._ns(path))

    def write(self, path, data):
        self.mkdir(os.path.dirname(path))
        if not self.dry:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                mv = memoryview(data)
                while mv:
                    n = os.write(fd, mv)
                    mv = mv[n:]
            finally:
                os.close(fd)
            self._touch(path)
        self.files += 1

    def blob_path(self, hexd):
        return "%s/blobs/sha256/%s/%s/data" % (self.root, hexd[:2], hexd)

    def put_blob(self, data):
        """Store bytes as a blob; returns (hex, size)."""
        hexd = hashlib.sha256(data).hexdigest()
        if hexd not in self.blob_set:
            self.blob_set.add(hexd)
            self.write(self.blob_path(hexd), data)
            self.blob_bytes += len(data)
            self.blobs += 1
        return hexd, len(data)

    def fake_hex(self):
        self.fake += 1
        return hashlib.sha256(b"fake%d" % self.fake).hexdigest()

    def put_layer(self, payload_len):
        """A layer: gzip (stored blocks) of payload_len pseudo-random bytes.
        Returns (hex, size, diff_id_hex)."""
        if self.dry:
            # stored deflate: 5 bytes per 64 KiB block (at least one), gzip header+trailer 18
            size = payload_len + 5 * max(1, -(-payload_len // 65535)) + 18
            hexd = self.fake_hex()
            self.blob_set.add(hexd)
            self.files += 1
            self.mkdir(os.path.dirname(self.blob_path(hexd)))
            self.blob_bytes += size
            self.blobs += 1
            return hexd, size, self.fake_hex()
        if payload_len <= CHUNK:
            raw = self.crng.randbytes(payload_len)
            comp = zlib.compress(raw, 0, 31)
            hexd, size = self.put_blob(comp)
            return hexd, size, hashlib.sha256(raw).hexdigest()
        # big layer: stream through a temporary file, then rename into place
        h_raw, h_comp = hashlib.sha256(), hashlib.sha256()
        co = zlib.compressobj(0, zlib.DEFLATED, 31)
        size = 0
        fd = os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            left = payload_len
            while left:
                n = min(CHUNK, left)
                raw = self.crng.randbytes(n)
                left -= n
                h_raw.update(raw)
                out = co.compress(raw)
                if not left:
                    out += co.flush()
                h_comp.update(out)
                size += len(out)
                mv = memoryview(out)
                while mv:
                    w = os.write(fd, mv)
                    mv = mv[w:]
        finally:
            os.close(fd)
        hexd = h_comp.hexdigest()
        if hexd in self.blob_set:  # cannot happen with random content; be safe
            os.unlink(self.tmp)
        else:
            self.blob_set.add(hexd)
            path = self.blob_path(hexd)
            self.mkdir(os.path.dirname(path))
            os.rename(self.tmp, path)
            self._touch(path)
            self.files += 1
            self.blob_bytes += size
            self.blobs += 1
        return hexd, size, h_raw.hexdigest()

    def link(self, path, hexd):
        self.write(path, b"sha256:" + hexd.encode())

    def finish(self):
        if self.mtime is not None and not self.dry:
            for d in self.new_dirs:
                os.utime(d, ns=self._ns(d))

    @property
    def entries(self):
        return len(self.new_dirs) + self.files


def repo_name(r):
    k = r % 4
    if k == 0:
        return "svc%04d" % r
    if k == 1:
        return "team%02d/app%04d" % (r % 23, r)
    if k == 2:
        return "org%d/grp%02d/tool%04d" % (r % 5, r % 11, r)
    return "mirror/library/img%04d" % r


def tag_names(t):
    names = ["latest"]
    i = 0
    while len(names) < t:
        names.append("1.%d.%d" % (i // 3, i % 3))
        i += 1
    return names[:t]


class Gen:
    def __init__(self, a, out):
        self.a = a
        self.out = out
        self.pool = {}  # pool index -> (hex, size, diff_id)
        self.layer_ordinal = 0
        self.manifests = 0
        self.tags = 0

    def layer_size(self, rng):
        """Decided by the structure RNG so that a dry run plans the same sizes."""
        self.layer_ordinal += 1
        big = self.a.big_every > 0 and self.layer_ordinal % self.a.big_every == 0
        if big:
            return max(1, int(self.a.big_bytes * rng.uniform(0.5, 1.5)))
        return max(16, int(self.a.blob_bytes_small * rng.uniform(0.25, 2.0)))

    def pool_layer(self, i, rng):
        if i not in self.pool:
            # the pool layer's size comes from its own RNG so its first user does not matter
            prng = random.Random("%d:pool:%d" % (self.a.seed, i))
            self.pool[i] = self.out.put_layer(self.layer_size(prng))
        return self.pool[i]

    def repo(self, r):
        a, out = self.a, self.out
        rng = random.Random("%d:repo:%d" % (a.seed, r))
        name = repo_name(r)
        rdir = "%s/repositories/%s" % (out.root, name)
        layers_linked = set()
        plo, phi = a.platforms
        nbase = a.layers_per_image // 2 if a.shared_layer_pool > 0 else 0
        for ti, tag in enumerate(tag_names(a.tags_per_repo)):
            self.tags += 1
            base = {}  # platform -> pool indexes
            prev = {}  # platform -> list of unique layer tuples of the previous version
            nvers = a.history + 1
            index_hexes = []
            for v in range(nvers):
                t = BASE_TIME + (r * 7 + ti * 3 + v) * 3600 + rng.randrange(3600)
                c = rng.randint(plo, phi)
                plats = [PLATFORMS[0]] + sorted(rng.sample(PLATFORMS[1:], c - 1),
                                                key=PLATFORMS.index)
                children = []
                for arch, variant in plats:
                    key = (arch, variant)
                    if key not in base or rng.random() < 0.2:  # first version, or a rebase
                        base[key] = [rng.randrange(a.shared_layer_pool) for _ in range(nbase)]
                    lay = [self.pool_layer(i, rng) for i in base[key]]
                    uniq = []
                    old = prev.get(key, [])
                    for j in range(a.layers_per_image - nbase):
                        if j < len(old) and rng.random() < 0.5:
                            uniq.append(old[j])
                        else:
                            uniq.append(out.put_layer(self.layer_size(rng)))
                    prev[key] = uniq
                    lay += uniq
                    cfg = {
                        "created": rfc3339(t),
                        "architecture": arch,
                        "os": "linux",
                    }
                    if variant:
                        cfg["variant"] = variant
                    cfg["config"] = {
                        "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                        "Cmd": ["/bin/sh"],
                        "Labels": {"org.opencontainers.image.source": "https://git.example/" + name,
                                   "org.opencontainers.image.version": "%s+%d" % (tag, v)},
                    }
                    cfg["rootfs"] = {"type": "layers",
                                     "diff_ids": ["sha256:" + l[2] for l in lay]}
                    cfg["history"] = [{"created": rfc3339(t), "created_by": "layer %d" % k}
                                      for k in range(len(lay))]
                    chex, csize = out.put_blob(canon(cfg))
                    man = {
                        "schemaVersion": 2,
                        "mediaType": MT_MANIFEST,
                        "config": {"mediaType": MT_CONFIG, "digest": "sha256:" + chex,
                                   "size": csize},
                        "layers": [{"mediaType": MT_LAYER, "digest": "sha256:" + l[0],
                                    "size": l[1]} for l in lay],
                    }
                    mhex, msize = out.put_blob(canon(man))
                    self.manifests += 1
                    for hx in [chex] + [l[0] for l in lay]:
                        if hx not in layers_linked:
                            layers_linked.add(hx)
                            out.link("%s/_layers/sha256/%s/link" % (rdir, hx), hx)
                    out.link("%s/_manifests/revisions/sha256/%s/link" % (rdir, mhex), mhex)
                    plat = {"architecture": arch, "os": "linux"}
                    if variant:
                        plat["variant"] = variant
                    children.append({"mediaType": MT_MANIFEST, "digest": "sha256:" + mhex,
                                     "size": msize, "platform": plat})
                idx = {"schemaVersion": 2, "mediaType": MT_INDEX, "manifests": children}
                ihex, _ = out.put_blob(canon(idx))
                self.manifests += 1
                out.link("%s/_manifests/revisions/sha256/%s/link" % (rdir, ihex), ihex)
                out.link("%s/_manifests/tags/%s/index/sha256/%s/link" % (rdir, tag, ihex), ihex)
                index_hexes.append(ihex)
            out.link("%s/_manifests/tags/%s/current/link" % (rdir, tag), index_hexes[-1])


def run(a, dry, repos=None, stop_at=None):
    out = Out(a.outdir, dry, a.mtime)
    out.crng = random.Random("%d:content" % a.seed)
    g = Gen(a, out)
    r = 0
    while True:
        if repos is not None and r >= repos:
            break
        if stop_at is not None and out.entries >= stop_at:
            break
        g.repo(r)
        r += 1
    out.finish()
    return out, g, r


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("outdir")
    p.add_argument("--repos", type=int, default=None)
    p.add_argument("--target-entries", type=int, default=None,
                   help="choose --repos so that at least this many entries are written")
    p.add_argument("--tags-per-repo", type=int, default=4)
    p.add_argument("--history", type=int, default=3, help="past digests per tag")
    p.add_argument("--platforms", type=parse_range, default=(2, 4), help="e.g. 2-4")
    p.add_argument("--layers-per-image", type=int, default=6)
    p.add_argument("--shared-layer-pool", type=int, default=200)
    p.add_argument("--blob-bytes-small", type=parse_size, default=16384,
                   help="typical small layer payload (bytes, or 16k/1m)")
    p.add_argument("--big-every", type=int, default=0,
                   help="every K-th new layer blob is big (0: none)")
    p.add_argument("--target-blob-bytes", type=parse_size, default=None,
                   help="choose --big-every so that blob bytes total about this")
    p.add_argument("--big-bytes", type=parse_size, default=64 << 20,
                   help="typical big layer payload (0.5x-1.5x)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--mtime", type=parse_time, default=None,
                   help="set every file and directory mtime to this second (nanoseconds from the path), e.g. 2026-04-12T01:00:00Z")
    p.add_argument("--dry-run", action="store_true", help="plan and count only")
    a = p.parse_args()
    if a.layers_per_image < 1 or a.tags_per_repo < 1 or a.history < 0:
        p.error("need --layers-per-image >= 1, --tags-per-repo >= 1, --history >= 0")
    if a.repos is None and a.target_entries is None:
        a.repos = 10
    if a.shared_layer_pool < 0:
        p.error("--shared-layer-pool must be >= 0")

    t0 = time.time()
    if a.target_entries is not None or a.target_blob_bytes is not None:
        a_big = a.big_every
        if a.target_blob_bytes is not None:
            a.big_every = 0
        out, g, repos = run(a, True, repos=a.repos, stop_at=a.target_entries)
        if a.repos is None:
            a.repos = repos
        if a.target_blob_bytes is not None:
            small = out.blob_bytes
            need = a.target_blob_bytes - small
            if need <= 0 or a.big_bytes <= 0:
                a.big_every = 0
            else:
                nbig = max(1, round(need / a.big_bytes))
                a.big_every = max(1, g.layer_ordinal // nbig)
        else:
            a.big_every = a_big
        print("plan: repos=%d big_every=%d (dry run %.1fs)" % (a.repos, a.big_every,
                                                                time.time() - t0),
              file=sys.stderr, flush=True)

    if not a.dry_run and os.path.exists(os.path.join(a.outdir, "var/lib/registry")):
        p.error("%s/var/lib/registry exists; remove it first" % a.outdir)
    out, g, repos = run(a, a.dry_run, repos=a.repos)
    dt = time.time() - t0
    print("%s %d entries (%d dirs, %d files), %d blobs, %d blob bytes (%.2f GiB), "
          "%d repos, %d tags, %d manifests, in %.1fs"
          % ("planned" if a.dry_run else "wrote", out.entries, len(out.new_dirs), out.files,
             out.blobs, out.blob_bytes, out.blob_bytes / (1 << 30), repos, g.tags,
             g.manifests, dt))
    print("entries=%d dirs=%d files=%d blobs=%d blob_bytes=%d repos=%d tags=%d manifests=%d "
          "big_every=%d root=%s"
          % (out.entries, len(out.new_dirs), out.files, out.blobs, out.blob_bytes, repos,
             g.tags, g.manifests, a.big_every, os.path.join(out.outdir, "var/lib/registry")))


if __name__ == "__main__":
    main()
