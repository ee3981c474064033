/* SPDX-License-Identifier: MIT */
/* regautopsy timeline: one merged, sorted timeline of snapshots, config, job runs, logs
 * and losses, with the suspects for each loss. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdlib.h>

#include "analysis/investigate.h"
#include "cli/exit.h"
#include "report/timeline_out.h"
#include "util/vec.h"

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_JSONL };

struct timeline_opts {
    struct ra_investigate_opts inv;
    struct ra_vec logs;
    struct ra_vec jobs_files;
    const char *json;
    enum format format;
    int quiet;
};

static const struct option longopts[] = {
    {"config", required_argument, NULL, 'c'},
    {"rev", required_argument, NULL, 'r'},
    {"tz", required_argument, NULL, 'z'},
    {"log", required_argument, NULL, 'l'},
    {"jobs-file", required_argument, NULL, 'J'},
    {"json", required_argument, NULL, 'j'},
    {"format", required_argument, NULL, 'f'},
    {"no-fold", no_argument, NULL, 'F'},
    {"verify", no_argument, NULL, 'V'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const char usage_text[] =
    "usage: regautopsy timeline [options] SNAPSHOT...\n"
    "\n"
    "  --config REPO        the config repo (git work tree or bare repo) with the jobs\n"
    "  --rev REV            its revision to read (default HEAD)\n"
    "  --tz ZONE            the hosts' time zone for cron jobs that name none (default UTC)\n"
    "  --log FILE           a registry log, GC output or pipeline history (repeatable)\n"
    "  --jobs-file FILE     job definitions outside the config repo (repeatable)\n"
    "  --format text|json|jsonl  output form on stdout (jsonl: one event per line, for\n"
    "                       Timesketch and plaso)\n"
    "  --json FILE|-        also write the JSON form to FILE\n"
    "  --no-fold            list routine events (uploads, layer links) one by one\n"
    "  --verify             hash every blob\n"
    "  -q, --quiet          no progress line\n"
    "\n"
    "exit: 0 nothing lost, 1 losses found, 2 usage or unreadable input\n";

static int parse_format(enum format *out, const char *s)
{
    if (!strcmp(s, "text"))
        *out = FORMAT_TEXT;
    else if (!strcmp(s, "json"))
        *out = FORMAT_JSON;
    else if (!strcmp(s, "jsonl"))
        *out = FORMAT_JSONL;
    else
        return -1;
    return 0;
}

static int parse_args(struct timeline_opts *o, int argc, char **argv)
{
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            o->inv.config = optarg;
            break;
        case 'r':
            o->inv.rev = optarg;
            break;
        case 'z':
            o->inv.tz = optarg;
            break;
        case 'l':
            ra_vec_push(&o->logs, optarg);
            break;
        case 'J':
            ra_vec_push(&o->jobs_files, optarg);
            break;
        case 'j':
            o->json = optarg;
            break;
        case 'f':
            if (parse_format(&o->format, optarg) < 0) {
                cli_error("timeline: --format '%s': expected text, json or jsonl", optarg);
                return -1;
            }
            break;
        case 'F':
            o->inv.fold = 0;
            break;
        case 'V':
            o->inv.verify = 1;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case 'h':
            fputs(usage_text, stdout);
            exit(RA_EXIT_OK);
        default:
            fputs(usage_text, stderr);
            return -1;
        }
    }
    if (optind >= argc) {
        cli_error("timeline: no SNAPSHOT given");
        return -1;
    }
    return 0;
}

int cmd_timeline(int argc, char **argv, struct ra_ctx *ctx)
{
    struct timeline_opts o = {{0}, RA_VEC_INIT, RA_VEC_INIT, NULL, FORMAT_TEXT, 0};
    struct ra_investigation *inv = NULL;
    struct ra_buf buf = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct cli_progress prog;
    int rc = RA_EXIT_USAGE, error = 0;

    o.inv.fold = 1;
    if (parse_args(&o, argc, argv) < 0)
        goto done;
    o.inv.snapshots = argv + optind;
    o.inv.nsnapshots = (size_t)(argc - optind);
    o.inv.logs = (char **)o.logs.items;
    o.inv.nlogs = o.logs.len;
    o.inv.jobs_files = (char **)o.jobs_files.items;
    o.inv.njobs_files = o.jobs_files.len;
    cli_progress_hooks(&o.inv, &prog, ctx, o.quiet);
    if (ra_investigate(&inv, &o.inv, &err) < 0) {
        cli_error("%s", err.msg);
        goto done;
    }
    if (o.json && (error = ra_timeline_write_json(&buf, inv, &err)) == 0)
        error = cli_write_file(o.json, &buf);
    ra_buf_truncate(&buf, 0);
    if (!error && o.format == FORMAT_JSON)
        error = ra_timeline_write_json(&buf, inv, &err);
    else if (!error && o.format == FORMAT_JSONL)
        error = ra_timeline_write_jsonl(&buf, inv, &err);
    else if (!error)
        ra_timeline_write_text(&buf, inv);
    if (error) {
        if (err.msg[0])
            cli_error("%s", err.msg);
        goto done;
    }
    fwrite(ra_buf_cstr(&buf), 1, buf.len, stdout);
    rc = inv->losses->items.len ? RA_EXIT_FINDINGS : RA_EXIT_OK;
done:
    ra_investigation_free(inv);
    ra_buf_release(&buf);
    ra_vec_release(&o.logs);
    ra_vec_release(&o.jobs_files);
    return rc;
}
