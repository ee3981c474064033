/* SPDX-License-Identifier: MIT */
/* regautopsy entry point: global options and subcommand dispatch. */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/exit.h"

static const struct ra_cmd cmds[] = {
    {"report", cmd_report, &cmd_report_spec,
     "render the Markdown post-mortem (and its JSON model)"},
    {"scan", cmd_scan, &cmd_scan_spec,
     "read registry snapshots and say which tags can be pulled"},
    {"diff", cmd_diff, &cmd_diff_spec, "what changed between two snapshots"},
    {"jobs", cmd_jobs, &cmd_jobs_spec,
     "scheduled jobs of a config repo, their history and firings"},
    {"gc-sim", cmd_gcsim, &cmd_gcsim_spec,
     "predict what garbage-collect would delete and break"},
    {"timeline", cmd_timeline, &cmd_timeline_spec,
     "merged timeline, losses with their windows and suspects"},
    {"bisect", cmd_bisect, &cmd_bisect_spec,
     "the last snapshot where a tag was pullable, the first where not"},
    {"check", cmd_check, &cmd_check_spec,
     "match a report's model against an expected JSON (regressions)"},
    {NULL, NULL, NULL, NULL},
};

void cli_error(const char *fmt, ...)
{
    va_list ap;

    fputs("regautopsy: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

FILE *cli_open_output(const char *path)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;

    if (!f)
        cli_error("'%s': cannot write: %s", path, strerror(errno));
    return f;
}

int cli_close_output(FILE *f, const char *path, int ok)
{
    if (f == stdout)
        ok = fflush(f) == 0 && ok;
    else
        ok = fclose(f) == 0 && ok;
    if (!ok && f == stdout)
        return -1; /* said at exit, with the reason (check_stdout) */
    if (!ok) {
        cli_error("'%s': write failed", path);
        return -1;
    }
    return 0;
}

int cli_write_file(const char *path, const struct ra_buf *buf)
{
    FILE *f = cli_open_output(path);

    if (!f)
        return -1;
    return cli_close_output(f, path,
                            fwrite(ra_buf_cstr(buf), 1, buf->len, f) == buf->len);
}

int cli_write_json_text(const char *json_path, const struct ra_buf *json, int json_rc,
                        const struct ra_err *err, const struct ra_buf *text)
{
    int rc = 0;

    if (json_path && json_rc < 0) {
        cli_error("%s", err->msg);
        rc = -1;
    } else if (json_path && cli_write_file(json_path, json) < 0) {
        rc = -1;
    }
    if (!json_path || strcmp(json_path, "-"))
        fwrite(ra_buf_cstr(text), 1, text->len, stdout);
    return rc;
}

static void usage(FILE *out)
{
    const struct ra_cmd *c;

    fputs("usage: regautopsy <command> [options] [args]\n\ncommands:\n", out);
    for (c = cmds; c->name; c++)
        fprintf(out, "  %-10s %s\n", c->name, c->summary);
    fputs(
        "\nregautopsy help <command> (or regautopsy <command> --help) shows a command's\n"
        "options.\n",
        out);
}

/* Everything written to standard output must have reached it: a full disk or a closed
 * descriptor fails the run (coreutils' close_stdout). A closed stdout that was never
 * written to is fine. Returns 0, or -1 with the error printed. */
static int close_stdout(void)
{
    int pending = __fpending(stdout) != 0, failed = ferror(stdout), errnum = 0;

    errno = 0;
    if (fclose(stdout) != 0 && (failed || pending || errno != EBADF)) {
        failed = 1;
        errnum = errno;
    }
    if (!failed)
        return 0;
    cli_error("standard output: write failed%s%s", errnum ? ": " : "",
              errnum ? strerror(errnum) : "");
    return -1;
}

static const struct ra_cmd *find_cmd(const char *name)
{
    const struct ra_cmd *c;

    for (c = cmds; c->name; c++)
        if (!strcmp(c->name, name))
            return c;
    cli_error("'%s' is not a command; see 'regautopsy --help'", name);
    return NULL;
}

static int help(const char *name, struct ra_ctx *ctx)
{
    const struct ra_cmd *c = find_cmd(name);
    char *args[] = {(char *)name, "--help", NULL};

    return c ? c->fn(2, args, ctx) : RA_EXIT_USAGE;
}

/* regautopsy help --man (not listed): the man page's SYNOPSIS from the option tables;
 * tests/cli/manpage.sh holds docs/regautopsy.1 to it. */
static int man_synopsis(void)
{
    const struct ra_cmd *c;

    for (c = cmds; c->name; c++)
        cli_man_synopsis(stdout, c->spec);
    fputs(".SY regautopsy\n.B help\n.I COMMAND\n.YS\n"
          ".SY regautopsy\n.RB [ \\-\\-help | \\-\\-version ]\n.YS\n",
          stdout);
    return RA_EXIT_OK;
}

static int run(int argc, char **argv, struct ra_ctx *ctx)
{
    const struct ra_cmd *c;

    if (argc < 2) {
        usage(stderr);
        return RA_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "help") && argc == 3 && !strcmp(argv[2], "--man"))
        return man_synopsis();
    if (!strcmp(argv[1], "help") && argc > 2) /* help CMD = CMD --help */
        return help(argv[2], ctx);
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        usage(stdout);
        return RA_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        puts("regautopsy " RA_VERSION);
        return RA_EXIT_OK;
    }
    c = find_cmd(argv[1]);
    return c ? c->fn(argc - 1, argv + 1, ctx) : RA_EXIT_USAGE;
}

/* At exit, whichever way the program ends (a command's --help exits from its option
 * parsing): standard output that could not be written fails the run. */
static void check_stdout(void)
{
    if (close_stdout() < 0)
        _exit(RA_EXIT_USAGE);
}

/* A closed standard descriptor would be reused by the first file opened, and output
 * meant for stdout could land in it: each closed one is held with /dev/null, stdout
 * read-only so that writing to it still fails. */
static void hold_std_fds(void)
{
    int fd;

    for (fd = 0; fd <= 2; fd++)
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
            open("/dev/null", fd == STDOUT_FILENO ? O_RDONLY : O_RDWR) != fd)
            _exit(RA_EXIT_USAGE);
}

int main(int argc, char **argv)
{
    struct ra_ctx ctx = {argv[0], 0, 0, 0, 0};

    hold_std_fds();
    ctx.stderr_tty = isatty(STDERR_FILENO);
    atexit(check_stdout);
    return run(argc, argv, &ctx);
}
