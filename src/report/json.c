/* SPDX-License-Identifier: MIT */
/* The report layer's JSON building blocks. */
#include "report/json.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/logs.h"
#include "util/text.h"

json_t *ra_json_str(const char *s)
{
    struct ra_buf b = RA_BUF_INIT;
    json_t *j;

    if (!s)
        return json_null();
    j = json_string(ra_text_safe(&b, s, RA_TEXT_UTF8));
    ra_buf_release(&b);
    return j ? j : json_string("");
}

json_t *ra_json_time(ra_time t)
{
    char s[RA_TIME_STRLEN];
    return t == RA_TIME_NONE ? json_null() : json_string(ra_time_format(s, t));
}

json_t *ra_json_digest(const struct ra_digest *d)
{
    char hex[RA_DIGEST_STRLEN];
    return json_string(ra_digest_format(hex, d));
}

json_t *ra_json_digest_or_null(const struct ra_digest *d)
{
    return ra_digest_is_zero(d) ? json_null() : ra_json_digest(d);
}

json_t *ra_json_digest_short(const struct ra_digest *d)
{
    char hex[RA_DIGEST_STRLEN];
    return json_string(ra_digest_short(hex, d));
}

static json_t *str_or_null(const char *s)
{
    return s && *s ? ra_json_str(s) : json_null();
}

json_t *ra_json_log_request(const char *log, const struct ra_log_event *ev)
{
    return json_pack("{s:o,s:I,s:o,s:o,s:o,s:i,s:o,s:o,s:o,s:o,s:o}", "log",
                     ra_json_str(log), "line", (json_int_t)ev->line, "time",
                     ra_json_time(ev->time), "method", ra_json_str(ev->method), "uri",
                     ra_json_str(ev->uri), "status", ev->status, "repository",
                     str_or_null(ev->repository), "reference", str_or_null(ev->reference),
                     "remote_addr", str_or_null(ev->remote_addr), "user",
                     str_or_null(ev->user), "user_agent", str_or_null(ev->user_agent));
}

json_t *ra_json_where(const char *path, unsigned line)
{
    struct ra_buf b = RA_BUF_INIT;
    json_t *j;

    ra_buf_printf(&b, "%s:%u", path, line);
    j = ra_json_str(b.ptr);
    ra_buf_release(&b);
    return j;
}

static int append(const char *text, size_t len, void *payload)
{
    ra_buf_put(payload, text, len);
    return 0;
}

/* Streaming writer: jansson's own layout with JSON_INDENT(2) (members on lines of
 * their own, two spaces a level, ": " after keys, "{}" and "[]" when empty). */

#define JSONW_FLUSH_AT (64 * 1024)

void ra_jsonw_init(struct ra_jsonw *w, struct ra_buf *out, FILE *flush)
{
    memset(w, 0, sizeof(*w));
    w->out = out;
    w->flush = flush;
}

static void jsonw_flush(struct ra_jsonw *w, size_t at_least)
{
    if (!w->flush || w->out->len < at_least)
        return;
    if (fwrite(w->out->ptr, 1, w->out->len, w->flush) != w->out->len)
        w->failed = 1;
    ra_buf_truncate(w->out, 0);
}

static void jsonw_newline(struct ra_jsonw *w, int depth)
{
    int i;

    ra_buf_putc(w->out, '\n');
    for (i = 0; i < depth; i++)
        ra_buf_puts(w->out, "  ");
}

/* Dump v (kept) as a value at the current depth: its own lines indented to it. */
static void jsonw_dump(struct ra_jsonw *w, const json_t *v)
{
    char *s = json_dumps(v, JSON_INDENT(2) | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    const char *p, *nl;

    if (!s) {
        w->failed = 1;
        return;
    }
    for (p = s; (nl = strchr(p, '\n')); p = nl + 1) {
        ra_buf_put(w->out, p, (size_t)(nl - p));
        jsonw_newline(w, w->depth);
    }
    ra_buf_puts(w->out, p);
    free(s);
}

/* What comes before a member: a comma after the one before, a new line and the
 * indent, the key. Nothing before the document itself. */
static void jsonw_member(struct ra_jsonw *w, const char *key)
{
    json_t *k;

    if (!w->depth)
        return;
    if (w->some[w->depth])
        ra_buf_putc(w->out, ',');
    w->some[w->depth] = 1;
    jsonw_newline(w, w->depth);
    if (!key)
        return;
    if (!(k = json_string(key)))
        w->failed = 1;
    else
        jsonw_dump(w, k);
    json_decref(k);
    ra_buf_puts(w->out, ": ");
}

void ra_jsonw_open(struct ra_jsonw *w, const char *key, char bracket)
{
    assert(bracket == '{' || bracket == '[');
    assert(w->depth + 1 < RA_JSONW_DEPTH);
    jsonw_member(w, key);
    ra_buf_putc(w->out, bracket);
    w->depth++;
    w->some[w->depth] = 0;
    w->close[w->depth] = bracket == '{' ? '}' : ']';
}

void ra_jsonw_close(struct ra_jsonw *w)
{
    assert(w->depth > 0);
    if (w->some[w->depth])
        jsonw_newline(w, w->depth - 1);
    ra_buf_putc(w->out, w->close[w->depth]);
    w->depth--;
    jsonw_flush(w, JSONW_FLUSH_AT);
}

void ra_jsonw_value(struct ra_jsonw *w, const char *key, json_t *v)
{
    jsonw_member(w, key);
    if (!v)
        w->failed = 1;
    else
        jsonw_dump(w, v);
    json_decref(v);
    jsonw_flush(w, JSONW_FLUSH_AT);
}

int ra_jsonw_finish(struct ra_jsonw *w, const char *what, struct ra_err *err)
{
    assert(!w->depth);
    ra_buf_putc(w->out, '\n');
    jsonw_flush(w, 0);
    if (w->flush && fflush(w->flush))
        w->failed = 1;
    if (w->failed)
        return ra_err_set(err, RA_ERROR,
                          "%s: cannot serialise or write the JSON document", what);
    return 0;
}

int ra_json_write(struct ra_buf *out, json_t *doc, size_t flags, const char *what,
                  struct ra_err *err)
{
    size_t start = out->len;
    int rc = json_dump_callback(doc, append, out, flags | JSON_SORT_KEYS);

    json_decref(doc);
    if (rc) {
        ra_buf_truncate(out, start);
        return ra_err_set(err, RA_ERROR, "%s: cannot serialise the JSON document", what);
    }
    ra_buf_putc(out, '\n');
    return 0;
}
