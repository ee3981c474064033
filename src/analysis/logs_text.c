/* SPDX-License-Identifier: MIT */
/* Log lines that are not JSON: logrus text (key=value, Go-quoted values), the
 * registry's combined access log, garbage-collect output; and what a request URI or a
 * vacuum message says about repository, object and digest. */
#include "analysis/logs_internal.h"

#include <ctype.h>
#include <strings.h>

#include "ingest/layout.h"

static int starts(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

static int hexdigit(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Percent-decode s[0..len) into out (emptied first); bad escapes are kept as written. */
static void percent_decode(struct ra_buf *out, const char *s, size_t len)
{
    size_t i;
    int hi, lo;

    ra_buf_truncate(out, 0);
    ra_buf_put(out, "", 0);
    for (i = 0; i < len; i++) {
        if (s[i] == '%' && i + 2 < len && (hi = hexdigit((unsigned char)s[i + 1])) >= 0 &&
            (lo = hexdigit((unsigned char)s[i + 2])) >= 0) {
            ra_buf_putc(out, (char)(hi << 4 | lo));
            i += 2;
        } else {
            ra_buf_putc(out, s[i]);
        }
    }
}

static void set_digest(struct ra_log_event *ev, const char *s, size_t len)
{
    ev->has_digest = !ra_digest_parse(&ev->digest, s, len);
}

/* A query parameter's value (percent-decoded) into out, or 0 when absent. */
static int query_param(struct ra_buf *out, const char *query, const char *name)
{
    size_t n = strlen(name);
    const char *p = query, *amp;

    while (p && *p) {
        amp = strchr(p, '&');
        if (!strncmp(p, name, n) && p[n] == '=') {
            p += n + 1;
            percent_decode(out, p, amp ? (size_t)(amp - p) : strlen(p));
            return 1;
        }
        p = amp ? amp + 1 : NULL;
    }
    return 0;
}

/* The last '/' in s[0..len), or NULL. */
static const char *last_slash(const char *s, size_t len)
{
    while (len--) {
        if (s[len] == '/')
            return s + len;
    }
    return NULL;
}

static int ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);

    return len >= n && !memcmp(s + len - n, suffix, n);
}

/* The route of a /v2/ path (decoded, no query): sets object, repository, reference. */
static void parse_route(struct ra_log_ctx *c, struct ra_log_event *ev, const char *path,
                        size_t len)
{
    const char *last, *prev;
    size_t name_len;

    if (len < 3 || memcmp(path, "/v2", 3) || (len > 3 && path[3] != '/'))
        return;
    if (len <= 4) {
        ev->object = RA_LOG_OBJ_BASE;
        return;
    }
    path += 4;
    len -= 4;
    if (len == 8 && !memcmp(path, "_catalog", 8)) {
        ev->object = RA_LOG_OBJ_CATALOG;
        return;
    }
    if (ends_with(path, len, "/tags/list")) {
        ev->object = RA_LOG_OBJ_TAGS;
        ev->repository = ra_log_intern(c, path, len - 10);
        return;
    }
    if (ends_with(path, len, "/blobs/uploads") ||
        ends_with(path, len, "/blobs/uploads/")) {
        ev->object = RA_LOG_OBJ_UPLOAD;
        ev->repository = ra_log_intern(c, path, len - (path[len - 1] == '/' ? 15 : 14));
        return;
    }
    last = last_slash(path, len);
    if (!last || last == path || last + 1 == path + len)
        return;
    prev = last_slash(path, (size_t)(last - path));
    prev = prev ? prev + 1 : path;
    name_len = prev > path ? (size_t)(prev - 1 - path) : 0;
    if (!name_len)
        return;
    if (last - prev == 9 && !memcmp(prev, "manifests", 9)) {
        ev->object = RA_LOG_OBJ_MANIFEST;
    } else if (last - prev == 5 && !memcmp(prev, "blobs", 5)) {
        ev->object = RA_LOG_OBJ_BLOB;
    } else if (last - prev == 9 && !memcmp(prev, "referrers", 9)) {
        ev->object = RA_LOG_OBJ_REFERRERS;
    } else if (last - prev == 7 && !memcmp(prev, "uploads", 7) &&
               ends_with(path, name_len, "/blobs") && name_len > 6) {
        ev->object = RA_LOG_OBJ_UPLOAD;
        name_len -= 6;
    } else {
        return;
    }
    ev->repository = ra_log_intern(c, path, name_len);
    ev->reference = ra_log_intern(c, last + 1, (size_t)(path + len - last - 1));
    if (ev->object != RA_LOG_OBJ_UPLOAD)
        set_digest(ev, ev->reference, strlen(ev->reference));
}

/* Object, repository, reference and digest from a request URI as logged. */
static void parse_uri(struct ra_log_ctx *c, struct ra_log_event *ev, const char *uri)
{
    const char *q, *p = uri;
    struct ra_buf val = RA_BUF_INIT;

    if (!strncasecmp(p, "http://", 7) || !strncasecmp(p, "https://", 8)) {
        p = strchr(strchr(p, ':') + 3, '/');
        if (!p)
            return;
    }
    q = strchr(p, '?');
    percent_decode(&c->scratch, p, q ? (size_t)(q - p) : strlen(p));
    parse_route(c, ev, c->scratch.ptr, c->scratch.len);
    if (ev->object == RA_LOG_OBJ_UPLOAD && q &&
        (query_param(&val, q + 1, "digest") || query_param(&val, q + 1, "mount")))
        set_digest(ev, val.ptr, val.len);
    ra_buf_release(&val);
}

static int parse_status(const char *s)
{
    int v = 0, i;

    for (i = 0; i < 3; i++) {
        if (!isdigit((unsigned char)s[i]))
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    return s[3] && !isspace((unsigned char)s[3]) ? 0 : v;
}

static struct ra_log_event *add_http(struct ra_log_ctx *c, enum ra_log_format format,
                                     ra_time t, const char *method, const char *uri,
                                     int status)
{
    struct ra_log_event *ev = ra_log_add_event(c, RA_LOG_HTTP_REQUEST, format, t);

    ev->method = ra_log_intern(c, method, strlen(method));
    ev->uri = ra_log_intern(c, uri, strlen(uri));
    ev->status = status;
    parse_uri(c, ev, uri);
    return ev;
}

struct vacuum_msg {
    const char *prefix;
    enum ra_log_kind kind;
    const char *suffix; /* what the logged path lacks for the layout grammar */
    enum ra_path_kind path_kind;
};

/* Distribution's vacuum (garbage-collect's sweep; also a pull-through cache expiring
 * content) logs what it deletes. Matched without case: spellings changed over time. */
static const struct vacuum_msg vacuum_msgs[] = {
    {"Deleting blob: ", RA_LOG_GC_DELETE_BLOB, "/data", RA_PATH_BLOB_DATA},
    {"deleting manifest tag reference: ", RA_LOG_GC_DELETE_TAG_REF, "/link",
     RA_PATH_TAG_INDEX},
    {"deleting manifest: ", RA_LOG_GC_DELETE_MANIFEST, "/link", RA_PATH_REVISION_LINK},
    {"Deleting layer link path : ", RA_LOG_GC_DELETE_LAYER_LINK, "/link",
     RA_PATH_LAYER_LINK},
    {"Deleting layer link path: ", RA_LOG_GC_DELETE_LAYER_LINK, "/link",
     RA_PATH_LAYER_LINK},
};

/* A gc_* event with its details, both in the pool. */
static struct ra_log_event *gc_new(struct ra_log_gc **gc, struct ra_log_ctx *c,
                                   enum ra_log_kind kind, enum ra_log_format format,
                                   ra_time t)
{
    struct ra_log_event *ev = ra_log_add_event(c, kind, format, t);

    *gc = ra_pool_alloc(&c->log->pool, sizeof(**gc));
    (*gc)->path = (*gc)->tag = "";
    ev->gc = *gc;
    return ev;
}

static struct ra_log_event *add_vacuum(struct ra_log_ctx *c, const struct vacuum_msg *m,
                                       enum ra_log_format format, ra_time t,
                                       const char *path)
{
    struct ra_log_gc *gc;
    struct ra_log_event *ev = gc_new(&gc, c, m->kind, format, t);
    struct ra_path parsed;
    const char *rel = path;

    gc->path = ra_log_intern(c, path, strlen(path));
    while (*rel == '/')
        rel++;
    ra_buf_truncate(&c->scratch, 0);
    ra_buf_puts(&c->scratch, rel);
    if (!ends_with(c->scratch.ptr, c->scratch.len, m->suffix))
        ra_buf_puts(&c->scratch, m->suffix);
    ra_layout_parse(&parsed, c->scratch.ptr, c->scratch.len);
    if (parsed.kind == m->path_kind) {
        ev->has_digest = 1;
        ev->digest = parsed.digest;
        ev->repository = ra_log_intern(c, parsed.repo.ptr, parsed.repo.len);
        gc->tag = ra_log_intern(c, parsed.tag.ptr, parsed.tag.len);
    }
    return ev;
}

static const char *field(struct ra_log_ctx *c, const char *value)
{
    return value ? ra_log_intern(c, value, strlen(value)) : "";
}

/* A request's line without a status ("authorized request") may name its user; the
 * response line of the same request id gets it. */
static void remember_user(struct ra_log_ctx *c, const struct ra_log_fields *f)
{
    const char *user;
    size_t n;

    if (!f->request_id || !*f->request_id || !f->user || !*f->user)
        return;
    n = strlen(f->request_id);
    if (ra_map_get(&c->request_users, f->request_id, n))
        return;
    user = field(c, f->user);
    ra_map_put(&c->request_users, ra_pool_strndup(&c->log->pool, f->request_id, n), n,
               (void *)user);
}

static struct ra_log_event *logrus_http(struct ra_log_ctx *c,
                                        const struct ra_log_fields *f,
                                        enum ra_log_format format, ra_time t)
{
    struct ra_log_event *ev;
    const char *id = "", *user;
    size_t n;
    int created;

    if (f->request_id && *f->request_id) {
        n = strlen(f->request_id);
        id = ra_pool_strndup(&c->log->pool, f->request_id, n);
        ra_map_slot(&c->request_ids, id, n, &created);
        if (!created)
            return NULL; /* one request, several "response completed with error" */
    }
    ev = add_http(c, format, t, f->method, f->uri, parse_status(f->status));
    ev->request_id = id;
    ev->user_agent = field(c, f->user_agent);
    ev->error_code = field(c, f->err_code);
    ev->remote_addr = field(c, f->remote_addr);
    ev->user = field(c, f->user);
    if (!*ev->user && *id && (user = ra_map_get(&c->request_users, id, strlen(id))))
        ev->user = user;
    return ev;
}

void ra_log_add_logrus(struct ra_log_ctx *c, const struct ra_log_fields *f,
                       enum ra_log_format format)
{
    struct ra_log_event *ev = NULL;
    ra_time t = RA_TIME_NONE;
    size_t i, n;

    if (f->time && ra_time_parse(&t, f->time) < 0)
        t = RA_TIME_NONE;
    if (f->method && f->uri && f->status) {
        if (!(ev = logrus_http(c, f, format, t)))
            return;
    } else if (f->method && f->uri) {
        remember_user(c, f);
    } else if (f->msg) {
        for (i = 0; i < RA_ARRAY_SIZE(vacuum_msgs); i++) {
            n = strlen(vacuum_msgs[i].prefix);
            if (!strncasecmp(f->msg, vacuum_msgs[i].prefix, n)) {
                ev = add_vacuum(c, &vacuum_msgs[i], format, t, f->msg + n);
                break;
            }
        }
    }
    if (!ev)
        return;
    if (f->level)
        ev->level = ra_log_intern(c, f->level, strlen(f->level));
    if (f->msg)
        ev->message = ra_log_intern(c, f->msg, strlen(f->msg));
}

/* UTF-8 for a code point (invalid ones become U+FFFD); returns the bytes written. */
static size_t utf8_put(char *out, unsigned long cp)
{
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* n hex digits at p, or -1. */
static long hexn(const char *p, const char *end, int n)
{
    long v = 0;
    int i, d;

    if (end - p < n)
        return -1;
    for (i = 0; i < n; i++) {
        if ((d = hexdigit((unsigned char)p[i])) < 0)
            return -1;
        v = v << 4 | d;
    }
    return v;
}

/* One Go escape sequence at p (p[0] == '\\') written at *q, which never passes p.
 * Returns the input after it. Unknown escapes are kept as written. */
static char *unescape(char **q, char *p, char *end)
{
    static const char simple_in[] = "abfnrtv\\\"'", simple_out[] = "\a\b\f\n\r\t\v\\\"'";
    const char *s = strchr(simple_in, p[1]);
    long v;
    int n = p[1] == 'x' ? 2 : p[1] == 'u' ? 4 : p[1] == 'U' ? 8 : 0;

    if (p[1] && s) {
        *(*q)++ = simple_out[s - simple_in];
        return p + 2;
    }
    if (n && (v = hexn(p + 2, end, n)) >= 0) {
        if (n == 2)
            *(*q)++ = (char)v;
        else
            *q += utf8_put(*q, (unsigned long)v);
        return p + 2 + n;
    }
    if (p[1] >= '0' && p[1] <= '7' && end - p >= 4 && p[2] >= '0' && p[2] <= '7' &&
        p[3] >= '0' && p[3] <= '7') {
        *(*q)++ = (char)((p[1] - '0') << 6 | (p[2] - '0') << 3 | (p[3] - '0'));
        return p + 4;
    }
    *(*q)++ = *p++;
    return p;
}

char *ra_log_logfmt_value(char **value, char *p, char *end)
{
    char *q;

    if (*p != '"') {
        *value = p;
        while (p < end && *p != ' ')
            p++;
        if (p < end)
            *p++ = '\0';
        return p;
    }
    *value = q = ++p;
    while (p < end && *p != '"') {
        if (*p == '\\' && p + 1 < end)
            p = unescape(&q, p, end);
        else
            *q++ = *p++;
    }
    if (p < end)
        p++;
    *q = '\0';
    return p;
}

int ra_log_logfmt_next(char **p, char *end, char **key, size_t *keylen, char **value)
{
    char *q = *p;

    while (q < end) {
        while (q < end && *q == ' ')
            q++;
        *key = q;
        while (q < end && *q != '=' && *q != ' ')
            q++;
        if (q == end || *q != '=')
            continue; /* a word without '=': not a field */
        *keylen = (size_t)(q - *key);
        *p = ra_log_logfmt_value(value, q + 1, end);
        return 1;
    }
    *p = q;
    return 0;
}

struct field_key {
    const char *key;
    size_t offset;
};

static const struct field_key field_keys[] = {
    {"time", offsetof(struct ra_log_fields, time)},
    {"level", offsetof(struct ra_log_fields, level)},
    {"msg", offsetof(struct ra_log_fields, msg)},
    {"http.request.method", offsetof(struct ra_log_fields, method)},
    {"http.request.uri", offsetof(struct ra_log_fields, uri)},
    {"http.response.status", offsetof(struct ra_log_fields, status)},
    {"http.request.id", offsetof(struct ra_log_fields, request_id)},
    {"http.request.useragent", offsetof(struct ra_log_fields, user_agent)},
    {"err.code", offsetof(struct ra_log_fields, err_code)},
    {"http.request.remoteaddr", offsetof(struct ra_log_fields, remote_addr)},
    {"auth.user.name", offsetof(struct ra_log_fields, user)},
};

static void set_field(struct ra_log_fields *f, const char *key, size_t len,
                      const char *value)
{
    size_t i;

    for (i = 0; i < RA_ARRAY_SIZE(field_keys); i++) {
        if (strlen(field_keys[i].key) == len && !memcmp(field_keys[i].key, key, len)) {
            *(const char **)((char *)f + field_keys[i].offset) = value;
            return;
        }
    }
}

/* time="…" level=info msg="…" key=value …: parsed in place. */
static enum ra_log_format logrus_text(struct ra_log_ctx *c, char *p, char *end)
{
    struct ra_log_fields f = {0};
    char *key, *value;
    size_t keylen;

    while (ra_log_logfmt_next(&p, end, &key, &keylen, &value))
        set_field(&f, key, keylen, value);
    if (!f.time && !f.level && !f.msg)
        return RA_LOG_EMPTY;
    ra_log_add_logrus(c, &f, RA_LOG_LOGRUS_TEXT);
    return RA_LOG_LOGRUS_TEXT;
}

/* "13/Apr/2026:07:12:03 +0000", checked by ra_time_parse as its ISO-8601 spelling. */
static int access_time(ra_time *out, const char *p)
{
    static const char months[][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char iso[40];
    int mon;

    for (mon = 0; mon < 12 && memcmp(p + 3, months[mon], 3); mon++)
        ;
    if (mon == 12 || p[2] != '/' || p[6] != '/' || p[11] != ':' || p[20] != ' ' ||
        (p[21] != '+' && p[21] != '-'))
        return -1;
    snprintf(iso, sizeof(iso), "%.4s-%02d-%.2sT%.8s%.3s:%.2s", p + 7, mon + 1, p, p + 12,
             p + 21, p + 24);
    return ra_time_parse(out, iso) < 0 ? -1 : 0;
}

/* A quoted field of the access log ("…", backslash escapes), unescaped in place. */
static char *access_quoted(char **value, char *p, char *end)
{
    if (p >= end || *p != '"')
        return NULL;
    return ra_log_logfmt_value(value, p, end);
}

/* The user field of an access line (up to " ["), "-" when none. */
static void access_user(struct ra_log_ctx *c, struct ra_log_event *ev, const char *user)
{
    const char *end = user ? strstr(user, " [") : NULL;

    if (end && end > user && !(end - user == 1 && *user == '-'))
        ev->user = ra_log_intern(c, user, (size_t)(end - user));
}

/* host ident user [time] "METHOD URI PROTO" status size ["referer" "user-agent"] */
static enum ra_log_format access_line(struct ra_log_ctx *c, char *p, char *end)
{
    char *req, *ua = NULL, *referer, *sp, *method, *uri;
    const char *host = p, *user = NULL;
    struct ra_log_event *ev;
    size_t host_len = 0;
    ra_time t;
    int status, words = 0;

    while (p < end && *p != '[') {
        if (*p == ' ' && ++words == 1)
            host_len = (size_t)(p - host);
        else if (*p == ' ' && words == 2)
            user = p + 1;
        p++;
    }
    if (words < 3 || p[-1] != ' ' || end - p < 30 || access_time(&t, p + 1) < 0 ||
        memcmp(p + 27, "] \"", 3))
        return RA_LOG_EMPTY;
    if (!(p = access_quoted(&req, p + 29, end)) || *p != ' ' ||
        !(status = parse_status(p + 1)))
        return RA_LOG_EMPTY;
    p += 4;
    while (p < end && *p == ' ')
        p++;
    while (p < end && *p != ' ')
        p++;
    while (p < end && *p == ' ')
        p++;
    if ((p = access_quoted(&referer, p, end))) {
        while (p < end && *p == ' ')
            p++;
        access_quoted(&ua, p, end);
    }
    method = req;
    if (!(sp = strchr(req, ' ')))
        return RA_LOG_ACCESS; /* a malformed request line: no request to speak of */
    *sp = '\0';
    uri = sp + 1;
    if ((sp = strrchr(uri, ' ')))
        *sp = '\0';
    ev = add_http(c, RA_LOG_ACCESS, t, method, uri, status);
    if (ua && strcmp(ua, "-"))
        ev->user_agent = ra_log_intern(c, ua, strlen(ua));
    if (!(host_len == 1 && *host == '-'))
        ev->remote_addr = ra_log_intern(c, host, host_len);
    access_user(c, ev, user);
    return RA_LOG_ACCESS;
}

/* A repository name as storage spells it: lowercase letters and digits, joined by
 * '.', '_', '-' and '/'. */
static int is_repo_name(const char *s, size_t len)
{
    size_t i;

    if (!len || !isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[len - 1]))
        return 0;
    for (i = 0; i < len; i++) {
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) ||
              s[i] == '.' || s[i] == '_' || s[i] == '-' || s[i] == '/'))
            return 0;
    }
    return 1;
}

/* A GC output line's event: repository, digest (up to a space or '}'), details. */
static struct ra_log_event *gc_event(struct ra_log_gc **gc, struct ra_log_ctx *c,
                                     enum ra_log_kind kind, const char *repo,
                                     size_t repo_len, const char *digest)
{
    struct ra_log_event *ev = gc_new(gc, c, kind, RA_LOG_GC, RA_TIME_NONE);

    ev->repository = ra_log_intern(c, repo, repo_len);
    if (digest)
        set_digest(ev, digest, strcspn(digest, " }"));
    if (kind != RA_LOG_GC_REPOSITORY)
        c->gc_seen = 1;
    return ev;
}

/* 3.x: "{infra-ci sha256:… [latest v1]}" (Go's %s of a struct); 2.8: "sha256:…", in
 * the repository being enumerated. */
static void gc_manifest_eligible(struct ra_log_ctx *c, char *p, char *end)
{
    struct ra_log_gc *gc;
    const char **tag_list;
    char *sp, *tags, *t;
    size_t n = 0;

    if (*p != '{' || !(sp = strchr(p, ' '))) {
        gc_event(&gc, c, RA_LOG_GC_MANIFEST_ELIGIBLE, c->gc_repo, strlen(c->gc_repo), p);
        return;
    }
    gc_event(&gc, c, RA_LOG_GC_MANIFEST_ELIGIBLE, p + 1, (size_t)(sp - p - 1), sp + 1);
    if (!(tags = strstr(sp + 1, " [")) || end - tags < 4 || memcmp(end - 2, "]}", 2))
        return;
    tags += 2;
    end[-2] = '\0';
    for (t = tags; *t; t += strcspn(t, " ")) {
        t += strspn(t, " ");
        n += *t != '\0';
    }
    gc->tags = tag_list = ra_pool_alloc(&c->log->pool, (n ? n : 1) * sizeof(*tag_list));
    for (t = tags; *t;) {
        t += strspn(t, " ");
        if (*t)
            tag_list[gc->ntags++] = ra_log_intern(c, t, strcspn(t, " "));
        t += strcspn(t, " ");
    }
}

/* "N blobs marked, M blobs and K manifests eligible for deletion" */
static int gc_summary(struct ra_log_ctx *c, const char *p)
{
    static const char *const words[] = {" blobs marked, ", " blobs and ",
                                        " manifests eligible for deletion"};
    struct ra_log_gc *gc;
    uint64_t v[3];
    char *q;
    size_t i;

    for (i = 0; i < 3; i++) {
        if (!isdigit((unsigned char)*p))
            return 0;
        v[i] = strtoull(p, &q, 10);
        if (!starts(q, words[i]))
            return 0;
        p = q + strlen(words[i]);
    }
    if (*p)
        return 0;
    gc_event(&gc, c, RA_LOG_GC_SUMMARY, "", 0, NULL);
    gc->marked = v[0];
    gc->blobs_eligible = v[1];
    gc->manifests_eligible = v[2];
    return 1;
}

static void gc_error(struct ra_log_ctx *c, const char *msg)
{
    struct ra_log_gc *gc;
    struct ra_log_event *ev = gc_event(&gc, c, RA_LOG_GC_ERROR, "", 0, NULL);
    const char *d;

    ev->message = ra_log_intern(c, msg, strlen(msg));
    for (d = strstr(msg, "sha256:"); d && !ev->has_digest; d = strstr(d + 1, "sha256:"))
        ev->has_digest = strlen(d) >= 71 && !ra_digest_parse(&ev->digest, d, 71) &&
                         !isxdigit((unsigned char)d[71]);
}

struct gc_repo_line {
    const char *text;
    enum ra_log_kind kind;
};

static const struct gc_repo_line gc_repo_lines[] = {
    {"marking manifest ", RA_LOG_GC_MARK_MANIFEST},
    {"marking blob ", RA_LOG_GC_MARK_BLOB},
    {"layer link eligible for deletion: ", RA_LOG_GC_LAYER_LINK_ELIGIBLE},
};

/* garbage-collect's own lines (fmt.Printf, no time), strongest first. */
static enum ra_log_format gc_line(struct ra_log_ctx *c, char *p, char *end)
{
    struct ra_log_event *ev;
    struct ra_log_gc *gc;
    const char *colon;
    size_t i, n;

    if (starts(p, "manifest eligible for deletion: ")) {
        gc_manifest_eligible(c, p + 32, end);
    } else if (starts(p, "blob eligible for deletion: ")) {
        gc_event(&gc, c, RA_LOG_GC_BLOB_ELIGIBLE, "", 0, p + 28);
    } else if (starts(p, "failed to garbage collect: ")) {
        gc_error(c, p + 27);
    } else if (starts(p, "manifest tags path of repository ")) {
        c->gc_seen = 1;
    } else if (!gc_summary(c, p)) {
        if (!(colon = strstr(p, ": ")) || !is_repo_name(p, (size_t)(colon - p)))
            return RA_LOG_EMPTY;
        for (i = 0; i < RA_ARRAY_SIZE(gc_repo_lines); i++) {
            n = strlen(gc_repo_lines[i].text);
            if (!strncmp(colon + 2, gc_repo_lines[i].text, n))
                break;
        }
        if (i == RA_ARRAY_SIZE(gc_repo_lines))
            return RA_LOG_EMPTY;
        ev = gc_event(&gc, c, gc_repo_lines[i].kind, p, (size_t)(colon - p),
                      colon + 2 + n);
        c->gc_repo = ev->repository;
    }
    return RA_LOG_GC;
}

enum ra_log_format ra_log_text_line(struct ra_log_ctx *c, char *p, char *end, int *weak)
{
    struct ra_log_gc *gc;
    enum ra_log_format fmt;

    *weak = 0;
    if (starts(p, "time=") || starts(p, "level="))
        return logrus_text(c, p, end);
    if (starts(p, "ts="))
        return ra_log_am_line(c, p, end);
    if ((fmt = gc_line(c, p, end)) != RA_LOG_EMPTY)
        return fmt;
    if ((fmt = access_line(c, p, end)) != RA_LOG_EMPTY)
        return fmt;
    if (!is_repo_name(p, (size_t)(end - p)))
        return RA_LOG_EMPTY;
    c->gc_repo =
        gc_event(&gc, c, RA_LOG_GC_REPOSITORY, p, (size_t)(end - p), NULL)->repository;
    *weak = 1;
    return RA_LOG_GC;
}
