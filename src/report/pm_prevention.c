/* SPDX-License-Identifier: MIT */
/* The post-mortem model: prevention and prediction. */
#include "report/pm_internal.h"

#include "analysis/investigate.h"
#include "analysis/postmortem.h"
#include "report/json.h"

/* An action item: P0 stops this incident from happening again or ends it, P1 makes
 * the next one visible or explainable, P2 hardens. The owner is for the operator to
 * fill; the status is open until someone closes it. */
static void item(json_t *a, int priority, const char *title, const char *why)
{
    char p[4];

    snprintf(p, sizeof(p), "P%d", priority);
    json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:i,s:s,s:s,s:[]}", "title", title,
                                       "why", why, "priority", p, "priority_rank",
                                       priority, "owner", RA_PM_OWNER_PLACEHOLDER,
                                       "status", "open", "refs"));
}

/* Upstream issues and pull requests of distribution/distribution that the last item rests
 * on, as links: "issue 3004" -> https://github.com/distribution/distribution/issues/3004.
 */
#define RA_UPSTREAM "https://github.com/distribution/distribution/"

static void upstream(json_t *a, const char *kind, int number)
{
    json_t *refs = json_object_get(json_array_get(a, json_array_size(a) - 1), "refs");
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

/* The items by priority, in the order they were made within one. */
static json_t *by_priority(json_t *a)
{
    json_t *out = json_array(), *v;
    json_int_t p;
    size_t i;

    for (p = 0; p <= 2; p++)
        json_array_foreach(a, i, v)
        {
            if (json_integer_value(json_object_get(v, "priority_rank")) == p)
                json_array_append(out, v);
        }
    json_decref(a);
    return out;
}

/* Does the next garbage-collect break a tag that pulls now? */
static int prediction_breaks(const struct ra_investigation *inv)
{
    size_t i, k;

    for (i = 0; i < inv->predictions.len; i++) {
        const struct ra_prediction *p = inv->predictions.items[i];
        for (k = 0; k < p->after->ntags; k++)
            if (!p->after->tags[k].pullable && p->before->tags[k].pullable)
                return 1;
    }
    return 0;
}

json_t *ra_pm_prevention(struct ra_pm_model *m)
{
    const struct ra_postmortem *c = m->pm;
    json_t *a = json_array();

    if (c->state == RA_PM_ONGOING)
        item(a, 0, "Bring the broken tags back",
             "The newest snapshot still cannot pull them: the Recovery section has the "
             "steps "
             "for each.");
    if (c->v2_children == 1) {
        item(a, 0,
             "Stop running garbage-collect with --delete-untagged on Distribution 2.x, "
             "or move to Distribution 3.x",
             "2.x treats the untagged children of a tagged index as garbage; 3.0 keeps "
             "them. Until then run it without -m.");
        upstream(a, "issues", 3004);
        upstream(a, "issues", 3178);
        upstream(a, "pull", 4285);
    }
    if (ra_postmortem_matched(c, RA_FP_GC_V2_INDEX_CHILDREN) || c->floating_gc)
        item(a, 1,
             "Pin the registry image to an exact version (registry:2.8.3 or a digest)",
             "With a floating tag such as registry:2 nobody can say which garbage "
             "collector "
             "ran; an upgrade changes GC behaviour silently.");
    if (ra_postmortem_matched(c, RA_FP_GC_RACE) ||
        ra_postmortem_matched(c, RA_FP_GC_SWEEP) ||
        ra_postmortem_matched(c, RA_FP_GC_LOG))
        item(a, ra_postmortem_matched(c, RA_FP_GC_RACE) ? 0 : 1,
             "Run garbage-collect in read-only mode, with pushes stopped",
             "GC is not safe while pushes run: blobs uploaded after its mark phase are "
             "swept "
             "(storage.maintenance.readonly.enabled: true during the run).");
    if (ra_postmortem_matched(c, RA_FP_TAG_PRUNE) ||
        ra_postmortem_matched(c, RA_FP_TAG_PRUNE_THEN_GC))
        item(a, 0,
             "Prune tags through the registry API, never by removing folders, and keep "
             "the tags that pipelines use",
             "rm -rf of tag folders leaves the registry's tag history inconsistent and "
             "hands "
             "the manifests to the next garbage-collect.");
    if (ra_postmortem_matched(c, RA_FP_API_DELETE))
        item(a, 0, "Restrict DELETE on the registry and keep its access log",
             "A manifest DELETE removes the folder of every tag that points at it. Allow "
             "it "
             "only to the accounts that must prune (or set storage.delete.enabled: "
             "false), "
             "and keep the registry's log (log.level: info, the access log) where a "
             "post-mortem can read who sent each DELETE and when.");
    if (ra_postmortem_matched(c, RA_FP_LOST_FILES))
        item(a, 2,
             "Verify restores and copies: regautopsy scan --verify after every restore",
             "Objects went missing in a way no garbage collector explains.");
    item(a, 1, "Probe fetchability after every push and on a schedule",
         "skopeo copy --all docker://REGISTRY/IMAGE dir:/tmp/probe pulls every platform; "
         "nothing checked that pushed images stayed pullable.");
    if (prediction_breaks(m->inv)) /* the forecast says what it breaks */
        item(a, 0,
             "Act on the gc-sim prediction below before the next scheduled "
             "garbage-collect",
             "regautopsy gc-sim on the newest snapshot says what that run will delete.");
    return by_priority(a);
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
    return o;
}
