/* SPDX-License-Identifier: MIT */
/* jobs outputs. */
#include "report/jobs_out.h"

#include <stdlib.h>

#include "report/json.h"

#include "config/sched/schedule.h"
#include "util/text.h"

/* The job's newest definition (a removed job keeps its last one), as the newest commit
 * that has it defines it: its line there. */
static const struct ra_job *newest(const struct ra_sched_job *j, int *in_effect)
{
    size_t k = j->versions.len;
    const struct ra_job_version *last = k ? j->versions.items[k - 1] : NULL;

    *in_effect = last && last->job;
    if (j->last)
        return j->last;
    while (k-- > 0) {
        const struct ra_job_version *v = j->versions.items[k];
        if (v->job)
            return v->job;
    }
    return NULL;
}

/* The commit the job's newest definition (its line) is read at. */
static const char *newest_commit(const struct ra_sched_job *j)
{
    size_t k = j->versions.len;

    if (j->last_commit)
        return j->last_commit->id;
    while (k-- > 0) {
        const struct ra_job_version *v = j->versions.items[k];
        if (v->job)
            return v->commit->id;
    }
    return NULL;
}

static json_t *classes_json(unsigned classes)
{
    static const enum ra_job_class order[] = {RA_JOB_GARBAGE_COLLECT, RA_JOB_TAG_PRUNE,
                                              RA_JOB_BACKUP, RA_JOB_PROBE};
    json_t *a = json_array();
    size_t i;

    for (i = 0; i < RA_ARRAY_SIZE(order); i++)
        if (classes & order[i])
            json_array_append_new(a, json_string(ra_job_class_name(order[i])));
    return a;
}

/* Why the job was classified so: the lines (of its definition or of the scripts it runs,
 * at the same commit) and the class each matched. */
static json_t *evidence_json(const struct ra_job *job)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; i < job->evidence.len; i++) {
        const struct ra_job_evidence *e = job->evidence.items[i];
        json_array_append_new(a, json_pack("{s:o,s:s,s:o}", "defined_in",
                                           ra_json_where(e->path, e->line), "class",
                                           ra_job_class_name(e->cls), "text",
                                           ra_json_str(e->text)));
    }
    return a;
}

static json_t *scripts_json(const struct ra_job *job)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; i < job->scripts.len; i++)
        json_array_append_new(a, ra_json_str(job->scripts.items[i]));
    return a;
}

/* Why a job has no wall-clock firings, or NULL. */
static const char *no_firings(const struct ra_job *job)
{
    if (job->syntax == RA_SCHED_EXTERNAL)
        return "schedule set outside the repository";
    if (job->syntax == RA_SCHED_MONOTONIC)
        return "an interval: no wall-clock times";
    return NULL;
}

/* The fields of one definition, read at commit. */
static json_t *definition_json(const char *id, const struct ra_job *job,
                               const char *commit)
{
    json_t *o, *flags;

    flags = json_pack("{s:b,s:b,s:o,s:o}", "delete_untagged", job->gc.delete_untagged,
                      "dry_run", job->gc.dry_run, "config", ra_json_str(job->gc.config),
                      "keep", ra_json_str(job->keep));
    o = json_pack("{s:o,s:o,s:s,s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:b}", "id",
                  ra_json_str(id), "name", ra_json_str(job->name), "kind",
                  ra_job_class_name(job->cls), "classes", classes_json(job->classes),
                  "defined_by", ra_job_def_name(job->def), "schedule",
                  ra_json_str(job->schedule), "timezone", ra_json_str(job->timezone),
                  "defined_in", ra_json_where(job->path, job->line), "defined_at",
                  ra_json_str(commit), "command", ra_json_str(job->command), "user",
                  ra_json_str(job->user), "disabled", job->disabled || job->absent);
    json_object_set_new(o, "flags", flags);
    json_object_set_new(o, "schedule_raw", ra_json_str(job->schedule_raw));
    json_object_set_new(o, "command_raw", ra_json_str(job->command_raw));
    json_object_set_new(o, "warning", ra_json_str(job->warning));
    json_object_set_new(o, "deployed", ra_json_str(job->deployed));
    json_object_set_new(o, "cron_file", ra_json_str(job->cron_file));
    json_object_set_new(o, "persistent", json_boolean(job->persistent));
    json_object_set_new(o, "random_delay", ra_json_str(job->random_delay));
    json_object_set_new(o, "prohibit_overlap", json_boolean(job->prohibit_overlap));
    json_object_set_new(o, "backup_to", ra_json_str(job->backup_to));
    json_object_set_new(o, "no_firings", ra_json_str(no_firings(job)));
    json_object_set_new(o, "evidence", evidence_json(job));
    json_object_set_new(o, "scripts", scripts_json(job));
    return o;
}

static json_t *job_json(const struct ra_sched_job *j)
{
    json_t *versions = json_array(), *o;
    int in_effect;
    const struct ra_job *job = newest(j, &in_effect);
    size_t k;

    for (k = 0; k < j->versions.len; k++) {
        const struct ra_job_version *v = j->versions.items[k];
        json_array_append_new(
            versions,
            json_pack("{s:s,s:o,s:o,s:o,s:o,s:o}", "commit", v->commit->id, "time",
                      ra_json_time(v->commit->time), "author",
                      ra_json_str(v->commit->author), "summary",
                      ra_json_str(v->commit->summary), "change", ra_json_str(v->change),
                      "defined_in",
                      v->job ? ra_json_where(v->job->path, v->job->line) : json_null()));
    }
    o = definition_json(j->id, job, newest_commit(j));
    json_object_set_new(o, "in_effect", json_boolean(in_effect));
    json_object_set_new(o, "versions", versions);
    return o;
}

static json_t *registry_image_json(const struct ra_registry_image *im, const char *commit)
{
    return json_pack("{s:o,s:o,s:o,s:b,s:o,s:o}", "image", ra_json_str(im->image),
                     "image_raw", ra_json_str(im->image_raw), "version",
                     ra_json_str(im->version), "floating", im->floating, "defined_in",
                     ra_json_where(im->path, im->line), "defined_at",
                     ra_json_str(commit));
}

/* The jobs and registry images of examples at the head commit: never in effect. */
static json_t *examples_json(const struct ra_schedule *s)
{
    json_t *o = json_object(), *jobs = json_array(), *images = json_array();
    size_t i;

    for (i = 0; s->head_jobs && i < s->head_jobs->examples.len; i++) {
        const struct ra_job *job = s->head_jobs->examples.items[i];
        json_array_append_new(jobs, definition_json(job->id, job, s->head));
    }
    for (i = 0; s->head_jobs && i < s->head_jobs->example_images.len; i++)
        json_array_append_new(
            images, registry_image_json(s->head_jobs->example_images.items[i], s->head));
    json_object_set_new(o, "jobs", jobs);
    json_object_set_new(o, "registry_images", images);
    return o;
}

static json_t *images_json(const struct ra_vec *v)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; i < v->len; i++) {
        const struct ra_pipeline_image *im = v->items[i];
        json_array_append_new(
            a, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "image", ra_json_str(im->image),
                         "ref", ra_json_str(im->ref), "step", ra_json_str(im->step),
                         "how", ra_json_str(im->how), "platforms",
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
            json_array_append_new(
                trig, json_pack("{s:s,s:o,s:o,s:o,s:o}", "kind",
                                ra_trigger_kind_name(t->kind), "event",
                                ra_json_str(t->event), "branch", ra_json_str(t->branch),
                                "cron", ra_json_str(t->cron ? t->cron : t->cron_name),
                                "defined_in", ra_json_where(t->path, t->line)));
        }
        json_array_append_new(
            a, json_pack("{s:o,s:o,s:s,s:o,s:o,s:o,s:o,s:o}", "id", ra_json_str(pl->id),
                         "name", ra_json_str(pl->name), "system",
                         ra_ci_system_name(pl->system), "file",
                         ra_json_where(pl->path, pl->line), "platform",
                         ra_json_str(pl->platform), "triggers", trig, "pushes",
                         images_json(&pl->pushes), "uses", images_json(&pl->uses)));
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
    for (i = 0; s->head_jobs && i < s->head_jobs->images.len; i++)
        json_array_append_new(
            images, registry_image_json(s->head_jobs->images.items[i], s->head));
    for (i = 0; i < firings->len; i++) {
        const struct ra_sched_firing *f = firings->items[i];
        const struct ra_job *job = f->version->job;
        json_array_append_new(
            fires, json_pack("{s:o,s:o,s:s,s:o}", "job", ra_json_str(f->job->id), "time",
                             ra_json_time(f->time), "version", f->version->commit->id,
                             "defined_in", ra_json_where(job->path, job->line)));
    }
    for (i = 0; i < s->problems.len; i++)
        json_array_append_new(problems, ra_json_str(s->problems.items[i]));
    json_object_set_new(doc, "schema", json_string("regautopsy.jobs/1"));
    json_object_set_new(doc, "repo", ra_json_str(s->path));
    json_object_set_new(doc, "commit", json_string(s->head));
    json_object_set_new(doc, "shallow", json_boolean(s->shallow));
    json_object_set_new(doc, "jobs", jobs);
    json_object_set_new(doc, "registry_images", images);
    json_object_set_new(doc, "examples", examples_json(s));
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

/* A garbage-collect job's flags, "none" without any. */
static const char *gc_flags(const struct ra_job *job)
{
    if (job->gc.delete_untagged && job->gc.dry_run)
        return "--delete-untagged --dry-run";
    if (job->gc.delete_untagged)
        return "--delete-untagged";
    return job->gc.dry_run ? "--dry-run" : "none";
}

static void job_text(struct ra_buf *out, struct ra_buf *tmp, const struct ra_job *job,
                     const char *commit)
{
    ra_buf_printf(out, "  schedule  %s",
                  safe(tmp, job->syntax == RA_SCHED_EXTERNAL && !job->schedule
                                ? "(set outside the repository)"
                                : job->schedule));
    ra_buf_printf(out, "%s%s\n", job->timezone ? "  " : "", safe(tmp, job->timezone));
    if (job->schedule_raw)
        ra_buf_printf(out, "            (as written: %s)\n",
                      safe(tmp, job->schedule_raw));
    ra_buf_printf(out, "  defined   %s:%u", safe(tmp, job->path), job->line);
    ra_buf_printf(out, " @ %.12s\n", commit ? commit : "");
    if (job->deployed)
        ra_buf_printf(out, "  deployed  %s\n", safe(tmp, job->deployed));
    ra_buf_printf(out, "  command   %s\n", safe(tmp, job->command));
    if (job->command_raw)
        ra_buf_printf(out, "            (as written: %s)\n", safe(tmp, job->command_raw));
    if (job->cls == RA_JOB_GARBAGE_COLLECT)
        ra_buf_printf(out, "  flags     %s\n", gc_flags(job));
    if (job->backup_to)
        ra_buf_printf(out, "  writes to %s\n", safe(tmp, job->backup_to));
    if (job->persistent || job->random_delay) {
        ra_buf_printf(out, "  timer     %s%s", job->persistent ? "persistent" : "",
                      job->persistent && job->random_delay ? ", " : "");
        if (job->random_delay)
            ra_buf_printf(out, "randomized delay up to %s", safe(tmp, job->random_delay));
        ra_buf_putc(out, '\n');
    }
    if (job->warning)
        ra_buf_printf(out, "  warning   %s\n", safe(tmp, job->warning));
}

static void examples_text(struct ra_buf *out, struct ra_buf *tmp,
                          const struct ra_schedule *s)
{
    const struct ra_jobs *h = s->head_jobs;
    size_t i;

    if (!h || (!h->examples.len && !h->example_images.len))
        return;
    ra_buf_puts(out, "\nexamples (not deployed, never in effect):\n");
    for (i = 0; i < h->examples.len; i++) {
        const struct ra_job *job = h->examples.items[i];
        ra_buf_printf(out, "  %s [%s]", safe(tmp, job->name),
                      ra_job_class_name(job->cls));
        ra_buf_printf(out, " %s", safe(tmp, job->schedule));
        ra_buf_printf(out, "  %s:%u @ %.12s\n", safe(tmp, job->path), job->line, s->head);
    }
    for (i = 0; i < h->example_images.len; i++) {
        const struct ra_registry_image *im = h->example_images.items[i];
        ra_buf_printf(out, "  image %s", safe(tmp, im->image));
        ra_buf_printf(out, "  %s:%u @ %.12s\n", safe(tmp, im->path), im->line, s->head);
    }
}

void ra_jobs_write_text(struct ra_buf *out, const struct ra_schedule *s,
                        const struct ra_vec *firings)
{
    struct ra_buf tmp = RA_BUF_INIT;
    char when[RA_TIME_STRLEN];
    size_t i, k;

    ra_buf_printf(out, "%s at %.12s%s: %zu jobs over %zu commits\n", safe(&tmp, s->path),
                  s->head, s->shallow ? " (shallow clone)" : "", s->jobs.len,
                  s->commits.len);
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
        job_text(out, &tmp, job, newest_commit(j));
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
        ra_buf_printf(out, "  %s%s", safe(&tmp, im->image),
                      im->floating ? " (floating)" : "");
        ra_buf_printf(out, "  %s:%u @ %.12s\n", safe(&tmp, im->path), im->line, s->head);
    }
    examples_text(out, &tmp, s);
    for (i = 0; s->pipelines && i < s->pipelines->pipelines.len; i++) {
        const struct ra_pipeline *pl = s->pipelines->pipelines.items[i];
        if (!i)
            ra_buf_puts(out, "\npipelines:\n");
        ra_buf_printf(out, "  %s (%s:%u @ %.12s)", safe(&tmp, pl->name), pl->path,
                      pl->line, s->head);
        for (k = 0; k < pl->pushes.len; k++)
            ra_buf_printf(
                out, "%s pushes %s", k ? "," : "",
                safe(&tmp, ((const struct ra_pipeline_image *)pl->pushes.items[k])->ref));
        for (k = 0; k < pl->uses.len; k++)
            ra_buf_printf(
                out, "%s uses %s", k || pl->pushes.len ? "," : "",
                safe(&tmp, ((const struct ra_pipeline_image *)pl->uses.items[k])->ref));
        ra_buf_putc(out, '\n');
    }
    if (firings->len)
        ra_buf_printf(out, "\n%zu firings:\n", firings->len);
    for (i = 0; i < firings->len; i++) {
        const struct ra_sched_firing *f = firings->items[i];
        const struct ra_job *job = f->version->job;
        ra_buf_printf(out, "  %s  %s", ra_time_format(when, f->time),
                      safe(&tmp, job->name));
        ra_buf_printf(out, "  %s:%u @ %.12s\n", safe(&tmp, job->path), job->line,
                      f->version->commit->id);
    }
    for (i = 0; i < s->problems.len; i++)
        ra_buf_printf(out, "note: %s\n", safe(&tmp, s->problems.items[i]));
    ra_buf_release(&tmp);
}
