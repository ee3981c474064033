/* SPDX-License-Identifier: MIT */
/* jobs outputs. */
#include "report/jobs_out.h"

#include <stdlib.h>

#include "report/json.h"

#include "config/schedule.h"
#include "util/text.h"

/* The job's newest definition (a removed job keeps its last one). */
static const struct ra_job *newest(const struct ra_sched_job *j, int *in_effect)
{
    size_t k = j->versions.len;
    const struct ra_job_version *last = k ? j->versions.items[k - 1] : NULL;

    *in_effect = last && last->job;
    while (k-- > 0) {
        const struct ra_job_version *v = j->versions.items[k];
        if (v->job)
            return v->job;
    }
    return NULL;
}

static json_t *job_json(const struct ra_sched_job *j)
{
    json_t *versions = json_array(), *flags;
    int in_effect;
    const struct ra_job *job = newest(j, &in_effect);
    size_t k;

    for (k = 0; k < j->versions.len; k++) {
        const struct ra_job_version *v = j->versions.items[k];
        json_array_append_new(versions, json_pack("{s:s,s:o,s:o,s:o,s:o}", "commit", v->commit->id,
                                                  "time", ra_json_time(v->commit->time), "author",
                                                  ra_json_str(v->commit->author), "summary",
                                                  ra_json_str(v->commit->summary), "change",
                                                  ra_json_str(v->change)));
    }
    flags = json_pack("{s:b,s:b,s:o,s:o}", "delete_untagged", job->gc.delete_untagged,
                      "dry_run", job->gc.dry_run, "config", ra_json_str(job->gc.config), "keep",
                      ra_json_str(job->keep));
    return json_pack("{s:o,s:o,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:b,s:o}", "id", ra_json_str(j->id),
                     "name", ra_json_str(job->name), "kind", ra_job_class_name(job->cls), "defined_by",
                     ra_job_def_name(job->def), "schedule", ra_json_str(job->schedule), "timezone",
                     ra_json_str(job->timezone), "defined_in", ra_json_where(job->path, job->line), "command",
                     ra_json_str(job->command), "user", ra_json_str(job->user), "flags", flags, "disabled",
                     job->disabled || job->absent, "in_effect", in_effect, "versions", versions);
}

static json_t *images_json(const struct ra_vec *v)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; i < v->len; i++) {
        const struct ra_pipeline_image *im = v->items[i];
        json_array_append_new(a, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "image",
                                           ra_json_str(im->image), "ref", ra_json_str(im->ref), "step",
                                           ra_json_str(im->step), "how", ra_json_str(im->how), "platforms",
                                           ra_json_str(im->platforms), "note", ra_json_str(im->note),
                                           "defined_in", ra_json_where(im->path, im->line)));
    }
    return a;
}

static json_t *pipelines_json(const struct ra_pipelines *p)
{
    json_t *a = json_array();
    size_t i, k;

    for (i = 0; p && i < p->pipelines.len; i++) {
        const struct ra_pipeline *pl = p->pipelines.items[i];
        json_t *trig = json_array();
        for (k = 0; k < pl->triggers.len; k++) {
            const struct ra_pipeline_trigger *t = pl->triggers.items[k];
            json_array_append_new(trig, json_pack("{s:s,s:o,s:o,s:o,s:o}", "kind",
                                                  ra_trigger_kind_name(t->kind), "event",
                                                  ra_json_str(t->event), "branch", ra_json_str(t->branch),
                                                  "cron", ra_json_str(t->cron ? t->cron : t->cron_name),
                                                  "defined_in", ra_json_where(t->path, t->line)));
        }
        json_array_append_new(a, json_pack("{s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:o}", "id",
                                           ra_json_str(pl->id), "name", ra_json_str(pl->name), "system",
                                           ra_ci_system_name(pl->system), "file",
                                           ra_json_where(pl->path, pl->line), "platform",
                                           ra_json_str(pl->platform), "triggers", trig, "pushes",
                                           images_json(&pl->pushes), "uses",
                                           images_json(&pl->uses)));
    }
    return a;
}

int ra_jobs_write_json(struct ra_buf *out, const struct ra_schedule *s,
                       const struct ra_vec *firings, struct ra_err *err)
{
    json_t *doc = json_object(), *jobs = json_array(), *images = json_array(),
           *fires = json_array(), *problems = json_array();
    size_t i;

    for (i = 0; i < s->jobs.len; i++) {
        int in_effect;
        if (newest(s->jobs.items[i], &in_effect))
            json_array_append_new(jobs, job_json(s->jobs.items[i]));
    }
    for (i = 0; s->head_jobs && i < s->head_jobs->images.len; i++) {
        const struct ra_registry_image *im = s->head_jobs->images.items[i];
        json_array_append_new(images, json_pack("{s:o,s:o,s:b,s:o}", "image", ra_json_str(im->image),
                                                "version", ra_json_str(im->version), "floating",
                                                im->floating, "defined_in",
                                                ra_json_where(im->path, im->line)));
    }
    for (i = 0; i < firings->len; i++) {
        const struct ra_sched_firing *f = firings->items[i];
        json_array_append_new(fires, json_pack("{s:o,s:o,s:s}", "job", ra_json_str(f->job->id), "time",
                                               ra_json_time(f->time), "version",
                                               f->version->commit->id));
    }
    for (i = 0; i < s->problems.len; i++)
        json_array_append_new(problems, ra_json_str(s->problems.items[i]));
    json_object_set_new(doc, "schema", json_string("regautopsy.jobs/1"));
    json_object_set_new(doc, "repo", ra_json_str(s->path));
    json_object_set_new(doc, "commit", json_string(s->head));
    json_object_set_new(doc, "shallow", json_boolean(s->shallow));
    json_object_set_new(doc, "jobs", jobs);
    json_object_set_new(doc, "registry_images", images);
    json_object_set_new(doc, "pipelines", pipelines_json(s->pipelines));
    json_object_set_new(doc, "firings", fires);
    json_object_set_new(doc, "problems", problems);
    return ra_json_write(out, doc, JSON_INDENT(2), "jobs", err);
}

static const char *safe(struct ra_buf *tmp, const char *s)
{
    ra_buf_truncate(tmp, 0);
    return s ? ra_text_safe(tmp, s, RA_TEXT_UTF8 | RA_TEXT_CONTROLS) : "";
}

void ra_jobs_write_text(struct ra_buf *out, const struct ra_schedule *s,
                        const struct ra_vec *firings)
{
    struct ra_buf tmp = RA_BUF_INIT;
    char when[RA_TIME_STRLEN];
    size_t i, k;

    ra_buf_printf(out, "%s at %.12s%s: %zu jobs over %zu commits\n", safe(&tmp, s->path), s->head,
                  s->shallow ? " (shallow clone)" : "", s->jobs.len, s->commits.len);
    for (i = 0; i < s->jobs.len; i++) {
        const struct ra_sched_job *j = s->jobs.items[i];
        int in_effect;
        const struct ra_job *job = newest(j, &in_effect);
        if (!job)
            continue;
        ra_buf_printf(out, "\n%s%s [%s]\n", safe(&tmp, job->name),
                      in_effect ? (job->disabled || job->absent ? " (disabled)" : "")
                                : " (removed)",
                      ra_job_class_name(job->cls));
        ra_buf_printf(out, "  schedule  %s",
                      safe(&tmp, job->syntax == RA_SCHED_EXTERNAL && !job->schedule
                                     ? "(set outside the repository)"
                                     : job->schedule));
        ra_buf_printf(out, "%s%s\n", job->timezone ? "  " : "", safe(&tmp, job->timezone));
        ra_buf_printf(out, "  defined   %s:%u\n", safe(&tmp, job->path), job->line);
        ra_buf_printf(out, "  command   %s\n", safe(&tmp, job->command));
        if (job->cls == RA_JOB_GARBAGE_COLLECT)
            ra_buf_printf(out, "  flags     %s%s\n",
                          job->gc.delete_untagged ? "--delete-untagged " : "",
                          job->gc.dry_run ? "--dry-run" : "");
        for (k = 0; k < j->versions.len; k++) {
            const struct ra_job_version *v = j->versions.items[k];
            ra_buf_printf(out, "  %.10s %.12s %s", ra_time_format(when, v->commit->time),
                          v->commit->id, safe(&tmp, v->change));
            ra_buf_printf(out, " (%s)\n", safe(&tmp, v->commit->summary));
        }
    }
    if (s->head_jobs && s->head_jobs->images.len)
        ra_buf_puts(out, "\nregistry images:\n");
    for (i = 0; s->head_jobs && i < s->head_jobs->images.len; i++) {
        const struct ra_registry_image *im = s->head_jobs->images.items[i];
        ra_buf_printf(out, "  %s%s", safe(&tmp, im->image), im->floating ? " (floating)" : "");
        ra_buf_printf(out, "  %s:%u\n", safe(&tmp, im->path), im->line);
    }
    for (i = 0; s->pipelines && i < s->pipelines->pipelines.len; i++) {
        const struct ra_pipeline *pl = s->pipelines->pipelines.items[i];
        if (!i)
            ra_buf_puts(out, "\npipelines:\n");
        ra_buf_printf(out, "  %s (%s:%u)", safe(&tmp, pl->name), pl->path, pl->line);
        for (k = 0; k < pl->pushes.len; k++)
            ra_buf_printf(out, "%s pushes %s", k ? "," : "",
                          safe(&tmp, ((const struct ra_pipeline_image *)pl->pushes.items[k])->ref));
        for (k = 0; k < pl->uses.len; k++)
            ra_buf_printf(out, "%s uses %s", k || pl->pushes.len ? "," : "",
                          safe(&tmp, ((const struct ra_pipeline_image *)pl->uses.items[k])->ref));
        ra_buf_putc(out, '\n');
    }
    if (firings->len)
        ra_buf_printf(out, "\n%zu firings:\n", firings->len);
    for (i = 0; i < firings->len; i++) {
        const struct ra_sched_firing *f = firings->items[i];
        ra_buf_printf(out, "  %s  %s", ra_time_format(when, f->time),
                      safe(&tmp, f->version->job->name));
        ra_buf_printf(out, " (%.12s)\n", f->version->commit->id);
    }
    for (i = 0; i < s->problems.len; i++)
        ra_buf_printf(out, "note: %s\n", safe(&tmp, s->problems.items[i]));
    ra_buf_release(&tmp);
}
