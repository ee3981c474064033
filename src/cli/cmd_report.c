/* SPDX-License-Identifier: MIT */
/* regautopsy report: the Markdown post-mortem, rendered from templates, plus its model as
 * JSON. */
#include "cli/cli.h"

#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "analysis/investigate.h"
#include "cli/exit.h"
#include "report/json.h"
#include "report/render.h"
#include "report/report_model.h"
#include "util/vec.h"

struct report_opts {
    struct cli_evidence ev;
    struct ra_report_opts model;
    const char *template;
    const char *output;
    const char *json;
    int all_snapshots;
};

static int set_now(void *field, const struct cli_opt *opt, const char *value)
{
    (void)opt;
    (void)value;
    *(ra_time *)field = (ra_time)time(NULL);
    return 0;
}

static const struct cli_opt options[] = {
    {.kind = CLI_GROUP,
     .group = cli_evidence_opts,
     .off = offsetof(struct report_opts, ev)},
    {.name = "title",
     .kind = CLI_STRING,
     .off = offsetof(struct report_opts, model.title),
     .arg = "T",
     .help = "the post-mortem's title (default: from the broken tags)"},
    {.name = "template",
     .kind = CLI_STRING,
     .off = offsetof(struct report_opts, template),
     .arg = "FILE|DIR|-",
     .help = "a template file (-: standard input, partials built in), or\n"
             "a directory with postmortem.md.mustache\n"
             "and its partials (default: the installed templates, else\n"
             "the built-in ones)"},
    {.name = "output",
     .short_name = 'o',
     .kind = CLI_STRING,
     .off = offsetof(struct report_opts, output),
     .arg = "FILE",
     .help = "write the post-mortem to FILE (default stdout)"},
    {.name = "json",
     .kind = CLI_STRING,
     .off = offsetof(struct report_opts, json),
     .arg = "FILE|-",
     .help = "write the report model (docs/json.md)"},
    {.name = "all-snapshots",
     .kind = CLI_FLAG,
     .off = offsetof(struct report_opts, all_snapshots),
     .help = "read every snapshot whole (default: of three or more, the\n"
             "oldest, the newest and each loss's bracketing pair whole,\n"
             "bisect probes in part, the others skipped)"},
    {.name = "now",
     .kind = CLI_CALL,
     .set = set_now,
     .off = offsetof(struct report_opts, model.now),
     .help = "print the generation time (off: output depends on inputs only)"},
    {.kind = CLI_GROUP, .group = cli_progress_opts},
    {0},
};

const struct cli_command cmd_report_spec = {
    .name = "report",
    .synopsis = "[options] SNAPSHOT...",
    .column = 23,
    .opts = options,
    .operands = &cli_snapshots,
    .exit =
        "exit: 0 every tag pullable, 1 a tag unpullable or objects lost, 2 usage or bad "
        "input\n",
};

static int parse_args(struct report_opts *o, int argc, char **argv, struct ra_ctx *ctx)
{
    if (cli_parse(ctx, &cmd_report_spec, o, argc, argv) < 0)
        return -1;
    if (cli_operands(&cmd_report_spec, argc) < 0)
        return -1;
    if (o->template && cli_check_input(o->template, 1) < 0)
        return -1;
    return 0;
}

/* The installed templates, found relative to the executable: <bin>/../share/regautopsy/
 * templates when installed, <build>/share/regautopsy/templates in a build tree. Without
 * them the report uses the templates compiled into the binary. */
static int default_templates(char *out, size_t len)
{
    static const char *const rel[] = {"/../share/regautopsy/templates",
                                      "/share/regautopsy/templates"};
    char exe[PATH_MAX];
    struct stat st;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    char *slash;
    size_t i;

    if (n <= 0)
        return -1;
    exe[n] = '\0';
    if (!(slash = strrchr(exe, '/')))
        return -1;
    *slash = '\0';
    for (i = 0; i < RA_ARRAY_SIZE(rel); i++) {
        if (snprintf(out, len, "%s%s", exe, rel[i]) >= (int)len)
            continue;
        if (!stat(out, &st) && S_ISDIR(st.st_mode))
            return 0;
    }
    return -1;
}

static int write_outputs(json_t *model, const struct report_opts *o)
{
    struct ra_buf buf = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    char dir[PATH_MAX];
    const char *tmpl = o->template;
    int rc = -1;

    if (o->json) {
        if (ra_json_write(&buf, json_incref(model), JSON_INDENT(2), "report", &err) < 0) {
            cli_error("%s", err.msg);
            goto done;
        }
        if (cli_write_file(o->json, &buf) < 0)
            goto done;
        ra_buf_truncate(&buf, 0);
    }
    if (!tmpl && default_templates(dir, sizeof(dir)) == 0)
        tmpl = dir;
    /* no --template and none beside the executable: the compiled-in defaults */
    if ((tmpl ? ra_report_render(&buf, model, tmpl, &err)
              : ra_report_render_builtin(&buf, model, &err)) < 0) {
        cli_error("%s", err.msg);
        goto done;
    }
    if (o->output) {
        if (cli_write_file(o->output, &buf) < 0)
            goto done;
    } else if (!o->json || strcmp(o->json, "-")) {
        fwrite(ra_buf_cstr(&buf), 1, buf.len, stdout);
    }
    rc = 0;
done:
    ra_buf_release(&buf);
    return rc;
}

/* The outputs against every input, the installed templates included. */
static int check_outputs(const struct report_opts *o, char **snapshots, int n)
{
    char dir[PATH_MAX];
    const char *in[] = {o->template, NULL};
    const char *out[] = {o->output ? o->output : "-", o->json};

    if (!o->template && default_templates(dir, sizeof(dir)) == 0)
        in[1] = dir;
    return cli_check_outputs(snapshots, n, &o->ev, in, 2, out, 2);
}

void cli_report_opts_init(struct ra_report_opts *mo)
{
    *mo = (struct ra_report_opts)RA_REPORT_OPTS_INIT;
    mo->version = RA_VERSION;
}

int cli_report_model(json_t **out, struct ra_investigation **inv, struct cli_evidence *ev,
                     const struct ra_report_opts *mo, char **snapshots, int n,
                     const struct ra_ctx *ctx)
{
    struct ra_err err = RA_ERR_INIT;

    if (cli_investigate(inv, ev, snapshots, n, ctx) < 0)
        return -1;
    if (ra_report_build(out, *inv, mo, &err) < 0) {
        cli_error("%s", err.msg);
        return -1;
    }
    return 0;
}

int cmd_report(int argc, char **argv, struct ra_ctx *ctx)
{
    struct report_opts o = {0};
    struct ra_investigation *inv = NULL;
    json_t *model = NULL;
    int rc = RA_EXIT_USAGE;

    cli_evidence_init(&o.ev);
    cli_report_opts_init(&o.model);
    if (parse_args(&o, argc, argv, ctx) < 0)
        goto done;
    o.ev.inv.pick = !o.all_snapshots;
    if (check_outputs(&o, argv + optind, argc - optind) < 0)
        goto done;
    if (cli_report_model(&model, &inv, &o.ev, &o.model, argv + optind, argc - optind,
                         ctx) < 0)
        goto done;
    if (write_outputs(model, &o) < 0)
        goto done;
    rc = json_integer_value(
             json_object_get(json_object_get(model, "summary"), "broken_tags")) ||
                 inv->losses->items.len
             ? RA_EXIT_FINDINGS
             : RA_EXIT_OK;
done:
    json_decref(model);
    ra_investigation_free(inv);
    cli_evidence_release(&o.ev);
    return rc;
}
