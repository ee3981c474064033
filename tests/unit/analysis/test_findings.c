/* SPDX-License-Identifier: MIT */
/* ra_findings: adding, de-duplicating, sorting, and the stable code and severity names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/findings.h"

#include "fixture.h"

#define HEX_A "5861314d7fccb39c2192173240eab44fa35ca66426201ca2acd0630a6258dd51"
#define HEX_B "f69162950f235e3cdbbad33f1f912d1a504be90d8a37d002c735d6f3e3882265"

static const struct ra_finding *item(const struct ra_findings *f, size_t i)
{
    assert_true(i < f->items.len);
    return f->items.items[i];
}

static void test_findings__add_copies_everything(void **state)
{
    struct ra_findings f = RA_FINDINGS_INIT;
    struct ra_digest a = fix_digest(HEX_A), b = fix_digest(HEX_B);
    char repo[] = "infra-ci", tag[] = "latest", path[] = "blobs/x/data";
    const struct ra_finding *x;

    (void)state;
    x = ra_findings_add(&f, RA_F_BLOB_MISSING, RA_SEV_CRITICAL, repo, tag, &a, &b, path,
                        "layer %s: %d bytes", "sha256:5861", 42);
    repo[0] = tag[0] = path[0] = 'X';
    assert_non_null(x);
    assert_ptr_equal(item(&f, 0), x);
    assert_int_equal(f.items.len, 1);
    assert_int_equal(x->code, RA_F_BLOB_MISSING);
    assert_int_equal(x->severity, RA_SEV_CRITICAL);
    assert_string_equal(x->repository, "infra-ci");
    assert_string_equal(x->tag, "latest");
    assert_true(x->has_digest);
    assert_true(x->has_parent);
    assert_int_equal(ra_digest_cmp(&x->digest, &a), 0);
    assert_int_equal(ra_digest_cmp(&x->parent, &b), 0);
    assert_string_equal(x->path, "blobs/x/data");
    assert_string_equal(x->message, "layer sha256:5861: 42 bytes");
    ra_findings_release(&f);
}

static void test_findings__null_fields_become_empty(void **state)
{
    struct ra_findings f = RA_FINDINGS_INIT;
    const struct ra_finding *x;

    (void)state;
    x = ra_findings_add(&f, RA_F_MEMBER_NOT_REGULAR, RA_SEV_WARNING, NULL, NULL, NULL,
                        NULL, NULL, "member '%s': %s", "a", "symlink not followed");
    assert_string_equal(x->repository, "");
    assert_string_equal(x->tag, "");
    assert_string_equal(x->path, "");
    assert_false(x->has_digest);
    assert_false(x->has_parent);
    assert_true(ra_digest_is_zero(&x->digest));
    assert_true(ra_digest_is_zero(&x->parent));
    assert_string_equal(x->message, "member 'a': symlink not followed");
    ra_findings_release(&f);
}

static void test_findings__identical_kept_once(void **state)
{
    struct ra_findings f = RA_FINDINGS_INIT;
    struct ra_digest a = fix_digest(HEX_A), a2 = fix_digest(HEX_A);
    const struct ra_finding *x, *y;

    (void)state;
    x = ra_findings_add(&f, RA_F_LAYER_LINK_DANGLING, RA_SEV_WARNING, "r", NULL, &a, NULL,
                        "p", "first");
    y = ra_findings_add(&f, RA_F_LAYER_LINK_DANGLING, RA_SEV_WARNING, "r", "", &a2, NULL,
                        "p", "second");
    assert_ptr_equal(x, y);
    assert_int_equal(f.items.len, 1);
    assert_string_equal(x->message, "first");
    ra_findings_release(&f);
}

static void test_findings__duplicate_keeps_worst_severity(void **state)
{
    struct ra_findings f = RA_FINDINGS_INIT;
    struct ra_digest a = fix_digest(HEX_A);
    const struct ra_finding *x;

    (void)state;
    x = ra_findings_add(&f, RA_F_DIGEST_MISMATCH, RA_SEV_ERROR, "r", "t", &a, NULL, "p",
                        "m");
    ra_findings_add(&f, RA_F_DIGEST_MISMATCH, RA_SEV_INFO, "r", "t", &a, NULL, "p", "m");
    assert_int_equal(x->severity, RA_SEV_ERROR);
    ra_findings_add(&f, RA_F_DIGEST_MISMATCH, RA_SEV_CRITICAL, "r", "t", &a, NULL, "p",
                    "m");
    assert_int_equal(x->severity, RA_SEV_CRITICAL);
    assert_int_equal(f.items.len, 1);
    ra_findings_release(&f);
}

static void test_findings__any_field_makes_it_distinct(void **state)
{
    struct ra_findings f = RA_FINDINGS_INIT;
    struct ra_digest a = fix_digest(HEX_A), b = fix_digest(HEX_B);

    (void)state;
    ra_findings_add(&f, RA_F_BLOB_MISSING, RA_SEV_CRITICAL, "r", "t", &a, &b, "p",
                    "base");
    ra_findings_add(&f, RA_F_LAYER_LINK_MISSING, RA_SEV_CRITICAL, "r", "t", &a, &b, "p",
                    "code");
    ra_findings_add(&f, RA_F_BLOB_MISSING, RA_SEV_CRITICAL, "r2", "t", &a, &b, "p",
                    "repo");
    ra_findings_add(&f, RA_F_BLOB_MISSING, RA_SEV_CRITICAL, "r", "t2", &a, &b, "p",
                    "tag");
    ra_findings_add(&f, RA_F_BLOB_MISSING, RA_SEV_CRITICAL, "r", "t", &b, &b, "p",
                    "digest");
    ra_findings_add(&f, RA_F_BLOB_MISSING, RA_SEV_CRITICAL, "r", "t", NULL, &b, "p",
                    "no dig");
    ra_findings_add(&f, RA_F_BLOB_MISSING, RA_SEV_CRITICAL, "r", "t", &a, &a, "p",
                    "parent");
    ra_findings_add(&f, RA_F_BLOB_MISSING, RA_SEV_CRITICAL, "r", "t", &a, NULL, "p",
                    "no par");
    ra_findings_add(&f, RA_F_BLOB_MISSING, RA_SEV_CRITICAL, "r", "t", &a, &b, "p2",
                    "path");
    assert_int_equal(f.items.len, 9);
    ra_findings_release(&f);
}

static void test_findings__fields_do_not_run_together(void **state)
{
    struct ra_findings f = RA_FINDINGS_INIT;

    (void)state;
    /* "ab" + "" and "a" + "b" are different findings */
    ra_findings_add(&f, RA_F_TAG_TARGET_MISSING, RA_SEV_CRITICAL, "ab", "", NULL, NULL,
                    "", "1");
    ra_findings_add(&f, RA_F_TAG_TARGET_MISSING, RA_SEV_CRITICAL, "a", "b", NULL, NULL,
                    "", "2");
    ra_findings_add(&f, RA_F_TAG_TARGET_MISSING, RA_SEV_CRITICAL, "a", "", NULL, NULL,
                    "b", "3");
    assert_int_equal(f.items.len, 3);
    ra_findings_release(&f);
}

static void test_findings__sort_order(void **state)
{
    struct ra_findings f = RA_FINDINGS_INIT;
    struct ra_digest a = fix_digest(HEX_A), b = fix_digest(HEX_B);

    (void)state;
    /* added in reverse of the expected order */
    ra_findings_add(&f, RA_F_BLOB_UNREFERENCED, RA_SEV_INFO, NULL, NULL, &a, NULL, "p",
                    "9");
    ra_findings_add(&f, RA_F_UPLOAD_STALE, RA_SEV_WARNING, "r", NULL, NULL, NULL, "p",
                    "8");
    ra_findings_add(&f, RA_F_LAYER_LINK_DANGLING, RA_SEV_WARNING, "r", NULL, &a, NULL,
                    "p", "7");
    ra_findings_add(&f, RA_F_DIGEST_MISMATCH, RA_SEV_ERROR, NULL, NULL, &a, NULL, "p",
                    "6");
    ra_findings_add(&f, RA_F_LAYER_LINK_MISSING, RA_SEV_CRITICAL, "r", "t", &a, NULL, "p",
                    "5");
    ra_findings_add(&f, RA_F_BLOB_MISSING, RA_SEV_CRITICAL, "r", "t", &b, NULL, "p", "4");
    ra_findings_add(&f, RA_F_BLOB_MISSING, RA_SEV_CRITICAL, "r", "t", &a, &b, "p", "3");
    ra_findings_add(&f, RA_F_BLOB_MISSING, RA_SEV_CRITICAL, "r", "t", &a, NULL, "p", "2");
    ra_findings_add(&f, RA_F_BLOB_MISSING, RA_SEV_CRITICAL, "r", "t", NULL, NULL, "p",
                    "1");
    ra_findings_add(&f, RA_F_BLOB_MISSING, RA_SEV_CRITICAL, "r", "a", &a, NULL, "p",
                    "0b");
    ra_findings_add(&f, RA_F_BLOB_MISSING, RA_SEV_CRITICAL, "a", "t", &a, NULL, "p",
                    "0a");
    ra_findings_sort(&f);
    assert_int_equal(f.items.len, 11);
    /* severity, then code name (blob_missing before layer_link_missing), repository,
     * tag, no digest before digest, digest bytes, no parent before parent */
    assert_string_equal(item(&f, 0)->message, "0a");
    assert_string_equal(item(&f, 1)->message, "0b");
    assert_string_equal(item(&f, 2)->message, "1");
    assert_string_equal(item(&f, 3)->message, "2");
    assert_string_equal(item(&f, 4)->message, "3");
    assert_string_equal(item(&f, 5)->message, "4");
    assert_string_equal(item(&f, 6)->message, "5");
    assert_string_equal(item(&f, 7)->message, "6");
    assert_string_equal(item(&f, 8)->message, "7");
    assert_string_equal(item(&f, 9)->message, "8");
    assert_string_equal(item(&f, 10)->message, "9");
    ra_findings_release(&f);
}

static void test_findings__sort_by_code_name_not_number(void **state)
{
    struct ra_findings f = RA_FINDINGS_INIT;

    (void)state;
    /* RA_F_TAG_TARGET_MISSING is numbered first but named last */
    ra_findings_add(&f, RA_F_TAG_TARGET_MISSING, RA_SEV_CRITICAL, "r", "t", NULL, NULL,
                    "", "t");
    ra_findings_add(&f, RA_F_MANIFEST_LINK_MISSING, RA_SEV_CRITICAL, "r", "t", NULL, NULL,
                    "", "m");
    ra_findings_add(&f, RA_F_INDEX_CHILD_MISSING, RA_SEV_CRITICAL, "r", "t", NULL, NULL,
                    "", "i");
    ra_findings_sort(&f);
    assert_int_equal(item(&f, 0)->code, RA_F_INDEX_CHILD_MISSING);
    assert_int_equal(item(&f, 1)->code, RA_F_MANIFEST_LINK_MISSING);
    assert_int_equal(item(&f, 2)->code, RA_F_TAG_TARGET_MISSING);
    ra_findings_release(&f);
}

static void test_findings__sort_by_path_last(void **state)
{
    struct ra_findings f = RA_FINDINGS_INIT;

    (void)state;
    ra_findings_add(&f, RA_F_MEMBER_NOT_REGULAR, RA_SEV_WARNING, NULL, NULL, NULL, NULL,
                    "b", "b");
    ra_findings_add(&f, RA_F_MEMBER_NOT_REGULAR, RA_SEV_WARNING, NULL, NULL, NULL, NULL,
                    "a/z", "a/z");
    ra_findings_add(&f, RA_F_MEMBER_NOT_REGULAR, RA_SEV_WARNING, NULL, NULL, NULL, NULL,
                    "a", "a");
    ra_findings_sort(&f);
    assert_string_equal(item(&f, 0)->path, "a");
    assert_string_equal(item(&f, 1)->path, "a/z");
    assert_string_equal(item(&f, 2)->path, "b");
    ra_findings_release(&f);
}

static void test_findings__many_with_duplicates(void **state)
{
    struct ra_findings f = RA_FINDINGS_INIT;
    char path[32];
    size_t i;

    (void)state;
    for (i = 0; i < 20000; i++) {
        snprintf(path, sizeof(path), "p%zu", i % 5000);
        ra_findings_add(&f, RA_F_BLOB_UNREFERENCED, RA_SEV_INFO, NULL, NULL, NULL, NULL,
                        path, "%zu", i);
    }
    assert_int_equal(f.items.len, 5000);
    assert_int_equal(f.seen.count, 5000);
    ra_findings_sort(&f);
    assert_string_equal(item(&f, 0)->path, "p0");
    assert_string_equal(item(&f, 0)->message, "0");
    assert_string_equal(item(&f, 1)->path, "p1");
    assert_string_equal(item(&f, 4999)->path, "p999");
    ra_findings_release(&f);
}

static void test_findings__release_and_reuse(void **state)
{
    struct ra_findings f = RA_FINDINGS_INIT;

    (void)state;
    ra_findings_release(&f);
    ra_findings_add(&f, RA_F_READ_ERROR, RA_SEV_CRITICAL, NULL, NULL, NULL, NULL, "x",
                    "y");
    ra_findings_release(&f);
    assert_int_equal(f.items.len, 0);
    assert_int_equal(f.seen.count, 0);
    ra_findings_add(&f, RA_F_READ_ERROR, RA_SEV_CRITICAL, NULL, NULL, NULL, NULL, "x",
                    "y");
    assert_int_equal(f.items.len, 1);
    ra_findings_release(&f);
}

static void test_findings__code_names(void **state)
{
    static const char *const want[RA_F__COUNT] = {
        "",
        "tag_target_missing",
        "manifest_link_missing",
        "manifest_blob_missing",
        "index_child_missing",
        "blob_missing",
        "layer_link_missing",
        "layer_link_dangling",
        "link_invalid",
        "digest_mismatch",
        "size_mismatch",
        "manifest_unparseable",
        "upload_stale",
        "blob_unreferenced",
        "member_not_regular",
        "read_error",
        "nas_metadata",
        "member_duplicate",
        "unreadable",
        "name_invalid",
        "live_tree",
    };
    int i, j;

    (void)state;
    for (i = 0; i < RA_F__COUNT; i++) {
        assert_non_null(ra_finding_code_name((enum ra_finding_code)i));
        assert_string_equal(ra_finding_code_name((enum ra_finding_code)i), want[i]);
        for (j = 1; j < i; j++)
            assert_string_not_equal(ra_finding_code_name((enum ra_finding_code)i),
                                    ra_finding_code_name((enum ra_finding_code)j));
    }
    assert_string_equal(ra_finding_code_name(RA_F__COUNT), "");
    assert_string_equal(ra_finding_code_name((enum ra_finding_code) - 1), "");
}

static void test_findings__severity_names(void **state)
{
    (void)state;
    assert_string_equal(ra_severity_name(RA_SEV_CRITICAL), "critical");
    assert_string_equal(ra_severity_name(RA_SEV_ERROR), "error");
    assert_string_equal(ra_severity_name(RA_SEV_WARNING), "warning");
    assert_string_equal(ra_severity_name(RA_SEV_INFO), "info");
    assert_string_equal(ra_severity_name((enum ra_severity)4), "");
    assert_string_equal(ra_severity_name((enum ra_severity) - 1), "");
    /* worst first: the sort relies on it */
    assert_true(RA_SEV_CRITICAL < RA_SEV_ERROR && RA_SEV_ERROR < RA_SEV_WARNING &&
                RA_SEV_WARNING < RA_SEV_INFO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_findings__add_copies_everything),
        cmocka_unit_test(test_findings__null_fields_become_empty),
        cmocka_unit_test(test_findings__identical_kept_once),
        cmocka_unit_test(test_findings__duplicate_keeps_worst_severity),
        cmocka_unit_test(test_findings__any_field_makes_it_distinct),
        cmocka_unit_test(test_findings__fields_do_not_run_together),
        cmocka_unit_test(test_findings__sort_order),
        cmocka_unit_test(test_findings__sort_by_code_name_not_number),
        cmocka_unit_test(test_findings__sort_by_path_last),
        cmocka_unit_test(test_findings__many_with_duplicates),
        cmocka_unit_test(test_findings__release_and_reuse),
        cmocka_unit_test(test_findings__code_names),
        cmocka_unit_test(test_findings__severity_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
