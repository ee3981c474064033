/* SPDX-License-Identifier: MIT */
/* The post-mortem model: root cause and the losses. */
#include "report/pm_internal.h"

#include "analysis/investigate.h"
#include "analysis/postmortem.h"
#include "config/jobs/jobs.h"
#include "config/sched/schedule.h"
#include "report/json.h"
#include "util/text.h"

static const char *class_name(unsigned classes);

static const char *firing_kind(const struct ra_firing *f)
{
    return f->api_delete ? "api-delete" : class_name(f->classes);
}

static const char *class_name(unsigned classes)
{
    return ra_job_class_name(classes & RA_JOB_GARBAGE_COLLECT ? RA_JOB_GARBAGE_COLLECT
                             : classes & RA_JOB_TAG_PRUNE     ? RA_JOB_TAG_PRUNE
                             : classes & RA_JOB_BACKUP        ? RA_JOB_BACKUP
                             : classes & RA_JOB_PROBE         ? RA_JOB_PROBE
                                                              : RA_JOB_OTHER);
}

/* The reason without what the row's Job and Defined in cells already say: "registry
 * garbage-collect (path:8 @ a1e4…) ran in the window …" -> "Ran in the window …". */
static json_t *reason_short(struct ra_buf *tmp, const struct ra_firing *f,
                            const char *reason)
{
    size_t n = f->job_name ? strlen(f->job_name) : 0;
    const char *ran;

    if (!reason || !n || strncmp(reason, f->job_name, n) || reason[n] != ' ' ||
        reason[n + 1] != '(' || !(ran = strstr(reason + n, ") ran ")))
        return ra_json_str(reason);
    ra_buf_truncate(tmp, 0);
    ra_buf_printf(tmp, "R%s", ran + 3);
    return ra_json_str(tmp->ptr);
}

/* Suspects across losses, one per firing, best first. */
static json_t *suspects_json(struct ra_pm_model *m)
{
    const struct ra_postmortem *pm = m->pm;
    json_t *a = json_array();
    size_t i;

    for (i = 0; i < pm->nsuspects; i++) {
        const struct ra_pm_suspect *s = &pm->suspects[i];
        const struct ra_firing *f = s->firing;
        json_t *o;
        o = json_pack(
            "{s:I,s:o,s:o,s:s,s:o,s:o,s:o,s:s,s:o,s:I,s:b,s:o}", "rank",
            (json_int_t)(i + 1), "job", ra_json_str(f->job_id), "name",
            ra_json_str(f->job_name), "kind", firing_kind(f), "defined_in",
            ra_json_str(f->defined_in), "commit", ra_json_str(f->commit), "fired_at",
            ra_json_time(f->time), "confidence", ra_confidence_name(s->best), "reason",
            ra_json_str(s->reason), "losses", (json_int_t)s->losses, "delete_untagged",
            f->delete_untagged, "request",
            f->request ? ra_json_log_request(f->request_log, f->request) : json_null());
        json_object_set_new(o, "reason_short", reason_short(&m->tmp, f, s->reason));
        json_array_append_new(a, o);
    }
    return a;
}

static const char *const fp_titles[RA_FP__COUNT] = {
    "Distribution 2.x garbage-collect with --delete-untagged removed the untagged "
    "children of a tagged index",
    "A simulated garbage-collect of the previous snapshot deletes exactly these objects",
    "A tag folder was removed (a script's rm -rf, or a DELETE through the registry API)",
    "A pruned tag's manifest and blobs were garbage-collected afterwards",
    "Blobs of a manifest pushed minutes before a garbage-collect run went missing",
    "Objects went missing in a pattern no garbage collector produces",
    "A garbage-collect log lists the lost objects",
    "A DELETE through the registry API removed them (a logged request, or the trace it "
    "leaves: a tag's folder and its manifest's revision link gone together)",
};

/* A fingerprint's title; the index-children pattern where no run with -m could make
 * it (every such loss has m_abort) does not name that run as its maker. */
static const char *fp_title(const struct ra_correlation *c, enum ra_fingerprint fp)
{
    if (fp == RA_FP_GC_V2_INDEX_CHILDREN && ra_correlation_v2_children(c) == 2)
        return "The pattern of Distribution 2.x garbage-collect with --delete-untagged "
               "on the untagged children of a tagged index, where that run aborts and "
               "could not have made it";
    return fp_titles[fp];
}

/* A match's detail as an example: led by the object it is about when the detail does
 * not name it ("blob sha256:1b199df08fd8: garbage-collect as …, deletes it"). */
static json_t *example_json(struct ra_pm_model *m, const struct ra_loss *l,
                            const char *detail)
{
    char d[RA_DIGEST_STRLEN];

    if (!detail)
        return json_null();
    ra_buf_truncate(&m->tmp, 0);
    if (l && !ra_digest_is_zero(&l->digest) &&
        !strstr(detail, ra_digest_short(d, &l->digest)))
        ra_buf_printf(&m->tmp, "%s %s: ",
                      l->object == RA_OBJ_MANIFEST_LINK ? "the revision link of"
                                                        : ra_object_kind_name(l->object),
                      d);
    ra_buf_puts(&m->tmp, detail);
    return ra_json_str(m->tmp.ptr);
}

static json_t *fingerprints_json(struct ra_pm_model *m)
{
    const struct ra_correlation *c = m->inv->corr;
    size_t counts[RA_FP__COUNT] = {0}, i, j;
    const char *detail[RA_FP__COUNT] = {0};
    const struct ra_loss *of[RA_FP__COUNT] = {0};
    json_t *a = json_array();

    for (i = 0; i < c->causes.len; i++) {
        const struct ra_cause *cause = c->causes.items[i];
        int seen[RA_FP__COUNT] = {0};
        for (j = 0; j < cause->matches.len; j++) {
            const struct ra_match *mt = cause->matches.items[j];
            if (seen[mt->fp]++)
                continue;
            counts[mt->fp]++;
            if (!detail[mt->fp]) {
                detail[mt->fp] = mt->detail;
                of[mt->fp] = cause->loss;
            }
        }
    }
    for (i = 0; i < RA_FP__COUNT; i++)
        if (counts[i])
            json_array_append_new(
                a, json_pack("{s:s,s:s,s:I,s:s,s:o}", "name",
                             ra_fingerprint_name((enum ra_fingerprint)i), "title",
                             fp_title(c, (enum ra_fingerprint)i), "losses",
                             (json_int_t)counts[i], "losses_word",
                             ra_text_plural(counts[i], "object", "objects"), "example",
                             example_json(m, of[i], detail[i])));
    return a;
}

/* Is a DELETE through the registry API among the suspects? */
static int api_delete_suspects(json_t *sus)
{
    size_t i;
    json_t *v;

    json_array_foreach(sus, i, v)
    {
        if (!strcmp(json_string_value(json_object_get(v, "kind")), "api-delete"))
            return 1;
    }
    return 0;
}

/* The config commit that brought in the top suspect's damaging version. */
static json_t *trigger_json(struct ra_pm_model *m)
{
    const struct ra_postmortem *pm = m->pm;
    const struct ra_job_version *v = pm->trigger;
    char id[13], day[RA_TIME_STRLEN];
    json_t *o;

    if (!v)
        return json_null();
    memcpy(id, v->commit->id, 12);
    id[12] = '\0';
    o = json_pack("{s:s,s:s,s:o,s:o,s:o,s:o}", "commit", id, "commit_full", v->commit->id,
                  "time", ra_json_time(v->commit->time), "message",
                  ra_json_str(v->commit->summary), "change", ra_json_str(v->change),
                  "job", ra_json_str(pm->trigger_job->id));
    ra_time_format(day, v->commit->time);
    day[10] = '\0';
    json_object_set_new(o, "date", json_string(day));
    /* the run that met the index first: the trigger; the commit contributed */
    json_object_set_new(o, "run_at",
                        pm->start_firing ? ra_json_time(pm->start_firing->time)
                                         : json_null());
    json_object_set_new(o, "first_run", json_boolean(pm->first_run_since_push));
    ra_buf_truncate(&m->tmp, 0);
    if (pm->index_tag)
        ra_buf_printf(&m->tmp, "%s:%s", pm->index_tag->repository, pm->index_tag->tag);
    json_object_set_new(o, "index_ref", ra_json_str(pm->index_tag ? m->tmp.ptr : NULL));
    json_object_set_new(
        o, "index_platforms",
        json_integer(pm->index_tag ? (json_int_t)pm->index_tag->nplatforms : 0));
    json_object_set_new(
        o, "index_platforms_word",
        json_string(ra_text_plural(pm->index_tag ? pm->index_tag->nplatforms : 0,
                                   "platform", "platforms")));
    json_object_set_new(o, "index_pushed", ra_json_time(pm->index_pushed));
    json_object_set_new(o, "name", ra_json_str(v->job ? v->job->name : NULL));
    json_object_set_new(
        o, "in_period",
        json_boolean(ra_postmortem_in_focus(pm, v->commit->time, RA_TIME_NONE)));
    return o;
}

/* The untagged manifests, in words: "the untagged index sha256:8f68de552910 in
 * infra-ci (pushed 2026-04-06T00:40:12Z)". */
static void roots_text(struct ra_buf *out, const struct ra_bystanders *b)
{
    char d[RA_DIGEST_STRLEN], t[RA_TIME_STRLEN];
    size_t i;

    for (i = 0; i < b->roots.len; i++) {
        const struct ra_bystander_root *r = b->roots.items[i];
        ra_buf_printf(out, "%s%s %s in %s",
                      i == 0                 ? "the untagged "
                      : i + 1 < b->roots.len ? ", the "
                                             : " and the ",
                      r->is_index ? "index" : "manifest", ra_digest_short(d, &r->digest),
                      r->repository);
        if (r->pushed != RA_TIME_NONE)
            ra_buf_printf(out, " (pushed %s)", ra_time_format(t, r->pushed));
    }
}

/* What else went in the first loss's window and breaks no tag, and whose it was. */
static json_t *bystanders_json(struct ra_pm_model *m)
{
    const struct ra_bystanders *b = &m->pm->bystanders;
    struct ra_buf *s = &m->tmp;
    json_t *o;

    if (!b->root || !(b->blobs + b->links + b->unexplained))
        return json_null();
    ra_buf_truncate(s, 0);
    ra_buf_printf(s, "Between %s and %s, ", b->before, b->after);
    if (b->blobs + b->links) {
        ra_buf_printf(s, "%zu %s", b->blobs, ra_text_plural(b->blobs, "blob", "blobs"));
        if (b->manifests)
            ra_buf_printf(s, " (%zu of them %s)", b->manifests,
                          ra_text_plural(b->manifests, "a manifest", "manifests"));
        ra_buf_printf(s, " and %zu revision %s that break no tag went too", b->links,
                      ra_text_plural(b->links, "link", "links"));
        if (b->roots.len) {
            ra_buf_puts(s, ": they belonged to ");
            roots_text(s, b);
            ra_buf_printf(s, ", which no tag pointed at in %s", b->before);
        }
        ra_buf_puts(s, ". Only a snapshot can bring them back.");
    }
    if (b->unexplained)
        ra_buf_printf(s, "%s%zu more %s went that no untagged manifest explains.",
                      b->blobs + b->links ? " " : "", b->unexplained,
                      ra_text_plural(b->unexplained, "object", "objects"));
    o = json_pack("{s:I,s:I,s:I,s:I,s:s}", "blobs", (json_int_t)b->blobs, "manifests",
                  (json_int_t)b->manifests, "links", (json_int_t)b->links, "unexplained",
                  (json_int_t)b->unexplained, "text", s->ptr);
    return o;
}

json_t *ra_pm_root_cause(struct ra_pm_model *m)
{
    json_t *sus = suspects_json(m), *fps = fingerprints_json(m), *o;
    size_t ns = json_array_size(sus);

    o = json_pack("{s:b,s:b,s:o,s:o}", "has_suspects", ns > 0, "has_fingerprints",
                  json_array_size(fps) > 0, "fingerprints", fps, "top",
                  ns ? json_incref(json_array_get(sus, 0)) : json_null());
    json_object_set_new(o, "trigger", trigger_json(m));
    json_object_set_new(o, "bystanders", bystanders_json(m));
    json_object_set_new(o, "has_api_deletes", json_boolean(api_delete_suspects(sus)));
    ra_pm_capped(o, "suspects", json_incref(sus), 10);
    json_object_set_new(o, "suspects_all", sus);
    return o;
}

/* ---- losses ---- */

static json_t *bound_json(const struct ra_bound *b)
{
    return json_pack("{s:o,s:s,s:o}", "time", ra_json_time(b->time), "kind",
                     ra_bound_kind_name(b->kind), "evidence", ra_json_str(b->evidence));
}

json_t *ra_pm_losses(struct ra_pm_model *m)
{
    const struct ra_correlation *c = m->inv->corr;
    json_t *a = json_array();
    size_t i, j;

    for (i = 0; i < c->causes.len; i++) {
        const struct ra_cause *cause = c->causes.items[i];
        const struct ra_loss *l = cause->loss;
        json_t *tags = json_array(), *fps = json_array(), *o;
        for (j = 0; j < l->tags.len; j++)
            json_array_append_new(
                tags, ra_json_str(((const struct ra_loss_tag *)l->tags.items[j])->ref));
        for (j = 0; j < cause->matches.len; j++) {
            const struct ra_match *mt = cause->matches.items[j];
            json_array_append_new(fps, json_pack("{s:s,s:o}", "name",
                                                 ra_fingerprint_name(mt->fp), "detail",
                                                 ra_json_str(mt->detail)));
        }
        o = json_pack(
            "{s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "object",
            ra_object_kind_name(l->object), "root", ra_json_str(ra_pm_root_name(l->root)),
            "repository", l->repository[0] ? ra_json_str(l->repository) : json_null(),
            "digest", ra_json_digest_or_null(&l->digest), "digest_short",
            ra_digest_is_zero(&l->digest) ? json_null()
                                          : ra_json_digest_short(&l->digest),
            "tag", ra_json_str(l->tag_name), "breaks", tags, "from", bound_json(&l->from),
            "to", bound_json(&l->to), "fingerprints", fps);
        json_object_set_new(o, "suspects", json_integer((json_int_t)cause->suspects.len));
        /* the cells: lists joined by ", ", blob data in no one repository */
        ra_buf_truncate(&m->tmp, 0);
        for (j = 0; j < l->tags.len; j++)
            ra_buf_printf(&m->tmp, "%s%s", j ? ", " : "",
                          ((const struct ra_loss_tag *)l->tags.items[j])->ref);
        json_object_set_new(o, "breaks_text",
                            json_string(m->tmp.len ? m->tmp.ptr : "no tag"));
        ra_buf_truncate(&m->tmp, 0);
        for (j = 0; j < cause->matches.len; j++)
            ra_buf_printf(&m->tmp, "%s%s", j ? ", " : "",
                          ra_fingerprint_name(
                              ((const struct ra_match *)cause->matches.items[j])->fp));
        json_object_set_new(o, "fingerprints_text",
                            json_string(m->tmp.len ? m->tmp.ptr : "none"));
        json_object_set_new(o, "repository_text",
                            json_string(l->repository[0]
                                            ? l->repository
                                            : "(blob data: every repository)"));
        json_object_set_new(o, "to_note", ra_json_str(l->to_note));
        json_array_append_new(a, o);
    }
    return a;
}
