/* SPDX-License-Identifier: MIT */
/* The post-mortem's decisions. */
#include "analysis/postmortem.h"

#include <stdlib.h>
#include <string.h>

#include "analysis/alert_match.h"
#include "analysis/focus.h"
#include "analysis/history.h"
#include "analysis/investigate.h"
#include "config/jobs/jobs.h"
#include "config/pipelines/pipelines.h"
#include "config/sched/schedule.h"
#include "ingest/layout.h"
#include "ingest/source.h"
#include "model/graph.h"
#include "util/map.h"
#include "util/shell.h"

/* ---- loss window and focus ---- */

static void loss_bounds(struct ra_postmortem *pm, const struct ra_investigation *inv)
{
    size_t i;

    pm->loss_from = pm->loss_to = RA_TIME_NONE;
    for (i = 0; i < inv->losses->items.len; i++) {
        const struct ra_loss *l = inv->losses->items.items[i];
        if (l->from.time != RA_TIME_NONE &&
            (pm->loss_from == RA_TIME_NONE || l->from.time < pm->loss_from))
            pm->loss_from = l->from.time;
        if (l->to.time != RA_TIME_NONE &&
            (pm->loss_to == RA_TIME_NONE || l->to.time < pm->loss_to))
            pm->loss_to = l->to.time;
    }
}

static void focus(struct ra_postmortem *pm, const struct ra_investigation *inv)
{
    ra_focus_window(&pm->focus_from, &pm->focus_to, inv->losses, inv->scans, inv->nscans);
}

int ra_postmortem_in_focus(const struct ra_postmortem *pm, ra_time time, ra_time until)
{
    ra_time end = until != RA_TIME_NONE ? until : time;

    return pm->focus_from == RA_TIME_NONE ||
           (time != RA_TIME_NONE && end >= pm->focus_from && time <= pm->focus_to);
}

/* ---- detection ---- */

static void first_failed_pipeline(struct ra_postmortem *pm,
                                  const struct ra_investigation *inv)
{
    struct ra_vec v = RA_VEC_INIT;
    size_t i;

    for (i = 0; i < inv->nlogs; i++) {
        v.len = 0;
        if (ra_log_failed_pipelines(&v, inv->logs[i], pm->loss_from, RA_TIME_NONE) &&
            (!pm->first_failed_pipeline.event ||
             ((struct ra_log_event *)v.items[0])->time <
                 pm->first_failed_pipeline.event->time)) {
            pm->first_failed_pipeline.event = v.items[0];
            pm->first_failed_pipeline.log = inv->logs[i]->path;
        }
    }
    ra_vec_release(&v);
}

/* The earliest first 404 of the losses (analysis/losses finds each loss's). */
static void first_404(struct ra_postmortem *pm, const struct ra_investigation *inv)
{
    const struct ra_loss *l = ra_losses_first_404(inv->losses);

    if (l)
        pm->first_404 = (struct ra_pm_event){l->first_404_event, l->first_404_log};
}

/* The lost digests (no tags): digest -> the last struct ra_loss with it; only losses
 * that break a tag when breaking. */
static void lost_digests(struct ra_map *lost, const struct ra_investigation *inv,
                         int breaking)
{
    size_t i;

    for (i = 0; i < inv->losses->items.len; i++) {
        const struct ra_loss *l = inv->losses->items.items[i];
        if (l->object != RA_OBJ_TAG && (!breaking || l->tags.len))
            ra_map_put(lost, l->digest.b, sizeof(l->digest.b), (void *)l);
    }
}

/* The latest 404 for a lost digest or failed pipeline from the loss on. */
static void last_failure(struct ra_postmortem *pm, const struct ra_investigation *inv)
{
    struct ra_pm_event *best = &pm->last_failure;
    struct ra_map lost = RA_MAP_INIT;
    size_t i, k;

    lost_digests(&lost, inv, 0);
    for (k = 0; k < inv->nlogs; k++) {
        const struct ra_log *log = inv->logs[k];
        for (i = 0; i < log->events.len; i++) {
            const struct ra_log_event *e = log->events.items[i];
            int hit =
                (e->kind == RA_LOG_HTTP_REQUEST && e->status == 404 && e->has_digest &&
                 ra_map_get(&lost, e->digest.b, sizeof(e->digest.b))) ||
                (ra_log_pipeline_failed(e) &&
                 (pm->loss_from == RA_TIME_NONE || e->time >= pm->loss_from));
            if (hit && e->time != RA_TIME_NONE &&
                (!best->event || ra_log_event_end(e) >= ra_log_event_end(best->event))) {
                best->event = e;
                best->log = log->path;
            }
        }
    }
    ra_map_release(&lost);
}

static void first_missing(struct ra_postmortem *pm, const struct ra_investigation *inv)
{
    const struct ra_losses *ls = inv->losses;
    size_t i, idx = SIZE_MAX;

    for (i = 0; i < ls->items.len; i++) {
        const struct ra_loss *l = ls->items.items[i];
        if (l->to.time != RA_TIME_NONE &&
            (!pm->first_bounded || l->to.time < pm->first_bounded->to.time))
            pm->first_bounded = l;
        if (l->first_missing < idx)
            idx = l->first_missing;
    }
    if (idx != SIZE_MAX)
        pm->first_missing = ls->scans[idx];
}

/* ---- root cause ---- */

static int cmp_suspect(const void *a, const void *b)
{
    const struct ra_pm_suspect *x = a, *y = b;

    if (x->best != y->best)
        return x->best < y->best ? -1 : 1;
    if (x->losses != y->losses)
        return x->losses > y->losses ? -1 : 1;
    if (x->firing->time != y->firing->time) /* unknown times (unlogged DELETEs) last */
        return y->firing->time == RA_TIME_NONE || (x->firing->time != RA_TIME_NONE &&
                                                   x->firing->time < y->firing->time)
                   ? -1
                   : 1;
    return strcmp(x->firing->job_id, y->firing->job_id);
}

static void add_suspect(struct ra_postmortem *pm, const struct ra_suspect *s)
{
    struct ra_pm_suspect *a;
    size_t k;

    for (k = 0; k < pm->nsuspects && pm->suspects[k].firing != s->firing; k++)
        ;
    if (k == pm->nsuspects) {
        pm->suspects = ra_xrealloc(pm->suspects, (k + 1) * sizeof(*pm->suspects));
        pm->suspects[k].firing = s->firing;
        pm->suspects[k].best = s->confidence;
        pm->suspects[k].reason = s->reason;
        pm->suspects[k].losses = 0;
        pm->nsuspects++;
    }
    a = &pm->suspects[k];
    a->losses++;
    if (s->confidence < a->best) {
        a->best = s->confidence;
        a->reason = s->reason;
    }
}

static void suspects(struct ra_postmortem *pm, const struct ra_investigation *inv)
{
    const struct ra_correlation *c = inv->corr;
    size_t i, j;

    for (i = 0; i < c->causes.len; i++) {
        const struct ra_cause *cause = c->causes.items[i];
        for (j = 0; j < cause->suspects.len; j++)
            add_suspect(pm, cause->suspects.items[j]);
        for (j = 0; j < cause->matches.len; j++)
            pm->fingerprints |= 1u
                                << ((const struct ra_match *)cause->matches.items[j])->fp;
    }
    pm->v2_children = ra_correlation_v2_children(c);
    if (pm->nsuspects)
        qsort(pm->suspects, pm->nsuspects, sizeof(*pm->suspects), cmp_suspect);
    for (i = 0; i < inv->nfirings; i++)
        if ((inv->firings[i].classes & RA_JOB_GARBAGE_COLLECT) &&
            (inv->firings[i].version_floating || !inv->firings[i].registry_version))
            pm->floating_gc = 1;
}

int ra_postmortem_matched(const struct ra_postmortem *pm, enum ra_fingerprint fp)
{
    return (pm->fingerprints >> fp) & 1u;
}

int ra_postmortem_suspect_at(const struct ra_postmortem *pm, ra_time t)
{
    size_t i;

    for (i = 0; i < pm->nsuspects; i++) /* a firing's best rating decides */
        if (pm->suspects[i].firing->time == t && pm->suspects[i].best != RA_CONF_LOW)
            return 1;
    return 0;
}

/* ---- recovery ---- */

const struct ra_recycled_blob *
ra_postmortem_recycled_copy(const struct ra_investigation *inv, const struct ra_digest *d,
                            const struct ra_snapshot **snap)
{
    const struct ra_recycled_blob *best = NULL;
    size_t i, j;

    for (i = inv->nscans; i-- > 0;) {
        const struct ra_snapshot *s = inv->scans[i]->snap;
        for (j = 0; j < s->recycled.len; j++) {
            const struct ra_recycled_blob *r = s->recycled.items[j];
            if (ra_digest_cmp(&r->digest, d) ||
                (best && (best->verified || !r->verified)))
                continue;
            best = r;
            *snap = s;
        }
    }
    return best;
}

static void repair(struct ra_pm_tag_plan *p, const struct ra_investigation *inv,
                   const struct ra_loss *l)
{
    const struct ra_losses *ls = inv->losses;
    struct ra_pm_repair *r;

    p->repairs = ra_xrealloc(p->repairs, (p->nrepairs + 1) * sizeof(*p->repairs));
    r = &p->repairs[p->nrepairs++];
    memset(r, 0, sizeof(*r));
    r->loss = l;
    if (l->object == RA_OBJ_MANIFEST_LINK && l->child_blob_present) {
        r->kind =
            ra_layout_repository_valid(l->repository) ? RA_PM_RELINK : RA_PM_MANUAL_NAME;
    } else if (l->object == RA_OBJ_BLOB && l->last_present != SIZE_MAX) {
        r->from = ls->scans[l->last_present];
        r->from_dir = ra_source_is_dir(r->from->snap->source);
        r->kind = ra_shell_pasteable(r->from->snap->source) && ra_shell_pasteable(l->root)
                      ? RA_PM_RESTORE
                      : RA_PM_MANUAL_PATH;
    } else {
        if (l->object == RA_OBJ_BLOB)
            r->recycled = ra_postmortem_recycled_copy(inv, &l->digest, &r->recycled_in);
        r->kind = r->recycled && r->recycled->verified ? RA_PM_RECYCLED : RA_PM_LOST;
    }
    p->count[r->kind]++;
}

static void plan_tag(struct ra_pm_tag_plan *p, const struct ra_investigation *inv,
                     const struct ra_registry_result *reg, const struct ra_tag_result *t)
{
    size_t i;

    memset(p, 0, sizeof(*p));
    p->reg = reg;
    p->tag = t;
    p->named = ra_layout_repository_valid(t->repository) && ra_layout_tag_valid(t->tag);
    for (i = 0; p->named && i < inv->losses->items.len; i++) {
        const struct ra_loss *l = inv->losses->items.items[i];
        if (!strcmp(l->root, reg->graph->root) &&
            ra_loss_breaks(l, t->repository, t->tag))
            repair(p, inv, l);
    }
}

static void plans(struct ra_postmortem *pm, const struct ra_investigation *inv)
{
    size_t i, j;

    for (i = 0; pm->newest && i < pm->newest->nregs; i++) {
        const struct ra_registry_result *r = pm->newest->regs[i];
        for (j = 0; j < r->ntags; j++) {
            if (r->tags[j].pullable)
                continue;
            pm->plans = ra_xrealloc(pm->plans, (pm->nplans + 1) * sizeof(*pm->plans));
            plan_tag(&pm->plans[pm->nplans++], inv, r, &r->tags[j]);
        }
    }
}

/* ---- the incident's span ---- */

int64_t ra_postmortem_span(ra_time a, ra_time b)
{
    if (a == RA_TIME_NONE || b == RA_TIME_NONE || b < a)
        return -1;
    return (int64_t)(b - a);
}

int64_t ra_postmortem_latent(const struct ra_postmortem *pm)
{
    return pm->state == RA_PM_NO_INCIDENT
               ? -1
               : ra_postmortem_span(pm->start, pm->outage_from);
}

int64_t ra_postmortem_outage(const struct ra_postmortem *pm)
{
    return pm->state == RA_PM_NO_INCIDENT ? -1
                                          : ra_postmortem_span(pm->outage_from, pm->end);
}

static void start(struct ra_postmortem *pm, const struct ra_investigation *inv)
{
    size_t i;

    pm->start = pm->loss_from != RA_TIME_NONE ? pm->loss_from : pm->loss_to;
    pm->start_exact = 0;
    for (i = 0; i < inv->losses->items.len; i++) { /* a loss known to the second */
        const struct ra_loss *l = inv->losses->items.items[i];
        if (l->from.time != RA_TIME_NONE && l->from.time == l->to.time &&
            l->from.time <= pm->start) {
            pm->start = l->from.time;
            pm->start_exact = 1;
        }
    }
    if (!pm->start_exact && pm->nsuspects && pm->suspects[0].best == RA_CONF_HIGH &&
        pm->suspects[0].firing->time != RA_TIME_NONE && pm->loss_from != RA_TIME_NONE &&
        pm->suspects[0].firing->time >= pm->loss_from &&
        (pm->loss_to == RA_TIME_NONE || pm->suspects[0].firing->time <= pm->loss_to)) {
        pm->start_firing = pm->suspects[0].firing;
        pm->start = pm->start_firing->time;
    }
}

/* Does tag lt pull in scan s under root? -1: not there. */
static int tag_pulls_in(const struct ra_scan *s, const char *root,
                        const struct ra_loss_tag *lt)
{
    const struct ra_registry_result *r = ra_scan_registry(s, root);
    size_t j;

    for (j = 0; r && j < r->ntags; j++) {
        const struct ra_tag_result *t = &r->tags[j];
        if (!strcmp(lt->repository, t->repository) && !strcmp(lt->tag, t->tag))
            return t->pullable;
    }
    return -1;
}

/* The same for scan k, asked of the history when there is one: that scan may have
 * given up its results (ra_scan_thin). */
static int tag_pulls(const struct ra_losses *ls, size_t k, const char *root,
                     const struct ra_loss_tag *lt)
{
    struct ra_hist_key key = {RA_HIST_TAG_LISTED, root, lt->repository, NULL, lt->tag};

    if (!ls->history)
        return tag_pulls_in(ls->scans[k], root, lt);
    if (!ra_history_has(ls->history, &key, k))
        return -1;
    key.kind = RA_HIST_TAG_PULLS;
    return ra_history_has(ls->history, &key, k);
}

/* The first scan after the loss where ref pulls and keeps pulling; SIZE_MAX if none. */
static size_t repaired_at(const struct ra_losses *ls, const struct ra_loss *l,
                          const struct ra_loss_tag *ref)
{
    size_t k, at = SIZE_MAX;

    for (k = l->first_missing + 1; k < ls->nscans; k++) {
        int p = tag_pulls(ls, k, l->root, ref);
        if (p == 1 && at == SIZE_MAX)
            at = k;
        else if (p == 0)
            at = SIZE_MAX;
    }
    return at;
}

static void first_success(struct ra_postmortem *pm, const struct ra_investigation *inv)
{
    struct ra_map lost = RA_MAP_INIT;
    size_t i, k;

    lost_digests(&lost, inv, 1);
    for (k = 0; k < inv->nlogs; k++) {
        const struct ra_log *log = inv->logs[k];
        for (i = 0; i < log->events.len; i++) {
            const struct ra_log_event *e = log->events.items[i];
            const struct ra_loss *l;
            if (e->kind != RA_LOG_HTTP_REQUEST || e->status != 200 || !e->has_digest ||
                e->time == RA_TIME_NONE ||
                !(l = ra_map_get(&lost, e->digest.b, sizeof(e->digest.b))) ||
                l->to.time == RA_TIME_NONE || e->time <= l->to.time)
                continue;
            if (!pm->first_success.event || e->time < pm->first_success.event->time) {
                pm->first_success.event = e;
                pm->first_success.log = log->path;
            }
        }
    }
    ra_map_release(&lost);
}

/* Did run e of a pipeline build and push with image im's step, successfully? */
static int pushed_by(const struct ra_log_event *e, const struct ra_pipeline_image *im)
{
    size_t i;

    if (strcmp(e->pipeline->status, "success") || !im->step)
        return 0;
    for (i = 0; i < e->pipeline->nsteps; i++) {
        const struct ra_log_step *st = &e->pipeline->steps[i];
        if (!strcmp(st->name, im->step) && !strcmp(st->state, "success") &&
            (!st->workflow[0] || !strcmp(st->workflow, im->pipeline->name)))
            return 1;
    }
    return 0;
}

static ra_time run_end(const struct ra_log_event *e)
{
    return e->pipeline->finished != RA_TIME_NONE ? e->pipeline->finished : e->time;
}

/* The first successful run, after `after`, of a pipeline that pushes ref. */
static struct ra_pm_event rebuild_after(const struct ra_investigation *inv,
                                        const char *ref, ra_time after)
{
    struct ra_pm_event best = {NULL, NULL};
    struct ra_vec v = RA_VEC_INIT;
    size_t i, j, k;

    if (!inv->schedule || !inv->schedule->pipelines)
        return best;
    ra_pipelines_pushers(&v, inv->schedule->pipelines, ref);
    for (k = 0; k < inv->nlogs && v.len; k++) {
        const struct ra_log *log = inv->logs[k];
        for (i = 0; i < log->events.len; i++) {
            const struct ra_log_event *e = log->events.items[i];
            if (e->kind != RA_LOG_PIPELINE || e->time == RA_TIME_NONE ||
                e->time <= after || (best.event && run_end(e) >= run_end(best.event)))
                continue;
            for (j = 0; j < v.len && !pushed_by(e, v.items[j]); j++)
                ;
            if (j < v.len) {
                best.event = e;
                best.log = log->path;
            }
        }
    }
    ra_vec_release(&v);
    return best;
}

/* When the pair (loss l, tag ref) was repaired: a later snapshot where ref pulls and
 * keeps pulling, else a rebuild after the newest snapshot; RA_TIME_NONE when neither. */
static ra_time pair_repaired(struct ra_postmortem *pm, const struct ra_investigation *inv,
                             const struct ra_loss *l, const struct ra_loss_tag *ref)
{
    const struct ra_losses *ls = inv->losses;
    size_t at = repaired_at(ls, l, ref);
    ra_time after = l->to.time;
    struct ra_pm_event rb;

    if (at != SIZE_MAX)
        return ls->scans[at]->snap->taken_at;
    if (pm->newest && pm->newest->snap->taken_at != RA_TIME_NONE &&
        (after == RA_TIME_NONE || pm->newest->snap->taken_at > after))
        after = pm->newest->snap->taken_at;
    rb = rebuild_after(inv, ref->ref, after);
    if (!rb.event)
        return RA_TIME_NONE;
    if (!pm->rebuilt.event || run_end(rb.event) > run_end(pm->rebuilt.event)) {
        pm->rebuilt = rb;
        pm->rebuilt_ref = ref->ref;
    }
    return run_end(rb.event);
}

static void state(struct ra_postmortem *pm, const struct ra_investigation *inv)
{
    const struct ra_losses *ls = inv->losses;
    size_t i, j, any = 0;

    pm->state = RA_PM_NO_INCIDENT;
    pm->repaired_at = RA_TIME_NONE;
    for (i = 0; i < ls->items.len && pm->state != RA_PM_ONGOING; i++) {
        const struct ra_loss *l = ls->items.items[i];
        for (j = 0; j < l->tags.len; j++) {
            ra_time t = pair_repaired(pm, inv, l, l->tags.items[j]);
            any = 1;
            if (t == RA_TIME_NONE) {
                pm->state = RA_PM_ONGOING;
                break;
            }
            if (pm->repaired_at == RA_TIME_NONE || t > pm->repaired_at)
                pm->repaired_at = t;
        }
    }
    if (pm->state == RA_PM_ONGOING) {
        pm->rebuilt.event = NULL;
        pm->rebuilt_ref = NULL;
    }
    if (any && pm->state != RA_PM_ONGOING) {
        pm->state = RA_PM_REPAIRED;
        for (i = 0; i < ls->nscans && !pm->repaired_in; i++)
            if (ls->scans[i]->snap->taken_at == pm->repaired_at)
                pm->repaired_in = ls->scans[i];
        if (pm->rebuilt.event && run_end(pm->rebuilt.event) != pm->repaired_at)
            pm->rebuilt.event = NULL;
        if (pm->repaired_in)
            pm->rebuilt.event = NULL;
    }
    first_success(pm, inv);
    pm->end = pm->newest ? pm->newest->snap->taken_at : RA_TIME_NONE;
    if (pm->state == RA_PM_ONGOING && pm->last_failure.event &&
        pm->last_failure.event->time >
            pm->end) /* still failing after the newest snapshot */
        pm->end = pm->last_failure.event->time;
    if (pm->state == RA_PM_REPAIRED) {
        pm->end = pm->repaired_at;
        if (pm->repaired_in && pm->first_success.event &&
            pm->first_success.event->time < pm->end)
            pm->end = pm->first_success.event->time;
    }
}

/* ---- what failed and when it was seen ---- */

static int cmp_run(const void *a, const void *b)
{
    const struct ra_pm_event *x = a, *y = b;

    return (x->event->time > y->event->time) - (x->event->time < y->event->time);
}

/* The failed runs of every log from the loss on, in time order. */
static void failed_runs(struct ra_postmortem *pm, const struct ra_investigation *inv)
{
    struct ra_vec v = RA_VEC_INIT;
    size_t i, k;

    for (k = 0; k < inv->nlogs; k++) {
        v.len = 0;
        ra_log_failed_pipelines(&v, inv->logs[k], pm->loss_from, RA_TIME_NONE);
        pm->failed_runs =
            ra_xrealloc(pm->failed_runs,
                        (pm->failed_pipelines + v.len + 1) * sizeof(*pm->failed_runs));
        for (i = 0; i < v.len; i++)
            pm->failed_runs[pm->failed_pipelines++] =
                (struct ra_pm_event){v.items[i], inv->logs[k]->path};
    }
    if (pm->failed_pipelines)
        qsort(pm->failed_runs, pm->failed_pipelines, sizeof(*pm->failed_runs), cmp_run);
    ra_vec_release(&v);
}

static void add_repository(struct ra_vec *out, struct ra_map *seen, const char *repo)
{
    if (repo && repo[0] && !ra_map_gets(seen, repo)) {
        ra_map_put(seen, repo, strlen(repo), (void *)repo);
        ra_vec_push(out, (void *)repo);
    }
}

/* The repositories of the lost objects and of the tags they break (a lost blob's
 * data has none of its own), each once (borrowed from the losses). */
size_t ra_postmortem_lost_repositories(struct ra_vec *out,
                                       const struct ra_investigation *inv)
{
    struct ra_map seen = RA_MAP_INIT;
    size_t i, k;

    for (i = 0; inv->losses && i < inv->losses->items.len; i++) {
        const struct ra_loss *l = inv->losses->items.items[i];
        add_repository(out, &seen, l->repository);
        for (k = 0; k < l->tags.len; k++)
            add_repository(out, &seen,
                           ((const struct ra_loss_tag *)l->tags.items[k])->repository);
    }
    ra_map_release(&seen);
    return out->len;
}

/* The first alert that fired at or after the loss began and concerns the incident
 * (ra_alert_concerns: it names the registry or a lost repository); the others from
 * the loss on are counted. */
static void first_alert(struct ra_postmortem *pm, const struct ra_investigation *inv)
{
    struct ra_vec repos = RA_VEC_INIT;
    size_t i, k, nrepos = ra_postmortem_lost_repositories(&repos, inv);

    for (k = 0; k < inv->nlogs; k++) {
        const struct ra_log *log = inv->logs[k];
        for (i = 0; i < log->events.len; i++) {
            const struct ra_log_event *e = log->events.items[i];
            if (e->kind != RA_LOG_ALERT || e->time == RA_TIME_NONE ||
                (pm->loss_from != RA_TIME_NONE && e->time < pm->loss_from))
                continue;
            if (!ra_alert_concerns(e, (const char *const *)repos.items, nrepos)) {
                pm->other_alerts++;
                continue;
            }
            if (!pm->first_alert.event || e->time < pm->first_alert.event->time) {
                pm->first_alert.event = e;
                pm->first_alert.log = log->path;
            }
        }
    }
    ra_vec_release(&repos);
}

/* The length of addr without its port: "10.0.0.1:5000" -> 8, "[::1]:5000" -> 5;
 * unchanged when it has none. */
static size_t addr_len(const char *addr)
{
    const char *colon = strrchr(addr, ':');

    if (addr[0] == '[' && strchr(addr, ']'))
        return (size_t)(strchr(addr, ']') - addr) + 1;
    if (colon && colon == strchr(addr, ':'))
        return (size_t)(colon - addr);
    return strlen(addr);
}

/* Was a failed run of pm running at t (from its start to its end)? */
static int during_failed_run(const struct ra_postmortem *pm, ra_time t)
{
    size_t i;

    for (i = 0; i < pm->failed_pipelines; i++) {
        const struct ra_log_event *r = pm->failed_runs[i].event;
        if (r->time != RA_TIME_NONE && r->time <= t && t <= ra_log_event_end(r))
            return 1;
    }
    return 0;
}

static void add_client(struct ra_postmortem *pm, const struct ra_log_event *e)
{
    const char *addr = e->remote_addr ? e->remote_addr : "",
               *agent = e->user_agent ? e->user_agent : "";
    size_t n = addr_len(addr), k;
    struct ra_pm_client *c;

    for (k = 0; k < pm->nclients; k++)
        if (pm->clients[k].addr_len == n && !strncmp(pm->clients[k].addr, addr, n) &&
            !strcmp(pm->clients[k].agent, agent))
            break;
    if (k == pm->nclients) {
        pm->clients = ra_xrealloc(pm->clients, (k + 1) * sizeof(*pm->clients));
        pm->clients[k] = (struct ra_pm_client){addr, n, agent, 0, 0, e->time, e->time};
        pm->nclients++;
    }
    c = &pm->clients[k];
    c->requests++;
    c->in_runs += e->time != RA_TIME_NONE && during_failed_run(pm, e->time);
    if (e->time != RA_TIME_NONE && (c->first == RA_TIME_NONE || e->time < c->first))
        c->first = e->time;
    if (e->time != RA_TIME_NONE && (c->last == RA_TIME_NONE || e->time > c->last))
        c->last = e->time;
}

static int cmp_client(const void *a, const void *b)
{
    const struct ra_pm_client *x = a, *y = b;
    int c;

    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    if ((c = strncmp(x->addr, y->addr,
                     x->addr_len < y->addr_len ? x->addr_len : y->addr_len)))
        return c;
    return x->addr_len != y->addr_len ? (x->addr_len < y->addr_len ? -1 : 1)
                                      : strcmp(x->agent, y->agent);
}

static void failures(struct ra_postmortem *pm, const struct ra_investigation *inv)
{
    const struct ra_losses *ls = inv->losses;
    struct ra_map lost = RA_MAP_INIT, asked = RA_MAP_INIT;
    size_t i, k;

    lost_digests(&lost, inv, 0);
    failed_runs(pm, inv);
    for (k = 0; k < inv->nlogs; k++) {
        const struct ra_log *log = inv->logs[k];
        for (i = 0; i < log->events.len; i++) {
            const struct ra_log_event *e = log->events.items[i];
            if (e->kind == RA_LOG_HTTP_REQUEST && e->status == 404 && e->has_digest &&
                ra_map_get(&lost, e->digest.b, sizeof(e->digest.b))) {
                pm->failed_pulls++;
                add_client(pm, e);
                ra_map_put(&asked, e->digest.b, sizeof(e->digest.b), (void *)e);
            }
        }
    }
    if (pm->nclients > 1)
        qsort(pm->clients, pm->nclients, sizeof(*pm->clients), cmp_client);
    pm->failed_objects = ra_xcalloc(ls->items.len + 1, sizeof(*pm->failed_objects));
    for (i = 0; i < ls->items.len; i++) {
        const struct ra_loss *l = ls->items.items[i];
        if (l->object != RA_OBJ_TAG &&
            ra_map_get(&asked, l->digest.b, sizeof(l->digest.b)))
            pm->failed_objects[pm->nfailed_objects++] = l;
    }
    first_alert(pm, inv);
    pm->detected = pm->first_404;
    if (pm->first_failed_pipeline.event &&
        (!pm->detected.event || ra_log_event_end(pm->first_failed_pipeline.event) <
                                    ra_log_event_end(pm->detected.event)))
        pm->detected = pm->first_failed_pipeline;
    pm->outage_from =
        pm->detected.event ? ra_log_event_end(pm->detected.event) : RA_TIME_NONE;
    ra_map_release(&lost);
    ra_map_release(&asked);
}

/* ---- trigger ---- */

/* Does version v still carry what made the job damaging (for a garbage-collect: the
 * same --delete-untagged)? */
static int same_damage(const struct ra_job_version *v, const struct ra_job *at)
{
    return v->job && v->job->cls == at->cls &&
           v->job->gc.delete_untagged == at->gc.delete_untagged;
}

static void trigger(struct ra_postmortem *pm, const struct ra_investigation *inv)
{
    const struct ra_firing *f = pm->nsuspects ? pm->suspects[0].firing : NULL;
    const struct ra_schedule *s = inv->schedule;
    size_t i, k, n;

    if (!f || !s || !f->commit || f->api_delete)
        return;
    n = strlen(f->commit);
    for (i = 0; i < s->jobs.len; i++) {
        const struct ra_sched_job *j = s->jobs.items[i];
        if (strcmp(j->id, f->job_id))
            continue;
        for (k = j->versions.len; k-- > 0;) {
            const struct ra_job_version *v = j->versions.items[k];
            if (n && !strncmp(v->commit->id, f->commit, n) && v->job)
                break;
        }
        if (k == SIZE_MAX)
            return;
        while (k > 0 &&
               same_damage(j->versions.items[k - 1],
                           ((const struct ra_job_version *)j->versions.items[k])->job))
            k--;
        pm->trigger_job = j;
        pm->trigger = j->versions.items[k];
        return;
    }
}

/* The broken index's push, and whether the run taken as the start was its job's first
 * run since. */
static void index_push(struct ra_postmortem *pm, const struct ra_investigation *inv)
{
    const struct ra_firing *f = pm->start_firing;
    size_t i;

    pm->index_pushed = RA_TIME_NONE;
    for (i = 0; i < pm->nplans && !pm->index_tag; i++) {
        const struct ra_pm_tag_plan *p = &pm->plans[i];
        const struct ra_repo *r = ra_map_gets(&p->reg->graph->repos, p->tag->repository);
        const struct ra_tag *t = r ? ra_map_gets(&r->tags, p->tag->tag) : NULL;
        if (!p->tag->is_index || !t || !t->has_current ||
            t->current.mtime == RA_TIME_NONE)
            continue;
        pm->index_tag = p->tag;
        pm->index_pushed = t->current.mtime;
    }
    if (!pm->index_tag || !f || f->time == RA_TIME_NONE || f->time <= pm->index_pushed)
        return;
    pm->first_run_since_push = 1;
    for (i = 0; i < inv->nfirings; i++) {
        const struct ra_firing *o = &inv->firings[i];
        if (o != f && !o->api_delete && !strcmp(o->job_id, f->job_id) &&
            o->time > pm->index_pushed && o->time < f->time)
            pm->first_run_since_push = 0;
    }
}

/* What else went in the window of the first loss with a snapshot before it. */
static void bystanders(struct ra_postmortem *pm, const struct ra_investigation *inv)
{
    size_t i;

    for (i = 0; i < inv->losses->items.len; i++) {
        const struct ra_loss *l = inv->losses->items.items[i];
        if (l->last_present != SIZE_MAX) {
            ra_bystanders_find(&pm->bystanders, inv->losses, l);
            return;
        }
    }
}

/* ---- lessons ---- */

static void lesson(struct ra_postmortem *pm, enum ra_pm_lesson l, int yes)
{
    if (yes)
        pm->lessons |= 1u << l;
}

int ra_postmortem_lesson(const struct ra_postmortem *pm, enum ra_pm_lesson l)
{
    return (pm->lessons >> l) & 1u;
}

static void lessons(struct ra_postmortem *pm, const struct ra_investigation *inv)
{
    size_t i, j, resolves = 0, kept = 0, relink = 0, recycled = 0, gclog = 0;

    for (i = 0; i < pm->nplans; i++) {
        const struct ra_pm_tag_plan *p = &pm->plans[i];
        resolves += p->tag->resolves && p->nrepairs;
        pm->unrecoverable += p->count[RA_PM_LOST];
        kept +=
            p->count[RA_PM_RESTORE] + p->count[RA_PM_RELINK] + p->count[RA_PM_RECYCLED];
        relink += p->count[RA_PM_RELINK];
    }
    for (i = 0; i < inv->nscans; i++)
        recycled += inv->scans[i]->snap->recycled.len;
    for (i = 0; i < inv->nlogs; i++)
        for (j = 0; j < inv->logs[i]->events.len && !gclog; j++)
            gclog =
                ((const struct ra_log_event *)inv->logs[i]->events.items[j])->gc != NULL;
    lesson(pm, RA_PM_L_INDEX_RESOLVED, resolves > 0);
    lesson(pm, RA_PM_L_NO_ALERT,
           pm->detected.event &&
               (!pm->first_alert.event ||
                pm->first_alert.event->time > pm->detected.event->time));
    lesson(pm, RA_PM_L_ALERTED,
           pm->first_alert.event &&
               (!pm->detected.event ||
                pm->first_alert.event->time <= pm->detected.event->time));
    lesson(pm, RA_PM_L_FLOATING_GC, pm->floating_gc && pm->state != RA_PM_NO_INCIDENT);
    lesson(pm, RA_PM_L_GC_UNTAGGED, pm->v2_children == 1);
    lesson(pm, RA_PM_L_UNRECOVERABLE, pm->unrecoverable > 0);
    lesson(pm, RA_PM_L_LOG_DATES, pm->first_404.event != NULL);
    lesson(pm, RA_PM_L_GC_LOG, gclog && ra_postmortem_matched(pm, RA_FP_GC_LOG));
    lesson(pm, RA_PM_L_TRIGGER_KNOWN, pm->trigger != NULL);
    lesson(pm, RA_PM_L_ALL_IN_SNAPSHOT, kept > 0 && !pm->unrecoverable);
    lesson(pm, RA_PM_L_DATA_KEPT, relink > 0);
    lesson(pm, RA_PM_L_RECYCLED, recycled > 0 && pm->state != RA_PM_NO_INCIDENT);
}

int ra_postmortem_new(struct ra_postmortem **out, const struct ra_investigation *inv,
                      struct ra_err *err)
{
    struct ra_postmortem *pm = ra_xcalloc(1, sizeof(*pm));

    (void)err;
    pm->newest = inv->nscans ? inv->scans[inv->nscans - 1] : NULL;
    loss_bounds(pm, inv);
    focus(pm, inv);
    first_missing(pm, inv);
    first_404(pm, inv);
    first_failed_pipeline(pm, inv);
    last_failure(pm, inv);
    suspects(pm, inv);
    plans(pm, inv);
    start(pm, inv);
    state(pm, inv);
    failures(pm, inv);
    trigger(pm, inv);
    index_push(pm, inv);
    bystanders(pm, inv);
    ra_recurrence_find(&pm->recurrence, inv,
                       pm->start_firing ? pm->start_firing
                       : pm->nsuspects  ? pm->suspects[0].firing
                                        : NULL,
                       pm->trigger_job, pm->focus_to);
    lessons(pm, inv);
    *out = pm;
    return 0;
}

void ra_postmortem_free(struct ra_postmortem *pm)
{
    size_t i;

    if (!pm)
        return;
    for (i = 0; i < pm->nplans; i++)
        free(pm->plans[i].repairs);
    free(pm->plans);
    free(pm->suspects);
    free(pm->failed_runs);
    free(pm->failed_objects);
    free(pm->clients);
    ra_bystanders_release(&pm->bystanders);
    free(pm);
}
