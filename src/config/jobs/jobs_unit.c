/* SPDX-License-Identifier: MIT */
/* The two text formats that are neither cron nor YAML: systemd .timer units with their
 * .service (OnCalendar= kept as written; evaluating it is config/calendar's job), and a
 * light scan of Terraform for kubernetes_cron_job(_v1) resources and image strings. */
#include "config/jobs/jobs_internal.h"
#include "config/text/imageref.h"

#include <ctype.h>
#include <stdio.h>

/* ---- systemd ---- */

struct unit_value {
    const char *value; /* pool copy, continuation lines joined */
    unsigned line;
};

/* Call fn for every Key=Value of the section, continuation lines joined. */
typedef void (*unit_kv_cb)(const char *key, size_t key_len, const char *value,
                           unsigned line, void *payload);

static void unit_walk(const struct ra_jobs_text *t, const char *section, unit_kv_cb fn,
                      void *payload)
{
    struct ra_jobs_line line = {NULL, 0, 0};
    struct ra_buf value = RA_BUF_INIT;
    const char *cursor = t->data, *p, *end, *eq, *k_end;
    int in = 0, cont = 0;
    unsigned at = 0;
    size_t key_len = 0;
    char key[64];

    while (ra_jobs_next_line(&cursor, &line)) {
        p = line.p;
        end = p + line.len;
        while (p < end && isspace((unsigned char)*p))
            p++;
        while (end > p && isspace((unsigned char)end[-1]))
            end--;
        if (!cont) {
            if (p == end || *p == '#' || *p == ';')
                continue;
            if (*p == '[') {
                in = (size_t)(end - p) == strlen(section) + 2 &&
                     !strncmp(p + 1, section, strlen(section));
                continue;
            }
            eq = memchr(p, '=', (size_t)(end - p));
            if (!in || !eq)
                continue;
            for (k_end = eq; k_end > p && isspace((unsigned char)k_end[-1]); k_end--)
                ;
            key_len = (size_t)(k_end - p) < sizeof(key) - 1 ? (size_t)(k_end - p)
                                                            : sizeof(key) - 1;
            memcpy(key, p, key_len);
            key[key_len] = '\0';
            at = line.no;
            ra_buf_truncate(&value, 0);
            for (p = eq + 1; p < end && isspace((unsigned char)*p); p++)
                ;
        } else if (p < end && (*p == '#' || *p == ';')) {
            continue; /* comment lines inside a continuation are skipped */
        }
        cont = end > p && end[-1] == '\\';
        ra_buf_put(&value, p, (size_t)(end - p - cont));
        if (cont) {
            ra_buf_putc(&value, ' ');
            continue;
        }
        fn(key, key_len, ra_buf_cstr(&value), at, payload);
    }
    if (cont)
        fn(key, key_len, ra_buf_cstr(&value), at, payload);
    ra_buf_release(&value);
}

struct timer_info {
    struct ra_jobs_ctx *ctx;
    struct ra_buf calendar; /* "; "-joined */
    unsigned calendar_line;
    struct ra_buf monotonic;
    unsigned monotonic_line;
    const char *unit;
    const char *tz;
    int persistent;
    const char *random_delay;
};

static int key_is(const char *key, size_t len, const char *want)
{
    return len == strlen(want) && !memcmp(key, want, len);
}

/* The zone at the end of an OnCalendar= value ("... 03:25:00 Europe/London"), or NULL.
 * A zone name starts with a letter and holds only letters, digits and "/_+-": the
 * time "*:0/15:00" in "*-*-* *:0/15:00" is not one. */
static const char *calendar_zone(struct ra_jobs_ctx *ctx, const char *v)
{
    const char *last = strrchr(v, ' ');

    if (!last)
        return NULL;
    last++;
    if (!isalpha((unsigned char)*last) || last[strspn(last, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                            "abcdefghijklmnopqrstuvwxyz"
                                                            "0123456789/_+-")])
        return NULL;
    if (strchr(last, '/') || !strcmp(last, "UTC") || !strcmp(last, "GMT"))
        return ra_jobs_strdup(ctx, last);
    return NULL;
}

static void timer_kv(const char *key, size_t len, const char *value, unsigned line,
                     void *payload)
{
    struct timer_info *ti = payload;

    if (key_is(key, len, "OnCalendar")) {
        if (!*value) {
            ra_buf_truncate(&ti->calendar, 0); /* an empty value resets the list */
            ti->calendar_line = 0;
            return;
        }
        if (ti->calendar.len)
            ra_buf_puts(&ti->calendar, "; ");
        ra_buf_puts(&ti->calendar, value);
        if (!ti->calendar_line)
            ti->calendar_line = line;
        if (!ti->tz)
            ti->tz = calendar_zone(ti->ctx, value);
    } else if (key_is(key, len, "OnActiveSec") || key_is(key, len, "OnBootSec") ||
               key_is(key, len, "OnStartupSec") || key_is(key, len, "OnUnitActiveSec") ||
               key_is(key, len, "OnUnitInactiveSec")) {
        if (ti->monotonic.len)
            ra_buf_puts(&ti->monotonic, "; ");
        ra_buf_printf(&ti->monotonic, "%.*s=%s", (int)len, key, value);
        if (!ti->monotonic_line)
            ti->monotonic_line = line;
    } else if (key_is(key, len, "Unit") && *value) {
        ti->unit = ra_jobs_strdup(ti->ctx, value);
    } else if (key_is(key, len, "Persistent")) {
        ti->persistent = !strcmp(value, "true") || !strcmp(value, "yes") ||
                         !strcmp(value, "on") || !strcmp(value, "1");
    } else if (key_is(key, len, "RandomizedDelaySec")) {
        ti->random_delay =
            *value && strcmp(value, "0") ? ra_jobs_strdup(ti->ctx, value) : NULL;
    }
}

struct service_info {
    struct ra_jobs_ctx *ctx;
    struct ra_buf exec;
    unsigned exec_line;
    const char *user;
};

static void service_kv(const char *key, size_t len, const char *value, unsigned line,
                       void *payload)
{
    struct service_info *si = payload;

    if (key_is(key, len, "ExecStart")) {
        if (!*value) {
            ra_buf_truncate(&si->exec, 0);
            si->exec_line = 0;
            return;
        }
        while (*value && strchr("-@:+!", *value))
            value++; /* prefixes: ignore failure, argv0, privileges */
        if (si->exec.len)
            ra_buf_puts(&si->exec, "; ");
        ra_buf_puts(&si->exec, value);
        if (!si->exec_line)
            si->exec_line = line;
    } else if (key_is(key, len, "User") && *value) {
        si->user = ra_jobs_strdup(si->ctx, value);
    }
}

/* The service unit a timer starts: in the timer's directory, else anywhere. */
static const struct ra_jobs_text *
find_service(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *timer, const char *unit)
{
    struct ra_buf b = RA_BUF_INIT;
    const struct ra_jobs_text *t = NULL;
    size_t i, ulen = strlen(unit);

    ra_buf_put(&b, timer->path, (size_t)(timer->base - timer->path));
    ra_buf_puts(&b, unit);
    if (!(t = ra_jobs_find(ctx, ra_buf_cstr(&b)))) {
        ra_buf_puts(&b, ".j2");
        t = ra_jobs_find(ctx, ra_buf_cstr(&b));
    }
    for (i = 0; !t && i < ctx->ntexts; i++) { /* installed under that name */
        if (ctx->texts[i].deployed && !strcmp(ra_jobs_text_name(&ctx->texts[i]), unit))
            t = &ctx->texts[i];
    }
    for (i = 0; !t && i < ctx->ntexts; i++) {
        const char *base = ctx->texts[i].base;
        if (!strncmp(base, unit, ulen) && (!base[ulen] || !strcmp(base + ulen, ".j2")))
            t = &ctx->texts[i];
    }
    ra_buf_release(&b);
    return t;
}

void ra_jobs_parse_timer(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t)
{
    struct timer_info ti = {ctx, RA_BUF_INIT, 0, RA_BUF_INIT, 0, NULL, NULL, 0, NULL};
    struct service_info si = {ctx, RA_BUF_INIT, 0, NULL};
    struct ra_buf name = RA_BUF_INIT;
    const struct ra_jobs_text *svc;
    struct ra_job *j;
    const char *dot;

    unit_walk(t, "Timer", timer_kv, &ti);
    ra_buf_puts(&name, ra_jobs_text_name(t));
    if ((dot = strstr(name.ptr, ".timer")) != NULL)
        ra_buf_truncate(&name, (size_t)(dot - name.ptr));
    if (!ti.calendar.len && !ti.monotonic.len) {
        ra_jobs_add_problem(ctx, t->path, 0, RA_EFORMAT,
                            "'%s': timer without OnCalendar= or On*Sec=", t->path);
        goto done;
    }
    j = ra_jobs_add_job(ctx, RA_JOBDEF_SYSTEMD, t->path,
                        ti.calendar.len ? ti.calendar_line : ti.monotonic_line);
    j->name = ra_jobs_strdup(ctx, ra_buf_cstr(&name));
    j->syntax = ti.calendar.len ? RA_SCHED_CALENDAR : RA_SCHED_MONOTONIC;
    j->schedule = ra_jobs_strdup(ctx, ti.calendar.len ? ra_buf_cstr(&ti.calendar)
                                                      : ra_buf_cstr(&ti.monotonic));
    j->timezone = ti.tz;
    j->persistent = ti.persistent;
    j->random_delay = ti.random_delay;
    if (!ti.unit) {
        ra_buf_puts(&name, ".service");
        ti.unit = ra_jobs_strdup(ctx, ra_buf_cstr(&name));
    }
    if (!(svc = find_service(ctx, t, ti.unit))) {
        ra_jobs_add_problem(ctx, t->path, 0, RA_ENOTFOUND,
                            "'%s': its unit '%s' not found", t->path, ti.unit);
        goto done;
    }
    unit_walk(svc, "Service", service_kv, &si);
    if (si.exec.len) {
        j->command = ra_jobs_strdup(ctx, ra_buf_cstr(&si.exec));
        j->command_path = svc->path;
        j->command_line = si.exec_line;
    }
    j->user = si.user;

done:
    ra_buf_release(&ti.calendar);
    ra_buf_release(&ti.monotonic);
    ra_buf_release(&si.exec);
    ra_buf_release(&name);
}

/* ---- Terraform ---- */

static unsigned line_of(const struct ra_jobs_text *t, const char *p)
{
    unsigned n = 1;
    const char *q;

    for (q = t->data; q < p; q++)
        n += *q == '\n';
    return n;
}

/* Past a quoted string starting at p ('"'), or a comment; NULL if not one. */
static const char *skip_string(const char *p)
{
    for (p++; *p && *p != '"'; p++) {
        if (*p == '\\' && p[1])
            p++;
        else if (*p == '\n')
            return p; /* unterminated: stop at the line's end */
    }
    return *p ? p + 1 : p;
}

static const char *skip_heredoc(const char *p)
{
    const char *id, *line;
    size_t n;

    p += 2;
    if (*p == '-' || *p == '~')
        p++;
    id = p;
    while (isalnum((unsigned char)*p) || *p == '_')
        p++;
    n = (size_t)(p - id);
    if (!n)
        return p;
    for (line = strchr(p, '\n'); line; line = strchr(line + 1, '\n')) {
        const char *q = line + 1;
        while (*q == ' ' || *q == '\t')
            q++;
        if (!strncmp(q, id, n) && !(isalnum((unsigned char)q[n]) || q[n] == '_'))
            return q + n;
    }
    return p + strlen(p);
}

/* The end of the block whose '{' is at open (just past its '}'), strings, comments and
 * heredocs skipped. */
static const char *block_end(const char *open)
{
    const char *p = open;
    int depth = 0;

    while (*p) {
        if (*p == '"') {
            p = skip_string(p);
        } else if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
            p += strcspn(p, "\n");
        } else if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            p = e ? e + 2 : p + strlen(p);
        } else if (p[0] == '<' && p[1] == '<') {
            p = skip_heredoc(p);
        } else {
            if (*p == '{')
                depth++;
            else if (*p == '}' && --depth == 0)
                return p + 1;
            p++;
        }
    }
    return p;
}

/* Append the content of the string literal at p ('"') to out, escapes undone. */
static const char *read_string(struct ra_buf *out, const char *p, const char *end)
{
    for (p++; p < end && *p != '"' && *p != '\n'; p++) {
        if (*p == '\\' && p + 1 < end) {
            p++;
            ra_buf_putc(out, *p == 'n' ? '\n' : *p == 't' ? '\t' : *p);
        } else {
            ra_buf_putc(out, *p);
        }
    }
    return p < end && *p == '"' ? p + 1 : p;
}

/* Find `name = <value>` at the start of a line in [p, end); *val is past the '='. */
static const char *find_attr(const char *p, const char *end, const char *name)
{
    size_t n = strlen(name);
    const char *q;

    for (; p && p < end; p = memchr(p, '\n', (size_t)(end - p)), p = p ? p + 1 : NULL) {
        q = p;
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        if ((size_t)(end - q) <= n || memcmp(q, name, n))
            continue;
        q += n;
        if (isalnum((unsigned char)*q) || *q == '_')
            continue;
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        if (q < end && *q == '=' && q[1] != '=') {
            q++;
            while (q < end && (*q == ' ' || *q == '\t'))
                q++;
            return q;
        }
    }
    return NULL;
}

/* A string or bare value (true, var.x) at v, into out. */
static void read_scalar(struct ra_buf *out, const char *v, const char *end)
{
    ra_buf_truncate(out, 0);
    if (*v == '"') {
        read_string(out, v, end);
        return;
    }
    while (v < end && !isspace((unsigned char)*v) && *v != '#')
        ra_buf_putc(out, *v++);
}

/* A list of strings ["a", "b"] at v, appended space-separated. */
static void read_list(struct ra_buf *out, const char *v, const char *end)
{
    if (*v != '[')
        return;
    for (v++; v < end && *v != ']';) {
        if (*v == '"') {
            if (out->len)
                ra_buf_putc(out, ' ');
            v = read_string(out, v, end);
        } else {
            v++;
        }
    }
}

/* The first block `name {` in [p, end): its '{', or NULL. */
static const char *find_block(const char *p, const char *end, const char *name)
{
    size_t n = strlen(name);
    const char *q;

    for (; p && p < end; p = memchr(p, '\n', (size_t)(end - p)), p = p ? p + 1 : NULL) {
        for (q = p; q < end && (*q == ' ' || *q == '\t'); q++)
            ;
        if ((size_t)(end - q) <= n || memcmp(q, name, n))
            continue;
        for (q += n; q < end && (*q == ' ' || *q == '\t'); q++)
            ;
        if (q < end && *q == '{')
            return q;
    }
    return NULL;
}

/* metadata { name = "..." } when it is a literal, else the resource's label (a module's
 * var.name says nothing). */
static const char *resource_name(struct ra_jobs_ctx *ctx, const char *start,
                                 const char *end, const char *label)
{
    struct ra_buf b = RA_BUF_INIT;
    const char *meta = find_block(start, end, "metadata"), *v, *name = label;

    if (meta && (v = find_attr(meta, block_end(meta), "name")) && *v == '"') {
        read_scalar(&b, v, end);
        if (b.len && !strstr(b.ptr, "${"))
            name = ra_buf_cstr(&b);
    }
    name = ra_jobs_strdup(ctx, name);
    ra_buf_release(&b);
    return name;
}

static void tf_cron_job(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t,
                        const char *label, const char *start, const char *end)
{
    struct ra_buf b = RA_BUF_INIT, cmd = RA_BUF_INIT;
    const char *v;
    struct ra_job *j;

    if (!(v = find_attr(start, end, "schedule"))) {
        ra_jobs_add_problem(ctx, t->path, line_of(t, start), RA_EFORMAT,
                            "'%s:%u': cron job '%s' without schedule", t->path,
                            line_of(t, start), label);
        return;
    }
    j = ra_jobs_add_job(ctx, RA_JOBDEF_TERRAFORM, t->path, line_of(t, v));
    read_scalar(&b, v, end);
    j->schedule = ra_jobs_strdup(ctx, ra_buf_cstr(&b));
    j->syntax = RA_SCHED_CRON;
    if ((v = find_attr(start, end, "timezone")) ||
        (v = find_attr(start, end, "time_zone"))) {
        read_scalar(&b, v, end);
        j->timezone = ra_jobs_strdup(ctx, ra_buf_cstr(&b));
    } else {
        ra_jobs_schedule_zone(ctx, j);
    }
    if ((v = find_attr(start, end, "suspend"))) {
        read_scalar(&b, v, end);
        j->disabled = !strcmp(ra_buf_cstr(&b), "true");
    }
    j->name = resource_name(ctx, start, end, label);
    if ((v = find_attr(start, end, "command"))) {
        read_list(&cmd, v, end);
        j->command_line = line_of(t, v);
    } else if ((v = find_attr(start, end, "image")) && *v == '"') {
        read_scalar(&b, v, end);
        if (ra_imageref_is_registry(ra_buf_cstr(&b)))
            ra_buf_puts(&cmd, "registry"); /* the image's entrypoint */
    }
    if ((v = find_attr(start, end, "args"))) {
        read_list(&cmd, v, end);
        if (j->command_line == j->line)
            j->command_line = line_of(t, v);
    }
    if (cmd.len)
        j->command = ra_jobs_strdup(ctx, ra_buf_cstr(&cmd));
    ra_buf_release(&b);
    ra_buf_release(&cmd);
}

void ra_jobs_parse_terraform(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t)
{
    const char *end = t->data + t->len, *p = t->data, *v, *open;
    struct ra_buf type = RA_BUF_INIT, label = RA_BUF_INIT, img = RA_BUF_INIT;

    for (v = find_attr(p, end, "image"); v; v = find_attr(v, end, "image")) {
        if (*v == '"') {
            read_scalar(&img, v, end);
            ra_jobs_add_image(ctx, img.ptr, img.len, t->path, line_of(t, v));
        }
    }
    for (p = t->data; p && p < end;
         p = memchr(p, '\n', (size_t)(end - p)), p = p ? p + 1 : NULL) {
        const char *q = p;
        while (*q == ' ' || *q == '\t')
            q++;
        if (strncmp(q, "resource", 8) || !isspace((unsigned char)q[8]))
            continue;
        q += 8;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q != '"')
            continue;
        ra_buf_truncate(&type, 0);
        ra_buf_truncate(&label, 0);
        q = read_string(&type, q, end);
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q == '"')
            q = read_string(&label, q, end);
        if (strcmp(ra_buf_cstr(&type), "kubernetes_cron_job_v1") &&
            strcmp(ra_buf_cstr(&type), "kubernetes_cron_job"))
            continue;
        if (!(open = strchr(q, '{')))
            break;
        tf_cron_job(ctx, t, ra_buf_cstr(&label), open, block_end(open));
    }
    ra_buf_release(&type);
    ra_buf_release(&label);
    ra_buf_release(&img);
}
