/* SPDX-License-Identifier: MIT */
/* Fuzz target: the log readers (analysis/logs) through ra_log_read_stream. Input: a
 * byte choosing the reader's chunk size (0: as much as asked, else 1-255 bytes, so that
 * lines and JSON split anywhere) and the default time, then the log. Checks: the
 * documented return codes, an error message on failure, events sorted by (time, line)
 * with every string readable, and the queries on the events found. */
#include "fuzz.h"

#include <string.h>

#include "analysis/logs.h"

#define QUERIES 16

struct input {
    const uint8_t *p;
    size_t left, chunk;
};

static int reader(void *buf, size_t len, size_t *nread, void *payload, struct ra_err *err)
{
    struct input *in = payload;
    size_t n = len < in->left ? len : in->left;

    (void)err;
    if (in->chunk && n > in->chunk)
        n = in->chunk;
    memcpy(buf, in->p, n);
    in->p += n;
    in->left -= n;
    *nread = n;
    return 0;
}

static size_t touch(const char *s)
{
    FUZZ_CHECK(s != NULL);
    return strlen(s);
}

static size_t touch_event(const struct ra_log_event *ev)
{
    size_t sum = touch(ev->repository) + touch(ev->method) + touch(ev->uri) +
                 touch(ev->reference) + touch(ev->error_code) + touch(ev->request_id) +
                 touch(ev->user_agent) + touch(ev->level) + touch(ev->message) +
                 touch(ra_log_kind_name(ev->kind)) +
                 touch(ra_log_format_name(ev->format)) +
                 touch(ra_log_object_name(ev->object));
    size_t i;

    FUZZ_CHECK((ev->gc != NULL) ==
               (ev->kind >= RA_LOG_GC_REPOSITORY && ev->kind <= RA_LOG_GC_ERROR));
    FUZZ_CHECK((ev->pipeline != NULL) == (ev->kind == RA_LOG_PIPELINE));
    if (ev->gc) {
        sum += touch(ev->gc->path) + touch(ev->gc->tag);
        for (i = 0; i < ev->gc->ntags; i++)
            sum += touch(ev->gc->tags[i]);
    }
    if (ev->pipeline) {
        const struct ra_log_pipeline *pl = ev->pipeline;
        sum += touch(pl->status) + touch(pl->event) + touch(pl->branch) +
               touch(pl->commit) + touch(pl->ref) + touch(pl->message) +
               touch(pl->sender);
        for (i = 0; i < pl->nsteps; i++)
            sum += touch(pl->steps[i].workflow) + touch(pl->steps[i].name) +
                   touch(pl->steps[i].state) + touch(pl->steps[i].error);
    }
    return sum;
}

static void query(const struct ra_log *log, const struct ra_log_event *ev)
{
    struct ra_vec sel = RA_VEC_INIT;

    if (ev->has_digest) {
        (void)ra_log_first_status(log, &ev->digest, NULL, 404);
        (void)ra_log_first_status(log, &ev->digest, ev->repository, ev->status);
        FUZZ_CHECK(ra_log_find(log, ev->kind, &ev->digest) != NULL);
    }
    FUZZ_CHECK(ra_log_select(&sel, log, ev->kind, ev->time, ev->time) > 0 ||
               ev->time == RA_TIME_NONE);
    (void)ra_log_select(&sel, log, ev->kind, RA_TIME_NONE, RA_TIME_NONE);
    (void)ra_log_failed_pipelines(&sel, log, RA_TIME_NONE, ev->time);
    (void)ra_log_pipeline_failed(ev);
    ra_vec_release(&sel);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ra_err err = RA_ERR_INIT;
    struct ra_log *log = NULL;
    struct input in;
    volatile size_t sum = 0;
    const struct ra_log_event *ev, *prev = NULL;
    ra_time def;
    size_t i;
    int rc;

    if (size < 1)
        return 0;
    in.chunk = data[0];
    in.p = data + 1;
    in.left = size - 1;
    def = (data[0] & 1) ? RA_TIME_NONE : 1775964300; /* 2026-04-12T03:25:00Z */

    rc = ra_log_read_stream(&log, "fuzz.log", def, reader, &in, &err);
    if (rc < 0) {
        FUZZ_CHECK(rc == RA_EFORMAT || rc == RA_ELIMIT);
        FUZZ_CHECK(log == NULL && err.code == rc && err.msg[0] != '\0');
        return 0;
    }
    FUZZ_CHECK(log != NULL && log->format < RA_LOG_FORMAT__COUNT);
    for (i = 0; i < log->events.len; i++) {
        ev = log->events.items[i];
        FUZZ_CHECK(ev->kind < RA_LOG_KIND__COUNT && ev->line >= 1 &&
                   ev->line <= log->lines);
        FUZZ_CHECK(!prev || prev->time < ev->time ||
                   (prev->time == ev->time && prev->line <= ev->line));
        sum += touch_event(ev);
        if (i < QUERIES)
            query(log, ev);
        prev = ev;
    }
    (void)sum;
    ra_log_free(log);
    return 0;
}
