/* SPDX-License-Identifier: MIT */
/* report/diff_out: the regautopsy.diff/1 document (docs/json.md) and the text summary
 * of ra_diff_compute over two hand-built scans, byte for byte: a tag moved, a tag
 * removed, a tag that no longer pulls with its reason, blobs deleted and added with
 * their sizes, a repository name that is not UTF-8 (JSON "\xNN" escapes, text without
 * control characters); and the document and summary of two scans that do not differ. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/diff.h"
#include "report/diff_out.h"
#include "util/buf.h"

#include "fixture_analysis.h"

#define ODD_REPO "caf\xe9" /* Latin-1, not UTF-8 */
#define OLD "reg-2026-04-12T0100Z"
#define NEW "reg-2026-04-13T0100Z"
#define H2 "2222222222222222222222222222222222222222222222222222222222222222"
#define H3 "3333333333333333333333333333333333333333333333333333333333333333"
#define H5 "5555555555555555555555555555555555555555555555555555555555555555"
#define H7 "7777777777777777777777777777777777777777777777777777777777777777"
#define H8 "8888888888888888888888888888888888888888888888888888888888888888"
#define H9 "9999999999999999999999999999999999999999999999999999999999999999"
#define HA "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HC "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
#define HD "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"

/* infra-ci:latest -> '2' ('4', '6'), infra-ci:stable -> 'a' ('b', 'c'), caf\xe9:v1 ->
 * '8' ('9', 'd'). */
static struct ra_graph *old_graph(void)
{
    struct ra_graph *g = fix_graph(ROOT);

    fix_push_image(g, REPO, '2', '4', '6', "amd64", RA_TIME_NONE);
    fix_tag(g, REPO, "latest", '2', RA_TIME_NONE);
    fix_push_image(g, REPO, 'a', 'b', 'c', "amd64", RA_TIME_NONE);
    fix_tag(g, REPO, "stable", 'a', RA_TIME_NONE);
    fix_push_image(g, ODD_REPO, '8', '9', 'd', "arm64", RA_TIME_NONE);
    fix_tag(g, ODD_REPO, "v1", '8', RA_TIME_NONE);
    return g;
}

/* latest moved to '3' ('5', '7'); stable's layer 'c' gone; caf\xe9:v1 removed with its
 * manifest, config and layer. */
static struct ra_graph *new_graph(void)
{
    struct ra_graph *g = fix_graph(ROOT);
    struct ra_digest c = dg('c');

    fix_push_image(g, REPO, '2', '4', '6', "amd64", RA_TIME_NONE);
    fix_push_image(g, REPO, '3', '5', '7', "amd64", RA_TIME_NONE);
    fix_tag(g, REPO, "latest", '3', RA_TIME_NONE);
    fix_push_image(g, REPO, 'a', 'b', 'c', "amd64", RA_TIME_NONE);
    fix_tag(g, REPO, "stable", 'a', RA_TIME_NONE);
    ra_graph_find_blob(g, &c)->present = 0;
    return g;
}

struct fx {
    struct ra_scan *old, *new_;
    struct ra_diff *diff;
    struct ra_buf out;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    *state = f;
    return f ? 0 : -1;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    ra_diff_free(f->diff);
    ra_scan_free(f->old);
    ra_scan_free(f->new_);
    ra_buf_release(&f->out);
    free(f);
    return 0;
}

static void compute(struct fx *f, struct ra_graph *og, struct ra_graph *ng)
{
    f->old = fix_scan(OLD, "/backups/" OLD, APR(12, 1, 0), &og, 1, NULL);
    f->new_ = fix_scan(NEW, "/backups/" NEW, APR(13, 1, 0), &ng, 1, NULL);
    ra_diff_compute(&f->diff, f->old, f->new_);
    assert_non_null(f->diff);
}

/* The document parsed back; each change as compact JSON with sorted keys. */
static json_t *parse(const struct ra_buf *out)
{
    json_error_t jerr;
    json_t *doc = json_loadb(out->ptr, out->len, JSON_REJECT_DUPLICATES, &jerr);

    if (!doc)
        fail_msg("not valid JSON: %s (line %d)\n%s", jerr.text, jerr.line, out->ptr);
    return doc;
}

static void expect_json(json_t *v, const char *want)
{
    char *got = json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);

    assert_non_null(got);
    if (strcmp(got, want))
        fail_msg("got  %s\nwant %s", got, want);
    free(got);
}

#define SNAPS                                                                            \
    "\"new\":{\"complete\":true,\"name\":\"" NEW                                         \
    "\",\"taken_at\":\"2026-04-13T01:00:00Z\","                                          \
    "\"taken_at_source\":\"name\"},\"old\":{\"complete\":true,\"name\":\"" OLD           \
    "\",\"taken_at\":\"2026-04-12T01:00:00Z\",\"taken_at_source\":\"name\"}"
#define D(c) "\"sha256:" H##c "\""

static void test_diff_out__changes_json(void **state)
{
    static const char *const want[] = {
        "{\"change\":\"tag_removed\",\"new\":null,\"old\":" D(
            8) ",\"repository\":\"caf\\\\xe9\",\"tag\":\"v1\"}",
        "{\"change\":\"tag_moved\",\"new\":" D(3) ",\"old\":" D(
            2) ",\"repository\":\"infra-ci\",\"tag\":\"latest\"}",
        "{\"change\":\"revision_removed\",\"new\":null,\"old\":" D(
            8) ",\"repository\":\"caf\\\\xe9\",\"tag\":null}",
        "{\"change\":\"revision_added\",\"new\":" D(
            3) ",\"old\":null,\"repository\":\"infra-ci\",\"tag\":null}",
        "{\"change\":\"layer_link_removed\",\"new\":null,\"old\":" D(
            9) ",\"repository\":\"caf\\\\xe9\",\"tag\":null}",
        "{\"change\":\"layer_link_removed\",\"new\":null,\"old\":" D(
            D) ",\"repository\":\"caf\\\\xe9\",\"tag\":null}",
        "{\"change\":\"layer_link_added\",\"new\":" D(
            5) ",\"old\":null,\"repository\":\"infra-ci\",\"tag\":null}",
        "{\"change\":\"layer_link_added\",\"new\":" D(
            7) ",\"old\":null,\"repository\":\"infra-ci\",\"tag\":null}",
        "{\"change\":\"tag_history_removed\",\"new\":null,\"old\":" D(
            8) ",\"repository\":\"caf\\\\xe9\",\"tag\":\"v1\"}",
        "{\"change\":\"tag_history_removed\",\"new\":null,\"old\":" D(
            2) ",\"repository\":\"infra-ci\",\"tag\":\"latest\"}",
        "{\"change\":\"blob_deleted\",\"new\":null,\"old\":" D(
            8) ",\"repository\":null,\"size\":401,\"tag\":null}",
        "{\"change\":\"blob_deleted\",\"new\":null,\"old\":" D(
            9) ",\"repository\":null,\"size\":45,\"tag\":null}",
        "{\"change\":\"blob_deleted\",\"new\":null,\"old\":" D(
            C) ",\"repository\":null,\"size\":1000,\"tag\":null}",
        "{\"change\":\"blob_deleted\",\"new\":null,\"old\":" D(
            D) ",\"repository\":null,\"size\":1000,\"tag\":null}",
        "{\"change\":\"blob_added\",\"new\":" D(
            3) ",\"old\":null,\"repository\":null,\"size\":401,\"tag\":null}",
        "{\"change\":\"blob_added\",\"new\":" D(
            5) ",\"old\":null,\"repository\":null,\"size\":45,\"tag\":null}",
        "{\"change\":\"blob_added\",\"new\":" D(
            7) ",\"old\":null,\"repository\":null,\"size\":1000,\"tag\":null}",
        "{\"change\":\"became_unpullable\",\"new\":" D(A) ",\"old\":" D(
            A) ",\"reason\":\"blob_missing\",\"repository\":\"infra-ci\",\"tag\":"
               "\"stable\"}",
    };
    struct fx *f = *state;
    struct ra_err err = RA_ERR_INIT;
    json_t *doc, *reg, *changes;
    size_t i;

    compute(f, old_graph(), new_graph());
    assert_int_equal(ra_diff_write_json(&f->out, f->diff, &err), 0);
    assert_int_equal(err.code, 0);
    assert_int_equal(f->out.ptr[f->out.len - 1], '\n');
    doc = parse(&f->out);
    assert_string_equal(json_string_value(json_object_get(doc, "schema")),
                        "regautopsy.diff/1");
    expect_json(json_object_get(doc, "old"),
                "{\"complete\":true,\"name\":\"" OLD "\",\"taken_at\":"
                "\"2026-04-12T01:00:00Z\",\"taken_at_source\":\"name\"}");
    expect_json(json_object_get(doc, "new"),
                "{\"complete\":true,\"name\":\"" NEW "\",\"taken_at\":"
                "\"2026-04-13T01:00:00Z\",\"taken_at_source\":\"name\"}");
    assert_int_equal(json_array_size(json_object_get(doc, "registries")), 1);
    reg = json_array_get(json_object_get(doc, "registries"), 0);
    assert_string_equal(json_string_value(json_object_get(reg, "root")), ROOT);
    assert_true(json_is_true(json_object_get(reg, "in_old")));
    assert_true(json_is_true(json_object_get(reg, "in_new")));
    expect_json(json_object_get(reg, "counts"),
                "{\"became_unpullable\":1,\"blob_added\":3,\"blob_deleted\":4,"
                "\"layer_link_added\":2,\"layer_link_removed\":2,\"repaired\":0,"
                "\"revision_added\":1,\"revision_removed\":1,\"tag_added\":0,"
                "\"tag_history_removed\":2,\"tag_moved\":1,\"tag_removed\":1}");
    changes = json_object_get(reg, "changes");
    assert_int_equal(json_array_size(changes), RA_ARRAY_SIZE(want));
    for (i = 0; i < RA_ARRAY_SIZE(want); i++)
        expect_json(json_array_get(changes, i), want[i]);
    json_decref(doc);
}

static void test_diff_out__changes_text(void **state)
{
    struct fx *f = *state;
    size_t i;

    compute(f, old_graph(), new_graph());
    ra_diff_write_text(&f->out, f->diff);
    assert_string_equal(
        f->out.ptr,
        OLD " (2026-04-12T01:00:00Z) -> " NEW " (2026-04-13T01:00:00Z)\n"
            "  registry " ROOT "\n"
            "    tags removed: 1\n"
            "      caf\\xe9:v1 sha256:" H8 "\n"
            "    tags moved: 1\n"
            "      infra-ci:latest sha256:222222222222 -> sha256:333333333333\n"
            "    revision links removed: 1\n"
            "      caf\\xe9 sha256:" H8 "\n"
            "    revision links added: 1\n"
            "      infra-ci sha256:" H3 "\n"
            "    _layers links removed: 2\n"
            "      caf\\xe9 sha256:" H9 "\n"
            "      caf\\xe9 sha256:" HD "\n"
            "    _layers links added: 2\n"
            "      infra-ci sha256:" H5 "\n"
            "      infra-ci sha256:" H7 "\n"
            "    tag history entries removed: 2\n"
            "      caf\\xe9:v1 sha256:" H8 "\n"
            "      infra-ci:latest sha256:" H2 "\n"
            "    blobs deleted: 4\n"
            "      sha256:" H8 " (401 bytes)\n"
            "      sha256:" H9 " (45 bytes)\n"
            "      sha256:" HC " (1000 bytes)\n"
            "      sha256:" HD " (1000 bytes)\n"
            "    blobs added: 3\n"
            "      sha256:" H3 " (401 bytes)\n"
            "      sha256:" H5 " (45 bytes)\n"
            "      sha256:" H7 " (1000 bytes)\n"
            "    tags that became unpullable: 1\n"
            "      infra-ci:stable sha256:" HA ": blob_missing\n");
    /* the Latin-1 byte is escaped: nothing but printable ASCII and newlines */
    for (i = 0; i < f->out.len; i++)
        assert_true(f->out.ptr[i] == '\n' ||
                    (f->out.ptr[i] >= 0x20 && f->out.ptr[i] < 0x7f));
}

static void test_diff_out__no_change(void **state)
{
    struct fx *f = *state;
    struct ra_err err = RA_ERR_INIT;
    json_t *doc;

    compute(f, old_graph(), old_graph());
    assert_int_equal(ra_diff_write_json(&f->out, f->diff, &err), 0);
    doc = parse(&f->out);
    expect_json(doc, "{" SNAPS ",\"registries\":[{\"changes\":[],\"counts\":{"
                     "\"became_unpullable\":0,\"blob_added\":0,\"blob_deleted\":0,"
                     "\"layer_link_added\":0,\"layer_link_removed\":0,\"repaired\":0,"
                     "\"revision_added\":0,\"revision_removed\":0,\"tag_added\":0,"
                     "\"tag_history_removed\":0,\"tag_moved\":0,\"tag_removed\":0},"
                     "\"in_new\":true,\"in_old\":true,\"root\":\"" ROOT "\"}],"
                     "\"schema\":\"regautopsy.diff/1\"}");
    json_decref(doc);
    ra_buf_truncate(&f->out, 0);
    ra_diff_write_text(&f->out, f->diff);
    assert_string_equal(f->out.ptr,
                        OLD " (2026-04-12T01:00:00Z) -> " NEW " (2026-04-13T01:00:00Z)\n"
                            "  registry " ROOT "\n"
                            "    no changes\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_diff_out__changes_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_diff_out__changes_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_diff_out__no_change, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
