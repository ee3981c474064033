/* SPDX-License-Identifier: MIT */
/* What the commands share: the run-wide context and output helpers. */
#ifndef RA_CLI_CLI_H
#define RA_CLI_CLI_H

#include <stdio.h>
#include <time.h>

#include "analysis/investigate.h"
#include "ingest/source.h"
#include "util/vec.h"

#include "util/buf.h"

struct ra_ctx {
    const char *argv0;
    int stderr_tty; /* progress lines allowed */
    int progress;   /* --progress: progress lines even when stderr is no terminal */
    int verbose;    /* -v: say on stderr what is read and skipped */
    int quiet;      /* -q: no progress lines */
};

struct cli_command;

struct ra_cmd {
    const char *name;
    int (*fn)(int argc, char **argv, struct ra_ctx *ctx);
    const struct cli_command *spec; /* its options */
    const char *summary;
};

int cmd_scan(int argc, char **argv, struct ra_ctx *ctx);
int cmd_gcsim(int argc, char **argv, struct ra_ctx *ctx);
int cmd_diff(int argc, char **argv, struct ra_ctx *ctx);
int cmd_timeline(int argc, char **argv, struct ra_ctx *ctx);
int cmd_report(int argc, char **argv, struct ra_ctx *ctx);
int cmd_jobs(int argc, char **argv, struct ra_ctx *ctx);
int cmd_check(int argc, char **argv, struct ra_ctx *ctx);
int cmd_bisect(int argc, char **argv, struct ra_ctx *ctx);
extern const struct cli_command cmd_scan_spec, cmd_gcsim_spec, cmd_diff_spec,
    cmd_timeline_spec, cmd_report_spec, cmd_jobs_spec, cmd_check_spec, cmd_bisect_spec;

struct ra_vec;

/* Progress on stderr for one snapshot: a "\r…" line with entries, bytes and rate on a
 * terminal; with --progress and no terminal, one finished line per snapshot. Never on
 * stdout, never in files. */
struct cli_progress {
    const char *name;
    struct timespec start;
    const struct ra_ctx *ctx; /* its -q and --progress; for cli_progress_hooks */
    size_t index, total;      /* "snapshot index of total", when total is not 0 */
    uint64_t entries;         /* the last count seen */
    size_t name_count;        /* snapshots started through cli_progress_hooks */
};

/* Set up *p and return the callback to pass to ra_snapshot_opts, or NULL when progress
 * is off (stderr is not a terminal and no --progress, or -q). */
ra_progress_cb cli_progress_start(struct cli_progress *p, const char *name,
                                  const struct ra_ctx *ctx);
/* The same for snapshot i (from 0) of n. */
ra_progress_cb cli_progress_start_n(struct cli_progress *p, const char *name, size_t i,
                                    size_t n, const struct ra_ctx *ctx);
/* Clear the progress line (on a terminal), or print the finished one. */
void cli_progress_end(const struct cli_progress *p);

/* A command's options, declared once: one table (ending in {0}) drives getopt_long,
 * the command's --help and the man page's SYNOPSIS (regautopsy help --man; checked
 * against docs/regautopsy.1 by tests/cli/manpage.sh). */
enum cli_kind {
    CLI_FLAG,   /* the int at off becomes 1 */
    CLI_CLEAR,  /* the int at off becomes 0 (--no-fold) */
    CLI_STRING, /* the const char * at off becomes the value */
    CLI_CALL,   /* set(the field at off, the option, the value) */
    CLI_GROUP,  /* the options of table `group`, their fields from off on */
    CLI_CTX,    /* the int at off in struct ra_ctx becomes 1 (-v, -q, --progress) */
    CLI_HELP,   /* -h, --help: print the help, exit 0 (every command takes it; a table
                 * lists it, cli_help_opt, where --help names it) */
};

enum cli_opt_flags {
    CLI_REQUIRED = 1 << 0, /* the man page shows it without brackets */
    CLI_NO_HELP = 1 << 1,  /* not listed by --help (another line covers it) */
};

struct cli_opt {
    const char *name; /* the long name, without "--"; NULL ends a table */
    char short_name;  /* -x as well, or 0 */
    enum cli_kind kind;
    size_t off;       /* the field: offsetof(struct <cmd>_opts, field) */
    const char *arg;  /* the value's name in --help and the man page, or NULL: no value */
    const char *help; /* --help's text; '\n' starts a continuation line */
    unsigned flags;   /* enum cli_opt_flags */
    /* CLI_CALL: take value; 0, or -1 with an error printed (exit 2 follows) */
    int (*set)(void *field, const struct cli_opt *opt, const char *value);
    const struct cli_opt *group; /* CLI_GROUP */
    const char *label;           /* --help's left column, when not "-x, --name ARG" */
};

/* Rows the tables share, for CLI_GROUP: -v/--verbose alone; with -q/--quiet ("no
 * progress line") for commands reading a snapshot or two; with -q/--quiet ("no progress
 * line on stderr") and --progress for commands reading many; -h/--help listed by --help
 * ("this text"). */
extern const struct cli_opt cli_verbose_opt[], cli_quiet_opts[], cli_progress_opts[],
    cli_help_opt[];

/* A command's operands: how many (max -1: no limit), the usage error when their number
 * is wrong, and the man page's SYNOPSIS lines for them. cli_snapshots: SNAPSHOT... */
struct cli_operands {
    int min, max;
    const char *wrong;
    const char *man;
};

extern const struct cli_operands cli_snapshots;

struct cli_command {
    const char *name;     /* "gc-sim" */
    const char *synopsis; /* --help's first line after "usage: regautopsy NAME " */
    const char *about;    /* --help's text before the options (ends "\n\n"), or NULL */
    int column;           /* where --help's option texts start */
    const struct cli_opt *opts;
    const char *exit; /* --help's text after the options and a blank line */
    const struct cli_operands *operands;
};

/* Parse argv's options into opts (the struct cmd's table describes) from argv[1] on;
 * optind is then the first operand. -h/--help prints the help and exits 0. A bad
 * option (unknown, ambiguous, missing or unwanted argument) prints one line,
 * "regautopsy CMD: unknown option --bogus; see regautopsy CMD --help". 0, or -1 with
 * an error printed (exit 2 follows). */
int cli_parse(struct ra_ctx *ctx, const struct cli_command *cmd, void *opts, int argc,
              char **argv);
/* After cli_parse: 0 when the number of operands (argv[optind] on) is in the
 * command's bounds, else -1 with its usage error printed. */
int cli_operands(const struct cli_command *cmd, int argc);
/* The command's --help text. */
void cli_help(FILE *out, const struct cli_command *cmd);
/* The command's block of the man page's SYNOPSIS (.SY ... .YS). */
void cli_man_synopsis(FILE *out, const struct cli_command *cmd);
/* CLI_CALL setters: a zone (cli_check_tz) into a const char *; a regular input file
 * (cli_check_input) appended to a struct ra_vec. */
int cli_set_zone(void *field, const struct cli_opt *opt, const char *value);
int cli_add_file(void *field, const struct cli_opt *opt, const char *value);

/* The evidence options timeline, report and check share (--config, --rev, --tz,
 * --cluster-tz, --log, --jobs-file, --verify): a table for CLI_GROUP, its fields in
 * struct cli_evidence. */
struct cli_evidence {
    struct ra_investigate_opts inv;
    struct ra_vec logs;       /* const char * */
    struct ra_vec jobs_files; /* const char * */
};

extern const struct cli_opt cli_evidence_opts[];
void cli_evidence_init(struct cli_evidence *ev);
void cli_evidence_release(struct cli_evidence *ev);
/* Investigate the snapshots with the evidence (cli_evidence_inputs), saying with -v what
 * is read and showing progress lines on stderr. 0, or -1 with the error printed. */
int cli_investigate(struct ra_investigation **out, struct cli_evidence *ev,
                    char **snapshots, int n, const struct ra_ctx *ctx);

/* report and check (cmd_report.c): the report model's options as the command line
 * leaves them (this version, no title, no generation time), and the model built from
 * an investigation as cli_investigate makes it. 0, or -1 with the error printed. */
struct json_t;
struct ra_report_opts;
void cli_report_opts_init(struct ra_report_opts *mo);
int cli_report_model(struct json_t **out, struct ra_investigation **inv,
                     struct cli_evidence *ev, const struct ra_report_opts *mo,
                     char **snapshots, int n, const struct ra_ctx *ctx);

/* Expand SNAPSHOT arguments into specs (struct ra_snapshot_spec *); prints an error
 * for each unusable argument and returns how many there were. */
int cli_expand_snapshots(struct ra_vec *specs, char **args, int n);
void cli_free_snapshots(struct ra_vec *specs);

/* An input file named on the command line must be a regular file (or, with dir_ok, a
 * directory): a FIFO would block the reader until someone writes to it, a device
 * could be endless. Checked with stat, which never blocks. Returns 0 (also for a path
 * that does not exist: its reader says so), or -1 with an error printed. */
int cli_check_input(const char *path, int dir_ok);

/* A zone option (opt: --tz, --cluster-tz) must be UTC or a zone of the system tz
 * database: a typo would otherwise leave every cron job without firings. Returns 0, or
 * -1 with an error printed. */
int cli_check_tz(const char *opt, const char *zone);

/* Print "regautopsy CMD: <msg>; see regautopsy CMD --help" on stderr (exit 2 follows). */
void cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* With -v, print "regautopsy: <msg>" on stderr: what is read and skipped. */
void cli_verbose(const struct ra_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* With -v: the registry roots found in snap and its counts. */
struct ra_snapshot;
void cli_verbose_snapshot(const struct ra_ctx *ctx, const struct ra_snapshot *snap);

/* Print "regautopsy: <msg>" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Write buf to path ("-" = stdout). Returns 0, or prints an error and returns -1. */
int cli_write_file(const char *path, const struct ra_buf *buf);
/* The same in two steps, for output written as it is made: open path ("-" is
 * stdout; an error printed on failure), then flush or close it, ok saying whether
 * the writes went well; -1 with an error printed when not. */
FILE *cli_open_output(const char *path);
int cli_close_output(FILE *f, const char *path, int ok);
/* A command's --json FILE|- beside its text on stdout: the JSON (json_rc is what its
 * writer returned, with its error in err) goes to json_path when set, the text to stdout
 * unless json_path is "-" (stdout holds the JSON alone); the text also when the JSON
 * failed. 0, or -1 with the error printed. */
int cli_write_json_text(const char *json_path, const struct ra_buf *json, int json_rc,
                        const struct ra_err *err, const struct ra_buf *text);

/* Every input of a command, to keep its outputs off the evidence: files are compared
 * with an output by device and inode; a snapshot directory may not hold an output, and
 * other input directories (the config repo, a template directory) no existing file an
 * output would replace. */
struct cli_inputs {
    struct ra_vec items; /* struct input *, see outputs.c */
    struct ra_vec owned; /* char * */
};

void cli_inputs_init(struct cli_inputs *in);
/* Add path (NULL and paths that do not exist are ignored; "-" is standard input, added
 * when it is a regular file). */
void cli_inputs_add(struct cli_inputs *in, const char *path);
/* Add SNAPSHOT arguments, with what they expand to (an @time suffix, Synology
 * sub-folders). */
void cli_inputs_add_snapshots(struct cli_inputs *in, char **args, int n);
/* Add --config, every --log and every --jobs-file. */
void cli_inputs_add_evidence(struct cli_inputs *in, const struct cli_evidence *ev);
/* 0 when writing output `path` ("-" = stdout, NULL = none) leaves every input alone;
 * else print a one-line error naming `what` (the option) and return -1 (exit 2). */
int cli_inputs_check_output(const struct cli_inputs *in, const char *path,
                            const char *what);
void cli_inputs_release(struct cli_inputs *in);
/* The whole check for a command: its SNAPSHOT arguments, its evidence options (ev may
 * be NULL), nin more input paths (NULL entries skipped) against nout output paths
 * ("-" for stdout when the command writes there, NULL entries skipped). 0 or -1 with
 * the error printed. */
int cli_check_outputs(char **snapshots, int n, const struct cli_evidence *ev,
                      const char *const *inputs, size_t nin, const char *const *outputs,
                      size_t nout);

#endif
