/* SPDX-License-Identifier: MIT */
/* regautopsy timeline: one merged, sorted timeline of snapshots, config, job runs, logs
 * and losses, with the suspects for each loss. */
#include "cli/cli.h"

#include <getopt.h>
#include <stddef.h>
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
};

static int set_format(void *field, const struct cli_opt *opt, const char *value)
{
    enum format *out = field;

    (void)opt;
    if (!strcmp(value, "text")) {
        *out = FORMAT_TEXT;
    } else if (!strcmp(value, "json")) {
        *out = FORMAT_JSON;
    } else if (!strcmp(value, "jsonl")) {
        *out = FORMAT_JSONL;
    } else {
        cli_error("timeline: --format '%s': expected text, json or jsonl", value);
        return -1;
    }
    return 0;
}

static const struct cli_opt options[] = {
    {.kind = CLI_GROUP,
     .group = cli_evidence_opts,
     .off = offsetof(struct timeline_opts, ev)},
    {.name = "format",
     .kind = CLI_CALL,
     .set = set_format,
     .off = offsetof(struct timeline_opts, format),
     .arg = "text|json|jsonl",
     .help =
         "output form on stdout (jsonl: one event per line, for\nTimesketch and plaso)"},
    {.name = "json",
     .kind = CLI_STRING,
     .off = offsetof(struct timeline_opts, json),
     .arg = "FILE|-",
     .help = "also write the JSON form to FILE"},
    {.name = "no-fold",
     .kind = CLI_CLEAR,
     .off = offsetof(struct timeline_opts, ev.inv.fold),
     .help = "list routine events (uploads, layer links) one by one"},
    {.kind = CLI_GROUP, .group = cli_progress_opts},
    {0},
};

const struct cli_command cmd_timeline_spec = {
    .name = "timeline",
    .synopsis = "[options] SNAPSHOT...",
    .column = 23,
    .opts = options,
    .operands = &cli_snapshots,
    .exit = "exit: 0 nothing lost, 1 losses found, 2 usage or unreadable input\n",
};

static int parse_args(struct timeline_opts *o, int argc, char **argv, struct ra_ctx *ctx)
{
    if (cli_parse(ctx, &cmd_timeline_spec, o, argc, argv) < 0)
        return -1;
    if (o->json && !strcmp(o->json, "-") && o->format != FORMAT_TEXT) {
        cli_usage_error("timeline", "--json - and --format %s both write to stdout",
                        o->format == FORMAT_JSON ? "json" : "jsonl");
        return -1;
    }
    if (cli_operands(&cmd_timeline_spec, argc) < 0)
        return -1;
    return 0;
}

int cmd_timeline(int argc, char **argv, struct ra_ctx *ctx)
{
    struct timeline_opts o = {0};
    struct ra_investigation *inv = NULL;
    struct ra_buf buf = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    int rc = RA_EXIT_USAGE, error = 0;

    cli_evidence_init(&o.ev);
    o.format = FORMAT_TEXT;
    if (parse_args(&o, argc, argv, ctx) < 0)
        goto done;
    {
        const char *out[] = {"-", o.json};
        if (cli_check_outputs(argv + optind, argc - optind, &o.ev, NULL, 0, out, 2) < 0)
            goto done;
    }
    if (cli_investigate(&inv, &o.ev, argv + optind, argc - optind, ctx) < 0)
        goto done;
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
