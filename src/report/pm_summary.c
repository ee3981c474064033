/* SPDX-License-Identifier: MIT */
/* The post-mortem model: title and summary. */
#include "report/pm_internal.h"

#include "analysis/investigate.h"
#include "analysis/postmortem.h"
#include "config/sched/schedule.h"

/* The top suspect is a DELETE through the registry API: cite the log line, or say that
 * nothing tells it apart from a script. Returns 0 for another kind. */
static int api_delete_summary(struct ra_buf *out, json_t *top)
{
    json_t *req = json_object_get(top, "request");

    if (strcmp(ra_pm_member(top, "kind"), "api-delete"))
        return 0;
    if (!req || json_is_null(req)) {
        ra_buf_printf(out,
                      "The storage shows the trace of a DELETE through the registry API "
                      "(a tag's folder and its manifest's revision link gone together, "
                      "or a _layers link gone while its blob stays, and no "
                      "garbage-collect explains it); a script that removed the same "
                      "files leaves the same trace, and without the registry's log the "
                      "two cannot be told apart (confidence %s).",
                      ra_pm_member(top, "confidence"));
        return 1;
    }
    ra_buf_printf(out,
                  "The most likely cause is a DELETE through the registry API: %s "
                  "records %s answered %lld at %s (from %s, user %s) (confidence %s).",
                  ra_pm_member(top, "defined_in"), ra_pm_member(top, "name"),
                  (long long)json_integer_value(json_object_get(req, "status")),
                  ra_pm_member(top, "fired_at"),
                  json_is_string(json_object_get(req, "remote_addr"))
                      ? ra_pm_member(req, "remote_addr")
                      : "an address not logged",
                  json_is_string(json_object_get(req, "user")) ? ra_pm_member(req, "user")
                                                               : "not logged",
                  ra_pm_member(top, "confidence"));
    return 1;
}

/* How it ended: repaired (when, how long after the start, by what), or not. */
static void outcome(struct ra_pm_model *m, struct ra_buf *out)
{
    const struct ra_postmortem *pm = m->pm;
    struct ra_buf span = RA_BUF_INIT;
    char t[RA_TIME_STRLEN];

    if (pm->state == RA_PM_ONGOING) {
        ra_buf_puts(out, " It is not repaired in the evidence.");
        return;
    }
    if (pm->state != RA_PM_REPAIRED)
        return;
    if (!pm->repaired_in && pm->rebuilt.event)
        ra_buf_printf(out, " Pulls worked again from %s",
                      ra_time_format(t, pm->repaired_at));
    else
        ra_buf_printf(out, " It was repaired at %s", ra_time_format(t, pm->repaired_at));
    if (!pm->repaired_in && pm->rebuilt.event) {
        ra_pm_pipeline_words(&m->tmp, &pm->rebuilt);
        ra_buf_printf(out, ", when %s rebuilt and pushed %s", m->tmp.ptr,
                      pm->rebuilt_ref);
    } else if (pm->repaired_in) {
        ra_buf_printf(out, " (snapshot %s)", pm->repaired_in->snap->name);
    }
    ra_pm_span_text(&span, ra_postmortem_outage(pm));
    if (span.len) {
        ra_buf_printf(out, ": an outage of %s from the first failure", span.ptr);
        ra_pm_span_text(&span, ra_postmortem_latent(pm));
        if (span.len)
            ra_buf_printf(out, ", after the damage had lain unnoticed for %s", span.ptr);
    } else {
        ra_pm_span_text(&span, ra_postmortem_span(pm->start, pm->repaired_at));
        if (span.len)
            ra_buf_printf(out, ", %s after it began", span.ptr);
    }
    ra_buf_putc(out, '.');
    ra_buf_release(&span);
}

/* The damaging job ran again, unchanged, inside the period. */
static void recurrence(struct ra_pm_model *m, struct ra_buf *out)
{
    const struct ra_recurrence *r = &m->pm->recurrence;
    char t[RA_TIME_STRLEN], day[RA_TIME_STRLEN];

    if (!r->next)
        return;
    ra_buf_printf(out,
                  " %s, %s, ran again, unchanged, at %s, inside this report's period",
                  m->pm->state == RA_PM_REPAIRED ? "But the same job" : "The same job",
                  r->next->job_name, ra_time_format(t, r->next->time));
    if (r->fixed) {
        ra_time_format(day, r->fixed->commit->time);
        day[10] = '\0';
        ra_buf_printf(out, ", before the config changed it on %s (%.12s)", day,
                      r->fixed->commit->id);
    }
    ra_buf_puts(out, r->covered ? "." : "; the evidence ends before that run.");
}

void ra_pm_summary_text(struct ra_pm_model *m, struct ra_buf *out, json_t *impact,
                        json_t *cause)
{
    const struct ra_investigation *inv = m->inv;
    json_t *broken = json_object_get(impact, "broken_all"),
           *top = json_object_get(cause, "top");
    size_t nb = json_array_size(broken), i, nl = inv->losses->items.len;
    char t1[RA_TIME_STRLEN], t2[RA_TIME_STRLEN];
    ra_time from = m->pm->loss_from, to = m->pm->loss_to;

    if (!nb && !nl) {
        ra_buf_printf(
            out,
            "Every tag in the %zu snapshot%s examined can be pulled, and nothing a "
            "tag needs went missing between them.",
            inv->nscans, inv->nscans == 1 ? "" : "s");
        return;
    }
    if (nb == 1 &&
        json_is_true(json_object_get(json_array_get(broken, 0), "all_platforms"))) {
        json_t *t = json_array_get(broken, 0);
        ra_buf_printf(out, "%s:%s %s on any platform (%s). ",
                      json_string_value(json_object_get(t, "repository")),
                      json_string_value(json_object_get(t, "tag")),
                      m->pm->state == RA_PM_REPAIRED && !m->pm->repaired_in
                          ? "could not be pulled"
                          : "cannot be pulled in the newest snapshot",
                      json_string_value(json_object_get(t, "platforms_text")));
    } else if (nb) {
        ra_buf_printf(out, "%zu tag%s cannot be pulled%s: ", nb, nb == 1 ? "" : "s",
                      m->pm->state == RA_PM_REPAIRED && !m->pm->repaired_in
                          ? " in the newest snapshot, taken before the repair"
                          : "");
        for (i = 0; i < nb && i < 5; i++) {
            json_t *t = json_array_get(broken, i);
            ra_buf_printf(out, "%s%s:%s (%s)", i ? ", " : "",
                          json_string_value(json_object_get(t, "repository")),
                          json_string_value(json_object_get(t, "tag")),
                          json_string_value(json_object_get(t, "platforms_text")));
        }
        ra_buf_puts(out, nb > 5 ? " and more. " : ". ");
    }
    if (nl) {
        ra_buf_printf(out, "%zu object%s that %s need%s went missing", nl,
                      nl == 1 ? "" : "s", nb == 1 ? "it" : "they", nb == 1 ? "s" : "");
        if (from != RA_TIME_NONE && to != RA_TIME_NONE)
            ra_buf_printf(out, " between %s and %s", ra_time_format(t1, from),
                          ra_time_format(t2, to));
        else if (to != RA_TIME_NONE)
            ra_buf_printf(out, " before %s", ra_time_format(t2, to));
        ra_buf_puts(out, ". ");
    }
    if (m->pm->v2_children == 1)
        ra_buf_puts(out,
                    "The losses have the fingerprint of Distribution 2.x garbage-collect "
                    "with --delete-untagged, which deletes the untagged children of a "
                    "tagged index: the tag still resolves, but its platforms' manifests "
                    "and blobs are gone, so every pull fails. ");
    else if (m->pm->v2_children == 2)
        ra_buf_puts(out,
                    "The losses look like the work of Distribution 2.x garbage-collect "
                    "with --delete-untagged on the untagged children of a tagged index, "
                    "but that run aborts on an entry of a tags folder it cannot read "
                    "(NAS metadata such as @eaDir) that the snapshots on both sides of "
                    "them hold, so it could not have run: "
                    "something else removed the children's revision links (a DELETE "
                    "through the registry API, or a hand), and a garbage-collect "
                    "without --delete-untagged sweeps their blobs. ");
    else if (ra_correlation_lost_files_alone(inv->corr))
        ra_buf_puts(out, "No garbage collector explains the pattern: files were lost (a "
                         "partial restore, a copy, a disk or hands). ");
    if (top && !json_is_null(top) && api_delete_summary(out, top))
        ;
    else if (top && !json_is_null(top)) {
        const char *commit = json_string_value(json_object_get(top, "commit"));
        ra_buf_printf(
            out, "The most likely cause is %s (%s%s%s), which ran at %s (confidence %s).",
            json_string_value(json_object_get(top, "name")),
            json_string_value(json_object_get(top, "defined_in")), commit ? " @ " : "",
            commit ? commit : "", json_string_value(json_object_get(top, "fired_at")),
            json_string_value(json_object_get(top, "confidence")));
    } else if (nl && inv->schedule)
        ra_buf_puts(out, "No scheduled job in the config repository ran inside the loss "
                         "window.");
    else if (nl)
        ra_buf_puts(out,
                    "No scheduled job in the evidence ran inside the loss window; give "
                    "the config repo (--config) to name suspects.");
    if (top && !json_is_null(top) && strcmp(ra_pm_member(top, "kind"), "api-delete") &&
        ra_correlation_unlogged_delete(inv->corr))
        ra_buf_puts(out,
                    " A DELETE through the registry API leaves the same trace in "
                    "storage as a script that removes tag folders and revision links; "
                    "without the registry's log the two cannot be told apart.");
    outcome(m, out);
    recurrence(m, out);
}

void ra_pm_default_title(struct ra_buf *out, json_t *impact)
{
    json_t *broken = json_object_get(impact, "broken_all"), *t;
    size_t n = json_array_size(broken);

    if (!n) {
        ra_buf_puts(out, "Registry post-mortem");
        return;
    }
    t = json_array_get(broken, 0);
    ra_buf_printf(out, "%s:%s cannot be pulled",
                  json_string_value(json_object_get(t, "repository")),
                  json_string_value(json_object_get(t, "tag")));
    if (n > 1)
        ra_buf_printf(out, " (and %zu more tag%s)", n - 1, n > 2 ? "s" : "");
}
