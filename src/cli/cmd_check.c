/* SPDX-License-Identifier: MIT */
/* regautopsy check: build the report model as report does and match an expected JSON
 * against it (a subset match), for regression checks of archived incidents. */
#include "cli/cli.h"

#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>

#include <jansson.h>

#include "analysis/investigate.h"
#include "cli/exit.h"
#include "report/check.h"
#include "report/report_model.h"
#include "util/vec.h"

struct check_opts {
    struct cli_evidence ev;
    struct ra_report_opts model;
    const char *expect;
};

static const struct cli_opt options[] = {
    {.name = "expect",
     .kind = CLI_STRING,
     .off = offsetof(struct check_opts, expect),
     .arg = "FILE|-",
     .help = "the expected JSON (required)",
     .flags = CLI_REQUIRED},
    {.kind = CLI_GROUP,
     .group = cli_evidence_opts,
     .off = offsetof(struct check_opts, ev)},
    {.kind = CLI_GROUP, .group = cli_quiet_opts},
    {0},
};

const struct cli_command cmd_check_spec = {
    .name = "check",
    .synopsis = "--expect FILE [options] SNAPSHOT...",
    .about =
        "Build the report model as 'report' does and match FILE against it: every key "
        "in\n"
        "FILE must be there with the same value (arrays match in any order); keys FILE\n"
        "leaves out are not checked. FILE is 'report --json' output, or part of it.\n\n",
    .column = 23,
    .opts = options,
    .operands = &cli_snapshots,
    .exit = "exit: 0 every expectation holds, 1 some differ (one line each on stdout),\n"
            "      2 usage or unreadable input\n",
};

static int parse_args(struct check_opts *o, int argc, char **argv, struct ra_ctx *ctx)
{
    if (cli_parse(ctx, &cmd_check_spec, o, argc, argv) < 0)
        return -1;
    if (!o->expect) {
        cli_usage_error("check", "no --expect FILE given");
        return -1;
    }
    if (cli_check_input(o->expect, 0) < 0)
        return -1;
    if (cli_operands(&cmd_check_spec, argc) < 0)
        return -1;
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
    struct check_opts o = {0};
    struct ra_investigation *inv = NULL;
    struct ra_err err = RA_ERR_INIT;
    json_t *expected = NULL, *model = NULL;
    int rc = RA_EXIT_USAGE;

    cli_evidence_init(&o.ev);
    cli_report_opts_init(&o.model);
    if (parse_args(&o, argc, argv, ctx) < 0)
        goto done;
    {
        const char *in[] = {o.expect}, *out[] = {"-"};
        if (cli_check_outputs(argv + optind, argc - optind, &o.ev, in, 1, out, 1) < 0)
            goto done;
    }
    cli_verbose(ctx, "reading expectations '%s'", o.expect);
    if (ra_check_load(&expected, o.expect, &err) < 0) {
        cli_error("%s", err.msg);
        goto done;
    }
    if (cli_report_model(&model, &inv, &o.ev, &o.model, argv + optind, argc - optind,
                         ctx) < 0)
        goto done;
    rc = compare(expected, model, o.expect);
done:
    json_decref(expected);
    json_decref(model);
    ra_investigation_free(inv);
    cli_evidence_release(&o.ev);
    return rc;
}
