/* SPDX-License-Identifier: MIT */
/* The jansson adapter of the log readers: logrus JSON lines (and logstash's spelling),
 * Woodpecker pipelines one a line, and a whole pipeline JSON array as its API returns
 * it, with each pipeline's line in the file; Alertmanager's webhook payloads, its API
 * alerts (an array, or one a line) and its log written with --log.format=json. */
#include "analysis/logs_internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static const char *str_member(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* A string member copied into the pool, "" when absent or not a string. */
static const char *pool_member(struct ra_log_ctx *c, json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    return json_is_string(v)
               ? ra_log_intern(c, json_string_value(v), json_string_length(v))
               : "";
}

#define EPOCH_MAX 253402300799LL /* 9999-12-31T23:59:59Z */

/* Epoch seconds (Woodpecker), or an RFC 3339 string; 0, null and absent are
 * RA_TIME_NONE. Anything else (a number out of range, a string that is no time) is
 * RA_TIME_NONE too, with a problem for the record (what names it). */
static ra_time time_member(struct ra_log_ctx *c, const char *what, json_t *obj,
                           const char *key, const char *alt)
{
    json_t *v = json_object_get(obj, key);
    ra_time t;

    if (!v && alt)
        v = json_object_get(obj, (key = alt));
    if (!v || json_is_null(v) || (json_is_integer(v) && !json_integer_value(v)))
        return RA_TIME_NONE;
    if (json_is_integer(v) && json_integer_value(v) > 0 &&
        json_integer_value(v) <= EPOCH_MAX)
        return (ra_time)json_integer_value(v);
    if (json_is_string(v) && !ra_time_parse(&t, json_string_value(v)))
        return t;
    if (json_is_integer(v))
        ra_log_problem(c,
                       "%s: '%s' %" JSON_INTEGER_FORMAT " is not a time (epoch seconds "
                       "from 1970 to 9999): left out",
                       what, key, json_integer_value(v));
    else if (json_is_real(v))
        ra_log_problem(c,
                       "%s: '%s' %g is not a time (epoch seconds from 1970 to 9999): "
                       "left out",
                       what, key, json_real_value(v));
    else
        ra_log_problem(c, "%s: '%s' is not a time (epoch seconds or RFC 3339): left out",
                       what, key);
    return RA_TIME_NONE;
}

/* The first member of obj among keys that is an array, or NULL. */
static json_t *array_member(json_t *obj, const char *const *keys)
{
    json_t *v;

    for (; *keys; keys++) {
        if (json_is_array(v = json_object_get(obj, *keys)))
            return v;
    }
    return NULL;
}

/* Woodpecker: workflows[].children[] (1.x and later), procs[].children[] (0.15);
 * Drone: stages[].steps[]; or a flat steps[]. */
static const char *const outer_keys[] = {"workflows", "procs", "stages", "steps", NULL};
static const char *const inner_keys[] = {"children", "steps", NULL};

static size_t count_steps(json_t *list)
{
    json_t *v, *inner;
    size_t i, n = 0;

    json_array_foreach(list, i, v)
    {
        inner = array_member(v, inner_keys);
        n += inner ? json_array_size(inner) : 1;
    }
    return n;
}

static void add_step(struct ra_log_ctx *c, struct ra_log_pipeline *p, json_t *step,
                     const char *workflow)
{
    struct ra_log_step *s;
    json_t *code;
    char what[96];

    if (!json_is_object(step))
        return;
    s = &p->steps[p->nsteps++];
    s->workflow = workflow;
    s->name = pool_member(c, step, "name");
    s->state = pool_member(c, step, json_object_get(step, "state") ? "state" : "status");
    s->error = pool_member(c, step, "error");
    snprintf(what, sizeof(what), "pipeline #%lld step %zu", (long long)p->number,
             p->nsteps);
    code = json_object_get(step, "exit_code");
    s->exit_code = 0;
    if (json_is_integer(code) && json_integer_value(code) >= INT_MIN &&
        json_integer_value(code) <= INT_MAX)
        s->exit_code = (int)json_integer_value(code);
    else if (code && !json_is_null(code))
        ra_log_problem(c, "%s: 'exit_code' is not a small integer: left out", what);
    s->started = time_member(c, what, step, "start_time", "started");
    s->finished = time_member(c, what, step, "end_time", "finished");
    if (s->finished == RA_TIME_NONE && !json_object_get(step, "end_time") &&
        !json_object_get(step, "finished"))
        s->finished = time_member(c, what, step, "stopped", NULL);
}

static void add_steps(struct ra_log_ctx *c, struct ra_log_pipeline *p, json_t *obj)
{
    json_t *list = array_member(obj, outer_keys), *inner, *w, *s;
    const char *name;
    size_t n, i, j;

    if (!list || !(n = count_steps(list)))
        return;
    p->steps = ra_pool_alloc(&c->log->pool, n * sizeof(*p->steps));
    json_array_foreach(list, i, w)
    {
        if (!(inner = array_member(w, inner_keys))) {
            add_step(c, p, w, "");
            continue;
        }
        name = pool_member(c, w, "name");
        json_array_foreach(inner, j, s)
        {
            add_step(c, p, s, name);
        }
    }
}

/* A pipeline object; 0 when it is one (integer "number", string "status"). */
static int add_pipeline(struct ra_log_ctx *c, json_t *obj)
{
    struct ra_log_pipeline *p;
    struct ra_log_event *ev;
    json_t *number = json_object_get(obj, "number");
    char what[48];

    if (!json_is_integer(number) || !json_is_string(json_object_get(obj, "status")))
        return -1;
    p = ra_pool_alloc(&c->log->pool, sizeof(*p));
    p->number = json_integer_value(number);
    snprintf(what, sizeof(what), "pipeline #%lld", (long long)p->number);
    p->status = pool_member(c, obj, "status");
    p->event = pool_member(c, obj, "event");
    p->branch = pool_member(c, obj, "branch");
    p->commit = pool_member(c, obj, "commit");
    p->ref = pool_member(c, obj, "ref");
    p->message = pool_member(c, obj, "message");
    p->sender = pool_member(c, obj, "sender");
    p->created = time_member(c, what, obj, "created", "created_at");
    p->started = time_member(c, what, obj, "started", "started_at");
    p->finished = time_member(c, what, obj, "finished", "finished_at");
    if (json_is_integer(json_object_get(obj, "parent")))
        p->parent = json_integer_value(json_object_get(obj, "parent"));
    add_steps(c, p, obj);
    ev = ra_log_add_event(c, RA_LOG_PIPELINE, RA_LOG_PIPELINES,
                          p->started != RA_TIME_NONE ? p->started : p->created);
    ev->pipeline = p;
    ev->message = p->message;
    return 0;
}

/* The string members of obj as name, value pairs (borrowed from obj). */
static size_t json_pairs(struct ra_vec *out, json_t *obj)
{
    const char *key;
    json_t *v;
    size_t n = 0;

    json_object_foreach(obj, key, v)
    {
        if (!json_is_string(v))
            continue;
        ra_vec_push(out, (void *)key);
        ra_vec_push(out, (void *)json_string_value(v));
        n++;
    }
    return n;
}

/* An alert object with its labels and annotations, firing at its startsAt; one
 * without a usable startsAt is a problem of its own and left out. */
static void add_alert(struct ra_log_ctx *c, enum ra_log_format format, json_t *a)
{
    struct ra_vec labels = RA_VEC_INIT, notes = RA_VEC_INIT;
    const char *fp = str_member(a, "fingerprint");
    size_t nl = json_pairs(&labels, json_object_get(a, "labels")),
           na = json_pairs(&notes, json_object_get(a, "annotations"));
    const char *name = str_member(json_object_get(a, "labels"), "alertname");
    char what[160];
    ra_time t;

    snprintf(what, sizeof(what), "alert '%.120s'", name ? name : "(no alertname)");
    if ((t = time_member(c, what, a, "startsAt", NULL)) != RA_TIME_NONE)
        ra_log_add_alert(c, format, t, fp ? fp : "", (const char *const *)labels.items,
                         nl, (const char *const *)notes.items, na);
    ra_vec_release(&labels);
    ra_vec_release(&notes);
}

/* An Alertmanager webhook payload ({"receiver", "status", "alerts": [...]}, what a
 * webhook receiver that logs request bodies writes): one event per alert with status
 * "firing"; 0 when obj is one. */
static int add_alerts(struct ra_log_ctx *c, json_t *obj)
{
    json_t *alerts = json_object_get(obj, "alerts"), *a;
    size_t i;

    if (!json_is_array(alerts) || !json_is_string(json_object_get(obj, "status")) ||
        !json_is_string(json_object_get(obj, "receiver")))
        return -1;
    json_array_foreach(alerts, i, a)
    {
        const char *status = str_member(a, "status");
        if (status && !strcmp(status, "firing"))
            add_alert(c, RA_LOG_ALERTMANAGER, a);
    }
    return 0;
}

/* An alert as the v2 API (GET /api/v2/alerts, `amtool alert query -o json`) gives
 * it: an object "labels", a string "startsAt" and "status": {"state": …}; 0 when obj
 * is one. Only state "active" fired at someone: "suppressed" (silenced or inhibited)
 * and "unprocessed" alerts notified no one (yet). */
static int add_api_alert(struct ra_log_ctx *c, json_t *obj)
{
    const char *state = str_member(json_object_get(obj, "status"), "state");

    if (!json_is_object(json_object_get(obj, "labels")) ||
        !json_is_string(json_object_get(obj, "startsAt")) || !state)
        return -1;
    if (!strcmp(state, "active"))
        add_alert(c, RA_LOG_ALERTMANAGER_API, obj);
    return 0;
}

/* A JSON member as text: strings as they are, integers printed into buf. */
static const char *text_member(json_t *obj, const char *key, char *buf, size_t size)
{
    json_t *v = json_object_get(obj, key);

    if (json_is_integer(v)) {
        snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return buf;
    }
    return json_string_value(v);
}

static enum ra_log_format logrus_json(struct ra_log_ctx *c, json_t *obj)
{
    struct ra_log_fields f = {0};
    char status[32];

    f.time = str_member(obj, "time");
    if (!f.time)
        f.time = str_member(obj, "@timestamp"); /* logstash formatter */
    f.level = str_member(obj, "level");
    f.msg = str_member(obj, "msg");
    if (!f.msg)
        f.msg = str_member(obj, "message");
    if (!f.time && !f.level && !f.msg)
        return RA_LOG_EMPTY;
    f.method = str_member(obj, "http.request.method");
    f.uri = str_member(obj, "http.request.uri");
    f.status = text_member(obj, "http.response.status", status, sizeof(status));
    f.request_id = str_member(obj, "http.request.id");
    f.user_agent = str_member(obj, "http.request.useragent");
    f.err_code = str_member(obj, "err.code");
    f.remote_addr = str_member(obj, "http.request.remoteaddr");
    f.user = str_member(obj, "auth.user.name");
    ra_log_add_logrus(c, &f, RA_LOG_LOGRUS_JSON);
    return RA_LOG_LOGRUS_JSON;
}

/* docker's json-file log driver: {"log":"<line>\n","stream":"stderr","time":"…"} */
static int docker_record(struct ra_buf *inner, ra_time *t, json_t *obj)
{
    json_t *log = json_object_get(obj, "log");
    const char *time = str_member(obj, "time");

    if (!json_is_string(log) || !json_is_string(json_object_get(obj, "stream")))
        return 0;
    ra_buf_truncate(inner, 0);
    ra_buf_put(inner, json_string_value(log), json_string_length(log));
    if (!time || ra_time_parse(t, time) < 0)
        *t = RA_TIME_NONE;
    return 1;
}

int ra_log_json_line(enum ra_log_format *format, struct ra_buf *inner, ra_time *t,
                     struct ra_log_ctx *c, const char *line, size_t len)
{
    json_error_t jerr;
    json_t *obj = json_loadb(line, len, 0, &jerr);
    int unwrapped = 0;

    *format = RA_LOG_EMPTY;
    if (!obj &&
        (strstr(jerr.text, "too big integer") || strstr(jerr.text, "number overflow")))
        ra_log_problem(c, "record does not parse: %s: left out", jerr.text);
    if (!json_is_object(obj))
        goto done;
    if (inner && (unwrapped = docker_record(inner, t, obj)))
        goto done;
    if (!add_pipeline(c, obj))
        *format = RA_LOG_PIPELINES;
    else if (!add_alerts(c, obj))
        *format = RA_LOG_ALERTMANAGER;
    else if (!add_api_alert(c, obj))
        *format = RA_LOG_ALERTMANAGER_API;
    else if (json_is_string(json_object_get(obj, "ts")) &&
             json_is_string(json_object_get(obj, "caller")))
        *format =
            ra_log_am_record(c, str_member(obj, "ts"), str_member(obj, "caller"),
                             str_member(obj, "level"), str_member(obj, "msg"),
                             str_member(obj, "alerts"), str_member(obj, "aggrGroup"));
    else
        *format = logrus_json(c, obj);

done:
    json_decref(obj);
    return unwrapped;
}

/* A top-level element of a JSON array: its bytes and the line it starts on. */
struct span {
    size_t start, end;
    uint64_t line;
};

/* The top-level elements of the JSON array in data, found by its brackets, quotes and
 * commas alone (so that an element jansson refuses, a number out of its range, costs
 * only that element). Returns how many, or SIZE_MAX when data is not one array. */
static size_t element_spans(struct ra_vec *out, const char *data, size_t len)
{
    size_t i, n = 0;
    int depth = 0, in_str = 0, esc = 0, want = 0, closed = 0;
    uint64_t line = 1;
    struct span *sp = NULL;

    for (i = 0; i < len; i++) {
        char ch = data[i];
        if (ch == '\n')
            line++;
        if (in_str) {
            if (esc)
                esc = 0;
            else if (ch == '\\')
                esc = 1;
            else if (ch == '"')
                in_str = 0;
            continue;
        }
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')
            continue;
        if (closed || (!depth && ch != '['))
            return SIZE_MAX; /* something after the array, or no array */
        if (want && ch != ']') {
            sp = ra_xcalloc(1, sizeof(*sp));
            sp->start = i;
            sp->line = line;
            ra_vec_push(out, sp);
            n++;
            want = 0;
        }
        if (ch == '"') {
            in_str = 1;
        } else if (ch == '[' || ch == '{') {
            want = ++depth == 1;
        } else if ((ch == ']' || ch == '}') && depth) {
            if (--depth == 0)
                closed = 1;
        } else if (ch == ',' && depth == 1) {
            want = 1;
        }
        if (sp && depth >= 1 && !(depth == 1 && (ch == ',' || ch == ']')))
            sp->end = i + 1;
    }
    return closed ? n : SIZE_MAX;
}

static void free_spans(struct ra_vec *spans)
{
    size_t i;

    for (i = 0; i < spans->len; i++)
        free(spans->items[i]);
    ra_vec_release(spans);
}

/* Where the line holding offset at starts. */
static size_t line_start(const char *data, size_t at)
{
    while (at && data[at - 1] != '\n')
        at--;
    return at;
}

/* What a JSON array holds, for messages: Alertmanager alerts when "startsAt" is in it. */
static const char *array_kind(const char *data, size_t len)
{
    static const char key[] = "\"startsAt\"";
    size_t i;

    for (i = 0; i + sizeof(key) - 1 <= len; i++)
        if (data[i] == '"' && !memcmp(data + i, key, sizeof(key) - 1))
            return "Alertmanager alerts JSON";
    return "pipeline JSON";
}

/* One element: a pipeline or an API alert, or counted as unrecognized; an element that
 * jansson does not take (a number beyond its range) is a problem of its own. */
static void add_element(struct ra_log_ctx *c, const char *data, const struct span *sp,
                        struct ra_err *first)
{
    json_error_t jerr;
    json_t *v =
        json_loadb(data + sp->start, sp->end - sp->start, JSON_REJECT_DUPLICATES, &jerr);

    c->line = sp->line;
    if (!v) {
        ra_log_problem(c, "record does not parse: %s: left out", jerr.text);
        if (!first->code)
            ra_err_set(first, RA_EFORMAT, "'%s': %s: %s (line %llu, column %d)",
                       c->log->path, array_kind(data, sp->end), jerr.text,
                       (unsigned long long)(sp->line + (uint64_t)jerr.line - 1),
                       jerr.line == 1
                           ? (int)(sp->start - line_start(data, sp->start)) + jerr.column
                           : jerr.column);
    }
    if (v && json_is_object(v) && !add_pipeline(c, v))
        c->log->counts[RA_LOG_PIPELINES]++;
    else if (v && json_is_object(v) && !add_api_alert(c, v))
        c->log->counts[RA_LOG_ALERTMANAGER_API]++;
    else
        c->log->unrecognized++;
    json_decref(v);
}

static uint64_t count_lines(const char *data, size_t len)
{
    uint64_t n = 0;
    size_t i;

    for (i = 0; i < len; i++)
        n += data[i] == '\n';
    return n + (len && data[len - 1] != '\n');
}

int ra_log_json_array(struct ra_log_ctx *c, const char *data, size_t len,
                      struct ra_err *err)
{
    struct ra_err first = RA_ERR_INIT; /* the first element that does not parse */
    json_error_t jerr;
    json_t *root = NULL;
    struct ra_vec spans = RA_VEC_INIT;
    size_t i, n;
    int error = 0;

    c->log->lines = count_lines(data, len);
    /* element by element, so that one record jansson refuses costs only that record;
     * a file that is not one array is said by jansson, with line and column */
    if ((n = element_spans(&spans, data, len)) == SIZE_MAX) {
        root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
        error = root ? ra_err_set(err, RA_EFORMAT, "'%s': %s: not an array", c->log->path,
                                  array_kind(data, len))
                     : ra_err_set(err, RA_EFORMAT, "'%s': %s: %s (line %d, column %d)",
                                  c->log->path, array_kind(data, len), jerr.text,
                                  jerr.line, jerr.column);
        goto done;
    }
    for (i = 0; i < n; i++)
        add_element(c, data, spans.items[i], &first);
    if (n && !c->log->counts[RA_LOG_PIPELINES] &&
        !c->log->counts[RA_LOG_ALERTMANAGER_API]) {
        if (first.code && err)
            *err = first;
        error = first.code ? first.code : ra_log_not_a_log(c, err);
        goto done;
    }
    c->log->format =
        c->log->counts[RA_LOG_PIPELINES] >= c->log->counts[RA_LOG_ALERTMANAGER_API]
            ? RA_LOG_PIPELINES
            : RA_LOG_ALERTMANAGER_API;

done:
    free_spans(&spans);
    json_decref(root);
    return error;
}
