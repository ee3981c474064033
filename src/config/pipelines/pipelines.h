/* SPDX-License-Identifier: MIT */
/* CI pipelines found in the files of one commit of a config repo (Woodpecker, GitHub
 * Actions, GitLab CI, Drone): their triggers, the repository:tag images they push and the
 * images their steps run, so that a report can say who pushed a broken tag and who
 * pulls it. Works on (path, content) pairs like config/jobs: no git, no file system. */
#ifndef RA_CONFIG_PIPELINES_PIPELINES_H
#define RA_CONFIG_PIPELINES_PIPELINES_H

#include "config/jobs/jobs.h"
#include "util/buf.h"
#include "util/common.h"
#include "util/pool.h"
#include "util/vec.h"

struct ra_gitrepo;

enum ra_ci_system {
    RA_CI_WOODPECKER = 0, /* .woodpecker/<name>.yml|yaml, .woodpecker.yml|yaml */
    RA_CI_GITHUB,         /* .github/workflows/<name>.yml|yaml */
    RA_CI_GITLAB,         /* .gitlab-ci.yml */
    RA_CI_DRONE,          /* .drone.yml, every "kind: pipeline" document */
};

/* What starts a pipeline. */
enum ra_trigger_kind {
    RA_TRIGGER_PUSH = 0,     /* a push to a branch */
    RA_TRIGGER_TAG,          /* a tag pushed, a release published */
    RA_TRIGGER_PULL_REQUEST, /* pull_request, merge_request_event, merge_requests */
    RA_TRIGGER_CRON,         /* a timer: its expression (GitHub) or name (Woodpecker,
                                Drone) when given */
    RA_TRIGGER_SCHEDULE,     /* GitLab pipeline schedules: the times are set in GitLab */
    RA_TRIGGER_MANUAL,     /* manual, workflow_dispatch, web, api, custom, when: manual */
    RA_TRIGGER_DEPLOYMENT, /* deployment, deploy, promote, rollback */
    RA_TRIGGER_OTHER,      /* anything else (workflow_call, pipeline, ...): see event */
};

struct ra_pipeline_trigger {
    enum ra_trigger_kind kind;
    const char *event;     /* as written: "push", "workflow_dispatch", "schedules" */
    const char *branch;    /* branch or tag filter as written ("main", "v*"), or NULL */
    const char *cron;      /* RA_TRIGGER_CRON: the cron expression (GitHub), or NULL */
    const char *cron_name; /* RA_TRIGGER_CRON: the CI's cron job name, or NULL */
    const char *condition; /* Woodpecker evaluate:, GitLab if:, path filters; or NULL */
    const char *path;      /* path:line of the filter */
    unsigned line;
};

struct ra_pipeline;

/* An image a pipeline pushes or runs. */
struct ra_pipeline_image {
    const struct ra_pipeline *pipeline; /* the pipeline it belongs to */
    const char *image; /* as written: "registry.example.internal/infra-ci", "$IMAGE" */
    /* Normalised (ra_imageref_normalize) after the pipeline's own variables were
     * substituted: "registry.example.internal/infra-ci:latest". Unknown variables are
     * left as written. */
    const char *ref;
    const char *step; /* step, service or job name ("build/Push image" on GitHub) */
    /* How: "image", "service", "container", "uses" (images run); "plugin",
     * "docker push", "buildx --push", "buildx imagetools", "docker manifest push",
     * "skopeo copy", "crane push", "crane copy", "crane tag", "kaniko",
     * "build-push-action", "podman push", "buildah push", "regctl copy" (pushes). */
    const char *how;
    const char *platforms; /* pushes: "linux/amd64,linux/arm64" as given, or NULL */
    /* Why the push may not happen as read, or NULL: "dry run", "push: ${{ ... }}",
     * "tags decided at run time (auto_tag)". */
    const char *note;
    const char *path;
    unsigned line;
};

struct ra_pipeline {
    /* Stable across commits while the pipeline keeps its file and name:
     * "<system>:<path>:<name>". */
    const char *id;
    /* Woodpecker: the file's basename without extension ("woodpecker" for
     * .woodpecker.yml); GitHub: name:, else the basename; GitLab: the job; Drone: name:,
     * else "default". */
    const char *name;
    enum ra_ci_system system;
    const char *path; /* defined in path:line */
    unsigned line;
    /* Where its steps run when the file says (Woodpecker labels.platform or platform:,
     * Drone platform.os/arch, GitHub runs-on), or NULL: the platform an index's child
     * is pulled for. */
    const char *platform;
    int unfiltered;         /* no trigger filter at all: the CI system's default events */
    struct ra_vec triggers; /* struct ra_pipeline_trigger *, in file order */
    struct ra_vec pushes;   /* struct ra_pipeline_image *, in file order */
    struct ra_vec uses;     /* struct ra_pipeline_image *, in file order */
};

/* The result. Everything is owned by it and freed by ra_pipelines_free. */
struct ra_pipelines {
    struct ra_vec pipelines; /* struct ra_pipeline *, sorted by path, line, name */
    /* struct ra_problem *, sorted by path, then line: CI files that could not be
     * read (RA_EIO), too large (RA_ELIMIT), binary or unparsable YAML (RA_EFORMAT). */
    struct ra_vec problems;
    struct ra_pool pool;
};

/* Is path (relative to the repository root) a CI file that ra_pipelines_scan reads? */
int ra_pipelines_is_ci_path(const char *path);

/*
 * Find the pipelines in files[0..nfiles); other files are ignored (and need not be
 * given: ra_pipelines_is_ci_path). Every document of a file is read. Unreadable CI
 * files (see struct ra_pipelines) are recorded in
 * (*out)->problems and the rest is read; a file whose YAML breaks after some documents
 * keeps the pipelines of the documents before. The caller frees *out with
 * ra_pipelines_free. Returns 0, or RA_EUSAGE when the same path is given twice.
 */
int ra_pipelines_scan(struct ra_pipelines **out, const struct ra_jobs_file *files,
                      size_t nfiles, struct ra_err *err);

/* As ra_pipelines_scan, for a caller that could not read some files (as
 * ra_jobs_scan_why): why is NULL or has nfiles entries, and why[i], when not NULL, says
 * why files[i] could not be read. The reason is recorded as a problem with RA_EIO for a
 * CI file and for the directories that hold them (".woodpecker", ".github",
 * ".github/workflows": a missing tree of a damaged repository), not for other files. */
int ra_pipelines_scan_why(struct ra_pipelines **out, const struct ra_jobs_file *files,
                          const char *const *why, size_t nfiles, struct ra_err *err);

void ra_pipelines_free(struct ra_pipelines *p);

/*
 * The pushes of ref, in pipeline order: appended to out as const struct
 * ra_pipeline_image * (->pipeline says whose), borrowed from p. ref matches as in
 * ra_imageref_match, and when it has no registry host, a pushed reference on any host
 * with the same repository path matches too ("infra-ci:latest" finds
 * "registry.example.internal/infra-ci:latest"; "library/" prefixes do not count).
 */
void ra_pipelines_pushers(struct ra_vec *out, const struct ra_pipelines *p,
                          const char *ref);

/* The images run (steps, services, job containers) that match ref, as above. */
void ra_pipelines_users(struct ra_vec *out, const struct ra_pipelines *p,
                        const char *ref);

/* Names for output: "woodpecker", "github", "gitlab", "drone". */
const char *ra_ci_system_name(enum ra_ci_system system);

/* "push", "tag", "pull_request", "cron", "schedule", "manual", "deployment", "other". */
const char *ra_trigger_kind_name(enum ra_trigger_kind kind);

#endif
