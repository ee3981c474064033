/* SPDX-License-Identifier: MIT */
/* Each command's options, declared once in a table (struct cli_opt) that drives
 * getopt_long, the command's --help and the man page's SYNOPSIS (help --man). */
#include "cli/cli.h"

#include <ctype.h>
#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cli/exit.h"

#define MAX_OPTS 40

/* A command's options with their groups expanded, each with where its value goes. */
struct flat {
    const struct cli_opt *opt[MAX_OPTS];
    size_t base[MAX_OPTS]; /* the offset of its group in the command's options */
    size_t n;
};

/* -h/--help, for a table that does not list it */
static const struct cli_opt help_hidden[] = {
    {.name = "help", .short_name = 'h', .kind = CLI_HELP, .flags = CLI_NO_HELP},
    {0},
};

static void flatten(struct flat *f, const struct cli_opt *t, size_t base)
{
    for (; t->name || t->kind == CLI_GROUP; t++) {
        if (t->kind == CLI_GROUP) {
            flatten(f, t->group, base + t->off);
            continue;
        }
        if (f->n == MAX_OPTS)
            abort(); /* a table too long is a bug: raise MAX_OPTS */
        f->opt[f->n] = t;
        f->base[f->n++] = base + t->off;
    }
}

/* The command's options, -h/--help last where its table does not list it. */
static void command_options(struct flat *f, const struct cli_command *cmd)
{
    size_t i;

    f->n = 0;
    flatten(f, cmd->opts, 0);
    for (i = 0; i < f->n && f->opt[i]->kind != CLI_HELP; i++)
        ;
    if (i == f->n)
        flatten(f, help_hidden, 0);
}

/* The value getopt_long returns for option i: its letter, or 256 + i. */
static int code_of(const struct flat *f, size_t i)
{
    return f->opt[i]->short_name ? f->opt[i]->short_name : 256 + (int)i;
}

/* The long options and the short ones ("::q" style, ':' first) of f. */
static void getopt_tables(struct option *longopts, char *shortopts, size_t len,
                          const struct flat *f)
{
    size_t i, k = 0;

    shortopts[k++] = ':';
    for (i = 0; i < f->n; i++) {
        const struct cli_opt *o = f->opt[i];
        longopts[i] = (struct option){o->name, o->arg ? required_argument : no_argument,
                                      NULL, code_of(f, i)};
        if (o->short_name && k + 3 < len) {
            shortopts[k++] = o->short_name;
            if (o->arg)
                shortopts[k++] = ':';
        }
    }
    longopts[f->n] = (struct option){NULL, 0, NULL, 0};
    shortopts[k] = '\0';
}

/* The long option as written, without "=value". */
static void bad_option(const char *cmd, const char *arg, const char *what)
{
    size_t n = strcspn(arg, "=");

    cli_usage_error(cmd, "%s %.*s", what, (int)(n > 200 ? 200 : n), arg);
}

/* Is the (abbreviated) long option arg a prefix of more than one option? */
static int ambiguous(const char *arg, const struct option *longopts)
{
    size_t n = strcspn(arg + 2, "="), k = 0;

    for (; longopts->name; longopts++)
        k += !strncmp(longopts->name, arg + 2, n);
    return k > 1;
}

/* One line, "regautopsy CMD: unknown option --bogus; see regautopsy CMD --help", for
 * what getopt_long refused (c is '?' or ':'). */
static void refused(const char *cmd, int c, char **argv, const struct option *longopts)
{
    const char *arg = argv[optind - 1];

    if (c == ':')
        bad_option(cmd, arg, "missing argument to");
    else if (!strncmp(arg, "--", 2) && optopt)
        bad_option(cmd, arg, "no argument allowed to");
    else if (!strncmp(arg, "--", 2))
        bad_option(cmd, arg,
                   ambiguous(arg, longopts) ? "ambiguous option" : "unknown option");
    else
        cli_usage_error(cmd, "unknown option -%c", isprint(optopt) ? optopt : '?');
}

/* Take option i of f with value; 0, or -1 with an error printed. */
static int take(const struct flat *f, size_t i, void *opts, const char *value,
                struct ra_ctx *ctx, const struct cli_command *cmd)
{
    const struct cli_opt *o = f->opt[i];
    char *field = (char *)opts + f->base[i];

    switch (o->kind) {
    case CLI_FLAG:
    case CLI_CLEAR:
        *(int *)field = o->kind == CLI_FLAG;
        return 0;
    case CLI_STRING:
        *(const char **)field = value;
        return 0;
    case CLI_CALL:
        return o->set(field, o, value);
    case CLI_CTX:
        *(int *)((char *)ctx + o->off) = 1;
        return 0;
    case CLI_HELP:
        cli_help(stdout, cmd);
        exit(RA_EXIT_OK);
    case CLI_GROUP:
        break;
    }
    return 0;
}

int cli_parse(struct ra_ctx *ctx, const struct cli_command *cmd, void *opts, int argc,
              char **argv)
{
    struct flat f = {{0}, {0}, 0};
    struct option longopts[MAX_OPTS + 1];
    char shortopts[2 * MAX_OPTS + 2];
    size_t i;
    int c;

    command_options(&f, cmd);
    getopt_tables(longopts, shortopts, sizeof(shortopts), &f);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        if (c == '?' || c == ':') {
            refused(cmd->name, c, argv, longopts);
            return -1;
        }
        for (i = 0; i < f.n && code_of(&f, i) != c; i++)
            ;
        if (i == f.n || take(&f, i, opts, optarg, ctx, cmd) < 0)
            return -1;
    }
    return 0;
}

int cli_operands(const struct cli_command *cmd, int argc)
{
    const struct cli_operands *o = cmd->operands;
    int n = argc - optind;

    if (n >= o->min && (o->max < 0 || n <= o->max))
        return 0;
    cli_usage_error(cmd->name, "%s", o->wrong);
    return -1;
}

/* "-x, --name ARG" (the left column of --help) into buf. */
static void left_column(char *buf, size_t len, const struct cli_opt *o)
{
    if (o->label) {
        snprintf(buf, len, "%s", o->label);
        return;
    }
    if (o->short_name)
        snprintf(buf, len, "-%c, --%s%s%s", o->short_name, o->name, o->arg ? " " : "",
                 o->arg ? o->arg : "");
    else
        snprintf(buf, len, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

/* One option's lines: the left column, then the text from cmd->column (at least two
 * spaces after the left column), continuation lines indented to it. */
static void help_lines(FILE *out, const struct cli_opt *o, int column)
{
    char left[128];
    const char *p = o->help ? o->help : "";
    int n;

    left_column(left, sizeof(left), o);
    n = fprintf(out, "  %s", left);
    fprintf(out, "%*s", n + 2 > column ? 2 : column - n, "");
    for (;;) {
        size_t len = strcspn(p, "\n");
        fprintf(out, "%.*s\n", (int)len, p);
        if (!p[len])
            break;
        p += len + 1;
        fprintf(out, "%*s", column, "");
    }
}

void cli_help(FILE *out, const struct cli_command *cmd)
{
    struct flat f = {{0}, {0}, 0};
    size_t i;

    command_options(&f, cmd);
    fprintf(out, "usage: regautopsy %s %s\n\n", cmd->name, cmd->synopsis);
    if (cmd->about)
        fputs(cmd->about, out);
    for (i = 0; i < f.n; i++)
        if (!(f.opt[i]->flags & CLI_NO_HELP))
            help_lines(out, f.opt[i], cmd->column);
    fprintf(out, "\n%s", cmd->exit);
}

/* s with every '-' as "\-" (roff's minus sign). */
static void roff(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '-')
            fputs("\\-", out);
        else
            fputc(*s, out);
    }
}

void cli_man_synopsis(FILE *out, const struct cli_command *cmd)
{
    struct flat f = {{0}, {0}, 0};
    size_t i;

    command_options(&f, cmd);
    fputs(".SY regautopsy\n.B ", out);
    roff(out, cmd->name);
    fputc('\n', out);
    for (i = 0; i < f.n; i++) {
        const struct cli_opt *o = f.opt[i];
        if (o->kind == CLI_HELP)
            continue; /* every command takes -h, --help */
        fputs(o->flags & CLI_REQUIRED ? (o->arg ? ".BI " : ".B ") : ".OP ", out);
        if (o->short_name)
            fprintf(out, "\\-%c|", o->short_name);
        fputs("\\-\\-", out);
        roff(out, o->name);
        if (o->arg) {
            fputs(o->flags & CLI_REQUIRED ? " \" " : " ", out);
            roff(out, o->arg);
            fputs(o->flags & CLI_REQUIRED ? "\"" : "", out);
        }
        fputc('\n', out);
    }
    fputs(cmd->operands->man, out);
    fputs(".YS\n", out);
}

const struct cli_opt cli_verbose_opt[] = {
    {.name = "verbose",
     .short_name = 'v',
     .kind = CLI_CTX,
     .off = offsetof(struct ra_ctx, verbose),
     .help = "say on stderr what is read and skipped"},
    {0},
};

const struct cli_opt cli_quiet_opts[] = {
    {.kind = CLI_GROUP, .group = cli_verbose_opt},
    {.name = "quiet",
     .short_name = 'q',
     .kind = CLI_CTX,
     .off = offsetof(struct ra_ctx, quiet),
     .help = "no progress line"},
    {0},
};

const struct cli_opt cli_progress_opts[] = {
    {.kind = CLI_GROUP, .group = cli_verbose_opt},
    {.name = "quiet",
     .short_name = 'q',
     .kind = CLI_CTX,
     .off = offsetof(struct ra_ctx, quiet),
     .help = "no progress line on stderr"},
    {.name = "progress",
     .kind = CLI_CTX,
     .off = offsetof(struct ra_ctx, progress),
     .help = "progress lines on stderr even when it is not a terminal"},
    {0},
};

const struct cli_operands cli_snapshots = {1, -1, "no SNAPSHOT given",
                                           ".IR SNAPSHOT ...\n"};

const struct cli_opt cli_help_opt[] = {
    {.name = "help", .short_name = 'h', .kind = CLI_HELP, .help = "this text"},
    {0},
};

int cli_set_zone(void *field, const struct cli_opt *opt, const char *value)
{
    char name[64];

    snprintf(name, sizeof(name), "--%s", opt->name);
    if (cli_check_tz(name, value) < 0)
        return -1;
    *(const char **)field = value;
    return 0;
}

int cli_add_file(void *field, const struct cli_opt *opt, const char *value)
{
    (void)opt;
    if (cli_check_input(value, 0) < 0)
        return -1;
    ra_vec_push(field, (void *)value);
    return 0;
}
