/* SPDX-License-Identifier: MIT */
/* regautopsy jobs: the scheduled jobs of a config repo, their history, and their firings. */
#include "cli/cli.h"

#include <getopt.h>
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

static const struct option longopts[] = {
    {"config", required_argument, NULL, 'c'},
    {"rev", required_argument, NULL, 'r'},
    {"tz", required_argument, NULL, 'z'},
    {"cluster-tz", required_argument, NULL, 'Z'},
    {"from", required_argument, NULL, 'F'},
    {"to", required_argument, NULL, 'T'},
    {"json", required_argument, NULL, 'j'},
    {"jobs-file", required_argument, NULL, 'f'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const char usage_text[] =
    "usage: regautopsy jobs --config REPO [options]\n"
    "\n"
    "  --config REPO     a git work tree or bare repository of pipeline and host configs\n"
    "  --rev REV         the revision to read (default HEAD), with its whole history\n"
    "  --tz ZONE         the hosts' time zone for cron jobs that name none (default UTC)\n"
    "  --cluster-tz ZONE the Kubernetes controller's zone, for CronJobs without timeZone\n"
    "                    (default UTC; --tz describes hosts, not the cluster)\n"
    "  --from T --to T   list every firing of every job in this window (UTC ISO-8601)\n"
    "  --jobs-file FILE  add jobs from a file outside the repository (repeatable)\n"
    "  --json FILE|-     write the JSON form (docs/json.md)\n"
    "  -v, --verbose     say on stderr what is read and skipped\n"
    "\n"
    "exit: 0 read, 2 usage or unreadable repository\n";

static int parse_time(ra_time *out, const char *opt, const char *s)
{
    if (ra_time_parse(out, s) < 0) {
        cli_error("jobs: %s '%s': not a date-time (2026-04-12T03:25Z)", opt, s);
        return -1;
    }
    return 0;
}

static int parse_args(struct jobs_opts *o, int argc, char **argv, struct ra_ctx *ctx)
{
    int c;

    optind = 1;
    while ((c = cli_getopt(ctx, "jobs", argc, argv, "h", longopts)) != -1) {
        switch (c) {
        case 'c': o->config = optarg; break;
        case 'r': o->rev = optarg; break;
        case 'z':
            if (cli_check_tz("--tz", optarg) < 0)
                return -1;
            o->tz = optarg;
            break;
        case 'Z':
            if (cli_check_tz("--cluster-tz", optarg) < 0)
                return -1;
            o->cluster_tz = optarg;
            break;
        case 'j': o->json = optarg; break;
        case 'f':
            if (cli_check_input(optarg, 0) < 0)
                return -1;
            ra_vec_push(&o->files, optarg);
            break;
        case 'F':
            if (parse_time(&o->from, "--from", optarg) < 0)
                return -1;
            break;
        case 'T':
            if (parse_time(&o->to, "--to", optarg) < 0)
                return -1;
            break;
        case 'h':
            fputs(usage_text, stdout);
            exit(RA_EXIT_OK);
        default:
            return -1;
        }
    }
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
    struct jobs_opts o = {NULL, NULL, NULL, NULL, NULL, RA_TIME_NONE, RA_TIME_NONE, RA_VEC_INIT};
    struct ra_schedule *s = NULL;
    struct ra_vec firings = RA_VEC_INIT;
    struct ra_buf buf = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    int rc = RA_EXIT_USAGE;
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
    if (o.from != RA_TIME_NONE && ra_schedule_firings(&firings, s, o.from, o.to, o.tz, &err) < 0) {
        cli_error("%s", err.msg);
        goto done;
    }
    if (o.json) {
        if (ra_jobs_write_json(&buf, s, &firings, &err) < 0) {
            cli_error("%s", err.msg);
            goto done;
        }
        if (cli_write_file(o.json, &buf) < 0)
            goto done;
    }
    if (!o.json || strcmp(o.json, "-")) {
        ra_buf_truncate(&buf, 0);
        ra_jobs_write_text(&buf, s, &firings);
        fwrite(ra_buf_cstr(&buf), 1, buf.len, stdout);
    }
    rc = RA_EXIT_OK;
done:
    ra_buf_release(&buf);
    ra_vec_release(&firings);
    ra_vec_release(&o.files);
    ra_schedule_free(s);
    return rc;
}
