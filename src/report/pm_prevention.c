/* SPDX-License-Identifier: MIT */
/* The post-mortem model: prevention and prediction. */
#include "report/pm_internal.h"

#include "analysis/actions.h"
#include "analysis/investigate.h"
#include "analysis/postmortem.h"
#include "config/sched/schedule.h"
#include "report/json.h"
#include "report/pm_story.h"
#include "util/text.h"

/* The wording of each action item (analysis/actions.h decides which, their priority,
 * and which the config repository already fulfils). */
static const struct {
    const char *title, *why;
} texts[RA_ACT__COUNT] = {
    [RA_ACT_BRING_BACK] = {"Bring the broken tags back",
                           "The newest snapshot still cannot pull them: the Recovery "
                           "section has the steps for each."},
    [RA_ACT_STOP_GC_UNTAGGED] = {"Stop running garbage-collect with --delete-untagged on "
                                 "Distribution 2.x, or move to Distribution 3.x",
                                 "2.x treats the untagged children of a tagged index as "
                                 "garbage; 3.0 keeps them."},
    [RA_ACT_PIN_IMAGE] =
        {"Pin the registry image to an exact version (registry:2.8.3 or a "
         "digest)",
         "With a floating tag such as registry:2 nobody can say which "
         "garbage collector ran; an upgrade changes GC behaviour "
         "silently."},
    [RA_ACT_GC_READONLY] =
        {"Run garbage-collect in read-only mode "
         "(storage.maintenance.readonly.enabled: true during the run), with pushes "
         "stopped",
         "GC is not safe while pushes run: blobs uploaded after its mark "
         "phase are swept."},
    [RA_ACT_PRUNE_API] =
        {"Prune tags through the registry API, never by removing folders, "
         "and keep the tags that pipelines use",
         "rm -rf of tag folders leaves the registry's tag history "
         "inconsistent and hands the manifests to the next "
         "garbage-collect."},
    [RA_ACT_RESTRICT_DELETE] =
        {"Restrict DELETE on the registry and keep its access log",
         "A manifest DELETE removes the folder of every tag that "
         "points at it. Allow it only to the accounts that must "
         "prune (or set storage.delete.enabled: false), and keep the "
         "registry's log (log.level: info, the access log) where a "
         "post-mortem can read who sent each DELETE and when."},
    [RA_ACT_VERIFY_RESTORES] =
        {"Verify restores and copies: regautopsy scan --verify after "
         "every restore",
         "Objects went missing in a way no garbage collector "
         "explains."},
    [RA_ACT_PROBE] =
        {"Probe fetchability after every push and on a schedule",
         "skopeo copy --all docker://REGISTRY/IMAGE dir:/tmp/probe pulls every "
         "platform; nothing checked that pushed images stayed pullable."},
    [RA_ACT_ACT_ON_FORECAST] = {"Act on the gc-sim prediction below before the next "
                                "scheduled garbage-collect",
                                "regautopsy gc-sim on the newest snapshot says what that "
                                "run will delete."},
};

/* Upstream issues and pull requests of distribution/distribution that an item rests
 * on, as links: "issue 3004" -> https://github.com/distribution/distribution/issues/3004.
 */
#define RA_UPSTREAM "https://github.com/distribution/distribution/"

static void upstream(json_t *refs, const char *kind, int number)
{
    struct ra_buf b = RA_BUF_INIT;
    size_t n = json_array_size(refs);
    json_t *r;

    ra_buf_printf(&b, "%s %d", kind[0] == 'p' ? "PR" : "issue", number);
    r = json_pack("{s:s,s:b}", "text", b.ptr, "first", n == 0);
    ra_buf_truncate(&b, 0);
    ra_buf_printf(&b, RA_UPSTREAM "%s/%d", kind, number);
    json_object_set_new(r, "url", json_string(b.ptr));
    json_array_append_new(refs, r);
    ra_buf_release(&b);
}

/* The status of an item the config fulfils: the commit is all the evidence shows, not
 * that it was deployed; said to come after the damaging job's later run when it did. */
static json_t *done_text(struct ra_pm_model *m, const struct ra_commit_info *c)
{
    const struct ra_recurrence *r = &m->pm->recurrence;
    char day[RA_TIME_STRLEN], again[RA_TIME_STRLEN];
    json_t *o;

    ra_time_format(day, c->time);
    day[10] = '\0';
    ra_buf_truncate(&m->tmp, 0);
    ra_buf_printf(&m->tmp, "committed in %.12s (%s)", c->id, day);
    if (r->next && c->time > r->next->time) {
        ra_time_format(again, r->next->time);
        again[10] = '\0';
        ra_buf_printf(&m->tmp, ", after %s ran again on %s", r->next->job_name, again);
    }
    ra_buf_puts(&m->tmp, "; deployment not verified by the evidence");
    o = ra_json_str(m->tmp.ptr);
    return o;
}

/* An item: the owner is for the operator to fill; the status is open until the config
 * repository is seen to fulfil it ("done_by": the commit). */
static json_t *item_json(struct ra_pm_model *m, const struct ra_action *a)
{
    char p[4];
    json_t *o, *refs = json_array();

    snprintf(p, sizeof(p), "P%d", a->priority);
    if (a->kind == RA_ACT_STOP_GC_UNTAGGED) {
        upstream(refs, "issues", 3004);
        upstream(refs, "issues", 3178);
        upstream(refs, "pull", 4285);
    }
    o = json_pack("{s:s,s:s,s:s,s:s,s:i,s:s,s:s,s:o}", "kind",
                  ra_action_kind_name(a->kind), "title", texts[a->kind].title, "why",
                  texts[a->kind].why, "priority", p, "priority_rank", a->priority,
                  "owner", RA_PM_OWNER_PLACEHOLDER, "status",
                  a->done_by ? "done" : "open", "refs", refs);
    if (a->done_by) {
        json_object_set_new(o, "done_by", ra_pm_commit_text(a->done_by));
        json_object_set_new(o, "done_text", done_text(m, a->done_by));
    }
    return o;
}

json_t *ra_pm_prevention(struct ra_pm_model *m)
{
    struct ra_action acts[RA_ACT__COUNT];
    size_t n = ra_actions_decide(acts, m->pm, m->inv), i;
    json_t *a = json_array();

    for (i = 0; i < n; i++)
        json_array_append_new(a, item_json(m, &acts[i]));
    return a;
}

/* ---- prediction ---- */

json_t *ra_pm_prediction(struct ra_pm_model *m)
{
    const struct ra_investigation *inv = m->inv;
    const struct ra_prediction *p0;
    json_t *breaks, *o;
    size_t i, k, bytes = 0, blobs = 0;
    const char *aborted = NULL;

    if (!inv->predictions.len)
        return json_null();
    p0 = inv->predictions.items[0];
    breaks = json_array();
    for (i = 0; i < inv->predictions.len; i++) {
        const struct ra_prediction *p = inv->predictions.items[i];
        blobs += p->result->blobs.len;
        bytes += p->result->bytes;
        if (!aborted)
            aborted = p->result->aborted;
        for (k = 0; k < p->after->ntags; k++) {
            const struct ra_tag_result *t = &p->after->tags[k];
            if (t->pullable || !p->before->tags[k].pullable)
                continue;
            json_array_append_new(
                breaks, json_pack("{s:o,s:o,s:o,s:s}", "root",
                                  ra_json_str(ra_pm_root_name(p->root)), "repository",
                                  ra_json_str(t->repository), "tag", ra_json_str(t->tag),
                                  "reason", ra_finding_code_name(t->reason)));
        }
    }
    o = json_pack(
        "{s:o,s:o,s:o,s:s,s:b,s:I,s:I,s:b,s:o}", "job", ra_json_str(p0->firing->job_id),
        "name", ra_json_str(p0->firing->job_name), "fires_at",
        ra_json_time(p0->firing->time), "distribution",
        p0->gc.version == RA_GC_V3 ? "3" : "2.8", "delete_untagged",
        p0->gc.delete_untagged, "blobs", (json_int_t)blobs, "bytes", (json_int_t)bytes,
        "has_breaks", json_array_size(breaks) > 0, "breaks", breaks);
    json_object_set_new(o, "aborted", ra_json_str(aborted));
    json_object_set_new(o, "head_config", json_boolean(p0->head_config));
    json_object_set_new(o, "blobs_word",
                        json_string(ra_text_plural(blobs, "blob", "blobs")));
    return o;
}
