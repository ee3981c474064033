/* SPDX-License-Identifier: MIT */
/* The post-mortem's story across the config's history: the detection gap (would the
 * probes in place have caught it) and what changed in the config since the incident.
 * Each function maps one analysis result to the report model (docs/json.md). */
#ifndef RA_REPORT_PM_STORY_H
#define RA_REPORT_PM_STORY_H

#include <jansson.h>

struct ra_investigation;
struct ra_scan;

/* "detection_gap": {has_probes, probes, catching, verdict}. */
json_t *ra_pm_detection_gap_json(const struct ra_investigation *inv,
                                 const struct ra_scan *newest);

/* "config_changes": {has_changes, since, changes}: what changed in the jobs that delete
 * or probe and in the registry image after the losses began. */
json_t *ra_pm_config_changes_json(const struct ra_investigation *inv);

/* The probe action item (prevention.items) says why a probe the config has is not
 * enough, when none of its probes catches the damage; gap is detection_gap. */
void ra_pm_probe_note(json_t *items, const struct ra_investigation *inv, json_t *gap);

struct ra_commit_info;
/* "commit12 (YYYY-MM-DD, \"summary\")" */
json_t *ra_pm_commit_text(const struct ra_commit_info *c);

struct ra_sched_job;
struct ra_event;

/* Pushes unrelated to the lost objects, folded into one timeline row from the first to
 * the last, counted as pushes (a tag's link, its manifests and blobs written at one
 * instant into one repository), not files: "4 pushes unrelated to the lost objects:
 * infra-ci (manifests only: their tag is gone), base/debian:bookworm, ...". */
struct ra_pm_fold;
struct ra_pm_fold *ra_pm_fold_new(const struct ra_investigation *inv,
                                  const struct ra_scan *newest);
/* 1 when e is such a push: it is counted in the row (appended to rows when the first one
 * comes); 0 otherwise. Events come in time order. */
int ra_pm_fold_event(struct ra_pm_fold *f, json_t *rows, const struct ra_event *e);
void ra_pm_fold_free(struct ra_pm_fold *f);

/* Adds to a row of appendix.jobs "defined_in" as "path:line @ commit12" (the commit at
 * which that line holds) and "status": "in effect", "removed in ..." or "disabled in
 * ..." with the commit that did it. */
void ra_pm_job_status(json_t *row, const struct ra_sched_job *j);

#endif
