/* SPDX-License-Identifier: MIT */
/* ra_gc_simulate / ra_gc_apply: what Distribution 2.x and 3.x garbage-collect mark and
 * delete, with and without --delete-untagged, on graphs built by hand through the
 * model API (manifests are real JSON parsed with ra_manifest_parse), and what pulling
 * looks like after the predicted sweep is applied. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/gcsim.h"
#include "analysis/pull.h"
#include "util/buf.h"

#include "fixture.h"

struct fx {
    struct ra_graph *g;
    struct ra_gc_result *gc;
    struct ra_registry_result *pull;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    ra_graph_new(&f->g, ROOT, strlen(ROOT));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    ra_gc_result_free(f->gc);
    ra_registry_result_free(f->pull);
    ra_graph_free(f->g);
    free(f);
    return 0;
}

/* infra-ci:latest -> index '1' over '2' (amd64: config '4', layers '6','7') and
 * '3' (arm64: config '5', layer '8'), as `skopeo copy --all` pushes it. */
static void push_index(struct fx *f)
{
    static const char *const platforms[] = {"linux/amd64", "linux/arm64"};

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "67");
    fix_push_layers(f->g, REPO, '3', '5', "arm64", "8");
    fix_index(f->g, '1', "23", platforms, -1);
    fix_revision_link(f->g, REPO, '1', RA_TIME_NONE);
    fix_tag(f->g, REPO, "latest", '1', RA_TIME_NONE);
}

static void gc(struct fx *f, enum ra_gc_version v, int delete_untagged)
{
    struct ra_gc_opts o = RA_GC_OPTS_INIT;

    o.version = v;
    o.delete_untagged = delete_untagged;
    ra_gc_result_free(f->gc);
    f->gc = NULL;
    ra_gc_simulate(&f->gc, f->g, &o);
    assert_non_null(f->gc);
}

/* The deleted blobs are exactly those named by chars, in digest order. */
static void expect_blobs(struct fx *f, const char *chars)
{
    size_t i, n = strlen(chars);
    uint64_t bytes = 0;

    if (f->gc->blobs.len != n) {
        char hex[RA_DIGEST_STRLEN];
        for (i = 0; i < f->gc->blobs.len; i++)
            print_message(
                "  deletes blob %s\n",
                ra_digest_short(hex, &((struct ra_blob *)f->gc->blobs.items[i])->digest));
        fail_msg("%zu blobs deleted, want %zu (%s)", f->gc->blobs.len, n, chars);
    }
    for (i = 0; i < n; i++) {
        const struct ra_blob *b = f->gc->blobs.items[i];
        struct ra_digest d = dg(chars[i]);
        assert_int_equal(ra_digest_cmp(&b->digest, &d), 0);
        bytes += (uint64_t)fix_blob_size(f->g, chars[i], 555);
    }
    assert_int_equal(f->gc->bytes, bytes);
}

/* Deleted manifests "repo:c[:tag,tag]" in order. */
static void expect_manifests(struct fx *f, const char *const *want, size_t n)
{
    size_t i, j;

    assert_int_equal(f->gc->manifests.len, n);
    for (i = 0; i < n; i++) {
        const struct ra_gc_manifest_del *del = f->gc->manifests.items[i];
        char buf[256];
        struct ra_buf tags = RA_BUF_INIT;
        char hex[RA_DIGEST_STRLEN];
        for (j = 0; j < del->ntags; j++)
            ra_buf_printf(&tags, "%s%s", j ? "," : ":", del->tags[j]);
        snprintf(buf, sizeof(buf), "%s:%c%s", del->repository,
                 ra_digest_format(hex, &del->digest)[7], ra_buf_cstr(&tags));
        ra_buf_release(&tags);
        assert_string_equal(buf, want[i]);
        /* whole digest, not only its first character */
        {
            struct ra_digest d = dg(hex[7]);
            assert_int_equal(ra_digest_cmp(&del->digest, &d), 0);
        }
    }
}

/* Deleted _layers links "repo:c" in order. */
static void expect_layer_links(struct fx *f, const char *const *want, size_t n)
{
    size_t i;

    assert_int_equal(f->gc->layer_links.len, n);
    for (i = 0; i < n; i++) {
        const struct ra_gc_link_del *del = f->gc->layer_links.items[i];
        char buf[256], hex[RA_DIGEST_STRLEN];
        struct ra_digest d;
        snprintf(buf, sizeof(buf), "%s:%c", del->repository,
                 ra_digest_format(hex, &del->digest)[7]);
        assert_string_equal(buf, want[i]);
        d = dg(hex[7]);
        assert_int_equal(ra_digest_cmp(&del->digest, &d), 0);
    }
}

static void expect_nothing_deleted(struct fx *f)
{
    assert_null(f->gc->aborted);
    expect_blobs(f, "");
    expect_manifests(f, NULL, 0);
    expect_layer_links(f, NULL, 0);
}

static void test_gcsim__index_v2_delete_untagged_drops_children(void **state)
{
    struct fx *f = *state;
    static const char *const m[] = {REPO ":2", REPO ":3"};

    push_index(f);
    gc(f, RA_GC_V2, 1);
    assert_null(f->gc->aborted);
    /* the index and its direct references: 1, 2, 3 */
    assert_int_equal(f->gc->marked, 3);
    /* children's revision links go (no tag history names them) ... */
    expect_manifests(f, m, RA_ARRAY_SIZE(m));
    /* ... and their configs and layers; the child manifest blobs stay (marked) */
    expect_blobs(f, "45678");
    assert_int_equal(f->gc->bytes, 3 * LAYER_SIZE + fix_blob_size(f->g, '4', 555) +
                                       fix_blob_size(f->g, '5', 555));
    /* 2.x never deletes _layers links */
    expect_layer_links(f, NULL, 0);
}

static void test_gcsim__index_v3_delete_untagged_keeps_all(void **state)
{
    struct fx *f = *state;

    push_index(f);
    gc(f, RA_GC_V3, 1);
    /* marked recursively: 1, 2, 3, 4, 5, 6, 7, 8 */
    assert_int_equal(f->gc->marked, 8);
    expect_nothing_deleted(f);
    assert_int_equal(f->gc->bytes, 0);
}

static void test_gcsim__index_without_delete_untagged_keeps_all(void **state)
{
    struct fx *f = *state;

    push_index(f);
    gc(f, RA_GC_V2, 0);
    assert_int_equal(f->gc->marked, 8);
    expect_nothing_deleted(f);
    gc(f, RA_GC_V3, 0);
    assert_int_equal(f->gc->marked, 8);
    expect_nothing_deleted(f);
}

static void test_gcsim__simulate_does_not_modify_graph(void **state)
{
    struct fx *f = *state;
    struct ra_digest d4 = dg('4');
    size_t revs, layers;

    push_index(f);
    revs = fix_repo(f->g, REPO)->revisions.count;
    layers = fix_repo(f->g, REPO)->layers.count;
    gc(f, RA_GC_V2, 1);
    assert_int_equal(fix_repo(f->g, REPO)->revisions.count, revs);
    assert_int_equal(fix_repo(f->g, REPO)->layers.count, layers);
    assert_true(ra_graph_find_blob(f->g, &d4)->present);
    assert_non_null(ra_graph_find_blob(f->g, &d4)->manifest);
}

/* latest moved from '2' (config '4', layers '6','9') to '3' (config '5', layers '7','9').
 */
static void push_moved_tag(struct fx *f)
{
    fix_push_layers(f->g, REPO, '2', '4', "amd64", "69");
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    fix_push_layers(f->g, REPO, '3', '5', "amd64", "79");
    fix_tag(f->g, REPO, "latest", '3', RA_TIME_NONE);
    /* another tag that never named '2' */
    fix_tag(f->g, REPO, "stable", '3', RA_TIME_NONE);
}

static void test_gcsim__moved_tag_v2_delete_untagged(void **state)
{
    struct fx *f = *state;
    static const char *const m[] = {REPO ":2:latest"};

    push_moved_tag(f);
    assert_int_equal(ra_graph_tag(f->g, fix_repo(f->g, REPO), "latest", 6)->history.count,
                     2);
    gc(f, RA_GC_V2, 1);
    assert_null(f->gc->aborted);
    assert_int_equal(f->gc->marked, 4); /* 3, 5, 7, 9 */
    expect_manifests(f, m, RA_ARRAY_SIZE(m));
    /* the old manifest's own blob, config and unshared layer; '9' is shared */
    expect_blobs(f, "246");
    expect_layer_links(f, NULL, 0);
}

static void test_gcsim__moved_tag_v3_delete_untagged(void **state)
{
    struct fx *f = *state;
    static const char *const m[] = {REPO ":2:latest"};
    static const char *const l[] = {REPO ":4", REPO ":6"};

    push_moved_tag(f);
    gc(f, RA_GC_V3, 1);
    assert_null(f->gc->aborted);
    assert_int_equal(f->gc->marked, 4);
    expect_manifests(f, m, RA_ARRAY_SIZE(m));
    expect_blobs(f, "246");
    /* 3.x also deletes the _layers links nothing marked */
    expect_layer_links(f, l, RA_ARRAY_SIZE(l));
}

static void test_gcsim__moved_tag_without_delete_untagged(void **state)
{
    struct fx *f = *state;

    push_moved_tag(f);
    gc(f, RA_GC_V2, 0);
    assert_int_equal(f->gc->marked, 7); /* 2, 3, 4, 5, 6, 7, 9 */
    expect_nothing_deleted(f);
}

static void test_gcsim__unreferenced_blobs_deleted_without_delete_untagged(void **state)
{
    struct fx *f = *state;
    static const char *const l[] = {REPO ":a"};

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    /* an untagged manifest: revision-linked, kept without -m */
    fix_push_layers(f->g, REPO, '3', '5', "amd64", "7");
    /* 'a': uploaded and linked, never referenced by a manifest; 'b': no link at all */
    fix_layer(f->g, 'a');
    fix_layer_link(f->g, REPO, 'a', RA_TIME_NONE);
    fix_layer(f->g, 'b');

    gc(f, RA_GC_V2, 0);
    assert_null(f->gc->aborted);
    assert_int_equal(f->gc->marked, 6);
    expect_manifests(f, NULL, 0);
    expect_blobs(f, "ab");
    assert_int_equal(f->gc->bytes, 2 * LAYER_SIZE);
    expect_layer_links(f, NULL, 0);

    gc(f, RA_GC_V3, 0);
    assert_int_equal(f->gc->marked, 6);
    expect_manifests(f, NULL, 0);
    expect_blobs(f, "ab");
    expect_layer_links(f, l, RA_ARRAY_SIZE(l));
}

static void test_gcsim__absent_blob_not_listed(void **state)
{
    struct fx *f = *state;
    struct ra_digest d = dg('a');

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    /* a blob node without data (a dangling link's target) is nothing to delete */
    ra_graph_blob(f->g, &d)->present = 0;
    gc(f, RA_GC_V2, 1);
    expect_nothing_deleted(f);
}

/* "base" (sorted before "infra-ci") tags '3' with layer '9'; infra-ci's untagged
 * manifest '2' uses '9' too. */
static void test_gcsim__layer_shared_with_tagged_repo_survives(void **state)
{
    struct fx *f = *state;
    static const char *const m[] = {REPO ":2"};
    static const char *const l3[] = {REPO ":4", REPO ":6"};

    fix_push_layers(f->g, "base", '3', '5', "amd64", "9");
    fix_tag(f->g, "base", "latest", '3', RA_TIME_NONE);
    fix_push_layers(f->g, REPO, '2', '4', "amd64", "69");
    fix_repo(f->g, REPO)->has_tags_dir = 1; /* its tags were pruned, the folder stays */

    gc(f, RA_GC_V2, 1);
    assert_null(f->gc->aborted);
    expect_manifests(f, m, RA_ARRAY_SIZE(m));
    expect_blobs(f, "246");

    gc(f, RA_GC_V3, 1);
    expect_manifests(f, m, RA_ARRAY_SIZE(m));
    expect_blobs(f, "246");
    /* '9' was marked by base before infra-ci's links were swept */
    expect_layer_links(f, l3, RA_ARRAY_SIZE(l3));
}

/* 3.x checks _layers links against the marks made so far, repository by repository
 * (upstream MarkAndSweep): a layer marked only by a repository enumerated later loses
 * its link in the earlier one, though its data survives. */
static void test_gcsim__v3_layer_links_swept_in_enumeration_order(void **state)
{
    struct fx *f = *state;
    static const char *const m[] = {"aaa:2"};
    static const char *const l[] = {"aaa:4", "aaa:6", "aaa:9"};

    fix_push_layers(f->g, "zzz", '3', '5', "amd64", "9");
    fix_tag(f->g, "zzz", "latest", '3', RA_TIME_NONE);
    fix_push_layers(f->g, "aaa", '2', '4', "amd64", "69");
    fix_repo(f->g, "aaa")->has_tags_dir = 1;

    gc(f, RA_GC_V3, 1);
    assert_null(f->gc->aborted);
    expect_manifests(f, m, RA_ARRAY_SIZE(m));
    expect_blobs(f, "246");
    expect_layer_links(f, l, RA_ARRAY_SIZE(l));
}

static void test_gcsim__abort_on_junk_revision_link(void **state)
{
    struct fx *f = *state;
    int v;

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    fix_layer(f->g, 'b');                                        /* would be swept */
    fix_revision_link(f->g, REPO, '3', RA_TIME_NONE)->valid = 0; /* holds junk */
    for (v = 0; v < 4; v++) {
        gc(f, v < 2 ? RA_GC_V2 : RA_GC_V3, v & 1);
        assert_string_equal(f->gc->aborted, REPO
                            ": cannot read revision link "
                            "sha256:3333333333333333333333333333333333333333333333333333"
                            "333333333333");
        expect_blobs(f, "");
        expect_manifests(f, NULL, 0);
        expect_layer_links(f, NULL, 0);
    }
}

static void test_gcsim__abort_on_unparseable_tagged_manifest(void **state)
{
    struct fx *f = *state;

    fix_blob(f->g, '2', "not a manifest at all");
    fix_revision_link(f->g, REPO, '2', RA_TIME_NONE);
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    fix_layer(f->g, 'b');

    gc(f, RA_GC_V2, 1);
    assert_non_null(f->gc->aborted);
    assert_string_equal(
        f->gc->aborted,
        REPO ": failed to retrieve manifest for digest "
             "sha256:2222222222222222222222222222222222222222222222222222222222222222");
    expect_blobs(f, "");
    gc(f, RA_GC_V3, 0);
    assert_non_null(f->gc->aborted);
    assert_non_null(strstr(f->gc->aborted, "failed to retrieve manifest"));
    expect_blobs(f, "");
}

static void test_gcsim__abort_on_bad_current_link_with_delete_untagged(void **state)
{
    struct fx *f = *state;
    struct ra_tag *t;

    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    t = fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);
    t->current.valid = 0;
    gc(f, RA_GC_V2, 1);
    assert_non_null(f->gc->aborted);
    assert_non_null(strstr(f->gc->aborted, "failed to retrieve tags for digest"));
    assert_non_null(strstr(f->gc->aborted, "bad current link"));
    expect_blobs(f, "");
    expect_manifests(f, NULL, 0);
    /* without -m, tags are not looked at */
    gc(f, RA_GC_V2, 0);
    assert_null(f->gc->aborted);
}

static void expect_aborted_nothing_deleted(struct fx *f)
{
    assert_non_null(f->gc->aborted);
    expect_blobs(f, "");
    expect_manifests(f, NULL, 0);
    expect_layer_links(f, NULL, 0);
}

/* Synology's @eaDir, a macOS .DS_Store: what the NAS leaves in a folder. */
static void put_meta(struct fx *f, const char *rel, enum ra_meta_kind kind, int is_dir)
{
    ra_graph_note_meta(f->g, rel, strlen(rel), kind, is_dir, RA_TIME_NONE);
}

#define TAGS_DIR "repositories/" REPO "/_manifests/tags/"

static void test_gcsim__eadir_in_tags_folder_aborts_delete_untagged(void **state)
{
    struct fx *f = *state;

    push_index(f);
    fix_push_layers(f->g, REPO, 'a', 'b', "amd64",
                    "c"); /* untagged: -m would delete it */
    fix_layer(f->g, 'd'); /* unreferenced: any run deletes it */
    put_meta(f, TAGS_DIR "@eaDir", RA_META_EADIR, 1);
    put_meta(f, "blobs/sha256/66/@eaDir", RA_META_EADIR, 1);
    gc(f, RA_GC_V2, 1);
    assert_string_equal(
        f->gc->aborted,
        REPO ": failed to retrieve tags for digest sha256:"
             "1111111111111111111111111111111111111111111111111111111111111111"
             ": filesystem: invalid path: /docker/registry/v2/repositories/" REPO
             "/_manifests/tags/@eaDir/current/link");
    expect_aborted_nothing_deleted(f);
    /* 3.x reads tags the same way */
    gc(f, RA_GC_V3, 1);
    assert_non_null(f->gc->aborted);
    expect_aborted_nothing_deleted(f);
    /* without -m no tag is read: the run sweeps as always */
    gc(f, RA_GC_V2, 0);
    assert_null(f->gc->aborted);
    expect_blobs(f, "d");
    /* a run once the entry is gone: the 2.8 index-children sweep and the untagged image
     */
    {
        struct ra_gc_opts o = {RA_GC_V2, 1, 1};
        ra_gc_result_free(f->gc);
        f->gc = NULL;
        ra_gc_simulate(&f->gc, f->g, &o);
        assert_null(f->gc->aborted);
        expect_blobs(f, "45678abcd");
    }
}

static void test_gcsim__file_in_tags_folder_aborts_delete_untagged(void **state)
{
    struct fx *f = *state;

    push_index(f);
    put_meta(f, TAGS_DIR ".DS_Store", RA_META_DS_STORE, 0);
    assert_string_equal(ra_gc_lookup_entry(f->g, fix_repo(f->g, REPO)), ".DS_Store");
    gc(f, RA_GC_V2, 1);
    assert_non_null(f->gc->aborted);
    assert_non_null(strstr(f->gc->aborted, "/_manifests/tags/.DS_Store/current/link: "
                                           "not a directory"));
    expect_aborted_nothing_deleted(f);
}

static void test_gcsim__harmless_metadata_is_no_abort(void **state)
{
    struct fx *f = *state;
    struct ra_buf why = RA_BUF_INIT;

    push_index(f);
    /* a folder with a name the driver accepts and no current/link is skipped; metadata
     * anywhere else is never read */
    put_meta(f, TAGS_DIR "._latest", RA_META_APPLEDOUBLE, 1);
    put_meta(f, "repositories/" REPO "/_layers/sha256/@eaDir", RA_META_EADIR, 1);
    put_meta(f, "repositories/" REPO "/_uploads/@eaDir", RA_META_EADIR, 1);
    put_meta(f, "repositories/@eaDir", RA_META_EADIR, 1);
    put_meta(f, "repositories/other/_manifests/tags/@eaDir", RA_META_EADIR, 1);
    assert_int_equal(ra_gc_lookup_error(&why, f->g, fix_repo(f->g, REPO)), 0);
    assert_null(ra_gc_lookup_entry(f->g, fix_repo(f->g, REPO)));
    gc(f, RA_GC_V2, 1);
    assert_null(f->gc->aborted); /* "other" has no revision to look tags up for */
    expect_blobs(f, "45678");    /* the 2.8 index-children sweep, as without metadata */
    ra_buf_release(&why);
}

static void test_gcsim__tag_name_the_driver_rejects_aborts(void **state)
{
    struct fx *f = *state;
    struct ra_buf why = RA_BUF_INIT;

    push_index(f);
    fix_tag(f->g, REPO, "bad name", '1', RA_TIME_NONE);
    assert_int_equal(ra_gc_lookup_error(&why, f->g, fix_repo(f->g, REPO)), 1);
    assert_string_equal(ra_gc_lookup_entry(f->g, fix_repo(f->g, REPO)), "bad name");
    assert_string_equal(why.ptr,
                        "filesystem: invalid path: /docker/registry/v2/repositories/" REPO
                        "/_manifests/tags/bad name/current/link");
    gc(f, RA_GC_V2, 1);
    assert_non_null(f->gc->aborted);
    expect_aborted_nothing_deleted(f);
    ra_buf_release(&why);
}

/* A repository with untagged revisions and no _manifests/tags folder at all. */
static void push_untagged_without_tags_dir(struct fx *f)
{
    fix_push_layers(f->g, REPO, '2', '4', "amd64", "6");
    assert_false(fix_repo(f->g, REPO)->has_tags_dir);
    assert_int_equal(fix_repo(f->g, REPO)->tags.count, 0);
}

static void test_gcsim__v2_delete_untagged_aborts_without_tags_dir(void **state)
{
    struct fx *f = *state;

    push_untagged_without_tags_dir(f);
    gc(f, RA_GC_V2, 1);
    assert_string_equal(
        f->gc->aborted,
        REPO ": failed to retrieve tags for "
             "sha256:2222222222222222222222222222222222222222222222222222222222222222"
             ": repository name not known to registry");
    expect_blobs(f, "");
    expect_manifests(f, NULL, 0);
}

static void test_gcsim__v3_delete_untagged_skips_repo_without_tags_dir(void **state)
{
    struct fx *f = *state;

    push_untagged_without_tags_dir(f);
    gc(f, RA_GC_V3, 1);
    assert_null(f->gc->aborted);
    assert_int_equal(f->gc->marked, 0);
    /* the manifest is neither marked nor listed: its revision link stays, the blobs go,
     * and so do the unmarked _layers links */
    expect_manifests(f, NULL, 0);
    expect_blobs(f, "246");
    {
        static const char *const l[] = {REPO ":4", REPO ":6"};
        expect_layer_links(f, l, RA_ARRAY_SIZE(l));
    }
}

static void test_gcsim__empty_tags_dir_is_not_an_abort(void **state)
{
    struct fx *f = *state;
    static const char *const m[] = {REPO ":2"};

    push_untagged_without_tags_dir(f);
    fix_repo(f->g, REPO)->has_tags_dir = 1; /* the folder exists, empty */
    gc(f, RA_GC_V2, 1);
    assert_null(f->gc->aborted);
    expect_manifests(f, m, RA_ARRAY_SIZE(m));
    expect_blobs(f, "246");
}

/* A revision link whose content names '2', which the repository serves only through
 * a legacy _layers link. 2.x's Stat takes that link, 3.0 dropped the fallback. */
static void test_gcsim__legacy_layers_link_serves_manifest_in_v2_only(void **state)
{
    struct fx *f = *state;
    static const char *const l[] = {REPO ":2", REPO ":4", REPO ":6"};

    fix_config(f->g, '4', "linux", "amd64");
    fix_layer_link(f->g, REPO, '4', RA_TIME_NONE);
    fix_layer(f->g, '6');
    fix_layer_link(f->g, REPO, '6', RA_TIME_NONE);
    fix_image(f->g, '2', '4', "6", 555, 555);
    fix_layer_link(f->g, REPO, '2', RA_TIME_NONE);
    fix_link(f->g, &fix_repo(f->g, REPO)->revisions, '3', '2', RA_TIME_NONE);
    fix_tag(f->g, REPO, "latest", '2', RA_TIME_NONE);

    gc(f, RA_GC_V2, 0);
    assert_null(f->gc->aborted);
    assert_int_equal(f->gc->marked, 3);
    expect_nothing_deleted(f);

    gc(f, RA_GC_V3, 0);
    assert_null(f->gc->aborted);
    assert_int_equal(f->gc->marked, 0);
    expect_blobs(f, "246");
    expect_layer_links(f, l, RA_ARRAY_SIZE(l));
}

/* 3.x recursion into an index child needs the child's revision link. */
static void test_gcsim__v3_recursion_needs_child_revision_link(void **state)
{
    struct fx *f = *state;
    struct ra_digest d3 = dg('3');

    push_index(f);
    ra_map_del(&fix_repo(f->g, REPO)->revisions, d3.b, sizeof(d3.b));
    gc(f, RA_GC_V3, 0);
    assert_null(f->gc->aborted);
    assert_int_equal(f->gc->marked, 6); /* 1, 2, 3, 4, 6, 7 */
    expect_blobs(f, "58");
    {
        static const char *const l[] = {REPO ":5", REPO ":8"};
        expect_layer_links(f, l, RA_ARRAY_SIZE(l));
    }
}

static void analyze(struct fx *f)
{
    struct ra_pull_opts o = RA_PULL_OPTS_INIT;

    ra_registry_result_free(f->pull);
    f->pull = NULL;
    ra_pull_analyze(&f->pull, f->g, &o);
}

static size_t count_findings(struct fx *f, enum ra_finding_code code)
{
    size_t i, n = 0;

    for (i = 0; i < f->pull->findings.items.len; i++)
        n += ((const struct ra_finding *)f->pull->findings.items.items[i])->code == code;
    return n;
}

static void test_gcsim__apply_removes_exactly_the_prediction(void **state)
{
    struct fx *f = *state;
    struct ra_repo *r;
    const struct ra_tag_result *t;
    struct ra_tag *latest;
    const char *c;

    push_index(f);
    analyze(f);
    assert_int_equal(f->pull->unpullable, 0);
    assert_true(f->pull->tags[0].pullable);

    gc(f, RA_GC_V2, 1);
    ra_gc_apply(f->g, f->gc);
    r = fix_repo(f->g, REPO);
    /* revision links: only the index's is left */
    assert_int_equal(r->revisions.count, 1);
    {
        struct ra_digest d1 = dg('1'), d2 = dg('2'), d3 = dg('3');
        assert_non_null(ra_graph_find_link(&r->revisions, &d1));
        assert_null(ra_graph_find_link(&r->revisions, &d2));
        assert_null(ra_graph_find_link(&r->revisions, &d3));
    }
    /* _layers links untouched (now dangling), tag history untouched */
    assert_int_equal(r->layers.count, 5);
    latest = ra_graph_tag(f->g, r, "latest", 6);
    assert_int_equal(latest->history.count, 1);
    assert_true(latest->has_current);
    /* blobs 4..8 absent and forgotten, 1..3 still present and parsed */
    for (c = "45678"; *c; c++) {
        struct ra_digest d = dg(*c);
        assert_false(ra_graph_find_blob(f->g, &d)->present);
        assert_null(ra_graph_find_blob(f->g, &d)->manifest);
    }
    for (c = "123"; *c; c++) {
        struct ra_digest d = dg(*c);
        assert_true(ra_graph_find_blob(f->g, &d)->present);
        assert_non_null(ra_graph_find_blob(f->g, &d)->manifest);
    }

    analyze(f);
    assert_int_equal(f->pull->ntags, 1);
    assert_int_equal(f->pull->unpullable, 1);
    t = &f->pull->tags[0];
    assert_true(t->resolves);
    assert_true(t->is_index);
    assert_false(t->pullable);
    assert_int_equal(t->reason, RA_F_INDEX_CHILD_MISSING);
    assert_int_equal(t->nplatforms, 2);
    assert_string_equal(t->platforms[0].platform, "linux/amd64");
    assert_int_equal(t->platforms[0].reason, RA_F_INDEX_CHILD_MISSING);
    assert_string_equal(t->platforms[1].platform, "linux/arm64");
    assert_int_equal(t->platforms[1].reason, RA_F_INDEX_CHILD_MISSING);
    assert_int_equal(count_findings(f, RA_F_INDEX_CHILD_MISSING), 2);
    /* the walk goes on into the unlinked children: configs and layers, 5 blobs */
    assert_int_equal(count_findings(f, RA_F_BLOB_MISSING), 5);
    assert_int_equal(count_findings(f, RA_F_LAYER_LINK_DANGLING), 5);

    /* a second run finds nothing more to do (children are referenced by the index) */
    gc(f, RA_GC_V2, 1);
    expect_nothing_deleted(f);
}

static void test_gcsim__apply_v3_removes_layer_links_and_tag_history(void **state)
{
    struct fx *f = *state;
    struct ra_repo *r;
    struct ra_tag *latest;
    struct ra_digest d2 = dg('2'), d3 = dg('3'), d4 = dg('4'), d5 = dg('5');

    push_moved_tag(f);
    gc(f, RA_GC_V3, 1);
    ra_gc_apply(f->g, f->gc);
    r = fix_repo(f->g, REPO);
    latest = ra_graph_tag(f->g, r, "latest", 6);
    assert_int_equal(latest->history.count, 1);
    assert_null(ra_graph_find_link(&latest->history, &d2));
    assert_non_null(ra_graph_find_link(&latest->history, &d3));
    assert_int_equal(r->revisions.count, 1);
    assert_null(ra_graph_find_link(&r->revisions, &d2));
    assert_int_equal(r->layers.count, 3); /* 5, 7, 9 */
    assert_null(ra_graph_find_link(&r->layers, &d4));
    assert_non_null(ra_graph_find_link(&r->layers, &d5));
    assert_false(ra_graph_find_blob(f->g, &d2)->present);

    analyze(f);
    assert_int_equal(f->pull->unpullable, 0);
    assert_int_equal(count_findings(f, RA_F_LAYER_LINK_DANGLING), 0);
}

#define T(name) cmocka_unit_test_setup_teardown(test_gcsim__##name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(index_v2_delete_untagged_drops_children),
        T(index_v3_delete_untagged_keeps_all),
        T(index_without_delete_untagged_keeps_all),
        T(simulate_does_not_modify_graph),
        T(moved_tag_v2_delete_untagged),
        T(moved_tag_v3_delete_untagged),
        T(moved_tag_without_delete_untagged),
        T(unreferenced_blobs_deleted_without_delete_untagged),
        T(absent_blob_not_listed),
        T(layer_shared_with_tagged_repo_survives),
        T(v3_layer_links_swept_in_enumeration_order),
        T(abort_on_junk_revision_link),
        T(abort_on_unparseable_tagged_manifest),
        T(abort_on_bad_current_link_with_delete_untagged),
        T(eadir_in_tags_folder_aborts_delete_untagged),
        T(file_in_tags_folder_aborts_delete_untagged),
        T(harmless_metadata_is_no_abort),
        T(tag_name_the_driver_rejects_aborts),
        T(v2_delete_untagged_aborts_without_tags_dir),
        T(v3_delete_untagged_skips_repo_without_tags_dir),
        T(empty_tags_dir_is_not_an_abort),
        T(legacy_layers_link_serves_manifest_in_v2_only),
        T(v3_recursion_needs_child_revision_link),
        T(apply_removes_exactly_the_prediction),
        T(apply_v3_removes_layer_links_and_tag_history),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
