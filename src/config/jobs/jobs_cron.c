/* SPDX-License-Identifier: MIT */
/* Crontab and cron.d-style files ("m h dom mon dow [user] command", "@daily command"),
 * with CRON_TZ=/TZ= and other environment lines, "#Ansible: name" markers and
 * commented-out job lines (kept as disabled jobs); and the run-parts directories. Cron
 * has no line continuation: a trailing backslash is part of the command. */
#include "config/jobs/jobs_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <strings.h>

static const char *const specials[] = {
    "@reboot", "@yearly", "@annually", "@monthly",
    "@weekly", "@daily",  "@midnight", "@hourly",
};

static const char *const cron_names[] = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
    "nov", "dec", "sun", "mon", "tue", "wed", "thu", "fri", "sat",
};

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Does [p, p + n) look like a cron time field: digits, '*', ',', '-', '/' and
 * three-letter month or day names? */
static int field_ok(const char *p, size_t n)
{
    size_t i = 0, k, w;

    if (!n)
        return 0;
    while (i < n) {
        if (isalpha((unsigned char)p[i])) {
            for (w = i; w < n && isalpha((unsigned char)p[w]); w++)
                ;
            if (w - i != 3)
                return 0;
            for (k = 0; k < RA_ARRAY_SIZE(cron_names); k++) {
                if (!strncasecmp(p + i, cron_names[k], 3))
                    break;
            }
            if (k == RA_ARRAY_SIZE(cron_names))
                return 0;
            i = w;
        } else if (isdigit((unsigned char)p[i]) || strchr("*,-/", p[i])) {
            i++;
        } else {
            return 0;
        }
    }
    return 1;
}

struct cron_line {
    const char *sched;
    size_t sched_len;
    const char *user;
    size_t user_len;
    const char *cmd;
    size_t cmd_len;
};

static const char *skip_blanks(const char *p, const char *end)
{
    while (p < end && is_blank(*p))
        p++;
    return p;
}

static const char *word_end(const char *p, const char *end)
{
    while (p < end && !is_blank(*p))
        p++;
    return p;
}

/* Split a job line. Returns 0, or -1 when it is not one (why in *why). */
static int split_line(struct cron_line *cl, const char *p, size_t len, int has_user,
                      const char **why)
{
    const char *end = p + len, *w, *we, *start;
    size_t i, k;

    memset(cl, 0, sizeof(*cl));
    while (end > p && is_blank(end[-1]))
        end--;
    p = skip_blanks(p, end);
    start = p;
    if (*p == '@') {
        we = word_end(p, end);
        for (k = 0; k < RA_ARRAY_SIZE(specials); k++) {
            if ((size_t)(we - p) == strlen(specials[k]) &&
                !strncasecmp(p, specials[k], (size_t)(we - p)))
                break;
        }
        if (k == RA_ARRAY_SIZE(specials)) {
            *why = "unknown @ schedule";
            return -1;
        }
        p = we;
    } else {
        for (i = 0; i < 5; i++) {
            w = skip_blanks(p, end);
            we = word_end(w, end);
            if (!field_ok(w, (size_t)(we - w))) {
                *why = w == we ? "fewer than 5 time fields" : "bad time field";
                return -1;
            }
            p = we;
        }
    }
    cl->sched = start;
    cl->sched_len = (size_t)(p - start);
    p = skip_blanks(p, end);
    if (has_user) {
        we = word_end(p, end);
        cl->user = p;
        cl->user_len = (size_t)(we - p);
        p = skip_blanks(we, end);
    }
    if (p == end) {
        *why = has_user && !cl->user_len ? "no user and no command" : "no command";
        return -1;
    }
    cl->cmd = p;
    cl->cmd_len = (size_t)(end - p);
    return 0;
}

/* "NAME=value" or "NAME = value" (cron's load_env); *name and *value set. */
static int env_line(const char *p, size_t len, const char **name, size_t *name_len,
                    const char **value, size_t *value_len)
{
    const char *end = p + len, *q = p;

    if (q == end || !(isalpha((unsigned char)*q) || *q == '_'))
        return 0;
    while (q < end && (isalnum((unsigned char)*q) || *q == '_'))
        q++;
    *name = p;
    *name_len = (size_t)(q - p);
    q = skip_blanks(q, end);
    if (q == end || *q != '=')
        return 0;
    q = skip_blanks(q + 1, end);
    while (end > q && is_blank(end[-1]))
        end--;
    if (end - q >= 2 && (*q == '"' || *q == '\'') && end[-1] == *q)
        q++, end--;
    *value = q;
    *value_len = (size_t)(end - q);
    return 1;
}

/* A cron.d line without its user field: cron takes the command's first word for the
 * user, finds no such user and never runs the line. */
static void check_user(struct ra_job *j, const struct cron_line *cl)
{
    if (!cl->user ||
        !(memchr(cl->user, '/', cl->user_len) || memchr(cl->user, '$', cl->user_len) ||
          memchr(cl->user, '=', cl->user_len)))
        return;
    j->disabled = 1;
    j->warning = "cron.d line without a user field: cron never runs it";
}

/* The first character run-parts (and Debian's cron, for cron.d) does not accept in a
 * file name, or 0. A template's ".j2" is not part of the deployed name. */
static char bad_runparts_char(const char *base)
{
    size_t n = strlen(base), i;

    if (n > 3 && !strcmp(base + n - 3, ".j2"))
        n -= 3;
    for (i = 0; i < n; i++) {
        if (!(isalnum((unsigned char)base[i]) || base[i] == '_' || base[i] == '-'))
            return base[i];
    }
    return 0;
}

static struct ra_job *add_cron_job(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t,
                                   unsigned no, const struct cron_line *cl,
                                   const char *cron_tz, const char *tz, const char *name,
                                   int disabled)
{
    struct ra_job *j =
        ra_jobs_add_job(ctx, cl->user ? RA_JOBDEF_CROND : RA_JOBDEF_CRONTAB, t->path, no);

    j->schedule = ra_jobs_strndup(ctx, cl->sched, cl->sched_len);
    j->syntax = RA_SCHED_CRON;
    j->command = ra_jobs_strndup(ctx, cl->cmd, cl->cmd_len);
    j->user = cl->user ? ra_jobs_strndup(ctx, cl->user, cl->user_len) : NULL;
    j->timezone = cron_tz; /* cronie's CRON_TZ=; TZ= is only the command's environment */
    j->name = name;
    j->disabled = disabled;
    check_user(j, cl);
    if (tz && !cron_tz && !j->warning) {
        struct ra_buf b = RA_BUF_INIT;
        ra_buf_printf(&b,
                      "TZ=%s sets the command's environment, not the schedule: cron "
                      "reads the times in the host's zone",
                      tz);
        j->warning = ra_jobs_strdup(ctx, b.ptr);
        ra_buf_release(&b);
    }
    if (cl->user && strcmp(ra_jobs_text_name(t), "crontab") &&
        bad_runparts_char(ra_jobs_text_name(t)))
        j->warning = j->warning
                         ? j->warning
                         : "Debian's cron ignores cron.d files with '.' in their name";
    return j;
}

/* The examples in the comments of Debian's /etc/crontab and of a new user crontab,
 * which parse as job lines but were never jobs. */
static int template_example(const char *p, const char *end)
{
    static const char *const examples[] = {
        "user-name command to be executed",
        "tar -zcf /var/backups/home.tgz /home/",
    };
    size_t i, n = (size_t)(end - p), k;

    for (i = 0; i < RA_ARRAY_SIZE(examples); i++) {
        k = strlen(examples[i]);
        if (n >= k && !memcmp(end - k, examples[i], k))
            return 1;
    }
    return 0;
}

void ra_jobs_parse_crontab(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t,
                           int has_user)
{
    const char *cursor = t->data, *p, *end, *n, *v, *why;
    const char *cron_tz = NULL, *tz = NULL, *pending = NULL;
    struct ra_jobs_line line = {NULL, 0, 0};
    struct cron_line cl;
    size_t nl, vl;

    while (ra_jobs_next_line(&cursor, &line)) {
        end = line.p + line.len;
        p = skip_blanks(line.p, end);
        if (p == end)
            continue;
        if (*p == '#') {
            p = skip_blanks(p + 1, end);
            if ((size_t)(end - p) > 8 && !strncmp(p, "Ansible:", 8)) {
                const char *q = skip_blanks(p + 8, end);
                pending = ra_jobs_strndup(ctx, q, (size_t)(end - q));
            } else if (!template_example(p, end) &&
                       split_line(&cl, p, (size_t)(end - p), has_user, &why) == 0) {
                add_cron_job(ctx, t, line.no, &cl, cron_tz, tz, pending, 1);
                pending = NULL;
            }
            continue;
        }
        if (env_line(p, (size_t)(end - p), &n, &nl, &v, &vl)) {
            if (nl == 7 && !strncmp(n, "CRON_TZ", 7))
                cron_tz = vl ? ra_jobs_strndup(ctx, v, vl) : NULL;
            else if (nl == 2 && !strncmp(n, "TZ", 2))
                tz = vl ? ra_jobs_strndup(ctx, v, vl) : NULL;
            continue;
        }
        if (split_line(&cl, p, (size_t)(end - p), has_user, &why) < 0) {
            ra_jobs_add_problem(ctx, t->path, line.no, RA_EFORMAT, "'%s:%u': %s: '%.*s'",
                                t->path, line.no, why,
                                (int)((end - p) < 60 ? end - p : 60), p);
            pending = NULL;
            continue;
        }
        add_cron_job(ctx, t, line.no, &cl, cron_tz, tz, pending, 0);
        pending = NULL;
    }
}

/* Debian's /etc/crontab runs these with run-parts. */
static const struct {
    const char *period;
    const char *schedule;
} runparts_times[] = {
    {"hourly", "17 * * * *"},
    {"daily", "25 6 * * *"},
    {"weekly", "47 6 * * 7"},
    {"monthly", "52 6 1 * *"},
};

void ra_jobs_parse_runparts(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t,
                            const char *period)
{
    struct ra_buf cmd = RA_BUF_INIT;
    struct ra_job *j;
    size_t i;

    if (strncmp(t->data, "#!", 2))
        return; /* README, .placeholder: run-parts runs executables */
    j = ra_jobs_add_job(ctx, RA_JOBDEF_RUNPARTS, t->path, 1);
    for (i = 0; i < RA_ARRAY_SIZE(runparts_times); i++) {
        if (!strcmp(period, runparts_times[i].period))
            j->schedule = runparts_times[i].schedule;
    }
    j->syntax = RA_SCHED_CRON;
    j->user = "root";
    j->name = ra_jobs_text_name(t);
    ra_buf_printf(&cmd, "/etc/cron.%s/%s", period, ra_jobs_text_name(t));
    j->command = ra_jobs_strdup(ctx, ra_buf_cstr(&cmd));
    ra_buf_release(&cmd);
    /* Debian's run-parts only runs names made of letters, digits, '_' and '-' */
    if (bad_runparts_char(ra_jobs_text_name(t))) {
        j->disabled = 1;
        j->warning = "run-parts skips names with '.' or other signs: it never runs";
    }
}

/* The times run-parts jobs run at come from an /etc/crontab in the set when there is
 * one (the nearest to the job), else Debian's defaults. */
void ra_jobs_runparts_times(struct ra_jobs_ctx *ctx)
{
    struct ra_buf want = RA_BUF_INIT;
    struct ra_job *j, *c, *best;
    size_t i, k, n, best_n;
    const char *dir;

    for (i = 0; i < ctx->out->jobs.len; i++) {
        j = ctx->out->jobs.items[i];
        if (j->def != RA_JOBDEF_RUNPARTS)
            continue;
        dir = strstr(j->command, "/etc/cron.");
        ra_buf_truncate(&want, 0);
        ra_buf_put(&want, dir, (size_t)(strrchr(dir, '/') - dir)); /* "/etc/cron.daily" */
        best = NULL;
        best_n = 0;
        for (k = 0; k < ctx->out->jobs.len; k++) {
            c = ctx->out->jobs.items[k];
            if (c->def != RA_JOBDEF_CROND || !c->command ||
                !strstr(c->command, "run-parts") ||
                !ra_jobs_path_has_suffix(c->path, "crontab"))
                continue;
            dir = strstr(c->command, want.ptr);
            if (!dir || isalnum((unsigned char)dir[want.len]))
                continue; /* cron.daily, not cron.dailyx */
            n = ra_jobs_shared_dirs(c->path, j->path) + 1;
            if (n > best_n)
                best = c, best_n = n;
        }
        if (!best)
            continue;
        j->schedule = best->schedule;
        j->timezone = best->timezone;
        if (strstr(best->command, "anacron") && !j->warning)
            j->warning =
                "run by anacron where it is installed (times from /etc/anacrontab)";
    }
    ra_buf_release(&want);
}
