/* SPDX-License-Identifier: MIT */
/* What a job does: its command, and the scripts and units it runs when they are in the
 * file set (matched by path suffix), read as shell one line at a time (words split by
 * config/text/shellwords, each simple command judged by jobs_command.c). Quoted words
 * with blanks (sh -c '...', ssh host '...') are read again as command lines. */
#include "config/jobs/jobs_internal.h"

#include <stdlib.h>
#include <string.h>

#define NESTED_MAX 4 /* sh -c inside ssh inside ... */

static void follow(struct ra_jobs_cls *st, const char *word, int depth);
static void read_line(struct ra_jobs_cls *st, const char *text, int depth, int nested);

static void read_text(struct ra_jobs_cls *st, const struct ra_jobs_text *t, int depth);

/* Read the text once per job: 0 if it was read already. */
static int first_visit(struct ra_jobs_cls *st, const struct ra_jobs_text *t)
{
    size_t i;

    for (i = 0; i < st->job->scripts.len; i++) {
        if (!strcmp(st->job->scripts.items[i], t->path))
            return 0;
    }
    ra_vec_push(&st->job->scripts, (void *)t->path);
    return 1;
}

/* `systemctl start registry-gc`: the unit's Exec lines, when the unit is in the set
 * (by its installed name, else its own; nearest the job first). */
static void follow_unit(struct ra_jobs_cls *st, const char *unit, int depth)
{
    const struct ra_jobs_text *best = NULL;
    struct ra_buf name = RA_BUF_INIT;
    size_t i;

    if (depth >= RA_JOBS_FOLLOW_DEPTH)
        return;
    ra_buf_puts(&name, unit);
    if (!strchr(unit, '.'))
        ra_buf_puts(&name, ".service");
    for (i = 0; i < st->ctx->ntexts; i++) {
        const struct ra_jobs_text *t = &st->ctx->texts[i];
        const char *n = ra_jobs_text_name(t);
        if (!ra_jobs_may_follow(st->job, t->path))
            continue;
        if (strncmp(n, name.ptr, name.len) ||
            (n[name.len] && strcmp(n + name.len, ".j2")))
            continue; /* "registry-gc.service", or its template "registry-gc.service.j2"
                       */
        if (!best || ra_jobs_shared_dirs(t->path, st->job->path) >
                         ra_jobs_shared_dirs(best->path, st->job->path))
            best = t;
    }
    ra_buf_release(&name);
    if (best && first_visit(st, best))
        read_text(st, best, depth + 1);
}

/* The script words of a simple command: its program if that is a path or a script, or
 * the script that sh/bash/source runs. */
static void follow_command(struct ra_jobs_cls *st, const struct ra_shellwords *w,
                           size_t s, size_t e, int depth)
{
    static const char *const shells[] = {"sh",     "bash",   "dash", "zsh",
                                         "ksh",    "source", ".",    "python3",
                                         "python", "perl",   NULL};
    const char *image, *prog;
    size_t p = ra_jobs_unwrap(w, s, e, &image), i;

    if (p >= e)
        return;
    prog = ra_shellwords_at(w, p);
    if (ra_shellwords_one_of(ra_shellwords_base(prog), shells)) {
        for (i = p + 1; i < e && ra_shellwords_at(w, i)[0] == '-'; i++) {
            if (!strcmp(ra_shellwords_at(w, i), "-c"))
                return; /* the string is read as a line of its own */
        }
        if (i < e)
            follow(st, ra_shellwords_at(w, i), depth);
    } else if (!strcmp(ra_shellwords_base(prog), "systemctl")) {
        for (i = p + 1; i < e && ra_shellwords_at(w, i)[0] == '-'; i++)
            ;
        if (i >= e || (strcmp(ra_shellwords_at(w, i), "start") &&
                       strcmp(ra_shellwords_at(w, i), "restart")))
            return;
        for (i++; i < e && ra_shellwords_at(w, i)[0] == '-'; i++)
            ;
        if (i < e)
            follow_unit(st, ra_shellwords_at(w, i), depth);
    } else if (strchr(prog, '/') || ra_jobs_path_has_suffix(prog, ".sh")) {
        follow(st, prog, depth);
    }
}

static void read_words(struct ra_jobs_cls *st, struct ra_shellwords *w, int depth,
                       int nested)
{
    size_t s = 0, e, i;
    struct ra_buf copy = RA_BUF_INIT;

    ra_jobs_line_classes(st, w);
    while (s < w->n) {
        for (e = s; e < w->n && !w->op[e]; e++)
            ;
        if (e > s) {
            ra_jobs_simple_command(st, w, s, e);
            follow_command(st, w, s, e, depth);
        }
        s = e + 1;
    }
    /* quoted words with blanks: sh -c '...', ssh host '...', su -c '...' */
    if (nested >= NESTED_MAX)
        return;
    for (i = 0, s = ra_jobs_past_keywords(w, 0); i < w->n; i++) {
        if (w->op[i])
            s = ra_jobs_past_keywords(w, i + 1); /* this simple command's program */
        else if (strpbrk(ra_shellwords_at(w, i), " \t\n") && s < w->n &&
                 !ra_shellwords_one_of(ra_shellwords_base(ra_shellwords_at(w, s)),
                                       ra_jobs_quoting)) {
            ra_buf_truncate(&copy, 0);
            ra_buf_puts(&copy, ra_shellwords_at(w, i));
            read_line(st, ra_buf_cstr(&copy), depth, nested + 1);
        }
    }
    ra_buf_release(&copy);
}

static void read_line(struct ra_jobs_cls *st, const char *text, int depth, int nested)
{
    struct ra_shellwords *w = ra_xcalloc(1, sizeof(*w));
    const char *saved = st->text;

    if (!nested)
        st->text = text;
    ra_shellwords_split(w, text, 0);
    read_words(st, w, depth, nested);
    ra_shellwords_release(w);
    free(w);
    st->text = saved;
}

/* Count the trailing path segments that word and path share. */
static size_t shared_suffix(const char *word, const char *path)
{
    const char *a = word + strlen(word), *b = path + strlen(path);
    size_t segs = 0;

    for (;;) {
        const char *sa = a, *sb = b;
        while (sa > word && sa[-1] != '/')
            sa--;
        while (sb > path && sb[-1] != '/')
            sb--;
        if (a - sa != b - sb || a == sa || memcmp(sa, sb, (size_t)(a - sa)))
            return segs;
        segs++;
        if (sa == word || sb == path)
            return segs;
        a = sa - 1;
        b = sb - 1;
    }
}

/* Does the line end with an unescaped backslash (a shell line continuation)? */
static int continued(const char *p, size_t len)
{
    size_t n = 0;

    while (n < len && p[len - 1 - n] == '\\')
        n++;
    return n % 2 == 1;
}

/* The next logical line into out (emptied first): physical lines ending in '\\' are
 * joined with a blank, as the shell and systemd do. line->no stays at the first
 * physical line; *last_no gets the last. Returns 0 at the end. */
static int next_logical(struct ra_buf *out, const char **cursor,
                        struct ra_jobs_line *line, unsigned *last_no)
{
    struct ra_jobs_line more;
    size_t len;

    if (!ra_jobs_next_line(cursor, line))
        return 0;
    ra_buf_truncate(out, 0);
    ra_buf_put(out, line->p, line->len);
    more = *line;
    while (continued(out->ptr, out->len) && ra_jobs_next_line(cursor, &more)) {
        out->ptr[out->len - 1] = ' ';
        len = out->len;
        ra_buf_put(out, more.p, more.len);
        if (out->len == len)
            break; /* an empty line ends it */
    }
    *last_no = more.no;
    ra_buf_cstr(out);
    return 1;
}

static void read_text(struct ra_jobs_cls *st, const struct ra_jobs_text *t, int depth)
{
    struct ra_jobs_cls sub = *st;
    struct ra_jobs_line line = {NULL, 0, 0};
    struct ra_buf logical = RA_BUF_INIT;
    const char *cursor = t->data;
    int unit = ra_jobs_path_has_suffix(ra_jobs_text_name(t), ".service");
    unsigned last;
    char *copy;

    sub.path = t->path;
    sub.file_mentions_tags = strstr(t->data, "_manifests/tags") != NULL;
    sub.file_mentions_v2 = strstr(t->data, "/v2/") != NULL;
    while (next_logical(&logical, &cursor, &line, &last)) {
        const char *p = logical.ptr, *end = logical.ptr + logical.len;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (p == end || *p == '#')
            continue;
        if (unit) { /* a unit runs its Exec*= lines, prefixes -@:+! aside */
            if (strncmp(p, "Exec", 4) || !(p = memchr(p, '=', (size_t)(end - p))))
                continue;
            for (p++; p < end && strchr("-@:+! \t", *p); p++)
                ;
        }
        sub.line = line.no;
        copy = ra_xstrndup(p, (size_t)(end - p));
        read_line(&sub, copy, depth, 0);
        free(copy);
        line.no = last;
    }
    ra_buf_release(&logical);
}

size_t ra_jobs_shared_dirs(const char *a, const char *b)
{
    size_t n = 0, i;

    for (i = 0; a[i] && a[i] == b[i]; i++) {
        if (a[i] == '/')
            n++;
    }
    return n;
}

/* /usr/bin/docker is the system's, not the repository's etc/default/docker; a script
 * installed there (/usr/bin/gc.sh) is still looked for. */
static int system_program(const char *w)
{
    static const char *const dirs[] = {"/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/",
                                       NULL};
    size_t i;

    for (i = 0; dirs[i]; i++) {
        if (!strncmp(w, dirs[i], strlen(dirs[i])) && !strchr(w + strlen(dirs[i]), '.'))
            return 1;
    }
    return 0;
}

/* Read the script a command names, when it is in the set and not read yet; among
 * scripts that match equally well, the one nearest the job's definition. */
static void follow(struct ra_jobs_cls *st, const char *word, int depth)
{
    const struct ra_jobs_text *best = NULL;
    size_t i, n, best_n = 0;
    const char *w = word;

    if (depth >= RA_JOBS_FOLLOW_DEPTH || system_program(w))
        return;
    /* "$HOME/bin/x.sh", "${DIR}/x.sh", "~/x.sh", "./x.sh": match what follows */
    if (*w == '$' || *w == '~') {
        w = strchr(w, '/');
        if (!w)
            return;
    }
    while (w[0] == '.' && w[1] == '/')
        w += 2;
    while (*w == '/')
        w++;
    if (!*w || strchr(w, '$'))
        return;
    for (i = 0; i < st->ctx->ntexts; i++) {
        n = ra_jobs_may_follow(st->job, st->ctx->texts[i].path)
                ? shared_suffix(w, st->ctx->texts[i].path)
                : 0;
        if (n > best_n || (n && n == best_n &&
                           ra_jobs_shared_dirs(st->ctx->texts[i].path, st->job->path) >
                               ra_jobs_shared_dirs(best->path, st->job->path)))
            best = &st->ctx->texts[i], best_n = n;
    }
    if (best && first_visit(st, best))
        read_text(st, best, depth + 1);
}

void ra_jobs_classify(struct ra_jobs_ctx *ctx, struct ra_job *job)
{
    struct ra_jobs_cls st;
    const char *cursor;
    struct ra_jobs_line line = {NULL, 0, 0};
    struct ra_buf logical = RA_BUF_INIT;
    unsigned last;

    if (!job->command)
        return;
    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    st.job = job;
    st.path = job->command_path;
    st.line = job->command_line;
    st.file_mentions_tags = strstr(job->command, "_manifests/tags") != NULL;
    st.file_mentions_v2 = strstr(job->command, "/v2/") != NULL;
    cursor = job->command;
    while (next_logical(&logical, &cursor, &line, &last)) {
        read_line(&st, logical.ptr, 0, 0);
        line.no = last;
    }
    ra_buf_release(&logical);
    if (job->classes & RA_JOB_GARBAGE_COLLECT)
        job->cls = RA_JOB_GARBAGE_COLLECT;
    else if (job->classes & RA_JOB_TAG_PRUNE)
        job->cls = RA_JOB_TAG_PRUNE;
    else if (job->classes & RA_JOB_BACKUP)
        job->cls = RA_JOB_BACKUP;
    else if (job->classes & RA_JOB_PROBE)
        job->cls = RA_JOB_PROBE;
    if (job->cls != RA_JOB_TAG_PRUNE && !(job->classes & RA_JOB_TAG_PRUNE))
        job->keep = NULL;
}
