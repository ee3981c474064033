/* SPDX-License-Identifier: MIT */
/* Gathering an investigation. */
#include "analysis/investigate.h"

#include <stdlib.h>

#include "analysis/logs.h"
#include "config/jobs.h"
#include "model/graph.h"
#include "util/buf.h"

static void note(struct ra_investigation *inv, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void note(struct ra_investigation *inv, const char *fmt, ...)
{
    struct ra_buf b = RA_BUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    ra_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    ra_vec_push(&inv->notes, ra_pool_strdup(&inv->pool, ra_buf_cstr(&b)));
    ra_buf_release(&b);
}

static int read_snapshots(struct ra_investigation *inv, const struct ra_investigate_opts *o,
                          struct ra_err *err)
{
    struct ra_vec specs = RA_VEC_INIT, scans = RA_VEC_INIT;
    struct ra_scan_opts sopts = RA_SCAN_OPTS_INIT;
    struct ra_scan *s;
    size_t i;
    int error = 0;

    for (i = 0; i < o->nsnapshots && !error; i++)
        error = ra_snapshot_expand(&specs, o->snapshots[i], err);
    sopts.verify = o->verify;
    sopts.progress_payload = o->progress_payload;
    for (i = 0; i < specs.len && !error; i++) {
        const struct ra_snapshot_spec *spec = specs.items[i];
        sopts.progress_cb = o->progress_for ? o->progress_for(spec->name, o->progress_payload)
                                            : NULL;
        error = ra_scan_run(&s, spec, &sopts, err);
        if (o->progress_done)
            o->progress_done(o->progress_payload);
        if (error < 0)
            break;
        if (!s->nregs)
            note(inv, "snapshot '%s': no registry root found", spec->name);
        if (!s->snap->complete)
            note(inv, "snapshot '%s': read only in part: %s", spec->name, s->snap->read_error);
        ra_vec_push(&scans, s);
    }
    for (i = 0; i < specs.len; i++)
        ra_snapshot_spec_free(specs.items[i]);
    ra_vec_release(&specs);
    inv->scans = (struct ra_scan **)scans.items; /* ownership moves to inv */
    inv->nscans = scans.len;
    return error;
}

static struct ra_event *extra_event(struct ra_investigation *inv, enum ra_event_kind kind,
                                    ra_time time, const char *source, const char *evidence,
                                    const char *message)
{
    struct ra_event *e = ra_pool_alloc(&inv->pool, sizeof(*e));

    e->kind = kind;
    e->time = time;
    e->until = RA_TIME_NONE;
    e->source = ra_pool_strdup(&inv->pool, source);
    e->evidence = ra_pool_strdup(&inv->pool, evidence);
    e->message = ra_pool_strdup(&inv->pool, message);
    e->count = 1;
    ra_vec_push(&inv->extra, e);
    return e;
}

/* Timeline events a log contributes: 404s (folded per day), each garbage-collect run,
 * each failed pipeline (successful ones folded per day). */
static void log_events(struct ra_investigation *inv, const struct ra_log *log)
{
    struct ra_buf msg = RA_BUF_INIT, ev = RA_BUF_INIT;
    ra_time day404 = RA_TIME_NONE, dayok = RA_TIME_NONE;
    struct ra_event *e404 = NULL, *eok = NULL;
    size_t i;

    for (i = 0; i < log->events.len; i++) {
        const struct ra_log_event *e = log->events.items[i];
        ra_time day = e->time == RA_TIME_NONE ? RA_TIME_NONE : e->time - e->time % 86400;
        ra_buf_truncate(&msg, 0);
        ra_buf_truncate(&ev, 0);
        ra_buf_printf(&ev, "%s:%llu", log->path, (unsigned long long)e->line);
        if (e->kind == RA_LOG_HTTP_REQUEST && e->status == 404 && e->time != RA_TIME_NONE) {
            if (!e404 || day != day404) {
                e404 = extra_event(inv, RA_EV_LOG, day, log->path, ev.ptr,
                                   "registry answered 404");
                e404->until = day + 86399;
                e404->count = 0;
                day404 = day;
            }
            e404->count++;
        } else if (e->kind == RA_LOG_GC_SUMMARY || e->kind == RA_LOG_GC_ERROR) {
            struct ra_event *x;
            if (e->kind == RA_LOG_GC_SUMMARY)
                ra_buf_printf(&msg, "garbage-collect: %llu blobs marked, %llu blobs and %llu "
                                    "manifests eligible for deletion",
                              (unsigned long long)e->gc->marked,
                              (unsigned long long)e->gc->blobs_eligible,
                              (unsigned long long)e->gc->manifests_eligible);
            else
                ra_buf_printf(&msg, "garbage-collect stopped: %s", e->message);
            if (e->time == RA_TIME_NONE)
                continue;
            x = extra_event(inv, RA_EV_LOG, e->time, log->path, ev.ptr, msg.ptr);
            if (!e->time_exact) /* the day from the file name */
                x->until = e->time + 86399;
        } else if (e->kind == RA_LOG_PIPELINE && e->time != RA_TIME_NONE) {
            if (ra_log_pipeline_failed(e)) {
                ra_buf_printf(&msg, "pipeline #%lld %s (%s)", (long long)e->pipeline->number,
                              e->pipeline->status, e->pipeline->event);
                extra_event(inv, RA_EV_LOG, e->time, log->path, ev.ptr, msg.ptr);
            } else {
                if (!eok || day != dayok) {
                    eok = extra_event(inv, RA_EV_LOG, day, log->path, ev.ptr,
                                      "pipelines that did not fail");
                    eok->until = day + 86399;
                    eok->count = 0;
                    dayok = day;
                }
                eok->count++;
            }
        }
    }
    ra_buf_release(&msg);
    ra_buf_release(&ev);
}

/* First 404 for every lost digest: an exact event. */
static void first_404s(struct ra_investigation *inv)
{
    struct ra_buf msg = RA_BUF_INIT, ev = RA_BUF_INIT;
    char d[RA_DIGEST_STRLEN];
    size_t i, k;

    for (i = 0; i < inv->losses->items.len; i++) {
        const struct ra_loss *l = inv->losses->items.items[i];
        for (k = 0; k < inv->nlogs && l->object != RA_OBJ_TAG; k++) {
            const struct ra_log_event *e = ra_log_first_status(inv->logs[k], &l->digest, NULL,
                                                               404);
            if (!e || e->time == RA_TIME_NONE)
                continue;
            ra_buf_truncate(&msg, 0);
            ra_buf_truncate(&ev, 0);
            ra_buf_printf(&ev, "%s:%llu", inv->logs[k]->path, (unsigned long long)e->line);
            ra_buf_printf(&msg, "first 404 for %s: %s %s", ra_digest_short(d, &l->digest),
                          e->method, e->uri);
            extra_event(inv, RA_EV_LOG, e->time, inv->logs[k]->path, ev.ptr, msg.ptr);
        }
    }
    ra_buf_release(&msg);
    ra_buf_release(&ev);
}

static int read_logs(struct ra_investigation *inv, const struct ra_investigate_opts *o,
                     struct ra_err *err)
{
    size_t i;
    int error;

    inv->logs = ra_xcalloc(o->nlogs + 1, sizeof(*inv->logs));
    for (i = 0; i < o->nlogs; i++) {
        ra_time day = RA_TIME_NONE;
        if (ra_time_from_name(&day, o->logs[i]) < 0 &&
            ra_time_date_from_name(&day, o->logs[i]) < 0)
            day = RA_TIME_NONE;
        if ((error = ra_log_read(&inv->logs[i], o->logs[i], day, err)) < 0)
            return error;
        inv->nlogs++;
        if (inv->logs[i]->unrecognized)
            note(inv, "log '%s': %llu lines of no known format were skipped", o->logs[i],
                 (unsigned long long)inv->logs[i]->unrecognized);
        log_events(inv, inv->logs[i]);
    }
    return 0;
}

static int cmp_firing(const void *a, const void *b)
{
    const struct ra_firing *x = a, *y = b;

    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    return strcmp(x->job_id, y->job_id);
}

/* Simulate the first garbage-collect firing after the newest snapshot on a fresh copy
 * of it, for every registry root. */
static int predict(struct ra_investigation *inv, const struct ra_investigate_opts *o,
                   struct ra_err *err)
{
    const struct ra_scan *last;
    const struct ra_firing *next = NULL;
    struct ra_snapshot_spec spec = {0};
    struct ra_scan_opts sopts = RA_SCAN_OPTS_INIT;
    struct ra_pull_opts popts = RA_PULL_OPTS_INIT;
    struct ra_snapshot *copy = NULL;
    size_t i;
    int error;

    (void)o;
    if (!inv->nscans)
        return 0;
    last = inv->scans[inv->nscans - 1];
    for (i = 0; i < inv->nfirings && !next; i++) {
        const struct ra_firing *f = &inv->firings[i];
        if ((f->classes & RA_JOB_GARBAGE_COLLECT) && !f->dry_run &&
            f->time > last->snap->taken_at)
            next = f;
    }
    if (!next)
        return 0;
    spec.path = last->snap->source;
    spec.name = last->snap->name;
    spec.taken_at = last->snap->taken_at;
    spec.taken_source = last->snap->taken_source;
    sopts.verify = o->verify;
    if ((error = ra_snapshot_load(&copy, &spec, &sopts, err)) < 0)
        return error;
    popts.taken_at = copy->taken_at;
    for (i = 0; i < copy->graphs.len; i++) {
        struct ra_prediction *p = ra_pool_alloc(&inv->pool, sizeof(*p));
        struct ra_graph *g = copy->graphs.items[i];
        p->firing = next;
        p->gc.version = next->registry_version && next->registry_version[0] == '3' ? RA_GC_V3
                                                                                   : RA_GC_V2;
        p->gc.delete_untagged = next->delete_untagged;
        p->root = g->root;
        p->snap = i ? NULL : copy; /* the first prediction owns the copy */
        ra_pull_analyze(&p->before, g, &popts);
        ra_gc_simulate(&p->result, g, &p->gc);
        ra_gc_apply(g, p->result);
        ra_pull_analyze(&p->after, g, &popts);
        ra_vec_push(&inv->predictions, p);
    }
    if (!copy->graphs.len)
        ra_snapshot_free(copy);
    return 0;
}

static void build_timeline(struct ra_investigation *inv, const struct ra_timeline_opts *topts)
{
    struct ra_event *flat = ra_xcalloc(inv->extra.len + 1, sizeof(*flat));
    size_t i;

    for (i = 0; i < inv->extra.len; i++)
        flat[i] = *(struct ra_event *)inv->extra.items[i];
    ra_timeline_build(&inv->timeline, inv->scans, inv->nscans, inv->losses, flat,
                      inv->extra.len, topts);
    free(flat);
}

int ra_investigate(struct ra_investigation **out, const struct ra_investigate_opts *o,
                   struct ra_err *err)
{
    struct ra_investigation *inv = ra_xcalloc(1, sizeof(*inv));
    struct ra_timeline_opts topts = {o->fold};
    int error;

    *out = NULL;
    if (!o->nsnapshots) {
        error = ra_err_set(err, RA_EUSAGE, "no SNAPSHOT given");
        goto done;
    }
    if ((error = read_snapshots(inv, o, err)) < 0 || (error = read_logs(inv, o, err)) < 0)
        goto done;
    ra_losses_find(&inv->losses, inv->scans, inv->nscans);
    ra_losses_narrow_by_logs(inv->losses, inv->logs, inv->nlogs);
    first_404s(inv);
    if (inv->nfirings)
        qsort(inv->firings, inv->nfirings, sizeof(*inv->firings), cmp_firing);
    ra_correlate(&inv->corr, inv->losses, inv->firings, inv->nfirings);
    ra_correlate_logs(inv->corr, inv->logs, inv->nlogs);
    build_timeline(inv, &topts);
    if ((error = predict(inv, o, err)) < 0)
        goto done;
    *out = inv;
    inv = NULL;
done:
    ra_investigation_free(inv);
    return error;
}

void ra_investigation_free(struct ra_investigation *inv)
{
    size_t i;

    if (!inv)
        return;
    for (i = 0; i < inv->predictions.len; i++) {
        struct ra_prediction *p = inv->predictions.items[i];
        ra_gc_result_free(p->result);
        ra_registry_result_free(p->before);
        ra_registry_result_free(p->after);
        ra_snapshot_free(p->snap);
    }
    ra_vec_release(&inv->predictions);
    ra_timeline_free(inv->timeline);
    ra_correlation_free(inv->corr);
    ra_losses_free(inv->losses);
    for (i = 0; i < inv->nscans; i++)
        ra_scan_free(inv->scans[i]);
    free(inv->scans);
    free(inv->firings);
    for (i = 0; i < inv->nlogs; i++)
        ra_log_free(inv->logs[i]);
    free(inv->logs);
    ra_vec_release(&inv->extra);
    ra_vec_release(&inv->notes);
    ra_pool_release(&inv->pool);
    free(inv);
}
