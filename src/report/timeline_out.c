/* SPDX-License-Identifier: MIT */
/* timeline outputs. */
#include "report/timeline_out.h"

#include <stdlib.h>

#include "report/json.h"

#include "analysis/investigate.h"
#include "config/jobs/jobs.h"
#include "model/graph.h"
#include "util/text.h"

static json_t *event_json(const struct ra_event *e)
{
    json_t *o = json_object();

    json_object_set_new(o, "time", ra_json_time(e->time));
    json_object_set_new(o, "until", ra_json_time(e->until));
    json_object_set_new(o, "precision", json_string(ra_event_precision(e)));
    json_object_set_new(o, "kind", json_string(ra_event_kind_name(e->kind)));
    json_object_set_new(o, "source", ra_json_str(e->source));
    json_object_set_new(o, "message", ra_json_str(e->message));
    json_object_set_new(o, "evidence",
                        e->evidence[0] ? ra_json_str(e->evidence) : json_null());
    json_object_set_new(o, "count", json_integer((json_int_t)e->count));
    return o;
}

static json_t *bound_json(const struct ra_bound *b)
{
    json_t *o = json_object();

    json_object_set_new(o, "time", ra_json_time(b->time));
    json_object_set_new(o, "kind", json_string(ra_bound_kind_name(b->kind)));
    json_object_set_new(o, "evidence", ra_json_str(b->evidence));
    return o;
}

static json_t *suspect_json(const struct ra_suspect *s)
{
    const struct ra_firing *f = s->firing;
    json_t *o = json_object();

    json_object_set_new(o, "job", ra_json_str(f->job_id));
    json_object_set_new(o, "name", ra_json_str(f->job_name));
    json_object_set_new(
        o, "kind",
        json_string(f->api_delete
                        ? "api-delete"
                        : ra_job_class_name(
                              f->classes & RA_JOB_GARBAGE_COLLECT ? RA_JOB_GARBAGE_COLLECT
                              : f->classes & RA_JOB_TAG_PRUNE     ? RA_JOB_TAG_PRUNE
                              : f->classes & RA_JOB_BACKUP        ? RA_JOB_BACKUP
                              : f->classes & RA_JOB_PROBE         ? RA_JOB_PROBE
                                                                  : RA_JOB_OTHER)));
    json_object_set_new(o, "request",
                        f->request ? ra_json_log_request(f->request_log, f->request)
                                   : json_null());
    json_object_set_new(o, "defined_in", ra_json_str(f->defined_in));
    json_object_set_new(o, "commit", ra_json_str(f->commit));
    json_object_set_new(o, "fired_at", ra_json_time(f->time));
    json_object_set_new(o, "confidence", json_string(ra_confidence_name(s->confidence)));
    json_object_set_new(o, "reason", ra_json_str(s->reason));
    return o;
}

static json_t *cause_json(const struct ra_cause *c)
{
    const struct ra_loss *l = c->loss;
    json_t *o = json_object(), *tags = json_array(), *fps = json_array(),
           *sus = json_array();
    size_t i;

    json_object_set_new(o, "object", json_string(ra_object_kind_name(l->object)));
    json_object_set_new(o, "root", ra_json_str(l->root[0] ? l->root : "."));
    json_object_set_new(o, "repository",
                        l->repository[0] ? ra_json_str(l->repository) : json_null());
    json_object_set_new(o, "digest", ra_json_digest_or_null(&l->digest));
    json_object_set_new(o, "tag", ra_json_str(l->tag_name));
    for (i = 0; i < l->tags.len; i++)
        json_array_append_new(
            tags, ra_json_str(((const struct ra_loss_tag *)l->tags.items[i])->ref));
    json_object_set_new(o, "breaks", tags);
    json_object_set_new(o, "window",
                        json_pack("{s:o,s:o,s:o}", "from", bound_json(&l->from), "to",
                                  bound_json(&l->to), "note", ra_json_str(l->to_note)));
    for (i = 0; i < c->matches.len; i++) {
        const struct ra_match *m = c->matches.items[i];
        json_array_append_new(fps,
                              json_pack("{s:s,s:o}", "name", ra_fingerprint_name(m->fp),
                                        "detail", ra_json_str(m->detail)));
    }
    json_object_set_new(o, "fingerprints", fps);
    for (i = 0; i < c->suspects.len; i++)
        json_array_append_new(sus, suspect_json(c->suspects.items[i]));
    json_object_set_new(o, "suspects", sus);
    return o;
}

static json_t *prediction_json(const struct ra_investigation *inv)
{
    json_t *o, *regs;
    const struct ra_prediction *p0;
    size_t i, k;

    if (!inv->predictions.len)
        return json_null();
    regs = json_array();
    p0 = inv->predictions.items[0];
    o = json_object();
    json_object_set_new(o, "job", ra_json_str(p0->firing->job_id));
    json_object_set_new(o, "name", ra_json_str(p0->firing->job_name));
    json_object_set_new(o, "fires_at", ra_json_time(p0->firing->time));
    json_object_set_new(o, "distribution",
                        json_string(p0->gc.version == RA_GC_V3 ? "3" : "2.8"));
    json_object_set_new(o, "delete_untagged", json_boolean(p0->gc.delete_untagged));
    for (i = 0; i < inv->predictions.len; i++) {
        const struct ra_prediction *p = inv->predictions.items[i];
        json_t *ro = json_object(), *breaks = json_array();
        json_object_set_new(ro, "root", ra_json_str(p->root[0] ? p->root : "."));
        json_object_set_new(ro, "aborted", ra_json_str(p->result->aborted));
        json_object_set_new(ro, "blobs_deleted",
                            json_integer((json_int_t)p->result->blobs.len));
        json_object_set_new(ro, "bytes_deleted",
                            json_integer((json_int_t)p->result->bytes));
        json_object_set_new(ro, "manifests_deleted",
                            json_integer((json_int_t)p->result->manifests.len));
        for (k = 0; k < p->after->ntags; k++) {
            const struct ra_tag_result *t = &p->after->tags[k];
            if (t->pullable || !p->before->tags[k].pullable)
                continue;
            json_array_append_new(breaks, json_pack("{s:o,s:o,s:s}", "repository",
                                                    ra_json_str(t->repository), "tag",
                                                    ra_json_str(t->tag), "reason",
                                                    ra_finding_code_name(t->reason)));
        }
        json_object_set_new(ro, "breaks", breaks);
        json_array_append_new(regs, ro);
    }
    json_object_set_new(o, "registries", regs);
    return o;
}

static json_t *snapshots_json(const struct ra_investigation *inv)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; i < inv->nscans; i++) {
        const struct ra_snapshot *s = inv->scans[i]->snap;
        const char *why = NULL;
        int trusted = ra_snapshot_mtimes_trusted(s, &why);
        json_array_append_new(
            a, json_pack("{s:o,s:o,s:s,s:b,s:b,s:o}", "name", ra_json_str(s->name),
                         "taken_at", ra_json_time(s->taken_at), "taken_at_source",
                         ra_taken_source_name(s->taken_source), "complete", s->complete,
                         "mtimes_trusted", trusted, "mtimes_note", ra_json_str(why)));
    }
    return a;
}

static json_t *timeline_doc(const struct ra_investigation *inv)
{
    json_t *doc = json_object(), *events = json_array(), *losses = json_array(),
           *folded = json_object(), *notes = json_array();
    const struct ra_timeline *t = inv->timeline;
    size_t i;

    json_object_set_new(doc, "schema", json_string("regautopsy.timeline/1"));
    json_object_set_new(doc, "snapshots", snapshots_json(inv));
    for (i = 0; i < t->events.len; i++)
        json_array_append_new(events, event_json(t->events.items[i]));
    json_object_set_new(doc, "events", events);
    for (i = 0; i < RA_EV__COUNT; i++)
        if (t->folded[i])
            json_object_set_new(folded, ra_event_kind_name((enum ra_event_kind)i),
                                json_integer((json_int_t)t->folded[i]));
    json_object_set_new(doc, "folded", folded);
    for (i = 0; i < inv->corr->causes.len; i++)
        json_array_append_new(losses, cause_json(inv->corr->causes.items[i]));
    json_object_set_new(doc, "losses", losses);
    json_object_set_new(doc, "gc_prediction", prediction_json(inv));
    for (i = 0; i < inv->notes.len; i++)
        json_array_append_new(notes, ra_json_str(inv->notes.items[i]));
    json_object_set_new(doc, "notes", notes);
    return doc;
}

int ra_timeline_write_json(struct ra_buf *out, const struct ra_investigation *inv,
                           struct ra_err *err)
{
    return ra_json_write(out, timeline_doc(inv), JSON_INDENT(2), "timeline", err);
}

/* "blob sha256:<full digest> in infra-ci missing between 2026-04-12T01:00:00Z and
 * 2026-04-12T03:25:01Z; breaks infra-ci:latest": a line Timesketch finds by digest. */
static void loss_message(struct ra_buf *m, const struct ra_loss *l)
{
    char d[RA_DIGEST_STRLEN], t1[RA_TIME_STRLEN], t2[RA_TIME_STRLEN];
    size_t i;

    if (l->object == RA_OBJ_TAG)
        ra_buf_printf(m, "tag %s:%s", l->repository, l->tag_name);
    else
        ra_buf_printf(m, "%s %s%s%s", ra_object_kind_name(l->object),
                      ra_digest_format(d, &l->digest), l->repository[0] ? " in " : "",
                      l->repository);
    ra_buf_printf(m, " missing between %s and %s",
                  l->from.time == RA_TIME_NONE ? "an unknown time"
                                               : ra_time_format(t1, l->from.time),
                  ra_time_format(t2, l->to.time));
    for (i = 0; i < l->tags.len; i++)
        ra_buf_printf(m, "%s%s", i ? ", " : "; breaks ",
                      ((const struct ra_loss_tag *)l->tags.items[i])->ref);
}

/* One line per loss, whatever the folding: the fields of the JSON form's losses[] plus
 * Timesketch's. Its time is the start of the window (its end when the start is
 * unknown). */
static int loss_line(struct ra_buf *out, const struct ra_cause *c, struct ra_err *err)
{
    const struct ra_loss *l = c->loss;
    ra_time t = l->from.time != RA_TIME_NONE ? l->from.time : l->to.time;
    struct ra_buf m = RA_BUF_INIT;
    char d[RA_DIGEST_STRLEN];
    json_t *o = cause_json(c);

    loss_message(&m, l);
    json_object_set_new(o, "kind", json_string("loss"));
    json_object_set_new(o, "message", ra_json_str(ra_buf_cstr(&m)));
    json_object_set_new(o, "datetime", ra_json_time(t));
    json_object_set_new(o, "timestamp", json_integer((json_int_t)t * 1000000));
    json_object_set_new(o, "timestamp_desc",
                        json_string(l->from.time != RA_TIME_NONE ? "loss window start"
                                                                 : "loss window end"));
    json_object_set_new(o, "data_type", json_string("regautopsy:timeline:loss"));
    json_object_set_new(o, "source", ra_json_str(l->to.evidence ? l->to.evidence : "."));
    ra_buf_truncate(&m, 0);
    if (l->object == RA_OBJ_TAG)
        ra_buf_printf(&m, "%s:%s", l->repository, l->tag_name);
    else
        ra_digest_format(d, &l->digest);
    json_object_set_new(o, "display_name",
                        ra_json_str(l->object == RA_OBJ_TAG ? ra_buf_cstr(&m) : d));
    ra_buf_release(&m);
    return ra_json_write(out, o, JSON_COMPACT, "timeline", err);
}

/* One event per line with the fields Timesketch and plaso's JSON-L readers expect
 * (message, datetime, timestamp_desc), then one line per loss. */
int ra_timeline_write_jsonl(struct ra_buf *out, const struct ra_investigation *inv,
                            struct ra_err *err)
{
    const struct ra_timeline *t = inv->timeline;
    size_t i;
    int error;

    for (i = 0; i < t->events.len; i++) {
        const struct ra_event *e = t->events.items[i];
        json_t *o = event_json(e);
        if (e->time == RA_TIME_NONE) {
            json_decref(o);
            continue;
        }
        json_object_set_new(o, "datetime", ra_json_time(e->time));
        json_object_set_new(o, "timestamp", json_integer((json_int_t)e->time * 1000000));
        json_object_set_new(o, "timestamp_desc",
                            json_string(ra_event_kind_name(e->kind)));
        json_object_set_new(o, "display_name",
                            ra_json_str(e->evidence[0] ? e->evidence : e->source));
        json_object_set_new(o, "data_type", json_string("regautopsy:timeline:event"));
        if ((error = ra_json_write(out, o, JSON_COMPACT, "timeline", err)) < 0)
            return error;
    }
    for (i = 0; i < inv->corr->causes.len; i++)
        if ((error = loss_line(out, inv->corr->causes.items[i], err)) < 0)
            return error;
    return 0;
}

static const char *safe(struct ra_buf *tmp, const char *s)
{
    ra_buf_truncate(tmp, 0);
    return ra_text_safe(tmp, s, RA_TEXT_UTF8 | RA_TEXT_CONTROLS);
}

static void text_cause(struct ra_buf *out, const struct ra_cause *c)
{
    const struct ra_loss *l = c->loss;
    struct ra_buf tmp = RA_BUF_INIT;
    char t1[RA_TIME_STRLEN], t2[RA_TIME_STRLEN], d[RA_DIGEST_STRLEN];
    size_t i;

    if (l->object == RA_OBJ_TAG)
        ra_buf_printf(out, "  tag %s:%s", safe(&tmp, l->repository), l->tag_name);
    else
        ra_buf_printf(out, "  %s %s%s%s", ra_object_kind_name(l->object),
                      ra_digest_format(d, &l->digest), l->repository[0] ? " in " : "",
                      safe(&tmp, l->repository));
    ra_buf_printf(out, "\n    missing between %s (%s) and %s (%s)\n",
                  l->from.time == RA_TIME_NONE ? "an unknown time"
                                               : ra_time_format(t1, l->from.time),
                  ra_bound_kind_name(l->from.kind), ra_time_format(t2, l->to.time),
                  ra_bound_kind_name(l->to.kind));
    if (l->to_note)
        ra_buf_printf(out, "    (%s)\n", safe(&tmp, l->to_note));
    for (i = 0; i < l->tags.len; i++)
        ra_buf_printf(out, "    breaks %s\n",
                      safe(&tmp, ((const struct ra_loss_tag *)l->tags.items[i])->ref));
    for (i = 0; i < c->matches.len; i++) {
        const struct ra_match *m = c->matches.items[i];
        ra_buf_printf(out, "    fingerprint %s: %s\n", ra_fingerprint_name(m->fp),
                      safe(&tmp, m->detail));
    }
    for (i = 0; i < c->suspects.len; i++) {
        const struct ra_suspect *s = c->suspects.items[i];
        ra_buf_printf(
            out, "    suspect [%s] %s at %s: ", ra_confidence_name(s->confidence),
            safe(&tmp, s->firing->job_name),
            s->firing->time == RA_TIME_NONE ? "an unknown time"
                                            : ra_time_format(t1, s->firing->time));
        ra_buf_printf(out, "%s\n", safe(&tmp, s->reason));
    }
    if (!c->suspects.len)
        ra_buf_puts(out, "    no scheduled job in the window could have done it\n");
    ra_buf_release(&tmp);
}

void ra_timeline_write_text(struct ra_buf *out, const struct ra_investigation *inv)
{
    const struct ra_timeline *t = inv->timeline;
    struct ra_buf tmp = RA_BUF_INIT;
    char t1[RA_TIME_STRLEN];
    size_t i;

    ra_buf_puts(out, "time (UTC)            precision  kind              event\n");
    for (i = 0; i < t->events.len; i++) {
        const struct ra_event *e = t->events.items[i];
        ra_buf_printf(out, "%-21s %-10s %-17s %s", ra_time_format(t1, e->time),
                      ra_event_precision(e), ra_event_kind_name(e->kind),
                      safe(&tmp, e->message));
        if (e->count > 1)
            ra_buf_printf(out, " (x%zu)", e->count);
        ra_buf_putc(out, '\n');
    }
    if (inv->corr->causes.len)
        ra_buf_printf(out, "\n%zu losses:\n", inv->corr->causes.len);
    for (i = 0; i < inv->corr->causes.len; i++)
        text_cause(out, inv->corr->causes.items[i]);
    for (i = 0; i < inv->notes.len; i++)
        ra_buf_printf(out, "note: %s\n", safe(&tmp, inv->notes.items[i]));
    ra_buf_release(&tmp);
}
