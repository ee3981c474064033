/* SPDX-License-Identifier: MIT */
/* The post-mortem model: appendix. */
#include "report/pm_internal.h"

#include "analysis/investigate.h"
#include "config/jobs/jobs.h"
#include "config/sched/schedule.h"
#include "report/json.h"
#include "report/pm_story.h"
#include "util/text.h"

static json_t *findings_json(struct ra_pm_model *m)
{
    json_t *a = json_array();
    size_t i, j;

    for (i = 0; m->newest && i < m->newest->nregs; i++) {
        const struct ra_registry_result *r = m->newest->regs[i];
        for (j = 0; j < r->findings.items.len; j++) {
            const struct ra_finding *f = r->findings.items.items[j];
            json_array_append_new(
                a, json_pack(
                       "{s:s,s:s,s:o,s:o,s:o,s:o,s:o}", "severity",
                       ra_severity_name(f->severity), "code",
                       ra_finding_code_name(f->code), "repository",
                       f->repository[0] ? ra_json_str(f->repository) : json_null(), "tag",
                       f->tag[0] ? ra_json_str(f->tag) : json_null(), "digest",
                       f->has_digest ? ra_json_digest_or_null(&f->digest) : json_null(),
                       "path", f->path[0] ? ra_json_str(f->path) : json_null(), "message",
                       ra_json_str(f->message)));
        }
    }
    for (i = 0; m->newest && i < m->newest->findings.items.len; i++) {
        const struct ra_finding *f = m->newest->findings.items.items[i];
        json_array_append_new(a, json_pack("{s:s,s:s,s:n,s:n,s:n,s:o,s:o}", "severity",
                                           ra_severity_name(f->severity), "code",
                                           ra_finding_code_name(f->code), "repository",
                                           "tag", "digest", "path", ra_json_str(f->path),
                                           "message", ra_json_str(f->message)));
    }
    return a;
}

/* The rows of the findings table: findings that differ only in their digest and message
 * (the list is sorted by severity, code, repository, tag) fold into one row with a
 * count, the first one's message as the example. */
static json_t *findings_folded(json_t *all)
{
    json_t *a = json_array(), *row = NULL, *f;
    const char *keys[] = {"severity", "code", "repository", "tag"};
    struct ra_buf b = RA_BUF_INIT;
    size_t i, k;

    json_array_foreach(all, i, f)
    {
        for (k = 0; row && k < 4; k++)
            if (!json_equal(json_object_get(row, keys[k]), json_object_get(f, keys[k])))
                break;
        if (row && k == 4) {
            json_object_set_new(
                row, "count",
                json_integer(json_integer_value(json_object_get(row, "count")) + 1));
            continue;
        }
        row = json_deep_copy(f);
        json_object_set_new(row, "count", json_integer(1));
        ra_pm_short_digests(&b, ra_pm_member(f, "message"));
        json_object_set_new(row, "message_short", json_string(b.ptr));
        json_array_append_new(a, row);
    }
    ra_buf_release(&b);
    return a;
}

/* The zone a job without its own runs in: the host's clock for host schedulers, the
 * controller's for a cluster's, UTC for the others (config/sched reads them so). */
static const char *zone_default(const struct ra_job *job)
{
    switch (job->def) {
    case RA_JOBDEF_CRONTAB:
    case RA_JOBDEF_CROND:
    case RA_JOBDEF_RUNPARTS:
    case RA_JOBDEF_ANSIBLE:
    case RA_JOBDEF_SYSTEMD:
    case RA_JOBDEF_OFELIA:
        return "host clock";
    case RA_JOBDEF_KUBERNETES:
    case RA_JOBDEF_TERRAFORM:
        return "the cluster's";
    default:
        return "UTC";
    }
}

static json_t *inventory_json(struct ra_pm_model *m)
{
    json_t *a = json_array();
    size_t i, j;

    for (i = 0; i < m->inv->nscans; i++) {
        const struct ra_scan *s = m->inv->scans[i];
        for (j = 0; j < s->nregs; j++) {
            const struct ra_registry_result *r = s->regs[j];
            const struct ra_graph_counts *c = &r->counts;
            json_array_append_new(
                a, json_pack("{s:o,s:o,s:o,s:I,s:I,s:I,s:I,s:I,s:I}", "snapshot",
                             ra_json_str(s->snap->name), "taken_at",
                             ra_json_time(s->snap->taken_at), "root",
                             ra_json_str(ra_pm_root_name(r->graph->root)), "repositories",
                             (json_int_t)c->repositories, "tags", (json_int_t)c->tags,
                             "manifests", (json_int_t)c->manifests, "blobs",
                             (json_int_t)c->blobs, "bytes", (json_int_t)c->bytes,
                             "unpullable", (json_int_t)r->unpullable));
        }
    }
    return a;
}

static json_t *jobs_json(const struct ra_schedule *s)
{
    json_t *a = json_array(), *o;
    struct ra_buf b = RA_BUF_INIT;
    size_t i, k;

    for (i = 0; s && i < s->jobs.len; i++) {
        const struct ra_sched_job *j = s->jobs.items[i];
        const struct ra_job_version *last =
            j->versions.len ? j->versions.items[j->versions.len - 1] : NULL;
        const struct ra_job *job = last ? last->job : NULL;
        json_t *versions = json_array();
        for (k = 0; k < j->versions.len; k++) {
            const struct ra_job_version *v = j->versions.items[k];
            char id[13];
            memcpy(id, v->commit->id, 12);
            id[12] = '\0';
            json_array_append_new(versions,
                                  json_pack("{s:s,s:o,s:o,s:o}", "commit", id, "time",
                                            ra_json_time(v->commit->time), "author",
                                            ra_json_str(v->commit->author), "change",
                                            ra_json_str(v->change)));
        }
        if (j->last) /* its line at the newest commit that has it (HEAD when in effect) */
            job = j->last;
        if (!job) {
            json_decref(versions);
            continue;
        }
        ra_buf_truncate(&b, 0);
        ra_buf_printf(&b, "%s:%u @ %.12s", job->path, job->line, j->last_commit->id);
        o = json_pack(
            "{s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:b,s:b,s:b,s:o}", "id", ra_json_str(j->id),
            "name", ra_json_str(job->name), "kind", ra_job_class_name(job->cls),
            "schedule", ra_json_str(job->schedule), "timezone",
            ra_json_str(job->timezone ? job->timezone : zone_default(job)), "defined_in",
            ra_json_str(b.ptr), "command", ra_json_str(job->command), "delete_untagged",
            job->gc.delete_untagged, "disabled", job->disabled || job->absent,
            "in_effect", last && last->job != NULL, "versions", versions);
        json_object_set_new(o, "command_code", ra_pm_command_code(&b, job->command));
        ra_pm_job_status(o, j);
        json_array_append_new(a, o);
    }
    ra_buf_release(&b);
    return a;
}

json_t *ra_pm_appendix(struct ra_pm_model *m)
{
    json_t *o = json_object(), *f = findings_json(m), *jobs = jobs_json(m->inv->schedule);

    json_object_set_new(o, "has_jobs", json_boolean(json_array_size(jobs) > 0));
    json_object_set_new(o, "jobs", jobs);

    json_object_set_new(o, "findings_total",
                        json_integer((json_int_t)json_array_size(f)));
    json_object_set_new(
        o, "findings_word",
        json_string(ra_text_plural(json_array_size(f), "finding", "findings")));
    ra_pm_capped(o, "findings", findings_folded(f), m->opts->table_cap);
    json_object_set_new(o, "findings_all", f);
    json_object_set_new(o, "inventory", inventory_json(m));
    return o;
}
