/* SPDX-License-Identifier: MIT */
/* regautopsy scan: read snapshots, judge every tag and platform, print a summary or JSON. */
#include "cli/cli.h"

#include <getopt.h>
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
    int quiet;
    int progress; /* --progress: progress lines even without a terminal */
    int all_tags;
};

static const struct option longopts[] = {
    {"json", required_argument, NULL, 'j'},
    {"verify", no_argument, NULL, 'V'},
    {"prometheus", required_argument, NULL, 'P'},
    {"quiet", no_argument, NULL, 'q'},
    {"progress", no_argument, NULL, 'G'},
    {"all-tags", no_argument, NULL, 'a'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const char usage_text[] =
    "usage: regautopsy scan [options] SNAPSHOT...\n"
    "\n"
    "SNAPSHOT is an archive (tar, tar.gz, tar.zst, tar.xz, zip, cpio), a directory\n"
    "(a storage root, any folder above one, or a folder of Synology snapshot folders),\n"
    "optionally suffixed @2026-04-12T01:00Z to state when it was taken.\n"
    "\n"
    "  --json FILE|-   write the JSON form (docs/json.md) to FILE, or stdout\n"
    "  --verify        hash every blob and compare with its digest\n"
    "  --prometheus FILE  write metrics for node_exporter's textfile collector to\n"
    "                  FILE, replacing it atomically (the probe; docs/guide.md)\n"
    "  --all-tags      list pullable tags in the summary too\n"
    "  -v, --verbose   say on stderr what is read and skipped\n"
    "  -q, --quiet     no progress line on stderr\n"
    "  --progress      progress lines on stderr even when it is not a terminal\n"
    "  -h, --help      this text\n"
    "\n"
    "exit: 0 all tags pullable, 1 a tag unpullable or a critical finding,\n"
    "      2 usage or unreadable input\n";

static int parse_args(struct scan_opts *o, int argc, char **argv, struct ra_ctx *ctx)
{
    int c;

    optind = 1;
    while ((c = cli_getopt(ctx, "scan", argc, argv, "qh", longopts)) != -1) {
        switch (c) {
        case 'j':
            o->json = optarg;
            break;
        case 'V':
            o->verify = 1;
            break;
        case 'P':
            o->prometheus = optarg;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case 'G':
            o->progress = 1;
            break;
        case 'a':
            o->all_tags = 1;
            break;
        case 'h':
            fputs(usage_text, stdout);
            exit(RA_EXIT_OK);
        default:
            return -1;
        }
    }
    if (optind >= argc) {
        cli_usage_error("scan", "no SNAPSHOT given");
        return -1;
    }
    return 0;
}

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
        sopts.progress_cb = cli_progress_start_n(&prog, spec->name, i, specs->len, ctx, o->quiet);
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
    struct ra_buf buf = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    int rc = 0;

    if (o->json) {
        if (ra_scan_write_json(&buf, (struct ra_scan *const *)scans->items, scans->len,
                               &err) < 0) {
            cli_error("%s", err.msg);
            rc = -1;
        } else if (cli_write_file(o->json, &buf) < 0) {
            rc = -1;
        }
    }
    if (!o->json || strcmp(o->json, "-")) {
        ra_buf_truncate(&buf, 0);
        ra_scan_write_text(&buf, (struct ra_scan *const *)scans->items, scans->len,
                           o->all_tags ? RA_SCAN_TEXT_ALL_TAGS : 0);
        fwrite(ra_buf_cstr(&buf), 1, buf.len, stdout);
    }
    ra_buf_release(&buf);
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

    if (parse_args(&o, argc, argv, ctx) < 0)
        return RA_EXIT_USAGE;

    ctx->progress = o.progress;
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
