#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# End to end: `regautopsy jobs` on a config repository that this test builds with git
# and dated commits. Its history:
#
#   2026-03-01 10:00  crontab: GC `0 3 * * 0 docker exec registry registry garbage-collect
#                     /etc/...`; docker-compose.yml `image: registry:2` (floating)
#   2026-03-10 09:00  cron.d (user field): `0 2 * * * root /opt/ci/cleanup-tags.sh`, the
#                     script in the repo `rm -rf`s .../_manifests/tags/$t (keeps newest 3)
#   2026-03-15 12:00  GC schedule -> `25 3 * * 0`
#   2026-03-20 16:40  systemd timer `OnCalendar=*-*-* 00:30:00` + service (rsync backup)
#   2026-03-25 08:15  Kubernetes CronJob `0 2 * * *`, `timeZone: Europe/London` (restic
#                     backup); k8s/broken.yaml that does not parse
#   2026-04-01 11:27  GC gets `-m`
#
# and checks with `jobs --json -` each job's kind, flags, definition, versions, the
# registry image, and every firing in windows around the changes and the DST switches
# (Europe/London 2026-03-29 and 2026-10-25; `--tz Europe/Berlin` for a cron job whose
# time falls in the gap), each tagged with the version in effect.
#
# A second repository moves jobs: lines inserted above the GC line, a same-named-kind
# prune job added above it, a line removed while the GC gains -m, comments added again.
# Each job keeps its identity; every firing in [from, to) names the version in effect and
# the job's line at that version's commit; the jobs list gives the line at HEAD. It also
# holds a CronJob without timeZone (the cluster's UTC, whatever --tz says), crontabs with
# TZ= (the command's environment) and CRON_TZ= (the schedule's zone), fire times checked
# against croniter; examples (docs/, a README's code blocks) listed apart; and a Helm
# chart whose image is resolved from values.yaml. Then bad input.
#
#   bash tests/e2e/jobs_history.sh <regautopsy-binary> <source-dir>
#
# Exit 0 on success; non-zero with a message on failure. Skips (exit 0, "SKIP:") only
# when the tools are absent and CI is unset.
set -uo pipefail
umask 022
export LC_ALL=C TZ=UTC

BIN=${1:?usage: jobs_history.sh <regautopsy-binary> <source-dir>}
SRC=${2:?usage: jobs_history.sh <regautopsy-binary> <source-dir>}
PY=/usr/bin/python3

# shellcheck source=common.bash
. "$SRC/tests/e2e/common.bash"
e2e_begin jobs_history "git python3" git
[[ -d "$SRC" ]] || die "no source dir $SRC"

# git must not read the caller's configuration (signing, hooks, default branch...)
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME=$tmp
export GIT_AUTHOR_NAME="Mara Lindqvist" GIT_AUTHOR_EMAIL=mara@example.invalid
export GIT_COMMITTER_NAME="Mara Lindqvist" GIT_COMMITTER_EMAIL=mara@example.invalid

R=$tmp/config
H=$R/hosts/registry

# ---- the config repository -----------------------------------------------------------
step "build the config repo (git, dated commits)"
git init -q "$R" || die "git init"
mkdir -p "$H/etc/cron.d" "$H/opt/ci" "$H/etc/systemd/system" "$R/k8s"

cat >"$H/crontab" <<'EOF'
# registry VM: root's crontab
SHELL=/bin/sh
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

0 3 * * 0 docker exec registry registry garbage-collect /etc/docker/registry/config.yml
EOF
cat >"$H/docker-compose.yml" <<'EOF'
services:
  registry:
    image: registry:2
    restart: always
    ports:
      - "5000:5000"
    volumes:
      - /var/lib/registry:/var/lib/registry
EOF
C_GC=$(commit "2026-03-01 10:00:00" "registry VM: weekly garbage-collect") || die "commit 1"

cat >"$H/etc/cron.d/registry-cleanup" <<'EOF'
# prune old app tags every night
0 2 * * * root /opt/ci/cleanup-tags.sh >> /var/log/cleanup-tags.log 2>&1
EOF
cat >"$H/opt/ci/cleanup-tags.sh" <<'EOF'
#!/bin/sh
# keep the 3 newest tags of app, remove the others' tag directories
set -eu
ROOT=/var/lib/registry/docker/registry/v2/repositories
for t in $(ls "$ROOT/app/_manifests/tags" | sort -V | head -n -3); do
    rm -rf "$ROOT/app/_manifests/tags/$t"
done
EOF
chmod +x "$H/opt/ci/cleanup-tags.sh"
C_CLEAN=$(commit "2026-03-10 09:00:00" "cleanup-tags: prune app tags nightly") || die "commit 2"

sed -i 's/^0 3 \* \* 0 /25 3 * * 0 /' "$H/crontab"
C_SCHED=$(commit "2026-03-15 12:00:00" "registry-gc: run at 03:25") || die "commit 3"

cat >"$H/etc/systemd/system/registry-backup.timer" <<'EOF'
[Unit]
Description=Nightly copy of the registry volume

[Timer]
OnCalendar=*-*-* 00:30:00

[Install]
WantedBy=timers.target
EOF
cat >"$H/etc/systemd/system/registry-backup.service" <<'EOF'
[Unit]
Description=Copy the registry volume offsite

[Service]
Type=oneshot
ExecStart=/usr/bin/rsync -a --delete /var/lib/registry/ backup.example.internal:/volume1/registry/
EOF
C_TIMER=$(commit "2026-03-20 16:40:00" "backup: nightly rsync of the registry volume") || die "commit 4"

cat >"$R/k8s/registry-backup-cronjob.yaml" <<'EOF'
apiVersion: batch/v1
kind: CronJob
metadata:
  name: registry-offsite-backup
  namespace: registry
spec:
  schedule: "0 2 * * *"
  timeZone: Europe/London
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: restic
              image: restic/restic:0.16.4
              command: ["restic", "backup", "/var/lib/registry"]
EOF
cat >"$R/k8s/broken.yaml" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: broken
data: {unclosed: [1, 2
  key: value
EOF
C_K8S=$(commit "2026-03-25 08:15:00" "k8s: offsite backup at 02:00 London time") || die "commit 5"

sed -i 's#registry garbage-collect /etc#registry garbage-collect -m /etc#' "$H/crontab"
grep -q 'garbage-collect -m /etc/docker/registry/config.yml' "$H/crontab" || die "sed -m"
C_M=$(commit "2026-04-01 11:27:00" "registry-gc: also remove untagged manifests (disk almost full)") ||
    die "commit 6"

# ---- run -----------------------------------------------------------------------------
nfail=0
npass=0
# jobs OUT.json ARGS... : regautopsy jobs --config R ARGS --json -, exit 0, valid JSON
jobs() {
    local out=$1 rc=0
    shift
    "$BIN" jobs --config "$R" "$@" --json - >"$out" 2>"$out.err" || rc=$?
    if [[ $rc != 0 ]] || ! "$PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$out" 2>/dev/null; then
        echo "FAIL: regautopsy jobs $* exited $rc or wrote no JSON on stdout:"
        head -c 2000 "$out.err" | sed 's/^/    /'
        nfail=$((nfail + 1))
        return 1
    fi
    if grep -q 'Sanitizer' "$out.err"; then
        echo "FAIL: regautopsy jobs $*: sanitizer report:"
        head -n 30 "$out.err" | sed 's/^/    /'
        nfail=$((nfail + 1))
        return 1
    fi
}
# check JSON PYTHON-CHECKS: the checks print "ok: ..." or "FAIL: ..." lines
check() {
    C_GC=$C_GC C_CLEAN=$C_CLEAN C_SCHED=$C_SCHED C_TIMER=$C_TIMER C_K8S=$C_K8S C_M=$C_M \
        py_checks "$@"
}

step "jobs --from 2026-03-28T00:00Z --to 2026-04-13T00:00Z (the brief's window)"
J=$tmp/jobs.json
jobs "$J" --from 2026-03-28T00:00Z --to 2026-04-13T00:00Z &&
    check "$J" <<'EOF'
import json, os, sys
from datetime import datetime, timedelta, timezone

d = json.load(open(sys.argv[1]))
E = os.environ
from e2e_checks import done, ok

ok(d.get("schema") == "regautopsy.jobs/1", "schema regautopsy.jobs/1", d.get("schema"))
ok(d.get("commit") == E["C_M"], "commit is HEAD", d.get("commit"))
ok(d.get("shallow") is False, "not shallow", d.get("shallow"))

GC = "crontab:hosts/registry/crontab:registry garbage-collect"
CLEAN = "cron.d:hosts/registry/etc/cron.d/registry-cleanup:cleanup-tags.sh"
TIMER = "systemd:hosts/registry/etc/systemd/system/registry-backup.timer:registry-backup"
K8S = "kubernetes:k8s/registry-backup-cronjob.yaml:registry-offsite-backup"
jobs = {j["id"]: j for j in d.get("jobs", [])}
ok(sorted(jobs) == sorted([GC, CLEAN, TIMER, K8S]), "exactly the 4 jobs", sorted(jobs))

def job(i):
    return jobs.get(i, {})

def versions(i):
    return [(v.get("commit"), v.get("time")) for v in job(i).get("versions", [])]

# the GC job
g = job(GC)
ok(g.get("kind") == "garbage-collect", "GC: kind garbage-collect", g.get("kind"))
ok(g.get("schedule") == "25 3 * * 0", "GC: schedule at HEAD 25 3 * * 0", g.get("schedule"))
ok(g.get("timezone") is None, "GC: no time zone of its own", g.get("timezone"))
ok(g.get("defined_in") == "hosts/registry/crontab:5", "GC: defined_in hosts/registry/crontab:5", g.get("defined_in"))
ok(g.get("command") == "docker exec registry registry garbage-collect -m /etc/docker/registry/config.yml",
   "GC: command at HEAD", g.get("command"))
ok(g.get("flags", {}).get("delete_untagged") is True, "GC: delete_untagged true at HEAD", g.get("flags"))
ok(g.get("flags", {}).get("dry_run") is False, "GC: dry_run false", g.get("flags"))
ok(g.get("flags", {}).get("config") == "/etc/docker/registry/config.yml", "GC: config file", g.get("flags"))
ok(g.get("disabled") is False, "GC: not disabled", g.get("disabled"))
ok(versions(GC) == [(E["C_GC"], "2026-03-01T10:00:00Z"), (E["C_SCHED"], "2026-03-15T12:00:00Z"),
                    (E["C_M"], "2026-04-01T11:27:00Z")],
   "GC: versions = the 3 commits that touched it, with their times", g.get("versions"))
ch = [v.get("change", "") for v in g.get("versions", [])]
ok(len(ch) == 3 and ch[0] == "added", "GC: first version 'added'", ch)
ok(len(ch) == 3 and "schedule" in ch[1] and "0 3 * * 0" in ch[1] and "25 3 * * 0" in ch[1],
   "GC: second version's change names the schedule change, old and new", ch)
ok(len(ch) == 3 and "--delete-untagged" in ch[2] and "schedule" not in ch[2],
   "GC: third version's change names --delete-untagged (and not the schedule)", ch)
ok(all(v.get("author") == "Mara Lindqvist" for v in g.get("versions", [])), "GC: version authors")
ok([v.get("summary") for v in g.get("versions", [])] ==
   ["registry VM: weekly garbage-collect", "registry-gc: run at 03:25",
    "registry-gc: also remove untagged manifests (disk almost full)"], "GC: version summaries")

# the cleanup job (cron.d with a user field) that runs a script of the repo
c = job(CLEAN)
ok(c.get("kind") == "tag-prune", "cleanup: kind tag-prune (followed into the script)", c.get("kind"))
ok(c.get("defined_in") == "hosts/registry/etc/cron.d/registry-cleanup:2", "cleanup: defined_in", c.get("defined_in"))
ok(c.get("schedule") == "0 2 * * *" and c.get("user") == "root", "cleanup: schedule and user field",
   [c.get("schedule"), c.get("user")])
ok(c.get("command") == "/opt/ci/cleanup-tags.sh >> /var/log/cleanup-tags.log 2>&1", "cleanup: command without the user",
   c.get("command"))
ok(c.get("flags", {}).get("keep") == "keeps newest 3", "cleanup: keeps newest 3 (head -n -3)", c.get("flags"))
ok(versions(CLEAN) == [(E["C_CLEAN"], "2026-03-10T09:00:00Z")], "cleanup: one version, added 03-10",
   c.get("versions"))

# the systemd timer
t = job(TIMER)
ok(t.get("kind") == "backup", "timer: kind backup (rsync in the service)", t.get("kind"))
ok(t.get("schedule") == "*-*-* 00:30:00", "timer: OnCalendar kept as written", t.get("schedule"))
ok(t.get("defined_in") == "hosts/registry/etc/systemd/system/registry-backup.timer:5", "timer: defined_in",
   t.get("defined_in"))
ok(t.get("command", "").startswith("/usr/bin/rsync -a --delete /var/lib/registry/"), "timer: ExecStart of its service",
   t.get("command"))
ok(versions(TIMER) == [(E["C_TIMER"], "2026-03-20T16:40:00Z")], "timer: one version", t.get("versions"))
ok((t.get("persistent"), t.get("random_delay"), t.get("warning"), t.get("deployed")) == (False, None, None, None),
   "timer: persistent, random_delay, warning, deployed emitted", t)

# every field docs/jobs.md documents
ok(g.get("classes") == ["garbage-collect"] and g.get("defined_at") == E["C_M"],
   "GC: classes and defined_at (HEAD)", [g.get("classes"), g.get("defined_at")])
ok([(e.get("defined_in"), e.get("class")) for e in g.get("evidence", [])] ==
   [("hosts/registry/crontab:5", "garbage-collect")], "GC: evidence line", g.get("evidence"))
ok(c.get("scripts") == ["hosts/registry/opt/ci/cleanup-tags.sh"] and
   any(e.get("defined_in", "").startswith("hosts/registry/opt/ci/cleanup-tags.sh:") for e in c.get("evidence", [])),
   "cleanup: the script followed and its evidence line", [c.get("scripts"), c.get("evidence")])
ok(all(k in g for k in ("schedule_raw", "command_raw", "cron_file", "warning", "deployed", "persistent",
                        "random_delay")), "GC: the optional fields are present", sorted(g))

# the Kubernetes CronJob in London time
k = job(K8S)
ok(k.get("kind") == "backup", "cronjob: kind backup (restic)", k.get("kind"))
ok(k.get("schedule") == "0 2 * * *" and k.get("timezone") == "Europe/London", "cronjob: schedule and timeZone",
   [k.get("schedule"), k.get("timezone")])
ok(k.get("defined_in") == "k8s/registry-backup-cronjob.yaml:7", "cronjob: defined_in at spec.schedule", k.get("defined_in"))
ok(k.get("command") == "restic backup /var/lib/registry", "cronjob: command", k.get("command"))
ok(versions(K8S) == [(E["C_K8S"], "2026-03-25T08:15:00Z")], "cronjob: one version", k.get("versions"))

# registry image
ri = d.get("registry_images", [])
ok([(r.get("image"), r.get("floating"), r.get("defined_in")) for r in ri] ==
   [("registry:2", True, "hosts/registry/docker-compose.yml:3")], "registry image registry:2, floating, its line", ri)

# the YAML that does not parse is a problem; the CronJob of the same commit is read
pr = d.get("problems", [])
ok(len(pr) == 1 and str(pr[0]).lstrip("'").startswith("k8s/broken.yaml:") and "YAML" in str(pr[0]),
   "unparsable k8s/broken.yaml reported as a problem (and nothing else)", pr)

# every firing in the window, exactly
def at(day, hm):
    return "2026-%s:00Z" % (day + "T" + hm)
want = []
def days(a, b):
    x = datetime(2026, 3, 28, tzinfo=timezone.utc)
    while x < datetime(2026, 4, 13, tzinfo=timezone.utc):
        yield x
        x += timedelta(days=1)
for x in days(None, None):
    md = x.strftime("%m-%d")
    want.append((TIMER, at(md, "00:30"), E["C_TIMER"]))
    want.append((CLEAN, at(md, "02:00"), E["C_CLEAN"]))
    # 02:00 Europe/London: GMT (02:00Z) until the switch on Sunday 2026-03-29 at 01:00Z;
    # 02:00 BST on the switch day itself is 01:00Z, and every day after.
    want.append((K8S, at(md, "02:00" if md == "03-28" else "01:00"), E["C_K8S"]))
want.append((GC, at("03-29", "03:25"), E["C_SCHED"]))   # before -m was added
want.append((GC, at("04-05", "03:25"), E["C_M"]))
want.append((GC, at("04-12", "03:25"), E["C_M"]))
got = [(f.get("job"), f.get("time"), f.get("version")) for f in d.get("firings", [])]
ok(sorted(got) == sorted(want), "firings in the window: exactly %d (job, time, version)" % len(want),
   {"missing": sorted(set(want) - set(got)), "unexpected": sorted(set(got) - set(want))})
ok([g[1] for g in got] == sorted(g[1] for g in got), "firings sorted by time")
gc = [(t, v) for j, t, v in got if j == GC]
ok(gc == [("2026-03-29T03:25:00Z", E["C_SCHED"]), ("2026-04-05T03:25:00Z", E["C_M"]),
          ("2026-04-12T03:25:00Z", E["C_M"])],
   "GC firings: Sundays 03-29 (03-15 version), 04-05 and 04-12 (04-01 version) at 03:25Z", gc)
lon = [t for j, t, v in got if j == K8S and t[:10] in ("2026-03-28", "2026-03-29", "2026-03-30")]
ok(lon == ["2026-03-28T02:00:00Z", "2026-03-29T01:00:00Z", "2026-03-30T01:00:00Z"],
   "London CronJob around the DST switch: 02:00Z, then 01:00Z from the switch day on", lon)
done()
EOF

step "jobs --from 2026-03-01T00:00Z --to 2026-03-16T00:00Z (versions change inside the window)"
J=$tmp/jobs-early.json
jobs "$J" --from 2026-03-01T00:00Z --to 2026-03-16T00:00Z &&
    check "$J" <<'EOF'
import json, os, sys
d = json.load(open(sys.argv[1]))
E = os.environ
GC = "crontab:hosts/registry/crontab:registry garbage-collect"
CLEAN = "cron.d:hosts/registry/etc/cron.d/registry-cleanup:cleanup-tags.sh"
got = [(f.get("job"), f.get("time"), f.get("version")) for f in d.get("firings", [])]
# 2026-03-01 is a Sunday, but the GC job was committed at 10:00, after its 03:00 run;
# on 03-15 it still ran at 03:00 (the schedule changed at 12:00 that day);
# the cleanup job exists from 2026-03-10 09:00 on: first run 03-11 02:00.
want = [(GC, "2026-03-08T03:00:00Z", E["C_GC"]), (GC, "2026-03-15T03:00:00Z", E["C_GC"])]
want += [(CLEAN, "2026-03-%02dT02:00:00Z" % day, E["C_CLEAN"]) for day in range(11, 16)]
if sorted(got) == sorted(want):
    print("ok: early window: no firing before a job was committed; the version in effect at each firing")
else:
    print("FAIL: early window firings; missing %s; unexpected %s" % (sorted(set(want) - set(got)), sorted(set(got) - set(want))))
    sys.exit(1)
EOF

step "jobs --from 2026-10-24T00:00Z --to 2026-10-25T23:00Z (London back to GMT on 10-25)"
J=$tmp/jobs-autumn.json
jobs "$J" --from 2026-10-24T00:00Z --to 2026-10-25T23:00Z &&
    check "$J" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
K8S = "kubernetes:k8s/registry-backup-cronjob.yaml:registry-offsite-backup"
lon = [f.get("time") for f in d.get("firings", []) if f.get("job") == K8S]
# 02:00 BST on 10-24 is 01:00Z; on 10-25 clocks go back at 02:00 BST -> 01:00 GMT,
# 02:00 GMT (once) is 02:00Z
if lon == ["2026-10-24T01:00:00Z", "2026-10-25T02:00:00Z"]:
    print("ok: London CronJob around the autumn switch: 01:00Z, then 02:00Z")
else:
    print("FAIL: London CronJob around 2026-10-25: %s" % lon)
    sys.exit(1)
EOF

step "jobs --tz Europe/Berlin (hosts' zone; the cleanup's 02:00 falls in the 03-29 gap)"
J=$tmp/jobs-berlin.json
jobs "$J" --tz Europe/Berlin --from 2026-03-28T12:00Z --to 2026-03-29T12:00Z &&
    check "$J" <<'EOF'
import json, os, sys
d = json.load(open(sys.argv[1]))
E = os.environ
GC = "crontab:hosts/registry/crontab:registry garbage-collect"
CLEAN = "cron.d:hosts/registry/etc/cron.d/registry-cleanup:cleanup-tags.sh"
TIMER = "systemd:hosts/registry/etc/systemd/system/registry-backup.timer:registry-backup"
K8S = "kubernetes:k8s/registry-backup-cronjob.yaml:registry-offsite-backup"
got = sorted((f.get("time"), f.get("job")) for f in d.get("firings", []))
# Berlin: CET (UTC+1) until 2026-03-29 01:00Z, then CEST (UTC+2); 02:00-03:00 local
# does not exist that day. Debian cron runs a fixed-time job of the gap once at the end
# of the change (03:00 CEST = 01:00Z); 03:25 CEST = 01:25Z; the timer's 00:30 CET =
# 23:30Z the day before. The London CronJob keeps its own zone.
want = sorted([("2026-03-28T23:30:00Z", TIMER), ("2026-03-29T01:00:00Z", CLEAN),
               ("2026-03-29T01:25:00Z", GC), ("2026-03-29T01:00:00Z", K8S)])
if got == want:
    print("ok: --tz Europe/Berlin: cron and timer in Berlin time, the gap's job at the switch, CronJob in London time")
else:
    print("FAIL: --tz Europe/Berlin firings: got %s, want %s" % (got, want))
    sys.exit(1)
EOF

step "text output"
rc=0
"$BIN" jobs --config "$R" >"$tmp/jobs.txt" 2>"$tmp/jobs.txt.err" || rc=$?
if [[ $rc == 0 ]] && grep -q 'registry garbage-collect' "$tmp/jobs.txt" && grep -q 'cleanup-tags.sh' "$tmp/jobs.txt" &&
    grep -q 'registry-offsite-backup' "$tmp/jobs.txt" && grep -q 'registry-backup' "$tmp/jobs.txt" &&
    grep -q 'registry:2' "$tmp/jobs.txt"; then
    npass=$((npass + 1))
    echo "    ok: the table names the 4 jobs and the registry image"
else
    nfail=$((nfail + 1))
    echo "FAIL: jobs (text) exited $rc or misses a job:"
    head -n 40 "$tmp/jobs.txt" "$tmp/jobs.txt.err" | sed 's/^/    /'
fi

# ---- a second repository: lines inserted and removed around jobs ----------------------
step "build a repo whose history moves jobs (lines inserted above, removed, a same-named job added)"
R2=$tmp/moves
git init -q "$R2" || die "git init moves"
C=$R2/hosts/reg/etc/cron.d/registry
mkdir -p "$(dirname "$C")" "$R2/k8s" "$R2/hosts/a" "$R2/hosts/b" "$R2/docs/examples" \
    "$R2/charts/registry/templates"
commit2() {
    git -C "$R2" add -A &&
        GIT_AUTHOR_DATE="$1 +0000" GIT_COMMITTER_DATE="$1 +0000" \
            git -C "$R2" -c commit.gpgsign=false commit -q --no-verify -m "$2" &&
        git -C "$R2" rev-parse HEAD
}
GCL='25 3 * * 0 root docker exec registry registry garbage-collect'
printf '# registry maintenance\n%s /etc/docker/registry/config.yml\n' "$GCL" >"$C"
# a CronJob without timeZone: the controller's zone (UTC), whatever --tz says
cat >"$R2/k8s/probe.yaml" <<'EOF2'
apiVersion: batch/v1
kind: CronJob
metadata: {name: registry-probe}
spec:
  schedule: "0 4 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: probe
              image: curlimages/curl:8.7.1
              command: [curl, -fsS, "http://registry:5000/v2/"]
EOF2
# TZ= is the command's environment; CRON_TZ= (cronie) is the schedule's zone
printf 'TZ=Europe/Berlin\n0 2 * * * /usr/local/bin/backup-a\n' >"$R2/hosts/a/crontab"
printf 'CRON_TZ=Europe/Berlin\n0 2 * * * /usr/local/bin/backup-b\n' >"$R2/hosts/b/crontab"
# examples: never jobs in effect, never the registry image
printf '30 3 * * 0 registry garbage-collect -m /etc/docker/registry/config.yml\n' \
    >"$R2/docs/examples/crontab"
printf '# Registry\n\nPrune like this:\n\n```cron\n0 1 * * * /opt/ci/cleanup-tags.sh\n```\n\n```yaml\nservices:\n  registry:\n    image: registry:2\n```\n' \
    >"$R2/README.md"
# a Helm chart: the image in effect is the one values.yaml gives
printf 'apiVersion: v2\nname: registry\nversion: 0.1.0\nappVersion: "2.8.3"\n' \
    >"$R2/charts/registry/Chart.yaml"
printf 'image:\n  repository: registry\n  tag: "2.8.3"\n' >"$R2/charts/registry/values.yaml"
cat >"$R2/charts/registry/templates/deployment.yaml" <<'EOF2'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-registry
spec:
  template:
    spec:
      containers:
        - name: registry
          image: {{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
EOF2
M1=$(commit2 "2026-05-01 10:00:00" "registry: weekly GC") || die "moves 1"
printf '# registry maintenance\nMAILTO=ops@example.org\n# prune nightly\n0 1 * * * root /opt/ci/prune.sh\n%s /etc/docker/registry/config.yml\n' \
    "$GCL" >"$C"
M2=$(commit2 "2026-05-05 09:00:00" "registry: nightly prune above the GC") || die "moves 2"
printf '# registry maintenance\n# prune nightly\n0 1 * * * root /opt/ci/prune.sh\n%s -m /etc/docker/registry/config.yml\n' \
    "$GCL" >"$C"
M3=$(commit2 "2026-05-08 12:00:00" "registry: GC with -m; no mail") || die "moves 3"
printf '# registry maintenance (see the runbook)\n#\n# prune nightly\n#\n0 1 * * * root /opt/ci/prune.sh\n%s -m /etc/docker/registry/config.yml\n' \
    "$GCL" >"$C"
M4=$(commit2 "2026-05-12 08:00:00" "registry: comments") || die "moves 4"

step "jobs --tz America/New_York --from 2026-05-01T00:00Z --to 2026-05-18T00:00Z on the moved jobs"
J=$tmp/moves.json
rc=0
"$BIN" jobs --config "$R2" --tz America/New_York --from 2026-05-01T00:00Z --to 2026-05-18T00:00Z \
    --json - >"$J" 2>"$J.err" || rc=$?
if [[ $rc != 0 ]] || grep -q Sanitizer "$J.err"; then
    nfail=$((nfail + 1))
    echo "FAIL: jobs on the moves repo exited $rc:"
    head -n 20 "$J.err" | sed 's/^/    /'
else
    M1=$M1 M2=$M2 M3=$M3 M4=$M4 check "$J" <<'EOF2'
import json, os, sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo
from croniter import croniter

d = json.load(open(sys.argv[1]))
E = os.environ
from e2e_checks import done, ok

F = "hosts/reg/etc/cron.d/registry"
GC = "cron.d:%s:registry garbage-collect" % F
PRUNE = "cron.d:%s:prune.sh" % F
PROBE = "kubernetes:k8s/probe.yaml:registry-probe"
A = "crontab:hosts/a/crontab:backup-a"
B = "crontab:hosts/b/crontab:backup-b"
jobs = {j["id"]: j for j in d.get("jobs", [])}
ok(sorted(jobs) == sorted([GC, PRUNE, PROBE, A, B]), "exactly the 5 deployed jobs (no example)", sorted(jobs))

g = jobs.get(GC, {})
ok(g.get("defined_in") == F + ":6" and g.get("defined_at") == E["M4"],
   "GC reported at its line at HEAD: %s:6 @ HEAD" % F, [g.get("defined_in"), g.get("defined_at")])
ok([(v.get("commit"), v.get("defined_in")) for v in g.get("versions", [])] ==
   [(E["M1"], F + ":2"), (E["M3"], F + ":4")],
   "GC: two versions (moves without change are none), each at its line at its commit", g.get("versions"))
p = jobs.get(PRUNE, {})
ok([(v.get("commit"), v.get("defined_in")) for v in p.get("versions", [])] == [(E["M2"], F + ":4")]
   and p.get("defined_in") == F + ":5" and p.get("defined_at") == E["M4"],
   "prune: one version at line 4 of its commit, now at line 5 of HEAD", p)

fs = d.get("firings", [])
got = [(f.get("job"), f.get("time"), f.get("version"), f.get("defined_in")) for f in fs if f.get("job") in (GC, PRUNE)]
want = [(GC, "2026-05-03T03:25:00Z", E["M1"], F + ":2"),
        (GC, "2026-05-10T03:25:00Z", E["M3"], F + ":4"),
        (GC, "2026-05-17T03:25:00Z", E["M3"], F + ":4")]
# prune: 01:00 in the hosts' zone (New York, EDT: 05:00Z), from 05-05 09:00Z on
want += [(PRUNE, "2026-05-%02dT05:00:00Z" % day, E["M2"], F + ":4") for day in range(6, 18)]
# the GC: 03:25 New York = 07:25Z
want = [(j, t.replace("T03:25", "T07:25") if j == GC else t, v, w) for j, t, v, w in want]
ok(sorted(got) == sorted(want), "every firing with the version in effect and its line at that commit (%d)" % len(want),
   {"missing": sorted(set(want) - set(got)), "unexpected": sorted(set(got) - set(want))})

# zones, against croniter: the CronJob in UTC (the cluster's), backup-a in the hosts' zone
# (TZ= is only its environment), backup-b in Berlin (CRON_TZ=)
def oracle(expr, zone, frm, to):
    out, t = [], frm.astimezone(ZoneInfo(zone)) - timedelta(seconds=1)
    while True:
        t = croniter(expr, t).get_next(datetime)
        if t >= to:
            return out
        out.append(t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
frm = datetime(2026, 5, 1, tzinfo=timezone.utc)
to = datetime(2026, 5, 18, tzinfo=timezone.utc)
def times(job):
    return [f.get("time") for f in fs if f.get("job") == job]
start = datetime(2026, 5, 1, 10, tzinfo=timezone.utc)  # the commit that added them
ok(times(PROBE) == oracle("0 4 * * *", "UTC", start, to), "CronJob without timeZone: UTC, as croniter says", times(PROBE))
ok(times(A) == oracle("0 2 * * *", "America/New_York", start, to),
   "TZ=Europe/Berlin crontab: fires in the hosts' zone (croniter, New York)", times(A))
ok(times(B) == oracle("0 2 * * *", "Europe/Berlin", start, to),
   "CRON_TZ=Europe/Berlin crontab: fires in Berlin (croniter)", times(B))
ok(jobs.get(A, {}).get("timezone") is None and "TZ=Europe/Berlin" in (jobs.get(A, {}).get("warning") or ""),
   "TZ= job: no time zone, a warning that says why", jobs.get(A))

ex = d.get("examples", {})
ok(sorted((j.get("defined_in"), j.get("defined_at")) for j in ex.get("jobs", [])) ==
   [("README.md:6", E["M4"]), ("docs/examples/crontab:1", E["M4"])],
   "examples: the README cron block and docs/examples/crontab, listed apart", ex.get("jobs"))
ok([i.get("defined_in") for i in ex.get("registry_images", [])] == ["README.md:12"],
   "examples: the README's registry:2 is an example image", ex.get("registry_images"))
ri = d.get("registry_images", [])
ok([(r.get("image"), r.get("image_raw"), r.get("floating"), r.get("defined_in")) for r in ri
    if r.get("defined_in", "").startswith("charts/registry/templates/")] ==
   [("registry:2.8.3", "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}",
     False, "charts/registry/templates/deployment.yaml:10")],
   "Helm image resolved from values.yaml: registry:2.8.3, pinned, raw kept", ri)
ok(all(not r.get("defined_in", "").startswith(("README", "docs/")) for r in ri),
   "no example image among the registry images in effect", ri)
done()
EOF2
fi

step "text output of the moves repo: every file:line with its commit"
"$BIN" jobs --config "$R2" --tz America/New_York --from 2026-05-10T00:00Z --to 2026-05-11T00:00Z \
    >"$tmp/moves.txt" 2>"$tmp/moves.txt.err" || true
for want in "  defined   hosts/reg/etc/cron.d/registry:6 @ ${M4:0:12}" \
    "  2026-05-10T07:25:00Z  registry garbage-collect  hosts/reg/etc/cron.d/registry:4 @ ${M3:0:12}" \
    "  cleanup-tags.sh [other] 0 1 * * *  README.md:6 @ ${M4:0:12}"; do
    if grep -qxF -- "$want" "$tmp/moves.txt"; then
        npass=$((npass + 1))
        echo "    ok: text has '$want'"
    else
        nfail=$((nfail + 1))
        echo "FAIL: text lacks '$want':"
        head -n 60 "$tmp/moves.txt" | sed 's/^/    /'
    fi
done

step "bad input"
# bad WANT_RC 'STDERR TEXT' ARGS...
bad() {
    local want=$1 text=$2 rc=0
    shift 2
    "$BIN" "$@" >"$tmp/bad.out" 2>"$tmp/bad.err" || rc=$?
    if [[ $rc == "$want" ]] && grep -qF -- "$text" "$tmp/bad.err" && ! grep -q Sanitizer "$tmp/bad.err"; then
        npass=$((npass + 1))
        echo "    ok: regautopsy $* -> exit $rc, '$text'"
    else
        nfail=$((nfail + 1))
        echo "FAIL: regautopsy $* exited $rc (want $want) or stderr lacks '$text':"
        head -n 10 "$tmp/bad.err" | sed 's/^/    /'
    fi
}
mkdir -p "$tmp/not-a-repo/etc/cron.d"
cp "$H/etc/cron.d/registry-cleanup" "$tmp/not-a-repo/etc/cron.d/"
if git -C "$tmp/not-a-repo" rev-parse --git-dir >/dev/null 2>&1; then
    # TMPDIR lies inside a git work tree: the folder is in a repository after all
    echo "    (not checked: $tmp is inside a git work tree, so not-a-repo is in one)"
else
    bad 2 "not a git repository" jobs --config "$tmp/not-a-repo" --json -
    bad 2 "not a git repository" jobs --config "$tmp/not-a-repo" --from 2026-03-28T00:00Z --to 2026-04-13T00:00Z
fi
bad 2 "" jobs --config "$tmp/does-not-exist"
bad 2 "" jobs --config "$R" --from 2026-03-28T00:00Z
bad 2 "" jobs --config "$R" --from not-a-time --to 2026-04-13T00:00Z

e2e_end "the config repo and the JSON outputs"
