/* SPDX-License-Identifier: MIT */
/* regautopsy bisect: over snapshots ordered by time, the last one where a tag (or a
 * manifest, or a blob) was pullable and the first where it was not, reading O(log N)
 * of them. */
#include "cli/cli.h"

#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>

#include "analysis/bisect.h"
#include "cli/exit.h"
#include "report/bisect_out.h"

struct bisect_opts {
    const char *json;
    int verify;
};

static const struct cli_opt options[] = {
    {.name = "json",
     .kind = CLI_STRING,
     .off = offsetof(struct bisect_opts, json),
     .arg = "FILE|-",
     .help = "also write the JSON form (docs/json.md) to FILE, or stdout alone"},
    {.name = "verify",
     .kind = CLI_FLAG,
     .off = offsetof(struct bisect_opts, verify),
     .help = "hash every blob of each snapshot read"},
    {.kind = CLI_GROUP, .group = cli_progress_opts},
    {.kind = CLI_GROUP, .group = cli_help_opt},
    {0},
};

static const struct cli_operands operands = {
    2, -1, "expected TARGET and at least one SNAPSHOT", ".I TARGET\n.IR SNAPSHOT ...\n"};

const struct cli_command cmd_bisect_spec = {
    .name = "bisect",
    .synopsis = "[options] TARGET SNAPSHOT...",
    .about =
        "Over the snapshots, ordered by time, find the last one where TARGET was "
        "pullable\n"
        "and the first where it was not, reading about log2(N) of them. TARGET is\n"
        "REPO:TAG, REPO:TAG@PLATFORM (one platform of an index, e.g. linux/arm64/v8),\n"
        "REPO@sha256:HEX (the manifest's revision link and data) or sha256:HEX (a "
        "blob's\n"
        "data, in any repository). SNAPSHOT as for scan (Synology snapshot folders and\n"
        "@time suffixes included).\n\n",
    .column = 18,
    .opts = options,
    .operands = &operands,
    .exit =
        "exit: 0 a pullable -> not pullable pair found, 1 none (never pullable, still\n"
        "pullable, or only became pullable), 2 usage or no snapshot readable\n",
};

static ra_progress_cb progress_for(const char *name, size_t i, size_t n, void *payload)
{
    struct cli_progress *p = payload;
    return cli_progress_start_n(p, name, i, n, p->ctx);
}

static void progress_done(void *payload)
{
    cli_progress_end(payload);
}

static int write_outputs(const struct ra_bisect_result *r, const char *json_path)
{
    struct ra_buf json = RA_BUF_INIT, text = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    int rc = json_path ? ra_bisect_write_json(&json, r, &err) : 0;

    ra_bisect_write_text(&text, r);
    rc = cli_write_json_text(json_path, &json, rc, &err, &text);
    ra_buf_release(&json);
    ra_buf_release(&text);
    return rc;
}

static int exit_code(const struct ra_bisect *b)
{
    if (b->outcome == RA_BISECT_NONE_READ)
        return RA_EXIT_USAGE;
    return b->outcome == RA_BISECT_FOUND ? RA_EXIT_OK : RA_EXIT_FINDINGS;
}

int cmd_bisect(int argc, char **argv, struct ra_ctx *ctx)
{
    struct bisect_opts o = {0};
    struct ra_bisect_target target;
    struct ra_bisect_opts bopts = {0};
    struct ra_bisect_result *res = NULL;
    struct ra_vec specs = RA_VEC_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct cli_progress prog = {0};
    size_t i;
    int rc = RA_EXIT_USAGE;

    memset(&target, 0, sizeof(target));
    if (cli_parse(ctx, &cmd_bisect_spec, &o, argc, argv) < 0 ||
        cli_operands(&cmd_bisect_spec, argc) < 0)
        return RA_EXIT_USAGE;
    if (ra_bisect_target_parse(&target, argv[optind], &err) < 0) {
        cli_error("bisect: %s", err.msg);
        return RA_EXIT_USAGE;
    }
    {
        const char *out[] = {"-", o.json};
        if (cli_check_outputs(argv + optind + 1, argc - optind - 1, NULL, NULL, 0, out,
                              2) < 0)
            goto done;
    }
    if (cli_expand_snapshots(&specs, argv + optind + 1, argc - optind - 1))
        goto done;
    prog.ctx = ctx;
    bopts.verify = o.verify;
    bopts.progress_for = progress_for;
    bopts.progress_done = progress_done;
    bopts.progress_payload = &prog;
    ra_bisect_specs(&res, (struct ra_snapshot_spec *const *)specs.items, specs.len,
                    argv[optind], &target, &bopts);
    for (i = 0; i < res->search.n; i++)
        if (res->snaps[i].error)
            cli_error("%s (skipped)", res->snaps[i].error);
    rc = write_outputs(res, o.json) < 0 ? RA_EXIT_USAGE : exit_code(&res->search);
done:
    ra_bisect_result_free(res);
    cli_free_snapshots(&specs);
    ra_bisect_target_release(&target);
    return rc;
}
