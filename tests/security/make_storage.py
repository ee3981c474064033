#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Build hostile evidence for the security suite in OUT (an empty directory):

  snaps/<old>/<prefix>/docker/registry/v2   a complete storage, 2026-04-12 01:00
  snaps/<new>/<prefix>/docker/registry/v2   the same a day later, with each image's
                                           layer blob and revision link gone
  hostile-2026-04-12T0100Z.tar              the old storage as a tar, members named
                                           "./<prefix>/..." as `tar -C DIR .` does
  config/                                   a git repo with a crontab whose job names
                                           and commands carry Markdown and HTML
  access.log                                registry log lines with hostile URIs

<old> and <new> are directory names holding a shell command substitution, backticks,
quotes, spaces and '#'; <prefix> does too. Every repository and tag name below is a
storage entry of its own, each with a tagged image whose layer and revision link are
lost in <new>, so the report has a recovery section for each. Names inside
Distribution's grammar get commands; the others (the MARKER ones) must not.
Run: make_storage.py OUT; prints nothing, exits 0.
"""
import hashlib
import json
import os
import subprocess
import sys
import tarfile

MARK = "$(touch pwned-dollar)"
TICK = "`touch pwned-tick`"
HOSTILE = MARK + " " + TICK + " 'q\" #c ;x &y %%{init}%% ````fence"
OLD = "old " + HOSTILE + " registry-2026-04-12T0100Z"
NEW = "new " + HOSTILE + " registry-2026-04-13T0100Z"
PREFIX = "srv/" + HOSTILE + "/data"

# (repository, tag): valid ones get commands; every other one must be done by hand.
REPOS = [
    ("good/app", "latest"),
    ("app" + MARK, "v1"),
    ("tick" + TICK, "v1"),
    ("ok", "t" + MARK),
    ("ok", "t" + TICK),
    ("ok", "q'uote"),
    ("ok", "sp ace"),
    ("ok", "hash#x"),
    ("ok", "nl\nx"),
    ("ok", b"ff\xff".decode("utf-8", "surrogateescape")),
    ("ok", "<img src=x onerror=alert(1)>"),
    ("ok", "*em* _u_ ~~s~~ !x"),
    ("md", "`code` |pipe| &amp; @team #1"),
    ("ok", "%%{init: {'theme':'dark'}}%%"),
    ("esc\x1b[31m", "red"),
]


def sha(b):
    return hashlib.sha256(b).hexdigest()


def put(root, rel, data, mtime):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    os.utime(path, (mtime, mtime))


def image(i):
    layer = ("layer %d\n" % i).encode()
    config = json.dumps({"architecture": "amd64", "os": "linux", "n": i}).encode()
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": "sha256:" + sha(config), "size": len(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                    "digest": "sha256:" + sha(layer), "size": len(layer)}],
    }, sort_keys=True).encode()
    return manifest, config, layer


def storage(root, lost, mtime):
    for i, (repo, tag) in enumerate(REPOS):
        manifest, config, layer = image(i)
        for blob in (manifest, config, layer):
            if lost and blob is layer:
                continue
            h = sha(blob)
            put(root, "blobs/sha256/%s/%s/data" % (h[:2], h), blob, mtime)
        r = "repositories/%s/" % repo
        for blob in (config, layer):
            put(root, r + "_layers/sha256/%s/link" % sha(blob), b"sha256:" + sha(blob).encode(), mtime)
        m = sha(manifest)
        if not lost:
            put(root, r + "_manifests/revisions/sha256/%s/link" % m, b"sha256:" + m.encode(), mtime)
        t = r + "_manifests/tags/%s/" % tag
        put(root, t + "current/link", b"sha256:" + m.encode(), mtime)
        put(root, t + "index/sha256/%s/link" % m, b"sha256:" + m.encode(), mtime)


def config_repo(out):
    repo = os.path.join(out, "config")
    os.makedirs(os.path.join(repo, "hosts", "vm"))
    with open(os.path.join(repo, "hosts", "vm", "crontab"), "w") as f:
        f.write("25 3 * * 0 registry garbage-collect -m /etc/r.yml <img src=x> "
                "[l](http://evil.example) *em* `tick` | pipe %%{init}%% # hash\n")
        f.write("0 2 * * * /opt/<b>cleanup</b>.sh https://evil.example/x www.evil.example "
                "@team &amp; ~~s~~\n")
    env = dict(os.environ, GIT_AUTHOR_DATE="2026-04-01T00:00:00Z",
               GIT_COMMITTER_DATE="2026-04-01T00:00:00Z", GIT_AUTHOR_NAME="<b>a</b> [x](http://e)",
               GIT_AUTHOR_EMAIL="a@example.com", GIT_COMMITTER_NAME="c",
               GIT_COMMITTER_EMAIL="c@example.com")
    for args in (["init", "-q"], ["add", "."],
                 ["commit", "-q", "-m", "<script>alert(1)</script> [x](http://e) *m*"]):
        subprocess.run(["git", "-C", repo] + args, check=True, env=env)


def access_log(out):
    m = sha(image(0)[0])
    lines = []
    for i, uri in enumerate([
            "/v2/good/app/manifests/sha256:" + m,
            "/v2/<img src=x onerror=alert(1)>/[x](http://evil.example)/manifests/sha256:" + m,
            "/v2/%%{init}%%/manifests/sha256:" + m + "/`x`/*y*/\x1b[2J",
    ]):
        lines.append('time="2026-04-13T06:0%d:00Z" level=info msg="response completed" '
                     'http.request.method=GET http.request.uri="%s" http.response.status=404'
                     % (i, uri.replace('"', '\\"')))
    with open(os.path.join(out, "access.log"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    out = sys.argv[1]
    old = os.path.join(out, "snaps", OLD, PREFIX, "docker/registry/v2")
    new = os.path.join(out, "snaps", NEW, PREFIX, "docker/registry/v2")
    storage(old, False, 1775955600)  # 2026-04-12T01:00:00Z - 1h
    storage(new, True, 1775955600)
    with tarfile.open(os.path.join(out, "hostile-2026-04-12T0100Z.tar"), "w",
                      format=tarfile.GNU_FORMAT) as t:
        t.add(os.path.join(out, "snaps", OLD, "srv"), arcname="./srv", recursive=True)  # as `tar -C DIR .` names them
    config_repo(out)
    access_log(out)


if __name__ == "__main__":
    main()
