/* SPDX-License-Identifier: MIT */
/* Shared by the jobs module's files (jobs.c, jobs_cron.c, jobs_unit.c, jobs_yaml.c,
 * jobs_hcl.c, jobs_ci.c, jobs_classify.c, jobs_command.c, jobs_unwrap.c, jobs_shell.c,
 * jobs_values.c, jobs_examples.c) and no one else. */
#ifndef RA_CONFIG_JOBS_JOBS_INTERNAL_H
#define RA_CONFIG_JOBS_JOBS_INTERNAL_H

#include "config/jobs/jobs.h"
#include "config/text/shellwords.h"
#include "util/buf.h"
#include "util/map.h"

/* One input file, NUL-terminated copy (text files only). */
struct ra_jobs_text {
    const char *path;
    const char *base; /* last path segment */
    const char
        *deployed; /* where an Ansible task installs it ("/etc/cron.d/x"), or NULL */
    const char *data;
    size_t len;
};

struct ra_jobs_ctx {
    struct ra_jobs *out;
    struct ra_jobs_text *texts; /* readable text files, sorted by path */
    size_t ntexts;
    struct ra_vec deploys;    /* struct ra_jobs_deploy *, from Ansible tasks */
    struct ra_map values;     /* chart or role directory -> its values (jobs_values.c) */
    struct ra_vec group_vars; /* const struct ra_jobs_text *: ".../group_vars/all..." */
    int group_vars_listed;
};

/* An Ansible template/copy task: the YAML file it is in, its src (or content) and
 * dest. A copy with content: is read as a file of its own (text, from first_line of the
 * YAML file on). */
struct ra_jobs_deploy {
    const char *from;
    const char *src;
    const char *dest;
    struct ra_jobs_text *text; /* content:, or NULL */
    unsigned first_line;
};

/* The name a text has where it runs: its deployed name, else its own. */
const char *ra_jobs_text_name(const struct ra_jobs_text *t);

/* Record a template/copy task (strings are copied). */
void ra_jobs_add_deploy(struct ra_jobs_ctx *ctx, const char *from, const char *src,
                        const char *dest);
void ra_jobs_add_content(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *from,
                         const char *content, size_t len, unsigned first_line,
                         const char *dest);

/* A line of a text: [p, p + len), without its newline (and without a trailing '\r'). */
struct ra_jobs_line {
    const char *p;
    size_t len;
    unsigned no; /* 1-based */
};

/* Iterate lines: set *cursor = text first; returns 0 at the end. */
int ra_jobs_next_line(const char **cursor, struct ra_jobs_line *line);

/* A new job defined at path:line, already in ctx->out->jobs. */
struct ra_job *ra_jobs_add_job(struct ra_jobs_ctx *ctx, enum ra_job_def def,
                               const char *path, unsigned line);

/* A Kubernetes schedule "CRON_TZ=Europe/London 0 3 * * *" (or "TZ=..."): move the zone
 * to j->timezone. */
void ra_jobs_schedule_zone(struct ra_jobs_ctx *ctx, struct ra_job *j);

/* Record a problem with a file (msg is formatted). */
void ra_jobs_add_problem(struct ra_jobs_ctx *ctx, const char *path, unsigned line,
                         int code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Record an image reference if it names the registry. */
void ra_jobs_add_image(struct ra_jobs_ctx *ctx, const char *ref, size_t len,
                       const char *path, unsigned line);

/* Pool copies. */
char *ra_jobs_strndup(struct ra_jobs_ctx *ctx, const char *s, size_t n);
char *ra_jobs_strdup(struct ra_jobs_ctx *ctx, const char *s);

/* The text with this exact path, or NULL. */
const struct ra_jobs_text *ra_jobs_find(const struct ra_jobs_ctx *ctx, const char *path);

/* Does the path (minus a ".j2" suffix) end with suffix? */
int ra_jobs_path_has_suffix(const char *path, const char *suffix);

/* How many leading directories two paths share. */
size_t ra_jobs_shared_dirs(const char *a, const char *b);

/* Format parsers: each reads one text and adds what it finds. */
void ra_jobs_parse_crontab(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t,
                           int has_user);
void ra_jobs_parse_runparts(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t,
                            const char *period);
/* After all files are parsed: run-parts times from an /etc/crontab in the set. */
void ra_jobs_runparts_times(struct ra_jobs_ctx *ctx);
void ra_jobs_parse_timer(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t);
void ra_jobs_parse_terraform(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t);
void ra_jobs_parse_yaml(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t);
/* HCL (jobs_hcl.c): Nomad periodic jobs; Terraform EventBridge rules and schedules. */
void ra_jobs_parse_hcl(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t);
/* Append an argv item to a command line, after a blank: quoted ('...') when it holds
 * blanks on one line, so that "sh", "-c", "a b" reads as sh -c 'a b'. */
void ra_jobs_put_arg(struct ra_buf *out, const char *s);
/* The command in an EventBridge target's input ("command = [\"a\", \"b\"]", JSON
 * "command": [...]): its strings joined with blanks, appended to out. */
void ra_jobs_command_in(struct ra_buf *out, const char *s);
/* j->syntax (and warning) from an EventBridge expression: cron(...), rate(...), at(...).
 */
void ra_jobs_aws_syntax(struct ra_job *j);

/* CI pipelines run on a schedule (GitHub Actions on.schedule, GitLab jobs of scheduled
 * pipelines, Woodpecker cron) and CloudFormation EventBridge resources, in one YAML
 * document (jobs_ci.c). */
struct yaml_document_s;
struct yaml_node_s;
void ra_jobs_yaml_document(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t,
                           struct yaml_document_s *doc, struct yaml_node_s *root);

/* Images started from shell (docker/podman run|create|pull), units' Exec lines and
 * Dockerfiles' FROM (jobs_shell.c). */
int ra_jobs_is_shell(const struct ra_jobs_text *t);
void ra_jobs_shell_images(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t);

/* Examples (jobs_examples.c): the jobs of a README's cron and YAML code blocks, marked
 * as examples; then every example job and image moved to the examples lists. */
void ra_jobs_parse_readme(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t);
void ra_jobs_split_examples(struct ra_jobs_ctx *ctx);
/* May job read the file at path as a script or unit? Not a copy under an example path
 * (docs/, examples/, test.../, fixtures/) when the job is deployed: the hosts do not run
 * that one. An example job may read any. */
int ra_jobs_may_follow(const struct ra_job *job, const char *path);

/* Template values (jobs_values.c). ra_jobs_resolve: s with the {{ }} expressions that
 * the values of path's Helm chart (values.yaml, Chart.yaml) or Ansible role (defaults/,
 * group_vars/all, vars/) give replaced, in the pool; NULL when nothing was replaced.
 * ra_jobs_resolve_job: the same for a job's schedule, command, zone and user, keeping
 * what was written in schedule_raw and command_raw. */
const char *ra_jobs_resolve(struct ra_jobs_ctx *ctx, const char *path, const char *s);
void ra_jobs_resolve_job(struct ra_jobs_ctx *ctx, struct ra_job *j);
void ra_jobs_values_release(struct ra_jobs_ctx *ctx);
/* ra_jobs_parse_crontab on a crontab template (an Ansible role's registry-gc.cron.j2):
 * its lines with their values, each job keeping the schedule and command as written. */
void ra_jobs_parse_crontab_values(struct ra_jobs_ctx *ctx, const struct ra_jobs_text *t,
                                  int has_user);

/* ---- shell commands (words split by config/text/shellwords; jobs_unwrap.c) ---- */

/* The index of the program of the simple command [s, e) after wrappers (sudo, env, xargs,
 * docker exec/run, kubectl exec, loop keywords...); e when there is none. *image is set
 * to the image of a `docker run`, `create` or `pull`, else NULL. */
size_t ra_jobs_unwrap(const struct ra_shellwords *w, size_t s, size_t e,
                      const char **image);

/* The first word at or after s that is not a loop or condition keyword (do, then, !...).
 */
size_t ra_jobs_past_keywords(const struct ra_shellwords *w, size_t s);

/* Is s the registry program or a registry image reference? */
int ra_jobs_registry_word(const char *s);

/* Programs whose quoted words are text, not commands: echo, printf, logger. */
extern const char *const ra_jobs_quoting[];

/* Classification (jobs_classify.c): sets classes, cls, gc, keep, evidence, scripts. */
void ra_jobs_classify(struct ra_jobs_ctx *ctx, struct ra_job *job);

/* Where classification is: the job, the line being read (jobs_classify.c reads them). */
struct ra_jobs_cls {
    struct ra_jobs_ctx *ctx;
    struct ra_job *job;
    struct ra_shellwords *words;
    const char *path; /* of the line being read */
    unsigned line;
    const char *text;
    int file_mentions_tags; /* the file names _manifests/tags somewhere */
    int file_mentions_v2;   /* ... or /v2/ */
};

/* What one line and its simple commands do (jobs_command.c): classes recorded with the
 * line as evidence, gc flags, keep hints, the backup target, images run. */
void ra_jobs_evidence(struct ra_jobs_cls *st, enum ra_job_class cls);
void ra_jobs_line_classes(struct ra_jobs_cls *st, const struct ra_shellwords *w);
void ra_jobs_simple_command(struct ra_jobs_cls *st, const struct ra_shellwords *w,
                            size_t s, size_t e);

/* A short name for a command: its script's basename, or the program and its subcommand
 * ("registry garbage-collect"); into out (emptied first). (jobs_shell.c) */
void ra_jobs_command_name(struct ra_buf *out, const char *command);

#endif
