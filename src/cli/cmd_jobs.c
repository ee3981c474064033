/* SPDX-License-Identifier: MIT */
/* regautopsy jobs: the scheduled jobs of a config repo, their history and firings. */
#include "cli/cli.h"

#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>

#include "cli/exit.h"
#include "config/sched/schedule.h"
#include "report/jobs_out.h"
#include "util/vec.h"

struct jobs_opts {
    const char *config;
    const char *rev;
    const char *tz;
    const char *cluster_tz;
    const char *json;
    ra_time from, to;
    struct ra_vec files;
};

static int set_time(void *field, const struct cli_opt *opt, const char *value)
{
    if (ra_time_parse(field, value) < 0) {
        cli_error("jobs: --%s '%s': not a date-time (2026-04-12T03:25Z)", opt->name,
                  value);
        return -1;
    }
    return 0;
}

static const struct cli_opt options[] = {
    {.name = "config",
     .kind = CLI_STRING,
     .off = offsetof(struct jobs_opts, config),
     .arg = "REPO",
     .help = "a git work tree or bare repository of pipeline and host configs",
     .flags = CLI_REQUIRED},
    {.name = "rev",
     .kind = CLI_STRING,
     .off = offsetof(struct jobs_opts, rev),
     .arg = "REV",
     .help = "the revision to read (default HEAD), with its whole history"},
    {.name = "tz",
     .kind = CLI_CALL,
     .set = cli_set_zone,
     .off = offsetof(struct jobs_opts, tz),
     .arg = "ZONE",
     .help = "the hosts' time zone for cron jobs that name none (default UTC)"},
    {.name = "cluster-tz",
     .kind = CLI_CALL,
     .set = cli_set_zone,
     .off = offsetof(struct jobs_opts, cluster_tz),
     .arg = "ZONE",
     .help = "the Kubernetes controller's zone, for CronJobs without timeZone\n"
             "(default UTC; --tz describes hosts, not the cluster)"},
    {.name = "from",
     .kind = CLI_CALL,
     .set = set_time,
     .off = offsetof(struct jobs_opts, from),
     .arg = "T",
     .label = "--from T --to T",
     .help = "list every firing of every job in this window (UTC ISO-8601)"},
    {.name = "to",
     .kind = CLI_CALL,
     .set = set_time,
     .off = offsetof(struct jobs_opts, to),
     .arg = "T",
     .flags = CLI_NO_HELP},
    {.name = "jobs-file",
     .kind = CLI_CALL,
     .set = cli_add_file,
     .off = offsetof(struct jobs_opts, files),
     .arg = "FILE",
     .help = "add jobs from a file outside the repository (repeatable)"},
    {.name = "json",
     .kind = CLI_STRING,
     .off = offsetof(struct jobs_opts, json),
     .arg = "FILE|-",
     .help = "write the JSON form (docs/json.md)"},
    {.kind = CLI_GROUP, .group = cli_verbose_opt},
    {0},
};

static const struct cli_operands operands = {0, -1, NULL, ""};

const struct cli_command cmd_jobs_spec = {
    .name = "jobs",
    .synopsis = "--config REPO [options]",
    .column = 20,
    .opts = options,
    .operands = &operands,
    .exit = "exit: 0 read, 2 usage or unreadable repository\n",
};

static int parse_args(struct jobs_opts *o, int argc, char **argv, struct ra_ctx *ctx)
{
    if (cli_parse(ctx, &cmd_jobs_spec, o, argc, argv) < 0)
        return -1;
    if (optind < argc) {
        cli_usage_error("jobs", "unexpected argument '%s'", argv[optind]);
        return -1;
    }
    if (!o->config || (o->from == RA_TIME_NONE) != (o->to == RA_TIME_NONE)) {
        cli_usage_error("jobs", "give --config REPO, and --from with --to");
        return -1;
    }
    return 0;
}

static int check_outputs(const struct jobs_opts *o)
{
    const char *out[] = {"-", o->json};
    const char **in = ra_xcalloc(o->files.len + 1, sizeof(*in));
    size_t i;
    int rc;

    in[0] = o->config;
    for (i = 0; i < o->files.len; i++)
        in[i + 1] = o->files.items[i];
    rc = cli_check_outputs(NULL, 0, NULL, in, o->files.len + 1, out, 2);
    free(in);
    return rc;
}

int cmd_jobs(int argc, char **argv, struct ra_ctx *ctx)
{
    struct jobs_opts o = {NULL, NULL,         NULL,         NULL,
                          NULL, RA_TIME_NONE, RA_TIME_NONE, RA_VEC_INIT};
    struct ra_schedule *s = NULL;
    struct ra_vec firings = RA_VEC_INIT;
    struct ra_buf json = RA_BUF_INIT, text = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    int rc = RA_EXIT_USAGE, error;
    size_t i;

    if (parse_args(&o, argc, argv, ctx) < 0)
        goto done;
    if (check_outputs(&o) < 0)
        goto done;
    cli_verbose(ctx, "reading config repo '%s' at %s", o.config, o.rev ? o.rev : "HEAD");
    if (ra_schedule_load(&s, o.config, o.rev, &err) < 0) {
        cli_error("%s", err.msg);
        goto done;
    }
    cli_verbose(ctx, "'%s': %zu commits read%s, %zu jobs, %zu files not read", o.config,
                s->commits.len, s->truncated ? " (the oldest skipped)" : "", s->jobs.len,
                s->problems.len);
    for (i = 0; i < o.files.len; i++) {
        cli_verbose(ctx, "reading jobs file '%s'", (const char *)o.files.items[i]);
        if (ra_schedule_add_file(s, o.files.items[i], &err) < 0) {
            cli_error("%s", err.msg);
            goto done;
        }
    }
    s->cluster_tz = o.cluster_tz;
    if (o.from != RA_TIME_NONE &&
        ra_schedule_firings(&firings, s, o.from, o.to, o.tz, &err) < 0) {
        cli_error("%s", err.msg);
        goto done;
    }
    error = o.json ? ra_jobs_write_json(&json, s, &firings, &err) : 0;
    ra_jobs_write_text(&text, s, &firings);
    if (cli_write_json_text(o.json, &json, error, &err, &text) < 0)
        goto done;
    rc = RA_EXIT_OK;
done:
    ra_buf_release(&json);
    ra_buf_release(&text);
    ra_vec_release(&firings);
    ra_vec_release(&o.files);
    ra_schedule_free(s);
    return rc;
}
