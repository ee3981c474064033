/* SPDX-License-Identifier: MIT */
/* The post-mortem model's sections (pm_<section>.c), each mapping the analysis results
 * (analysis/postmortem.h) to its part of the jansson document (docs/json.md). */
#ifndef RA_REPORT_PM_INTERNAL_H
#define RA_REPORT_PM_INTERNAL_H

#include <jansson.h>

#include "report/report_model.h"

#include "util/buf.h"

struct ra_investigation;
struct ra_postmortem;
struct ra_pm_event;
struct ra_schedule;
struct ra_scan;

/* What the operator replaces: it renders as the text itself (docs/templates.md). */
#define RA_PM_AUTHOR_PLACEHOLDER "_<name>_"
#define RA_PM_OWNER_PLACEHOLDER "_<owner>_"

struct ra_pm_model {
    const struct ra_investigation *inv;
    const struct ra_report_opts *opts;
    const struct ra_postmortem *pm;
    const struct ra_scan *newest;
    struct ra_buf tmp; /* scratch */
};

/* pm_common.c */
const char *ra_pm_root_name(const char *root);
/* parent[key]: the first cap items of all (consumed); key_omitted, key_more beside. */
void ra_pm_capped(json_t *parent, const char *key, json_t *all, size_t cap);
/* A command or path as a code span for a table cell, or null. */
json_t *ra_pm_command_code(struct ra_buf *tmp, const char *command);
/* {time, evidence "log:line", message}, or null without an event. */
json_t *ra_pm_log_event(const struct ra_pm_event *e, const char *message);
/* A pipeline run in words: "pipeline #12 (push) failed", "pipeline #14 (restart of
 * #12) failed", "pipeline #17 (manual) succeeded". */
void ra_pm_pipeline_text(struct ra_buf *out, const struct ra_pm_event *e);
/* The same without the outcome: "pipeline #17 (manual)". */
void ra_pm_pipeline_name(struct ra_buf *out, const struct ra_pm_event *e);
/* For prose: "a manually started pipeline (#17)", "a scheduled pipeline (#12)", "a
 * restarted pipeline (#14, restart of #12)", else "pipeline #9 (push)". */
void ra_pm_pipeline_words(struct ra_buf *out, const struct ra_pm_event *e);
/* A run by number and how it started, appended: "#12 (push)", "#14 (restart of #12)". */
struct ra_log_pipeline;
void ra_pm_run_text(struct ra_buf *out, const struct ra_log_pipeline *p);
/* Rows {image, user, pipeline, file, defined_in} of the pipelines that use (pushers 0)
 * or push (1) ref, from the config repo. */
void ra_pm_pipeline_rows(json_t *out, const struct ra_schedule *s, const char *ref,
                         int pushers);
/* A span of seconds in words ("1 d 2 h 5 min", "40 s"); "" for a negative one. */
void ra_pm_span_text(struct ra_buf *out, int64_t seconds);
/* {seconds, text} for the span from a to b, or null when unknown. */
json_t *ra_pm_span(ra_time a, ra_time b);
/* Is name an item of the ", "-separated list (NULL or "" is empty)? */
int ra_pm_listed(const char *list, const char *name);
/* text with every full digest (sha256: and 64 hex) cut to its first 12 hex, as the
 * report prints digests outside commands. */
void ra_pm_short_digests(struct ra_buf *out, const char *text);
/* o[key] as a string, "" when absent. */
const char *ra_pm_member(json_t *o, const char *key);

/* One per section, in the document's order. */
json_t *ra_pm_inputs(struct ra_pm_model *m);
json_t *ra_pm_impact(struct ra_pm_model *m);
json_t *ra_pm_root_cause(struct ra_pm_model *m);
json_t *ra_pm_detection(struct ra_pm_model *m, json_t *impact);
json_t *ra_pm_losses(struct ra_pm_model *m);
json_t *ra_pm_timeline(struct ra_pm_model *m);
json_t *ra_pm_recovery(struct ra_pm_model *m);
json_t *ra_pm_resolution(struct ra_pm_model *m);
json_t *ra_pm_lessons(struct ra_pm_model *m);
json_t *ra_pm_prevention(struct ra_pm_model *m);
json_t *ra_pm_prediction(struct ra_pm_model *m);
json_t *ra_pm_appendix(struct ra_pm_model *m);
/* pm_summary.c: the title when none is given, and the summary paragraph. */
void ra_pm_default_title(struct ra_buf *out, json_t *impact);
void ra_pm_summary_text(struct ra_pm_model *m, struct ra_buf *out, json_t *impact,
                        json_t *cause);

#endif
