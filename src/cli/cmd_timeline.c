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
    struct cli_evidence ev;
    const char *json;
    enum format format;
    int quiet;
    int progress; /* -v: progress lines even without a terminal */
};

static const struct option longopts[] = {
    {"config", required_argument, NULL, 'c'},
    {"rev", required_argument, NULL, 'r'},
    {"tz", required_argument, NULL, 'z'},
    {"cluster-tz", required_argument, NULL, 'Z'},
    {"log", required_argument, NULL, 'l'},
    {"jobs-file", required_argument, NULL, 'J'},
    {"json", required_argument, NULL, 'j'},
    {"format", required_argument, NULL, 'f'},
    {"no-fold", no_argument, NULL, 'F'},
    {"verify", no_argument, NULL, 'V'},
    {"quiet", no_argument, NULL, 'q'},
    {"progress", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const char usage_head[] =
    "usage: regautopsy timeline [options] SNAPSHOT...\n"
    "\n";

static const char usage_tail[] =
    "  --format text|json|jsonl  output form on stdout (jsonl: one event per line, for\n"
    "                       Timesketch and plaso)\n"
    "  --json FILE|-        also write the JSON form to FILE\n"
    "  --no-fold            list routine events (uploads, layer links) one by one\n"
    "  -q, --quiet          no progress line\n"
    "  -v, --progress       progress lines on stderr even when it is not a terminal\n"
    "\n"
    "exit: 0 nothing lost, 1 losses found, 2 usage or unreadable input\n";

static void usage(FILE *f)
{
    fputs(usage_head, f);
    fputs(cli_evidence_usage, f);
    fputs(usage_tail, f);
}

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
    int r;

    optind = 1;
    while ((c = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
        switch (c) {
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
            o->ev.inv.fold = 0;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case 'v':
            o->progress = 1;
            break;
        case 'h':
            usage(stdout);
            exit(RA_EXIT_OK);
        default:
            if ((r = cli_evidence_option(&o->ev, c, optarg)) > 0)
                break;
            if (!r)
                usage(stderr);
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
    struct timeline_opts o = {0};
    struct ra_investigation *inv = NULL;
    struct ra_buf buf = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct cli_progress prog;
    int rc = RA_EXIT_USAGE, error = 0;

    cli_evidence_init(&o.ev);
    o.format = FORMAT_TEXT;
    if (parse_args(&o, argc, argv) < 0)
        goto done;
    ctx->progress = o.progress;
    {
        const char *out[] = {"-", o.json};
        if (cli_check_outputs(argv + optind, argc - optind, &o.ev, NULL, 0, out, 2) < 0)
            goto done;
    }
    cli_evidence_inputs(&o.ev, argv + optind, argc - optind);
    cli_progress_hooks(&o.ev.inv, &prog, ctx, o.quiet);
    if (ra_investigate(&inv, &o.ev.inv, &err) < 0) {
        cli_error("%s", err.msg);
        goto done;
    }
    if (o.json && (error = ra_timeline_write_json(&buf, inv, &err)) == 0)
        error = cli_write_file(o.json, &buf);
    ra_buf_truncate(&buf, 0);
    if (o.json && !strcmp(o.json, "-")) /* stdout holds the JSON alone */
        ;
    else if (!error && o.format == FORMAT_JSON)
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
    cli_evidence_release(&o.ev);
    return rc;
}
