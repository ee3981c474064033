/* SPDX-License-Identifier: MIT */
/* Scheduled jobs and registry images found in the files of one commit of a config repo:
 * discovery (crontabs, cron.d, run-parts directories, Ansible cron tasks, systemd timers,
 * Kubernetes CronJobs, Argo CronWorkflows, Terraform kubernetes_cron_job blocks, ofelia
 * labels, Nomad periodic jobs, EventBridge rules, scheduled CI pipelines),
 * classification by what the command does (following it into scripts of the same file
 * set), and the registry image versions in effect. Works on (path, content) pairs: no
 * git, no file system. docs/jobs.md says where it looks and why. */
#ifndef RA_CONFIG_JOBS_JOBS_H
#define RA_CONFIG_JOBS_JOBS_H

#include "config/text/problem.h"
#include "util/buf.h"
#include "util/common.h"
#include "util/pool.h"
#include "util/vec.h"

/* Files larger than this are not parsed (a problem is recorded instead). */
#define RA_JOBS_FILE_MAX (1024 * 1024)
/* A job's command and schedule are kept to this many bytes (a problem says when one is
 * cut): each is copied into job versions, firings' reports and suspects. */
#define RA_JOBS_TEXT_MAX (16 * 1024)

/* How deep the classifier follows a command into the scripts it runs. */
#define RA_JOBS_FOLLOW_DEPTH 3

/* One input file. data need not be NUL-terminated; it is borrowed for the duration of
 * ra_jobs_scan only (everything kept is copied). When len > RA_JOBS_FILE_MAX, data is
 * not read and may be NULL: the caller need not load a file that is too large. */
struct ra_jobs_file {
    const char *path; /* '/'-separated, relative to the repository root */
    const char *data;
    size_t len;
};

/* Where a job is defined. */
enum ra_job_def {
    RA_JOBDEF_CRONTAB = 0, /* user crontab: "m h dom mon dow command" */
    RA_JOBDEF_CROND,       /* /etc/crontab, cron.d: "m h dom mon dow user command" */
    RA_JOBDEF_RUNPARTS,    /* a script in cron.{hourly,daily,weekly,monthly}/ */
    RA_JOBDEF_ANSIBLE,     /* an Ansible cron task */
    RA_JOBDEF_SYSTEMD,     /* a systemd .timer with its .service */
    RA_JOBDEF_KUBERNETES,  /* a Kubernetes CronJob, an Argo CronWorkflow */
    RA_JOBDEF_TERRAFORM,   /* a Terraform kubernetes_cron_job(_v1) resource */
    RA_JOBDEF_OFELIA,      /* ofelia.job-*.<name>.schedule labels of a compose service */
    RA_JOBDEF_NOMAD,       /* a Nomad job file's periodic block */
    RA_JOBDEF_EVENTBRIDGE, /* an AWS EventBridge rule or schedule (Terraform,
                              CloudFormation) */
    RA_JOBDEF_GITHUB,      /* a GitHub Actions workflow with on.schedule */
    RA_JOBDEF_GITLAB,      /* a GitLab CI job that runs in scheduled pipelines */
    RA_JOBDEF_WOODPECKER,  /* a Woodpecker workflow run by the cron event */
};

/* How to read the schedule text. */
enum ra_sched_syntax {
    RA_SCHED_CRON = 0,     /* 5 fields or @daily... (config/sched/cron.h); several
                              "; "-separated */
    RA_SCHED_CALENDAR,     /* systemd OnCalendar= expressions, "; "-separated */
    RA_SCHED_MONOTONIC,    /* systemd OnBootSec=/OnUnitActiveSec=..., ofelia "@every 1h":
                              no wall-clock times */
    RA_SCHED_CRON_SECONDS, /* ofelia (robfig/cron): 6 fields, seconds first, or 5;
                              config/sched/cronx.h RA_CRONX_ROBFIG */
    RA_SCHED_EVENTBRIDGE,  /* cron(...) of AWS EventBridge (rate(...) is MONOTONIC) */
    RA_SCHED_NOMAD,        /* Nomad periodic: cronexpr, 5 to 7 fields */
    RA_SCHED_EXTERNAL,     /* set outside the repository (GitLab pipeline schedules,
                              Woodpecker cron settings): schedule is NULL, no firings */
};

/* What a job does, by its command and the scripts it runs. */
enum ra_job_class {
    RA_JOB_OTHER = 0,
    RA_JOB_GARBAGE_COLLECT = 1 << 0,
    RA_JOB_TAG_PRUNE = 1 << 1,
    RA_JOB_BACKUP = 1 << 2,
    RA_JOB_PROBE = 1 << 3,
};

/* Why a job was classified so: a line of the definition or of a script it runs. */
struct ra_job_evidence {
    const char *path;
    unsigned line;
    enum ra_job_class cls;
    const char *text; /* the line, trimmed, at most 200 bytes */
};

struct ra_job {
    /* Stable across commits while the job keeps its file and name:
     * "<def>:<path>:<name>" (line numbers are not part of it). */
    const char *id;
    /* Ansible or Kubernetes name, "#Ansible: name" comment, timer or script basename;
     * else derived from the command (its script's basename, or "registry
     * garbage-collect"), with "#2", "#3" for repeats in one file. */
    const char *name;
    enum ra_job_def def;
    const char *schedule; /* as written: "0 2 * * *", "@weekly", "Sun *-*-* 03:25:00" */
    /* With template values resolved (Helm values.yaml, Ansible role vars), schedule and
     * command hold the result and these what was written; NULL when nothing was. */
    const char *schedule_raw;
    const char *command_raw;
    enum ra_sched_syntax syntax;
    const char *timezone; /* CRON_TZ=/TZ=, spec.timeZone, OnCalendar's zone; or NULL */
    const char *path;     /* defined in path:line */
    unsigned line;
    /* As written; NULL when none was found (a timer without its service). */
    const char *command;
    const char *command_path; /* where the command is (a .service); == path otherwise */
    unsigned command_line;
    const char *user; /* cron.d user, Ansible user, service User=; or NULL */
    int disabled;     /* commented out, disabled: true, suspend: true */
    int absent;       /* Ansible state: absent: the task removes the job */
    /* Ansible cron_file: the job goes to /etc/cron.d/<cron_file>; or NULL */
    const char *cron_file;
    /* Why it may not run as written, or NULL: "cron.d line without a user field: cron
     * never runs it", "run-parts skips names with '.' or other signs: it never runs"
     * (both also set disabled), "Debian's cron ignores cron.d files with '.' in their
     * name", "run by anacron where it is installed (...)", "from a template: its {{ }}
     * expressions are not resolved". */
    const char *warning;
    /* Where an Ansible template or copy task installs the defining file
     * ("/etc/cron.d/registry"), or NULL. The file was read as what it becomes there. */
    const char *deployed;
    /* systemd timers: Persistent=true (a run missed while the machine was off happens at
     * boot), and RandomizedDelaySec= as written (each run is late by up to that); 0 and
     * NULL otherwise. */
    int persistent;
    const char *random_delay;
    /* Nomad periodic prohibit_overlap = true: a run is skipped while the last one still
     * runs. */
    int prohibit_overlap;
    /* A backup: where it writes ("/backup/registry-$(date +%F).tgz", "s3:bucket/x",
     * the last argument of rsync), as written; NULL when not known or no backup. */
    const char *backup_to;

    /* Classification: every class matched, and the main one (garbage-collect, then
     * tag-prune, backup, probe, other). */
    unsigned classes;
    enum ra_job_class cls;
    struct {
        int delete_untagged; /* -m / --delete-untagged */
        int dry_run;         /* -d / --dry-run */
        const char *config;  /* the registry config file given, or NULL */
    } gc;
    const char *keep;       /* tag-prune: "keeps newest 10", or NULL */
    struct ra_vec evidence; /* struct ra_job_evidence * */
    struct ra_vec scripts;  /* const char *: paths of the scripts followed */
    /* Defined in an example (ra_jobs_is_example, a README's code block): listed in
     * struct ra_jobs.examples, never in effect. */
    int example;
};

/* A registry image reference (registry, docker.io/library/registry,
 * distribution/distribution) found in a compose file, a Kubernetes manifest, Terraform or
 * Ansible. */
struct ra_registry_image {
    const char *image;     /* "registry:2", "registry@sha256:...", values resolved */
    const char *image_raw; /* as written when template values were resolved, or NULL */
    const char *version;   /* the tag, "sha256:..." for a digest, "latest" when none */
    int floating;          /* a tag that moves: none, "latest", "2", "2.8", a variable */
    const char *path;
    unsigned line;
    int example; /* in an example: listed in struct ra_jobs.example_images */
};

/* The result. Everything is owned by it and freed by ra_jobs_free. */
struct ra_jobs {
    struct ra_vec jobs;     /* struct ra_job *, sorted by path, then line, then id */
    struct ra_vec images;   /* struct ra_registry_image *, sorted by path, then line */
    struct ra_vec problems; /* struct ra_problem *, sorted by path, then line */
    /* Jobs and registry images of examples, not deployed (ra_jobs_is_example, README code
     * blocks): struct ra_job * and struct ra_registry_image *, sorted as above. */
    struct ra_vec examples;
    struct ra_vec example_images;
    struct ra_pool pool;
};

/*
 * Find the jobs and registry images in files[0..nfiles). Files are recognised by name
 * and content, wherever they are (docs/jobs.md has the details):
 *   - crontabs: a file named "crontab" or "*.cron"/"*.crontab", or under "crontabs/"
 *     (no user field); "etc/crontab" and files under "cron.d/" (a user field). A ".j2"
 *     suffix is ignored.
 *   - scripts directly under "cron.hourly/", "cron.daily/", "cron.weekly/",
 *     "cron.monthly/", at the times an etc/crontab in the set gives, else Debian's.
 *   - "*.timer" (and ".timer.j2"), paired with Unit= or the same-named ".service" in the
 *     same directory, else anywhere in the set.
 *   - "*.yml"/"*.yaml" (Helm and Jinja templates too): every document, for Ansible cron
 *     tasks, Kubernetes CronJobs, Argo CronWorkflows and image: values; and Ansible
 *     template/copy tasks, whose dest decides what their src (or content:) is read as.
 *   - "*.tf": kubernetes_cron_job(_v1) resources and image = "..." values.
 *   - shell scripts, units, Dockerfiles: registry images they run.
 *   - README code blocks (```cron, ```yaml): examples.
 * Jobs and images of examples go to (*out)->examples and example_images. Unreadable files
 * (binary, larger than RA_JOBS_FILE_MAX, YAML that does not parse) are recorded in
 * (*out)->problems and the rest is read. Returns 0, or RA_EUSAGE when the same path is
 * given twice.
 */
int ra_jobs_scan(struct ra_jobs **out, const struct ra_jobs_file *files, size_t nfiles,
                 struct ra_err *err);

/* As ra_jobs_scan, for a caller that could not read some files: why is NULL or has
 * nfiles entries, and why[i], when not NULL, says why files[i] could not be read
 * ("missing from the repository (damaged)"). Such a file's data is ignored and the reason
 * is recorded as a problem with RA_EIO, whatever the file's name. */
int ra_jobs_scan_why(struct ra_jobs **out, const struct ra_jobs_file *files,
                     const char *const *why, size_t nfiles, struct ra_err *err);

void ra_jobs_free(struct ra_jobs *jobs);

/* An input file and why it could not be read (NULL when it could). */
struct ra_jobs_input {
    struct ra_jobs_file f;
    const char *why;
};

/* files[0..nfiles) with why[i] (why may be NULL: all readable), sorted by path, in *out,
 * which the caller frees with free(). Returns 0, or RA_EUSAGE when a path is given twice
 * (*out is then NULL). For ra_jobs_scan_why and ra_pipelines_scan_why. */
int ra_jobs_inputs(struct ra_jobs_input **out, const struct ra_jobs_file *files,
                   const char *const *why, size_t nfiles, struct ra_err *err);

/* Why in is not read, as a problem's code and message about path (into msg, emptied
 * first): RA_EIO (in->why), RA_ELIMIT (larger than RA_JOBS_FILE_MAX), RA_EFORMAT (a NUL
 * in its first 8000 bytes: binary); 0 when it is read. */
int ra_jobs_input_unread(const struct ra_jobs_input *in, const char *path,
                         struct ra_buf *msg);

/* Is the file an example rather than a deployment: under a directory named docs, doc,
 * examples, example, fixtures, or test* (test, tests, testdata...), at any depth? */
int ra_jobs_is_example(const char *path);

/* Names for output: "crontab", "cron.d", "run-parts", "ansible", "systemd", "kubernetes",
 * "terraform", "ofelia". */
const char *ra_job_def_name(enum ra_job_def def);

/* "garbage-collect", "tag-prune", "backup", "probe", "other". */
const char *ra_job_class_name(enum ra_job_class cls);

#endif
