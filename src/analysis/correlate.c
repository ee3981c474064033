/* SPDX-License-Identifier: MIT */
/* Fingerprints and suspects for each loss. */
#include "analysis/correlate.h"

#include <stdarg.h>
#include <stdlib.h>

#include "analysis/correlate_internal.h"
#include "analysis/gcsim.h"
#include "analysis/logs.h"
#include "config/jobs/jobs.h"
#include "model/graph.h"
#include "util/buf.h"

#define UNBOUNDED_LOOKBACK (8 * 86400) /* a window with no start: the week before */

static const char *const fp_names[RA_FP__COUNT] = {
    "gc_v2_untagged_index_children",
    "gc_sweep",
    "tag_prune",
    "tag_prune_then_gc",
    "gc_race_push",
    "lost_files",
    "gc_log",
    "api_delete",
};

const char *ra_fingerprint_name(enum ra_fingerprint fp)
{
    return (unsigned)fp < RA_FP__COUNT ? fp_names[fp] : "";
}

const char *ra_confidence_name(enum ra_confidence c)
{
    static const char *const names[] = {"high", "medium", "low"};
    return (unsigned)c < RA_ARRAY_SIZE(names) ? names[c] : "";
}

void ra_correlate_add_match(struct ra_correlation *res, struct ra_cause *cause,
                            enum ra_fingerprint fp, const char *fmt, ...)
{
    struct ra_match *m = ra_pool_alloc(&res->pool, sizeof(*m));
    struct ra_buf b = RA_BUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    ra_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    m->fp = fp;
    m->detail = ra_pool_strdup(&res->pool, ra_buf_cstr(&b));
    ra_vec_push(&cause->matches, m);
    ra_buf_release(&b);
}

static void drop_matches(struct ra_cause *cause, enum ra_fingerprint fp)
{
    size_t i, n = 0;

    for (i = 0; i < cause->matches.len; i++)
        if (((const struct ra_match *)cause->matches.items[i])->fp != fp)
            cause->matches.items[n++] = cause->matches.items[i];
    cause->matches.len = n;
}

static int matched(const struct ra_cause *cause, enum ra_fingerprint fp)
{
    size_t i;

    for (i = 0; i < cause->matches.len; i++)
        if (((const struct ra_match *)cause->matches.items[i])->fp == fp)
            return 1;
    return 0;
}

int ra_correlate_matched(const struct ra_cause *cause, enum ra_fingerprint fp)
{
    return matched(cause, fp);
}

void ra_correlate_drop(struct ra_cause *cause, enum ra_fingerprint fp)
{
    drop_matches(cause, fp);
}

static int can_delete(const struct ra_firing *f, enum ra_object_kind obj)
{
    int gc = (f->classes & RA_JOB_GARBAGE_COLLECT) && !f->dry_run;
    int v3 = f->registry_version && f->registry_version[0] == '3';

    switch (obj) {
    case RA_OBJ_BLOB:
        return gc;
    case RA_OBJ_MANIFEST_LINK:
        return (gc && f->delete_untagged) || (f->classes & RA_JOB_TAG_PRUNE);
    case RA_OBJ_LAYER_LINK:
        return gc && v3;
    case RA_OBJ_TAG:
        return (f->classes & RA_JOB_TAG_PRUNE) != 0;
    }
    return 0;
}

static void judge(struct ra_corr *c, struct ra_cause *cause, const struct ra_firing *f,
                  enum ra_confidence *conf, struct ra_buf *why)
{
    const struct ra_loss *l = cause->loss;
    int gc = (f->classes & RA_JOB_GARBAGE_COLLECT) != 0;

    *conf = RA_CONF_MEDIUM;
    ra_buf_printf(why, "%s (%s%s%s) ran in the window and can delete %s", f->job_name,
                  f->defined_in ? f->defined_in : "?", f->commit ? " @ " : "",
                  f->commit ? f->commit : "",
                  l->object == RA_OBJ_TAG ? "tags" : "this kind of object");
    if (gc)
        ra_correlate_judge_gc(c, cause, f, conf, why);
    if ((f->classes & RA_JOB_TAG_PRUNE) && matched(cause, RA_FP_TAG_PRUNE)) {
        *conf = RA_CONF_HIGH;
        ra_buf_puts(why, "; it removes tag folders, and this tag's folder is gone");
        ra_correlate_api_judge(cause, conf, why);
    } else if (!gc && l->object != RA_OBJ_TAG &&
               (matched(cause, RA_FP_GC_SWEEP) || matched(cause, RA_FP_GC_LOG) ||
                (matched(cause, RA_FP_GC_V2_INDEX_CHILDREN) && !cause->m_abort))) {
        *conf = RA_CONF_LOW;
        ra_buf_puts(why, "; but a garbage collector explains this loss, and pruning tags "
                         "does not delete it by itself");
    }
    if (gc && f->delete_untagged)
        ra_correlate_m_stop_note(c, why, l);
    if (l->from.time == RA_TIME_NONE && *conf == RA_CONF_HIGH) {
        *conf = RA_CONF_MEDIUM;
        ra_buf_puts(why, "; the window has no known start");
    }
}

static int cmp_suspect(const void *a, const void *b)
{
    const struct ra_suspect *x = *(void *const *)a, *y = *(void *const *)b;
    ra_time tx = x->firing->time, ty = y->firing->time;

    if (x->confidence != y->confidence)
        return x->confidence < y->confidence ? -1 : 1;
    if (tx != ty) /* an unknown time (a DELETE no log shows) after known ones */
        return ty == RA_TIME_NONE || (tx != RA_TIME_NONE && tx < ty) ? -1 : 1;
    return strcmp(x->firing->job_id, y->firing->job_id);
}

int ra_correlate_cmp_suspect(const void *a, const void *b)
{
    return cmp_suspect(a, b);
}

static void suspects(struct ra_corr *c, struct ra_cause *cause)
{
    const struct ra_loss *l = cause->loss;
    ra_time from = l->from.time, to = l->to.time;
    struct ra_buf why = RA_BUF_INIT;
    size_t i;

    if (to == RA_TIME_NONE)
        return;
    if (from == RA_TIME_NONE)
        from = to - UNBOUNDED_LOOKBACK;
    else if (matched(cause, RA_FP_GC_RACE))
        from -= RA_CORRELATE_RACE_SECONDS; /* a run that began just before the push
                                              swept its blobs */
    for (i = 0; i < c->nfirings; i++) {
        const struct ra_firing *f = &c->firings[i];
        struct ra_suspect *s;
        if (f->time <= from || f->time > to || !can_delete(f, l->object))
            continue;
        s = ra_pool_alloc(&c->res->pool, sizeof(*s));
        s->firing = f;
        ra_buf_truncate(&why, 0);
        judge(c, cause, f, &s->confidence, &why);
        s->reason = ra_pool_strdup(&c->res->pool, ra_buf_cstr(&why));
        ra_vec_push(&cause->suspects, s);
    }
    ra_vec_sort(&cause->suspects, cmp_suspect);
    ra_buf_release(&why);
}

void ra_correlate(struct ra_correlation **out, const struct ra_losses *losses,
                  const struct ra_firing *firings, size_t nfirings)
{
    struct ra_correlation *res = ra_xcalloc(1, sizeof(*res));
    struct ra_corr c = {losses,      firings,     nfirings,    res,
                        RA_VEC_INIT, RA_BUF_INIT, RA_VEC_INIT, RA_VEC_INIT};
    size_t i;

    res->losses = losses;
    res->firings = firings;
    res->nfirings = nfirings;
    for (i = 0; i < losses->items.len; i++) {
        struct ra_cause *cause = ra_pool_alloc(&res->pool, sizeof(*cause));
        const struct ra_loss *l = losses->items.items[i];
        const struct ra_graph *g =
            ra_scan_graph(losses->scans[l->first_missing], l->root);
        cause->loss = l;
        cause->m_abort = ra_correlate_m_abort(&c, l);
        if (g) {
            ra_correlate_fp_v2_children(&c, cause, g);
            ra_correlate_v2_children_note(&c, cause);
            ra_correlate_fp_kept_by_gc(&c, cause, g);
        }
        ra_correlate_fp_simulated(&c, cause);
        if (cause->m_abort && l->object == RA_OBJ_BLOB &&
            matched(cause, RA_FP_GC_V2_INDEX_CHILDREN))
            drop_matches(cause, RA_FP_LOST_FILES); /* a GC without -m after an unlink */
        ra_correlate_fp_tag(&c, cause);
        ra_correlate_api_trace(res, cause);
        ra_correlate_fp_race(&c, cause);
        if (matched(cause, RA_FP_GC_RACE))
            drop_matches(cause, RA_FP_LOST_FILES); /* a race is what the GC did */
        suspects(&c, cause);
        ra_correlate_api_suspect(res, cause);
        ra_vec_push(&res->causes, cause);
    }
    ra_correlate_gc_release(&c);
    ra_correlate_storage_release(&c);
    ra_buf_release(&c.tmp);
    *out = res;
}

void ra_correlation_free(struct ra_correlation *c)
{
    size_t i;

    if (!c)
        return;
    for (i = 0; i < c->causes.len; i++) {
        struct ra_cause *cause = c->causes.items[i];
        ra_vec_release(&cause->matches);
        ra_vec_release(&cause->suspects);
    }
    ra_vec_release(&c->causes);
    ra_vec_release(&c->logged_deletes);
    ra_pool_release(&c->pool);
    free(c);
}

/* The GC log line that names this loss, if any. */
static const struct ra_log_event *gc_log_event(const struct ra_log *log,
                                               const struct ra_loss *l)
{
    static const enum ra_log_kind blob_kinds[] = {RA_LOG_GC_DELETE_BLOB,
                                                  RA_LOG_GC_BLOB_ELIGIBLE};
    static const enum ra_log_kind man_kinds[] = {RA_LOG_GC_DELETE_MANIFEST,
                                                 RA_LOG_GC_MANIFEST_ELIGIBLE};
    const enum ra_log_kind *kinds = l->object == RA_OBJ_BLOB ? blob_kinds : man_kinds;
    const struct ra_log_event *e;
    size_t i;

    if (l->object != RA_OBJ_BLOB && l->object != RA_OBJ_MANIFEST_LINK)
        return NULL;
    for (i = 0; i < 2; i++)
        if ((e = ra_log_find(log, kinds[i], &l->digest)) &&
            (l->object == RA_OBJ_BLOB || !e->repository[0] ||
             !strcmp(e->repository, l->repository)))
            return e;
    return NULL;
}

static int same_run(const struct ra_firing *f, const struct ra_log_event *e)
{
    if (e->time == RA_TIME_NONE)
        return 0;
    if (e->time_exact)
        return llabs(f->time - e->time) <= 3600;
    return f->time >= e->time && f->time < e->time + 86400; /* the log's day */
}

void ra_correlate_logs(struct ra_correlation *res, struct ra_log *const *logs,
                       size_t nlogs)
{
    struct ra_buf tmp = RA_BUF_INIT;
    size_t i, k, j;

    for (i = 0; i < res->causes.len; i++) {
        struct ra_cause *cause = res->causes.items[i];
        for (k = 0; k < nlogs; k++) {
            const struct ra_log_event *e = gc_log_event(logs[k], cause->loss);
            if (!e)
                continue;
            ra_correlate_add_match(
                res, cause, RA_FP_GC_LOG, "%s:%llu lists it %s", logs[k]->path,
                (unsigned long long)e->line,
                e->kind == RA_LOG_GC_BLOB_ELIGIBLE ? "as a blob eligible for deletion"
                : e->kind == RA_LOG_GC_MANIFEST_ELIGIBLE ? "as a manifest eligible for "
                                                           "deletion"
                                                         : "as deleted");
            for (j = 0; j < cause->suspects.len; j++) {
                struct ra_suspect *s = cause->suspects.items[j];
                if (!(s->firing->classes & RA_JOB_GARBAGE_COLLECT) ||
                    !same_run(s->firing, e))
                    continue;
                s->confidence = RA_CONF_HIGH;
                ra_buf_truncate(&tmp, 0);
                ra_buf_printf(&tmp,
                              "%s; the GC log of that run lists this object (%s:%llu)",
                              s->reason, logs[k]->path, (unsigned long long)e->line);
                s->reason = ra_pool_strdup(&res->pool, tmp.ptr);
            }
            ra_vec_sort(&cause->suspects, cmp_suspect);
            break;
        }
    }
    ra_buf_release(&tmp);
    ra_correlate_api_logs(res, logs, nlogs);
}

int ra_correlation_v2_children(const struct ra_correlation *c)
{
    size_t i;
    int any = 0;

    for (i = 0; i < c->causes.len; i++) {
        const struct ra_cause *cause = c->causes.items[i];
        if (!matched(cause, RA_FP_GC_V2_INDEX_CHILDREN))
            continue;
        if (!cause->m_abort)
            return 1;
        any = 2;
    }
    return any;
}
