/* SPDX-License-Identifier: MIT */
/* regautopsy check: build the report model as report does and match an expected JSON
 * against it (a subset match), for regression checks of archived incidents. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdlib.h>

#include <jansson.h>

#include "analysis/investigate.h"
#include "cli/exit.h"
#include "report/check.h"
#include "report/report_model.h"
#include "util/vec.h"

struct check_opts {
    struct ra_investigate_opts inv;
    struct ra_report_opts model;
    struct ra_vec logs;
    const char *expect;
    int quiet;
};

static const struct option longopts[] = {
    {"expect", required_argument, NULL, 'e'},
    {"config", required_argument, NULL, 'c'},
    {"rev", required_argument, NULL, 'r'},
    {"tz", required_argument, NULL, 'z'},
    {"log", required_argument, NULL, 'l'},
    {"verify", no_argument, NULL, 'V'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const char usage_text[] =
    "usage: regautopsy check --expect FILE [options] SNAPSHOT...\n"
    "\n"
    "Build the report model as 'report' does and match FILE against it: every key in\n"
    "FILE must be there with the same value (arrays match in any order); keys FILE\n"
    "leaves out are not checked. FILE is 'report --json' output, or part of it.\n"
    "\n"
    "  --expect FILE   the expected JSON (required)\n"
    "  --config REPO   the config repo with the jobs and pipelines\n"
    "  --rev REV       its revision (default HEAD)\n"
    "  --tz ZONE       the hosts' time zone for cron jobs that name none (default UTC)\n"
    "  --log FILE      registry log, GC output or pipeline history (repeatable)\n"
    "  --verify        hash every blob\n"
    "  -q, --quiet     no progress line\n"
    "\n"
    "exit: 0 every expectation holds, 1 some differ (one line each on stdout),\n"
    "      2 usage or unreadable input\n";

static int parse_args(struct check_opts *o, int argc, char **argv)
{
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'e':
            o->expect = optarg;
            break;
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
    if (!o->expect) {
        cli_error("check: no --expect FILE given");
        return -1;
    }
    if (optind >= argc) {
        cli_error("check: no SNAPSHOT given");
        return -1;
    }
    return 0;
}

/* Print the differences and the verdict; the exit code. */
static int compare(json_t *expected, json_t *model, const char *file)
{
    struct ra_buf diffs = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    size_t ndiffs = 0, nchecked = 0;
    int rc = RA_EXIT_USAGE;

    if (ra_check_subset(&diffs, &ndiffs, &nchecked, expected, model, &err) < 0) {
        cli_error("check: '%s': %s", file, err.msg);
        goto done;
    }
    fwrite(ra_buf_cstr(&diffs), 1, diffs.len, stdout);
    if (ndiffs)
        printf("check: %zu difference%s from '%s' (%zu expectation%s)\n", ndiffs,
               ndiffs == 1 ? "" : "s", file, nchecked, nchecked == 1 ? "" : "s");
    else
        printf("check: %zu expectation%s hold%s\n", nchecked, nchecked == 1 ? "" : "s",
               nchecked == 1 ? "s" : "");
    rc = ndiffs ? RA_EXIT_FINDINGS : RA_EXIT_OK;
done:
    ra_buf_release(&diffs);
    return rc;
}

int cmd_check(int argc, char **argv, struct ra_ctx *ctx)
{
    struct check_opts o = {{0}, RA_REPORT_OPTS_INIT, RA_VEC_INIT, NULL, 0};
    struct ra_investigation *inv = NULL;
    struct ra_err err = RA_ERR_INIT;
    struct cli_progress prog;
    json_t *expected = NULL, *model = NULL;
    int rc = RA_EXIT_USAGE;

    o.inv.fold = 1;
    o.model.version = RA_VERSION;
    if (parse_args(&o, argc, argv) < 0)
        goto done;
    if (ra_check_load(&expected, o.expect, &err) < 0) {
        cli_error("%s", err.msg);
        goto done;
    }
    o.inv.snapshots = argv + optind;
    o.inv.nsnapshots = (size_t)(argc - optind);
    o.inv.logs = (char **)o.logs.items;
    o.inv.nlogs = o.logs.len;
    cli_progress_hooks(&o.inv, &prog, ctx, o.quiet);
    if (ra_investigate(&inv, &o.inv, &err) < 0 ||
        ra_report_build(&model, inv, &o.model, &err) < 0) {
        cli_error("%s", err.msg);
        goto done;
    }
    rc = compare(expected, model, o.expect);
done:
    json_decref(expected);
    json_decref(model);
    ra_investigation_free(inv);
    ra_vec_release(&o.logs);
    return rc;
}
