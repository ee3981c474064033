/* SPDX-License-Identifier: MIT */
/* cli/common.c: what the commands share. Inputs checked (a directory or a FIFO where a
 * file is wanted), time zones, the usage error and -v lines on stderr, snapshot
 * arguments expanded (a missing one named), progress lines (a terminal's, --progress
 * without one, -q), the evidence options' table, and cli_investigate on a snapshot laid
 * out in a temporary folder, saying with -v what it read. stderr goes to a file while a
 * function runs; cli_error is this test's and keeps the message. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/investigate.h"
#include "cli/cli.h"
#include "util/buf.h"

#include "cli_fixture.h"

static void capture_start(void)
{
    fix_stderr_begin(at("stderr"));
    said[0] = '\0';
    nsaid = 0;
}

static int setup(void **state)
{
    struct fix_disk_image x;

    (void)state;
    if (fix_tmpdir_make(tmpdir) < 0)
        return -1;
    fix_write(at("gc.log"), "", 0, RA_TIME_NONE);
    fix_mkdirs(at("dir"));
    if (mkfifo(at("fifo"), 0600) < 0)
        return -1;
    fix_disk_push(&x, at("reg-2026-04-12T0100Z/docker/registry/v2"), REPO, "latest",
                  "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{}}", "layer",
                  1, APR(6, 9, 0));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return fix_tmpdir_remove(tmpdir);
}

/* ---- the tests --------------------------------------------------------------------- */

static void test_common__check_input(void **state)
{
    struct ra_buf want = RA_BUF_INIT;

    (void)state;
    said[0] = '\0';
    assert_int_equal(cli_check_input(at("gc.log"), 0), 0);
    assert_int_equal(cli_check_input("-", 0), 0);
    /* a path that is not there is left to the reader, which names it */
    assert_int_equal(cli_check_input(at("no-such.log"), 0), 0);
    assert_int_equal(cli_check_input(at("dir"), 1), 0);
    assert_string_equal(said, "");
    assert_int_equal(cli_check_input(at("dir"), 0), -1);
    ra_buf_printf(&want, "'%s': not a regular file (a directory)", at("dir"));
    assert_string_equal(said, want.ptr);
    assert_int_equal(cli_check_input(at("fifo"), 1), -1);
    ra_buf_truncate(&want, 0);
    ra_buf_printf(&want, "'%s': not a regular file or a directory (a FIFO)", at("fifo"));
    assert_string_equal(said, want.ptr);
    ra_buf_release(&want);
}

static void test_common__check_tz(void **state)
{
    (void)state;
    said[0] = '\0';
    assert_int_equal(cli_check_tz("--tz", "UTC"), 0);
    assert_int_equal(cli_check_tz("--tz", "utc"), 0);
    assert_int_equal(cli_check_tz("--tz", "Europe/Berlin"), 0);
    assert_string_equal(said, "");
    assert_int_equal(cli_check_tz("--cluster-tz", "Mars/Olympus_Mons"), -1);
    assert_string_equal(said,
                        "--cluster-tz 'Mars/Olympus_Mons': unknown time zone (not a "
                        "zone of the system tz database, e.g. Europe/Berlin)");
}

static void test_common__usage_and_verbose(void **state)
{
    struct ra_ctx quiet = {0}, loud = {0};
    struct ra_buf err = RA_BUF_INIT;

    (void)state;
    loud.verbose = 1;
    capture_start();
    cli_usage_error("diff", "%d SNAPSHOT arguments, want 2", 3);
    cli_verbose(&quiet, "not said");
    cli_verbose(&loud, "reading log '%s'", "gc.log");
    fix_stderr_end(&err);
    assert_string_equal(err.ptr, "regautopsy diff: 3 SNAPSHOT arguments, want 2; see "
                                 "regautopsy diff --help\n"
                                 "regautopsy: reading log 'gc.log'\n");
    ra_buf_release(&err);
}

static void test_common__expand_snapshots(void **state)
{
    struct ra_vec specs = RA_VEC_INIT;
    struct ra_buf want = RA_BUF_INIT;
    char *args[2];
    const struct ra_snapshot_spec *s;

    (void)state;
    args[0] = ra_xstrdup(at("reg-2026-04-12T0100Z@2026-04-12T02:00Z"));
    args[1] = ra_xstrdup(at("reg-2026-04-13T0100Z"));
    said[0] = '\0';
    assert_int_equal(cli_expand_snapshots(&specs, args, 2), 1);
    ra_buf_printf(&want, "'%s': no such file or directory", args[1]);
    assert_string_equal(said, want.ptr);
    assert_int_equal(specs.len, 1);
    s = specs.items[0];
    assert_string_equal(s->name, "reg-2026-04-12T0100Z");
    assert_int_equal(s->taken_at, APR(12, 2, 0)); /* the stated time wins */
    assert_int_equal(s->taken_source, RA_TAKEN_EXPLICIT);
    cli_free_snapshots(&specs);
    assert_int_equal(specs.len, 0);
    free(args[0]);
    free(args[1]);
    ra_buf_release(&want);
}

static void test_common__progress(void **state)
{
    struct ra_ctx ctx = {0};
    struct cli_progress p;
    struct ra_source_stats st;
    struct ra_buf err = RA_BUF_INIT;
    ra_progress_cb cb;
    const char *tail;

    (void)state;
    memset(&st, 0, sizeof(st));
    st.entries = 42;
    /* no terminal, no --progress: no callback, nothing said */
    capture_start();
    assert_null(cli_progress_start(&p, "reg", &ctx));
    cli_progress_end(&p);
    /* --progress without a terminal: one finished line */
    ctx.progress = 1;
    assert_non_null(cb = cli_progress_start_n(&p, "reg", 1, 3, &ctx));
    cb(&st, &p);
    cli_progress_end(&p);
    fix_stderr_end(&err);
    assert_int_equal(strncmp(err.ptr, "snapshot 2 of 3: reg: 42 entries in ", 36), 0);
    tail = err.ptr + err.len - strlen(" entries/s)\n");
    assert_string_equal(tail, " entries/s)\n");
    assert_null(strchr(err.ptr, '\r'));
    /* -q wins over --progress */
    ctx.quiet = 1;
    capture_start();
    assert_null(cli_progress_start(&p, "reg", &ctx));
    cli_progress_end(&p);
    fix_stderr_end(&err);
    assert_string_equal(err.ptr, "");
    /* a terminal: "\r" lines while reading, erased at the end */
    ctx.quiet = 0;
    ctx.progress = 0;
    ctx.stderr_tty = 1;
    capture_start();
    assert_non_null(cb = cli_progress_start(&p, "reg", &ctx));
    st.bytes_out = 3 << 20;
    cb(&st, &p);
    cli_progress_end(&p);
    fix_stderr_end(&err);
    assert_int_equal(strncmp(err.ptr, "\rreg: 42 entries, 3 MiB, ", 25), 0);
    tail = err.ptr + err.len - strlen(" entries/s\033[K\r\033[K");
    assert_string_equal(tail, " entries/s\033[K\r\033[K");
    ra_buf_release(&err);
}

static void test_common__evidence_options(void **state)
{
    static const char *const names[] = {"config", "rev",       "tz",    "cluster-tz",
                                        "log",    "jobs-file", "verify"};
    struct cli_evidence ev;
    size_t i;

    (void)state;
    cli_evidence_init(&ev);
    assert_int_equal(ev.inv.fold, 1);
    assert_null(ev.inv.config);
    assert_int_equal(ev.logs.len, 0);
    for (i = 0; i < RA_ARRAY_SIZE(names); i++)
        assert_string_equal(cli_evidence_opts[i].name, names[i]);
    assert_null(cli_evidence_opts[i].name);
    cli_evidence_release(&ev);
}

static void test_common__investigate(void **state)
{
    struct ra_ctx ctx = {0};
    struct cli_evidence ev;
    struct ra_investigation *inv = NULL;
    struct ra_buf err = RA_BUF_INIT, want = RA_BUF_INIT;
    char *snaps[1];

    (void)state;
    ctx.verbose = 1;
    ctx.quiet = 1;
    cli_evidence_init(&ev);
    snaps[0] = ra_xstrdup(at("reg-2026-04-12T0100Z"));
    capture_start();
    assert_int_equal(cli_investigate(&inv, &ev, snaps, 1, &ctx), 0);
    fix_stderr_end(&err);
    assert_non_null(inv);
    assert_int_equal(inv->nscans, 1);
    ra_buf_printf(
        &want,
        "regautopsy: reading snapshot 'reg-2026-04-12T0100Z'\n"
        "regautopsy: '%s': registry root 'docker/registry/v2'\n"
        "regautopsy: '%s': %llu entries, %llu bytes read, 1 registry root, 0 not "
        "read\n",
        snaps[0], snaps[0], (unsigned long long)inv->scans[0]->snap->entries,
        (unsigned long long)inv->scans[0]->snap->bytes_in);
    assert_string_equal(err.ptr, want.ptr);
    assert_int_equal(nsaid, 0);
    ra_investigation_free(inv);
    /* a snapshot that is not there: the investigation's error, said once */
    free(snaps[0]);
    snaps[0] = ra_xstrdup(at("reg-2026-04-13T0100Z"));
    inv = NULL;
    capture_start();
    assert_int_equal(cli_investigate(&inv, &ev, snaps, 1, &ctx), -1);
    fix_stderr_end(&err);
    assert_null(inv);
    assert_int_equal(nsaid, 1);
    ra_buf_truncate(&want, 0);
    ra_buf_printf(&want, "'%s': no such file or directory", snaps[0]);
    assert_string_equal(said, want.ptr);
    cli_evidence_release(&ev);
    free(snaps[0]);
    ra_buf_release(&err);
    ra_buf_release(&want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_common__check_input),
        cmocka_unit_test(test_common__check_tz),
        cmocka_unit_test(test_common__usage_and_verbose),
        cmocka_unit_test(test_common__expand_snapshots),
        cmocka_unit_test(test_common__progress),
        cmocka_unit_test(test_common__evidence_options),
        cmocka_unit_test(test_common__investigate),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
