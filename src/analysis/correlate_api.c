/* SPDX-License-Identifier: MIT */
/* The api_delete fingerprint: a DELETE through the registry API, told by the trace it
 * leaves in storage (a tag's folder and its manifest's revision link gone together, no
 * garbage-collect), or by the registry's own log of the request. */
#include "analysis/correlate_internal.h"

#include <stdarg.h>
#include <stdlib.h>

#include "analysis/gcsim.h"
#include "analysis/logs.h"
#include "config/jobs/jobs.h"
#include "model/graph.h"
#include "util/buf.h"

#define SLACK 2 /* seconds: logs have whole seconds; the answer follows the delete */
#define CLIENT_BEFORE 3600 /* a prune job this long before a DELETE may have sent it */

/* What a tag-prune suspect's reason says while nothing tells the two apart. */
static const char ambiguous[] = "; but a DELETE through the registry API leaves the same "
                                "trace, and without the registry's log (--log) the two "
                                "cannot be told apart";

static const struct ra_repo *repo_in(const struct ra_correlation *res, size_t snap,
                                     const struct ra_loss *l)
{
    const struct ra_graph *g = ra_scan_graph(res->losses->scans[snap], l->root);

    return g ? ra_map_gets(&g->repos, l->repository) : NULL;
}

/* Did a garbage-collect that removes revision links (-m, no dry run) fire in the window?
 * (Also where it aborts, m_abort: so does a DELETE's tag lookup there, which leaves the
 * tag folders, so the trace is not a DELETE's either.) */
static int gc_m_in_window(const struct ra_correlation *res, const struct ra_cause *cause)
{
    const struct ra_loss *l = cause->loss;
    size_t i;

    for (i = 0; i < res->nfirings; i++) {
        const struct ra_firing *f = &res->firings[i];
        if ((f->classes & RA_JOB_GARBAGE_COLLECT) && f->delete_untagged && !f->dry_run &&
            (l->from.time == RA_TIME_NONE || f->time > l->from.time) &&
            (l->to.time == RA_TIME_NONE || f->time <= l->to.time))
            return 1;
    }
    return 0;
}

/* A tag loss: the tag's folder and the revision link of the manifest it named are both
 * gone in the first snapshot without it, the manifest's data is still there (a GC that
 * unlinked it would have swept it) and no GC with -m fired in the window. */
static void tag_trace(struct ra_correlation *res, struct ra_cause *cause)
{
    const struct ra_loss *l = cause->loss;
    const struct ra_scan *miss = res->losses->scans[l->first_missing];
    const struct ra_graph *g = ra_scan_graph(miss, l->root);
    const struct ra_repo *r, *pr;
    const struct ra_blob *b;
    struct ra_digest target;
    char d[RA_DIGEST_STRLEN];

    if (!g || !ra_correlate_tag_target(&target, res->losses, l))
        return;
    r = ra_map_gets(&g->repos, l->repository);
    pr = repo_in(res, l->last_present, l);
    if ((r && (ra_map_gets(&r->tags, l->tag_name) ||
               ra_graph_find_link(&r->revisions, &target))) ||
        !pr || !ra_graph_find_link(&pr->revisions, &target) ||
        !(b = ra_graph_find_blob(g, &target)) || !b->present ||
        gc_m_in_window(res, cause))
        return;
    ra_correlate_add_match(
        res, cause, RA_FP_API_DELETE,
        "the folder of tag '%s:%s' and the revision link of its manifest %s vanished "
        "together between %s and %s, the manifest's data is still there, and no "
        "garbage-collect with --delete-untagged is known to run in between: a DELETE "
        "of the manifest through the registry API does exactly this (it removes the "
        "revision link and the folder of every tag pointing at it); a script that "
        "removes both leaves the same trace, and without the registry's log (--log) "
        "the two cannot be told apart",
        l->repository, l->tag_name, ra_digest_format(d, &target),
        res->losses->scans[l->last_present]->snap->name, miss->snap->name);
    ra_correlate_drop(cause, RA_FP_TAG_PRUNE_THEN_GC); /* no GC took the revision link */
}

/* A _layers link loss with the blob's data still there: no GC removes such a link. */
static void layer_trace(struct ra_correlation *res, struct ra_cause *cause)
{
    const struct ra_loss *l = cause->loss;
    const struct ra_graph *g =
        ra_scan_graph(res->losses->scans[l->first_missing], l->root);
    const struct ra_blob *b = g ? ra_graph_find_blob(g, &l->digest) : NULL;
    char d[RA_DIGEST_STRLEN];

    if (!b || !b->present)
        return;
    ra_correlate_add_match(
        res, cause, RA_FP_API_DELETE,
        "the _layers link of %s in '%s' is gone while the blob's data is still there: "
        "a DELETE of the blob through the registry API removes exactly this link; so "
        "does a hand, and without the registry's log (--log) the two cannot be told "
        "apart",
        ra_digest_format(d, &l->digest), l->repository);
}

/* A revision link loss with the manifest's data still there, in a window where no
 * garbage-collect with --delete-untagged could run (m_abort): no GC removed it. */
static void revision_trace(struct ra_correlation *res, struct ra_cause *cause)
{
    const struct ra_loss *l = cause->loss;
    char d[RA_DIGEST_STRLEN];

    if (!cause->m_abort || !l->child_blob_present)
        return;
    ra_correlate_add_match(
        res, cause, RA_FP_API_DELETE,
        "the revision link of %s in '%s' is gone while the manifest's data is still "
        "there, and no garbage-collect with --delete-untagged could run in the window "
        "(it "
        "aborts on %s): a DELETE of the manifest through the registry API removes "
        "exactly "
        "this link; so does a hand, and without the registry's log (--log) the two "
        "cannot "
        "be told apart",
        ra_digest_format(d, &l->digest), l->repository, cause->m_abort);
}

void ra_correlate_api_trace(struct ra_correlation *res, struct ra_cause *cause)
{
    if (cause->loss->object == RA_OBJ_TAG && cause->loss->last_present != SIZE_MAX)
        tag_trace(res, cause);
    else if (cause->loss->object == RA_OBJ_LAYER_LINK)
        layer_trace(res, cause);
    else if (cause->loss->object == RA_OBJ_MANIFEST_LINK)
        revision_trace(res, cause);
}

void ra_correlate_api_judge(const struct ra_cause *cause, enum ra_confidence *conf,
                            struct ra_buf *why)
{
    if (!ra_correlate_matched(cause, RA_FP_API_DELETE) || *conf != RA_CONF_HIGH)
        return;
    *conf = RA_CONF_MEDIUM;
    ra_buf_puts(why, ambiguous);
}

static void add_suspect(struct ra_correlation *res, struct ra_cause *cause,
                        const struct ra_firing *f, enum ra_confidence conf,
                        const char *why)
{
    struct ra_suspect *s = ra_pool_alloc(&res->pool, sizeof(*s));

    s->firing = f;
    s->confidence = conf;
    s->reason = ra_pool_strdup(&res->pool, why);
    ra_vec_push(&cause->suspects, s);
    ra_vec_sort(&cause->suspects, ra_correlate_cmp_suspect);
}

void ra_correlate_api_suspect(struct ra_correlation *res, struct ra_cause *cause)
{
    struct ra_firing *f = res->unlogged_delete;

    if (!ra_correlate_matched(cause, RA_FP_API_DELETE))
        return;
    if (!f) {
        f = res->unlogged_delete = ra_pool_alloc(&res->pool, sizeof(*f));
        f->time = RA_TIME_NONE;
        f->job_id = "api-delete";
        f->job_name = "a DELETE through the registry API (no log given shows it)";
        f->api_delete = 1;
    }
    add_suspect(
        res, cause, f, RA_CONF_MEDIUM,
        "the storage shows the trace of a DELETE through the registry API; without "
        "the registry's log (--log) it cannot be told apart from a script that "
        "removed the same files, nor dated or tied to a client");
}

/* ---- logged requests ----------------------------------------------------------------
 */

static int in_window(const struct ra_loss *l, ra_time t)
{
    return (l->from.time == RA_TIME_NONE || t > l->from.time - SLACK) &&
           (l->to.time == RA_TIME_NONE || t <= l->to.time + SLACK);
}

/* The entry of the repository's tags folder that 2.8's tag lookup fails on, in the last
 * snapshot that had l, or NULL. */
static const char *lookup_entry(const struct ra_correlation *res, const struct ra_loss *l)
{
    const struct ra_graph *g;
    const struct ra_repo *r;

    if (l->last_present == SIZE_MAX ||
        !(g = ra_scan_graph(res->losses->scans[l->last_present], l->root)) ||
        !(r = ra_map_gets(&g->repos, l->repository)))
        return NULL;
    return ra_gc_lookup_entry(g, r);
}

/* A manifest DELETE answered 500 that removed the revision link all the same: 2.8.2
 * removes the link first, then looks up the tags to untag, which fails on such an
 * entry (tags stay). */
static int removed_then_failed(const struct ra_correlation *res, const struct ra_loss *l,
                               const struct ra_log_event *e)
{
    return e->status == 500 && l->object == RA_OBJ_MANIFEST_LINK &&
           lookup_entry(res, l) != NULL;
}

/* Did this request (answered 2xx, or removed_then_failed; in the window) remove the
 * lost object? */
static int removed(const struct ra_correlation *res, const struct ra_loss *l,
                   const struct ra_log_event *e)
{
    struct ra_digest target;

    if (((e->status < 200 || e->status > 299) && !removed_then_failed(res, l, e)) ||
        strcmp(e->repository, l->repository) || !e->time_exact || !in_window(l, e->time))
        return 0;
    switch (l->object) {
    case RA_OBJ_TAG:
        if (e->object != RA_LOG_OBJ_MANIFEST)
            return 0;
        if (!e->has_digest) /* 3.x deletes a tag by name */
            return !strcmp(e->reference, l->tag_name);
        return ra_correlate_tag_target(&target, res->losses, l) &&
               !ra_digest_cmp(&e->digest, &target);
    case RA_OBJ_MANIFEST_LINK:
        return e->object == RA_LOG_OBJ_MANIFEST && e->has_digest &&
               !ra_digest_cmp(&e->digest, &l->digest);
    case RA_OBJ_LAYER_LINK:
        return e->object == RA_LOG_OBJ_BLOB && e->has_digest &&
               !ra_digest_cmp(&e->digest, &l->digest);
    default:
        return 0;
    }
}

/* The suspect of a logged request: one per request, shared by the losses it explains. */
static const struct ra_firing *logged_firing(struct ra_correlation *res,
                                             const struct ra_log_request *r)
{
    struct ra_buf b = RA_BUF_INIT;
    struct ra_firing *f;
    size_t i;

    for (i = 0; i < res->logged_deletes.len; i++) {
        f = res->logged_deletes.items[i];
        if (f->request == r->ev)
            return f;
    }
    f = ra_pool_alloc(&res->pool, sizeof(*f));
    f->time = r->ev->time;
    f->api_delete = 1;
    f->request = r->ev;
    f->request_log = r->log->path;
    ra_buf_printf(&b, "%s:%llu", r->log->path, (unsigned long long)r->ev->line);
    f->defined_in = ra_pool_strdup(&res->pool, b.ptr);
    ra_buf_truncate(&b, 0);
    ra_buf_printf(&b, "api-delete:%s", f->defined_in);
    f->job_id = ra_pool_strdup(&res->pool, b.ptr);
    ra_buf_truncate(&b, 0);
    ra_buf_printf(&b, "%s %s", r->ev->method, r->ev->uri);
    f->job_name = ra_pool_strdup(&res->pool, b.ptr);
    ra_vec_push(&res->logged_deletes, f);
    ra_buf_release(&b);
    return f;
}

/* The other suspects, now that the log shows what removed the object: a 2xx answer
 * proves it was there until that request. A prune job that ran shortly before may be
 * the client that sent it. */
static void demote_others(struct ra_correlation *res, struct ra_cause *cause,
                          const struct ra_log_request *r, const char *where)
{
    struct ra_buf why = RA_BUF_INIT;
    size_t i, n = 0;

    for (i = 0; i < cause->suspects.len; i++) {
        struct ra_suspect *s = cause->suspects.items[i];
        const struct ra_firing *f = s->firing;
        if (f == res->unlogged_delete)
            continue; /* the log shows it now */
        ra_buf_truncate(&why, 0);
        ra_buf_puts(&why, s->reason);
        if (why.len >= sizeof(ambiguous) - 1 &&
            !strcmp(why.ptr + why.len - (sizeof(ambiguous) - 1), ambiguous))
            ra_buf_truncate(&why,
                            why.len - (sizeof(ambiguous) - 1)); /* the log tells now */
        if ((f->classes & RA_JOB_TAG_PRUNE) && f->time <= r->ev->time &&
            r->ev->time - f->time <= CLIENT_BEFORE) {
            s->confidence = RA_CONF_MEDIUM;
            ra_buf_printf(&why,
                          "; it ran %lld seconds before the logged DELETE (%s) and may "
                          "be the client that sent it",
                          (long long)(r->ev->time - f->time), where);
        } else {
            s->confidence = RA_CONF_LOW;
            ra_buf_printf(&why,
                          "; but the registry's log shows the DELETE through its API "
                          "that removed this (%s)",
                          where);
        }
        s->reason = ra_pool_strdup(&res->pool, why.ptr);
        cause->suspects.items[n++] = s;
    }
    cause->suspects.len = n;
    ra_buf_release(&why);
}

static void logged(struct ra_correlation *res, struct ra_cause *cause,
                   const struct ra_log_request *r)
{
    const struct ra_log_event *e = r->ev;
    const struct ra_firing *f = logged_firing(res, r);
    struct ra_buf who = RA_BUF_INIT, why = RA_BUF_INIT;
    char when[RA_TIME_STRLEN];

    /* The request explains the loss: the trace, and the patterns of the other deleters
     * that fit it, are no longer what happened. */
    ra_correlate_drop(cause, RA_FP_API_DELETE);
    ra_correlate_drop(cause, RA_FP_TAG_PRUNE);
    ra_correlate_drop(cause, RA_FP_TAG_PRUNE_THEN_GC);
    ra_correlate_drop(cause, RA_FP_LOST_FILES);
    ra_correlate_drop(cause, RA_FP_GC_V2_INDEX_CHILDREN);
    ra_correlate_drop(cause, RA_FP_GC_SWEEP);
    ra_log_describe_client(&who, e);
    ra_correlate_add_match(res, cause, RA_FP_API_DELETE,
                           "%s: %s %s answered %d at %s (%s)", f->defined_in, e->method,
                           e->uri, e->status, ra_time_format(when, e->time), who.ptr);
    demote_others(res, cause, r, f->defined_in);
    ra_buf_printf(&why,
                  "the registry's log records this DELETE through its API (%s), "
                  "answered %d at %s (%s): ",
                  f->defined_in, e->status, when, who.ptr);
    if (e->status == 500)
        ra_buf_printf(&why,
                      "Distribution 2.8 removes the manifest's revision link first, then "
                      "looks up the tags to untag, which fails on repositories/%s/"
                      "_manifests/tags/%s, and answers 500 (tags stay)",
                      cause->loss->repository, lookup_entry(res, cause->loss));
    else
        ra_buf_puts(&why, e->object == RA_LOG_OBJ_BLOB
                              ? "a blob DELETE removes the repository's _layers link"
                              : "a manifest DELETE removes its revision link and the "
                                "folder of every tag pointing at it");
    add_suspect(res, cause, f, RA_CONF_HIGH, why.ptr);
    ra_buf_release(&who);
    ra_buf_release(&why);
}

/* The span of time the logs' HTTP requests cover. */
static void http_span(ra_time *from, ra_time *to, struct ra_log *const *logs,
                      size_t nlogs)
{
    size_t k, i;

    *from = *to = RA_TIME_NONE;
    for (k = 0; k < nlogs; k++) {
        for (i = 0; i < logs[k]->events.len; i++) {
            const struct ra_log_event *e = logs[k]->events.items[i];
            if (e->kind != RA_LOG_HTTP_REQUEST || !e->time_exact)
                continue;
            if (*from == RA_TIME_NONE || e->time < *from)
                *from = e->time;
            if (*to == RA_TIME_NONE || e->time > *to)
                *to = e->time;
        }
    }
}

/* A trace that no logged request explains: say what the logs cover. */
static void unexplained(struct ra_correlation *res, struct ra_cause *cause, ra_time from,
                        ra_time to)
{
    const struct ra_loss *l = cause->loss;
    char t1[RA_TIME_STRLEN], t2[RA_TIME_STRLEN];
    struct ra_buf why = RA_BUF_INIT;
    size_t i;
    int covered = from != RA_TIME_NONE && l->from.time != RA_TIME_NONE &&
                  l->to.time != RA_TIME_NONE && from <= l->from.time && to >= l->to.time;

    for (i = 0; i < cause->suspects.len; i++) {
        struct ra_suspect *s = cause->suspects.items[i];
        if (s->firing != res->unlogged_delete)
            continue;
        ra_buf_puts(&why, s->reason);
        if (covered) {
            s->confidence = RA_CONF_LOW;
            ra_buf_printf(&why,
                          "; but the registry logs given cover the window (requests "
                          "from %s to %s) and record no such DELETE",
                          ra_time_format(t1, from), ra_time_format(t2, to));
        } else {
            ra_buf_puts(&why, "; the registry logs given record no such DELETE, but they "
                              "do not cover the whole window");
        }
        s->reason = ra_pool_strdup(&res->pool, why.ptr);
    }
    ra_vec_sort(&cause->suspects, ra_correlate_cmp_suspect);
    ra_buf_release(&why);
}

void ra_correlate_api_logs(struct ra_correlation *res, struct ra_log *const *logs,
                           size_t nlogs)
{
    struct ra_log_request *reqs = NULL;
    size_t n = ra_log_deletes(&reqs, logs, nlogs), i, k;
    ra_time from, to;

    http_span(&from, &to, logs, nlogs);
    for (i = 0; i < res->causes.len; i++) {
        struct ra_cause *cause = res->causes.items[i];
        for (k = 0; k < n && !removed(res, cause->loss, reqs[k].ev); k++)
            ;
        if (k < n)
            logged(res, cause, &reqs[k]);
        else if (from != RA_TIME_NONE && ra_correlate_matched(cause, RA_FP_API_DELETE))
            unexplained(res, cause, from, to);
    }
    free(reqs);
}

int ra_correlation_unlogged_delete(const struct ra_correlation *c)
{
    size_t i, j;

    for (i = 0; c->unlogged_delete && i < c->causes.len; i++) {
        const struct ra_cause *cause = c->causes.items[i];
        for (j = 0; j < cause->suspects.len; j++) {
            const struct ra_suspect *s = cause->suspects.items[j];
            if (s->firing == c->unlogged_delete && s->confidence != RA_CONF_LOW)
                return 1;
        }
    }
    return 0;
}

int ra_correlation_lost_files_alone(const struct ra_correlation *c)
{
    size_t i;

    for (i = 0; i < c->causes.len; i++) {
        const struct ra_cause *cause = c->causes.items[i];
        if (ra_correlate_matched(cause, RA_FP_LOST_FILES) &&
            !ra_correlate_matched(cause, RA_FP_API_DELETE))
            return 1;
    }
    return 0;
}
