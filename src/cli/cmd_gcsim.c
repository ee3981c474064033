/* SPDX-License-Identifier: MIT */
/* regautopsy gc-sim: what would garbage-collect delete, and which tags would break. */
#include "cli/cli.h"

#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>

#include "analysis/gcsim.h"
#include "cli/exit.h"
#include "report/gcsim_out.h"
#include "util/vec.h"

struct gcsim_opts {
    const char *json;
    struct ra_gc_opts gc;
    int verify;
};

static int set_version(void *field, const struct cli_opt *opt, const char *value)
{
    enum ra_gc_version *out = field;

    (void)opt;
    if (!strcmp(value, "2") || !strncmp(value, "2.", 2)) {
        *out = RA_GC_V2;
    } else if (!strcmp(value, "3") || !strncmp(value, "3.", 2)) {
        *out = RA_GC_V3;
    } else {
        cli_error("gc-sim: --distribution '%s': expected 2.8 or 3", value);
        return -1;
    }
    return 0;
}

static const struct cli_opt options[] = {
    {.name = "distribution",
     .kind = CLI_CALL,
     .set = set_version,
     .off = offsetof(struct gcsim_opts, gc.version),
     .arg = "2.8|3",
     .help = "the registry version whose GC to simulate (default 2.8)"},
    {.name = "delete-untagged",
     .short_name = 'm',
     .kind = CLI_FLAG,
     .off = offsetof(struct gcsim_opts, gc.delete_untagged),
     .help = "as 'garbage-collect -m'"},
    {.name = "json",
     .kind = CLI_STRING,
     .off = offsetof(struct gcsim_opts, json),
     .arg = "FILE|-",
     .help = "write the JSON form (docs/json.md)"},
    {.name = "verify",
     .kind = CLI_FLAG,
     .off = offsetof(struct gcsim_opts, verify),
     .help = "hash every blob (judges pullability like scan --verify)"},
    {.kind = CLI_GROUP, .group = cli_quiet_opts},
    {0},
};

const struct cli_command cmd_gcsim_spec = {
    .name = "gc-sim",
    .synopsis = "[options] SNAPSHOT...",
    .about = "Run Distribution's garbage collector on the snapshot in memory, as that "
             "version\n"
             "runs it on storage, and say what it would delete and which tags would "
             "break.\n\n",
    .column = 25,
    .opts = options,
    .operands = &cli_snapshots,
    .exit = "exit: 0 no pullable tag would break, 1 some would, 2 usage or unreadable "
            "input\n",
};

static int write_outputs(const struct ra_vec *sims, const struct gcsim_opts *o)
{
    struct ra_gcsim *const *items = (struct ra_gcsim *const *)sims->items;
    struct ra_buf buf = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    int rc = 0;

    if (o->json) {
        FILE *f = cli_open_output(o->json);
        int ok;
        if (!f) {
            rc = -1;
        } else {
            /* streamed to f; a failure is reported once, as the file's */
            ok = ra_gcsim_write_json(&buf, f, items, sims->len, &err) == 0;
            if (cli_close_output(f, o->json, ok) < 0)
                rc = -1;
        }
    }
    if (!o->json || strcmp(o->json, "-")) {
        ra_buf_truncate(&buf, 0);
        ra_gcsim_write_text(&buf, items, sims->len);
        fwrite(ra_buf_cstr(&buf), 1, buf.len, stdout);
    }
    ra_buf_release(&buf);
    return rc;
}

int cmd_gcsim(int argc, char **argv, struct ra_ctx *ctx)
{
    struct gcsim_opts o = {NULL, RA_GC_OPTS_INIT, 0};
    struct ra_snapshot_opts sopts = RA_SNAPSHOT_OPTS_INIT;
    struct ra_vec specs = RA_VEC_INIT, sims = RA_VEC_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct cli_progress prog;
    struct ra_gcsim *sim;
    int bad, rc;
    size_t i;

    if (cli_parse(ctx, &cmd_gcsim_spec, &o, argc, argv) < 0 ||
        cli_operands(&cmd_gcsim_spec, argc) < 0)
        return RA_EXIT_USAGE;
    {
        const char *out[] = {"-", o.json};
        if (cli_check_outputs(argv + optind, argc - optind, NULL, NULL, 0, out, 2) < 0)
            return RA_EXIT_USAGE;
    }
    bad = cli_expand_snapshots(&specs, argv + optind, argc - optind);
    sopts.verify = o.verify;
    sopts.progress_payload = &prog;
    for (i = 0; i < specs.len; i++) {
        const struct ra_snapshot_spec *spec = specs.items[i];
        sopts.progress_cb = cli_progress_start(&prog, spec->name, ctx);
        cli_verbose(ctx, "reading snapshot '%s'", spec->path);
        if (ra_gcsim_run(&sim, spec, &sopts, &o.gc, &err) < 0) {
            cli_progress_end(&prog);
            cli_error("%s", err.msg);
            bad++;
            continue;
        }
        cli_progress_end(&prog);
        cli_verbose_snapshot(ctx, sim->snap);
        if (!sim->nregs) {
            cli_error("'%s': no registry root (docker/registry/v2) found", spec->path);
            bad++;
        }
        ra_vec_push(&sims, sim);
    }
    if (write_outputs(&sims, &o) < 0)
        bad++;
    rc = ra_gcsim_breaks_tags((struct ra_gcsim *const *)sims.items, sims.len)
             ? RA_EXIT_FINDINGS
             : RA_EXIT_OK;
    if (bad)
        rc = RA_EXIT_USAGE;
    for (i = 0; i < sims.len; i++)
        ra_gcsim_free(sims.items[i]);
    ra_vec_release(&sims);
    cli_free_snapshots(&specs);
    return rc;
}
