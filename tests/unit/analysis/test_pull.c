/* SPDX-License-Identifier: MIT */
/* ra_pull_analyze: pullability of tags and platforms under Distribution 2.8's serving
 * rules, and the exact findings that explain it. Graphs are built by hand through the
 * model API; manifests are real JSON parsed with ra_manifest_parse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/pull.h"
#include "util/buf.h"

#include "fixture.h"

#define REPO_PATH ROOT "/repositories/" REPO
#define UUID "3f2a9c1e-4b5d-4e6f-8a7b-9c0d1e2f3a4b"

/* 2026-04-19T03:25:00Z */
#define TAKEN INT64_C(1776569100)

struct fx {
    struct ra_graph *g;
    struct ra_registry_result *res;
    struct ra_pull_opts opts;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct ra_pull_opts opts = RA_PULL_OPTS_INIT;

    if (!f)
        return -1;
    ra_graph_new(&f->g, ROOT, strlen(ROOT));
    f->opts = opts;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    ra_registry_result_free(f->res);
    ra_graph_free(f->g);
    free(f);
    return 0;
}

static void analyze(struct fx *f)
{
    ra_registry_result_free(f->res);
    f->res = NULL;
    ra_pull_analyze(&f->res, f->g, &f->opts);
    assert_non_null(f->res);
    assert_ptr_equal(f->res->graph, f->g);
}

/* Expected findings, in their sorted order. digest and parent are one hex character,
 * or 0 for none; path and msg are substrings that must occur ("" for any). */
struct want {
    enum ra_finding_code code;
    enum ra_severity sev;
    const char *repo;
    const char *tag;
    char digest, parent;
    const char *path;
    const char *msg;
};

static void dump(const struct ra_findings *fs)
{
    char a[RA_DIGEST_STRLEN], b[RA_DIGEST_STRLEN];
    size_t i;

    for (i = 0; i < fs->items.len; i++) {
        const struct ra_finding *x = fs->items.items[i];
        print_message(
            "  [%zu] %s %s repo='%s' tag='%s' digest=%s parent=%s path='%s' "
            "msg='%s'\n",
            i, ra_severity_name(x->severity), ra_finding_code_name(x->code),
            x->repository, x->tag, x->has_digest ? ra_digest_short(a, &x->digest) : "-",
            x->has_parent ? ra_digest_short(b, &x->parent) : "-", x->path, x->message);
    }
}

static void expect_findings(struct fx *f, const struct want *w, size_t n)
{
    const struct ra_findings *fs = &f->res->findings;
    size_t i;

    if (fs->items.len != n) {
        dump(fs);
        fail_msg("%zu findings, want %zu", fs->items.len, n);
    }
    for (i = 0; i < n; i++) {
        const struct ra_finding *x = fs->items.items[i];
        struct ra_digest d;
        if (x->code != w[i].code || x->severity != w[i].sev) {
            dump(fs);
            fail_msg("finding %zu: %s %s, want %s %s", i, ra_severity_name(x->severity),
                     ra_finding_code_name(x->code), ra_severity_name(w[i].sev),
                     ra_finding_code_name(w[i].code));
        }
        assert_string_equal(x->repository, w[i].repo);
        assert_string_equal(x->tag, w[i].tag);
        assert_int_equal(x->has_digest, w[i].digest != 0);
        if (w[i].digest) {
            d = dg(w[i].digest);
            assert_int_equal(ra_digest_cmp(&x->digest, &d), 0);
        }
        assert_int_equal(x->has_parent, w[i].parent != 0);
        if (w[i].parent) {
            d = dg(w[i].parent);
            assert_int_equal(ra_digest_cmp(&x->parent, &d), 0);
        }
        if (!strstr(x->path, w[i].path))
            fail_msg("finding %zu: path '%s' lacks '%s'", i, x->path, w[i].path);
        if (!strstr(x->message, w[i].msg))
            fail_msg("finding %zu: message '%s' lacks '%s'", i, x->message, w[i].msg);
    }
}

static void expect_no_findings(struct fx *f)
{
    expect_findings(f, NULL, 0);
}

static const struct ra_tag_result *tag_result(struct fx *f, size_t i)
{
    assert_true(i < f->res->ntags);
    return &f->res->tags[i];
}

static void assert_digest(const struct ra_digest *d, char c)
{
    struct ra_digest want = dg(c);

    assert_int_equal(ra_digest_cmp(d, &want), 0);
}

static void test_pull__healthy_single_image(void **state)
{
    struct fx *f = *state;
    const struct ra_tag_result *t;

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "67");
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    analyze(f);

    assert_int_equal(f->res->ntags, 1);
    assert_int_equal(f->res->unpullable, 0);
    t = tag_result(f, 0);
    assert_string_equal(t->repository, REPO);
    assert_string_equal(t->tag, "latest");
    assert_true(t->resolves);
    assert_digest(&t->digest, '2');
    assert_string_equal(t->media_type, RA_MT_OCI_MANIFEST);
    assert_false(t->is_index);
    assert_true(t->pullable);
    assert_int_equal(t->reason, RA_F_NONE);
    assert_int_equal(t->nplatforms, 1);
    assert_string_equal(t->platforms[0].platform, "linux/amd64");
    assert_digest(&t->platforms[0].digest, '2');
    assert_true(t->platforms[0].pullable);
    assert_int_equal(t->platforms[0].reason, RA_F_NONE);
    assert_int_equal(f->res->counts.blobs, 4);
    assert_int_equal(f->res->counts.manifests, 1);
    assert_int_equal(f->res->counts.tags, 1);
    assert_int_equal(f->res->counts.layer_links, 3);
    assert_int_equal(f->res->counts.bytes, 2 * LAYER_SIZE + fix_blob_size(f->g, '4', 0) +
                                               fix_blob_size(f->g, '2', 0));
    expect_no_findings(f);
}

static void test_pull__tag_without_current_link(void **state)
{
    struct fx *f = *state;
    struct ra_tag *t;
    static const struct want w[] = {
        {RA_F_TAG_TARGET_MISSING, RA_SEV_CRITICAL, REPO, "latest", 0, 0,
         REPO_PATH "/_manifests/tags/latest/current/link",
         "tag 'infra-ci:latest': no current link"},
    };

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    /* the tag's history survived, its current/link did not */
    t = ra_graph_tag(f->g, fix_repo(f->g, REPO), "latest", 6);
    fix_link(f->g, &t->history, '2', '2', RA_TIME_NONE);
    analyze(f);

    assert_int_equal(f->res->ntags, 1);
    assert_int_equal(f->res->unpullable, 1);
    assert_false(tag_result(f, 0)->resolves);
    assert_false(tag_result(f, 0)->pullable);
    assert_int_equal(tag_result(f, 0)->reason, RA_F_TAG_TARGET_MISSING);
    assert_int_equal(tag_result(f, 0)->nplatforms, 0);
    assert_null(tag_result(f, 0)->media_type);
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__tag_current_link_not_a_digest(void **state)
{
    struct fx *f = *state;
    struct ra_tag *t;
    static const struct want w[] = {
        {RA_F_TAG_TARGET_MISSING, RA_SEV_CRITICAL, REPO, "latest", 0, 0,
         "/_manifests/tags/latest/current/link", "current link does not hold a digest"},
    };

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    t = fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    t->current.valid = 0;
    analyze(f);

    assert_false(tag_result(f, 0)->resolves);
    assert_int_equal(tag_result(f, 0)->reason, RA_F_TAG_TARGET_MISSING);
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__manifest_without_revision_link(void **state)
{
    struct fx *f = *state;
    const struct ra_tag_result *t;
    static const struct want w[] = {
        {RA_F_MANIFEST_LINK_MISSING, RA_SEV_CRITICAL, REPO, "latest", '2', 0,
         REPO_PATH "/_manifests/revisions/sha256/2222222222",
         "no revision link in 'infra-ci'"},
    };

    fix_config(f->g, '4', "linux", "amd64");
    fix_layer_link(f->g, REPO, '4', RA_TIME_NONE);
    fix_layer(f->g, '6');
    fix_layer_link(f->g, REPO, '6', RA_TIME_NONE);
    fix_image(f->g, '2', '4', "6", 1234, LAYER_SIZE);
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    analyze(f);

    t = tag_result(f, 0);
    assert_true(t->resolves);
    assert_false(t->pullable);
    assert_int_equal(t->reason, RA_F_MANIFEST_LINK_MISSING);
    /* the blob was still there to read: the platform is known */
    assert_int_equal(t->nplatforms, 1);
    assert_string_equal(t->platforms[0].platform, "linux/amd64");
    assert_int_equal(t->platforms[0].reason, RA_F_MANIFEST_LINK_MISSING);
    assert_int_equal(f->res->unpullable, 1);
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__legacy_layers_link_serves_manifest(void **state)
{
    struct fx *f = *state;

    fix_config(f->g, '4', "linux", "amd64");
    fix_layer_link(f->g, REPO, '4', RA_TIME_NONE);
    fix_layer(f->g, '6');
    fix_layer_link(f->g, REPO, '6', RA_TIME_NONE);
    fix_image(f->g, '2', '4', "6", 1234, LAYER_SIZE);
    /* no revision link, but Distribution >= 2.1 also serves a manifest via _layers */
    fix_layer_link(f->g, REPO, '2', RA_TIME_NONE);
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    analyze(f);

    assert_true(tag_result(f, 0)->pullable);
    assert_int_equal(tag_result(f, 0)->reason, RA_F_NONE);
    assert_int_equal(f->res->unpullable, 0);
    expect_no_findings(f);
}

static void test_pull__legacy_layers_link_invalid_names_its_path(void **state)
{
    struct fx *f = *state;
    static const struct want w[] = {
        {RA_F_LINK_INVALID, RA_SEV_CRITICAL, REPO, "latest", '2', 0,
         REPO_PATH "/_layers/sha256/2222", "link file names another digest"},
    };

    fix_config(f->g, '4', "linux", "amd64");
    fix_layer_link(f->g, REPO, '4', RA_TIME_NONE);
    fix_layer(f->g, '6');
    fix_layer_link(f->g, REPO, '6', RA_TIME_NONE);
    fix_image(f->g, '2', '4', "6", 1234, LAYER_SIZE);
    fix_layer_link(f->g, REPO, '2', RA_TIME_NONE)->target = dg('6');
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    analyze(f);

    assert_int_equal(tag_result(f, 0)->reason, RA_F_LINK_INVALID);
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__revision_link_without_blob(void **state)
{
    struct fx *f = *state;
    struct ra_digest d = dg('2');
    const struct ra_tag_result *t;
    static const struct want w[] = {
        {RA_F_MANIFEST_BLOB_MISSING, RA_SEV_CRITICAL, REPO, "latest", '2', 0,
         ROOT "/blobs/sha256/22/2222222222", "2222: blob data missing"},
    };

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    ra_graph_blob(f->g, &d)->present = 0; /* its data was deleted */
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    analyze(f);

    t = tag_result(f, 0);
    assert_true(t->resolves);
    assert_false(t->pullable);
    assert_int_equal(t->reason, RA_F_MANIFEST_BLOB_MISSING);
    assert_int_equal(t->nplatforms, 1);
    assert_string_equal(t->platforms[0].platform, "unknown");
    assert_digest(&t->platforms[0].digest, '2');
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__index_child_without_revision_link(void **state)
{
    struct fx *f = *state;
    const struct ra_tag_result *t;
    static const char *const plats[] = {"linux/amd64", "linux/arm64"};
    static const struct want w[] = {
        {RA_F_BLOB_MISSING, RA_SEV_CRITICAL, REPO, "latest", '5', '3',
         ROOT "/blobs/sha256/55/5555", "config sha256:5555"},
        {RA_F_INDEX_CHILD_MISSING, RA_SEV_CRITICAL, REPO, "latest", '3', '1',
         REPO_PATH "/_manifests/revisions/sha256/3333", "no revision link in 'infra-ci'"},
        {RA_F_LAYER_LINK_MISSING, RA_SEV_CRITICAL, REPO, "latest", '5', '3',
         REPO_PATH "/_layers/sha256/5555", "of sha256:333333333333"},
    };

    /* amd64 intact; arm64 as a 2.8 GC with -m leaves it: child unlinked, config gone */
    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    fix_layer(f->g, '7');
    fix_layer_link(f->g, REPO, '7', RA_TIME_NONE);
    fix_image(f->g, '3', '5', "7", 1234, LAYER_SIZE);
    fix_index(f->g, '1', "23", plats, -1);
    fix_revision_link(f->g, REPO, '1', RA_TIME_NONE);
    fix_tag(f->g, REPO, "latest", '1', RA_TIME_NONE);
    analyze(f);

    t = tag_result(f, 0);
    assert_true(t->resolves);
    assert_true(t->is_index);
    assert_string_equal(t->media_type, RA_MT_OCI_INDEX);
    assert_false(t->pullable);
    assert_int_equal(t->reason, RA_F_INDEX_CHILD_MISSING);
    assert_int_equal(t->nplatforms, 2);
    assert_string_equal(t->platforms[0].platform, "linux/amd64");
    assert_digest(&t->platforms[0].digest, '2');
    assert_true(t->platforms[0].pullable);
    assert_string_equal(t->platforms[1].platform, "linux/arm64");
    assert_digest(&t->platforms[1].digest, '3');
    assert_false(t->platforms[1].pullable);
    assert_int_equal(t->platforms[1].reason, RA_F_INDEX_CHILD_MISSING);
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__index_child_blob_missing(void **state)
{
    struct fx *f = *state;
    struct ra_digest d = dg('3');
    static const char *const plats[] = {"linux/amd64", "linux/arm64"};
    static const struct want w[] = {
        {RA_F_INDEX_CHILD_MISSING, RA_SEV_CRITICAL, REPO, "latest", '3', '1',
         ROOT "/blobs/sha256/33/3333", "child manifest sha256:3333"},
    };

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    fix_push_layers(f->g, REPO, '3', '5', "arm64", "7");
    fix_index(f->g, '1', "23", plats, -1);
    ra_graph_blob(f->g, &d)->present = 0;
    fix_revision_link(f->g, REPO, '1', RA_TIME_NONE);
    fix_tag(f->g, REPO, "latest", '1', RA_TIME_NONE);
    analyze(f);

    assert_int_equal(tag_result(f, 0)->nplatforms, 2);
    /* the child could not be read: its platform comes from the index */
    assert_string_equal(tag_result(f, 0)->platforms[1].platform, "linux/arm64");
    assert_int_equal(tag_result(f, 0)->platforms[1].reason, RA_F_INDEX_CHILD_MISSING);
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__layer_without_layers_link(void **state)
{
    struct fx *f = *state;
    static const struct want w[] = {
        {RA_F_LAYER_LINK_MISSING, RA_SEV_CRITICAL, REPO, "latest", '7', '2',
         REPO_PATH "/_layers/sha256/7777", "layer sha256:7777"},
    };

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    /* layer 7 is in blobs/ (pushed to another repo) but was never linked here */
    fix_layer(f->g, '7');
    fix_image(f->g, '2', '4', "67", 1234, LAYER_SIZE);
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    analyze(f);

    assert_false(tag_result(f, 0)->pullable);
    assert_int_equal(tag_result(f, 0)->reason, RA_F_LAYER_LINK_MISSING);
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__dangling_layer_link_off_tag_path(void **state)
{
    struct fx *f = *state;
    static const struct want w[] = {
        {RA_F_LAYER_LINK_DANGLING, RA_SEV_WARNING, REPO, "", '9', 0,
         REPO_PATH "/_layers/sha256/9999", "whose blob data is gone"},
    };

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    fix_layer_link(f->g, REPO, '9',
                   RA_TIME_NONE); /* a GC swept its data and left the link */
    analyze(f);

    assert_true(tag_result(f, 0)->pullable);
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__dangling_layer_link_on_tag_path_also_warned(void **state)
{
    struct fx *f = *state;
    struct ra_digest d = dg('6');
    static const struct want w[] = {
        {RA_F_BLOB_MISSING, RA_SEV_CRITICAL, REPO, "latest", '6', '2',
         ROOT "/blobs/sha256/66/6666", "layer sha256:6666"},
        {RA_F_LAYER_LINK_DANGLING, RA_SEV_WARNING, REPO, "", '6', 0,
         REPO_PATH "/_layers/sha256/6666", "whose blob data is gone"},
    };

    /* The critical finding explains the tag; the warning records the dangling link a
     * GC sweep leaves behind (docs/findings.md), once per link. */
    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    ra_graph_blob(f->g, &d)->present = 0;
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    analyze(f);

    assert_int_equal(tag_result(f, 0)->reason, RA_F_BLOB_MISSING);
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

/* tags_only (gc-sim's before and after): the tag's critical finding stays, the
 * dangling link, the unreferenced blob and the stale upload are not looked at. */
static void test_pull__tags_only(void **state)
{
    struct fx *f = *state;
    struct ra_digest d = dg('6');
    static const struct want w[] = {
        {RA_F_BLOB_MISSING, RA_SEV_CRITICAL, REPO, "latest", '6', '2',
         ROOT "/blobs/sha256/66/6666", "layer sha256:6666"},
    };

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    ra_graph_blob(f->g, &d)->present = 0;
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    fix_layer_link(f->g, REPO, '9', RA_TIME_NONE);
    fix_layer(f->g, 'c');
    f->opts.tags_only = 1;
    analyze(f);

    assert_int_equal(f->res->ntags, 1);
    assert_int_equal(tag_result(f, 0)->reason, RA_F_BLOB_MISSING);
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__link_naming_another_digest(void **state)
{
    struct fx *f = *state;
    static const struct want w[] = {
        {RA_F_LINK_INVALID, RA_SEV_CRITICAL, REPO, "latest", '6', '2',
         REPO_PATH "/_layers/sha256/6666", "link file names another digest"},
    };

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    fix_layer(f->g, '7');
    fix_layer_link(f->g, REPO, '6', RA_TIME_NONE)->target = dg('7');
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    analyze(f);

    assert_false(tag_result(f, 0)->pullable);
    assert_int_equal(tag_result(f, 0)->reason, RA_F_LINK_INVALID);
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__revision_link_not_a_digest(void **state)
{
    struct fx *f = *state;
    static const struct want w[] = {
        {RA_F_LINK_INVALID, RA_SEV_CRITICAL, REPO, "latest", '2', 0,
         REPO_PATH "/_manifests/revisions/sha256/2222",
         "link file does not hold a digest"},
    };

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    fix_revision_link(f->g, REPO, '2', RA_TIME_NONE)->valid = 0;
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    analyze(f);

    assert_int_equal(tag_result(f, 0)->reason, RA_F_LINK_INVALID);
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__invalid_links_off_tag_path(void **state)
{
    struct fx *f = *state;
    static const struct want w[] = {
        {RA_F_LINK_INVALID, RA_SEV_WARNING, REPO, "", '8', 0,
         REPO_PATH "/_manifests/revisions/sha256/8888", "revision link sha256:8888"},
        {RA_F_LINK_INVALID, RA_SEV_WARNING, REPO, "", '9', 0,
         REPO_PATH "/_layers/sha256/9999", "_layers link sha256:9999"},
    };

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    fix_layer_link(f->g, REPO, '9', RA_TIME_NONE)->valid = 0;
    fix_revision_link(f->g, REPO, '8', RA_TIME_NONE)->valid = 0;
    analyze(f);

    assert_true(tag_result(f, 0)->pullable);
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__digest_mismatch(void **state)
{
    struct fx *f = *state;
    struct ra_blob *b;
    static const struct want w[] = {
        {RA_F_DIGEST_MISMATCH, RA_SEV_CRITICAL, REPO, "latest", '6', '2',
         ROOT "/blobs/sha256/66/6666",
         "content hashes to sha256:"
         "9999999999999999999999999999999999999999999999999999999999999999"},
    };

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    b = fix_layer(f->g, '6');
    b->hash = RA_HASH_MISMATCH;
    b->actual = dg('9');
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    analyze(f);

    assert_false(tag_result(f, 0)->pullable);
    assert_int_equal(tag_result(f, 0)->reason, RA_F_DIGEST_MISMATCH);
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__digest_mismatch_off_tag_path_is_error(void **state)
{
    struct fx *f = *state;
    struct ra_blob *b;
    static const struct want w[] = {
        {RA_F_DIGEST_MISMATCH, RA_SEV_ERROR, "", "", 'a', 0, ROOT "/blobs/sha256/aa/aaaa",
         "blob sha256:aaaa"},
    };

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    b = fix_layer(f->g, 'a');
    b->hash = RA_HASH_MISMATCH;
    b->actual = dg('b');
    fix_layer_link(f->g, REPO, 'a', RA_TIME_NONE);
    analyze(f);

    assert_true(tag_result(f, 0)->pullable);
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__size_mismatch(void **state)
{
    struct fx *f = *state;
    static const struct want w[] = {
        {RA_F_SIZE_MISMATCH, RA_SEV_CRITICAL, REPO, "latest", '6', '2',
         ROOT "/blobs/sha256/66/6666", "descriptor says 1000 bytes, data has 999"},
    };

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    fix_layer(f->g, '6')->size = 999; /* truncated after the manifest was pushed */
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    analyze(f);

    assert_false(tag_result(f, 0)->pullable);
    assert_int_equal(tag_result(f, 0)->reason, RA_F_SIZE_MISMATCH);
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__index_child_size_mismatch(void **state)
{
    struct fx *f = *state;
    struct ra_digest d = dg('2');
    static const char *const plats[] = {"linux/amd64"};
    char want[200];
    struct want w[] = {
        {RA_F_SIZE_MISMATCH, RA_SEV_CRITICAL, REPO, "latest", '2', '1',
         ROOT "/blobs/sha256/22", want},
    };
    int64_t n;

    n = fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    fix_index(f->g, '1', "2", plats, -1);
    ra_graph_blob(f->g, &d)->size = n + 1;
    fix_revision_link(f->g, REPO, '1', RA_TIME_NONE);
    fix_tag(f->g, REPO, "latest", '1', RA_TIME_NONE);
    snprintf(want, sizeof(want),
             "child manifest %s of sha256:111111111111: descriptor says %lld bytes, data "
             "has %lld",
             ds('2'), (long long)n, (long long)n + 1);
    analyze(f);

    assert_int_equal(tag_result(f, 0)->reason, RA_F_SIZE_MISMATCH);
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__manifest_not_json(void **state)
{
    struct fx *f = *state;
    const struct ra_tag_result *t;
    static const struct want w[] = {
        {RA_F_MANIFEST_UNPARSEABLE, RA_SEV_CRITICAL, REPO, "latest", '2', 0,
         ROOT "/blobs/sha256/22/2222", "not JSON"},
    };

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    fix_blob(f->g, '2', "\x1f\x8b\x08 gzip, not a manifest"); /* overwritten */
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    analyze(f);

    t = tag_result(f, 0);
    assert_true(t->resolves);
    assert_false(t->pullable);
    assert_int_equal(t->reason, RA_F_MANIFEST_UNPARSEABLE);
    assert_null(t->media_type);
    assert_int_equal(t->nplatforms, 1);
    assert_string_equal(t->platforms[0].platform, "unknown");
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__manifest_bad_json_names_parse_error(void **state)
{
    struct fx *f = *state;
    struct ra_blob *b;
    static const struct want w[] = {
        {RA_F_MANIFEST_UNPARSEABLE, RA_SEV_CRITICAL, REPO, "latest", '2', 0,
         ROOT "/blobs/sha256/22/2222", "manifest sha256:2222"},
    };

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    b = fix_blob(f->g, '2', "{\"schemaVersion\": 2, \"layers\": [");
    assert_null(b->manifest);
    assert_non_null(b->parse_error);
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    analyze(f);

    assert_int_equal(tag_result(f, 0)->reason, RA_F_MANIFEST_UNPARSEABLE);
    expect_findings(f, w, RA_ARRAY_SIZE(w));
    assert_non_null(
        strstr(((const struct ra_finding *)f->res->findings.items.items[0])->message,
               b->parse_error));
}

static void test_pull__tag_pointing_at_a_config(void **state)
{
    struct fx *f = *state;
    static const struct want w[] = {
        {RA_F_MANIFEST_UNPARSEABLE, RA_SEV_CRITICAL, REPO, "latest", '4', 0,
         ROOT "/blobs/sha256/44/4444", "JSON, but not a manifest"},
    };

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    fix_revision_link(f->g, REPO, '4', RA_TIME_NONE);
    fix_tag(f->g, REPO, "latest", '4', RA_TIME_NONE);
    analyze(f);

    assert_int_equal(tag_result(f, 0)->reason, RA_F_MANIFEST_UNPARSEABLE);
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static struct ra_upload *upload(struct fx *f, const char *uuid, ra_time started)
{
    struct ra_upload *u = ra_graph_upload(f->g, fix_repo(f->g, REPO), uuid, strlen(uuid));

    u->started_at = started;
    u->size = 4096;
    return u;
}

static void test_pull__stale_upload(void **state)
{
    struct fx *f = *state;
    static const struct want w[] = {
        {RA_F_UPLOAD_STALE, RA_SEV_WARNING, REPO, "", 0, 0, REPO_PATH "/_uploads/" UUID,
         "upload " UUID " started 2026-04-12T02:25:00Z and never finished; the registry "
         "purges uploads older than 168h"},
    };

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    f->opts.taken_at = TAKEN;
    upload(f, UUID, TAKEN - 169 * 3600);
    upload(f, "fresh", TAKEN - 167 * 3600);
    upload(f, "exactly-168h", TAKEN - 168 * 3600);
    upload(f, "no-time", RA_TIME_NONE);
    analyze(f);

    assert_true(tag_result(f, 0)->pullable);
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__stale_upload_by_mtime(void **state)
{
    struct fx *f = *state;
    static const struct want w[] = {
        {RA_F_UPLOAD_STALE, RA_SEV_WARNING, REPO, "", 0, 0, REPO_PATH "/_uploads/old",
         "old"},
    };

    f->opts.taken_at = TAKEN;
    /* startedat unreadable: the newest mtime inside the upload stands in */
    upload(f, "old", RA_TIME_NONE)->mtime = TAKEN - 30 * 86400;
    upload(f, "new", RA_TIME_NONE)->mtime = TAKEN - 3600;
    analyze(f);

    assert_int_equal(f->res->ntags, 0);
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__uploads_not_judged_without_snapshot_time(void **state)
{
    struct fx *f = *state;

    assert_true(f->opts.taken_at == RA_TIME_NONE);
    upload(f, UUID, 0); /* 1970 */
    analyze(f);

    expect_no_findings(f);
}

static void test_pull__upload_purge_age_is_an_option(void **state)
{
    struct fx *f = *state;
    static const struct want w[] = {
        {RA_F_UPLOAD_STALE, RA_SEV_WARNING, REPO, "", 0, 0, "/_uploads/" UUID,
         "older than 24h"},
    };

    f->opts.taken_at = TAKEN;
    f->opts.upload_purge_age = 24 * 3600;
    upload(f, UUID, TAKEN - 25 * 3600);
    analyze(f);

    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__upload_with_absurd_mtime(void **state)
{
    struct fx *f = *state;
    static const struct want w[] = {
        {RA_F_UPLOAD_STALE, RA_SEV_WARNING, REPO, "", 0, 0, "/_uploads/ancient",
         "ancient"},
    };

    f->opts.taken_at = TAKEN;
    upload(f, "ancient", RA_TIME_NONE)->mtime = INT64_MIN + 1;
    upload(f, "future", RA_TIME_NONE)->mtime = INT64_MAX;
    analyze(f);

    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__unreferenced_blob(void **state)
{
    struct fx *f = *state;
    static const struct want w[] = {
        {RA_F_BLOB_UNREFERENCED, RA_SEV_INFO, "", "", 'c', 0,
         ROOT "/blobs/sha256/cc/cccc", "blob sha256:cccc"},
    };

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    fix_layer(f->g, 'c');
    analyze(f);

    expect_findings(f, w, RA_ARRAY_SIZE(w));
    assert_non_null(
        strstr(((const struct ra_finding *)f->res->findings.items.items[0])->message,
               "(1000 bytes): nothing links to it"));
}

static void test_pull__referenced_only_by_tag_history_is_not_unreferenced(void **state)
{
    struct fx *f = *state;
    struct ra_tag *t;

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    fix_config(f->g, 'c', "linux", "amd64");
    fix_image(f->g, 'b', 'c', "", 1234, LAYER_SIZE);
    /* 'b' was latest once: only the tag's index/ still names it; and 'c', its
     * config, is referenced by b's manifest */
    t = ra_graph_tag(f->g, fix_repo(f->g, REPO), "latest", 6);
    fix_link(f->g, &t->history, 'b', 'b', RA_TIME_NONE);
    analyze(f);

    expect_no_findings(f);
}

static void test_pull__foreign_layer_skipped(void **state)
{
    struct fx *f = *state;

    /* layer 8 has urls: clients fetch it elsewhere; no link, no blob needed */
    fix_config(f->g, '4', "windows", "amd64");
    fix_layer_link(f->g, REPO, '4', RA_TIME_NONE);
    fix_layer(f->g, '6');
    fix_layer_link(f->g, REPO, '6', RA_TIME_NONE);
    fix_image(f->g, '2', '4', "6|8", 1234, LAYER_SIZE);
    fix_revision_link(f->g, REPO, '2', RA_TIME_NONE);
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    analyze(f);

    assert_true(tag_result(f, 0)->pullable);
    assert_string_equal(tag_result(f, 0)->platforms[0].platform, "windows/amd64");
    expect_no_findings(f);
}

static void test_pull__nested_index(void **state)
{
    struct fx *f = *state;
    static const char *const inner[] = {"linux/amd64", "linux/arm64"};
    static const char *const outer[] = {"linux/amd64"};
    const struct ra_tag_result *t;

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    fix_push_layers(f->g, REPO, '3', '5', "arm64", "7");
    fix_index(f->g, 'b', "23", inner, -1);
    fix_revision_link(f->g, REPO, 'b', RA_TIME_NONE);
    fix_index(f->g, '1', "b", outer, -1);
    fix_revision_link(f->g, REPO, '1', RA_TIME_NONE);
    fix_tag(f->g, REPO, "latest", '1', RA_TIME_NONE);
    analyze(f);

    t = tag_result(f, 0);
    assert_true(t->is_index);
    assert_true(t->pullable);
    assert_int_equal(t->nplatforms, 2);
    assert_string_equal(t->platforms[0].platform, "linux/amd64");
    assert_digest(&t->platforms[0].digest, '2');
    assert_string_equal(t->platforms[1].platform, "linux/arm64");
    assert_digest(&t->platforms[1].digest, '3');
    expect_no_findings(f);
}

static void test_pull__nested_index_child_missing_deep(void **state)
{
    struct fx *f = *state;
    static const char *const inner[] = {"linux/amd64", "linux/arm64"};
    static const char *const outer[] = {"linux/amd64"};
    static const struct want w[] = {
        {RA_F_INDEX_CHILD_MISSING, RA_SEV_CRITICAL, REPO, "latest", '3', 'b',
         REPO_PATH "/_manifests/revisions/sha256/3333", "of sha256:bbbbbbbbbbbb"},
    };

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    fix_config(f->g, '5', "linux", "arm64");
    fix_layer_link(f->g, REPO, '5', RA_TIME_NONE);
    fix_layer(f->g, '7');
    fix_layer_link(f->g, REPO, '7', RA_TIME_NONE);
    fix_image(f->g, '3', '5', "7", 1234, LAYER_SIZE);
    fix_index(f->g, 'b', "23", inner, -1);
    fix_revision_link(f->g, REPO, 'b', RA_TIME_NONE);
    fix_index(f->g, '1', "b", outer, -1);
    fix_revision_link(f->g, REPO, '1', RA_TIME_NONE);
    fix_tag(f->g, REPO, "latest", '1', RA_TIME_NONE);
    analyze(f);

    assert_int_equal(tag_result(f, 0)->nplatforms, 2);
    assert_true(tag_result(f, 0)->platforms[0].pullable);
    assert_int_equal(tag_result(f, 0)->platforms[1].reason, RA_F_INDEX_CHILD_MISSING);
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

/* An index that lists itself: impossible with honest digests, possible in a
 * corrupted or forged snapshot. Its size field must equal its own length. */
static void put_self_index(struct fx *f, char c)
{
    char doc[512];
    int64_t size = 100;
    int n = 0;

    for (;;) {
        n = snprintf(doc, sizeof(doc),
                     "{\"schemaVersion\":2,\"mediaType\":\"" RA_MT_OCI_INDEX
                     "\",\"manifests\":[{\"mediaType\":\"" RA_MT_OCI_INDEX
                     "\",\"digest\":\"%s\",\"size\":%lld,\"platform\":{\"architecture\":"
                     "\"amd64\",\"os\":\"linux\"}}]}",
                     ds(c), (long long)size);
        if (n == size)
            break;
        size = n;
    }
    assert_non_null(fix_blob(f->g, c, doc)->manifest);
    assert_int_equal(fix_blob_size(f->g, c, 0), size);
}

static void test_pull__index_cycle_terminates(void **state)
{
    struct fx *f = *state;
    const struct ra_tag_result *t;

    put_self_index(f, '1');
    fix_revision_link(f->g, REPO, '1', RA_TIME_NONE);
    fix_tag(f->g, REPO, "latest", '1', RA_TIME_NONE);
    analyze(f);

    t = tag_result(f, 0);
    assert_false(t->pullable);
    assert_int_equal(t->reason, RA_F_MANIFEST_UNPARSEABLE);
    assert_int_equal(t->nplatforms, 1);
}

static void test_pull__index_too_deep_has_a_finding(void **state)
{
    struct fx *f = *state;

    put_self_index(f, '1');
    fix_revision_link(f->g, REPO, '1', RA_TIME_NONE);
    fix_tag(f->g, REPO, "latest", '1', RA_TIME_NONE);
    analyze(f);

    assert_int_equal(f->res->findings.items.len, 1);
    assert_int_equal(((const struct ra_finding *)f->res->findings.items.items[0])->code,
                     RA_F_MANIFEST_UNPARSEABLE);
}

static void test_pull__severity_by_place(void **state)
{
    struct fx *f = *state;
    static const struct want w[] = {
        /* on the tag's path: critical */
        {RA_F_LAYER_LINK_MISSING, RA_SEV_CRITICAL, REPO, "latest", '6', '2',
         "/_layers/sha256/6666", "layer sha256:6666"},
        /* an untagged manifest that is JSON but no manifest: error */
        {RA_F_MANIFEST_UNPARSEABLE, RA_SEV_ERROR, REPO, "", 'd', 0,
         REPO_PATH "/_manifests/revisions/sha256/dddd", "untagged manifest sha256:dddd"},
        /* leftovers: warnings */
        {RA_F_LAYER_LINK_DANGLING, RA_SEV_WARNING, REPO, "", '9', 0,
         "/_layers/sha256/9999", ""},
        {RA_F_MANIFEST_BLOB_MISSING, RA_SEV_WARNING, REPO, "", 'e', 0,
         REPO_PATH "/_manifests/revisions/sha256/eeee", "untagged manifest sha256:eeee"},
        /* garbage the next GC removes: info */
        {RA_F_BLOB_UNREFERENCED, RA_SEV_INFO, "", "", 'c', 0, "/blobs/sha256/cc/", ""},
    };

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "");
    fix_layer(f->g, '6'); /* in blobs/, never linked in this repository */
    fix_image(f->g, '2', '4', "6", 1234, LAYER_SIZE);
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    fix_layer_link(f->g, REPO, '9', RA_TIME_NONE);
    fix_revision_link(f->g, REPO, 'e', RA_TIME_NONE);
    fix_blob(f->g, 'd', "{\"hello\": \"world\"}");
    fix_revision_link(f->g, REPO, 'd', RA_TIME_NONE);
    fix_layer(f->g, 'c');
    analyze(f);

    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__findings_deduplicated_per_tag(void **state)
{
    struct fx *f = *state;
    static const struct want w[] = {
        {RA_F_LAYER_LINK_MISSING, RA_SEV_CRITICAL, REPO, "latest", '6', '2', "", ""},
        {RA_F_LAYER_LINK_MISSING, RA_SEV_CRITICAL, REPO, "v1", '6', '2', "", ""},
    };

    /* the same layer listed twice in one manifest, and two tags on that manifest */
    fix_push_layers(f->g, REPO, '2', '4', "amd64", "");
    fix_layer(f->g, '6');
    fix_image(f->g, '2', '4', "66", 1234, LAYER_SIZE);
    fix_tag(f->g, REPO, "v1", '2', RA_TIME_NONE);
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    analyze(f);

    assert_int_equal(f->res->ntags, 2);
    assert_int_equal(f->res->unpullable, 2);
    /* tags come out sorted */
    assert_string_equal(tag_result(f, 0)->tag, "latest");
    assert_string_equal(tag_result(f, 1)->tag, "v1");
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__tags_sorted_across_repositories(void **state)
{
    struct fx *f = *state;
    static const struct want w[] = {
        {RA_F_LAYER_LINK_MISSING, RA_SEV_CRITICAL, "tools/kubectl", "1.30", '6', '2',
         ROOT "/repositories/tools/kubectl/_layers/sha256/6666", ""},
    };

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    fix_tag(f->g, REPO, "v2", '2', RA_TIME_NONE);
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    /* cross-repository: the manifest and config are linked in tools/kubectl, the
     * layer only in infra-ci */
    fix_revision_link(f->g, "tools/kubectl", '2', RA_TIME_NONE);
    fix_layer_link(f->g, "tools/kubectl", '4', RA_TIME_NONE);
    fix_tag(f->g, "tools/kubectl", "1.30", '2', RA_TIME_NONE);
    fix_tag(f->g, "alpine", "3.19", '2', RA_TIME_NONE);
    fix_revision_link(f->g, "alpine", '2', RA_TIME_NONE);
    fix_layer_link(f->g, "alpine", '4', RA_TIME_NONE);
    fix_layer_link(f->g, "alpine", '6', RA_TIME_NONE);
    analyze(f);

    assert_int_equal(f->res->ntags, 4);
    assert_string_equal(tag_result(f, 0)->repository, "alpine");
    assert_string_equal(tag_result(f, 1)->repository, REPO);
    assert_string_equal(tag_result(f, 1)->tag, "latest");
    assert_string_equal(tag_result(f, 2)->tag, "v2");
    assert_string_equal(tag_result(f, 3)->repository, "tools/kubectl");
    assert_int_equal(f->res->unpullable, 1);
    assert_false(tag_result(f, 3)->pullable);
    expect_findings(f, w, RA_ARRAY_SIZE(w));
}

static void test_pull__findings_sorted(void **state)
{
    struct fx *f = *state;
    const struct ra_findings *fs;
    size_t i;

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "67");
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    fix_layer(f->g, '7')->size = 1;
    fix_layer(f->g, 'c');
    fix_layer(f->g, 'd');
    fix_layer_link(f->g, REPO, '9', RA_TIME_NONE);
    fix_layer_link(f->g, "b-repo", '8', RA_TIME_NONE);
    f->opts.taken_at = TAKEN;
    upload(f, UUID, 0);
    analyze(f);

    fs = &f->res->findings;
    assert_true(fs->items.len >= 6);
    for (i = 1; i < fs->items.len; i++) {
        const struct ra_finding *a = fs->items.items[i - 1], *b = fs->items.items[i];
        int c = a->severity != b->severity ? (int)a->severity - (int)b->severity
                                           : strcmp(ra_finding_code_name(a->code),
                                                    ra_finding_code_name(b->code));
        if (!c)
            c = strcmp(a->repository, b->repository);
        if (!c)
            c = ra_digest_cmp(&a->digest, &b->digest);
        assert_true(c < 0);
    }
}

static void test_pull__empty_graph(void **state)
{
    struct fx *f = *state;

    analyze(f);
    assert_int_equal(f->res->ntags, 0);
    assert_int_equal(f->res->unpullable, 0);
    assert_int_equal(f->res->counts.blobs, 0);
    expect_no_findings(f);
    ra_registry_result_free(NULL);
}

static void test_pull__reanalyse_is_identical(void **state)
{
    struct fx *f = *state;
    struct ra_registry_result *first;
    size_t i;

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    fix_layer_link(f->g, REPO, '9', RA_TIME_NONE);
    fix_layer(f->g, 'c');
    analyze(f);
    first = f->res;
    f->res = NULL;
    analyze(f);

    assert_int_equal(first->findings.items.len, f->res->findings.items.len);
    for (i = 0; i < first->findings.items.len; i++) {
        const struct ra_finding *a = first->findings.items.items[i];
        const struct ra_finding *b = f->res->findings.items.items[i];
        assert_int_equal(a->code, b->code);
        assert_string_equal(a->path, b->path);
        assert_string_equal(a->message, b->message);
    }
    ra_registry_result_free(first);
}

/* The missing object of a finding as a typed reference, or NULL. */
static const struct ra_object_ref *missing_of(struct fx *f, enum ra_finding_code code,
                                              const char *tag)
{
    size_t i;

    for (i = 0; i < f->res->findings.items.len; i++) {
        const struct ra_finding *x = f->res->findings.items.items[i];
        if (x->code == code && !strcmp(x->tag, tag))
            return x->missing;
    }
    fail_msg("no %s finding for tag '%s'", ra_finding_code_name(code), tag);
    return NULL;
}

static void assert_ref(const struct ra_object_ref *r, enum ra_object_kind kind,
                       const char *tag, const char *platform, char digest)
{
    struct ra_digest zero = {{0}};

    assert_non_null(r);
    assert_string_equal(ra_object_kind_name(r->kind), ra_object_kind_name(kind));
    assert_string_equal(r->repository, REPO);
    assert_string_equal(r->tag, tag);
    if (platform)
        assert_string_equal(r->platform, platform);
    else
        assert_null(r->platform);
    if (digest)
        assert_digest(&r->digest, digest);
    else
        assert_int_equal(ra_digest_cmp(&r->digest, &zero), 0);
}

/* What a tag needs and lacks is reported as a typed reference: object kind,
 * repository, tag, platform and digest; no caller takes the path apart. */
static void test_pull__missing_objects_are_typed_references(void **state)
{
    struct fx *f = *state;
    struct ra_digest d8 = dg('8');
    static const char *const plats[] = {"linux/amd64", "linux/arm64"};

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    fix_layer(f->g, '7');
    fix_layer_link(f->g, REPO, '7', RA_TIME_NONE);
    fix_image(f->g, '3', '5', "7", 1234, LAYER_SIZE);
    fix_index(f->g, '1', "23", plats, -1);
    fix_revision_link(f->g, REPO, '1', RA_TIME_NONE);
    fix_tag(f->g, REPO, "latest", '1', RA_TIME_NONE);
    /* a single image: layer 8's data gone */
    fix_push_layers(f->g, REPO, '9', '4', "amd64", "8");
    ra_graph_blob(f->g, &d8)->present = 0;
    fix_tag(f->g, REPO, "single", '9', RA_TIME_NONE);
    ra_graph_tag(f->g, fix_repo(f->g, REPO), "nolink", 6);
    analyze(f);

    assert_ref(missing_of(f, RA_F_BLOB_MISSING, "latest"), RA_OBJ_BLOB, "latest",
               "linux/arm64", '5');
    assert_ref(missing_of(f, RA_F_INDEX_CHILD_MISSING, "latest"), RA_OBJ_MANIFEST_LINK,
               "latest", "linux/arm64", '3');
    assert_ref(missing_of(f, RA_F_LAYER_LINK_MISSING, "latest"), RA_OBJ_LAYER_LINK,
               "latest", "linux/arm64", '5');
    /* the platform of a single image comes from its config, read before its layers */
    assert_ref(missing_of(f, RA_F_BLOB_MISSING, "single"), RA_OBJ_BLOB, "single",
               "linux/amd64", '8');
    assert_ref(missing_of(f, RA_F_TAG_TARGET_MISSING, "nolink"), RA_OBJ_TAG, "nolink",
               NULL, 0);
    /* a finding about something no tag lacks names no missing object */
    assert_null(missing_of(f, RA_F_LAYER_LINK_DANGLING, ""));
}

#define T(name) cmocka_unit_test_setup_teardown(test_pull__##name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(healthy_single_image),
        T(tag_without_current_link),
        T(tag_current_link_not_a_digest),
        T(manifest_without_revision_link),
        T(legacy_layers_link_serves_manifest),
        T(legacy_layers_link_invalid_names_its_path),
        T(revision_link_without_blob),
        T(index_child_without_revision_link),
        T(index_child_blob_missing),
        T(layer_without_layers_link),
        T(dangling_layer_link_off_tag_path),
        T(dangling_layer_link_on_tag_path_also_warned),
        T(tags_only),
        T(link_naming_another_digest),
        T(revision_link_not_a_digest),
        T(invalid_links_off_tag_path),
        T(digest_mismatch),
        T(digest_mismatch_off_tag_path_is_error),
        T(size_mismatch),
        T(index_child_size_mismatch),
        T(manifest_not_json),
        T(manifest_bad_json_names_parse_error),
        T(tag_pointing_at_a_config),
        T(stale_upload),
        T(stale_upload_by_mtime),
        T(uploads_not_judged_without_snapshot_time),
        T(upload_purge_age_is_an_option),
        T(upload_with_absurd_mtime),
        T(unreferenced_blob),
        T(referenced_only_by_tag_history_is_not_unreferenced),
        T(foreign_layer_skipped),
        T(nested_index),
        T(nested_index_child_missing_deep),
        T(index_cycle_terminates),
        T(index_too_deep_has_a_finding),
        T(severity_by_place),
        T(findings_deduplicated_per_tag),
        T(tags_sorted_across_repositories),
        T(findings_sorted),
        T(empty_graph),
        T(reanalyse_is_identical),
        T(missing_objects_are_typed_references),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
