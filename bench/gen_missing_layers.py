#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Two snapshots of one registry for timing `report` against `scan` when many layers
are lost: M repositories, each with a tagged image manifest of L layers (distinct
digests); in the first snapshot everything is present, in the second every layer's
blob data is gone (their _layers links stay, as a GC leaves them).

    bench/gen_missing_layers.py OUTDIR [--manifests 8] [--layers 20000]

writes OUTDIR/before-2026-04-12T0100Z.tar and OUTDIR/after-2026-04-13T0100Z.tar.
Then, e.g.:

    time regautopsy scan -q --json /dev/null OUTDIR/*.tar
    time regautopsy report -q -o /dev/null OUTDIR/*.tar
"""
import argparse
import hashlib
import io
import json
import os
import tarfile

ROOT = "docker/registry/v2"
T0 = 1775955600  # 2026-04-12T01:00:00Z


def sha(b):
    return hashlib.sha256(b).hexdigest()


def add(tf, name, data, mtime=T0):
    ti = tarfile.TarInfo(name)
    ti.size = len(data)
    ti.mtime = mtime
    tf.addfile(ti, io.BytesIO(data))


def blob(tf, hexd, data):
    add(tf, "%s/blobs/sha256/%s/%s/data" % (ROOT, hexd[:2], hexd), data)


def link(tf, path, hexd):
    add(tf, "%s/repositories/%s/link" % (ROOT, path), b"sha256:" + hexd.encode())


def write(path, manifests, layers, with_layers):
    with tarfile.open(path, "w", format=tarfile.GNU_FORMAT) as tf:
        for m in range(manifests):
            repo = "app%d" % m
            cfg = json.dumps({"architecture": "amd64", "os": "linux",
                              "rootfs": {"type": "layers", "diff_ids": []}}).encode()
            cfg += b" " * m  # distinct per repository
            descs = []
            for i in range(layers):
                data = b"layer %d of %d\n" % (i, m)
                h = sha(data)
                descs.append({"mediaType": "application/vnd.oci.image.layer.v1.tar",
                              "digest": "sha256:" + h, "size": len(data)})
                if with_layers:
                    blob(tf, h, data)
                link(tf, "%s/_layers/sha256/%s" % (repo, h), h)
            blob(tf, sha(cfg), cfg)
            link(tf, "%s/_layers/sha256/%s" % (repo, sha(cfg)), sha(cfg))
            man = json.dumps({"schemaVersion": 2,
                              "mediaType": "application/vnd.oci.image.manifest.v1+json",
                              "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                         "digest": "sha256:" + sha(cfg), "size": len(cfg)},
                              "layers": descs}, separators=(",", ":")).encode()
            mh = sha(man)
            blob(tf, mh, man)
            link(tf, "%s/_manifests/revisions/sha256/%s" % (repo, mh), mh)
            link(tf, "%s/_manifests/tags/latest/current" % repo, mh)
            link(tf, "%s/_manifests/tags/latest/index/sha256/%s" % (repo, mh), mh)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--manifests", type=int, default=8)
    ap.add_argument("--layers", type=int, default=20000)
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    write(os.path.join(a.outdir, "before-2026-04-12T0100Z.tar"), a.manifests, a.layers, True)
    write(os.path.join(a.outdir, "after-2026-04-13T0100Z.tar"), a.manifests, a.layers, False)


if __name__ == "__main__":
    main()
