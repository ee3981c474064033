/* SPDX-License-Identifier: MIT */
/* report/gcsim_out: the regautopsy.gcsim/1 document (docs/json.md) and the text summary
 * of ra_gcsim_run on a snapshot laid out in a temporary folder: infra-ci:latest moved
 * from image A to image B, and infra-ci:multi an OCI index over A and B. Distribution
 * 2.8 with --delete-untagged deletes A (an index child no tag names) and breaks multi;
 * without -m nothing goes. Written to a buffer and flushed to a file as it grows, the
 * document is the same bytes; ra_gcsim_breaks_tags says whether a pullable tag breaks. */

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

#include "analysis/gcsim.h"
#include "report/gcsim_out.h"
#include "util/buf.h"

#include "fixture_analysis.h"

#define SNAP "reg-2026-04-12T0100Z"
#define T_PUSH APR(6, 9, 0)
#define CONFIG_A "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{}}"
#define CONFIG_B "{\"architecture\":\"arm64\",\"os\":\"linux\",\"rootfs\":{}}"

static char tmpdir[] = "/tmp/ra-test-gcsim-out-XXXXXX";
static struct fix_disk_image a, b;
static char idx[65];

/* tmpdir/SNAP/docker/registry/v2 */
static const char *root(struct ra_buf *p)
{
    ra_buf_truncate(p, 0);
    ra_buf_printf(p, "%s/" SNAP "/docker/registry/v2", tmpdir);
    return p->ptr;
}

/* infra-ci:multi -> an OCI index over A (amd64) and B (arm64). */
static void push_index(const char *r)
{
    struct ra_buf doc = RA_BUF_INIT, p = RA_BUF_INIT;

    ra_buf_printf(
        &doc,
        "{\"schemaVersion\":2,\"mediaType\":\"" RA_MT_OCI_INDEX "\",\"manifests\":["
        "{\"mediaType\":\"" RA_MT_OCI_MANIFEST "\",\"digest\":\"sha256:%s\","
        "\"size\":%zu,\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
        "{\"mediaType\":\"" RA_MT_OCI_MANIFEST "\",\"digest\":\"sha256:%s\","
        "\"size\":%zu,\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}}]}",
        a.m, a.m_size, b.m, b.m_size);
    fix_disk_blob(idx, r, doc.ptr, doc.len, T_PUSH);
    ra_buf_printf(&p, "%s/repositories/" REPO "/_manifests/revisions/sha256/%s/link", r,
                  idx);
    fix_disk_link(p.ptr, idx, T_PUSH);
    ra_buf_truncate(&p, 0);
    ra_buf_printf(&p, "%s/repositories/" REPO "/_manifests/tags/multi/current/link", r);
    fix_disk_link(p.ptr, idx, T_PUSH);
    ra_buf_truncate(&p, 0);
    ra_buf_printf(&p,
                  "%s/repositories/" REPO "/_manifests/tags/multi/index/sha256/%s/link",
                  r, idx);
    fix_disk_link(p.ptr, idx, T_PUSH);
    ra_buf_release(&doc);
    ra_buf_release(&p);
}

static int setup_group(void **state)
{
    struct ra_buf p = RA_BUF_INIT;

    (void)state;
    if (fix_tmpdir_make(tmpdir) < 0)
        return -1;
    fix_disk_push(&a, root(&p), REPO, "latest", CONFIG_A, "layer A", 1, T_PUSH);
    fix_disk_push(&b, root(&p), REPO, "latest", CONFIG_B, "layer B", 1, T_PUSH);
    push_index(root(&p));
    ra_buf_release(&p);
    return 0;
}

static int teardown_group(void **state)
{
    (void)state;
    return fix_tmpdir_remove(tmpdir);
}

static struct ra_gcsim *simulate(int delete_untagged)
{
    struct ra_snapshot_opts sopts = RA_SNAPSHOT_OPTS_INIT;
    struct ra_gc_opts gopts = RA_GC_OPTS_INIT;
    struct ra_vec specs = RA_VEC_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_buf p = RA_BUF_INIT;
    struct ra_gcsim *s = NULL;

    gopts.delete_untagged = delete_untagged;
    ra_buf_printf(&p, "%s/" SNAP, tmpdir);
    assert_int_equal(ra_snapshot_expand(&specs, p.ptr, &err), 0);
    assert_int_equal(ra_gcsim_run(&s, specs.items[0], &sopts, &gopts, &err), 0);
    assert_non_null(s);
    ra_snapshot_spec_free(specs.items[0]);
    ra_vec_release(&specs);
    ra_buf_release(&p);
    return s;
}

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

#define STORE "docker/registry/v2"

static void test_gcsim_out__delete_untagged_json(void **state)
{
    struct ra_gcsim *s = simulate(1);
    struct ra_buf out = RA_BUF_INIT, want = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    json_t *doc, *snap;

    (void)state;
    assert_int_equal(ra_gcsim_write_json(&out, NULL, &s, 1, &err), 0);
    assert_int_equal(out.ptr[out.len - 1], '\n');
    doc = parse(&out);
    expect_json(json_object_get(doc, "delete_untagged"), "true");
    expect_json(json_object_get(doc, "distribution"), "\"2.8\"");
    expect_json(json_object_get(doc, "schema"), "\"regautopsy.gcsim/1\"");
    assert_int_equal(json_array_size(json_object_get(doc, "snapshots")), 1);
    snap = json_array_get(json_object_get(doc, "snapshots"), 0);
    ra_buf_printf(&want, "\"%s/" SNAP "\"", tmpdir);
    expect_json(json_object_get(snap, "source"), want.ptr);
    json_object_del(snap, "source");
    ra_buf_truncate(&want, 0);
    /* A's manifest loses its revision link and latest's index entry; its config and
     * layer data go; A's manifest data stays (the index marks it); multi breaks */
    ra_buf_printf(
        &want,
        "{\"complete\":true,\"name\":\"" SNAP "\",\"registries\":[{\"aborted\":null,"
        "\"breaks\":[{\"digest\":\"sha256:%s\",\"platforms\":[{\"digest\":\"sha256:%s\","
        "\"platform\":\"linux/amd64\",\"reason\":\"index_child_missing\"}],"
        "\"reason\":\"index_child_missing\",\"repository\":\"" REPO
        "\",\"tag\":\"multi\"}],"
        "\"deletes\":{\"blobs\":[{\"digest\":\"sha256:%s\",\"path\":\"" STORE
        "/blobs/sha256/%.2s/%s/"
        "data\",\"size\":7},{\"digest\":\"sha256:%s\",\"path\":\"" STORE
        "/blobs/sha256/%.2s/%s/data\",\"size\":%zu}],\"bytes\":%zu,\"layer_links\":[],"
        "\"manifests\":[{\"digest\":\"sha256:%s\",\"paths\":[\"" STORE
        "/repositories/" REPO "/_manifests/revisions/sha256/%s/link\",\"" STORE
        "/repositories/" REPO
        "/_manifests/tags/latest/index/sha256/%s/link\"],\"repository\":\"" REPO "\"}]},"
        "\"marked\":5,\"root\":\"" STORE
        "\",\"unpullable_after\":1,\"unpullable_before\":0}],"
        "\"taken_at\":\"2026-04-12T01:00:00Z\",\"taken_at_source\":\"name\"}",
        idx, a.m, a.layer, a.layer, a.layer, a.cfg, a.cfg, a.cfg, strlen(CONFIG_A),
        7 + strlen(CONFIG_A), a.m, a.m, a.m);
    /* the blobs are listed by digest: this layout has the layer first */
    assert_true(strcmp(a.layer, a.cfg) < 0);
    expect_json(snap, want.ptr);
    assert_int_equal(ra_gcsim_breaks_tags(&s, 1), 1);
    json_decref(doc);
    ra_gcsim_free(s);
    ra_buf_release(&out);
    ra_buf_release(&want);
}

static void test_gcsim_out__delete_untagged_text(void **state)
{
    struct ra_gcsim *s = simulate(1);
    struct ra_buf out = RA_BUF_INIT, want = RA_BUF_INIT;

    (void)state;
    ra_gcsim_write_text(&out, &s, 1);
    ra_buf_printf(&want,
                  SNAP
                  ": garbage-collect as Distribution 2.8 with --delete-untagged would "
                  "run it\n"
                  "  registry " STORE "\n"
                  "    would delete 2 blobs (%zu bytes), 1 manifest revisions, 0 "
                  "_layers links; 5 digests marked\n"
                  "    manifest eligible for deletion: sha256:%s in " REPO "\n"
                  "    blob eligible for deletion: sha256:%s\n"
                  "    blob eligible for deletion: sha256:%s\n"
                  "    BREAKS " REPO ":multi -> sha256:%.12s: index_child_missing\n",
                  7 + strlen(CONFIG_A), a.m, a.layer, a.cfg, idx);
    assert_string_equal(out.ptr, want.ptr);
    ra_gcsim_free(s);
    ra_buf_release(&out);
    ra_buf_release(&want);
}

/* Without -m every manifest is marked: nothing is deleted, nothing breaks. */
static void test_gcsim_out__plain(void **state)
{
    struct ra_gcsim *s = simulate(0);
    struct ra_buf out = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    json_t *doc, *reg;

    (void)state;
    ra_gcsim_write_text(&out, &s, 1);
    assert_string_equal(out.ptr,
                        SNAP ": garbage-collect as Distribution 2.8 would run it\n"
                             "  registry " STORE "\n"
                             "    would delete 0 blobs (0 bytes), 0 manifest "
                             "revisions, 0 _layers links; 7 digests marked\n"
                             "    no pullable tag would break\n");
    ra_buf_truncate(&out, 0);
    assert_int_equal(ra_gcsim_write_json(&out, NULL, &s, 1, &err), 0);
    doc = parse(&out);
    expect_json(json_object_get(doc, "delete_untagged"), "false");
    reg = json_array_get(
        json_object_get(json_array_get(json_object_get(doc, "snapshots"), 0),
                        "registries"),
        0);
    expect_json(json_object_get(reg, "breaks"), "[]");
    expect_json(json_object_get(reg, "deletes"),
                "{\"blobs\":[],\"bytes\":0,\"layer_links\":[],\"manifests\":[]}");
    expect_json(json_object_get(reg, "marked"), "7");
    assert_int_equal(ra_gcsim_breaks_tags(&s, 1), 0);
    assert_int_equal(ra_gcsim_breaks_tags(NULL, 0), 0);
    json_decref(doc);
    ra_gcsim_free(s);
    ra_buf_release(&out);
}

/* Flushed to a file as it grows, the document is the same bytes; a file that cannot be
 * written fails with the one message. */
static void test_gcsim_out__flush(void **state)
{
    struct ra_gcsim *s = simulate(1);
    struct ra_buf whole = RA_BUF_INIT, out = RA_BUF_INIT, p = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    char *got;
    long len;
    FILE *f;

    (void)state;
    assert_int_equal(ra_gcsim_write_json(&whole, NULL, &s, 1, &err), 0);
    ra_buf_printf(&p, "%s/gcsim.json", tmpdir);
    assert_non_null(f = fopen(p.ptr, "w+"));
    assert_int_equal(ra_gcsim_write_json(&out, f, &s, 1, &err), 0);
    assert_int_equal(out.len, 0);
    len = ftell(f);
    assert_int_equal(len, (long)whole.len);
    rewind(f);
    assert_non_null(got = malloc((size_t)len));
    assert_int_equal(fread(got, 1, (size_t)len, f), (size_t)len);
    assert_memory_equal(got, whole.ptr, whole.len);
    free(got);
    fclose(f);
    /* opened for reading only: every write fails */
    assert_non_null(f = fopen(p.ptr, "r"));
    assert_int_equal(ra_gcsim_write_json(&out, f, &s, 1, &err), RA_ERROR);
    assert_string_equal(err.msg, "gc-sim: cannot serialise or write the JSON document");
    fclose(f);
    ra_gcsim_free(s);
    ra_buf_release(&whole);
    ra_buf_release(&out);
    ra_buf_release(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gcsim_out__delete_untagged_json),
        cmocka_unit_test(test_gcsim_out__delete_untagged_text),
        cmocka_unit_test(test_gcsim_out__plain),
        cmocka_unit_test(test_gcsim_out__flush),
    };

    return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
