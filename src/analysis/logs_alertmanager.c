/* SPDX-License-Identifier: MIT */
/* Alerts: the event every Alertmanager source makes (webhook payloads, API output,
 * its own log), and Alertmanager's go-kit logfmt log, whose debug "flushing" lines are
 * the moments it sent a group's alerts to the receivers. */
#include "analysis/logs_internal.h"

#include <stdlib.h>
#include <string.h>

static int starts(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

static int cmp_pair(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* 2n strings copied into the pool, sorted by name (pairs moved whole). */
static const char **copy_pairs(struct ra_log_ctx *c, const char *const *pairs, size_t n)
{
    const char **out;
    size_t i;

    if (!n)
        return NULL;
    out = ra_pool_alloc(&c->log->pool, 2 * n * sizeof(*out));
    for (i = 0; i < 2 * n; i++)
        out[i] = ra_log_intern(c, pairs[i], strlen(pairs[i]));
    qsort(out, n, 2 * sizeof(*out), cmp_pair);
    return out;
}

const char *ra_log_alert_label(const struct ra_log_alert *a, const char *name)
{
    size_t i;

    for (i = 0; a && i < a->nlabels; i++)
        if (!strcmp(a->labels[2 * i], name))
            return a->labels[2 * i + 1];
    return NULL;
}

struct ra_log_event *ra_log_add_alert(struct ra_log_ctx *c, enum ra_log_format format,
                                      ra_time t, const char *fingerprint,
                                      const char *const *labels, size_t nlabels,
                                      const char *const *annotations, size_t nannotations)
{
    struct ra_log_alert *a = ra_pool_alloc(&c->log->pool, sizeof(*a));
    struct ra_log_event *ev = ra_log_add_event(c, RA_LOG_ALERT, format, t);
    const char *severity;

    a->labels = copy_pairs(c, labels, nlabels);
    a->nlabels = nlabels;
    a->annotations = copy_pairs(c, annotations, nannotations);
    a->nannotations = nannotations;
    a->fingerprint = ra_log_intern(c, fingerprint, strlen(fingerprint));
    a->name = ra_log_alert_label(a, "alertname");
    if (!a->name || !a->name[0])
        a->name = "(no alertname)";
    severity = ra_log_alert_label(a, "severity");
    ev->alert = a;
    ev->message = a->name;
    ev->level = severity ? severity : "";
    return ev;
}

/* ---- Alertmanager's log ---- */

/* The fields of a go-kit logfmt line that matter here. */
struct am_fields {
    const char *ts, *caller, *level, *msg, *alerts, *group;
};

static void am_field(struct am_fields *f, const char *key, size_t len, const char *value)
{
    static const struct {
        const char *key;
        size_t offset;
    } keys[] = {
        {"ts", offsetof(struct am_fields, ts)},
        {"caller", offsetof(struct am_fields, caller)},
        {"level", offsetof(struct am_fields, level)},
        {"msg", offsetof(struct am_fields, msg)},
        {"alerts", offsetof(struct am_fields, alerts)},
        {"aggrGroup", offsetof(struct am_fields, group)},
    };
    size_t i;

    for (i = 0; i < RA_ARRAY_SIZE(keys); i++)
        if (strlen(keys[i].key) == len && !memcmp(keys[i].key, key, len))
            *(const char **)((char *)f + keys[i].offset) = value;
}

/* The labels of an aggregation group key, `{<route>}:{name="value", …}` (the values
 * Go-quoted), into pairs (in scratch space of c). Returns how many. */
static size_t group_labels(struct ra_vec *pairs, struct ra_log_ctx *c, const char *key)
{
    const char *p = strrchr(key, '{'), *name;
    struct ra_buf *b = &c->scratch;
    size_t n = 0, at, nlen;

    if (!p || !strchr(p, '}'))
        return 0;
    ra_buf_truncate(b, 0);
    for (p++; *p && *p != '}';) {
        while (*p == ' ' || *p == ',')
            p++;
        name = p;
        while (*p && *p != '=' && *p != '}')
            p++;
        if (*p != '=' || p[1] != '"')
            break;
        nlen = (size_t)(p - name);
        p += 2;
        at = b->len;
        for (; *p && *p != '"'; p++) {
            if (*p == '\\' && p[1])
                p++;
            ra_buf_put(b, p, 1);
        }
        if (*p != '"')
            break;
        p++;
        ra_vec_push(pairs, (void *)ra_log_intern(c, name, nlen));
        ra_vec_push(pairs, (void *)ra_log_intern(c, b->ptr + at, b->len - at));
        n++;
    }
    return n;
}

/* One item of a flushing line's alerts=[…] list, "Name[1a2b3c4][active]" (a name may
 * hold spaces and brackets; the fingerprint and state end it). Sets name, fingerprint
 * and whether it is active; returns where the next item starts, or NULL at the end. */
static const char *alert_item(struct ra_buf *name, char fp[17], int *active,
                              const char *p)
{
    const char *a = strstr(p, "][active]"), *r = strstr(p, "][resolved]"), *end, *open;

    end = a && (!r || a < r) ? a : r;
    if (!end)
        return NULL;
    for (open = end; open > p && open[-1] != '['; open--)
        ;
    if (open == p || end - open > 16)
        return NULL;
    ra_buf_truncate(name, 0);
    ra_buf_put(name, p, (size_t)(open - 1 - p));
    memcpy(fp, open, (size_t)(end - open));
    fp[end - open] = '\0';
    *active = end == a;
    end += *active ? strlen("][active]") : strlen("][resolved]");
    return *end == ' ' ? end + 1 : end;
}

/* A debug "flushing" line: each [active] alert of it not sent before in this file is
 * an alert event at the line's time, with the group's labels. */
static void am_flush(struct ra_log_ctx *c, const struct am_fields *f, ra_time t)
{
    struct ra_vec pairs = RA_VEC_INIT;
    struct ra_buf name = RA_BUF_INIT;
    const char *p = f->alerts;
    size_t n = f->group ? group_labels(&pairs, c, f->group) : 0, k;
    const char *key;
    char fp[17];
    int active;

    if (*p == '[')
        p++;
    while (p && *p && *p != ']') {
        if (!(p = alert_item(&name, fp, &active, p)))
            break;
        if (!active || ra_map_get(&c->alerts_sent, fp, strlen(fp)))
            continue;
        key = ra_log_intern(c, fp, strlen(fp));
        ra_map_put(&c->alerts_sent, key, strlen(key), (void *)key);
        /* the group's labels, with the alert's own name */
        for (k = 0; k < n && strcmp(pairs.items[2 * k], "alertname"); k++)
            ;
        if (k == n) {
            ra_vec_push(&pairs, (void *)"alertname");
            ra_vec_push(&pairs, (void *)"");
        }
        pairs.items[2 * k + 1] = (void *)ra_log_intern(c, name.ptr, name.len);
        ra_log_add_alert(c, RA_LOG_ALERTMANAGER_LOG, t, fp,
                         (const char *const *)pairs.items, pairs.len / 2, NULL, 0);
        pairs.len = 2 * n;
    }
    ra_vec_release(&pairs);
    ra_buf_release(&name);
}

enum ra_log_format ra_log_am_record(struct ra_log_ctx *c, const char *ts,
                                    const char *caller, const char *level,
                                    const char *msg, const char *alerts,
                                    const char *group)
{
    struct am_fields f = {ts, caller, level, msg, alerts, group};
    ra_time t;

    if (!ts || !caller || !level || ra_time_parse(&t, ts) < 0)
        return RA_LOG_EMPTY;
    if (msg && !strcmp(msg, "flushing") && alerts)
        am_flush(c, &f, t);
    return RA_LOG_ALERTMANAGER_LOG;
}

enum ra_log_format ra_log_am_line(struct ra_log_ctx *c, char *p, char *end)
{
    struct am_fields f = {0};
    char *key, *value;
    size_t keylen;

    if (!starts(p, "ts="))
        return RA_LOG_EMPTY;
    while (ra_log_logfmt_next(&p, end, &key, &keylen, &value))
        am_field(&f, key, keylen, value);
    return ra_log_am_record(c, f.ts, f.caller, f.level, f.msg, f.alerts, f.group);
}
