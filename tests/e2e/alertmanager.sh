#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Alerts from the real Alertmanager (Debian's prometheus-alertmanager) in a real
# registry incident. infra-ci:latest (an amd64+arm64 index) loses its children to the
# real docker-registry garbage-collect -m; the config repo had only a `skopeo inspect`
# probe then, and its latest commit adds a `skopeo copy --all` probe. Two alerts go
# through Alertmanager's API: HighCPU (node1, before) and RegistryImageUnpullable
# (repository infra-ci, after the loss); Alertmanager delivers both to a webhook
# receiver. The report is run three times, with each record Alertmanager leaves: the
# webhook payloads, its own --log.level=debug log, the API's alert list saved by
# `amtool alert query -o json` (and curl). Each time Detection's "first alert" line is
# the registry's alert, exactly (HighCPU concerns neither the registry nor infra-ci),
# and the probe action item is committed in the commit that added the copy --all probe;
# HighCPU's delivery alone gives no first alert, and says so.
# With Debian's prometheus installed, the whole chain too: a rule `vector(1) > 0`
# fires RegistryProbeFailing to that Alertmanager, whose delivery alone is a fifth run.
set -euo pipefail
SRC=${2:?usage: alertmanager.sh <regautopsy-binary> <source-dir>}
BIN=$1
PY=/usr/bin/python3
for t in prometheus-alertmanager amtool; do
    if ! command -v "$t" >/dev/null 2>&1 && [[ -z "${CI:-}" ]]; then
        echo "SKIP: alertmanager: needs $t (install: apt-get install prometheus-alertmanager)"
        exit 77
    fi
done
# shellcheck source=common.bash
. "$SRC/tests/e2e/common.bash"
e2e_begin alertmanager "prometheus-alertmanager docker-registry skopeo umoci jq curl git" \
    prometheus-alertmanager amtool docker-registry skopeo umoci jq curl tar gzip git
# shellcheck source=../../scripts/registry-lib.sh source-path=SCRIPTDIR
. "$SRC/scripts/registry-lib.sh"

L=$tmp/oci
live=$tmp/live
store=$live/var/lib/registry
mkdir -p "$store"
MARK=$tmp/marker
SNAP1=registry-2026-04-12T0100Z.tar.gz
SNAP2=registry-2026-04-13T0100Z.tar.gz
AM_PID='' SINK_PID='' PROM_PID=''
stop_am() {
    local pid
    for pid in $PROM_PID $AM_PID $SINK_PID; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    AM_PID='' SINK_PID='' PROM_PID=''
    return 0
}
trap 'stop_am; _e2e_cleanup' EXIT

step "config repo: GC -m Sundays 03:25, an inspect probe; the latest commit adds copy --all"
R=$tmp/config
H=$R/hosts/registry
e2e_cron_repo "$R" "registry: weekly GC -m" <<'EOF2' || die "config repo"
25 3 * * 0 root docker exec registry registry garbage-collect -m /etc/docker/registry/config.yml
EOF2
cat >"$H/crontab" <<'EOF2'
*/15 * * * * skopeo inspect --raw docker://registry.example.internal/infra-ci:latest > /dev/null
EOF2
commit "2026-04-01 11:27:00" "probe: inspect infra-ci:latest" >/dev/null || die "commit 2"
echo '*/15 * * * * skopeo copy --all docker://registry.example.internal/infra-ci:latest dir:/tmp/probe' \
    >>"$H/crontab"
C_PROBE=$(commit "2026-04-20 09:00:00" "probe: copy every platform of infra-ci:latest") ||
    die "commit 3"

step "push infra-ci:latest (amd64 + arm64 index), snapshot, real garbage-collect -m, snapshot"
gc_index_incident "$tmp/$SNAP1"
ref="docker://127.0.0.1:$REG_PORT/infra-ci:latest"
if _rl_skopeo copy -q --all --src-tls-verify=false "$ref" "dir:$tmp/probe" >/dev/null 2>&1; then
    die "skopeo copy --all succeeded after GC -m: the children should be gone"
fi
reg_stop
snap_tar "$live" "$tmp/$SNAP2" || die "snapshot 2"

step "the real Alertmanager on 127.0.0.1, a webhook receiver, two alerts through its API"
"$PY" "$SRC/tests/e2e/webhook_sink.py" "$tmp/sink.port" "$tmp/hook.jsonl" &
SINK_PID=$!
for _ in $(seq 50); do [[ -s $tmp/sink.port ]] && break; sleep 0.1; done
[[ -s $tmp/sink.port ]] || die "the webhook receiver did not start"
cat >"$tmp/am.yml" <<EOF2
route:
  receiver: hook
  group_by: [alertname, repository]
  group_wait: 1s
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: hook
    webhook_configs:
      - url: http://127.0.0.1:$(cat "$tmp/sink.port")/
EOF2
AM_PORT=$(_rl_free_port) || die "no free port"
AM=http://127.0.0.1:$AM_PORT
prometheus-alertmanager --config.file="$tmp/am.yml" --storage.path="$tmp/am-data" \
    --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= \
    --log.level=debug >"$tmp/alertmanager.log" 2>&1 &
AM_PID=$!
for _ in $(seq 100); do curl -fsS -o /dev/null "$AM/-/ready" 2>/dev/null && break; sleep 0.1; done
curl -fsS -o /dev/null "$AM/-/ready" || die "Alertmanager is not ready: $(tail -3 "$tmp/alertmanager.log")"
# post ALERTNAME STARTS_AT LABELS-JSON ANNOTATIONS-JSON, then wait for its delivery
post() {
    local _i
    curl -fsS -XPOST -H 'Content-Type: application/json' "$AM/api/v2/alerts" \
        -d "[{\"labels\":{\"alertname\":\"$1\"$3},\"annotations\":$4,\"startsAt\":\"$2\"}]" ||
        return 1
    for _i in $(seq 100); do
        grep -q "\"alertname\":\"$1\"" "$tmp/hook.jsonl" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "no webhook delivery of $1 in 10 s" >&2
    return 1
}
post HighCPU 2026-04-12T04:00:00Z ',"instance":"node1:9100","severity":"warning"' '{}' ||
    die "HighCPU"
post RegistryImageUnpullable 2026-04-12T05:00:00Z ',"repository":"infra-ci","severity":"page"' \
    '{"summary":"infra-ci:latest cannot be pulled"}' || die "RegistryImageUnpullable"
NAMES='["HighCPU","RegistryImageUnpullable"]'
if command -v prometheus >/dev/null 2>&1; then
    step "the real chain: Prometheus fires a rule (vector(1) > 0) to this Alertmanager"
    cat >"$tmp/rules.yml" <<'EOF2'
groups:
  - name: registry
    rules:
      - alert: RegistryProbeFailing
        expr: vector(1) > 0
        labels: {repository: infra-ci, severity: page}
        annotations: {summary: "skopeo copy --all of infra-ci:latest fails"}
EOF2
    cat >"$tmp/prometheus.yml" <<EOF2
global:
  evaluation_interval: 1s
rule_files: [$tmp/rules.yml]
alerting:
  alertmanagers:
    - static_configs:
        - targets: ['127.0.0.1:$AM_PORT']
EOF2
    PROM_PORT=$(_rl_free_port) || die "no free port"
    # its first send comes before it has found the Alertmanager and is dropped; the
    # next is a resend, 1 min later by default
    prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/prom-data" \
        --web.listen-address="127.0.0.1:$PROM_PORT" --rules.alert.resend-delay=1s \
        >"$tmp/prometheus.log" 2>&1 &
    PROM_PID=$!
    for _i in $(seq 300); do
        grep -q '"alertname":"RegistryProbeFailing"' "$tmp/hook.jsonl" && break
        sleep 0.1
    done
    kill "$PROM_PID" 2>/dev/null || true
    wait "$PROM_PID" 2>/dev/null || true
    grep '"alertname":"RegistryProbeFailing"' "$tmp/hook.jsonl" >"$tmp/prometheus-hook.jsonl" ||
        die "Prometheus's alert did not reach the webhook in 30 s: $(grep -m5 -i 'err\|rule\|alertmanager' "$tmp/prometheus.log")"
    PROM_AT=$(jq -r '.alerts[0].startsAt' "$tmp/prometheus-hook.jsonl" |
        sed -E 's/(\.[0-9]+)?Z$/Z/')
    echo "    Prometheus's alert: RegistryProbeFailing, startsAt $PROM_AT"
    NAMES='["HighCPU","RegistryImageUnpullable","RegistryProbeFailing"]'
fi
curl -fsS "$AM/api/v2/alerts" >"$tmp/api.json" || die "GET /api/v2/alerts"
amtool --alertmanager.url="$AM" alert query -o json >"$tmp/amtool.json" || die "amtool"
stop_am
[[ $(jq -c '[.[].labels.alertname] | sort' "$tmp/amtool.json") == "$NAMES" ]] ||
    die "amtool alert query: $(cat "$tmp/amtool.json")"
[[ $(wc -l <"$tmp/hook.jsonl") == $(jq length <<<"$NAMES") ]] ||
    die "webhook deliveries: $(cat "$tmp/hook.jsonl")"
flush=$(grep -n 'msg=flushing alerts=.*RegistryImageUnpullable\[[0-9a-f]*\]\[active\]' \
    "$tmp/alertmanager.log" | head -1) || die "no flushing line: $(cat "$tmp/alertmanager.log")"
echo "    Alertmanager's line: ${flush#*:}"
FLUSH_LINE=${flush%%:*}
FLUSH_TS=$(sed -E 's/^[0-9]+:ts=([0-9T:-]+)(\.[0-9]+)?Z.*/\1Z/' <<<"$flush")

step "regautopsy report with each record: the first alert, the probe item"
START=2026-04-12T03:25:00Z # the start: the GC -m job fired (Sunday 03:25), mtimes 03:25:01
# span FROM TO: the report's words for the time between two RFC 3339 times
span() {
    "$PY" - "$1" "$2" <<'EOF2'
import datetime, sys
t = [datetime.datetime.fromisoformat(a.replace("Z", "+00:00")) for a in sys.argv[1:]]
s = int((t[1] - t[0]).total_seconds())
d, h, m = s // 86400, s % 86400 // 3600, s % 3600 // 60
print(" ".join(f"{v} {u}" for v, u in ((d, "d"), (h, "h"), (m, "min")) if v) if s >= 60 else f"{s} s")
EOF2
}
# committed on the 20th, after the unchanged GC -m ran again on the 19th (Sunday 03:25)
PROBE_ROW="committed in ${C_PROBE:0:12} (2026-04-20), after registry garbage-collect ran again on 2026-04-19; deployment not verified by the evidence |"
run() { # LOG EXPECTED-FIRST-ALERT-LINE FORMAT
    local rc=0 got row
    (cd "$tmp" && "$BIN" report -q --config "$R" --log "$1" --json "$1.model.json" \
        "$SNAP1" "$SNAP2" >"$1.md") || rc=$?
    [[ $rc == 1 ]] || die "report --log $1: exit $rc, want 1"
    [[ $(jq -r ".inputs.logs[0].format" "$tmp/$1.model.json") == "$3" ]] ||
        die "$1: format $(jq -r '.inputs.logs[0].format' "$tmp/$1.model.json"), want $3"
    got=$(grep -F -- '  - the first alert:' "$tmp/$1.md") || die "$1: no first-alert line"
    [[ $got == "$2" ]] || die "$1: first alert line
  got:  $got
  want: $2"
    row=$(grep -F '| Probe fetchability after every push and on a schedule |' "$tmp/$1.md") ||
        die "$1: no probe action item"
    [[ $row == *"| $PROBE_ROW" ]] || die "$1: probe action item: $row"
    echo "    $1 ($3): $got"
}
A="alert RegistryImageUnpullable (page)"
run hook.jsonl "  - the first alert: $(span $START 2026-04-12T05:00:00Z) ($A at 2026-04-12T05:00:00Z, hook.jsonl:2)." alertmanager
run alertmanager.log "  - the first alert: $(span $START "$FLUSH_TS") (alert RegistryImageUnpullable at $FLUSH_TS, alertmanager.log:$FLUSH_LINE)." alertmanager_log
run amtool.json "  - the first alert: $(span $START 2026-04-12T05:00:00Z) ($A at 2026-04-12T05:00:00Z, amtool.json:1)." alertmanager_api
run api.json "  - the first alert: $(span $START 2026-04-12T05:00:00Z) ($A at 2026-04-12T05:00:00Z, api.json:1)." alertmanager_api
# HighCPU alone: an alert fired after the loss, but about something else
grep '"alertname":"HighCPU"' "$tmp/hook.jsonl" >"$tmp/highcpu.jsonl" || die "no HighCPU delivery"
run highcpu.jsonl "  - the first alert: no alert about the registry or a lost repository in the evidence (1 alert from the loss on named neither)." alertmanager
# ... and it has no row and no place in the diagram: the Timeline's sentence counts it
tl=$(awk '/^## Timeline/{t=1;next} /^## /{t=0} t' "$tmp/highcpu.jsonl.md")
[[ $tl != *HighCPU* ]] || die "highcpu: the unrelated alert is in the Timeline: $(grep -n HighCPU <<<"$tl")"
[[ $tl == *"; 1 alert that concerns neither the registry nor a lost repository."* ]] ||
    die "highcpu: the Timeline's sentence does not count the unrelated alert"
n=5
if [[ -n ${PROM_AT:-} ]]; then
    run prometheus-hook.jsonl "  - the first alert: $(span $START "$PROM_AT") (alert RegistryProbeFailing (page) at $PROM_AT, prometheus-hook.jsonl:1)." alertmanager
    n=6
fi
e2e_end "the work directory" "$n reports checked, each with its first alert and the probe item"
