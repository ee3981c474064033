/* SPDX-License-Identifier: MIT */
/* Gathering an investigation. */
#include "analysis/investigate.h"

#include <stdlib.h>

#include "analysis/focus.h"
#include "analysis/forecast.h"
#include "analysis/logs.h"
#include "analysis/recurrence.h"
#include "analysis/snaptime.h"
#include "config/jobs/jobs.h"
#include "config/sched/schedule.h"
#include "config/sched/tz.h"
#include "model/docs.h"
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

/* Reading the snapshots. When every snapshot's time is known before it is read (a
 * stated time or one in its name) and they come oldest first, each is added to the
 * history, the losses and the timeline as soon as it is read, and the one before it
 * gives up its graphs unless it brackets a loss: memory holds about two snapshots'
 * graphs plus the history. Otherwise (times from mtimes or a backup job, which the
 * config repo may still move) every snapshot is kept until all are read and sorted,
 * and the same steps run then. */
struct reader {
    struct ra_investigation *inv;
    const struct ra_investigate_opts *o;
    struct ra_vec specs; /* struct ra_snapshot_spec *, in read order */
    struct ra_vec scans; /* struct ra_scan *: in read order, then in time order */
    struct ra_vec group; /* the argument each spec came from, as index + 1 */
    struct ra_vec need;
    char *keep;                              /* per scan (time order): brackets a loss */
    struct ra_scan *pre_oldest, *pre_newest; /* opts.pick: read before the others */
    size_t seen_losses;
    int streamed; /* the steps ran while reading */
    struct ra_timeline_opts topts;
};

static int cmp_spec(const struct ra_snapshot_spec *x, const struct ra_snapshot_spec *y)
{
    if (x->taken_at != y->taken_at)
        return x->taken_at < y->taken_at ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int can_stream(const struct ra_vec *specs)
{
    size_t i;

    for (i = 0; i < specs->len; i++)
        if (((const struct ra_snapshot_spec *)specs->items[i])->taken_at ==
                RA_TIME_NONE ||
            (i && cmp_spec(specs->items[i - 1], specs->items[i]) >= 0))
            return 0;
    return 1;
}

/* Scan k is the newest read; give its graphs back to the earlier scans the windows of
 * its losses read, where they were given up. */
static int refill(struct reader *rd, struct ra_err *err)
{
    struct ra_snapshot_opts sopts = RA_SNAPSHOT_OPTS_INIT;
    struct ra_scan *fresh;
    size_t i;
    int error;

    sopts.verify = rd->o->verify;
    sopts.docs = rd->inv->docs;
    for (i = 0; i < rd->need.len; i++) {
        size_t k = (uintptr_t)rd->need.items[i] - 1;
        struct ra_scan *s = rd->scans.items[k];
        if (!s->thinned)
            continue;
        if ((error = ra_scan_run(&fresh, rd->specs.items[k], &sopts, err)) < 0)
            return error;
        ra_scan_refill(s, fresh);
        rd->inv->reread++;
    }
    rd->need.len = 0;
    return 0;
}

/* Add scan k (time order) to the losses and the timeline; give up the graphs of the
 * scan before it unless a loss's window is bracketed by it. */
static int step(struct reader *rd, size_t k, int thin, struct ra_err *err)
{
    struct ra_investigation *inv = rd->inv;
    struct ra_scan **scans = (struct ra_scan **)rd->scans.items;
    size_t i;
    int error;

    ra_losses_add(inv->losses, scans, k, &rd->need);
    if ((error = refill(rd, err)) < 0)
        return error;
    ra_losses_settle(inv->losses);
    ra_timeline_add(inv->tb, k ? scans[k - 1] : NULL, scans[k]);
    rd->keep = ra_xrealloc(rd->keep, k + 1);
    rd->keep[k] = 0;
    for (i = rd->seen_losses; i < inv->losses->items.len; i++) {
        const struct ra_loss *l = inv->losses->items.items[i];
        rd->keep[l->first_missing] = 1;
        if (l->last_present != SIZE_MAX)
            rd->keep[l->last_present] = 1;
    }
    rd->seen_losses = inv->losses->items.len;
    if (thin && k && !rd->keep[k - 1])
        ra_scan_thin(scans[k - 1]);
    return 0;
}

/* A scan read before the others (opts.pick: the oldest and the newest), taken. */
static struct ra_scan *pre_read(struct reader *rd, size_t i)
{
    struct ra_scan *s = NULL;

    if (i == 0 && rd->pre_oldest) {
        s = rd->pre_oldest;
        rd->pre_oldest = NULL;
    } else if (i + 1 == rd->specs.len && rd->pre_newest) {
        s = rd->pre_newest;
        rd->pre_newest = NULL;
    }
    return s;
}

static int read_one(struct reader *rd, size_t i, struct ra_err *err)
{
    const struct ra_investigate_opts *o = rd->o;
    struct ra_investigation *inv = rd->inv;
    const struct ra_snapshot_spec *spec = rd->specs.items[i];
    struct ra_snapshot_opts sopts = RA_SNAPSHOT_OPTS_INIT;
    const struct ra_scan *prev = i ? rd->scans.items[i - 1] : NULL;
    struct ra_scan *s;
    size_t k;
    int error;

    sopts.verify = o->verify;
    sopts.docs = inv->docs;
    sopts.progress_payload = o->progress_payload;
    /* the snapshot before, of the same share: what provably did not change is taken
     * from it */
    if (prev && !prev->thinned && prev->snap->complete &&
        rd->group.items[i - 1] == rd->group.items[i])
        sopts.prev = prev->snap;
    if ((s = pre_read(rd, i))) {
        error = 0;
    } else {
        sopts.progress_cb =
            o->progress_for ? o->progress_for(spec->name, o->progress_payload) : NULL;
        error = ra_scan_run(&s, spec, &sopts, err);
        if (o->progress_done)
            o->progress_done(o->progress_payload);
    }
    if (prev) /* its walk serves only as the next one's prev */
        ra_snapshot_drop_walk(prev->snap);
    if (error < 0)
        return error;
    if (!s->nregs)
        note(inv, "snapshot '%s': no registry root found", spec->name);
    if (!s->snap->complete)
        note(inv, "snapshot '%s': read only in part: %s", spec->name,
             s->snap->read_error);
    for (k = 0; k < s->snap->unread.len; k++) {
        const struct ra_unread *u = s->snap->unread.items[k];
        note(inv, "snapshot '%s': not read: '%s': %s", spec->name, u->path, u->why);
    }
    ra_vec_push(&rd->scans, s);
    inv->scans = (struct ra_scan **)rd->scans.items; /* ownership moves to inv */
    inv->nscans = rd->scans.len;
    return rd->streamed ? step(rd, i, 1, err) : 0;
}

/* Read the oldest or the newest snapshot (opts.pick) before the others. */
static int read_early(struct ra_scan **out, struct reader *rd, size_t i,
                      struct ra_err *err)
{
    const struct ra_investigate_opts *o = rd->o;
    const struct ra_snapshot_spec *spec = rd->specs.items[i];
    struct ra_snapshot_opts sopts = RA_SNAPSHOT_OPTS_INIT;
    int error;

    sopts.verify = o->verify;
    sopts.docs = rd->inv->docs;
    sopts.progress_payload = o->progress_payload;
    sopts.progress_cb =
        o->progress_for ? o->progress_for(spec->name, o->progress_payload) : NULL;
    error = ra_scan_run(out, spec, &sopts, err);
    if (o->progress_done)
        o->progress_done(o->progress_payload);
    return error;
}

struct spec_arg {
    struct ra_snapshot_spec *spec;
    void *group;
};

static int cmp_spec_arg(const void *a, const void *b)
{
    const struct spec_arg *x = a, *y = b;

    return cmp_spec(x->spec, y->spec);
}

/* opts.pick: keep of the specs (in time order) those to read whole; the oldest and the
 * newest are read here, the others probed by analysis/pick. Every snapshot's time must
 * be known before it is read; else all are read whole, and a note says why. */
static int pick_snapshots(struct reader *rd, struct ra_err *err)
{
    struct ra_investigation *inv = rd->inv;
    const struct ra_investigate_opts *o = rd->o;
    struct ra_pick_opts popts = {o->verify, o->progress_for, o->progress_done,
                                 o->progress_payload};
    struct ra_pick_result pr;
    struct spec_arg *sa;
    size_t i, n = rd->specs.len, last = SIZE_MAX, run = 0;
    int error;

    for (i = 0; i < n; i++) {
        const struct ra_snapshot_spec *spec = rd->specs.items[i];
        if (spec->taken_at != RA_TIME_NONE)
            continue;
        if (n > 2)
            note(inv,
                 "snapshot '%s' has no time in its name nor an @time: every "
                 "snapshot was read whole",
                 spec->name);
        return 0;
    }
    if (n < 3)
        return 0;
    sa = ra_xcalloc(n, sizeof(*sa));
    for (i = 0; i < n; i++)
        sa[i] = (struct spec_arg){rd->specs.items[i], rd->group.items[i]};
    qsort(sa, n, sizeof(*sa), cmp_spec_arg);
    for (i = 0; i < n; i++)
        rd->specs.items[i] = sa[i].spec;
    if ((error = read_early(&rd->pre_oldest, rd, 0, err)) < 0 ||
        (error = read_early(&rd->pre_newest, rd, n - 1, err)) < 0) {
        free(sa);
        return error;
    }
    ra_pick_run(&pr, (struct ra_snapshot_spec *const *)rd->specs.items, n, rd->pre_oldest,
                rd->pre_newest, &popts);
    inv->picked = 1;
    inv->pick_objects = pr.nobjects;
    inv->nreads = n;
    inv->reads = ra_xcalloc(n, sizeof(*inv->reads));
    rd->specs.len = rd->group.len = 0;
    for (i = 0; i < n; i++) {
        struct ra_snap_read *r = &inv->reads[i];
        r->name = ra_pool_strdup(&inv->pool, sa[i].spec->name);
        r->taken_at = sa[i].spec->taken_at;
        r->taken_source = sa[i].spec->taken_source;
        r->how = pr.how[i];
        r->entries = pr.entries[i];
        if (pr.how[i] != RA_READ_WHOLE) {
            ra_snapshot_spec_free(sa[i].spec);
            continue;
        }
        /* the loader's prev: the snapshot just before, of the same argument */
        if (last != SIZE_MAX && (last + 1 != i || sa[last].group != sa[i].group))
            run++;
        last = i;
        ra_vec_push(&rd->specs, sa[i].spec);
        ra_vec_push(&rd->group, (void *)(uintptr_t)(run + 1));
    }
    if (rd->specs.len > 1 && rd->group.items[0] != rd->group.items[1])
        ra_snapshot_drop_walk(rd->pre_oldest->snap); /* no prev of the next read */
    for (i = 0; i < pr.notes.len; i++)
        note(inv, "%s", (const char *)pr.notes.items[i]);
    ra_pick_result_release(&pr);
    free(sa);
    return 0;
}

/* Every snapshot given and how it was read: those read whole are the scans, in order. */
static void fill_reads(struct ra_investigation *inv)
{
    size_t i, k = 0;

    if (!inv->picked) {
        inv->nreads = inv->nscans;
        inv->reads = ra_xcalloc(inv->nscans + 1, sizeof(*inv->reads));
    }
    for (i = 0; i < inv->nreads; i++) {
        struct ra_snap_read *r = &inv->reads[i];
        if (inv->picked && r->how != RA_READ_WHOLE)
            continue;
        if (k == inv->nscans)
            break;
        r->scan = inv->scans[k++];
        r->name = r->scan->snap->name;
        r->taken_at = r->scan->snap->taken_at;
        r->taken_source = r->scan->snap->taken_source;
        r->how = RA_READ_WHOLE;
    }
}

static int read_snapshots(struct reader *rd, struct ra_err *err)
{
    const struct ra_investigate_opts *o = rd->o;
    size_t i, n;
    int error = 0;

    for (i = 0; i < o->nsnapshots && !error; i++) {
        n = rd->specs.len;
        error = ra_snapshot_expand(&rd->specs, o->snapshots[i], err);
        for (; n < rd->specs.len; n++)
            ra_vec_push(&rd->group, (void *)(uintptr_t)(i + 1));
    }
    if (!error && rd->o->pick)
        error = pick_snapshots(rd, err);
    rd->streamed = !error && can_stream(&rd->specs);
    ra_losses_begin(&rd->inv->losses);
    ra_timeline_begin(&rd->inv->tb, &rd->topts);
    for (i = 0; i < rd->specs.len && !error; i++)
        error = read_one(rd, i, err);
    return error;
}

/* After the config repo may have set snapshot times: sort, and run the steps that did
 * not run while reading; then keep graphs only where a loss's window is bracketed and
 * in the newest scan. */
static int finish_snapshots(struct reader *rd, struct ra_err *err)
{
    struct ra_investigation *inv = rd->inv;
    size_t i;
    int error;

    if (!rd->streamed) {
        qsort(inv->scans, inv->nscans, sizeof(*inv->scans), ra_scan_cmp_taken);
        for (i = 0; i < inv->nscans; i++)
            if ((error = step(rd, i, 0, err)) < 0)
                return error;
    }
    inv->losses->scans = inv->scans;
    inv->losses->nscans = inv->nscans;
    ra_losses_finish(inv->losses);
    for (i = 0; i + 1 < inv->nscans; i++)
        if (!rd->keep[i])
            ra_scan_thin(inv->scans[i]);
    fill_reads(inv);
    return 0;
}

static void reader_release(struct reader *rd)
{
    size_t i;

    for (i = 0; i < rd->specs.len; i++)
        ra_snapshot_spec_free(rd->specs.items[i]);
    ra_vec_release(&rd->specs);
    ra_vec_release(&rd->group);
    ra_vec_release(&rd->need);
    free(rd->keep);
    ra_scan_free(rd->pre_oldest);
    ra_scan_free(rd->pre_newest);
    /* rd->scans: the items belong to inv */
}

static struct ra_event *extra_event(struct ra_investigation *inv, enum ra_event_kind kind,
                                    ra_time time, const char *source,
                                    const char *evidence, const char *message)
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

/* Count one more line into the day's folded event *fold: a new event when the day
 * changed. */
static void fold_day(struct ra_investigation *inv, struct ra_event **fold,
                     ra_time *fold_day, ra_time day, const char *log,
                     const char *evidence, const char *message)
{
    if (!*fold || day != *fold_day) {
        *fold = extra_event(inv, RA_EV_LOG, day, log, evidence, message);
        (*fold)->until = day + 86399;
        (*fold)->count = 0;
        (*fold)->routine = 1; /* no story of its own */
        *fold_day = day;
    }
    (*fold)->count++;
}

/* Timeline events a log contributes: 404s (folded per day), each garbage-collect run,
 * each failed pipeline (successful ones folded per day), each alert that fired. */

/* A failed run as the post-mortem's Impact words it, dated by its finish:
 * "pipeline #12 (push) failed", "pipeline #14 (restart of #12) failed". */
static void pipeline_failed_text(struct ra_buf *out, const struct ra_log_pipeline *p)
{
    const char *s = p->status;

    if (p->parent)
        ra_buf_printf(out, "pipeline #%lld (restart of #%lld)", (long long)p->number,
                      (long long)p->parent);
    else
        ra_buf_printf(out, "pipeline #%lld (%s)", (long long)p->number, p->event);
    ra_buf_puts(out, !strcmp(s, "failure")  ? " failed"
                     : !strcmp(s, "error")  ? " ended in an error"
                     : !strcmp(s, "killed") ? " was killed"
                                            : " failed");
}

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
        if (e->kind == RA_LOG_HTTP_REQUEST && e->status == 404 &&
            e->time != RA_TIME_NONE) {
            fold_day(inv, &e404, &day404, day, log->path, ev.ptr,
                     "registry answered 404");
        } else if (e->kind == RA_LOG_GC_SUMMARY || e->kind == RA_LOG_GC_ERROR) {
            struct ra_event *x;
            if (e->kind == RA_LOG_GC_SUMMARY)
                ra_buf_printf(&msg,
                              "garbage-collect: %llu blobs marked, %llu blobs and %llu "
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
        } else if (e->kind == RA_LOG_ALERT) {
            ra_buf_printf(&msg, "alert %s fired", e->message);
            if (e->level && e->level[0])
                ra_buf_printf(&msg, " (%s)", e->level);
            extra_event(inv, RA_EV_LOG, e->time, log->path, ev.ptr, msg.ptr);
        } else if (e->kind == RA_LOG_PIPELINE && e->time != RA_TIME_NONE) {
            if (ra_log_pipeline_failed(e)) {
                pipeline_failed_text(&msg, e->pipeline);
                extra_event(inv, RA_EV_LOG, ra_log_event_end(e), log->path, ev.ptr,
                            msg.ptr);
            } else {
                fold_day(inv, &eok, &dayok, day, log->path, ev.ptr,
                         "pipelines that did not fail");
            }
        }
    }
    ra_buf_release(&msg);
    ra_buf_release(&ev);
}

/* Each lost object's first 404 (found once, by ra_losses_narrow_by_logs): an event. */
static void first_404s(struct ra_investigation *inv)
{
    struct ra_buf msg = RA_BUF_INIT;
    char d[RA_DIGEST_STRLEN];
    size_t i;

    for (i = 0; i < inv->losses->items.len; i++) {
        const struct ra_loss *l = inv->losses->items.items[i];
        const struct ra_log_event *e = l->first_404_event;
        if (!e)
            continue;
        ra_buf_truncate(&msg, 0);
        ra_buf_printf(&msg, "first 404 for %s: %s %s", ra_digest_short(d, &l->digest),
                      e->method, e->uri);
        extra_event(inv, RA_EV_LOG, e->time, l->first_404_log, l->first_404.evidence,
                    msg.ptr);
    }
    ra_buf_release(&msg);
}

/* A log's records that were read but not wholly usable, one note each. */
static void log_problems(struct ra_investigation *inv, const struct ra_log *log)
{
    size_t i;

    for (i = 0; i < log->problems.len; i++)
        note(inv, "log '%s': %s", log->path, (const char *)log->problems.items[i]);
    if (log->more_problems)
        note(inv, "log '%s': %llu more records with problems", log->path,
             (unsigned long long)log->more_problems);
}

/* Every DELETE of a manifest or blob through the registry API is an event of its own:
 * the request as logged, its answer and who sent it. */
static void delete_events(struct ra_investigation *inv)
{
    struct ra_buf msg = RA_BUF_INIT, ev = RA_BUF_INIT;
    struct ra_log_request *reqs = NULL;
    size_t i, n = ra_log_deletes(&reqs, inv->logs, inv->nlogs);

    for (i = 0; i < n; i++) {
        const struct ra_log_event *e = reqs[i].ev;
        ra_buf_truncate(&msg, 0);
        ra_buf_truncate(&ev, 0);
        ra_buf_printf(&ev, "%s:%llu", reqs[i].log->path, (unsigned long long)e->line);
        ra_buf_printf(&msg, "registry API %s %s answered %d (", e->method, e->uri,
                      e->status);
        ra_log_describe_client(&msg, e);
        ra_buf_putc(&msg, ')');
        extra_event(inv, RA_EV_LOG, e->time, reqs[i].log->path, ev.ptr, msg.ptr);
    }
    free(reqs);
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
        log_problems(inv, inv->logs[i]);
        log_events(inv, inv->logs[i]);
    }
    delete_events(inv);
    return 0;
}

#define WEEK (7 * 86400)

static const char *short_commit(struct ra_investigation *inv, const char *id)
{
    return ra_pool_strndup(&inv->pool, id, 12);
}

/* A scheduled run as correlate sees it: the job version and registry image in effect. */
static void to_firing(struct ra_investigation *inv, struct ra_firing *f,
                      const struct ra_sched_firing *sf)
{
    const struct ra_job *job = sf->version->job;
    const struct ra_image_version *img = ra_schedule_image_at(inv->schedule, sf->time);
    struct ra_buf b = RA_BUF_INIT;

    f->time = sf->time;
    f->job_id = sf->job->id;
    f->job_name = job->name;
    f->classes = job->classes;
    f->delete_untagged = job->gc.delete_untagged;
    f->dry_run = job->gc.dry_run;
    f->registry_version = img && img->image ? img->image->version : NULL;
    f->version_floating = img ? img->floating : 0;
    ra_buf_printf(&b, "%s:%u", job->path, job->line);
    f->defined_in = ra_pool_strdup(&inv->pool, b.ptr);
    f->commit = short_commit(inv, sf->version->commit->id);
    f->backup_to = job->backup_to;
    f->timezone = job->timezone;
    ra_buf_release(&b);
}

/* The runs of each job inside the incident's period (ra_focus_window), up to the newest
 * evidence (inv->firings_until: later ones are the forecast's), fold into one row ("ran
 * daily at 02:00, 14 times", times of day in the job's own zone when it has one); a run
 * inside a loss window is also an event of its own. */
struct routine {
    const struct ra_firing *first;
    ra_time last; /* UTC */
    struct ra_cadence cadence;
};

static void firing_where(struct ra_buf *b, const struct ra_firing *f)
{
    ra_buf_truncate(b, 0);
    ra_buf_printf(b, "%s @ %s", f->defined_in, f->commit ? f->commit : "?");
}

static void firing_event(struct ra_investigation *inv, const struct ra_firing *f,
                         struct ra_buf *where)
{
    struct ra_buf msg = RA_BUF_INIT;

    ra_buf_printf(&msg, "%s ran", f->job_name);
    if (f->classes & (RA_JOB_GARBAGE_COLLECT | RA_JOB_TAG_PRUNE))
        ra_buf_printf(&msg, " (%s%s%s)",
                      f->classes & RA_JOB_GARBAGE_COLLECT ? "garbage-collect"
                                                          : "tag-prune",
                      f->delete_untagged ? " --delete-untagged" : "",
                      f->dry_run ? " --dry-run" : "");
    firing_where(where, f);
    extra_event(inv, RA_EV_FIRING, f->time, "config", where->ptr, msg.ptr);
    ra_buf_release(&msg);
}

/* t as the job's wall clock: UTC plus its zone's offset at t (UTC when the zone is
 * unknown). */
static ra_time wall_clock(const struct ra_firing *f)
{
    struct ra_tz z = RA_TZ_INIT;
    struct ra_err err = {0};
    ra_time t = f->time;

    if (f->timezone && ra_tz_enter(&z, f->timezone, "job", f->job_name, &err) == 0)
        t += ra_tz_offset(&z, f->time);
    ra_tz_leave(&z);
    return t;
}

static void firing_events(struct ra_investigation *inv)
{
    struct ra_map jobs = RA_MAP_INIT;
    struct ra_vec order = RA_VEC_INIT;
    struct ra_buf msg = RA_BUF_INIT, where = RA_BUF_INIT;
    struct routine *r;
    struct ra_event *e;
    ra_time from, to;
    size_t i;

    ra_focus_window(&from, &to, inv->losses, inv->scans, inv->nscans);
    inv->firings_until = ra_evidence_until(inv, &inv->evidence_until_log);
    for (i = 0; i < inv->nfirings; i++) {
        const struct ra_firing *f = &inv->firings[i];
        if (f->api_delete || f->time > inv->firings_until)
            continue;
        if (ra_focus_in_loss(inv->losses, f->time))
            firing_event(inv, f, &where); /* also counted in its job's row */
    }
    for (i = 0; i < inv->nfirings; i++) {
        const struct ra_firing *f = &inv->firings[i];
        if (f->api_delete || f->time > inv->firings_until ||
            (from != RA_TIME_NONE && (f->time < from || f->time > to)))
            continue;
        if (!(r = ra_map_gets(&jobs, f->job_id))) {
            r = ra_pool_alloc(&inv->pool, sizeof(*r));
            r->first = f;
            r->cadence = (struct ra_cadence)RA_CADENCE_INIT;
            r->cadence.zone = f->timezone;
            ra_map_put(&jobs, f->job_id, strlen(f->job_id), r);
            ra_vec_push(&order, r);
        }
        ra_cadence_add(&r->cadence, wall_clock(f));
        r->last = f->time;
    }
    for (i = 0; i < order.len; i++) {
        r = order.items[i];
        ra_buf_truncate(&msg, 0);
        ra_buf_printf(&msg, "%s ran ", r->first->job_name);
        ra_cadence_text(&msg, &r->cadence);
        firing_where(&where, r->first);
        e = extra_event(inv, RA_EV_FIRING, r->first->time, "config", where.ptr, msg.ptr);
        if (r->cadence.count > 1) {
            e->until = r->last;
            e->count = r->cadence.count;
        }
    }
    ra_map_release(&jobs);
    ra_vec_release(&order);
    ra_buf_release(&msg);
    ra_buf_release(&where);
}

static void commit_events(struct ra_investigation *inv, ra_time from, ra_time to)
{
    const struct ra_schedule *s = inv->schedule;
    struct ra_buf msg = RA_BUF_INIT;
    size_t i, k;

    for (i = 0; i < s->jobs.len; i++) {
        const struct ra_sched_job *j = s->jobs.items[i];
        for (k = 0; k < j->versions.len; k++) {
            const struct ra_job_version *v = j->versions.items[k];
            const struct ra_job *job =
                v->job ? v->job
                       : ((const struct ra_job_version *)j->versions.items[k ? k - 1 : 0])
                             ->job;
            if (v->commit->time < from || v->commit->time > to || !job)
                continue;
            ra_buf_truncate(&msg, 0);
            ra_buf_printf(&msg, "config %s: job %s %s (%s)",
                          short_commit(inv, v->commit->id), job->name, v->change,
                          v->commit->summary);
            extra_event(inv, RA_EV_COMMIT, v->commit->time, "config", job->path, msg.ptr);
        }
    }
    for (i = 0; i < s->images.len; i++) {
        const struct ra_image_version *v = s->images.items[i];
        if (v->commit->time < from || v->commit->time > to)
            continue;
        ra_buf_truncate(&msg, 0);
        ra_buf_printf(&msg, "config %s: registry image %s%s (%s)",
                      short_commit(inv, v->commit->id), v->change,
                      v->floating ? ", a floating tag" : "", v->commit->summary);
        extra_event(inv, RA_EV_COMMIT, v->commit->time, "config",
                    v->image ? v->image->path : "", msg.ptr);
    }
    ra_buf_release(&msg);
}

/* Deleting and backup jobs in effect whose runs have no wall-clock times: said, so that
 * their absence from the timeline is not read as "did not run". */
static void unplaced_jobs(struct ra_investigation *inv)
{
    const struct ra_jobs *js = inv->schedule->head_jobs;
    const char *head = short_commit(inv, inv->schedule->head);
    size_t i;

    for (i = 0; js && i < js->jobs.len; i++) {
        const struct ra_job *j = js->jobs.items[i];
        if (j->disabled || j->absent ||
            !(j->classes & (RA_JOB_GARBAGE_COLLECT | RA_JOB_TAG_PRUNE | RA_JOB_BACKUP)))
            continue;
        if (j->syntax == RA_SCHED_EXTERNAL)
            note(inv,
                 "config: %s job '%s' (%s:%u @ %s) runs on a schedule set outside the "
                 "repository: its runs are not in the timeline",
                 ra_job_class_name(j->cls), j->name, j->path, j->line, head);
        else if (j->syntax == RA_SCHED_MONOTONIC && j->schedule)
            note(inv,
                 "config: %s job '%s' (%s:%u @ %s) runs at an interval ('%s') from its "
                 "scheduler's start: its runs are not in the timeline",
                 ra_job_class_name(j->cls), j->name, j->path, j->line, head, j->schedule);
    }
}

static int read_config(struct ra_investigation *inv, const struct ra_investigate_opts *o,
                       struct ra_err *err)
{
    struct ra_vec sfs = RA_VEC_INIT;
    ra_time from = RA_TIME_NONE, to = RA_TIME_NONE;
    size_t i;
    int error;

    if (!o->config)
        return 0;
    if ((error = ra_schedule_load(&inv->schedule, o->config, o->rev, err)) < 0)
        return error;
    inv->schedule->cluster_tz = o->cluster_tz;
    for (i = 0; i < o->njobs_files; i++)
        if ((error = ra_schedule_add_file(inv->schedule, o->jobs_files[i], err)) < 0)
            return error;
    unplaced_jobs(inv);
    for (i = 0; i < inv->nscans; i++) {
        ra_time t = inv->scans[i]->snap->taken_at;
        if (t == RA_TIME_NONE)
            continue;
        if (from == RA_TIME_NONE || t < from)
            from = t;
        if (to == RA_TIME_NONE || t > to)
            to = t;
    }
    if (from == RA_TIME_NONE) {
        note(inv, "no snapshot has a time: job firings were not computed");
        return 0;
    }
    from -= 8 * 86400;  /* a window without a start looks back 8 days */
    to += WEEK + 86400; /* the next weekly run after the newest snapshot */
    if ((error = ra_schedule_firings(&sfs, inv->schedule, from, to, o->tz, err)) < 0)
        goto done;
    inv->firings = ra_xcalloc(sfs.len + 1, sizeof(*inv->firings));
    for (i = 0; i < sfs.len; i++)
        to_firing(inv, &inv->firings[inv->nfirings++], sfs.items[i]);
    commit_events(inv, RA_TIME_NONE == from ? 0 : from - 60 * 86400, to);
    for (i = 0; i < inv->schedule->problems.len; i++)
        note(inv, "config: %s", (const char *)inv->schedule->problems.items[i]);
done:
    ra_vec_release(&sfs);
    return error;
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
    struct ra_snapshot_opts sopts = RA_SNAPSHOT_OPTS_INIT;
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
    sopts.docs = inv->docs;
    sopts.prev = last->snap; /* the same tree, read a moment ago: all of it is reused */
    if ((error = ra_snapshot_load(&copy, &spec, &sopts, err)) < 0)
        return error;
    popts.taken_at = copy->taken_at;
    popts.tags_only = 1;
    for (i = 0; i < copy->graphs.len; i++) {
        struct ra_prediction *p = ra_pool_alloc(&inv->pool, sizeof(*p));
        struct ra_graph *g = copy->graphs.items[i];
        p->firing = next;
        p->gc.version = next->registry_version && next->registry_version[0] == '3'
                            ? RA_GC_V3
                            : RA_GC_V2;
        p->gc.delete_untagged = next->delete_untagged;
        p->head_config = ra_forecast_head_gc(&p->gc, inv->schedule, next->job_id);
        p->root = g->root;
        p->snap = i ? NULL : copy; /* the first prediction owns the copy */
        ra_pull_analyze(&p->before, g, &popts);
        ra_gc_simulate(&p->result, g, &p->gc);
        ra_gc_apply(g, p->result);
        ra_pull_analyze(&p->after, g, &popts);
        ra_vec_push(&inv->predictions, p);
        if (p->result->aborted) {
            char when[RA_TIME_STRLEN];
            note(inv,
                 "the next garbage-collect, %s at %s, stops in its mark phase and "
                 "deletes nothing in registry '%s', as the real one does: %s",
                 next->job_name, ra_time_format(when, next->time),
                 g->root[0] ? g->root : ".", p->result->aborted);
        }
    }
    if (!copy->graphs.len)
        ra_snapshot_free(copy);
    return 0;
}

static void build_timeline(struct ra_investigation *inv)
{
    struct ra_event *flat = ra_xcalloc(inv->extra.len + 1, sizeof(*flat));
    size_t i;

    for (i = 0; i < inv->extra.len; i++)
        flat[i] = *(struct ra_event *)inv->extra.items[i];
    ra_timeline_end(&inv->timeline, inv->tb, inv->losses, flat, inv->extra.len);
    inv->tb = NULL;
    free(flat);
}

int ra_investigate(struct ra_investigation **out, const struct ra_investigate_opts *o,
                   struct ra_err *err)
{
    struct ra_investigation *inv = ra_xcalloc(1, sizeof(*inv));
    struct reader rd = {0};
    int error;

    *out = NULL;
    ra_docs_new(&inv->docs);
    rd.inv = inv;
    rd.o = o;
    rd.topts.fold = o->fold;
    if (!o->nsnapshots) {
        error = ra_err_set(err, RA_EUSAGE, "no SNAPSHOT given");
        goto done;
    }
    if ((error = read_snapshots(&rd, err)) < 0 || (error = read_logs(inv, o, err)) < 0 ||
        (error = read_config(inv, o, err)) < 0)
        goto done;
    if (inv->nfirings)
        qsort(inv->firings, inv->nfirings, sizeof(*inv->firings), cmp_firing);
    ra_snaptime_from_backups(inv->scans, inv->nscans, inv->firings, inv->nfirings,
                             &inv->pool, &inv->notes);
    if ((error = finish_snapshots(&rd, err)) < 0)
        goto done;
    ra_losses_narrow_by_logs(inv->losses, inv->logs, inv->nlogs);
    first_404s(inv);
    ra_correlate(&inv->corr, inv->losses, inv->firings, inv->nfirings);
    ra_correlate_logs(inv->corr, inv->logs, inv->nlogs);
    firing_events(inv);
    build_timeline(inv);
    if ((error = predict(inv, o, err)) < 0)
        goto done;
    *out = inv;
    inv = NULL;
done:
    reader_release(&rd);
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
    free(inv->reads);
    ra_timeline_free(inv->timeline);
    ra_timeline_builder_free(inv->tb);
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
    ra_schedule_free(inv->schedule);
    ra_vec_release(&inv->notes);
    ra_docs_free(inv->docs); /* after every graph that points at its documents */
    ra_pool_release(&inv->pool);
    free(inv);
}
