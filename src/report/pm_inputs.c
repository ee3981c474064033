/* SPDX-License-Identifier: MIT */
/* The post-mortem model: inputs. */
#include "report/pm_internal.h"

#include "analysis/investigate.h"
#include "analysis/logs.h"
#include "config/sched/schedule.h"
#include "report/json.h"
#include "util/buf.h"

static json_t *config_json(const struct ra_schedule *s)
{
    char head[13];

    if (!s)
        return json_null();
    memcpy(head, s->head, 12);
    head[12] = '\0';
    return json_pack("{s:o,s:s,s:s,s:b,s:I,s:I}", "repo", ra_json_str(s->path), "commit",
                     head, "commit_full", s->head, "shallow", s->shallow, "commits",
                     (json_int_t)s->commits.len, "jobs", (json_int_t)s->jobs.len);
}

/* One snapshot given: read whole (its scan), in part for bisect, or skipped. */
static json_t *snapshot_json(const struct ra_snap_read *r)
{
    const struct ra_snapshot *s = r->scan ? r->scan->snap : NULL;
    const char *why = NULL;
    int trusted = s && ra_snapshot_mtimes_trusted(s, &why);
    char text[48];

    if (r->how == RA_READ_PART)
        snprintf(text, sizeof(text), "%llu paths", (unsigned long long)r->entries);
    else
        snprintf(text, sizeof(text), "%s", ra_read_how_name(r->how));
    if (!s)
        return json_pack("{s:o,s:n,s:o,s:s,s:n,s:n,s:n,s:n,s:n,s:s,s:I,s:s,s:b}", "name",
                         ra_json_str(r->name), "source", "taken_at",
                         ra_json_time(r->taken_at), "taken_at_source",
                         ra_taken_source_name(r->taken_source), "complete", "entries",
                         "registries", "mtimes_trusted", "mtimes_note", "read",
                         ra_read_how_name(r->how), "paths_read", (json_int_t)r->entries,
                         "read_text", text, "whole", 0);
    return json_pack("{s:o,s:o,s:o,s:s,s:b,s:I,s:I,s:b,s:o,s:s,s:I,s:s,s:b}", "name",
                     ra_json_str(s->name), "source", ra_json_str(s->source), "taken_at",
                     ra_json_time(s->taken_at), "taken_at_source",
                     ra_taken_source_name(s->taken_source), "complete", s->complete,
                     "entries", (json_int_t)s->entries, "registries",
                     (json_int_t)r->scan->nregs, "mtimes_trusted", trusted, "mtimes_note",
                     ra_json_str(why), "read", "whole", "paths_read", (json_int_t)0,
                     "read_text", text, "whole", 1);
}

/* How many snapshots were read whole, in part and skipped, and one sentence. */
static json_t *reading_json(const struct ra_investigation *inv)
{
    size_t count[3] = {0, 0, 0}, i;
    struct ra_buf b = RA_BUF_INIT;
    json_t *out;

    for (i = 0; i < inv->nreads; i++)
        count[inv->reads[i].how]++;
    if (!inv->nreads) /* an investigation made by hand */
        count[RA_READ_WHOLE] = inv->nscans;
    if (inv->picked)
        ra_buf_printf(
            &b,
            "Of %zu snapshots, %zu %s read whole (the oldest, the newest and the two "
            "that bracket each loss: the windows, fingerprints and timeline come from "
            "them), %zu only in part (bisect: the paths the %zu %s lost in the newest "
            "need) and %zu skipped; --all-snapshots reads every one.",
            inv->nreads, count[RA_READ_WHOLE], count[RA_READ_WHOLE] == 1 ? "was" : "were",
            count[RA_READ_PART], inv->pick_objects,
            inv->pick_objects == 1 ? "object" : "objects", count[RA_READ_SKIPPED]);
    out = json_pack("{s:b,s:I,s:I,s:I,s:I,s:o}", "picked", inv->picked, "given",
                    (json_int_t)(inv->nreads ? inv->nreads : inv->nscans), "whole",
                    (json_int_t)count[RA_READ_WHOLE], "part",
                    (json_int_t)count[RA_READ_PART], "skipped",
                    (json_int_t)count[RA_READ_SKIPPED], "text",
                    inv->picked ? json_string(b.ptr) : json_null());
    ra_buf_release(&b);
    return out;
}

json_t *ra_pm_inputs(struct ra_pm_model *m)
{
    const struct ra_investigation *inv = m->inv;
    json_t *snaps = json_array(), *logs = json_array();
    size_t i;

    for (i = 0; i < inv->nreads; i++)
        json_array_append_new(snaps, snapshot_json(&inv->reads[i]));
    for (i = 0; !inv->nreads && i < inv->nscans;
         i++) { /* an investigation made by hand */
        struct ra_snap_read r = {0};
        r.scan = inv->scans[i];
        json_array_append_new(snaps, snapshot_json(&r));
    }
    for (i = 0; i < inv->nlogs; i++) {
        const struct ra_log *l = inv->logs[i];
        json_array_append_new(
            logs, json_pack("{s:o,s:s,s:I,s:I}", "path", ra_json_str(l->path), "format",
                            ra_log_format_name(l->format), "lines", (json_int_t)l->lines,
                            "events", (json_int_t)l->events.len));
    }
    return json_pack("{s:o,s:o,s:o,s:b,s:b,s:b,s:o}", "snapshots", snaps, "reading",
                     reading_json(inv), "logs", logs, "picked", inv->picked, "has_logs",
                     inv->nlogs > 0, "has_config", inv->schedule != NULL, "config",
                     config_json(inv->schedule));
}
