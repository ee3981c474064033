/* SPDX-License-Identifier: MIT */
/* cli/outputs.c: outputs never overwrite evidence. Inputs laid out in a temporary
 * folder: an output that is an input file (by name, through a hard link, through a
 * symbolic link), one inside a snapshot directory (however deep, and not yet
 * existing), one that would replace a file in another input directory (the config
 * repo) while a new file there is fine, a symbolic link to nothing; '-' given for two
 * inputs; each refusal with its exact one-line error. cli_error is this test's: it
 * keeps the message. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/buf.h"

#include "cli_fixture.h"

static int setup(void **state)
{
    (void)state;
    if (fix_tmpdir_make(tmpdir) < 0)
        return -1;
    fix_write(at("snap/docker/registry/v2/blobs/sha256/00/data"), "x", 1, RA_TIME_NONE);
    fix_write(at("config/etc/cron.d/registry-gc"), "25 3 * * * root gc\n", 19,
              RA_TIME_NONE);
    fix_write(at("gc.log"), "log\n", 4, RA_TIME_NONE);
    fix_write(at("expected.json"), "{}\n", 3, RA_TIME_NONE);
    if (link(at("gc.log"), at("hardlink.log")) < 0 ||
        symlink(at("gc.log"), at("symlink.log")) < 0 ||
        symlink(at("nowhere/out.json"), at("dangling.json")) < 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return fix_tmpdir_remove(tmpdir);
}

/* The inputs of a timeline run: the snapshot, --config, --log and an extra input. */
struct run {
    struct cli_evidence ev;
    char *snaps[1];
    char *config, *log;
};

static void run_init(struct run *r)
{
    cli_evidence_init(&r->ev);
    r->snaps[0] = ra_xstrdup(at("snap"));
    r->config = ra_xstrdup(at("config"));
    r->log = ra_xstrdup(at("gc.log"));
    r->ev.inv.config = r->config;
    ra_vec_push(&r->ev.logs, r->log);
}

static void run_release(struct run *r)
{
    cli_evidence_release(&r->ev);
    free(r->snaps[0]);
    free(r->config);
    free(r->log);
}

/* cli_check_outputs for one output: its return, and the message (or "") in want. */
static void check(struct run *r, const char *out, int want_rc, const char *want)
{
    char *expected = ra_xstrdup(at("expected.json"));
    const char *inputs[] = {expected};
    const char *outputs[] = {out};

    said[0] = '\0';
    nsaid = 0;
    assert_int_equal(cli_check_outputs(r->snaps, 1, &r->ev, inputs, 1, outputs, 1),
                     want_rc);
    assert_string_equal(said, want);
    assert_int_equal(nsaid, want_rc ? 1 : 0);
    free(expected);
}

static void test_outputs__over_an_input_file(void **state)
{
    struct run r;
    struct ra_buf want = RA_BUF_INIT;

    (void)state;
    run_init(&r);
    ra_buf_printf(&want, "output '%s' is the input '%s'; evidence is never overwritten",
                  at("gc.log"), at("gc.log"));
    check(&r, at("gc.log"), -1, want.ptr);
    /* the same file under another name */
    ra_buf_truncate(&want, 0);
    ra_buf_printf(&want, "output '%s' is the input '%s'; evidence is never overwritten",
                  at("hardlink.log"), at("gc.log"));
    check(&r, at("hardlink.log"), -1, want.ptr);
    ra_buf_truncate(&want, 0);
    ra_buf_printf(&want, "output '%s' is the input '%s'; evidence is never overwritten",
                  at("symlink.log"), at("gc.log"));
    check(&r, at("symlink.log"), -1, want.ptr);
    /* an input given apart from the evidence options (check's --expect) */
    ra_buf_truncate(&want, 0);
    ra_buf_printf(&want, "output '%s' is the input '%s'; evidence is never overwritten",
                  at("expected.json"), at("expected.json"));
    check(&r, at("expected.json"), -1, want.ptr);
    run_release(&r);
    ra_buf_release(&want);
}

static void test_outputs__inside_a_snapshot(void **state)
{
    struct run r;
    struct ra_buf want = RA_BUF_INIT;

    (void)state;
    run_init(&r);
    ra_buf_printf(&want,
                  "output '%s' is inside the input directory '%s'; evidence is never "
                  "written to",
                  at("snap/docker/registry/v2/report.md"), at("snap"));
    check(&r, at("snap/docker/registry/v2/report.md"), -1, want.ptr);
    ra_buf_truncate(&want, 0);
    ra_buf_printf(&want,
                  "output '%s' is inside the input directory '%s'; evidence is never "
                  "written to",
                  at("snap/new.json"), at("snap"));
    check(&r, at("snap/new.json"), -1, want.ptr);
    run_release(&r);
    ra_buf_release(&want);
}

static void test_outputs__other_input_directories(void **state)
{
    struct run r;
    struct ra_buf want = RA_BUF_INIT;

    (void)state;
    run_init(&r);
    /* replacing a file of the config repo is refused; a new file there is not */
    ra_buf_printf(
        &want,
        "output '%s' would replace a file in the input directory '%s'; evidence "
        "is never written to",
        at("config/etc/cron.d/registry-gc"), at("config"));
    check(&r, at("config/etc/cron.d/registry-gc"), -1, want.ptr);
    check(&r, at("config/report.md"), 0, "");
    /* beside the inputs, and no output at all */
    check(&r, at("report.md"), 0, "");
    check(&r, NULL, 0, "");
    run_release(&r);
    ra_buf_release(&want);
}

static void test_outputs__dangling_symlink(void **state)
{
    struct run r;
    struct ra_buf want = RA_BUF_INIT;

    (void)state;
    run_init(&r);
    ra_buf_printf(
        &want, "output '%s': a symbolic link to nothing; refusing to create its target",
        at("dangling.json"));
    check(&r, at("dangling.json"), -1, want.ptr);
    run_release(&r);
    ra_buf_release(&want);
}

static void test_outputs__stdin_once(void **state)
{
    struct cli_evidence ev;
    char *snap = ra_xstrdup(at("snap"));
    char *snaps[] = {"-", snap};
    const char *inputs[] = {"-"};

    (void)state;
    cli_evidence_init(&ev);
    ra_vec_push(&ev.logs, "-");
    said[0] = '\0';
    assert_int_equal(cli_check_outputs(snaps, 2, &ev, NULL, 0, NULL, 0), -1);
    assert_string_equal(
        said, "'-' (standard input) names 2 inputs; it can be read for one only");
    /* "-@TIME" is standard input too */
    snaps[0] = "-@2026-04-12T01:00Z";
    assert_int_equal(cli_check_outputs(snaps, 2, &ev, inputs, 1, NULL, 0), -1);
    assert_string_equal(
        said, "'-' (standard input) names 3 inputs; it can be read for one only");
    /* one is fine */
    ev.logs.len = 0;
    said[0] = '\0';
    assert_int_equal(cli_check_outputs(snaps, 2, &ev, NULL, 0, NULL, 0), 0);
    assert_string_equal(said, "");
    cli_evidence_release(&ev);
    free(snap);
}

/* cli_inputs by hand: NULL and missing paths are ignored. */
static void test_outputs__inputs(void **state)
{
    struct cli_inputs in;
    struct ra_buf want = RA_BUF_INIT;

    (void)state;
    cli_inputs_init(&in);
    cli_inputs_add(&in, NULL);
    cli_inputs_add(&in, at("no-such-file"));
    assert_int_equal(in.items.len, 0);
    cli_inputs_add(&in, at("gc.log"));
    assert_int_equal(in.items.len, 1);
    assert_int_equal(cli_inputs_check_output(&in, at("no-such-file"), "--json"), 0);
    assert_int_equal(cli_inputs_check_output(&in, at("hardlink.log"), "--json"), -1);
    ra_buf_printf(&want, "--json '%s' is the input '%s'; evidence is never overwritten",
                  at("hardlink.log"), at("gc.log"));
    assert_string_equal(said, want.ptr);
    cli_inputs_release(&in);
    ra_buf_release(&want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outputs__over_an_input_file),
        cmocka_unit_test(test_outputs__inside_a_snapshot),
        cmocka_unit_test(test_outputs__other_input_directories),
        cmocka_unit_test(test_outputs__dangling_symlink),
        cmocka_unit_test(test_outputs__stdin_once),
        cmocka_unit_test(test_outputs__inputs),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
