/* SPDX-License-Identifier: MIT */
/* The config repository over time: job versions, registry image versions, firings. */
#include "config/sched/schedule.h"
#include "config/sched/schedule_internal.h"

#include <stdlib.h>

#include "config/sched/calendar.h"
#include "config/git/confrepo.h"
#include "config/sched/cron.h"
#include "config/sched/cronx.h"
#include "util/buf.h"
#include "util/map.h"

static void problem(struct ra_schedule *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void problem(struct ra_schedule *s, const char *fmt, ...)
{
    struct ra_buf b = RA_BUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    ra_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    ra_vec_push(&s->problems, ra_pool_strdup(&s->pool, ra_buf_cstr(&b)));
    ra_buf_release(&b);
}

struct walk {
    struct ra_schedule *s;
    struct ra_vec newest_first;
};

static int on_change(const struct ra_gitchange *c, void *payload)
{
    struct walk *w = payload;
    struct ra_commit_info *ci;

    if (w->newest_first.len >= RA_SCHEDULE_MAX_COMMITS) {
        w->s->truncated = 1;
        return RA_ELIMIT;
    }
    ci = ra_pool_alloc(&w->s->pool, sizeof(*ci));
    memcpy(ci->id, c->commit, sizeof(ci->id));
    ci->time = c->time;
    ci->author = ra_pool_strdup(&w->s->pool, c->author_name ? c->author_name : "");
    ci->summary = ra_pool_strdup(&w->s->pool, c->summary ? c->summary : "");
    ra_vec_push(&w->newest_first, ci);
    return 0;
}

/* Every top-level entry of the head commit: history of those is the repo's history. */
static int top_level(struct ra_vec *out, struct ra_schedule *s, struct ra_gitrepo *repo,
                     struct ra_err *err)
{
    struct ra_gitfiles files = RA_GITFILES_INIT;
    size_t i;
    int error;

    if ((error = ra_gitrepo_files(&files, repo, s->head, err)) < 0)
        goto done;
    for (i = 0; i < files.len; i++) {
        const char *p = files.items[i].path, *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        const char *last = out->len ? out->items[out->len - 1] : NULL;
        if (last && strlen(last) == n && !memcmp(last, p, n))
            continue; /* sorted by path: one entry per top-level name */
        ra_vec_push(out, ra_pool_strndup(&s->pool, p, n));
    }
done:
    ra_gitfiles_release(&files);
    return error;
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

/* What changed in a job between two versions, in words. */
static const char *job_change(struct ra_schedule *s, const struct ra_job *o,
                              const struct ra_job *n)
{
    struct ra_buf b = RA_BUF_INIT;
    const char *r;

    if (!o)
        ra_buf_puts(&b, "added");
    else if (!n)
        ra_buf_puts(&b, "removed");
    else {
        if (!same_str(o->schedule, n->schedule))
            ra_buf_printf(&b, "schedule '%s' -> '%s'; ", o->schedule ? o->schedule : "",
                          n->schedule ? n->schedule : "");
        if (!same_str(o->timezone, n->timezone))
            ra_buf_printf(&b, "time zone %s -> %s; ",
                          o->timezone ? o->timezone : "(host)",
                          n->timezone ? n->timezone : "(host)");
        if (o->gc.delete_untagged != n->gc.delete_untagged)
            ra_buf_printf(&b, "%s --delete-untagged; ",
                          n->gc.delete_untagged ? "adds" : "drops");
        if (o->gc.dry_run != n->gc.dry_run)
            ra_buf_printf(&b, "%s --dry-run; ", n->gc.dry_run ? "adds" : "drops");
        if (o->disabled != n->disabled || o->absent != n->absent)
            ra_buf_puts(&b, n->disabled || n->absent ? "disabled; " : "enabled; ");
        if (!same_str(o->command, n->command))
            ra_buf_puts(&b, "command changed; ");
        if (o->classes != n->classes)
            ra_buf_printf(&b, "now %s; ", ra_job_class_name(n->cls));
        if (b.len >= 2)
            ra_buf_truncate(&b, b.len - 2);
    }
    r = b.len ? ra_pool_strdup(&s->pool, b.ptr) : NULL;
    ra_buf_release(&b);
    return r;
}

struct ra_sched_job *ra_schedule_job(struct ra_schedule *s, struct ra_map *index,
                                     const char *id)
{
    struct ra_sched_job *j = ra_map_gets(index, id);

    if (!j) {
        j = ra_pool_alloc(&s->pool, sizeof(*j));
        j->id = ra_pool_strdup(&s->pool, id);
        ra_map_put(index, j->id, strlen(j->id), j);
        ra_vec_push(&s->jobs, j);
    }
    return j;
}

static const struct ra_job *last_job(const struct ra_sched_job *j)
{
    const struct ra_job_version *v =
        j->versions.len ? j->versions.items[j->versions.len - 1] : NULL;
    return v ? v->job : NULL;
}

void ra_schedule_add_version(struct ra_schedule *s, struct ra_sched_job *j,
                             const struct ra_commit_info *ci, const struct ra_job *job)
{
    const char *change = job_change(s, last_job(j), job);
    struct ra_job_version *v;

    if (!change)
        return; /* unchanged in this commit */
    v = ra_pool_alloc(&s->pool, sizeof(*v));
    v->commit = ci;
    v->job = job;
    v->change = change;
    ra_vec_push(&j->versions, v);
}

static void image_version(struct ra_schedule *s, const struct ra_commit_info *ci,
                          const struct ra_jobs *jobs)
{
    const struct ra_image_version *prev =
        s->images.len ? s->images.items[s->images.len - 1] : NULL;
    const struct ra_registry_image *img = jobs->images.len ? jobs->images.items[0] : NULL;
    struct ra_image_version *v;
    struct ra_buf b = RA_BUF_INIT;
    int floating = 0;
    size_t i;

    for (i = 0; i < jobs->images.len; i++)
        floating |= ((const struct ra_registry_image *)jobs->images.items[i])->floating;
    if (prev &&
        same_str(prev->image ? prev->image->image : NULL, img ? img->image : NULL) &&
        prev->floating == floating)
        return;
    ra_buf_printf(&b, "%s -> %s", prev && prev->image ? prev->image->image : "(none)",
                  img ? img->image : "(none)");
    v = ra_pool_alloc(&s->pool, sizeof(*v));
    v->commit = ci;
    v->image = img;
    v->floating = floating;
    v->change = ra_pool_strdup(&s->pool, b.ptr);
    ra_vec_push(&s->images, v);
    ra_buf_release(&b);
}

static int cmp_sched_job(const void *a, const void *b)
{
    const struct ra_sched_job *x = *(void *const *)a, *y = *(void *const *)b;
    return strcmp(x->id, y->id);
}

/* Read the jobs of every commit, oldest first, and record what changed. */
static int read_commits(struct ra_schedule *s, struct ra_gitrepo *repo,
                        struct ra_err *err)
{
    struct ra_map index = RA_MAP_INIT;
    struct ra_confrepo *cr = NULL;
    const struct ra_commit_info *prev = NULL;
    size_t i;
    int error;

    /* one scanner for all commits: it reads only the blobs that changed */
    if ((error = ra_confrepo_new(&cr, repo)) < 0)
        return error;
    for (i = 0; i < s->commits.len; i++) {
        const struct ra_commit_info *ci = s->commits.items[i];
        struct ra_jobs *jobs = NULL;
        if ((error = ra_confrepo_scan(&jobs, cr, ci->id, err)) < 0)
            break;
        ra_vec_push(&s->results, jobs);
        ra_schedule_match(s, &index, prev, ci, jobs);
        image_version(s, ci, jobs);
        s->head_jobs = jobs;
        prev = ci;
    }
    ra_confrepo_free(cr);
    ra_map_release(&index);
    ra_vec_sort(&s->jobs, cmp_sched_job);
    return error;
}

static void head_problems(struct ra_schedule *s)
{
    size_t i;

    for (i = 0; s->head_jobs && i < s->head_jobs->problems.len; i++) {
        const struct ra_problem *p = s->head_jobs->problems.items[i];
        problem(s, "%s", p->msg); /* the message names the file and line */
    }
}

int ra_schedule_load(struct ra_schedule **out, const char *path, const char *rev,
                     struct ra_err *err)
{
    struct ra_schedule *s = ra_xcalloc(1, sizeof(*s));
    struct ra_gitrepo *repo = NULL;
    struct ra_vec paths = RA_VEC_INIT;
    struct walk w = {s, RA_VEC_INIT};
    size_t i;
    int error;

    *out = NULL;
    s->path = ra_pool_strdup(&s->pool, path);
    if ((error = ra_gitrepo_open(&repo, path, err)) < 0 ||
        (error = ra_gitrepo_resolve(s->head, repo, rev, err)) < 0 ||
        (error = top_level(&paths, s, repo, err)) < 0)
        goto done;
    s->shallow = ra_gitrepo_is_shallow(repo);
    error = ra_gitrepo_history(repo, s->head, (const char *const *)paths.items, paths.len,
                               on_change, &w, err);
    if (error == RA_ELIMIT) {
        ra_err_clear(err);
        error = 0;
        problem(s, "history longer than %d commits: older commits not read",
                RA_SCHEDULE_MAX_COMMITS);
    }
    if (error < 0)
        goto done;
    for (i = w.newest_first.len; i-- > 0;)
        ra_vec_push(&s->commits, w.newest_first.items[i]);
    if (s->shallow)
        problem(
            s, "'%s' is a shallow clone: job history before its oldest commit is unknown",
            path);
    if ((error = read_commits(s, repo, err)) < 0 ||
        (error = ra_confrepo_pipelines(&s->pipelines, repo, s->head, err)) < 0)
        goto done;
    head_problems(s);
    *out = s;
    s = NULL;
done:
    ra_vec_release(&w.newest_first);
    ra_vec_release(&paths);
    ra_gitrepo_free(repo);
    ra_schedule_free(s);
    return error;
}

static int read_whole(struct ra_buf *out, const char *path, struct ra_err *err)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin; /* "-": standard input */
    size_t n;

    if (!f)
        return ra_err_set(err, RA_EIO, "'%s': cannot open", path);
    do {
        ra_buf_grow(out, 65536);
        n = fread(out->ptr + out->len, 1, 65536, f);
        out->len += n;
        out->ptr[out->len] = '\0';
    } while (n == 65536 && out->len <= RA_JOBS_FILE_MAX);
    if (f != stdin)
        fclose(f);
    if (out->len > RA_JOBS_FILE_MAX)
        return ra_err_set(err, RA_ELIMIT, "'%s': larger than %d bytes", path,
                          RA_JOBS_FILE_MAX);
    return 0;
}

int ra_schedule_add_file(struct ra_schedule *s, const char *path, struct ra_err *err)
{
    struct ra_buf data = RA_BUF_INIT, name = RA_BUF_INIT;
    struct ra_jobs *jobs = NULL;
    struct ra_jobs_file file = {0};
    struct ra_commit_info *ci;
    struct ra_map index = RA_MAP_INIT;
    const char *base = strrchr(path, '/');
    size_t i;
    int error;

    if ((error = read_whole(&data, path, err)) < 0)
        goto done;
    base = base ? base + 1 : strcmp(path, "-") ? path : "stdin";
    /* a name the scanner would not recognise is taken as a crontab */
    if (!strchr(base, '.') && strcmp(base, "crontab"))
        ra_buf_printf(&name, "jobs-file/%s.cron", base);
    else
        ra_buf_printf(&name, "jobs-file/%s", base);
    file.path = name.ptr;
    file.data = data.ptr;
    file.len = data.len;
    if ((error = ra_jobs_scan(&jobs, &file, 1, err)) < 0)
        goto done;
    ci = ra_pool_alloc(&s->pool, sizeof(*ci));
    snprintf(ci->id, sizeof(ci->id), "%s", "--jobs-file");
    ci->time = 0;
    ci->author = "";
    ci->summary = ra_pool_strdup(&s->pool, path);
    ra_vec_push(&s->results, jobs);
    for (i = 0; i < s->jobs.len; i++) {
        struct ra_sched_job *j = s->jobs.items[i];
        ra_map_put(&index, j->id, strlen(j->id), j);
    }
    for (i = 0; i < jobs->jobs.len; i++) {
        const struct ra_job *job = jobs->jobs.items[i];
        struct ra_sched_job *j = ra_schedule_job(s, &index, job->id);
        struct ra_job_version *v = ra_pool_alloc(&s->pool, sizeof(*v));
        v->commit = ci;
        v->job = job;
        v->change = "added (--jobs-file)";
        ra_vec_push(&j->versions, v);
        j->last = job;
        j->last_commit = ci;
    }
    ra_vec_sort(&s->jobs, cmp_sched_job);
done:
    ra_map_release(&index);
    ra_buf_release(&data);
    ra_buf_release(&name);
    return error;
}

void ra_schedule_free(struct ra_schedule *s)
{
    size_t i;

    if (!s)
        return;
    for (i = 0; i < s->jobs.len; i++)
        ra_vec_release(&((struct ra_sched_job *)s->jobs.items[i])->versions);
    for (i = 0; i < s->results.len; i++)
        ra_jobs_free(s->results.items[i]);
    ra_pipelines_free(s->pipelines);
    ra_vec_release(&s->results);
    ra_vec_release(&s->jobs);
    ra_vec_release(&s->commits);
    ra_vec_release(&s->images);
    ra_vec_release(&s->problems);
    ra_pool_release(&s->pool);
    free(s);
}

const struct ra_job_version *ra_schedule_version_at(const struct ra_sched_job *job,
                                                    ra_time t)
{
    const struct ra_job_version *best = NULL;
    size_t i;

    for (i = 0; i < job->versions.len; i++) {
        const struct ra_job_version *v = job->versions.items[i];
        if (v->commit->time <= t)
            best = v;
    }
    return best && best->job ? best : NULL;
}

const struct ra_image_version *ra_schedule_image_at(const struct ra_schedule *s,
                                                    ra_time t)
{
    const struct ra_image_version *best = NULL;
    size_t i;

    for (i = 0; i < s->images.len; i++) {
        const struct ra_image_version *v = s->images.items[i];
        if (v->commit->time <= t)
            best = v;
    }
    return best;
}

/* The cronx dialect of a syntax, or -1 for cron and calendar. */
static int cronx_flavor(enum ra_sched_syntax syntax)
{
    switch (syntax) {
    case RA_SCHED_CRON_SECONDS:
        return RA_CRONX_ROBFIG;
    case RA_SCHED_EVENTBRIDGE:
        return RA_CRONX_EVENTBRIDGE;
    case RA_SCHED_NOMAD:
        return RA_CRONX_NOMAD;
    default:
        return -1;
    }
}

/* Firings of one schedule expression in [from, to), at most *budget (the job's firings
 * left in the window), which it lowers. */
static int fire(struct ra_vec *out, struct ra_schedule *s, const struct ra_sched_job *j,
                const struct ra_job_version *v, const char *expr, ra_time from,
                ra_time to, const char *tz, size_t *budget, struct ra_err *err)
{
    const struct ra_job *job = v->job;
    struct ra_cron *cron = NULL;
    struct ra_calendar *cal = NULL;
    struct ra_cronx *cx = NULL;
    ra_time t = from - 1, n; /* the next firing after from - 1 s: at from or later */
    int error, flavor = cronx_flavor(job->syntax);

    error = job->syntax == RA_SCHED_CALENDAR ? ra_calendar_parse(&cal, expr, err)
            : flavor >= 0 ? ra_cronx_parse(&cx, expr, (enum ra_cronx_flavor)flavor, err)
                          : ra_cron_parse(&cron, expr, err);
    if (!error && cx && ra_cronx_period(cx))
        goto done; /* @every, rate(): no wall-clock times */
    while (!error && *budget) {
        error = cal  ? ra_calendar_next(&n, cal, t, tz, err)
                : cx ? ra_cronx_next(&n, cx, t, tz, err)
                     : ra_cron_next(&n, cron, t, tz, err);
        if (error || n >= to)
            break;
        {
            struct ra_sched_firing *f = ra_pool_alloc(&s->pool, sizeof(*f));
            f->time = n;
            f->job = j;
            f->version = v;
            ra_vec_push(out, f);
        }
        t = n;
        --*budget;
    }
    if (error == RA_ENOTFOUND)
        error = 0;
    if (error < 0)
        problem(s, "%s:%u: schedule '%s' not used: %s", job->path, job->line, expr,
                err->msg);
done:
    ra_cronx_free(cx);
    ra_cron_free(cron);
    ra_calendar_free(cal);
    ra_err_clear(err);
    return 0;
}

static int cmp_firing(const void *a, const void *b)
{
    const struct ra_sched_firing *x = *(void *const *)a, *y = *(void *const *)b;

    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    return strcmp(x->job->id, y->job->id);
}

/* The zone a job's schedule is read in: its own (spec.timeZone, Nomad's time_zone, an
 * EventBridge schedule's zone...); for a Kubernetes CronJob, Argo CronWorkflow or
 * Terraform cron job, the controller's (UTC unless said otherwise: the hosts' zone is
 * not the cluster's); for schedulers that are services of their own, UTC whatever the
 * hosts' zone: EventBridge, GitHub Actions, GitLab and Woodpecker (set on the server, in
 * UTC), Nomad (its time_zone defaults to UTC, not the agents' zone); for the others
 * (cron, systemd, ofelia), the hosts'. */
static const char *zone_of(const struct ra_schedule *s, const struct ra_job *job,
                           const char *host_tz)
{
    if (job->timezone)
        return job->timezone;
    switch (job->def) {
    case RA_JOBDEF_KUBERNETES:
    case RA_JOBDEF_TERRAFORM:
        return s->cluster_tz ? s->cluster_tz : "UTC";
    case RA_JOBDEF_NOMAD:
    case RA_JOBDEF_EVENTBRIDGE:
    case RA_JOBDEF_GITHUB:
    case RA_JOBDEF_GITLAB:
    case RA_JOBDEF_WOODPECKER:
        return "UTC";
    default:
        return host_tz;
    }
}

int ra_schedule_firings(struct ra_vec *out, struct ra_schedule *s, ra_time from,
                        ra_time to, const char *host_tz, struct ra_err *err)
{
    struct ra_buf expr = RA_BUF_INIT;
    size_t i, k, budget;

    for (i = 0; i < s->jobs.len; i++) {
        const struct ra_sched_job *j = s->jobs.items[i];
        budget = RA_SCHEDULE_MAX_FIRINGS;
        for (k = 0; k < j->versions.len && budget; k++) {
            const struct ra_job_version *v = j->versions.items[k];
            const struct ra_job_version *next =
                k + 1 < j->versions.len ? j->versions.items[k + 1] : NULL;
            ra_time start = v->commit->time > from ? v->commit->time : from;
            ra_time end = next && next->commit->time < to ? next->commit->time : to;
            const char *p, *semi;
            if (!v->job || v->job->disabled || v->job->absent || !v->job->schedule ||
                v->job->syntax == RA_SCHED_MONOTONIC ||
                v->job->syntax == RA_SCHED_EXTERNAL || start >= end)
                continue;
            /* systemd lists several OnCalendar= values, "; "-separated */
            for (p = v->job->schedule; *p && budget; p = *semi ? semi + 1 : semi) {
                semi = strchr(p, ';');
                if (!semi)
                    semi = p + strlen(p);
                while (*p == ' ')
                    p++;
                ra_buf_truncate(&expr, 0);
                ra_buf_put(&expr, p, (size_t)(semi - p));
                if (expr.len)
                    fire(out, s, j, v, expr.ptr, start, end, zone_of(s, v->job, host_tz),
                         &budget, err);
            }
            if (!budget)
                problem(s,
                        "%s:%u: %d firings in the window, the most listed for a job: "
                        "later ones are not listed",
                        v->job->path, v->job->line, RA_SCHEDULE_MAX_FIRINGS);
        }
    }
    ra_vec_sort(out, cmp_firing);
    ra_buf_release(&expr);
    return 0;
}
