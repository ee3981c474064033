/* SPDX-License-Identifier: MIT */
/* The post-mortem model: helpers the sections share. */
#include "report/pm_internal.h"

#include <string.h>

#include "analysis/postmortem.h"
#include "config/pipelines/pipelines.h"
#include "config/sched/schedule.h"
#include "report/json.h"
#include "report/md.h"
#include "util/text.h"

const char *ra_pm_root_name(const char *root)
{
    return root[0] ? root : ".";
}

void ra_pm_capped(json_t *parent, const char *key, json_t *all, size_t cap)
{
    size_t n = json_array_size(all), i;
    json_t *rows = json_array();
    char omitted[64];

    for (i = 0; i < n && i < cap; i++)
        json_array_append(rows, json_array_get(all, i));
    json_object_set_new(parent, key, rows);
    snprintf(omitted, sizeof(omitted), "%s_omitted", key);
    json_object_set_new(parent, omitted,
                        json_integer((json_int_t)(n > cap ? n - cap : 0)));
    snprintf(omitted, sizeof(omitted), "%s_more", key); /* Mustache: 0 is truthy */
    json_object_set_new(parent, omitted, json_boolean(n > cap));
    json_decref(all);
}

json_t *ra_pm_command_code(struct ra_buf *tmp, const char *command)
{
    struct ra_buf utf8 = RA_BUF_INIT;
    json_t *j;

    if (!command)
        return json_null();
    ra_buf_truncate(tmp, 0);
    ra_md_code_cell(tmp, ra_text_safe(&utf8, command, RA_TEXT_UTF8));
    j = ra_json_str(tmp->ptr);
    ra_buf_release(&utf8);
    return j;
}

json_t *ra_pm_log_event(const struct ra_pm_event *e, const char *message)
{
    struct ra_buf ev = RA_BUF_INIT;
    json_t *o;

    if (!e->event)
        return json_null();
    ra_buf_printf(&ev, "%s:%llu", e->log, (unsigned long long)e->event->line);
    o = json_pack("{s:o,s:o,s:o}", "time", ra_json_time(ra_log_event_end(e->event)),
                  "evidence", ra_json_str(ev.ptr), "message", ra_json_str(message));
    ra_buf_release(&ev);
    return o;
}

/* A run's status as words: "failed", "succeeded", else the status itself. */
static const char *status_words(const char *status)
{
    return !strcmp(status, "failure")   ? "failed"
           : !strcmp(status, "success") ? "succeeded"
           : !strcmp(status, "error")   ? "ended in an error"
           : !strcmp(status, "killed")  ? "was killed"
                                        : status;
}

void ra_pm_pipeline_text(struct ra_buf *out, const struct ra_pm_event *e)
{
    const struct ra_log_event *ev = e->event;

    ra_buf_truncate(out, 0);
    if (ev && ev->kind == RA_LOG_PIPELINE) {
        ra_buf_puts(out, "pipeline ");
        ra_pm_run_text(out, ev->pipeline);
        ra_buf_printf(out, " %s", status_words(ev->pipeline->status));
    }
}

void ra_pm_pipeline_name(struct ra_buf *out, const struct ra_pm_event *e)
{
    ra_buf_truncate(out, 0);
    if (e->event && e->event->kind == RA_LOG_PIPELINE) {
        ra_buf_puts(out, "pipeline ");
        ra_pm_run_text(out, e->event->pipeline);
    }
}

void ra_pm_pipeline_words(struct ra_buf *out, const struct ra_pm_event *e)
{
    const struct ra_log_pipeline *p;

    ra_buf_truncate(out, 0);
    if (!e->event || e->event->kind != RA_LOG_PIPELINE)
        return;
    p = e->event->pipeline;
    if (p->parent)
        ra_buf_printf(out, "a restarted pipeline (#%lld, restart of #%lld)",
                      (long long)p->number, (long long)p->parent);
    else if (!strcmp(p->event, "manual"))
        ra_buf_printf(out, "a manually started pipeline (#%lld)", (long long)p->number);
    else if (!strcmp(p->event, "cron"))
        ra_buf_printf(out, "a scheduled pipeline (#%lld)", (long long)p->number);
    else
        ra_buf_printf(out, "pipeline #%lld (%s)", (long long)p->number, p->event);
}

void ra_pm_run_text(struct ra_buf *out, const struct ra_log_pipeline *p)
{
    if (p->parent)
        ra_buf_printf(out, "#%lld (restart of #%lld)", (long long)p->number,
                      (long long)p->parent);
    else
        ra_buf_printf(out, "#%lld (%s)", (long long)p->number, p->event);
}

void ra_pm_pipeline_rows(json_t *out, const struct ra_schedule *s, const char *ref,
                         int pushers)
{
    struct ra_vec v = RA_VEC_INIT;
    struct ra_buf where = RA_BUF_INIT, who = RA_BUF_INIT;
    size_t i;

    if (!s || !s->pipelines)
        return;
    if (pushers)
        ra_pipelines_pushers(&v, s->pipelines, ref);
    else
        ra_pipelines_users(&v, s->pipelines, ref);
    for (i = 0; i < v.len; i++) {
        const struct ra_pipeline_image *im = v.items[i];
        ra_buf_truncate(&where, 0);
        ra_buf_truncate(&who, 0);
        ra_buf_printf(&where, "%s:%u @ %.12s", im->path, im->line, s->head);
        ra_buf_printf(&who, "pipeline %s, step %s", im->pipeline->name,
                      im->step ? im->step : "?");
        if (im->pipeline->platform)
            ra_buf_printf(&who, " (runs on %s)", im->pipeline->platform);
        json_array_append_new(out,
                              json_pack("{s:o,s:o,s:o,s:o,s:o}", "image",
                                        ra_json_str(ref), "user", ra_json_str(who.ptr),
                                        "pipeline", ra_json_str(im->pipeline->name),
                                        "file", ra_json_str(im->pipeline->path),
                                        "defined_in", ra_json_str(where.ptr)));
    }
    ra_vec_release(&v);
    ra_buf_release(&where);
    ra_buf_release(&who);
}

void ra_pm_span_text(struct ra_buf *out, int64_t seconds)
{
    int64_t d = seconds / 86400, h = seconds % 86400 / 3600, min = seconds % 3600 / 60;

    ra_buf_truncate(out, 0);
    if (seconds < 0)
        return;
    if (seconds < 60) {
        ra_buf_printf(out, "%lld s", (long long)seconds);
        return;
    }
    if (d)
        ra_buf_printf(out, "%lld d", (long long)d);
    if (h)
        ra_buf_printf(out, "%s%lld h", out->len ? " " : "", (long long)h);
    if (min)
        ra_buf_printf(out, "%s%lld min", out->len ? " " : "", (long long)min);
}

json_t *ra_pm_span(ra_time a, ra_time b)
{
    int64_t s = ra_postmortem_span(a, b);
    struct ra_buf txt = RA_BUF_INIT;
    json_t *o;

    if (s < 0)
        return json_null();
    ra_pm_span_text(&txt, s);
    o = json_pack("{s:I,s:o}", "seconds", (json_int_t)s, "text", ra_json_str(txt.ptr));
    ra_buf_release(&txt);
    return o;
}

const char *ra_pm_member(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

int ra_pm_listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    const char *p;

    for (p = list; p && (p = strstr(p, name)); p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
            return 1;
    return 0;
}

void ra_pm_short_digests(struct ra_buf *out, const char *text)
{
    const char *p = text, *hit;

    ra_buf_truncate(out, 0);
    while ((hit = strstr(p, "sha256:"))) {
        size_t n = 0;
        while (n < 64 && ((hit[7 + n] >= '0' && hit[7 + n] <= '9') ||
                          (hit[7 + n] >= 'a' && hit[7 + n] <= 'f')))
            n++;
        ra_buf_printf(out, "%.*s", (int)(hit - p) + 7 + (n == 64 ? 12 : (int)n), p);
        p = hit + 7 + n;
    }
    ra_buf_puts(out, p);
}
