/* SPDX-License-Identifier: MIT */
/* cli/opts.c: a command's options from one table. cli_parse fills the fields (a flag,
 * a cleared flag, a string, a checked zone, -v into the context through a group) and
 * refuses with one exact line an unknown, ambiguous, valueless or unwanted option;
 * cli_operands the wrong number of operands; cli_help and cli_man_synopsis print the
 * table. cli_error is this test's: it keeps the message. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/buf.h"

#include "cli_fixture.h"

struct demo_opts {
    int all, fold, jsonl;
    const char *json, *tz;
};

static const struct cli_opt demo_table[] = {
    {.name = "all",
     .short_name = 'a',
     .kind = CLI_FLAG,
     .off = offsetof(struct demo_opts, all),
     .help = "list pullable tags too"},
    {.name = "json",
     .kind = CLI_STRING,
     .off = offsetof(struct demo_opts, json),
     .arg = "FILE|-",
     .help = "write the JSON document to FILE"},
    {.name = "jsonl",
     .kind = CLI_FLAG,
     .off = offsetof(struct demo_opts, jsonl),
     .help = "one event a line\nfor timeline tools"},
    {.name = "no-fold",
     .kind = CLI_CLEAR,
     .off = offsetof(struct demo_opts, fold),
     .help = "every routine event on its own row"},
    {.name = "tz",
     .kind = CLI_CALL,
     .set = cli_set_zone,
     .off = offsetof(struct demo_opts, tz),
     .arg = "ZONE",
     .help = "the hosts' time zone"},
    {.kind = CLI_GROUP, .group = cli_verbose_opt},
    {0},
};

static const struct cli_command demo = {
    .name = "demo",
    .synopsis = "[options] SNAPSHOT...",
    .about = "Reads snapshots.\n\n",
    .column = 22,
    .opts = demo_table,
    .exit = "Exit 0, or 2 on a usage error.\n",
    .operands = &cli_snapshots,
};

static int setup(void **state)
{
    (void)state;
    return fix_tmpdir_make(tmpdir);
}

static int teardown(void **state)
{
    (void)state;
    return fix_tmpdir_remove(tmpdir);
}

/* cli_parse on the words of line (space-separated, at most 15); its return, and what
 * went to stderr into err. */
static int parse(struct demo_opts *o, struct ra_ctx *ctx, const char *line,
                 struct ra_buf *err, int *argc_out)
{
    static char words[512];
    char *argv[16], *p;
    struct ra_buf path = RA_BUF_INIT;
    int argc = 0, rc;

    memset(o, 0, sizeof(*o));
    o->fold = 1;
    memset(ctx, 0, sizeof(*ctx));
    snprintf(words, sizeof(words), "demo %s", line);
    for (p = words; *p && argc < 15;) {
        argv[argc++] = p;
        p += strcspn(p, " ");
        if (*p)
            *p++ = '\0';
    }
    argv[argc] = NULL;
    ra_buf_printf(&path, "%s/stderr", tmpdir);
    said[0] = '\0';
    /* getopt keeps its place in the last argv between calls; a process parses once,
     * this test many times: start it afresh (optind 0) */
    {
        static char *none[] = {"demo", NULL};
        static const struct option no_long[] = {{NULL, 0, NULL, 0}};
        optind = 0;
        opterr = 0;
        assert_int_equal(getopt_long(1, none, "", no_long, NULL), -1);
    }
    fix_stderr_begin(path.ptr);
    rc = cli_parse(ctx, &demo, o, argc, argv);
    fix_stderr_end(err);
    ra_buf_release(&path);
    if (argc_out)
        *argc_out = argc;
    return rc;
}

static void test_opts__parse(void **state)
{
    struct demo_opts o;
    struct ra_ctx ctx;
    struct ra_buf err = RA_BUF_INIT;
    int argc;

    (void)state;
    assert_int_equal(parse(&o, &ctx,
                           "-a --json out.json --no-fold --tz Europe/Berlin -v "
                           "reg-1 reg-2",
                           &err, &argc),
                     0);
    assert_int_equal(o.all, 1);
    assert_string_equal(o.json, "out.json");
    assert_int_equal(o.fold, 0);
    assert_int_equal(o.jsonl, 0);
    assert_string_equal(o.tz, "Europe/Berlin");
    assert_int_equal(ctx.verbose, 1);
    assert_string_equal(ra_buf_cstr(&err), "");
    assert_int_equal(optind, 8);
    assert_int_equal(cli_operands(&demo, argc), 0);
    /* --name=value and an unambiguous abbreviation */
    assert_int_equal(parse(&o, &ctx, "--json=- --jsonl --no reg-1", &err, &argc), 0);
    assert_string_equal(o.json, "-");
    assert_int_equal(o.jsonl, 1);
    assert_int_equal(o.fold, 0);
    ra_buf_release(&err);
}

static void test_opts__refused(void **state)
{
    static const struct {
        const char *line, *err;
    } cases[] = {
        {"--bogus reg-1", "unknown option --bogus"},
        {"--bogus=1 reg-1", "unknown option --bogus"},
        {"--js reg-1", "ambiguous option --js"},
        {"--all=yes reg-1", "no argument allowed to --all"},
        {"reg-1 --json", "missing argument to --json"},
        {"-x reg-1", "unknown option -x"},
    };
    struct demo_opts o;
    struct ra_ctx ctx;
    struct ra_buf err = RA_BUF_INIT, want = RA_BUF_INIT;
    size_t i;

    (void)state;
    for (i = 0; i < RA_ARRAY_SIZE(cases); i++) {
        assert_int_equal(parse(&o, &ctx, cases[i].line, &err, NULL), -1);
        ra_buf_truncate(&want, 0);
        ra_buf_printf(&want, "regautopsy demo: %s; see regautopsy demo --help\n",
                      cases[i].err);
        assert_string_equal(ra_buf_cstr(&err), want.ptr);
    }
    /* a zone the system does not know: the setter's error */
    assert_int_equal(parse(&o, &ctx, "--tz Mars/Olympus_Mons reg-1", &err, NULL), -1);
    assert_string_equal(said,
                        "--tz 'Mars/Olympus_Mons': unknown time zone (not a zone of "
                        "the system tz database, e.g. Europe/Berlin)");
    ra_buf_release(&err);
    ra_buf_release(&want);
}

static void test_opts__operands(void **state)
{
    struct demo_opts o;
    struct ra_ctx ctx;
    struct ra_buf err = RA_BUF_INIT, path = RA_BUF_INIT, want = RA_BUF_INIT;
    int argc, rc;

    (void)state;
    assert_int_equal(parse(&o, &ctx, "-a", &err, &argc), 0);
    ra_buf_printf(&path, "%s/stderr", tmpdir);
    fix_stderr_begin(path.ptr);
    rc = cli_operands(&demo, argc);
    fix_stderr_end(&err);
    assert_int_equal(rc, -1);
    ra_buf_printf(&want, "regautopsy demo: %s; see regautopsy demo --help\n",
                  cli_snapshots.wrong);
    assert_string_equal(ra_buf_cstr(&err), want.ptr);
    ra_buf_release(&err);
    ra_buf_release(&path);
    ra_buf_release(&want);
}

static void test_opts__help(void **state)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f;

    (void)state;
    assert_non_null(f = open_memstream(&text, &len));
    cli_help(f, &demo);
    fclose(f);
    assert_string_equal(text,
                        "usage: regautopsy demo [options] SNAPSHOT...\n"
                        "\n"
                        "Reads snapshots.\n"
                        "\n"
                        "  -a, --all           list pullable tags too\n"
                        "  --json FILE|-       write the JSON document to FILE\n"
                        "  --jsonl             one event a line\n"
                        "                      for timeline tools\n"
                        "  --no-fold           every routine event on its own row\n"
                        "  --tz ZONE           the hosts' time zone\n"
                        "  -v, --verbose       say on stderr what is read and skipped\n"
                        "\n"
                        "Exit 0, or 2 on a usage error.\n");
    free(text);
    assert_non_null(f = open_memstream(&text, &len));
    cli_man_synopsis(f, &demo);
    fclose(f);
    assert_string_equal(text, ".SY regautopsy\n"
                              ".B demo\n"
                              ".OP \\-a|\\-\\-all\n"
                              ".OP \\-\\-json FILE|\\-\n"
                              ".OP \\-\\-jsonl\n"
                              ".OP \\-\\-no\\-fold\n"
                              ".OP \\-\\-tz ZONE\n"
                              ".OP \\-v|\\-\\-verbose\n"
                              ".IR SNAPSHOT ...\n"
                              ".YS\n");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opts__parse),
        cmocka_unit_test(test_opts__refused),
        cmocka_unit_test(test_opts__operands),
        cmocka_unit_test(test_opts__help),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
