#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# End to end: `regautopsy jobs` on a config repository laid out as teams write them, built
# here with git (two dated commits), with one job per scheduler beyond cron and systemd:
#
#   nomad/registry-gc.nomad       Nomad periodic, crons = ["0 25 3 * * 0 *"] (seconds,
#                                 year), time_zone Europe/London, docker task of registry:2.8.3
#                                 with args garbage-collect --delete-untagged (2nd commit:
#                                 crons gets a second entry "0 0 12 * * 3 *")
#   infra/events.tf               EventBridge rule cron(25 3 ? * SUN *) + target whose input
#                                 runs registry garbage-collect -m; a scheduler schedule
#                                 rate(6 hours) running restic (no wall-clock times)
#   cfn/probe.yaml                CloudFormation AWS::Events::Rule cron(0/30 * * * ? *), skopeo
#                                 inspect
#   .github/workflows/prune.yml   on.schedule 15 2 * * *, a run: step with a for loop that
#                                 regctl-deletes tags
#   .gitlab-ci.yml                job gc in scheduled pipelines (rules if
#                                 $CI_PIPELINE_SOURCE == "schedule"): ssh ... garbage-collect -m
#   .woodpecker/cleanup.yml       when event cron (cron: nightly-cleanup): crane ls | xargs
#                                 -I {} crane delete
#   argo/gc.yaml                  Argo CronWorkflow, schedules ["25 3 * * 0", "0 12 * * 3"],
#                                 timezone America/New_York
#   docker-compose.yml            ofelia labels "0 25 3 * * ?" (sh -c '... garbage-collect
#                                 \ continued') and "@every 1h30m"
#   crontab + opt/backup.sh       a backup by what it does: tar -czf
#                                 /mnt/nas/registry-$(date +%F).tar.gz \ (continued) -C /var/lib
#                                 registry, daily 01:00
#
# Checked with `jobs --json -`: every job's id, kind, defined_by, schedule, time zone,
# defined_in, flags; the firings in 2026-04-05..2026-04-20 of every job with wall-clock
# times against python3-croniter (its own translation of each dialect: seconds last,
# '?' as '*', no year), none for the GitLab/Woodpecker jobs (schedule set outside) and
# the interval jobs; the version history of the Nomad job; the text output. Then
# `timeline` on the bundled incident's REAL storage (made with docker-registry 2.8),
# renamed so that its names carry no time: the snapshot named as the backup job names
# its files takes that run's time, the other one the first backup run after its newest
# mtime, each with a note.
#
#   bash tests/e2e/jobs_schedulers.sh <regautopsy-binary> <source-dir>
#
# Exit 0 on success; non-zero with a message on failure. Skips (exit 0, "SKIP:") only
# when the tools are absent and CI is unset.
set -uo pipefail
umask 022
export LC_ALL=C TZ=UTC

BIN=${1:?usage: jobs_schedulers.sh <regautopsy-binary> <source-dir>}
SRC=${2:?usage: jobs_schedulers.sh <regautopsy-binary> <source-dir>}
PY=/usr/bin/python3

# shellcheck source=common.bash
. "$SRC/tests/e2e/common.bash"
e2e_begin jobs_schedulers "git python3 python3-croniter" git
"$PY" -c 'import croniter' 2>/dev/null || {
    [[ -z "${CI:-}" ]] && { echo "SKIP: jobs_schedulers: needs python3-croniter"; exit 0; }
    die "CI is set but python3-croniter is missing"
}

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME=$tmp
export GIT_AUTHOR_NAME="Ines Okafor" GIT_AUTHOR_EMAIL=ines@example.invalid
export GIT_COMMITTER_NAME="Ines Okafor" GIT_COMMITTER_EMAIL=ines@example.invalid

R=$tmp/config

step "build the config repo"
git init -q "$R" || die "git init"
mkdir -p "$R/nomad" "$R/infra" "$R/cfn" "$R/.github/workflows" "$R/.woodpecker" "$R/argo" \
    "$R/opt"
nomad_job() { # $1: the crons list
    cat <<EOF
# registry GC as a Nomad periodic batch job
job "registry-gc" {
  datacenters = ["dc1"]
  type        = "batch"

  periodic {
    crons            = [$1]
    time_zone        = "Europe/London"
    prohibit_overlap = true
  }

  group "gc" {
    task "gc" {
      driver = "docker"
      config {
        image = "registry:2.8.3"
        args  = ["garbage-collect", "--delete-untagged", "/etc/docker/registry/config.yml"]
      }
    }
  }
}
EOF
}
nomad_job '"0 25 3 * * 0 *"' >"$R/nomad/registry-gc.nomad"
cat >"$R/infra/events.tf" <<'EOF'
resource "aws_cloudwatch_event_rule" "gc" {
  name                = "registry-gc-weekly"
  schedule_expression = "cron(25 3 ? * SUN *)"
}

resource "aws_cloudwatch_event_target" "gc" {
  rule  = aws_cloudwatch_event_rule.gc.name
  arn   = aws_ecs_cluster.main.arn
  input = jsonencode({
    containerOverrides = [{
      name    = "registry"
      command = ["registry", "garbage-collect", "-m", "/etc/docker/registry/config.yml"]
    }]
  })
}

resource "aws_scheduler_schedule" "backup" {
  name                         = "registry-offsite"
  schedule_expression          = "rate(6 hours)"
  schedule_expression_timezone = "Europe/Berlin"
  flexible_time_window {
    mode = "OFF"
  }
  target {
    arn   = "arn:aws:ecs:eu-central-1:1:cluster/main"
    input = "{\"command\": [\"restic\", \"-r\", \"s3:s3.example/reg\", \"backup\", \"/var/lib/registry\"]}"
  }
}
EOF
cat >"$R/cfn/probe.yaml" <<'EOF'
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  RegistryProbe:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: cron(0/30 * * * ? *)
      Targets:
        - Id: probe
          Arn: arn:aws:lambda:eu-central-1:1:function:probe
          Input: '{"command": ["skopeo", "inspect", "docker://registry.example.internal/infra-ci:latest"]}'
EOF
cat >"$R/.github/workflows/prune.yml" <<'EOF'
name: prune old tags
on:
  schedule:
    - cron: '15 2 * * *'
  workflow_dispatch: {}
jobs:
  prune:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: prune all but the newest 10
        run: |
          for t in $(regctl tag ls registry.example.internal/infra-ci | head -n -10); do regctl tag delete "registry.example.internal/infra-ci:$t"; done
EOF
cat >"$R/.gitlab-ci.yml" <<'EOF'
stages: [build, maintenance]
build:
  stage: build
  script:
    - docker build -t registry.example.internal/app .
gc:
  stage: maintenance
  rules:
    - if: $CI_PIPELINE_SOURCE == "schedule"
  script:
    - ssh registry-vm 'docker exec registry registry garbage-collect -m /etc/docker/registry/config.yml'
EOF
cat >"$R/.woodpecker/cleanup.yml" <<'EOF'
when:
  - event: cron
    cron: nightly-cleanup
steps:
  cleanup:
    image: alpine
    commands:
      - crane ls registry.example.internal/app | grep -v latest | xargs -I {} crane delete registry.example.internal/app:{}
EOF
cat >"$R/argo/gc.yaml" <<'EOF'
apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata:
  name: registry-gc-argo
spec:
  schedules:
    - "25 3 * * 0"
    - "0 12 * * 3"
  timezone: America/New_York
  workflowSpec:
    entrypoint: gc
    templates:
      - name: gc
        container:
          image: registry:2.8.3
          command: [registry, garbage-collect, /etc/docker/registry/config.yml]
EOF
cat >"$R/docker-compose.yml" <<'EOF'
services:
  registry:
    image: registry:2.8.3
    labels:
      ofelia.job-exec.ofelia-gc.schedule: "0 25 3 * * ?"
      ofelia.job-exec.ofelia-gc.command: "sh -c 'registry garbage-collect --dry-run /etc/docker/registry/config.yml'"
      ofelia.job-exec.ofelia-probe.schedule: "@every 1h30m"
      ofelia.job-exec.ofelia-probe.command: "wget -qO- http://localhost:5000/v2/"
  ofelia:
    image: mcuadros/ofelia:latest
    command: daemon --docker
EOF
cat >"$R/opt/backup.sh" <<'EOF'
#!/bin/sh
# nightly copy of the registry volume to the NAS
set -e
tar -czf "/mnt/nas/registry-$(date +%F).tar.gz" \
    -C /var/lib registry
EOF
printf '# root crontab\n0 1 * * * /opt/backup.sh\n' >"$R/crontab"
C1=$(commit "2026-03-01 10:00:00" "schedulers everywhere") || die "commit 1"
nomad_job '"0 25 3 * * 0 *", "0 0 12 * * 3 *"' >"$R/nomad/registry-gc.nomad"
C2=$(commit "2026-04-08 09:30:00" "nomad: also a midweek GC") || die "commit 2"
# after the window: two lines inserted above the Nomad job and the EventBridge rules; the
# jobs keep their ids and versions, their lines at the head move
for f in nomad/registry-gc.nomad infra/events.tf; do
    { printf '# owned by the platform team\n# see the runbook\n'; cat "$R/$f"; } >"$tmp/moved"
    mv "$tmp/moved" "$R/$f"
done
C3=$(commit "2026-04-21 08:00:00" "comments above the schedulers") || die "commit 3"

npass=0
nfail=0
check() { C1=$C1 C2=$C2 C3=$C3 py_checks "$@"; }

# hosts in Los Angeles: cron and ofelia follow them; Nomad, EventBridge and GitHub run in
# UTC (or their own zone), Argo in its timezone
step "jobs --json - --tz America/Los_Angeles --from 2026-04-05T00:00Z --to 2026-04-20T00:00Z"
J=$tmp/jobs.json
"$BIN" jobs --config "$R" --tz America/Los_Angeles --from 2026-04-05T00:00Z \
    --to 2026-04-20T00:00Z --json - >"$J" ||
    die "jobs exited $?"
check "$J" <<'EOF'
import json, os, sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo
from croniter import croniter

d = json.load(open(sys.argv[1]))
E = os.environ
def ok(cond, what, got=None):
    print(("ok: " if cond else "FAIL: ") + what +
          ("" if cond or got is None else "; got " + json.dumps(got, sort_keys=True)[:800]))

jobs = {j["id"]: j for j in d.get("jobs", [])}
WANT = {
    "nomad:nomad/registry-gc.nomad:registry-gc":
        ("garbage-collect", "nomad", "0 25 3 * * 0 *; 0 0 12 * * 3 *", "Europe/London",
         "nomad/registry-gc.nomad:9"),
    "eventbridge:infra/events.tf:registry-gc-weekly":
        ("garbage-collect", "eventbridge", "cron(25 3 ? * SUN *)", None, "infra/events.tf:5"),
    "eventbridge:infra/events.tf:registry-offsite":
        ("backup", "eventbridge", "rate(6 hours)", "Europe/Berlin", "infra/events.tf:21"),
    "eventbridge:cfn/probe.yaml:RegistryProbe":
        ("probe", "eventbridge", "cron(0/30 * * * ? *)", None, "cfn/probe.yaml:6"),
    "github-actions:.github/workflows/prune.yml:prune old tags":
        ("tag-prune", "github-actions", "15 2 * * *", None, ".github/workflows/prune.yml:4"),
    "gitlab-ci:.gitlab-ci.yml:gc":
        ("garbage-collect", "gitlab-ci", None, None, ".gitlab-ci.yml:6"),
    "woodpecker:.woodpecker/cleanup.yml:nightly-cleanup":
        ("tag-prune", "woodpecker", None, None, ".woodpecker/cleanup.yml:2"),
    "kubernetes:argo/gc.yaml:registry-gc-argo":
        ("garbage-collect", "kubernetes", "25 3 * * 0; 0 12 * * 3", "America/New_York",
         "argo/gc.yaml:7"),
    "ofelia:docker-compose.yml:ofelia-gc":
        ("garbage-collect", "ofelia", "0 25 3 * * ?", None, "docker-compose.yml:5"),
    "ofelia:docker-compose.yml:ofelia-probe":
        ("probe", "ofelia", "@every 1h30m", None, "docker-compose.yml:7"),
    "crontab:crontab:backup.sh":
        ("backup", "crontab", "0 1 * * *", None, "crontab:2"),
}
ok(sorted(jobs) == sorted(WANT), "exactly the %d jobs" % len(WANT), sorted(jobs))
for jid, (kind, by, sched, tz, where) in sorted(WANT.items()):
    j = jobs.get(jid, {})
    got = (j.get("kind"), j.get("defined_by"), j.get("schedule"), j.get("timezone"),
           j.get("defined_in"))
    ok(got == (kind, by, sched, tz, where), "%s: kind, defined_by, schedule, zone, place" % jid,
       got)
g = jobs.get("nomad:nomad/registry-gc.nomad:registry-gc", {})
ok(g.get("flags", {}).get("delete_untagged") is True, "nomad: --delete-untagged", g.get("flags"))
ok(g.get("command") == "registry garbage-collect --delete-untagged /etc/docker/registry/config.yml",
   "nomad: the registry image's args run the registry", g.get("command"))
ok([(v["commit"], v["change"]) for v in g.get("versions", [])] ==
   [(E["C1"], "added"), (E["C2"], "schedule '0 25 3 * * 0 *' -> '0 25 3 * * 0 *; 0 0 12 * * 3 *'")],
   "nomad: two versions, the second changes the schedule", g.get("versions"))
e = jobs.get("eventbridge:infra/events.tf:registry-gc-weekly", {})
ok(e.get("command") == "registry garbage-collect -m /etc/docker/registry/config.yml"
   and e.get("flags", {}).get("delete_untagged") is True, "eventbridge: the target's command",
   [e.get("command"), e.get("flags")])
o = jobs.get("ofelia:docker-compose.yml:ofelia-gc", {})
ok(o.get("flags", {}).get("dry_run") is True, "ofelia: sh -c '...' read (--dry-run)", o.get("flags"))
# identity over history: every job in effect read at the head commit, the moved ones
# without a new version; each version's line at its own commit
ok(all(j.get("defined_at") == E["C3"] for j in jobs.values()), "every job: defined_at the head",
   sorted({j.get("defined_at") for j in jobs.values()}))
ok([(v["commit"], v["defined_in"]) for v in g.get("versions", [])] ==
   [(E["C1"], "nomad/registry-gc.nomad:7"), (E["C2"], "nomad/registry-gc.nomad:7")],
   "nomad: versions at lines 7 of C1 and C2, none for the move", g.get("versions"))
ok([(v["commit"], v["defined_in"]) for v in e.get("versions", [])] ==
   [(E["C1"], "infra/events.tf:3")], "eventbridge: one version, line 3 at C1", e.get("versions"))
vs = {jid: [(v["commit"], v["defined_in"]) for v in j.get("versions", [])]
      for jid, j in jobs.items()}
ok(all(len(v) == 1 and v[0][0] == E["C1"] for jid, v in vs.items()
       if not jid.startswith("nomad:")), "the others: one version each, at C1", vs)
fs = [f for f in d.get("firings", []) if f["job"].startswith(("nomad:", "eventbridge:"))]
ok(fs and all((f["version"], f["defined_in"]) in
              ((E["C1"], "infra/events.tf:3"), (E["C1"], "cfn/probe.yaml:6"),
               (E["C1"], "nomad/registry-gc.nomad:7"), (E["C2"], "nomad/registry-gc.nomad:7"))
              for f in fs), "firings: the version in effect and its line there",
   sorted({(f["version"], f["defined_in"]) for f in fs}))
ok([f["version"] for f in d.get("firings", []) if f["job"].startswith("nomad:")
    and f["time"] > "2026-04-08T09:30:00Z"] == [E["C2"]] * 4,
   "nomad: the 4 firings after C2 are C2's", [f for f in d.get("firings", [])
                                               if f["job"].startswith("nomad:")])
ok((g.get("prohibit_overlap"), jobs.get("crontab:crontab:backup.sh", {}).get("prohibit_overlap"))
   == (True, False), "prohibit_overlap: the Nomad job's, false elsewhere",
   [g.get("prohibit_overlap"), jobs.get("crontab:crontab:backup.sh", {}).get("prohibit_overlap")])
BACKUP_TO = {
    "crontab:crontab:backup.sh": "/mnt/nas/registry-$(date +%F).tar.gz",
    "eventbridge:infra/events.tf:registry-offsite": "s3:s3.example/reg",
    "nomad:nomad/registry-gc.nomad:registry-gc": None,
}
got_to = {jid: jobs.get(jid, {}).get("backup_to", "missing") for jid in BACKUP_TO}
ok(got_to == BACKUP_TO, "backup_to: where each backup writes, null for a GC", got_to)
NO_FIRINGS = {
    "gitlab-ci:.gitlab-ci.yml:gc": "schedule set outside the repository",
    "woodpecker:.woodpecker/cleanup.yml:nightly-cleanup": "schedule set outside the repository",
    "eventbridge:infra/events.tf:registry-offsite": "an interval: no wall-clock times",
    "ofelia:docker-compose.yml:ofelia-probe": "an interval: no wall-clock times",
    "crontab:crontab:backup.sh": None,
}
got_nf = {jid: jobs.get(jid, {}).get("no_firings", "missing") for jid in NO_FIRINGS}
ok(got_nf == NO_FIRINGS, "no_firings: why, for the external schedules and intervals", got_nf)

# firings: croniter, with its own translation of each dialect
FROM = datetime(2026, 4, 5, tzinfo=timezone.utc)
TO = datetime(2026, 4, 20, tzinfo=timezone.utc)
C2T = datetime(2026, 4, 8, 9, 30, tzinfo=timezone.utc)
def fires(expr, zone, start=FROM, end=TO):
    # firings in [start, end): the next after start - 1 s, up to before end
    t = (start - timedelta(seconds=1)).astimezone(ZoneInfo(zone))
    out = []
    it = croniter(expr, t)
    while True:
        n = it.get_next(datetime)
        if n >= end:
            return out
        out.append(n.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
want = {
    # cronexpr "S M H DOM MON DOW YEAR": seconds last for croniter, year '*' dropped
    "nomad:nomad/registry-gc.nomad:registry-gc":
        fires("25 3 * * 0 0", "Europe/London") + fires("0 12 * * 3 0", "Europe/London", C2T),
    # EventBridge "M H DOM MON DOW YEAR", '?' -> '*', SUN kept, year '*' dropped
    "eventbridge:infra/events.tf:registry-gc-weekly": fires("25 3 * * SUN", "UTC"),
    "eventbridge:cfn/probe.yaml:RegistryProbe": fires("0/30 * * * *", "UTC"),
    "github-actions:.github/workflows/prune.yml:prune old tags": fires("15 2 * * *", "UTC"),
    "kubernetes:argo/gc.yaml:registry-gc-argo":
        fires("25 3 * * 0", "America/New_York") + fires("0 12 * * 3", "America/New_York"),
    # robfig "S M H DOM MON DOW" with '?': in the hosts' zone (--tz)
    "ofelia:docker-compose.yml:ofelia-gc": fires("25 3 * * * 0", "America/Los_Angeles"),
    "crontab:crontab:backup.sh": fires("0 1 * * *", "America/Los_Angeles"),
}
got = {}
for f in d.get("firings", []):
    got.setdefault(f["job"], []).append(f["time"])
for jid in sorted(set(want) | set(got)):
    ok(sorted(got.get(jid, [])) == sorted(want.get(jid, [])),
       "%s: %d firings as croniter gives them" % (jid, len(want.get(jid, []))),
       [sorted(got.get(jid, []))[:6], sorted(want.get(jid, []))[:6]])
for jid in ("gitlab-ci:.gitlab-ci.yml:gc", "woodpecker:.woodpecker/cleanup.yml:nightly-cleanup",
            "eventbridge:infra/events.tf:registry-offsite", "ofelia:docker-compose.yml:ofelia-probe"):
    ok(jid not in got, "%s: no wall-clock firings" % jid)
ok(not d.get("problems"), "no problems", d.get("problems"))
EOF

step "jobs (text): a schedule set outside the repository says so"
"$BIN" jobs --config "$R" >"$tmp/jobs.txt" || die "jobs (text) exited $?"
for want in "defined   nomad/registry-gc.nomad:9 @ ${C3:0:12}" \
    "defined   infra/events.tf:5 @ ${C3:0:12}" "defined   .gitlab-ci.yml:6 @ ${C3:0:12}"; do
    if grep -qF -- "$want" "$tmp/jobs.txt"; then
        npass=$((npass + 1)); echo "    ok: text: $want"
    else
        nfail=$((nfail + 1)); echo "FAIL: text: no '$want'"
    fi
done
if grep -A1 '^gc \[garbage-collect\]' "$tmp/jobs.txt" | grep -q 'schedule  (set outside the repository)'; then
    npass=$((npass + 1)); echo "    ok: gitlab job: schedule (set outside the repository)"
else
    nfail=$((nfail + 1)); echo "FAIL: gitlab job's schedule line"; sed 's/^/    /' "$tmp/jobs.txt" | head -40
fi

step "timeline: snapshots whose names carry no time take the backup job's run"
S=$SRC/samples/incident-2026-04
cp "$S/registry-2026-04-12T0100Z.tar.gz" "$tmp/registry-2026-04-12.tar.gz" || die "cp"
cp "$S/registry-2026-04-13T0100Z.tar.gz" "$tmp/nas-copy-b.tar.gz" || die "cp"
"$BIN" timeline -q "$tmp/registry-2026-04-12.tar.gz" "$tmp/nas-copy-b.tar.gz" --config "$R" \
    --format json >"$tmp/timeline.json"
rc=$?
((rc == 1)) || die "timeline exited $rc (want 1: the incident's losses)"
check "$tmp/timeline.json" <<'EOF'
import json, os, sys
d = json.load(open(sys.argv[1]))
def ok(cond, what, got=None):
    print(("ok: " if cond else "FAIL: ") + what +
          ("" if cond or got is None else "; got " + json.dumps(got, sort_keys=True)[:800]))
s = {x["name"]: x for x in d.get("snapshots", [])}
a, b = s.get("registry-2026-04-12.tar.gz", {}), s.get("nas-copy-b.tar.gz", {})
ok((a.get("taken_at"), a.get("taken_at_source")) == ("2026-04-12T01:00:00Z", "backup-job"),
   "the snapshot named as backup.sh names it: that run, 2026-04-12T01:00Z", a)
ok((b.get("taken_at"), b.get("taken_at_source")) == ("2026-04-13T01:00:00Z", "backup-job"),
   "the other: the first backup run after its newest mtime (2026-04-12T03:25:01Z)", b)
notes = d.get("notes", [])
E = os.environ
C1, C3 = E["C1"][:12], E["C3"][:12]
ok(any("registry-2026-04-12.tar.gz" in n and "writes exactly this name" in n and
       "(crontab:2 @ %s)" % C1 in n for n in notes), "a note says the name matched the run", notes)
ok(any("'gc' (.gitlab-ci.yml:6 @ %s) runs on a schedule set outside the repository" % C3 in n
       for n in notes), "a note says the GitLab GC job's runs are not in the timeline", notes)
ok(any("'registry-offsite' (infra/events.tf:21 @ %s) runs at an interval ('rate(6 hours)')" % C3
       in n for n in notes), "a note says the rate() backup's runs are not in the timeline", notes)
ok(any("nas-copy-b.tar.gz" in n and "newest mtime 2026-04-12T03:25:01Z" in n and
       "its first run after that bound" in n for n in notes), "a note gives the bound and the run",
   notes)
EOF

step "done in $((SECONDS - T0))s"
echo "jobs_schedulers: $npass passed, $nfail failed"
((nfail == 0))
