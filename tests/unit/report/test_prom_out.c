/* SPDX-License-Identifier: MIT */
/* report/prom_out: the exact metrics text for a hand-made scan with hostile names, the
 * run's metrics, and the atomic replacement of the file with the last complete scan
 * carried over a failed run. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
/* clang-format on */

#include <dirent.h>
#include <unistd.h>

#include "analysis/scan.h"
#include "model/graph.h"
#include "report/prom_out.h"
#include "util/buf.h"

/* A scan built by hand: one registry at the snapshot's top (root ""), an empty graph
 * (nothing for a GC to delete), three tags. */
struct fake {
    struct ra_snapshot snap;
    struct ra_graph *g;
    struct ra_registry_result reg, *regs[1];
    struct ra_tag_result tags[3];
    struct ra_platform_result plats[3];
    struct ra_scan scan, *scans[1];
};

static void fake_init(struct fake *f)
{
    memset(f, 0, sizeof(*f));
    f->snap.complete = 1;
    f->snap.entries = 42;
    ra_graph_new(&f->g, "", 0);
    /* a quote and a backslash; a line feed; an index listing a platform twice */
    f->tags[0] = (struct ra_tag_result){.repository = "evil\"repo\\x", .tag = "t\nag"};
    f->tags[0].pullable = 1;
    f->plats[0] = (struct ra_platform_result){.platform = "linux/amd64", .pullable = 1};
    f->tags[0].platforms = &f->plats[0];
    f->tags[0].nplatforms = 1;
    f->tags[1] = (struct ra_tag_result){.repository = "multi", .tag = "1.0"};
    f->plats[1] =
        (struct ra_platform_result){.platform = "unknown/unknown", .pullable = 1};
    f->plats[2] =
        (struct ra_platform_result){.platform = "unknown/unknown", .pullable = 0};
    f->tags[1].platforms = &f->plats[1];
    f->tags[1].nplatforms = 2;
    /* not UTF-8, and a tag whose current link names nothing: no platform */
    f->tags[2] = (struct ra_tag_result){.repository = "caf\xe9", .tag = "gone"};
    f->reg.graph = f->g;
    f->reg.tags = f->tags;
    f->reg.ntags = 3;
    f->reg.findings = (struct ra_findings)RA_FINDINGS_INIT;
    f->scan.findings = (struct ra_findings)RA_FINDINGS_INIT;
    ra_findings_add(&f->reg.findings, RA_F_TAG_TARGET_MISSING, RA_SEV_CRITICAL, "caf\xe9",
                    "gone", NULL, NULL, "", "x");
    ra_findings_add(&f->reg.findings, RA_F_BLOB_MISSING, RA_SEV_CRITICAL, "multi", "1.0",
                    NULL, NULL, "a", "x");
    ra_findings_add(&f->reg.findings, RA_F_BLOB_MISSING, RA_SEV_ERROR, "multi", "", NULL,
                    NULL, "b", "x");
    ra_findings_add(&f->scan.findings, RA_F_LIVE_TREE, RA_SEV_INFO, NULL, NULL, NULL,
                    NULL, "", "x");
    f->snap.vanished = 1;
    f->regs[0] = &f->reg;
    f->scan.snap = &f->snap;
    f->scan.regs = f->regs;
    f->scan.nregs = 1;
    f->scans[0] = &f->scan;
}

static void fake_release(struct fake *f)
{
    ra_findings_release(&f->reg.findings);
    ra_findings_release(&f->scan.findings);
    ra_graph_free(f->g);
}

static const char expected_run[] =
    "# HELP regautopsy_scan_success Whether the last scan read all of its storage (1) "
    "or not (0).\n"
    "# TYPE regautopsy_scan_success gauge\n"
    "regautopsy_scan_success 1\n"
    "# HELP regautopsy_scan_live_tree Whether the storage changed while the last scan "
    "read it (1) or not (0).\n"
    "# TYPE regautopsy_scan_live_tree gauge\n"
    "regautopsy_scan_live_tree 1\n"
    "# HELP regautopsy_scan_duration_seconds How long the last scan took.\n"
    "# TYPE regautopsy_scan_duration_seconds gauge\n"
    "regautopsy_scan_duration_seconds 1.250\n"
    "# HELP regautopsy_scan_entries_read_total Storage entries (files, folders, links) "
    "the last scan read.\n"
    "# TYPE regautopsy_scan_entries_read_total counter\n"
    "regautopsy_scan_entries_read_total 42\n"
    "# HELP regautopsy_last_complete_scan_timestamp_seconds When the last complete scan "
    "ended, in seconds since the epoch.\n"
    "# TYPE regautopsy_last_complete_scan_timestamp_seconds gauge\n"
    "regautopsy_last_complete_scan_timestamp_seconds 1776000000\n";

static const char expected_rest[] =
    "# HELP regautopsy_tag_pullable Whether a client can pull the tag for the platform "
    "(1) or not (0).\n"
    "# TYPE regautopsy_tag_pullable gauge\n"
    "regautopsy_tag_pullable{root=\".\",repository=\"evil\\\"repo\\\\x\",tag=\"t\\nag\","
    "platform=\"linux/amd64\"} 1\n"
    "regautopsy_tag_pullable{root=\".\",repository=\"multi\",tag=\"1.0\","
    "platform=\"unknown/unknown\"} 0\n"
    "regautopsy_tag_pullable{root=\".\",repository=\"caf\\\\xe9\",tag=\"gone\","
    "platform=\"\"} 0\n"
    "# HELP regautopsy_findings Findings of the last scan by code and severity "
    "(docs/findings.md).\n"
    "# TYPE regautopsy_findings gauge\n"
    "regautopsy_findings{code=\"blob_missing\",severity=\"critical\"} 1\n"
    "regautopsy_findings{code=\"blob_missing\",severity=\"error\"} 1\n"
    "regautopsy_findings{code=\"live_tree\",severity=\"info\"} 1\n"
    "regautopsy_findings{code=\"tag_target_missing\",severity=\"critical\"} 1\n"
    "# HELP regautopsy_gc_at_risk_blobs Blobs whose data a garbage-collect run now would "
    "delete.\n"
    "# TYPE regautopsy_gc_at_risk_blobs gauge\n"
    "regautopsy_gc_at_risk_blobs{root=\".\",delete_untagged=\"false\"} 0\n"
    "regautopsy_gc_at_risk_blobs{root=\".\",delete_untagged=\"true\"} 0\n"
    "# HELP regautopsy_gc_at_risk_bytes Bytes of blob data a garbage-collect run now "
    "would delete.\n"
    "# TYPE regautopsy_gc_at_risk_bytes gauge\n"
    "regautopsy_gc_at_risk_bytes{root=\".\",delete_untagged=\"false\"} 0\n"
    "regautopsy_gc_at_risk_bytes{root=\".\",delete_untagged=\"true\"} 0\n"
    "# HELP regautopsy_gc_at_risk_manifests Manifests whose revision links a "
    "garbage-collect run now would delete.\n"
    "# TYPE regautopsy_gc_at_risk_manifests gauge\n"
    "regautopsy_gc_at_risk_manifests{root=\".\",delete_untagged=\"false\"} 0\n"
    "regautopsy_gc_at_risk_manifests{root=\".\",delete_untagged=\"true\"} 0\n"
    "# HELP regautopsy_gc_would_abort Whether a garbage-collect run now would stop in "
    "its "
    "mark phase (1) or not (0).\n"
    "# TYPE regautopsy_gc_would_abort gauge\n"
    "regautopsy_gc_would_abort{root=\".\",delete_untagged=\"false\"} 0\n"
    "regautopsy_gc_would_abort{root=\".\",delete_untagged=\"true\"} 0\n";

static void test_prom_out__exact_text_with_hostile_names(void **state)
{
    struct ra_prom_run run = RA_PROM_RUN_INIT;
    struct ra_buf out = RA_BUF_INIT, want = RA_BUF_INIT;
    struct fake f;

    (void)state;
    fake_init(&f);
    run.duration = 1.25;
    run.last_complete = 1776000000;
    ra_prom_write(&out, f.scans, 1, &run);
    ra_buf_printf(&want, "%s%s", expected_run, expected_rest);
    assert_string_equal(ra_buf_cstr(&out), ra_buf_cstr(&want));
    ra_buf_release(&out);
    ra_buf_release(&want);
    fake_release(&f);
}

static void test_prom_out__failed_run_without_a_complete_scan(void **state)
{
    struct ra_prom_run run = RA_PROM_RUN_INIT;
    struct ra_buf out = RA_BUF_INIT;

    (void)state;
    run.failed = 1;
    ra_prom_write(&out, NULL, 0, &run);
    assert_non_null(strstr(ra_buf_cstr(&out), "\nregautopsy_scan_success 0\n"));
    assert_non_null(
        strstr(ra_buf_cstr(&out), "\nregautopsy_scan_entries_read_total 0\n"));
    assert_null(strstr(ra_buf_cstr(&out), "last_complete"));
    assert_null(strstr(ra_buf_cstr(&out), "regautopsy_tag_pullable"));
    ra_buf_release(&out);
}

static void test_prom_out__incomplete_snapshot_is_no_success(void **state)
{
    struct ra_prom_run run = RA_PROM_RUN_INIT;
    struct fake f;

    (void)state;
    fake_init(&f);
    assert_int_equal(ra_prom_success(f.scans, 1, &run), 1);
    f.snap.complete = 0;
    assert_int_equal(ra_prom_success(f.scans, 1, &run), 0);
    f.snap.complete = 1;
    f.scan.nregs = 0;
    assert_int_equal(ra_prom_success(f.scans, 1, &run), 0);
    f.scan.nregs = 1;
    ra_vec_push(&f.snap.unread, &f); /* a file permission denied */
    assert_int_equal(ra_prom_success(f.scans, 1, &run), 0);
    ra_vec_release(&f.snap.unread);
    assert_int_equal(ra_prom_success(f.scans, 1, &run), 1);
    run.failed = 1;
    assert_int_equal(ra_prom_success(f.scans, 1, &run), 0);
    fake_release(&f);
}

static void test_prom_out__storage_read_in_part_has_no_tag_series(void **state)
{
    struct ra_prom_run run = RA_PROM_RUN_INIT;
    struct ra_buf out = RA_BUF_INIT;
    struct fake f;

    (void)state;
    fake_init(&f);
    f.snap.complete = 0;
    ra_prom_write(&out, f.scans, 1, &run);
    assert_non_null(strstr(ra_buf_cstr(&out), "\nregautopsy_scan_success 0\n"));
    assert_non_null(
        strstr(ra_buf_cstr(&out),
               "\nregautopsy_findings{code=\"blob_missing\",severity=\"critical\"} 1\n"));
    assert_null(strstr(ra_buf_cstr(&out), "regautopsy_tag_pullable"));
    assert_null(strstr(ra_buf_cstr(&out), "regautopsy_gc_"));
    ra_buf_release(&out);
    fake_release(&f);
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "r");
    char *s = calloc(1, 65536);

    assert_non_null(fp);
    assert_true(fread(s, 1, 65535, fp) > 0);
    fclose(fp);
    return s;
}

static size_t count_files(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t n = 0;

    assert_non_null(d);
    while ((de = readdir(d)))
        n += de->d_name[0] != '.';
    closedir(d);
    return n;
}

static void test_prom_out__file_replaced_and_last_complete_kept(void **state)
{
    struct ra_prom_run run = RA_PROM_RUN_INIT;
    struct ra_err err = RA_ERR_INIT;
    char dir[] = "/tmp/ra-test-prom-XXXXXX", path[64], kept[128], *first, *second, *line;
    struct fake f;

    (void)state;
    fake_init(&f);
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/regautopsy.prom", dir);
    ra_prom_start(&run);
    assert_int_equal(ra_prom_write_file(path, f.scans, 1, &run, &err), 0);
    assert_true(run.last_complete > 1776000000);
    assert_int_equal(count_files(dir), 1); /* no temporary file left */
    first = slurp(path);
    assert_non_null(strstr(first, expected_rest));
    line = strstr(first, "\nregautopsy_last_complete_scan_timestamp_seconds ");
    assert_non_null(line);
    snprintf(kept, sizeof(kept), "%.*s", (int)(strchr(line + 1, '\n') - line + 1), line);

    /* the storage cannot be read now: success 0, the earlier time carried over */
    run = (struct ra_prom_run)RA_PROM_RUN_INIT;
    run.failed = 1;
    ra_prom_start(&run);
    assert_int_equal(ra_prom_write_file(path, NULL, 0, &run, &err), 0);
    second = slurp(path);
    assert_non_null(strstr(second, "\nregautopsy_scan_success 0\n"));
    assert_non_null(strstr(second, kept));
    assert_int_equal(count_files(dir), 1);
    free(first);
    free(second);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);

    /* a folder that does not exist: RA_EIO naming the file */
    assert_int_equal(ra_prom_write_file("/nonexistent-ra/x.prom", f.scans, 1, &run, &err),
                     RA_EIO);
    assert_int_equal(err.code, RA_EIO);
    assert_non_null(strstr(err.msg, "'/nonexistent-ra/x.prom': cannot create a temporary "
                                    "file beside it: No such file or directory"));
    fake_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prom_out__exact_text_with_hostile_names),
        cmocka_unit_test(test_prom_out__failed_run_without_a_complete_scan),
        cmocka_unit_test(test_prom_out__incomplete_snapshot_is_no_success),
        cmocka_unit_test(test_prom_out__storage_read_in_part_has_no_tag_series),
        cmocka_unit_test(test_prom_out__file_replaced_and_last_complete_kept),
    };

    return cmocka_run_group_tests_name("report/prom_out", tests, NULL, NULL);
}
