/* SPDX-License-Identifier: MIT */
/* The post-mortem's timeline: which events of the incident's period tell its story (a
 * row of the table, and the key ones an event of the diagram), and which are routine
 * or say again what the report shows elsewhere (folded into a sentence; the JSON keeps
 * every row). */
#include "analysis/postmortem.h"

#include "analysis/alert_match.h"
#include "analysis/focus.h"
#include "analysis/investigate.h"
#include "config/jobs/jobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Does a loss row say what e, the storage diff between two snapshots, says: a loss
 * whose window ends inside e's? */
static int loss_in(const struct ra_losses *ls, const struct ra_event *e)
{
    size_t i;

    for (i = 0; ls && i < ls->items.len; i++) {
        const struct ra_loss *l = ls->items.items[i];
        if (l->to.time != RA_TIME_NONE && l->to.time > e->time &&
            (e->until == RA_TIME_NONE || l->to.time <= e->until))
            return 1;
    }
    return 0;
}

static ra_time earlier(ra_time t, const struct ra_pm_event *e)
{
    if (!e->event || e->event->time == RA_TIME_NONE)
        return t;
    return t == RA_TIME_NONE || e->event->time < t ? e->event->time : t;
}

ra_time ra_postmortem_first_sign(const struct ra_postmortem *pm)
{
    ra_time t = RA_TIME_NONE;

    t = earlier(t, &pm->first_failed_pipeline);
    t = earlier(t, &pm->first_404);
    return earlier(t, &pm->first_alert);
}

/* Is e the log line of x ("log:line" as its evidence)? */
static int is_line(const struct ra_event *e, const struct ra_pm_event *x)
{
    char line[32];
    size_t n;

    if (!x->event || !x->log || !e->evidence)
        return 0;
    n = strlen(x->log);
    snprintf(line, sizeof(line), ":%llu", (unsigned long long)x->event->line);
    return !strncmp(e->evidence, x->log, n) && !strcmp(e->evidence + n, line);
}

/* Is e a first sign of the damage: the first failed pipeline, the first alert, or the
 * first 404 for one of the lost objects? */
static int first_sign(const struct ra_postmortem *pm, const struct ra_losses *ls,
                      const struct ra_event *e)
{
    size_t i;

    if (is_line(e, &pm->first_failed_pipeline) || is_line(e, &pm->first_alert))
        return 1;
    for (i = 0; ls && i < ls->items.len; i++) {
        const struct ra_loss *l = ls->items.items[i];
        if (l->first_404_event && l->first_404.evidence && e->evidence &&
            e->time == l->first_404_event->time &&
            !strcmp(e->evidence, l->first_404.evidence))
            return 1;
    }
    return 0;
}

const struct ra_firing *ra_postmortem_gc_run_of(const struct ra_investigation *inv,
                                                const struct ra_event *e)
{
    const struct ra_firing *run = NULL;
    size_t i;

    if (e->kind != RA_EV_LOG || e->routine || e->time == RA_TIME_NONE ||
        e->until == RA_TIME_NONE || strncmp(e->message, "garbage-collect", 15))
        return NULL;
    for (i = 0; i < inv->nfirings; i++) {
        const struct ra_firing *f = &inv->firings[i];
        if (!(f->classes & RA_JOB_GARBAGE_COLLECT) || f->request || f->time < e->time ||
            f->time > e->until)
            continue;
        if (run) /* two runs that day: which one logged it is not known */
            return NULL;
        run = f;
    }
    return run;
}

/* The RA_LOG_ALERT line of log at e's time and evidence line, or NULL (events are
 * sorted by time, then line). */
static const struct ra_log_event *
alert_line(const struct ra_log *log, const struct ra_event *e, unsigned long long line)
{
    size_t lo = 0, hi = log->events.len;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct ra_log_event *x = log->events.items[mid];
        if (x->time < e->time)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < log->events.len; lo++) {
        const struct ra_log_event *x = log->events.items[lo];
        if (x->time != e->time)
            break;
        if (x->line == line && x->kind == RA_LOG_ALERT)
            return x;
    }
    return NULL;
}

int ra_postmortem_alert_unrelated(const struct ra_investigation *inv,
                                  const struct ra_event *e)
{
    const struct ra_log_event *a = NULL;
    struct ra_vec repos = RA_VEC_INIT;
    const char *colon;
    size_t k, n;
    int out;

    if (e->kind != RA_EV_LOG || e->routine || e->time == RA_TIME_NONE || !e->evidence ||
        strncmp(e->message, "alert ", 6) || !(colon = strrchr(e->evidence, ':')))
        return 0;
    n = (size_t)(colon - e->evidence);
    for (k = 0; k < inv->nlogs && !a; k++)
        if (strlen(inv->logs[k]->path) == n &&
            !strncmp(inv->logs[k]->path, e->evidence, n))
            a = alert_line(inv->logs[k], e, strtoull(colon + 1, NULL, 10));
    if (!a)
        return 0;
    ra_postmortem_lost_repositories(&repos, inv);
    out = !ra_alert_concerns(a, (const char *const *)repos.items, repos.len);
    ra_vec_release(&repos);
    return out;
}

enum ra_pm_role ra_postmortem_role(const struct ra_postmortem *pm,
                                   const struct ra_investigation *inv,
                                   const struct ra_event *e)
{
    ra_time sign;

    switch (e->kind) {
    case RA_EV_SNAPSHOT: /* Evidence examined lists every snapshot */
        return RA_PM_ROLE_REPEAT;
    case RA_EV_VANISHED:
        return loss_in(inv->losses, e) ? RA_PM_ROLE_REPEAT : RA_PM_ROLE_ROW;
    case RA_EV_LOSS:
    case RA_EV_COMMIT:
        return RA_PM_ROLE_KEY;
    case RA_EV_MTIMES_UNTRUSTED:
        return RA_PM_ROLE_ROW;
    case RA_EV_TAG_PUSHED:
    case RA_EV_TAG_CURRENT:
    case RA_EV_MANIFEST_PUSHED:
        if (e->time == RA_TIME_NONE || !ra_focus_push_related(e, inv->losses, pm->newest))
            return RA_PM_ROLE_ROUTINE;
        return e->kind == RA_EV_TAG_PUSHED ? RA_PM_ROLE_KEY : RA_PM_ROLE_ROW;
    case RA_EV_FIRING: /* a job's runs over the period, or one inside a loss window */
        if (e->until != RA_TIME_NONE || e->count != 1)
            return RA_PM_ROLE_ROUTINE;
        return ra_postmortem_suspect_at(pm, e->time) ? RA_PM_ROLE_KEY : RA_PM_ROLE_ROW;
    case RA_EV_LOG:
        if (e->routine)
            return RA_PM_ROLE_ROUTINE;
        if (ra_postmortem_gc_run_of(inv, e)) /* said in its run's row */
            return RA_PM_ROLE_REPEAT;
        if (ra_postmortem_alert_unrelated(inv, e))
            return RA_PM_ROLE_ROUTINE;
        if (e->until != RA_TIME_NONE) /* dated to the day only: no point to draw */
            return RA_PM_ROLE_ROW;
        sign = ra_postmortem_first_sign(pm);
        if (sign == RA_TIME_NONE || e->time <= sign || first_sign(pm, inv->losses, e))
            return RA_PM_ROLE_KEY;
        return RA_PM_ROLE_ROW;
    default: /* blob uploads, layer links, uploads started */
        return RA_PM_ROLE_ROUTINE;
    }
}
