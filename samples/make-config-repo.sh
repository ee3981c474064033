#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# make-config-repo.sh [--logs] [OUTDIR] - the sample incident's config repository and
# CI history (samples/incident-2026-04), to go with the storage of make-sample.sh.
#
#   config.bundle       the git repository of host and pipeline configs ("infra-config"),
#                       as a git bundle (clone it: git clone config.bundle DIR). Its
#                       history tells which jobs were in effect when.
#   pipelines.json      the Woodpecker pipeline history of that repository around the
#                       first outage (2026-04-11 .. 2026-04-14), as the API returns it.
#   README.md           this script's section, between its markers (make-sample.sh
#                       rewrites the file: run this script after it)
#   registry-access.log (with --logs only) the private registry's log: requests made by
#                       skopeo against the REAL registry (docker-registry 2.8.x) serving
#                       the committed snapshots, then re-dated to the story's times.
#
# The bundle and pipelines.json are deterministic (fixed names, e-mails and dates, no
# signing, one pack thread): the same git version gives the same bytes, and any git
# gives the same commit ids. registry-access.log is not: request ids, the registry's
# instance id and sub-second timings differ on each run; --logs rewrites it.
#
# The story (UTC). The registry VM's clock is UTC.
#   2026-03-02  initial commit: compose (six registry services, image registry:2,
#               floating), root crontab (cleanup-tags.sh 02:00, backup 00:30), scripts,
#               Woodpecker pipelines (infra-ci builds infra-ci:latest, lint and deploy
#               run in it)
#   2026-03-09  the nightly backup moves from the crontab to a systemd timer
#   2026-03-20  "registry: weekly garbage-collect": cron.d, Sunday 03:25, no -m
#   2026-04-03  "registry-gc: also remove untagged manifests (disk almost full)": -m
#   2026-04-09  cleanup-tags.sh keeps 14 days, not 3 (its 02:00 run that day had just
#               pruned infra-ci:2026-04-05)
#   2026-04-11  07:30 cron infra-ci-weekly pushes infra-ci:latest (07:45:21);
#               08:04 lint and deploy pull it fine
#   2026-04-12  03:25 GC with -m deletes the children's blobs (gc-2026-04-12.log)
#   2026-04-13  06:02 first pipeline after the GC: index 200, child 404, exit 126;
#               retries fail until infra-ci is rebuilt by hand, 09:02-09:10
#   2026-04-15  a change that does not fix it (Docker Hub login for the mirror)
#   2026-04-19  second outage (not in this sample's logs)
#   2026-04-21  the fix: no --delete-untagged, registry:2.8.3 pinned, a probe job
set -euo pipefail
umask 022
export LC_ALL=C TZ=UTC

logs=false
if [[ "${1:-}" == --logs ]]; then
    logs=true
    shift
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/.." && pwd)
out=${1:-$here/incident-2026-04}

for t in git python3 sha256sum; do
    command -v "$t" >/dev/null || { echo "make-config-repo: $t is required" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/make-config-repo.XXXXXX")
cleanup() {
    if declare -F reg_stop >/dev/null; then reg_stop; fi
    rm -rf "$work" "${REG_STATE:-/nonexistent}"
}
trap cleanup EXIT
mkdir -p "$out"

# ---- git, isolated from the user's and the system's configuration ------------------
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY \
    GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_CEILING_DIRECTORIES GIT_TEMPLATE_DIR
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME=$work/home
mkdir -p "$HOME"
repo=$work/infra-config
g() {
    git -C "$repo" -c core.autocrlf=false -c core.eol=lf -c core.filemode=true \
        -c core.symlinks=true -c commit.gpgsign=false -c tag.gpgsign=false \
        -c gc.auto=0 -c pack.threads=1 -c core.hooksPath=/dev/null "$@"
}
git -c init.defaultBranch=main init -q --template= "$repo"

# commit 'YYYY-MM-DD HH:MM:SS' 'Name <email>' MESSAGE: commit the whole tree.
declare -a COMMITS=()
commit() {
    local when=$1 who=$2 msg=$3 epoch name email
    epoch=$(date -d "$when UTC" +%s)
    name=${who% <*}
    email=${who##*<}
    email=${email%>}
    g add -- .
    printf '%s\n' "$msg" >"$work/msg"
    GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email GIT_AUTHOR_DATE="$epoch +0000" \
        GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email GIT_COMMITTER_DATE="$epoch +0000" \
        g commit -q --no-verify --cleanup=whitespace -F "$work/msg"
    COMMITS+=("$(g rev-parse HEAD) $when")
}

# put PATH MODE: the file's content from stdin.
put() {
    local f=$repo/$1
    mkdir -p "$(dirname "$f")"
    cat >"$f"
    chmod "$2" "$f"
}

MARA='Mara Lindqvist <mara.lindqvist@acme.example>'
TOMAS='Tomas Keller <tomas.keller@acme.example>'
H=hosts/registry-vm

# ---- 2026-03-02: initial commit ------------------------------------------------------
put README.md 0644 <<'EOF'
# infra-config

Host and pipeline configuration of ACME's build infrastructure. Every push to `main`
is deployed by `.woodpecker/deploy.yml`; nothing is edited on the hosts by hand.

- `hosts/registry-vm/`: the registry VM (`registry.example.internal`, Debian 12, clock in UTC)
  - `docker-compose.yml`: its six registry services: the private registry (:5000, behind
    the TLS proxy) and five pull-through mirrors (:5001-:5005)
  - `registry/config.yml`: the private registry's configuration
  - `crontab`: root's crontab
  - `etc/`: copied to `/etc`
  - `opt/ci/`: the scripts the jobs run
- `images/infra-ci/`: the CI toolchain image, `registry.example.internal/infra-ci:latest`
- `.woodpecker/`: the pipelines. `infra-ci.yml` builds and pushes the toolchain image for
  linux/amd64 and linux/arm64; `lint.yml` and `deploy.yml` run in it.

## Woodpecker crons (set in the Woodpecker UI; times UTC)

| cron | when | workflows |
| --- | --- | --- |
| `morning` | Monday to Friday 06:00 | lint, deploy |
| `infra-ci-weekly` | Saturday 07:30 | infra-ci |

To rebuild the toolchain image by hand: "Run pipeline" on `main` with the variable
`REBUILD_INFRA_CI=yes`.
EOF

put $H/docker-compose.yml 0644 <<'EOF'
# The registry VM's six registry services: the private registry and five pull-through
# mirrors. Deployed to /srv/registry by .woodpecker/deploy.yml (compose pull + up -d).
name: registry

services:
  registry:
    image: registry:2
    container_name: registry
    restart: unless-stopped
    ports:
      - "127.0.0.1:5000:5000"
    volumes:
      - /var/lib/registry:/var/lib/registry
      - ./registry/config.yml:/etc/docker/registry/config.yml:ro

  mirror-dockerhub:
    image: registry:2
    container_name: mirror-dockerhub
    restart: unless-stopped
    ports:
      - "127.0.0.1:5001:5000"
    volumes:
      - /var/lib/mirrors/dockerhub:/var/lib/registry
    environment:
      REGISTRY_PROXY_REMOTEURL: https://registry-1.docker.io

  mirror-ghcr:
    image: registry:2
    container_name: mirror-ghcr
    restart: unless-stopped
    ports:
      - "127.0.0.1:5002:5000"
    volumes:
      - /var/lib/mirrors/ghcr:/var/lib/registry
    environment:
      REGISTRY_PROXY_REMOTEURL: https://ghcr.io

  mirror-quay:
    image: registry:2
    container_name: mirror-quay
    restart: unless-stopped
    ports:
      - "127.0.0.1:5003:5000"
    volumes:
      - /var/lib/mirrors/quay:/var/lib/registry
    environment:
      REGISTRY_PROXY_REMOTEURL: https://quay.io

  mirror-k8s:
    image: registry:2
    container_name: mirror-k8s
    restart: unless-stopped
    ports:
      - "127.0.0.1:5004:5000"
    volumes:
      - /var/lib/mirrors/k8s:/var/lib/registry
    environment:
      REGISTRY_PROXY_REMOTEURL: https://registry.k8s.io

  mirror-gcr:
    image: registry:2
    container_name: mirror-gcr
    restart: unless-stopped
    ports:
      - "127.0.0.1:5005:5000"
    volumes:
      - /var/lib/mirrors/gcr:/var/lib/registry
    environment:
      REGISTRY_PROXY_REMOTEURL: https://gcr.io
EOF

put $H/registry/config.yml 0644 <<'EOF'
# /etc/docker/registry/config.yml of the private registry (mounted read-only).
version: 0.1
log:
  level: info
  formatter: text
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: /var/lib/registry
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: true
      age: 168h
      interval: 24h
      dryrun: false
http:
  addr: :5000
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
EOF

put $H/crontab 0644 <<'EOF'
# root's crontab on registry-vm, installed by the deploy pipeline (crontab - < this file).
# The host's clock is UTC.
MAILTO=ops@acme.example
SHELL=/bin/bash

# m h dom mon dow command
0 2 * * * /opt/ci/cleanup-tags.sh >> /var/log/cleanup-tags.log 2>&1
30 0 * * * /opt/ci/backup-registry.sh
EOF

put $H/opt/ci/cleanup-tags.sh 0755 <<'EOF'
#!/bin/bash
# cleanup-tags.sh - prune old build tags of infra-ci, straight from the registry's storage.
#
# Runs daily at 02:00 from root's crontab. Every tag of the repositories in REPOS whose
# last push is older than KEEP_DAYS days is removed, except `latest`. Only the tags go:
# the registry's garbage collection frees the space of what they pointed to.
set -euo pipefail

KEEP_DAYS=${KEEP_DAYS:-3}
REPOS=${REPOS:-infra-ci}
ROOT=/var/lib/registry/docker/registry/v2/repositories

now=$(date -u +%FT%TZ)
for tagdir in "$ROOT"/*/_manifests/tags/*/; do
    tagdir=${tagdir%/}
    [[ -d "$tagdir" ]] || continue
    tag=${tagdir##*/}
    repo=${tagdir#"$ROOT"/}
    repo=${repo%/_manifests/tags/*}
    [[ " $REPOS " == *" $repo "* ]] || continue
    [[ "$tag" == latest ]] && continue
    # current/link is rewritten on every push of the tag: its mtime is the last push
    if [[ -n "$(find "$tagdir/current/link" -mmin +$((KEEP_DAYS * 24 * 60)) 2>/dev/null)" ]]; then
        echo "$now cleanup-tags: removing $repo:$tag"
        rm -rf -- "$tagdir"
    fi
done
EOF

put $H/opt/ci/backup-registry.sh 0755 <<'EOF'
#!/bin/bash
# backup-registry.sh - nightly copy of the registry volume to the Synology (nas01).
#
# rsync keeps mtimes. The NAS snapshots the share daily at 01:00 UTC (Snapshot
# Replication, kept 30 days): the snapshots "GMT+00_YYYY.MM.DD-01.00" are the nightly
# copies. The copy is taken while the registry serves: an upload in flight may be cut.
set -euo pipefail

SRC=/var/lib/registry/
DEST=registry-backup@nas01.example.internal:/volume1/registry-backup/registry-vm/var/lib/registry/

exec rsync -a --delete --numeric-ids "$SRC" "$DEST"
EOF

put $H/etc/logrotate.d/registry-vm 0644 <<'EOF'
/var/log/cleanup-tags.log /var/log/registry-gc.log {
    weekly
    rotate 12
    compress
    delaycompress
    missingok
    notifempty
}
EOF

put images/infra-ci/Dockerfile 0644 <<'EOF'
# The CI toolchain image (linux/amd64, linux/arm64), built by .woodpecker/infra-ci.yml.
FROM registry.example.internal/base/debian:bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates curl jq openssh-client rsync shellcheck skopeo yamllint \
 && rm -rf /var/lib/apt/lists/*
EOF

put .woodpecker/infra-ci.yml 0644 <<'EOF'
# Build the CI toolchain image and push it as a multi-platform image (an index with
# linux/amd64 and linux/arm64). Only `latest` is pushed: each build replaces the last.
when:
  - event: cron
    cron: infra-ci-weekly
  - event: manual
    evaluate: 'REBUILD_INFRA_CI == "yes"'
  - event: push
    branch: main
    path: 'images/infra-ci/**'

labels:
  platform: linux/amd64

steps:
  - name: build-push
    image: woodpeckerci/plugin-docker-buildx:2.3.0
    settings:
      registry: registry.example.internal
      repo: registry.example.internal/infra-ci
      tags: latest
      platforms: linux/amd64,linux/arm64
      context: images/infra-ci
      dockerfile: images/infra-ci/Dockerfile
      username: ci
      password:
        from_secret: registry_password
EOF

put .woodpecker/lint.yml 0644 <<'EOF'
# Lint the host configs, in the CI toolchain image, on the arm64 agent.
when:
  - event: [push, pull_request]
  - event: cron
    cron: morning
  - event: manual
    evaluate: 'REBUILD_INFRA_CI != "yes"'

labels:
  platform: linux/arm64

steps:
  - name: lint
    image: registry.example.internal/infra-ci:latest
    commands:
      - shellcheck hosts/registry-vm/opt/ci/*.sh
      - yamllint -s .woodpecker hosts/registry-vm/docker-compose.yml hosts/registry-vm/registry
EOF

put .woodpecker/deploy.yml 0644 <<'EOF'
# Deploy hosts/registry-vm to the registry VM: scripts, /etc, root's crontab, compose.
# Also every weekday morning (cron "morning"), to undo hand edits on the host.
when:
  - event: push
    branch: main
  - event: cron
    cron: morning
  - event: manual
    evaluate: 'REBUILD_INFRA_CI != "yes"'

labels:
  platform: linux/amd64

steps:
  - name: deploy
    image: registry.example.internal/infra-ci:latest
    environment:
      SSH_KEY:
        from_secret: deploy_ssh_key
    commands:
      - install -d -m 0700 ~/.ssh && printf '%s\n' "$SSH_KEY" > ~/.ssh/id_ed25519 && chmod 0600 ~/.ssh/id_ed25519
      - ssh-keyscan registry-vm.example.internal > ~/.ssh/known_hosts
      - rsync -rlt --chmod=D755,F755 hosts/registry-vm/opt/ci/ root@registry-vm.example.internal:/opt/ci/
      - rsync -rlt --chmod=D755,F644 hosts/registry-vm/etc/ root@registry-vm.example.internal:/etc/
      - rsync -rlt --chmod=D755,F644 hosts/registry-vm/docker-compose.yml hosts/registry-vm/registry root@registry-vm.example.internal:/srv/registry/
      - ssh root@registry-vm.example.internal 'crontab -' < hosts/registry-vm/crontab
      - ssh root@registry-vm.example.internal 'systemctl daemon-reload && cd /srv/registry && docker compose pull -q && docker compose up -d'
EOF

commit '2026-03-02 10:12:00' "$MARA" 'Initial import: registry VM and CI pipelines

The registry VM (private registry and five pull-through mirrors), root'"'"'s
crontab with the tag cleanup and the nightly backup, and the Woodpecker
pipelines that build the CI toolchain image and run in it.'

# ---- 2026-03-09: the backup moves to a systemd timer ----------------------------------
put $H/crontab 0644 <<'EOF'
# root's crontab on registry-vm, installed by the deploy pipeline (crontab - < this file).
# The host's clock is UTC.
MAILTO=ops@acme.example
SHELL=/bin/bash

# m h dom mon dow command
0 2 * * * /opt/ci/cleanup-tags.sh >> /var/log/cleanup-tags.log 2>&1
# the nightly backup runs from registry-backup.timer since 2026-03-09
#30 0 * * * /opt/ci/backup-registry.sh
EOF

put $H/etc/systemd/system/registry-backup.timer 0644 <<'EOF'
[Unit]
Description=Nightly copy of the registry volume to nas01

[Timer]
OnCalendar=*-*-* 00:30:00
Persistent=true

[Install]
WantedBy=timers.target
EOF

put $H/etc/systemd/system/registry-backup.service 0644 <<'EOF'
[Unit]
Description=Copy /var/lib/registry to nas01 (rsync)
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
ExecStart=/opt/ci/backup-registry.sh
Nice=10
IOSchedulingClass=idle
EOF

commit '2026-03-09 14:05:00' "$TOMAS" 'backup: run from a systemd timer instead of cron

Persistent=true: a night missed while the VM is down for patching is
copied when it boots. The crontab line stays, commented out.'

# ---- 2026-03-20: weekly garbage collection --------------------------------------------
gc_crond() { # FLAGS COMMENT...
    local flags=$1
    shift
    {
        printf '%s\n' "$@"
        cat <<EOF
SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin
MAILTO=ops@acme.example

25 3 * * 0 root docker exec registry registry garbage-collect ${flags}/etc/docker/registry/config.yml >> /var/log/registry-gc.log 2>&1
EOF
    } | put $H/etc/cron.d/registry-gc 0644
}
gc_crond '' \
    '# Weekly garbage collection of the private registry: Sunday 03:25 (the host runs in UTC).' \
    '# Runs inside the registry container, while it serves.'
commit '2026-03-20 16:40:00' "$MARA" 'registry: weekly garbage-collect

Tags pruned by cleanup-tags.sh leave their blobs behind; collect them on
Sunday night, when nobody pushes.'

# ---- 2026-04-03: -m ------------------------------------------------------------------
gc_crond '--delete-untagged ' \
    '# Weekly garbage collection of the private registry: Sunday 03:25 (the host runs in UTC).' \
    '# Runs inside the registry container, while it serves. --delete-untagged also removes' \
    '# the manifests no tag points to (every infra-ci build leaves one behind).'
commit '2026-04-03 11:27:00' "$MARA" 'registry-gc: also remove untagged manifests (disk almost full)

/var/lib/registry is at 91%. Each weekly infra-ci build replaces latest and
leaves the previous build untagged; without --delete-untagged GC keeps
all of them.'

# ---- 2026-04-09: cleanup-tags keeps 14 days --------------------------------------------
# shellcheck disable=SC2016 # literal ${...} in the script
sed -i 's/^KEEP_DAYS=${KEEP_DAYS:-3}$/KEEP_DAYS=${KEEP_DAYS:-14}/' "$repo/$H/opt/ci/cleanup-tags.sh"
grep -q 'KEEP_DAYS:-14' "$repo/$H/opt/ci/cleanup-tags.sh"
commit '2026-04-09 09:41:00' "$TOMAS" 'cleanup-tags: keep 14 days of infra-ci builds, not 3

Last night'"'"'s run pruned infra-ci:2026-04-05, which the release branch
still pins.'

# ---- 2026-04-15: a change that does not fix it -----------------------------------------
python3 - "$repo/$H/docker-compose.yml" <<'EOF'
import sys
p = sys.argv[1]
s = open(p).read()
old = "      REGISTRY_PROXY_REMOTEURL: https://registry-1.docker.io\n"
new = old + ("      REGISTRY_PROXY_USERNAME: acmeci\n"
             "    env_file: /etc/registry/dockerhub.env  # REGISTRY_PROXY_PASSWORD=<token>\n")
assert s.count(old) == 1
open(p, "w").write(s.replace(old, new))
EOF
commit '2026-04-15 10:03:00' "$TOMAS" 'mirror-dockerhub: log in to Docker Hub

Monday'"'"'s CI outage may have been the anonymous pull rate limit: the
mirror now pulls as acmeci (token in /etc/registry/dockerhub.env).'

# ---- 2026-04-21: the fix --------------------------------------------------------------
sed -i 's/^    image: registry:2$/    image: registry:2.8.3/' "$repo/$H/docker-compose.yml"
[[ $(grep -c 'image: registry:2.8.3$' "$repo/$H/docker-compose.yml") == 6 ]]
gc_crond '' \
    '# Weekly garbage collection of the private registry: Sunday 03:25 (the host runs in UTC).' \
    '# Runs inside the registry container, while it serves. No --delete-untagged: on' \
    '# Distribution 2.x it deletes the platform images of multi-platform indexes' \
    '# (distribution/distribution#3004, #3178; post-mortem 2026-04).'
cat >>"$repo/$H/crontab" <<'EOF'
# probe: does infra-ci:latest still resolve? (post-mortem 2026-04)
*/15 * * * * skopeo inspect --raw docker://registry.example.internal/infra-ci:latest > /dev/null
EOF
commit '2026-04-21 13:22:00' "$MARA" 'fix: stop -m on 2.x GC, pin registry, probe infra-ci

garbage-collect --delete-untagged in Distribution 2.x treats the untagged
children of a tagged index as garbage (distribution/distribution#3004,
#3178; fixed in 3.0 by #4285): infra-ci:latest kept resolving while its
platform images were deleted, and every pipeline failed on 2026-04-13 and
2026-04-19.

- registry-gc: no --delete-untagged
- pin registry:2.8.3 on the six services: registry:2 floated, so the GC
  code in effect was not known
- probe infra-ci:latest every 15 minutes'

g fsck --strict --no-progress >/dev/null
g bundle create -q "$work/config.bundle" HEAD main
g bundle verify -q "$work/config.bundle" >/dev/null 2>&1
mv "$work/config.bundle" "$out/config.bundle"

echo "config.bundle: $(sha256sum "$out/config.bundle" | cut -d' ' -f1)"
printf '  %s\n' "${COMMITS[@]}"

# ---- pipelines.json: Woodpecker's pipeline history around the first outage ----------
# All of it ran on the 2026-04-09 commit, main's head from 2026-04-09 to 2026-04-15.
head_0409=
for c in "${COMMITS[@]}"; do
    [[ "$c" == *" 2026-04-09 "* ]] && head_0409=${c%% *}
done
HEAD_0409=$head_0409 python3 - "$out/pipelines.json" <<'EOF'
import json, os, sys
from datetime import datetime, timezone

HEAD = os.environ["HEAD_0409"]
def t(s):  # "2026-04-13 06:02:09" (UTC) -> epoch seconds
    return int(datetime.strptime(s, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc).timestamp())

PULL_ERR = ("image can't be pulled: registry.example.internal/infra-ci:latest: "
            "Error response from daemon: manifest unknown: manifest unknown")
AGENTS = {"linux/amd64": 1, "linux/arm64": 2}
ids = {"step": 80000, "wf": 30000}

def hms(base, add):  # "HH:MM:SS" + add seconds
    h, m, s = map(int, base.split(":"))
    x = h * 3600 + m * 60 + s + add
    return f"{x // 3600:02d}:{x // 60 % 60:02d}:{x % 60:02d}"

def step(name, typ, start, end, state="success", error=None, code=0):
    s = {"name": name, "type": typ, "state": state, "exit_code": code,
         "start_time": t(start), "end_time": t(end)}
    if error:
        s["error"] = error
    return s

def workflow(name, platform, start, end, steps, state="success"):
    return {"name": name, "state": state, "started": t(start), "finished": t(end),
            "platform": platform, "agent_id": AGENTS[platform], "children": steps}

def clone(day, start, end):
    return step("clone", "clone", f"{day} {start}", f"{day} {end}")

def pipeline(number, event, status, created, started, finished, workflows,
             sender, author="", parent=0, variables=None):
    day = created[:10]
    cron = event == "cron"
    p = {"id": 4000 + number, "number": number, "parent": parent, "event": event,
         "status": status, "errors": None,
         "created": t(created), "started": t(started), "finished": t(finished),
         "deploy_to": "", "commit": HEAD, "branch": "main",
         "ref": "refs/heads/main" if cron else "main", "refspec": "",
         "message": sender if cron else "MANUAL PIPELINE @ main",
         "timestamp": t(created), "sender": sender, "author": author,
         "forge_url": f"https://git.example.internal/ops/infra-config/commit/{HEAD}"}
    if variables:
        p["variables"] = variables
    pid = 0
    for w in workflows:
        pid += 1
        ids["wf"] += 1
        w = dict({"id": ids["wf"], "pipeline_id": p["id"], "pid": pid}, **w)
        wpid = pid
        kids = []
        for s in w["children"]:
            pid += 1
            ids["step"] += 1
            kids.append(dict({"id": ids["step"], "pipeline_id": p["id"], "pid": pid,
                              "ppid": wpid}, **s))
        w["children"] = kids
        p.setdefault("workflows", []).append(w)
    return p

def lint_deploy(day, start, lint_end, deploy_end, fail=False):
    """The lint (arm64) and deploy (amd64) workflows; start = clone start (HH:MM:SS)."""
    c_end, s_start = hms(start, 2), hms(start, 2)
    state = "failure" if fail else "success"
    err = PULL_ERR if fail else None
    code = 126 if fail else 0
    return [
        workflow("lint", "linux/arm64", f"{day} {start}", f"{day} {lint_end}",
                 [clone(day, start, c_end),
                  step("lint", "commands", f"{day} {s_start}", f"{day} {lint_end}",
                       state, err, code)], state),
        workflow("deploy", "linux/amd64", f"{day} {start}", f"{day} {deploy_end}",
                 [clone(day, start, c_end),
                  step("deploy", "commands", f"{day} {s_start}", f"{day} {deploy_end}",
                       state, err, code)], state),
    ]

def infra_ci(day, start, push_end):
    return [workflow("infra-ci", "linux/amd64", f"{day} {start}", f"{day} {push_end}",
                     [clone(day, start, hms(start, 3)),
                      step("build-push", "plugin", f"{day} {hms(start, 4)}",
                           f"{day} {push_end}")])]

D11, D13, D14 = "2026-04-11", "2026-04-13", "2026-04-14"
ps = [
    # Saturday: the weekly build pushes infra-ci:latest (index and children) at 07:45:21
    pipeline(311, "cron", "success", f"{D11} 07:30:00", f"{D11} 07:30:04", f"{D11} 07:45:34",
             infra_ci(D11, "07:30:04", "07:45:33"), "infra-ci-weekly"),
    # and lint/deploy pull it fine
    pipeline(312, "manual", "success", f"{D11} 08:04:51", f"{D11} 08:05:00", f"{D11} 08:06:21",
             lint_deploy(D11, "08:05:00", "08:05:37", "08:06:21"), "mara", "mara"),
    # Sunday 03:25: garbage-collect --delete-untagged. Monday:
    pipeline(313, "cron", "failure", f"{D13} 06:00:00", f"{D13} 06:02:09", f"{D13} 06:02:12",
             lint_deploy(D13, "06:02:09", "06:02:12", "06:02:12", True), "morning"),
    pipeline(314, "cron", "failure", f"{D13} 06:41:17", f"{D13} 06:41:19", f"{D13} 06:41:22",
             lint_deploy(D13, "06:41:19", "06:41:22", "06:41:22", True), "morning", "mara",
             parent=313),
    pipeline(315, "manual", "failure", f"{D13} 07:18:42", f"{D13} 07:18:45", f"{D13} 07:18:48",
             lint_deploy(D13, "07:18:45", "07:18:48", "07:18:48", True), "tomas", "tomas"),
    pipeline(316, "manual", "failure", f"{D13} 08:02:04", f"{D13} 08:02:06", f"{D13} 08:02:10",
             lint_deploy(D13, "08:02:06", "08:02:10", "08:02:10", True), "tomas", "tomas"),
    # the repair: rebuild and push infra-ci:latest by hand
    pipeline(317, "manual", "success", f"{D13} 09:02:30", f"{D13} 09:02:33", f"{D13} 09:10:06",
             infra_ci(D13, "09:02:33", "09:10:05"), "mara", "mara",
             variables={"REBUILD_INFRA_CI": "yes"}),
    pipeline(318, "manual", "success", f"{D13} 09:12:40", f"{D13} 09:12:43", f"{D13} 09:14:02",
             lint_deploy(D13, "09:12:43", "09:13:19", "09:14:02"), "mara", "mara"),
    pipeline(319, "cron", "success", f"{D14} 06:00:00", f"{D14} 06:00:03", f"{D14} 06:01:29",
             lint_deploy(D14, "06:00:03", "06:00:41", "06:01:29"), "morning"),
]
ps.sort(key=lambda p: -p["number"])  # newest first, as the API lists them
with open(sys.argv[1], "w") as f:
    json.dump(ps, f, indent=2)
    f.write("\n")
EOF
echo "pipelines.json: $(sha256sum "$out/pipelines.json" | cut -d' ' -f1)"

# ---- README.md: this script's section (make-sample.sh writes the rest) ----------------
# Replaced between its markers, or appended: rerun this script after make-sample.sh.
readme_section() {
    local c id when
    cat <<'EOF'
<!-- make-config-repo.sh: begin (generated; edit samples/make-config-repo.sh) -->
## Config repository, CI history and registry log (`samples/make-config-repo.sh`)

What the operators had besides the storage: the git repository of host and pipeline
configs, Woodpecker's pipeline history, and the registry's own log. Made by
`bash samples/make-config-repo.sh --logs` (without `--logs` it leaves
`registry-access.log` alone and needs neither the registry nor skopeo).

| when (UTC) | what |
| --- | --- |
| 2026-03-02 10:12 | config repo, first commit: `docker-compose.yml` with six registry services on `image: registry:2` (floating), root's `crontab` (`cleanup-tags.sh` daily 02:00, backup 00:30), the Woodpecker pipelines |
| 2026-03-09 14:05 | the backup moves to `registry-backup.timer` (`OnCalendar=*-*-* 00:30:00`, `Persistent=true`); its crontab line is commented out |
| 2026-03-20 16:40 | "registry: weekly garbage-collect": `etc/cron.d/registry-gc`, Sunday 03:25, `docker exec registry registry garbage-collect /etc/docker/registry/config.yml` |
| 2026-04-03 11:27 | "registry-gc: also remove untagged manifests (disk almost full)": `--delete-untagged` |
| 2026-04-09 09:41 | `cleanup-tags.sh` keeps 14 days, not 3 (its 02:00 run had just pruned `infra-ci:2026-04-05`) |
| 2026-04-11 07:30 | pipeline #311 (cron `infra-ci-weekly`) pushes `infra-ci:latest` (07:45:21) |
| 2026-04-11 08:05 | pipeline #312: lint (arm64) and deploy (amd64) pull it: index, child, config, layers all 200 |
| 2026-04-12 03:25 | GC with `-m` (`gc-2026-04-12.log`) |
| 2026-04-13 06:02 | pipeline #313 (cron `morning`), the first after the GC: index 200, child manifest 404 `manifest unknown`, steps exit 126 |
| 2026-04-13 06:41 / 07:18 / 08:02 | #314 (restart of #313), #315, #316 fail the same way |
| 2026-04-13 08:24-08:28 | an operator checks with skopeo: the tag resolves (200); the platform images do not (404) |
| 2026-04-13 09:02-09:10 | #317 rebuilds and pushes `infra-ci:latest` by hand (`REBUILD_INFRA_CI=yes`): repaired 3 h 08 min after the first failure |
| 2026-04-13 09:12, 2026-04-14 06:00 | #318, #319 succeed |
| 2026-04-15 10:03 | a change that does not fix it: the Docker Hub mirror logs in (rate limits suspected) |
| 2026-04-19 | the second outage (not in these logs) |
| 2026-04-21 13:22 | "fix: stop -m on 2.x GC, pin registry, probe infra-ci": no `--delete-untagged`, `registry:2.8.3` on all six services, a `*/15` `skopeo inspect --raw` probe in root's crontab |

### Files

- `config.bundle`: the config repository ("infra-config", branch `main`), a git bundle:
  `git clone samples/incident-2026-04/config.bundle infra-config`, then
  `regautopsy timeline --config infra-config ...`. Commits with fixed names, e-mails and
  dates (UTC), no signing: the commit ids below are the same with any git; the bundle's
  bytes are the same with the same git version (made with git 2.39). Scheduled jobs in
  three formats: a user crontab (`hosts/registry-vm/crontab`), cron.d
  (`hosts/registry-vm/etc/cron.d/registry-gc`) and a systemd timer with its service
  (`hosts/registry-vm/etc/systemd/system/registry-backup.{timer,service}`); the scripts
  they run are in `hosts/registry-vm/opt/ci/`.
- `pipelines.json`: Woodpecker's pipeline history of that repository, 2026-04-11 to
  2026-04-14, newest first, as its API returns pipelines (`number`, `status`, `event`,
  `created`/`started`/`finished` in epoch seconds, `branch`, `commit`, `message`,
  `sender`, and `workflows[].children[]`, the steps, with `exit_code` and `error`).
  Written by the script (made up, consistent with the log and the storage). Every
  pipeline ran on the 2026-04-09 commit, `main`'s head until 2026-04-15; cron pipelines
  carry the cron's name as message and sender, as Woodpecker does. The history starts
  with the push of 2026-04-11 07:45 because `infra-ci:latest` did not exist in this
  storage before it.
- `registry-access.log`: the private registry's log (logrus text, `log.level: info`, the
  access log disabled, as in the repo's `registry/config.yml`), 45 request lines. REAL:
  the script serves the committed storage with docker-registry 2.8.2 (read-only; the
  2026-04-12 copy for the 04-11 pulls, then, in the same process, the 2026-04-13 copy)
  and makes the requests with skopeo 1.9.3 (`copy` of one platform for a CI pull,
  `inspect` for the operator). Only these were rewritten afterwards: the time (each
  request group moved to its story time, the offsets within a group kept), the client
  address and port (10.20.0.11 the amd64 agent, 10.20.0.12 the arm64 agent, 10.20.5.23
  the operator) and `http.request.host`. Start-up lines are left out. So the user agent
  is skopeo's, and `version=2.8.2+ds1` is the Debian registry that served the requests
  (the story's `registry:2` would have been 2.8.3). Request ids and timings change on
  each run.

### Commits in `config.bundle`

| commit | date (UTC) | subject |
| --- | --- | --- |
EOF
    for c in "${COMMITS[@]}"; do
        id=${c%% *}
        when=${c#* }
        # shellcheck disable=SC2016 # literal backquotes (Markdown)
        printf '| `%s` | %s | %s |\n' "$id" "$when" "$(g log -1 --format=%s "$id")"
    done
    echo '<!-- make-config-repo.sh: end -->'
}
readme_section >"$work/section.md"
touch "$out/README.md"
python3 - "$out/README.md" "$work/section.md" <<'EOF'
import re, sys
path, sec = sys.argv[1], open(sys.argv[2]).read()
text = open(path).read()
pat = re.compile(r"<!-- make-config-repo\.sh: begin.*?<!-- make-config-repo\.sh: end -->\n", re.S)
if pat.search(text):
    text = pat.sub(lambda m: sec, text, count=1)
else:
    text = text.rstrip("\n") + "\n\n" + sec if text.strip() else sec
open(path, "w").write(text)
EOF

$logs || exit 0

# ---- registry-access.log: real requests, re-dated ------------------------------------
for t in docker-registry skopeo tar; do
    command -v "$t" >/dev/null || { echo "make-config-repo: $t is required for --logs" >&2; exit 1; }
done
# shellcheck source=../scripts/registry-lib.sh source-path=SCRIPTDIR
. "$src/scripts/registry-lib.sh"
_rl_state
snap1=$out/registry-2026-04-12T0100Z.tar.gz
snap2=$out/registry-2026-04-13T0100Z.tar.gz
top=$work/root
store=$top/var/lib/registry
raw=$work/registry.raw.log
sessions=$work/sessions.tsv
: >"$sessions"
mkdir -p "$top"
tar -C "$top" -xzf "$snap1"

REG_PORT=$(_rl_free_port)
REG_CONFIG=$REG_STATE/config-logs.yml
cat >"$REG_CONFIG" <<EOF
version: 0.1
log:
  level: info
  formatter: text
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: "$store"
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
    readonly:
      enabled: true
http:
  addr: 127.0.0.1:$REG_PORT
EOF
docker-registry serve "$REG_CONFIG" >"$raw" 2>&1 &
REG_PID=$!
export REG_PORT REG_PID
for _ in $(seq 1 150); do
    _rl_probe "$REG_PORT" && break
    kill -0 "$REG_PID" 2>/dev/null || { cat "$raw" >&2; exit 1; }
    sleep 0.1
done
_rl_probe "$REG_PORT"
sleep 0.3
ref=docker://127.0.0.1:$REG_PORT/infra-ci
amd64=(--override-os linux --override-arch amd64)
arm64=(--override-os linux --override-arch arm64 --override-variant v8)
child_amd64=sha256:73af0327d64073e6c559e87a149b95d298e958f6bd6ea424cc7a4313a761fb26
child_arm64=sha256:c1cc746af72dbfcfbcf2839de36fa4613a6bfa5fe87de5c2336384c6197fea31

# session 'YYYY-MM-DDTHH:MM:SS.fffZ' CLIENT-IP ok|fail CMD...: run CMD (a skopeo
# request), check its outcome, and note which bytes of the registry's log it made.
session() {
    local when=$1 ip=$2 want=$3 from to rc=0
    shift 3
    sleep 0.2
    from=$(stat -c %s "$raw")
    "$@" >/dev/null 2>"$work/skopeo.err" || rc=$?
    sleep 0.3
    to=$(stat -c %s "$raw")
    if [[ $want == ok && $rc != 0 || $want == fail && $rc == 0 ]]; then
        echo "make-config-repo: expected $want, got exit $rc: $*" >&2
        cat "$work/skopeo.err" >&2
        exit 1
    fi
    printf '%s\t%s\t%s\t%s\n' "$when" "$ip" "$from" "$to" >>"$sessions"
}
pull() { rm -rf "$work/pulled" && _rl_skopeo "$@" copy -q --src-tls-verify=false "$ref:latest" "dir:$work/pulled"; }
inspect() { # [--override-X V]... INSPECT-ARGS...
    local o=()
    while [[ "$1" == --override-* ]]; do
        o+=("$1" "$2")
        shift 2
    done
    _rl_skopeo "${o[@]}" inspect --tls-verify=false "$@"
}

AMD=10.20.0.11 ARM=10.20.0.12 OPS=10.20.5.23
# 2026-04-11, storage as in the 04-12 01:00 copy: pipeline #312 pulls the new latest
session 2026-04-11T08:05:02.318Z $AMD ok pull "${amd64[@]}"
session 2026-04-11T08:05:02.904Z $ARM ok pull "${arm64[@]}"
# Sunday's GC: the storage becomes that of the 04-13 01:00 copy (same registry process)
rm -rf "${top:?}/var"
tar -C "$top" -xzf "$snap2"
# 2026-04-13: pipelines #313 (cron), #314 (its restart), #315, #316 (by hand)
session 2026-04-13T06:02:11.127Z $AMD fail pull "${amd64[@]}"
session 2026-04-13T06:02:11.452Z $ARM fail pull "${arm64[@]}"
session 2026-04-13T06:41:21.263Z $AMD fail pull "${amd64[@]}"
session 2026-04-13T06:41:21.701Z $ARM fail pull "${arm64[@]}"
session 2026-04-13T07:18:47.085Z $AMD fail pull "${amd64[@]}"
session 2026-04-13T07:18:47.530Z $ARM fail pull "${arm64[@]}"
session 2026-04-13T08:02:08.141Z $AMD fail pull "${amd64[@]}"
session 2026-04-13T08:02:08.577Z $ARM fail pull "${arm64[@]}"
# an operator looks: the tag resolves, the platform images do not
session 2026-04-13T08:24:31.512Z $OPS ok inspect --raw "$ref:latest"
session 2026-04-13T08:25:03.208Z $OPS fail inspect "${amd64[@]}" "$ref:latest"
session 2026-04-13T08:27:40.660Z $OPS fail inspect --raw "$ref@$child_amd64"
session 2026-04-13T08:28:12.090Z $OPS fail inspect --raw "$ref@$child_arm64"
reg_stop

python3 - "$raw" "$sessions" "$REG_PORT" "$out/registry-access.log" <<'EOF'
"""Re-date the registry's log lines, session by session: a line's new time is the
session's story time plus the line's offset from the session's first line (sub-second
timings kept). Client addresses become the story's (one port per connection), the
Host the registry's name. Only request lines are kept (not the start-up lines)."""
import re, sys
from datetime import datetime, timezone

raw, sessions, port, out = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
data = open(raw, "rb").read()
TIME = re.compile(r'^time="(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z"')

def ns(stamp, frac):
    t = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    return int(t.timestamp()) * 10**9 + int((frac or "0").ljust(9, "0")[:9])

def rfc3339nano(n):  # as Go's time.RFC3339Nano: trailing zeros of the fraction dropped
    s, f = divmod(n, 10**9)
    base = datetime.fromtimestamp(s, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    frac = f"{f:09d}".rstrip("0")
    return base + ("." + frac if frac else "") + "Z"

lines = []
for k, row in enumerate(open(sessions)):
    when, ip, a, b = row.rstrip("\n").split("\t")
    story = ns(when[:19], when[20:-1])
    chunk = [l for l in data[int(a):int(b)].decode().splitlines()
             if 'msg="response completed' in l]
    assert chunk, f"session {when}: no request logged"
    t0 = None
    ports = {}
    for l in chunk:
        m = TIME.match(l)
        t = ns(m.group(1), m.group(2))
        t0 = t if t0 is None else t0
        new = story + (t - t0) + t0 % 10**6  # the first line keeps its sub-millisecond digits
        l = TIME.sub(f'time="{rfc3339nano(new)}"', l, count=1)
        def addr(m):
            p = ports.setdefault(m.group(1), 40000 + (k * 2711 + 17 * len(ports)) % 20000)
            return f'http.request.remoteaddr="{ip}:{p}"'
        l = re.sub(r'http\.request\.remoteaddr="127\.0\.0\.1:(\d+)"', addr, l)
        l = l.replace(f'http.request.host="127.0.0.1:{port}"',
                      'http.request.host=registry.example.internal')
        assert "127.0.0.1" not in l, l
        lines.append((new, l))
lines.sort(key=lambda x: x[0])
with open(out, "w") as f:
    for _, l in lines:
        f.write(l + "\n")
print(f"registry-access.log: {len(lines)} lines")
EOF
