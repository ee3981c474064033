# SPDX-License-Identifier: MIT
# Checks of tests/e2e/api_delete.sh on regautopsy's JSON: api_delete_check.py MODE FILE,
# the story's facts in the environment (digests, the log and its DELETE lines, names).
# Prints "ok: ..." and "FAIL: ..." lines; exits 1 when something failed.
import json
import os
import sys

from e2e_checks import done, ok

E = os.environ
mode, path = sys.argv[1:3]
d = json.load(open(path))
A, B_OWN, LOG = E["A"], E["B_OWN"], E["LOG"]
AT_A = "%s:%s" % (LOG, E["DEL_A"])
AT_B = "%s:%s" % (LOG, E["DEL_B"])
URI_A = "/v2/app/manifests/" + A
URI_B = "/v2/app/blobs/" + B_OWN


def fps(loss):
    return [f.get("name") for f in loss.get("fingerprints", [])]


def detail(loss, name):
    return next((f.get("detail") or "" for f in loss.get("fingerprints", []) if f.get("name") == name), "")


def sus(loss):
    return [(s.get("job"), s.get("kind"), s.get("confidence")) for s in loss.get("suspects", [])]


def in_window(t):
    return t is not None and E["T_SNAP1"] < t <= E["T_SNAP2"]


def timeline_losses():
    losses = d.get("losses", [])
    got = sorted((l.get("object"), l.get("repository"), l.get("tag") or l.get("digest")) for l in losses)
    ok(got == sorted([("tag", "app", "1.0"), ("tag", "app", "stable"), ("layer_link", "app", B_OWN)]),
       "losses: tags app:1.0 and app:stable, app's _layers link to B's own layer", got)
    tags = [l for l in losses if l.get("object") == "tag"]
    link = next((l for l in losses if l.get("object") == "layer_link"), {})
    for l in tags:
        w = l.get("window", {})
        ok(((w.get("from") or {}).get("evidence"), (w.get("to") or {}).get("evidence")) == (E["SNAP1"], E["SNAP2"]),
           "app:%s: window (snapshot 1, snapshot 2]" % l.get("tag"), w)
    return tags, link


def request_ok(s, at, uri, what):
    r = s.get("request") or {}
    ok(s.get("kind") == "api-delete" and s.get("confidence") == "high", what + ": kind api-delete, high", s)
    ok(s.get("defined_in") == at and s.get("name") == "DELETE " + uri, what + ": cites " + at, s)
    ok((r.get("log"), "%s:%s" % (r.get("log"), r.get("line")), r.get("method"), r.get("uri"), r.get("status")) ==
       (LOG, at, "DELETE", uri, 202), what + ": the request as logged", r)
    ok((r.get("remote_addr") or "").startswith("127.0.0.1:") and (r.get("user_agent") or "").startswith("curl/")
       and r.get("user") is None, what + ": remote address 127.0.0.1:port, agent curl, no user (2.8.2 logs none)", r)
    ok(in_window(s.get("fired_at")) and s.get("fired_at") == r.get("time"),
       what + ": its time inside the window", [s.get("fired_at"), E["T_SNAP1"], E["T_SNAP2"]])


def timeline_log():
    tags, link = timeline_losses()
    for l in tags:
        name = "app:%s" % l.get("tag")
        ok(fps(l) == ["api_delete"], name + ": fingerprint api_delete only (tag_prune does not claim it)", fps(l))
        dt = detail(l, "api_delete")
        ok(dt.startswith("%s: DELETE %s answered 202 at " % (AT_A, URI_A)) and "(from 127.0.0.1:" in dt
           and "no user logged" in dt, name + ": api_delete cites the log line", dt)
        ss = l.get("suspects", [])
        ok(sus(l) == [("api-delete:" + AT_A, "api-delete", "high"), (E["CLEANJOB"], "tag-prune", "low")],
           name + ": suspects the DELETE (high), then the cleanup job (low)", sus(l))
        if ss:
            request_ok(ss[0], AT_A, URI_A, name + " top suspect")
        if len(ss) > 1:
            ok("but the registry's log shows the DELETE through its API that removed this (%s)" % AT_A
               in (ss[1].get("reason") or ""), name + ": the cleanup job's reason cites the log", ss[1].get("reason"))
    ok(fps(link) == ["api_delete"] and detail(link, "api_delete").startswith(
        "%s: DELETE %s answered 202 at " % (AT_B, URI_B)), "layer link: api_delete cites the blob DELETE (no lost_files)",
       link.get("fingerprints"))
    ok(sus(link) == [("api-delete:" + AT_B, "api-delete", "high")], "layer link: the blob DELETE, high", sus(link))
    if link.get("suspects"):
        request_ok(link["suspects"][0], AT_B, URI_B, "layer link top suspect")
    ev = [e for e in d.get("events", []) if "registry API DELETE" in (e.get("message") or "")]
    got = sorted((e.get("evidence"), e.get("kind")) for e in ev)
    ok(got == sorted([(AT_A, "log"), (AT_B, "log")]), "timeline: each DELETE is one event, at its logrus line", got)
    ok(any(e.get("evidence") == AT_A and "DELETE %s answered 202 (from 127.0.0.1:" % URI_A in e.get("message", "")
           and in_window(e.get("time")) for e in ev), "timeline: the manifest DELETE's event", ev)


def timeline_nolog():
    tags, link = timeline_losses()
    for l in tags:
        name = "app:%s" % l.get("tag")
        ok(fps(l) == ["tag_prune", "api_delete"], name + ": tag_prune and api_delete, no tag_prune_then_gc", fps(l))
        dt = detail(l, "api_delete")
        ok("revision link of its manifest %s vanished together between %s and %s" % (A, E["SNAP1"], E["SNAP2"]) in dt
           and "cannot be told apart" in dt, name + ": the trace, and that it cannot be told apart", dt)
        ok(sus(l) == [(E["CLEANJOB"], "tag-prune", "medium"), ("api-delete", "api-delete", "medium")],
           name + ": the cleanup job and an unlogged DELETE, both medium", sus(l))
        s = (l.get("suspects") or [{}, {}])[-1]
        ok(s.get("fired_at") is None and s.get("request") is None and s.get("defined_in") is None,
           name + ": the unlogged DELETE has no time and no request", s)
    ok(sorted(fps(link)) == ["api_delete", "lost_files"], "layer link: api_delete and lost_files", fps(link))
    ok(sus(link) == [("api-delete", "api-delete", "medium")], "layer link: an unlogged DELETE, medium", sus(link))
    ok(not [s for l in d.get("losses", []) for s in l.get("suspects", []) if s.get("confidence") == "high"],
       "no high suspect without the log")


def report_log():
    rc = d.get("root_cause", {})
    top = rc.get("top") or {}
    ok((top.get("kind"), top.get("confidence"), top.get("defined_in"), top.get("losses")) ==
       ("api-delete", "high", AT_A, 2), "report: top suspect the manifest DELETE, high, 2 losses", top)
    ok(((top.get("request") or {}).get("line"), (top.get("request") or {}).get("uri")) == (int(E["DEL_A"]), URI_A),
       "report: the top suspect's request is the log line", top.get("request"))
    all_ = [(s.get("job"), s.get("confidence")) for s in rc.get("suspects_all", [])]
    ok(all_ == [("api-delete:" + AT_A, "high"), ("api-delete:" + AT_B, "high"), (E["CLEANJOB"], "low")],
       "report: suspects ranked DELETE A, DELETE B, cleanup (low)", all_)
    names = [f.get("name") for f in rc.get("fingerprints", [])]
    ok("api_delete" in names and "tag_prune" not in names, "report: fingerprint api_delete, not tag_prune", names)
    text = (d.get("summary") or {}).get("text", "")
    ok("The most likely cause is a DELETE through the registry API: %s records DELETE %s answered 202 at " % (AT_A, URI_A)
       in text and "(from 127.0.0.1:" in text, "report: the summary cites the log line", text)
    prev = [i.get("title") for i in (d.get("prevention") or {}).get("items", [])]
    ok(any(t.startswith("Restrict DELETE on the registry") for t in prev), "report: prevention restricts DELETE", prev)
    rows = json.dumps((d.get("timeline") or {}).get("all", []))
    ok(("DELETE %s answered 202" % URI_A) in rows, "report: the DELETE is in the report's timeline")


def timeline_json():
    uri = "/v2/app/manifests/" + E["B"]
    at = "%s:%s" % (E["JLOG"], E["DEL_J"])
    l = next((l for l in d.get("losses", []) if l.get("object") == "tag" and l.get("tag") == "2.0"), {})
    ok(bool(l), "a loss of tag app:2.0 in snapshot 4")
    ok(fps(l) == ["api_delete"] and detail(l, "api_delete").startswith("%s: DELETE %s answered 202 at " % (at, uri)),
       "app:2.0: api_delete cites the JSON log line", l.get("fingerprints"))
    s = (l.get("suspects") or [{}])[0]
    r = s.get("request") or {}
    ok((s.get("kind"), s.get("confidence"), s.get("defined_in"), r.get("log"), r.get("uri"), r.get("status")) ==
       ("api-delete", "high", at, E["JLOG"], uri, 202), "app:2.0: top suspect the JSON-logged DELETE", s)
    ok(E["T_SNAP3"] < (s.get("fired_at") or "") <= E["T_SNAP4"] and (r.get("remote_addr") or "").startswith("127.0.0.1:"),
       "app:2.0: its time in the window, its remote address", s)
    ev = [e for e in d.get("events", []) if "registry API DELETE" in (e.get("message") or "")]
    ok(sorted(e.get("evidence") for e in ev) == sorted([AT_A, AT_B, at]),
       "timeline: three DELETE events, one per request, from both logs", [e.get("evidence") for e in ev])


{"timeline_json": timeline_json, "timeline_log": timeline_log, "timeline_nolog": timeline_nolog, "report_log": report_log}[mode]()
done()
