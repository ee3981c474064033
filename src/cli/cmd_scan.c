/* SPDX-License-Identifier: MIT */
/* regautopsy scan: read snapshots, judge every tag and platform, print text or JSON. */
#include "cli/cli.h"

#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>

#include "analysis/scan.h"
#include "cli/exit.h"
#include "ingest/snapshot.h"
#include "report/prom_out.h"
#include "report/scan_out.h"
#include "util/vec.h"

struct scan_opts {
    const char *json;
    const char *prometheus;
    int verify;
    int all_tags;
};

static const struct cli_opt options[] = {
    {.name = "json",
     .kind = CLI_STRING,
     .off = offsetof(struct scan_opts, json),
     .arg = "FILE|-",
     .help = "write the JSON form (docs/json.md) to FILE, or stdout"},
    {.name = "verify",
     .kind = CLI_FLAG,
     .off = offsetof(struct scan_opts, verify),
     .help = "hash every blob and compare with its digest"},
    {.name = "prometheus",
     .kind = CLI_STRING,
     .off = offsetof(struct scan_opts, prometheus),
     .arg = "FILE",
     .help = "write metrics for node_exporter's textfile collector to\n"
             "FILE, replacing it atomically (the probe; docs/guide.md)"},
    {.name = "all-tags",
     .kind = CLI_FLAG,
     .off = offsetof(struct scan_opts, all_tags),
     .help = "list pullable tags in the summary too"},
    {.kind = CLI_GROUP, .group = cli_progress_opts},
    {.kind = CLI_GROUP, .group = cli_help_opt},
    {0},
};

static const struct cli_operands operands = {1, -1, "no SNAPSHOT given",
                                             ".IR SNAPSHOT ...|\\-\n"};

const struct cli_command cmd_scan_spec = {
    .name = "scan",
    .synopsis = "[options] SNAPSHOT...",
    .about =
        "SNAPSHOT is an archive (tar, tar.gz, tar.zst, tar.xz, zip, cpio), a directory\n"
        "(a storage root, any folder above one, or a folder of Synology snapshot "
        "folders),\n"
        "optionally suffixed @2026-04-12T01:00Z to state when it was taken.\n\n",
    .column = 18,
    .opts = options,
    .operands = &operands,
    .exit = "exit: 0 all tags pullable, 1 a tag unpullable or a critical finding,\n"
            "      2 usage or unreadable input\n",
};

/* Scan every spec; unreadable ones are reported and counted in *bad. */
static void scan_all(struct ra_vec *scans, const struct ra_vec *specs,
                     const struct scan_opts *o, struct ra_ctx *ctx, int *bad)
{
    struct ra_snapshot_opts sopts = RA_SNAPSHOT_OPTS_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_snapshot *prev;
    struct ra_scan *s;
    struct cli_progress prog;
    size_t i, k;
    int rc;

    sopts.verify = o->verify;
    sopts.progress_payload = &prog;
    for (i = 0; i < specs->len; i++) {
        const struct ra_snapshot_spec *spec = specs->items[i];
        sopts.progress_cb = cli_progress_start_n(&prog, spec->name, i, specs->len, ctx);
        cli_verbose(ctx, "reading snapshot '%s'", spec->path);
        /* the one before lends what is provably unchanged (docs/snapshots.md) */
        prev = scans->len ? ((struct ra_scan *)scans->items[scans->len - 1])->snap : NULL;
        sopts.prev = prev;
        rc = ra_scan_run(&s, spec, &sopts, &err);
        if (prev)
            ra_snapshot_drop_walk(prev); /* not needed again */
        if (rc < 0) {
            cli_progress_end(&prog);
            cli_error("%s", err.msg);
            (*bad)++;
            continue;
        }
        cli_progress_end(&prog);
        cli_verbose_snapshot(ctx, s->snap);
        for (k = 0; k < s->snap->unread.len; k++) { /* also the unreadable findings */
            const struct ra_unread *u = s->snap->unread.items[k];
            cli_error("'%s': not read: '%s': %s", spec->path, u->path, u->why);
        }
        if (!s->nregs) {
            cli_error("'%s': no registry root (docker/registry/v2) found in %llu members",
                      spec->path, (unsigned long long)s->snap->entries);
            (*bad)++;
        }
        ra_vec_push(scans, s);
    }
}

static int write_outputs(const struct ra_vec *scans, const struct scan_opts *o)
{
    struct ra_scan *const *items = (struct ra_scan *const *)scans->items;
    struct ra_buf json = RA_BUF_INIT, text = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    int rc = o->json ? ra_scan_write_json(&json, items, scans->len, &err) : 0;

    ra_scan_write_text(&text, items, scans->len, o->all_tags ? RA_SCAN_TEXT_ALL_TAGS : 0);
    rc = cli_write_json_text(o->json, &json, rc, &err, &text);
    ra_buf_release(&json);
    ra_buf_release(&text);
    return rc;
}

int cmd_scan(int argc, char **argv, struct ra_ctx *ctx)
{
    struct scan_opts o = {0};
    struct ra_vec specs = RA_VEC_INIT, scans = RA_VEC_INIT;
    struct ra_prom_run run = RA_PROM_RUN_INIT;
    struct ra_err err = RA_ERR_INIT;
    int bad, rc = RA_EXIT_OK;
    size_t k;

    if (cli_parse(ctx, &cmd_scan_spec, &o, argc, argv) < 0 ||
        cli_operands(&cmd_scan_spec, argc) < 0)
        return RA_EXIT_USAGE;

    {
        const char *out[] = {"-", o.json, o.prometheus};
        if (cli_check_outputs(argv + optind, argc - optind, NULL, NULL, 0, out, 3) < 0)
            return RA_EXIT_USAGE;
    }
    ra_prom_start(&run);
    bad = cli_expand_snapshots(&specs, argv + optind, argc - optind);
    scan_all(&scans, &specs, &o, ctx, &bad);
    run.failed = bad;
    if (write_outputs(&scans, &o) < 0)
        bad++;
    if (o.prometheus &&
        ra_prom_write_file(o.prometheus, (struct ra_scan *const *)scans.items, scans.len,
                           &run, &err) < 0) {
        cli_error("%s", err.msg);
        bad++;
    }
    for (k = 0; k < scans.len; k++) {
        const struct ra_scan *s = scans.items[k];
        if (ra_scan_has_unpullable(s) || ra_scan_has_critical(s))
            rc = RA_EXIT_FINDINGS;
    }
    if (bad)
        rc = RA_EXIT_USAGE;
    for (k = 0; k < scans.len; k++)
        ra_scan_free(scans.items[k]);
    ra_vec_release(&scans);
    cli_free_snapshots(&specs);
    return rc;
}
