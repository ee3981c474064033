/* SPDX-License-Identifier: MIT */
/* regautopsy diff: what changed between two snapshots of the same storage. */
#include "cli/cli.h"

#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>

#include "analysis/diff.h"
#include "cli/exit.h"
#include "report/diff_out.h"
#include "util/vec.h"

struct diff_opts {
    const char *json;
    int verify;
};

static const struct cli_opt options[] = {
    {.name = "json",
     .kind = CLI_STRING,
     .off = offsetof(struct diff_opts, json),
     .arg = "FILE|-",
     .help = "write the JSON form (docs/json.md)"},
    {.name = "verify",
     .kind = CLI_FLAG,
     .off = offsetof(struct diff_opts, verify),
     .help = "hash every blob in both"},
    {.kind = CLI_GROUP, .group = cli_quiet_opts},
    {0},
};

static const struct cli_operands operands = {
    2, 2, "give exactly two snapshots, OLD and NEW", ".I OLD NEW\n"};

const struct cli_command cmd_diff_spec = {
    .name = "diff",
    .synopsis = "[options] OLD NEW",
    .about =
        "Compare two snapshots of the same registry storage (same forms as scan).\n\n",
    .column = 18,
    .opts = options,
    .operands = &operands,
    .exit = "exit: 0 no tag became unpullable, 1 some did, 2 usage or unreadable input\n",
};

static int load(struct ra_scan **out, const char *arg, const struct diff_opts *o,
                struct ra_ctx *ctx)
{
    struct ra_vec specs = RA_VEC_INIT;
    struct ra_snapshot_opts sopts = RA_SNAPSHOT_OPTS_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct cli_progress prog;
    int rc = -1;

    *out = NULL;
    if (cli_expand_snapshots(&specs, (char **)&arg, 1))
        goto done;
    if (specs.len != 1) {
        cli_error("diff: '%s' holds %zu snapshots; name one", arg, specs.len);
        goto done;
    }
    sopts.verify = o->verify;
    sopts.progress_payload = &prog;
    sopts.progress_cb = cli_progress_start(&prog, arg, ctx);
    cli_verbose(ctx, "reading snapshot '%s'", arg);
    rc = ra_scan_run(out, specs.items[0], &sopts, &err);
    cli_progress_end(&prog);
    if (rc < 0)
        cli_error("%s", err.msg);
    else
        cli_verbose_snapshot(ctx, (*out)->snap);
done:
    cli_free_snapshots(&specs);
    return rc < 0 ? -1 : 0;
}

int cmd_diff(int argc, char **argv, struct ra_ctx *ctx)
{
    struct diff_opts o = {0};
    struct ra_scan *old_scan = NULL, *new_scan = NULL;
    struct ra_diff *d = NULL;
    struct ra_buf json = RA_BUF_INIT, text = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    int rc = RA_EXIT_USAGE, error;
    size_t i;

    if (cli_parse(ctx, &cmd_diff_spec, &o, argc, argv) < 0 ||
        cli_operands(&cmd_diff_spec, argc) < 0)
        return RA_EXIT_USAGE;
    {
        const char *out[] = {"-", o.json};
        if (cli_check_outputs(argv + optind, 2, NULL, NULL, 0, out, 2) < 0)
            return RA_EXIT_USAGE;
    }
    if (load(&old_scan, argv[optind], &o, ctx) < 0 ||
        load(&new_scan, argv[optind + 1], &o, ctx) < 0)
        goto done;
    ra_diff_compute(&d, old_scan, new_scan);
    error = o.json ? ra_diff_write_json(&json, d, &err) : 0;
    ra_diff_write_text(&text, d);
    if (cli_write_json_text(o.json, &json, error, &err, &text) < 0)
        goto done;
    rc = RA_EXIT_OK;
    for (i = 0; i < d->nregs; i++)
        if (d->regs[i].counts[RA_CHANGE_BECAME_UNPULLABLE])
            rc = RA_EXIT_FINDINGS;
done:
    ra_buf_release(&json);
    ra_buf_release(&text);
    ra_diff_free(d);
    ra_scan_free(old_scan);
    ra_scan_free(new_scan);
    return rc;
}
