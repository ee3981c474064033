/* SPDX-License-Identifier: MIT */
/* Log readers: streaming lines with a length cap, detecting the format of each line,
 * and the queries the correlation asks of the events. */
#include "analysis/logs.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "analysis/logs_internal.h"

#define CHUNK (64 * 1024)

static const char *const kind_names[] = {
    [RA_LOG_HTTP_REQUEST] = "http_request",
    [RA_LOG_GC_REPOSITORY] = "gc_repository",
    [RA_LOG_GC_MARK_MANIFEST] = "gc_mark_manifest",
    [RA_LOG_GC_MARK_BLOB] = "gc_mark_blob",
    [RA_LOG_GC_MANIFEST_ELIGIBLE] = "gc_manifest_eligible",
    [RA_LOG_GC_BLOB_ELIGIBLE] = "gc_blob_eligible",
    [RA_LOG_GC_LAYER_LINK_ELIGIBLE] = "gc_layer_link_eligible",
    [RA_LOG_GC_DELETE_BLOB] = "gc_delete_blob",
    [RA_LOG_GC_DELETE_MANIFEST] = "gc_delete_manifest",
    [RA_LOG_GC_DELETE_TAG_REF] = "gc_delete_tag_ref",
    [RA_LOG_GC_DELETE_LAYER_LINK] = "gc_delete_layer_link",
    [RA_LOG_GC_SUMMARY] = "gc_summary",
    [RA_LOG_GC_ERROR] = "gc_error",
    [RA_LOG_PIPELINE] = "pipeline",
    [RA_LOG_ALERT] = "alert",
};

static const char *const format_names[] = {
    [RA_LOG_EMPTY] = "empty",
    [RA_LOG_LOGRUS_TEXT] = "logrus_text",
    [RA_LOG_LOGRUS_JSON] = "logrus_json",
    [RA_LOG_ACCESS] = "access",
    [RA_LOG_GC] = "gc",
    [RA_LOG_PIPELINES] = "pipelines",
    [RA_LOG_ALERTMANAGER] = "alertmanager",
    [RA_LOG_ALERTMANAGER_LOG] = "alertmanager_log",
    [RA_LOG_ALERTMANAGER_API] = "alertmanager_api",
};

static const char *const object_names[] = {
    [RA_LOG_OBJ_NONE] = "",
    [RA_LOG_OBJ_BASE] = "base",
    [RA_LOG_OBJ_CATALOG] = "catalog",
    [RA_LOG_OBJ_TAGS] = "tags",
    [RA_LOG_OBJ_MANIFEST] = "manifest",
    [RA_LOG_OBJ_BLOB] = "blob",
    [RA_LOG_OBJ_UPLOAD] = "upload",
    [RA_LOG_OBJ_REFERRERS] = "referrers",
};

const char *ra_log_kind_name(enum ra_log_kind kind)
{
    return (size_t)kind < RA_ARRAY_SIZE(kind_names) ? kind_names[kind] : "unknown";
}

const char *ra_log_format_name(enum ra_log_format format)
{
    return (size_t)format < RA_ARRAY_SIZE(format_names) ? format_names[format]
                                                        : "unknown";
}

const char *ra_log_object_name(enum ra_log_object object)
{
    return (size_t)object < RA_ARRAY_SIZE(object_names) ? object_names[object] : "";
}

const char *ra_log_intern(struct ra_log_ctx *c, const char *s, size_t len)
{
    char *copy;

    if (!len)
        return "";
    if ((copy = ra_map_get(&c->strings, s, len)))
        return copy;
    copy = ra_pool_strndup(&c->log->pool, s, len);
    ra_map_put(&c->strings, copy, len, copy);
    return copy;
}

struct ra_log_event *ra_log_add_event(struct ra_log_ctx *c, enum ra_log_kind kind,
                                      enum ra_log_format format, ra_time t)
{
    struct ra_log_event *ev = ra_pool_alloc(&c->log->pool, sizeof(*ev));

    ev->kind = kind;
    ev->format = format;
    ev->line = c->line;
    if (t == RA_TIME_NONE)
        t = c->prefix_time;
    ev->time_exact = t != RA_TIME_NONE;
    ev->time = ev->time_exact ? t : c->default_time;
    ev->repository = ev->method = ev->uri = ev->reference = "";
    ev->error_code = ev->request_id = ev->user_agent = "";
    ev->remote_addr = ev->user = "";
    ev->level = ev->message = "";
    ra_vec_push(&c->log->events, ev);
    return ev;
}

int ra_log_not_a_log(struct ra_log_ctx *c, struct ra_err *err)
{
    return ra_err_set(
        err, RA_EFORMAT,
        "'%s': not a log format regautopsy reads (registry logrus text/JSON, "
        "access log, GC output, Woodpecker pipeline JSON, Alertmanager webhook "
        "payloads, log or API alerts)",
        c->log->path);
}

/* Prefixes other tools put before a line: `docker compose logs` ("registry-1  | ") and
 * `docker logs -t` (an RFC 3339 time and a space; kept as the line's time). */
static char *strip_prefixes(struct ra_log_ctx *c, char *p, char *end)
{
    char *q = p, *sp;
    ra_time t;

    while (q < end && (isalnum((unsigned char)*q) || *q == '_' || *q == '.' || *q == '-'))
        q++;
    if (q > p && q < end && *q == ' ') {
        while (q < end && *q == ' ')
            q++;
        if (q < end && *q == '|' && (q + 1 == end || q[1] == ' '))
            p = q + 1 == end ? end : q + 2;
    }
    if (end - p > 20 && isdigit((unsigned char)p[0]) && p[4] == '-' && p[10] == 'T' &&
        (sp = memchr(p, ' ', (size_t)(end - p)))) {
        *sp = '\0';
        if (!ra_time_parse(&t, p)) {
            c->prefix_time = t;
            p = sp + 1;
        } else {
            *sp = ' ';
        }
    }
    while (p < end && *p == ' ')
        p++;
    return p;
}

/* Trim blanks from both ends; NUL-terminate. Returns 0 for a blank line. */
static int trim(char **p, char **end)
{
    while (*end > *p && isspace((unsigned char)(*end)[-1]))
        (*end)--;
    while (*p < *end && isspace((unsigned char)**p))
        (*p)++;
    **end = '\0';
    return *p < *end;
}

static void count_line(struct ra_log_ctx *c, enum ra_log_format fmt, int weak)
{
    c->considered++;
    if (fmt == RA_LOG_EMPTY) {
        c->log->unrecognized++;
        return;
    }
    c->log->counts[fmt]++;
    if (weak) {
        c->weak++;
        return;
    }
    c->strong++;
    if (c->first == RA_LOG_EMPTY)
        c->first = fmt;
}

/* One line without its newline; line[len] is writable and becomes the NUL. A docker
 * json-file record is unwrapped once and its text read as the line. */
static void read_line(struct ra_log_ctx *c, char *p, size_t len)
{
    struct ra_buf inner = RA_BUF_INIT;
    enum ra_log_format fmt = RA_LOG_EMPTY;
    char *end = p + len;
    int weak = 0, unwrapped = 0;
    ra_time t;

    c->prefix_time = RA_TIME_NONE;
    for (;;) {
        if (!trim(&p, &end))
            goto done; /* blank */
        if (memchr(p, '\0', (size_t)(end - p)))
            break;
        p = strip_prefixes(c, p, end);
        if (*p != '{') {
            fmt = ra_log_text_line(c, p, end, &weak);
            break;
        }
        if (!ra_log_json_line(&fmt, unwrapped ? NULL : &inner, &t, c, p,
                              (size_t)(end - p)))
            break;
        unwrapped = 1;
        if (t != RA_TIME_NONE)
            c->prefix_time = t;
        p = inner.ptr;
        end = p + inner.len;
    }
    count_line(c, fmt, weak);

done:
    ra_buf_release(&inner);
}

struct stream {
    ra_log_reader reader;
    void *payload;
    char *buf;
    size_t len;
    int eof;
};

static int fill(struct stream *s, struct ra_err *err)
{
    int error;

    s->len = 0;
    if ((error = s->reader(s->buf, CHUNK, &s->len, s->payload, err)) < 0)
        return error;
    if (!s->len)
        s->eof = 1;
    return 0;
}

struct liner {
    struct ra_buf line;
    int skipping; /* the current line is over the cap */
};

static int end_line(struct ra_log_ctx *c, struct liner *l, struct ra_err *err)
{
    c->line++;
    c->log->lines++;
    if (l->skipping) {
        c->log->skipped++;
        c->considered++;
        l->skipping = 0;
    } else if (l->line.len) {
        read_line(c, l->line.ptr, l->line.len);
    }
    ra_buf_truncate(&l->line, 0);
    if (!c->strong && !c->weak && c->considered >= RA_LOG_PROBE_LINES)
        return ra_log_not_a_log(c, err);
    return 0;
}

/* Split bytes into lines; RA_EFORMAT once the probe lines held nothing known. */
static int feed(struct ra_log_ctx *c, struct liner *l, const char *data, size_t n,
                struct ra_err *err)
{
    const char *nl;
    size_t seg;
    int error;

    while (n) {
        nl = memchr(data, '\n', n);
        seg = nl ? (size_t)(nl - data) : n;
        if (!l->skipping && l->line.len + seg > RA_LOG_LINE_MAX) {
            l->skipping = 1;
            ra_buf_truncate(&l->line, 0);
        }
        if (!l->skipping)
            ra_buf_put(&l->line, data, seg);
        if (!nl)
            break;
        if ((error = end_line(c, l, err)) < 0)
            return error;
        data = nl + 1;
        n -= seg + 1;
    }
    return 0;
}

static int read_lines(struct ra_log_ctx *c, struct stream *s, const struct ra_buf *head,
                      struct ra_err *err)
{
    struct liner l = {RA_BUF_INIT, 0};
    int error;

    if ((error = feed(c, &l, head->ptr, head->len, err)) < 0)
        goto done;
    while (!s->eof) {
        if ((error = fill(s, err)) < 0)
            goto done;
        if ((error = feed(c, &l, s->buf, s->len, err)) < 0)
            goto done;
    }
    if (l.line.len || l.skipping)
        error = end_line(c, &l, err);

done:
    ra_buf_release(&l.line);
    return error;
}

/* The whole stream, for a pipeline JSON array. */
static int read_all(struct ra_log_ctx *c, struct stream *s, struct ra_buf *head,
                    struct ra_err *err)
{
    int error;

    while (!s->eof) {
        if ((error = fill(s, err)) < 0)
            return error;
        if (head->len + s->len > RA_LOG_JSON_MAX)
            return ra_err_set(err, RA_ELIMIT, "'%s': pipeline JSON larger than %d MiB",
                              c->log->path, RA_LOG_JSON_MAX / (1024 * 1024));
        ra_buf_put(head, s->buf, s->len);
    }
    return ra_log_json_array(c, head->ptr, head->len, err);
}

/* The first non-blank byte at or after *pos, reading on as needed (up to a line's
 * worth of blanks); a UTF-8 byte order mark at the start is dropped. Returns the byte
 * (its index in *pos), 0 when there is none, or an error. */
static int peek(struct stream *s, struct ra_buf *head, size_t *pos, struct ra_err *err)
{
    size_t i;
    int error;

    for (;;) {
        if (!*pos && head->len >= 3 && !memcmp(head->ptr, "\xef\xbb\xbf", 3)) {
            memmove(head->ptr, head->ptr + 3, head->len - 3);
            ra_buf_truncate(head, head->len - 3);
        }
        for (i = *pos; i < head->len && isspace((unsigned char)head->ptr[i]); i++)
            ;
        if (i < head->len && (head->len >= 3 || s->eof)) {
            *pos = i;
            return (unsigned char)head->ptr[i];
        }
        if (s->eof || head->len - *pos > RA_LOG_LINE_MAX)
            return 0;
        if ((error = fill(s, err)) < 0)
            return error;
        ra_buf_put(head, s->buf, s->len);
    }
}

/* A pipeline export is a JSON array of objects; "[2026-04-13 …] INFO …" is not. */
static int is_json_array(struct stream *s, struct ra_buf *head, struct ra_err *err)
{
    size_t pos = 0;
    int ch;

    if ((ch = peek(s, head, &pos, err)) != '[')
        return ch < 0 ? ch : 0;
    pos++;
    if ((ch = peek(s, head, &pos, err)) < 0)
        return ch;
    return ch == '{' || ch == ']' || !ch;
}

static int cmp_events(const void *a, const void *b)
{
    const struct ra_log_event *x = *(const struct ra_log_event *const *)a;
    const struct ra_log_event *y = *(const struct ra_log_event *const *)b;

    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return (int)x->kind - (int)y->kind;
}

/* Bare repository-name lines are GC output only if other GC lines are there too. */
static void finish(struct ra_log_ctx *c)
{
    struct ra_log *log = c->log;
    size_t i, n = 0;

    if (!c->gc_seen && c->weak) {
        for (i = 0; i < log->events.len; i++) {
            struct ra_log_event *ev = log->events.items[i];
            if (ev->kind != RA_LOG_GC_REPOSITORY)
                log->events.items[n++] = ev;
        }
        log->events.len = n;
        log->unrecognized += c->weak;
        log->counts[RA_LOG_GC] -= c->weak;
    }
    if (log->format == RA_LOG_EMPTY)
        log->format = c->gc_seen ? RA_LOG_GC : c->first;
    ra_vec_sort(&log->events, cmp_events);
}

int ra_log_read_stream(struct ra_log **out, const char *name, ra_time default_time,
                       ra_log_reader reader, void *payload, struct ra_err *err)
{
    struct ra_log_ctx c = {0};
    struct stream s = {reader, payload, NULL, 0, 0};
    struct ra_buf head = RA_BUF_INIT;
    int error, array;

    assert(out && name && reader);
    *out = NULL;
    c.log = ra_xcalloc(1, sizeof(*c.log));
    c.log->path = ra_pool_strdup(&c.log->pool, name);
    c.default_time = default_time;
    c.prefix_time = RA_TIME_NONE;
    c.gc_repo = "";
    s.buf = ra_xmalloc(CHUNK);

    if ((error = array = is_json_array(&s, &head, err)) < 0)
        goto done;
    if ((error = array ? read_all(&c, &s, &head, err) : read_lines(&c, &s, &head, err)) <
        0)
        goto done;
    if (c.considered && !c.strong) {
        error = ra_log_not_a_log(&c, err);
        goto done;
    }
    finish(&c);
    *out = c.log;
    c.log = NULL;

done:
    ra_log_free(c.log);
    ra_map_release(&c.strings);
    ra_map_release(&c.request_ids);
    ra_map_release(&c.request_users);
    ra_map_release(&c.alerts_sent);
    ra_buf_release(&c.scratch);
    ra_buf_release(&head);
    free(s.buf);
    return error;
}

struct file_reader {
    FILE *f;
    const char *path;
};

static int read_file(void *buf, size_t len, size_t *nread, void *payload,
                     struct ra_err *err)
{
    struct file_reader *fr = payload;

    *nread = fread(buf, 1, len, fr->f);
    if (*nread < len && ferror(fr->f))
        return ra_err_set(err, RA_EIO, "'%s': read failed: %s", fr->path,
                          strerror(errno));
    return 0;
}

int ra_log_read(struct ra_log **out, const char *path, ra_time default_time,
                struct ra_err *err)
{
    struct file_reader fr = {NULL, path};
    int error;

    assert(out && path);
    *out = NULL;
    fr.f = strcmp(path, "-") ? fopen(path, "rb") : stdin; /* "-": standard input */
    if (!fr.f)
        return ra_err_set(err, RA_EIO, "'%s': cannot open: %s", path, strerror(errno));
    error = ra_log_read_stream(out, path, default_time, read_file, &fr, err);
    if (fr.f != stdin)
        fclose(fr.f);
    return error;
}

void ra_log_problem(struct ra_log_ctx *c, const char *fmt, ...)
{
    struct ra_buf b = RA_BUF_INIT;
    va_list ap;

    if (c->log->problems.len >= RA_LOG_MAX_PROBLEMS) {
        c->log->more_problems++;
        return;
    }
    ra_buf_printf(&b, "line %llu: ", (unsigned long long)c->line);
    va_start(ap, fmt);
    ra_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    ra_vec_push(&c->log->problems, ra_pool_strndup(&c->log->pool, b.ptr, b.len));
    ra_buf_release(&b);
}

void ra_log_free(struct ra_log *log)
{
    if (!log)
        return;
    ra_vec_release(&log->events);
    ra_vec_release(&log->problems);
    ra_pool_release(&log->pool);
    free(log);
}

const struct ra_log_event *ra_log_first_status(const struct ra_log *log,
                                               const struct ra_digest *digest,
                                               const char *repository, int status)
{
    size_t i;

    assert(log && digest);
    for (i = 0; i < log->events.len; i++) {
        const struct ra_log_event *ev = log->events.items[i];
        if (ev->kind == RA_LOG_HTTP_REQUEST && ev->status == status && ev->has_digest &&
            !ra_digest_cmp(&ev->digest, digest) &&
            (!repository || !strcmp(repository, ev->repository)))
            return ev;
    }
    return NULL;
}

const struct ra_log_event *ra_log_find(const struct ra_log *log, enum ra_log_kind kind,
                                       const struct ra_digest *digest)
{
    size_t i;

    assert(log && digest);
    for (i = 0; i < log->events.len; i++) {
        const struct ra_log_event *ev = log->events.items[i];
        if (ev->kind == kind && ev->has_digest && !ra_digest_cmp(&ev->digest, digest))
            return ev;
    }
    return NULL;
}

static int in_window(ra_time t, ra_time from, ra_time to)
{
    if (t == RA_TIME_NONE)
        return from == RA_TIME_NONE && to == RA_TIME_NONE;
    return (from == RA_TIME_NONE || t >= from) && (to == RA_TIME_NONE || t <= to);
}

static size_t select_events(struct ra_vec *out, const struct ra_log *log,
                            enum ra_log_kind kind, ra_time from, ra_time to,
                            int failed_only)
{
    size_t i, n = 0;

    assert(out && log);
    for (i = 0; i < log->events.len; i++) {
        struct ra_log_event *ev = log->events.items[i];
        if (ev->kind != kind || !in_window(ev->time, from, to) ||
            (failed_only && !ra_log_pipeline_failed(ev)))
            continue;
        ra_vec_push(out, ev);
        n++;
    }
    return n;
}

size_t ra_log_select(struct ra_vec *out, const struct ra_log *log, enum ra_log_kind kind,
                     ra_time from, ra_time to)
{
    return select_events(out, log, kind, from, to, 0);
}

int ra_log_is_delete(const struct ra_log_event *ev)
{
    return ev->kind == RA_LOG_HTTP_REQUEST && !strcmp(ev->method, "DELETE") &&
           (ev->object == RA_LOG_OBJ_MANIFEST || ev->object == RA_LOG_OBJ_BLOB);
}

int ra_log_same_request(const struct ra_log_event *a, const struct ra_log_event *b)
{
    if (a->kind != RA_LOG_HTTP_REQUEST || b->kind != RA_LOG_HTTP_REQUEST ||
        a->time == RA_TIME_NONE || b->time == RA_TIME_NONE)
        return 0;
    return llabs(a->time - b->time) <= 2 && a->status == b->status &&
           !strcmp(a->method, b->method) && !strcmp(a->uri, b->uri);
}

struct request_at {
    struct ra_log_request r;
    size_t k; /* the log's index: the logs' order breaks ties */
};

static int cmp_request(const void *a, const void *b)
{
    const struct request_at *x = a, *y = b;

    if (x->r.ev->time != y->r.ev->time)
        return x->r.ev->time < y->r.ev->time ? -1 : 1;
    if (x->k != y->k)
        return x->k < y->k ? -1 : 1;
    return x->r.ev->line < y->r.ev->line ? -1 : x->r.ev->line > y->r.ev->line;
}

/* Is reqs[i] an access line whose request a logrus line records too? The array is
 * sorted by time, so only neighbours within 2 seconds can be. */
static int has_logrus_twin(const struct request_at *reqs, size_t n, size_t i)
{
    const struct ra_log_event *e = reqs[i].r.ev;
    size_t j;

    if (e->format != RA_LOG_ACCESS)
        return 0;
    for (j = i; j-- > 0 && e->time - reqs[j].r.ev->time <= 2;)
        if (reqs[j].r.ev->format != RA_LOG_ACCESS && ra_log_same_request(e, reqs[j].r.ev))
            return 1;
    for (j = i + 1; j < n && reqs[j].r.ev->time - e->time <= 2; j++)
        if (reqs[j].r.ev->format != RA_LOG_ACCESS && ra_log_same_request(e, reqs[j].r.ev))
            return 1;
    return 0;
}

size_t ra_log_deletes(struct ra_log_request **out, struct ra_log *const *logs,
                      size_t nlogs)
{
    struct request_at *reqs = NULL;
    struct ra_log_request *res = NULL;
    size_t n = 0, cap = 0, i, k, kept = 0;

    assert(out);
    for (k = 0; k < nlogs; k++) {
        for (i = 0; i < logs[k]->events.len; i++) {
            const struct ra_log_event *e = logs[k]->events.items[i];
            if (!ra_log_is_delete(e) || e->time == RA_TIME_NONE)
                continue;
            if (n == cap) {
                cap = cap ? 2 * cap : 16;
                reqs = ra_xrealloc(reqs, cap * sizeof(*reqs));
            }
            reqs[n].r.log = logs[k];
            reqs[n].r.ev = e;
            reqs[n++].k = k;
        }
    }
    if (n) {
        qsort(reqs, n, sizeof(*reqs), cmp_request);
        res = ra_xcalloc(n, sizeof(*res));
    }
    for (i = 0; i < n; i++)
        if (!has_logrus_twin(reqs, n, i))
            res[kept++] = reqs[i].r;
    free(reqs);
    if (!kept) {
        free(res);
        res = NULL;
    }
    *out = res;
    return kept;
}

void ra_log_describe_client(struct ra_buf *out, const struct ra_log_event *ev)
{
    if (*ev->remote_addr)
        ra_buf_printf(out, "from %s, ", ev->remote_addr);
    if (*ev->user)
        ra_buf_printf(out, "user %s", ev->user);
    else
        ra_buf_puts(out, "no user logged");
    if (*ev->user_agent)
        ra_buf_printf(out, ", agent %s", ev->user_agent);
}

int ra_log_pipeline_failed(const struct ra_log_event *ev)
{
    const char *s;

    if (ev->kind != RA_LOG_PIPELINE || !ev->pipeline)
        return 0;
    s = ev->pipeline->status;
    return !strcmp(s, "failure") || !strcmp(s, "error") || !strcmp(s, "killed");
}

ra_time ra_log_event_end(const struct ra_log_event *ev)
{
    if (ev->kind == RA_LOG_PIPELINE && ev->pipeline &&
        ev->pipeline->finished != RA_TIME_NONE)
        return ev->pipeline->finished;
    return ev->time;
}

size_t ra_log_failed_pipelines(struct ra_vec *out, const struct ra_log *log, ra_time from,
                               ra_time to)
{
    return select_events(out, log, RA_LOG_PIPELINE, from, to, 1);
}
