/* SPDX-License-Identifier: MIT */
/* ra_storage_path and ra_storage_folder: every path kind, with and without a root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "model/storage_path.h"
#include "util/buf.h"

#define ROOT "var/lib/registry/docker/registry/v2"
#define HEX "5861314d7fccb39c2192173240eab44fa35ca66426201ca2acd0630a6258dd51"
#define UUID "3f2a9c1e-4b5d-4e6f-8a7b-9c0d1e2f3a4b"

struct row {
    enum ra_storage_kind kind;
    const char *repo, *name;
    const char *path;   /* relative to the root */
    const char *folder; /* ra_storage_folder */
};

static const struct row rows[] = {
    {RA_STORE_BLOB_DATA, NULL, NULL, "blobs/sha256/58/" HEX "/data",
     "blobs/sha256/58/" HEX},
    {RA_STORE_LAYER_LINK, "tools/kubectl", NULL,
     "repositories/tools/kubectl/_layers/sha256/" HEX "/link",
     "repositories/tools/kubectl/_layers/sha256/" HEX},
    {RA_STORE_REVISION_LINK, "infra-ci", NULL,
     "repositories/infra-ci/_manifests/revisions/sha256/" HEX "/link",
     "repositories/infra-ci/_manifests/revisions/sha256/" HEX},
    {RA_STORE_TAG_CURRENT, "infra-ci", "latest",
     "repositories/infra-ci/_manifests/tags/latest/current/link",
     "repositories/infra-ci/_manifests/tags/latest/current"},
    {RA_STORE_TAG_INDEX, "a/b/c", "v1.2",
     "repositories/a/b/c/_manifests/tags/v1.2/index/sha256/" HEX "/link",
     "repositories/a/b/c/_manifests/tags/v1.2/index/sha256/" HEX},
    {RA_STORE_UPLOAD, "infra-ci", UUID, "repositories/infra-ci/_uploads/" UUID,
     "repositories/infra-ci/_uploads/" UUID},
    {RA_STORE_REPOSITORY, "a/b", NULL, "repositories/a/b", "repositories/a/b"},
    {RA_STORE_TAGS, "r", NULL, "repositories/r/_manifests/tags",
     "repositories/r/_manifests/tags"},
    {RA_STORE_TAG, "r", "1.0", "repositories/r/_manifests/tags/1.0",
     "repositories/r/_manifests/tags/1.0"},
    {RA_STORE_REVISIONS, "r", NULL, "repositories/r/_manifests/revisions/sha256",
     "repositories/r/_manifests/revisions/sha256"},
    {RA_STORE_BLOB_PREFIX, NULL, NULL, "blobs/sha256/58", "blobs/sha256/58"},
};

static struct ra_digest digest(void)
{
    struct ra_digest d;

    assert_int_equal(ra_digest_from_hex(&d, HEX, strlen(HEX)), 0);
    return d;
}

static void test_storage_path__every_kind_without_a_root(void **state)
{
    struct ra_digest d = digest();
    struct ra_buf b = RA_BUF_INIT;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        ra_buf_puts(&b, "stale contents are replaced");
        ra_storage_path(&b, "", rows[i].kind, rows[i].repo, rows[i].name, &d);
        assert_string_equal(b.ptr, rows[i].path);
        ra_storage_folder(&b, "", rows[i].kind, rows[i].repo, rows[i].name, &d);
        assert_string_equal(b.ptr, rows[i].folder);
    }
    ra_buf_release(&b);
}

static void test_storage_path__root_and_slash_come_first(void **state)
{
    struct ra_digest d = digest();
    struct ra_buf b = RA_BUF_INIT;
    char want[512];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        ra_storage_path(&b, ROOT, rows[i].kind, rows[i].repo, rows[i].name, &d);
        snprintf(want, sizeof(want), "%s/%s", ROOT, rows[i].path);
        assert_string_equal(b.ptr, want);
        ra_storage_folder(&b, ROOT, rows[i].kind, rows[i].repo, rows[i].name, &d);
        snprintf(want, sizeof(want), "%s/%s", ROOT, rows[i].folder);
        assert_string_equal(b.ptr, want);
    }
    ra_storage_path(&b, "/docker/registry/v2", RA_STORE_TAG_CURRENT, "r", "x y", NULL);
    assert_string_equal(b.ptr, "/docker/registry/v2/repositories/r/_manifests/tags/x y/"
                               "current/link");
    ra_buf_release(&b);
}

/* Kinds that need no digest or name accept NULL for them. */
static void test_storage_path__unused_parts_may_be_null(void **state)
{
    struct ra_buf b = RA_BUF_INIT;

    (void)state;
    ra_storage_path(&b, "", RA_STORE_TAGS, "r", NULL, NULL);
    assert_string_equal(b.ptr, "repositories/r/_manifests/tags");
    ra_storage_folder(&b, "x", RA_STORE_TAG_CURRENT, "r", "t", NULL);
    assert_string_equal(b.ptr, "x/repositories/r/_manifests/tags/t/current");
    ra_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_storage_path__every_kind_without_a_root),
        cmocka_unit_test(test_storage_path__root_and_slash_come_first),
        cmocka_unit_test(test_storage_path__unused_parts_may_be_null),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
