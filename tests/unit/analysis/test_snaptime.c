/* SPDX-License-Identifier: MIT */
/* analysis/snaptime: a snapshot timed only by its newest mtime gets the run of the backup
 * job that made it: the run that writes its name, else the first run within a day;
 * snapshots with a stated time, and runs too late or of other jobs, change nothing. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <string.h>

#include "analysis/snaptime.h"
#include "config/jobs/jobs.h"
#include "util/buf.h"

static ra_time T(const char *s)
{
    ra_time t;

    assert_int_equal(ra_time_parse(&t, s), 0);
    return t;
}

static void test_snaptime__expand_date(void **state)
{
    struct ra_buf b = RA_BUF_INIT;
    ra_time t = T("2026-04-12T01:00:00Z");

    (void)state;
    ra_snaptime_expand_date(&b, "/mnt/nas/registry-$(date +%F).tgz", t);
    assert_string_equal(b.ptr, "/mnt/nas/registry-2026-04-12.tgz");
    ra_snaptime_expand_date(&b, "/b/reg-$(date +\\%Y\\%m\\%d).tar", t); /* crontab's \% */
    assert_string_equal(b.ptr, "/b/reg-20260412.tar");
    ra_snaptime_expand_date(&b, "/b/reg-`date -u +%Y%m%dT%H%MZ`.tar", t);
    assert_string_equal(b.ptr, "/b/reg-20260412T0100Z.tar");
    ra_snaptime_expand_date(&b, "s3:bucket/$(hostname)/x", t); /* not a date: kept */
    assert_string_equal(b.ptr, "s3:bucket/$(hostname)/x");
    ra_buf_release(&b);
}

static void test_snaptime__from_backups(void **state)
{
    struct ra_snapshot snaps[5];
    struct ra_scan scans[5], *ps[5];
    struct ra_firing f[8];
    struct ra_pool pool = RA_POOL_INIT;
    struct ra_vec notes = RA_VEC_INIT;
    size_t i, nf = 0;

    (void)state;
    memset(snaps, 0, sizeof(snaps));
    memset(scans, 0, sizeof(scans));
    memset(f, 0, sizeof(f));
    for (i = 0; i < 5; i++) {
        scans[i].snap = &snaps[i];
        ps[i] = &scans[i];
        snaps[i].taken_source = RA_TAKEN_MTIME;
    }
    /* named as the nightly backup names it; newest mtime the evening before */
    snaps[0].name = "registry-2026-04-12.tgz";
    snaps[0].newest_mtime = snaps[0].taken_at = T("2026-04-11T22:10:00Z");
    /* the same, but the registry was idle for two days: the name still says which run */
    snaps[1].name = "registry-2026-04-15.tgz";
    snaps[1].newest_mtime = snaps[1].taken_at = T("2026-04-12T09:00:00Z");
    /* a name that says nothing: the first backup run within a day */
    snaps[2].name = "copy-c";
    snaps[2].newest_mtime = snaps[2].taken_at = T("2026-04-15T10:00:00Z");
    /* the time was stated: untouched */
    snaps[3].name = "stated";
    snaps[3].taken_source = RA_TAKEN_EXPLICIT;
    snaps[3].newest_mtime = T("2026-04-16T10:00:00Z");
    snaps[3].taken_at = T("2026-04-16T12:00:00Z");
    /* no backup run within a day after it: untouched */
    snaps[4].name = "copy-e";
    snaps[4].newest_mtime = snaps[4].taken_at = T("2026-04-17T02:00:00Z");

    f[nf].time = T("2026-04-11T03:25:00Z"), f[nf].classes = RA_JOB_GARBAGE_COLLECT, nf++;
    for (i = 0; i < 6; i++) { /* nightly at 01:00, 2026-04-12 .. 2026-04-17 */
        f[nf].time = T("2026-04-12T01:00:00Z") + (ra_time)i * 86400;
        f[nf].classes = RA_JOB_BACKUP;
        f[nf].job_name = "sync-nas";
        f[nf].defined_in = "crontab:1";
        f[nf].commit = "0123456789ab";
        f[nf].backup_to = "/mnt/nas/registry-$(date +%F).tgz";
        nf++;
    }
    ra_snaptime_from_backups(ps, 5, f, nf, &pool, &notes);

    assert_int_equal(snaps[0].taken_source, RA_TAKEN_BACKUP_JOB);
    assert_int_equal(snaps[0].taken_at, T("2026-04-12T01:00:00Z"));
    assert_int_equal(snaps[1].taken_source, RA_TAKEN_BACKUP_JOB);
    assert_int_equal(snaps[1].taken_at, T("2026-04-15T01:00:00Z"));
    assert_int_equal(snaps[2].taken_source, RA_TAKEN_BACKUP_JOB);
    assert_int_equal(snaps[2].taken_at, T("2026-04-16T01:00:00Z"));
    assert_int_equal(snaps[3].taken_source, RA_TAKEN_EXPLICIT);
    assert_int_equal(snaps[3].taken_at, T("2026-04-16T12:00:00Z"));
    assert_int_equal(snaps[4].taken_source, RA_TAKEN_MTIME);
    assert_int_equal(snaps[4].taken_at, T("2026-04-17T02:00:00Z"));
    assert_int_equal(notes.len, 3);
    assert_string_equal(
        notes.items[0],
        "snapshot 'registry-2026-04-12.tgz': its contents give only a lower "
        "bound (newest mtime 2026-04-11T22:10:00Z); backup job 'sync-nas' "
        "(crontab:1 @ 0123456789ab) ran at 2026-04-12T01:00:00Z, and writes exactly this "
        "name at that run: taken as the likely time the snapshot was made");
    assert_non_null(strstr(notes.items[2], "its first run after that bound"));
    assert_string_equal(ra_taken_source_name(snaps[2].taken_source), "backup-job");
    ra_vec_release(&notes);
    ra_pool_release(&pool);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snaptime__expand_date),
        cmocka_unit_test(test_snaptime__from_backups),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
