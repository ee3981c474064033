/* SPDX-License-Identifier: MIT */
/* ra_losses_find: losses across snapshots laid out on disk (content-addressed blobs,
 * links, dated folder names, member and folder mtimes set with utimensat), their
 * objects, broken tags and windows: snapshot, parent_push, own_link and folder_mtime
 * bounds; what a snapshot whose mtimes are not trusted (ra_snapshot_mtimes_trusted) no
 * longer bounds. */

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
#include <sys/stat.h>
#include <unistd.h>

#include "analysis/losses.h"
#include "analysis/logs.h"
#include "model/graph.h"
#include "util/buf.h"
#include "util/sha256.h"

#include "fixture.h"

#define RROOT "docker/registry/v2"
#define T_DIRS APR(6, 8, 0) /* folders created */
#define T_PUSH APR(6, 9, 0) /* configs and layers pushed, child manifests at +1 min */
#define T_GC APR(12, 3, 25) /* the garbage-collect run */
#define SNAP0 "reg-2026-04-11T0100Z"
#define SNAP1 "reg-2026-04-12T0100Z"
#define SNAP2 "reg-2026-04-13T0100Z"
#define DAY 86400

static char tmpdir[] = "/tmp/ra-test-losses-XXXXXX";

/* ---- storage on disk ---------------------------------------------------------- */

/* tmpdir/<snap>/docker/registry/v2/<rel> */
static const char *at(struct ra_buf *p, const char *snap, const char *rel)
{
    ra_buf_truncate(p, 0);
    ra_buf_printf(p, "%s/%s/" RROOT "%s%s", tmpdir, snap, rel[0] ? "/" : "", rel);
    return p->ptr;
}

static void put_data(const char *snap, const char *content, ra_time mtime)
{
    struct ra_buf p = RA_BUF_INIT;
    char hex[65];

    fix_disk_blob(hex, at(&p, snap, ""), content, strlen(content), mtime);
    ra_buf_release(&p);
}

static void put_link(const char *snap, const char *rel, const char *hex, ra_time mtime)
{
    struct ra_buf p = RA_BUF_INIT;

    fix_disk_link(at(&p, snap, rel), hex, mtime);
    ra_buf_release(&p);
}

static void layer_link(const char *snap, const char *repo, const char *hex, ra_time t)
{
    char rel[512];

    snprintf(rel, sizeof(rel), "repositories/%s/_layers/sha256/%s/link", repo, hex);
    put_link(snap, rel, hex, t);
}

static void revision_link(const char *snap, const char *repo, const char *hex, ra_time t)
{
    char rel[512];

    snprintf(rel, sizeof(rel), "repositories/%s/_manifests/revisions/sha256/%s/link",
             repo, hex);
    put_link(snap, rel, hex, t);
}

/* A push of the tag: current/link and the index/ entry. */
static void tag_link(const char *snap, const char *repo, const char *tag, const char *hex,
                     ra_time t)
{
    char rel[512];

    snprintf(rel, sizeof(rel), "repositories/%s/_manifests/tags/%s/current/link", repo,
             tag);
    put_link(snap, rel, hex, t);
    snprintf(rel, sizeof(rel), "repositories/%s/_manifests/tags/%s/index/sha256/%s/link",
             repo, tag, hex);
    put_link(snap, rel, hex, t);
}

/* Every folder of the snapshot gets mtime t (writing files changed them). Touching a
 * folder does not change its parent's mtime, so the order does not matter. */
static void all_dirs_at(const char *snap, ra_time t)
{
    char cmd[512];

    snprintf(cmd, sizeof(cmd), "find '%s/%s' -type d -exec touch -h -d @%lld {} +",
             tmpdir, snap, (long long)t);
    assert_int_equal(system(cmd), 0);
}

static void dir_at(const char *snap, const char *rel, ra_time t)
{
    struct ra_buf p = RA_BUF_INIT;

    fix_mkdirs(at(&p, snap, rel));
    fix_set_mtime(p.ptr, t);
    ra_buf_release(&p);
}

static void blob_dir_at(const char *snap, const char *hex, ra_time t)
{
    char rel[64];

    snprintf(rel, sizeof(rel), "blobs/sha256/%.2s", hex);
    dir_at(snap, rel, t);
}

static void rm_rf(const char *snap, const char *rel)
{
    struct ra_buf p = RA_BUF_INIT, cmd = RA_BUF_INIT;

    ra_buf_printf(&cmd, "rm -rf '%s'", at(&p, snap, rel));
    assert_int_equal(system(cmd.ptr), 0);
    ra_buf_release(&p);
    ra_buf_release(&cmd);
}

/* ---- the image: infra-ci:latest, an OCI index over amd64 and arm64 -------------- */

struct image {
    char ca[65], la[65], a[65]; /* amd64: config, layer, manifest */
    char cb[65], lb[65], b[65]; /* arm64 */
    char idx[65];
};

static const char cfg_a[] = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{"
                            "\"type\":\"layers\",\"diff_ids\":[]}}";
static const char cfg_b[] = "{\"architecture\":\"arm64\",\"os\":\"linux\",\"rootfs\":{"
                            "\"type\":\"layers\",\"diff_ids\":[]}}";
static const char layer_a[] = "layer data amd64\n";
static const char layer_b[] = "layer data arm64\n";

static void manifest_json(struct ra_buf *j, const char *cfg, const char *layer)
{
    char ch[65], lh[65];

    fix_hex(ch, cfg, strlen(cfg));
    fix_hex(lh, layer, strlen(layer));
    ra_buf_truncate(j, 0);
    ra_buf_printf(
        j,
        "{\"schemaVersion\":2,\"mediaType\":\"" RA_MT_OCI_MANIFEST "\",\"config\":{"
        "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":"
        "\"sha256:%s\",\"size\":%zu},\"layers\":[{\"mediaType\":"
        "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:%s\","
        "\"size\":%zu}]}",
        ch, strlen(cfg), lh, strlen(layer));
}

/* Lay out the image as pushed; with gc_done, as Distribution 2.8 garbage-collect -m
 * left it at T_GC: children unlinked, their configs and layers deleted (the folders
 * they were deleted from dated T_GC), _layers links left dangling. */
/* Folder times: every folder T_DIRS; after the GC, the folders it deleted from T_GC.
 * Call again after changing the layout (new files and folders get the wall clock). */
static void retime(const char *snap, const struct image *x, int gc_done)
{
    all_dirs_at(snap, T_DIRS);
    if (gc_done) {
        blob_dir_at(snap, x->ca, T_GC);
        blob_dir_at(snap, x->la, T_GC);
        blob_dir_at(snap, x->cb, T_GC);
        blob_dir_at(snap, x->lb, T_GC);
        dir_at(snap, "repositories/" REPO "/_manifests/revisions/sha256", T_GC);
    }
}

static void lay_image(const char *snap, struct image *x, int gc_done)
{
    struct ra_buf ja = RA_BUF_INIT, jb = RA_BUF_INIT, ji = RA_BUF_INIT;
    const char *gone[4];
    size_t i;

    manifest_json(&ja, cfg_a, layer_a);
    manifest_json(&jb, cfg_b, layer_b);
    fix_hex(x->ca, cfg_a, strlen(cfg_a));
    fix_hex(x->la, layer_a, strlen(layer_a));
    fix_hex(x->cb, cfg_b, strlen(cfg_b));
    fix_hex(x->lb, layer_b, strlen(layer_b));
    fix_hex(x->a, ja.ptr, ja.len);
    fix_hex(x->b, jb.ptr, jb.len);
    ra_buf_printf(
        &ji,
        "{\"schemaVersion\":2,\"mediaType\":\"" RA_MT_OCI_INDEX "\",\"manifests\":["
        "{\"mediaType\":\"" RA_MT_OCI_MANIFEST "\",\"digest\":\"sha256:%s\","
        "\"size\":%zu,\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}},"
        "{\"mediaType\":\"" RA_MT_OCI_MANIFEST "\",\"digest\":\"sha256:%s\","
        "\"size\":%zu,\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}}]}",
        x->a, ja.len, x->b, jb.len);
    fix_hex(x->idx, ji.ptr, ji.len);
    gone[0] = x->ca, gone[1] = x->la, gone[2] = x->cb, gone[3] = x->lb;

    if (!gc_done) {
        put_data(snap, cfg_a, T_PUSH);
        put_data(snap, layer_a, T_PUSH);
        put_data(snap, cfg_b, T_PUSH);
        put_data(snap, layer_b, T_PUSH);
        revision_link(snap, REPO, x->a, T_PUSH + 60);
        revision_link(snap, REPO, x->b, T_PUSH + 60);
    }
    layer_link(snap, REPO, x->ca, T_PUSH);
    layer_link(snap, REPO, x->la, T_PUSH);
    layer_link(snap, REPO, x->cb, T_PUSH);
    layer_link(snap, REPO, x->lb, T_PUSH);
    put_data(snap, ja.ptr, T_PUSH + 60);
    put_data(snap, jb.ptr, T_PUSH + 60);
    put_data(snap, ji.ptr, T_PUSH + 120);
    revision_link(snap, REPO, x->idx, T_PUSH + 120);
    tag_link(snap, REPO, "latest", x->idx, T_PUSH + 120);
    if (gc_done) /* the emptied folders stay */
        for (i = 0; i < 4; i++)
            blob_dir_at(snap, gone[i], T_GC);
    retime(snap, x, gc_done);
    ra_buf_release(&ja);
    ra_buf_release(&jb);
    ra_buf_release(&ji);
}

/* ---- scans ------------------------------------------------------------------- */

struct fx {
    struct ra_scan *scans[4];
    size_t n;
    struct ra_losses *losses;
};

static int setup_group(void **state)
{
    (void)state;
    return fix_tmpdir_make(tmpdir);
}

static int teardown_group(void **state)
{
    (void)state;
    return fix_tmpdir_remove(tmpdir);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    *state = f;
    return f ? 0 : -1;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    char cmd[256];
    size_t i;

    ra_losses_free(f->losses);
    for (i = 0; i < f->n; i++)
        ra_scan_free(f->scans[i]);
    free(f);
    /* each test lays out its own snapshots */
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'/*", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void scan(struct fx *f, const char *snap)
{
    struct ra_vec specs = RA_VEC_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_snapshot_opts opts = RA_SNAPSHOT_OPTS_INIT;
    struct ra_buf p = RA_BUF_INIT;
    size_t i;

    ra_buf_printf(&p, "%s/%s", tmpdir, snap);
    assert_int_equal(ra_snapshot_expand(&specs, p.ptr, &err), 0);
    assert_int_equal(specs.len, 1);
    assert_int_equal(ra_scan_run(&f->scans[f->n], specs.items[0], &opts, &err), 0);
    assert_int_equal(err.code, 0);
    f->n++;
    for (i = 0; i < specs.len; i++)
        ra_snapshot_spec_free(specs.items[i]);
    ra_vec_release(&specs);
    ra_buf_release(&p);
}

static void find(struct fx *f)
{
    ra_losses_free(f->losses);
    ra_losses_find(&f->losses, f->scans, f->n);
    assert_non_null(f->losses);
}

static const struct ra_loss *loss(struct fx *f, size_t i)
{
    if (i >= f->losses->items.len)
        fail_msg("loss %zu of %zu", i, f->losses->items.len);
    return f->losses->items.items[i];
}

static void dump(struct fx *f)
{
    char d[RA_DIGEST_STRLEN], a[RA_TIME_STRLEN], b[RA_TIME_STRLEN];
    size_t i;

    for (i = 0; i < f->losses->items.len; i++) {
        const struct ra_loss *l = f->losses->items.items[i];
        print_message("  [%zu] %s repo='%s' %s tag=%s from=%s %s (%s) to=%s %s (%s)\n", i,
                      ra_object_kind_name(l->object), l->repository,
                      ra_digest_short(d, &l->digest), l->tag_name ? l->tag_name : "-",
                      ra_bound_kind_name(l->from.kind), ra_time_format(a, l->from.time),
                      l->from.evidence ? l->from.evidence : "-",
                      ra_bound_kind_name(l->to.kind), ra_time_format(b, l->to.time),
                      l->to.evidence ? l->to.evidence : "-");
    }
}

static void expect_count(struct fx *f, size_t n)
{
    if (f->losses->items.len != n) {
        dump(f);
        fail_msg("%zu losses, want %zu", f->losses->items.len, n);
    }
}

static void assert_hex(const struct ra_digest *d, const char *hex)
{
    char s[RA_DIGEST_STRLEN];

    assert_string_equal(ra_digest_format(s, d) + 7, hex);
}

static void assert_bound(const struct ra_bound *b, enum ra_bound_kind kind, ra_time t,
                         const char *evidence)
{
    char got[RA_TIME_STRLEN], want[RA_TIME_STRLEN];

    assert_string_equal(ra_bound_kind_name(b->kind), ra_bound_kind_name(kind));
    assert_string_equal(ra_time_format(got, b->time), ra_time_format(want, t));
    assert_int_equal(b->time, t);
    if (evidence)
        assert_string_equal(b->evidence, evidence);
    else
        assert_null(b->evidence);
}

static void assert_tags(const struct ra_loss *l, const char *one)
{
    assert_int_equal(l->tags.len, 1);
    assert_string_equal(((const struct ra_loss_tag *)l->tags.items[0])->ref, one);
}

/* Index of the loss of object kind obj with digest hex. */
static const struct ra_loss *loss_of(struct fx *f, enum ra_object_kind obj,
                                     const char *hex)
{
    char s[RA_DIGEST_STRLEN];
    size_t i;

    for (i = 0; i < f->losses->items.len; i++) {
        const struct ra_loss *l = f->losses->items.items[i];
        if (l->object == obj && !strcmp(ra_digest_format(s, &l->digest) + 7, hex))
            return l;
    }
    dump(f);
    fail_msg("no %s loss of %.12s", ra_object_kind_name(obj), hex);
    return NULL;
}

static const char *blob_folder(char out[64], const char *hex)
{
    snprintf(out, 64, RROOT "/blobs/sha256/%.2s", hex);
    return out;
}

#define REVS_FOLDER RROOT "/repositories/" REPO "/_manifests/revisions/sha256"

/* ---- tests ------------------------------------------------------------------- */

static void test_losses__time_macro_is_right(void **state)
{
    char s[RA_TIME_STRLEN];

    (void)state;
    assert_string_equal(ra_time_format(s, T_GC), "2026-04-12T03:25:00Z");
    assert_string_equal(ra_time_format(s, APR(13, 1, 0)), "2026-04-13T01:00:00Z");
}

static void test_losses__gc_between_two_snapshots(void **state)
{
    struct fx *f = *state;
    struct image x;
    const char *hexes[4];
    char folder[64];
    size_t i;

    lay_image(SNAP1, &x, 0);
    lay_image(SNAP2, &x, 1);
    scan(f, SNAP1);
    scan(f, SNAP2);
    assert_true(ra_snapshot_mtimes_trusted(f->scans[0]->snap, NULL));
    assert_true(ra_snapshot_mtimes_trusted(f->scans[1]->snap, NULL));
    find(f);
    assert_false(f->losses->mtimes_untrusted);
    assert_int_equal(f->losses->nscans, 2);
    expect_count(f, 6);

    /* blobs first ("" repository), by digest; then the two revision links */
    hexes[0] = x.ca, hexes[1] = x.la, hexes[2] = x.cb, hexes[3] = x.lb;
    for (i = 0; i < 4; i++) {
        const struct ra_loss *l = loss_of(f, RA_OBJ_BLOB, hexes[i]);
        assert_string_equal(l->root, RROOT);
        assert_string_equal(l->repository, "");
        assert_null(l->tag_name);
        assert_tags(l, REPO ":latest");
        assert_int_equal(l->first_missing, 1);
        assert_int_equal(l->last_present, 0);
        assert_bound(&l->from, RA_BOUND_SNAPSHOT, APR(12, 1, 0), SNAP1);
        /* the folder it was deleted from dates it to the second */
        assert_bound(&l->to, RA_BOUND_FOLDER_MTIME, T_GC, blob_folder(folder, hexes[i]));
        assert_false(l->child_blob_present);
    }
    for (i = 0; i < 4; i++) {
        const struct ra_loss *l = loss(f, i);
        assert_int_equal(l->object, RA_OBJ_BLOB);
        if (i)
            assert_true(ra_digest_cmp(&loss(f, i - 1)->digest, &l->digest) < 0);
    }
    for (i = 4; i < 6; i++) {
        const struct ra_loss *l = loss(f, i);
        assert_int_equal(l->object, RA_OBJ_MANIFEST_LINK);
        assert_string_equal(l->repository, REPO);
        assert_tags(l, REPO ":latest");
        assert_int_equal(l->first_missing, 1);
        assert_int_equal(l->last_present, 0);
        assert_true(l->child_blob_present);
        assert_bound(&l->from, RA_BOUND_SNAPSHOT, APR(12, 1, 0), SNAP1);
        assert_bound(&l->to, RA_BOUND_FOLDER_MTIME, T_GC, REVS_FOLDER);
    }
    assert_hex(&loss(f, 4)->digest, strcmp(x.a, x.b) < 0 ? x.a : x.b);
    assert_hex(&loss(f, 5)->digest, strcmp(x.a, x.b) < 0 ? x.b : x.a);
    assert_string_equal(ra_object_kind_name(RA_OBJ_MANIFEST_LINK), "manifest_link");
    assert_string_equal(ra_bound_kind_name(RA_BOUND_FOLDER_MTIME), "folder_mtime");
}

static void test_losses__scans_sorted_by_time_in_place(void **state)
{
    struct fx *f = *state;
    struct image x;

    lay_image(SNAP0, &x, 0);
    lay_image(SNAP1, &x, 0);
    lay_image(SNAP2, &x, 1);
    /* given newest first */
    scan(f, SNAP2);
    scan(f, SNAP0);
    scan(f, SNAP1);
    find(f);
    assert_string_equal(f->scans[0]->snap->name, SNAP0);
    assert_string_equal(f->scans[1]->snap->name, SNAP1);
    assert_string_equal(f->scans[2]->snap->name, SNAP2);
    assert_ptr_equal(f->losses->scans, f->scans);
    expect_count(f, 6);
    /* the latest earlier snapshot bounds the start */
    assert_int_equal(loss(f, 0)->first_missing, 2);
    assert_int_equal(loss(f, 0)->last_present, 1);
    assert_bound(&loss(f, 0)->from, RA_BOUND_SNAPSHOT, APR(12, 1, 0), SNAP1);
    assert_int_equal(loss(f, 5)->first_missing, 2);
    assert_int_equal(loss(f, 5)->last_present, 1);
}

static void test_losses__no_loss_while_intact(void **state)
{
    struct fx *f = *state;
    struct image x;

    lay_image(SNAP1, &x, 0);
    lay_image(SNAP2, &x, 0);
    scan(f, SNAP1);
    scan(f, SNAP2);
    find(f);
    expect_count(f, 0);
    assert_false(f->losses->mtimes_untrusted);
}

/* Content whose digest falls in folder blobs/sha256/<hh>. */
static void content_in(struct ra_buf *out, const char *hh)
{
    char hex[65];
    int i;

    for (i = 0; i < 100000; i++) {
        ra_buf_truncate(out, 0);
        ra_buf_printf(out, "another layer %d\n", i);
        fix_hex(hex, out->ptr, out->len);
        if (!memcmp(hex, hh, 2))
            return;
    }
    fail_msg("no content for folder %s", hh);
}

static void test_losses__folder_mtime_not_used_after_an_addition(void **state)
{
    struct fx *f = *state;
    struct image x;
    struct ra_buf other = RA_BUF_INIT, other2 = RA_BUF_INIT;
    char folder[64], hh[3];

    lay_image(SNAP1, &x, 0);
    lay_image(SNAP2, &x, 1);
    /* a blob pushed at 04:00 into the folder la was deleted from: the folder's mtime
     * dates that push, not the deletion */
    memcpy(hh, x.la, 2);
    hh[2] = '\0';
    content_in(&other, hh);
    put_data(SNAP2, other.ptr, APR(12, 4, 0));
    /* a blob added at exactly the folder's time also disqualifies it */
    memcpy(hh, x.lb, 2);
    content_in(&other2, hh);
    put_data(SNAP2, other2.ptr, T_GC);
    retime(SNAP2, &x, 1);
    blob_dir_at(SNAP2, x.la, APR(12, 4, 0));
    if (!memcmp(x.la, x.ca, 2) || !memcmp(x.lb, x.ca, 2) || !memcmp(x.la, x.cb, 2) ||
        !memcmp(x.lb, x.cb, 2))
        skip(); /* the configs share a folder with the layers: no clean case */

    scan(f, SNAP1);
    scan(f, SNAP2);
    find(f);
    expect_count(f, 6);
    assert_bound(&loss_of(f, RA_OBJ_BLOB, x.la)->to, RA_BOUND_SNAPSHOT, APR(13, 1, 0),
                 SNAP2);
    assert_bound(&loss_of(f, RA_OBJ_BLOB, x.lb)->to, RA_BOUND_SNAPSHOT, APR(13, 1, 0),
                 SNAP2);
    /* the other folders still date theirs */
    assert_bound(&loss_of(f, RA_OBJ_BLOB, x.ca)->to, RA_BOUND_FOLDER_MTIME, T_GC,
                 blob_folder(folder, x.ca));
    ra_buf_release(&other);
    ra_buf_release(&other2);
}

/* A Synology indexer made an @eaDir in a folder after the deletion: the folder's
 * mtime is that, not the deletion. One present in both snapshots changes nothing. */
static void put_eadir(const char *snap, const char *folder, ra_time t)
{
    struct ra_buf p = RA_BUF_INIT, rel = RA_BUF_INIT;

    ra_buf_printf(&rel, "%s/@eaDir/SYNO@.fileindexdb", folder);
    fix_write(at(&p, snap, rel.ptr), "x", 1, t);
    ra_buf_release(&p);
    ra_buf_release(&rel);
}

static void test_losses__folder_mtime_not_used_when_nas_metadata_moved_it(void **state)
{
    struct fx *f = *state;
    struct image x;
    char folder[64], la[16], ca[16];
    const struct ra_loss *l;

    lay_image(SNAP1, &x, 0);
    lay_image(SNAP2, &x, 1);
    if (!memcmp(x.la, x.ca, 2) || !memcmp(x.la, x.cb, 2) || !memcmp(x.la, x.lb, 2) ||
        !memcmp(x.ca, x.cb, 2) || !memcmp(x.ca, x.lb, 2))
        skip(); /* folders shared: no clean case */
    snprintf(la, sizeof(la), "blobs/sha256/%.2s", x.la);
    snprintf(ca, sizeof(ca), "blobs/sha256/%.2s", x.ca);
    put_eadir(SNAP2, la, APR(12, 4, 0)); /* new after SNAP1 */
    put_eadir(SNAP2, "repositories/" REPO "/_manifests/revisions/sha256", APR(12, 4, 0));
    put_eadir(SNAP1, ca, APR(6, 8, 0)); /* there before SNAP1 ... */
    put_eadir(SNAP2, ca, APR(6, 8, 0)); /* ... and still */
    retime(SNAP1, &x, 0);
    retime(SNAP2, &x, 1);
    blob_dir_at(SNAP2, x.la, APR(12, 4, 0)); /* the indexer's time, not the GC's */
    scan(f, SNAP1);
    scan(f, SNAP2);
    find(f);
    expect_count(f, 6);
    l = loss_of(f, RA_OBJ_BLOB, x.la);
    assert_bound(&l->to, RA_BOUND_SNAPSHOT, APR(13, 1, 0), SNAP2);
    assert_non_null(l->to_note);
    assert_non_null(strstr(l->to_note, "'@eaDir' appeared in "));
    assert_non_null(strstr(l->to_note, "after snapshot '" SNAP1 "'"));
    assert_non_null(strstr(l->to_note, "does not date the deletion"));
    /* a revisions folder with a new @eaDir at T_GC's own time is as unusable */
    l = loss_of(f, RA_OBJ_MANIFEST_LINK, x.a);
    assert_bound(&l->to, RA_BOUND_SNAPSHOT, APR(13, 1, 0), SNAP2);
    assert_non_null(l->to_note);
    /* unchanged metadata: the folder still dates the deletion */
    l = loss_of(f, RA_OBJ_BLOB, x.ca);
    assert_bound(&l->to, RA_BOUND_FOLDER_MTIME, T_GC, blob_folder(folder, x.ca));
    assert_null(l->to_note);
    /* and the metadata is no blob, link or tag in either snapshot */
    assert_int_equal(f->scans[1]->snap->meta.items[RA_META_EADIR], 3);
    assert_int_equal(f->scans[0]->snap->meta.items[RA_META_EADIR], 1);
}

static void test_losses__folder_mtime_outside_window_not_used(void **state)
{
    struct fx *f = *state;
    struct image x;

    lay_image(SNAP1, &x, 0);
    lay_image(SNAP2, &x, 1);
    /* a folder time before the window's start cannot date a deletion inside it */
    blob_dir_at(SNAP2, x.la, APR(11, 0, 0));
    dir_at(SNAP2, "repositories/" REPO "/_manifests/revisions/sha256", APR(12, 1, 0));
    scan(f, SNAP1);
    scan(f, SNAP2);
    find(f);
    if (!memcmp(x.la, x.ca, 2) || !memcmp(x.la, x.cb, 2) || !memcmp(x.la, x.lb, 2))
        skip();
    assert_bound(&loss_of(f, RA_OBJ_BLOB, x.la)->to, RA_BOUND_SNAPSHOT, APR(13, 1, 0),
                 SNAP2);
    /* t == from is not after it */
    assert_bound(&loss_of(f, RA_OBJ_MANIFEST_LINK, x.a)->to, RA_BOUND_SNAPSHOT,
                 APR(13, 1, 0), SNAP2);
}

static void test_losses__revision_added_after_disqualifies_folder(void **state)
{
    struct fx *f = *state;
    struct image x;
    char hex[65];

    lay_image(SNAP1, &x, 0);
    lay_image(SNAP2, &x, 1);
    /* a manifest pushed at 05:00 (its link), the folder dated by that push */
    put_data(SNAP2, "{\"schemaVersion\":2}", APR(12, 5, 0));
    fix_hex(hex, "{\"schemaVersion\":2}", 19);
    revision_link(SNAP2, REPO, hex, APR(12, 5, 0));
    retime(SNAP2, &x, 1);
    scan(f, SNAP1);
    scan(f, SNAP2);
    find(f);
    assert_bound(&loss_of(f, RA_OBJ_MANIFEST_LINK, x.a)->to, RA_BOUND_SNAPSHOT,
                 APR(13, 1, 0), SNAP2);
}

/* Without an earlier snapshot: a child's revision link is dated by its parent's push,
 * a blob of an unlinked child by its own _layers link. */
static void test_losses__first_snapshot_bounds_from_mtimes(void **state)
{
    struct fx *f = *state;
    struct image x;
    struct ra_buf p = RA_BUF_INIT;
    char hex_idx_link[512], layers_link[512];

    lay_image(SNAP2, &x, 1);
    scan(f, SNAP2);
    find(f);
    expect_count(f, 6);

    snprintf(hex_idx_link, sizeof(hex_idx_link),
             RROOT "/repositories/" REPO "/_manifests/revisions/sha256/%s/link", x.idx);
    assert_int_equal(loss_of(f, RA_OBJ_MANIFEST_LINK, x.a)->last_present, SIZE_MAX);
    assert_int_equal(loss_of(f, RA_OBJ_MANIFEST_LINK, x.a)->first_missing, 0);
    assert_bound(&loss_of(f, RA_OBJ_MANIFEST_LINK, x.a)->from, RA_BOUND_PARENT_PUSH,
                 T_PUSH + 120, hex_idx_link);
    assert_bound(&loss_of(f, RA_OBJ_MANIFEST_LINK, x.a)->to, RA_BOUND_FOLDER_MTIME, T_GC,
                 REVS_FOLDER);

    /* the config's parent (the child) has no revision link left: its own link */
    snprintf(layers_link, sizeof(layers_link),
             RROOT "/repositories/" REPO "/_layers/sha256/%s/link", x.ca);
    assert_int_equal(loss_of(f, RA_OBJ_BLOB, x.ca)->last_present, SIZE_MAX);
    assert_bound(&loss_of(f, RA_OBJ_BLOB, x.ca)->from, RA_BOUND_OWN_LINK, T_PUSH,
                 layers_link);
    ra_buf_release(&p);
}

static void test_losses__parent_push_bounds_a_lost_layer(void **state)
{
    struct fx *f = *state;
    struct image x;
    struct ra_buf p = RA_BUF_INIT, rel = RA_BUF_INIT;
    char want[512], folder[64];

    lay_image(SNAP2, &x, 0);
    /* la's data went missing; everything else intact */
    ra_buf_printf(&rel, "blobs/sha256/%.2s/%s", x.la, x.la);
    rm_rf(SNAP2, rel.ptr);
    retime(SNAP2, &x, 0);
    blob_dir_at(SNAP2, x.la, APR(12, 2, 0));
    scan(f, SNAP2);
    find(f);
    expect_count(f, 1);
    assert_int_equal(loss(f, 0)->object, RA_OBJ_BLOB);
    assert_hex(&loss(f, 0)->digest, x.la);
    assert_tags(loss(f, 0), REPO ":latest");
    snprintf(want, sizeof(want),
             RROOT "/repositories/" REPO "/_manifests/revisions/sha256/%s/link", x.a);
    assert_bound(&loss(f, 0)->from, RA_BOUND_PARENT_PUSH, T_PUSH + 60, want);
    if (!memcmp(x.la, x.ca, 2) || !memcmp(x.la, x.cb, 2) || !memcmp(x.la, x.lb, 2) ||
        !memcmp(x.la, x.a, 2) || !memcmp(x.la, x.b, 2) || !memcmp(x.la, x.idx, 2))
        skip();
    assert_bound(&loss(f, 0)->to, RA_BOUND_FOLDER_MTIME, APR(12, 2, 0),
                 blob_folder(folder, x.la));
    ra_buf_release(&p);
    ra_buf_release(&rel);
}

/* Every member and folder with the same mtime: a copy that did not keep times. */
static void flatten_times(const char *snap, ra_time t)
{
    char cmd[512];

    snprintf(cmd, sizeof(cmd), "find '%s/%s' -exec touch -h -d @%lld {} +", tmpdir, snap,
             (long long)t);
    assert_int_equal(system(cmd), 0);
}

static void test_losses__untrusted_mtimes_bound_nothing(void **state)
{
    struct fx *f = *state;
    struct image x;
    const char *why = NULL;

    lay_image(SNAP1, &x, 0);
    lay_image(SNAP2, &x, 1);
    flatten_times(SNAP2, APR(12, 23, 0));
    scan(f, SNAP1);
    scan(f, SNAP2);
    assert_false(ra_snapshot_mtimes_trusted(f->scans[1]->snap, &why));
    assert_string_equal(why,
                        "every member has the same mtime (copied without keeping times)");
    find(f);
    assert_true(f->losses->mtimes_untrusted);
    expect_count(f, 6);
    /* the folder times are not used: the windows end at the snapshot */
    assert_bound(&loss_of(f, RA_OBJ_BLOB, x.la)->to, RA_BOUND_SNAPSHOT, APR(13, 1, 0),
                 SNAP2);
    assert_bound(&loss_of(f, RA_OBJ_MANIFEST_LINK, x.a)->to, RA_BOUND_SNAPSHOT,
                 APR(13, 1, 0), SNAP2);
    assert_bound(&loss_of(f, RA_OBJ_BLOB, x.la)->from, RA_BOUND_SNAPSHOT, APR(12, 1, 0),
                 SNAP1);
}

static void test_losses__untrusted_single_snapshot_has_no_start(void **state)
{
    struct fx *f = *state;
    struct image x;

    lay_image(SNAP2, &x, 1);
    flatten_times(SNAP2, APR(12, 23, 0));
    scan(f, SNAP2);
    find(f);
    assert_true(f->losses->mtimes_untrusted);
    expect_count(f, 6);
    /* no parent_push, no own_link, no folder_mtime */
    assert_bound(&loss_of(f, RA_OBJ_MANIFEST_LINK, x.a)->from, RA_BOUND_NONE,
                 RA_TIME_NONE, NULL);
    assert_bound(&loss_of(f, RA_OBJ_BLOB, x.ca)->from, RA_BOUND_NONE, RA_TIME_NONE, NULL);
    assert_bound(&loss_of(f, RA_OBJ_BLOB, x.ca)->to, RA_BOUND_SNAPSHOT, APR(13, 1, 0),
                 SNAP2);
}

static void test_losses__mtimes_before_2000_untrusted(void **state)
{
    struct fx *f = *state;
    struct image x;
    const char *why = NULL;
    struct ra_buf p = RA_BUF_INIT;

    lay_image(SNAP2, &x, 1);
    /* one zeroed member is enough */
    fix_set_mtime(
        at(&p, SNAP2, "repositories/" REPO "/_manifests/tags/latest/current/link"), 0);
    scan(f, SNAP2);
    assert_false(ra_snapshot_mtimes_trusted(f->scans[0]->snap, &why));
    assert_string_equal(why, "member mtimes before 2000 (zeroed or reset times)");
    find(f);
    assert_true(f->losses->mtimes_untrusted);
    assert_bound(&loss_of(f, RA_OBJ_MANIFEST_LINK, x.a)->from, RA_BOUND_NONE,
                 RA_TIME_NONE, NULL);
    assert_bound(&loss_of(f, RA_OBJ_MANIFEST_LINK, x.a)->to, RA_BOUND_SNAPSHOT,
                 APR(13, 1, 0), SNAP2);
    ra_buf_release(&p);
}

static void test_losses__mtimes_after_snapshot_untrusted(void **state)
{
    struct fx *f = *state;
    struct image x;
    const char *why = NULL;
    struct ra_buf p = RA_BUF_INIT;

    lay_image(SNAP2, &x, 1);
    /* a member written a day and a second after the snapshot's stated time */
    fix_set_mtime(
        at(&p, SNAP2, "repositories/" REPO "/_manifests/tags/latest/current/link"),
        APR(14, 1, 0) + 1);
    scan(f, SNAP2);
    assert_false(ra_snapshot_mtimes_trusted(f->scans[0]->snap, &why));
    assert_string_equal(why, "member mtimes after the snapshot was taken");
    find(f);
    assert_true(f->losses->mtimes_untrusted);
    assert_bound(&loss_of(f, RA_OBJ_BLOB, x.ca)->from, RA_BOUND_NONE, RA_TIME_NONE, NULL);
    assert_bound(&loss_of(f, RA_OBJ_BLOB, x.ca)->to, RA_BOUND_SNAPSHOT, APR(13, 1, 0),
                 SNAP2);
    ra_buf_release(&p);
}

static void test_losses__mtimes_trusted_rules(void **state)
{
    struct ra_snapshot s;
    const char *why = "unset";

    (void)state;
    memset(&s, 0, sizeof(s));
    s.entries = 10;
    s.taken_at = APR(13, 1, 0);
    s.taken_source = RA_TAKEN_NAME;
    s.oldest_mtime = APR(6, 8, 0);
    s.newest_mtime = APR(12, 3, 25);
    assert_true(ra_snapshot_mtimes_trusted(&s, &why));
    assert_null(why);
    assert_true(ra_snapshot_mtimes_trusted(&s, NULL));

    /* up to a day after the stated time is clock skew, not a copy */
    s.newest_mtime = s.taken_at + DAY;
    assert_true(ra_snapshot_mtimes_trusted(&s, &why));
    s.newest_mtime = s.taken_at + DAY + 1;
    assert_false(ra_snapshot_mtimes_trusted(&s, &why));
    assert_string_equal(why, "member mtimes after the snapshot was taken");
    /* a time taken from the newest mtime cannot be exceeded by it */
    s.taken_source = RA_TAKEN_MTIME;
    assert_true(ra_snapshot_mtimes_trusted(&s, &why));
    s.taken_source = RA_TAKEN_EXPLICIT;
    assert_false(ra_snapshot_mtimes_trusted(&s, NULL));
    s.taken_at = RA_TIME_NONE;
    s.taken_source = RA_TAKEN_UNKNOWN;
    assert_true(ra_snapshot_mtimes_trusted(&s, NULL));

    s.taken_at = APR(13, 1, 0);
    s.taken_source = RA_TAKEN_NAME;
    s.newest_mtime = s.oldest_mtime = APR(12, 0, 0);
    assert_false(ra_snapshot_mtimes_trusted(&s, &why));
    assert_string_equal(why,
                        "every member has the same mtime (copied without keeping times)");
    s.entries = 1; /* one member: nothing to compare */
    assert_true(ra_snapshot_mtimes_trusted(&s, NULL));

    s.entries = 10;
    s.oldest_mtime = 946684799; /* 1999-12-31T23:59:59Z */
    assert_false(ra_snapshot_mtimes_trusted(&s, &why));
    assert_string_equal(why, "member mtimes before 2000 (zeroed or reset times)");
    s.oldest_mtime = 946684800;
    assert_true(ra_snapshot_mtimes_trusted(&s, NULL));

    s.newest_mtime = s.oldest_mtime = RA_TIME_NONE;
    assert_false(ra_snapshot_mtimes_trusted(&s, &why));
    assert_string_equal(why, "the snapshot carries no member times");
}

/* tools/kubectl:v1 and :v2 -> one image; between the snapshots v1's folder is removed
 * (rm -rf) and v2 loses its current/link. */
static void lay_tags(const char *snap, int pruned)
{
    char cfg[65], layer[65], m[65];
    struct ra_buf j = RA_BUF_INIT;
    const char *repo = "tools/kubectl";

    manifest_json(&j, cfg_a, layer_a);
    fix_hex(cfg, cfg_a, strlen(cfg_a));
    fix_hex(layer, layer_a, strlen(layer_a));
    fix_hex(m, j.ptr, j.len);
    put_data(snap, cfg_a, T_PUSH);
    put_data(snap, layer_a, T_PUSH);
    put_data(snap, j.ptr, T_PUSH);
    layer_link(snap, repo, cfg, T_PUSH);
    layer_link(snap, repo, layer, T_PUSH);
    revision_link(snap, repo, m, T_PUSH);
    tag_link(snap, repo, "v0", m, T_PUSH);
    tag_link(snap, repo, "v1", m, T_PUSH);
    tag_link(snap, repo, "v2", m, T_PUSH);
    if (pruned) {
        rm_rf(snap, "repositories/tools/kubectl/_manifests/tags/v1");
        rm_rf(snap, "repositories/tools/kubectl/_manifests/tags/v2/current");
    }
    all_dirs_at(snap, T_DIRS);
    ra_buf_release(&j);
}

static void test_losses__tag_losses(void **state)
{
    struct fx *f = *state;
    const struct ra_loss *l;
    size_t i;

    lay_tags(SNAP1, 0);
    lay_tags(SNAP2, 1);
    scan(f, SNAP1);
    scan(f, SNAP2);
    find(f);
    expect_count(f, 2);
    for (i = 0; i < 2; i++) {
        l = loss(f, i);
        assert_int_equal(l->object, RA_OBJ_TAG);
        assert_string_equal(l->root, RROOT);
        assert_string_equal(l->repository, "tools/kubectl");
        assert_true(ra_digest_is_zero(&l->digest));
        assert_int_equal(l->first_missing, 1);
        assert_int_equal(l->last_present, 0);
        assert_bound(&l->from, RA_BOUND_SNAPSHOT, APR(12, 1, 0), SNAP1);
        assert_bound(&l->to, RA_BOUND_SNAPSHOT, APR(13, 1, 0), SNAP2);
    }
    /* sorted by tag name; the folder-gone and the link-gone tag alike, each once */
    assert_string_equal(loss(f, 0)->tag_name, "v1");
    assert_tags(loss(f, 0), "tools/kubectl:v1");
    assert_string_equal(loss(f, 1)->tag_name, "v2");
    assert_tags(loss(f, 1), "tools/kubectl:v2");
    assert_string_equal(ra_object_kind_name(RA_OBJ_TAG), "tag");
}

static void test_losses__tag_loss_in_first_snapshot(void **state)
{
    struct fx *f = *state;

    lay_tags(SNAP2, 1);
    scan(f, SNAP2);
    find(f);
    /* a folder that is gone leaves no trace in a lone snapshot; a tag folder without
     * its current link does */
    expect_count(f, 1);
    assert_int_equal(loss(f, 0)->object, RA_OBJ_TAG);
    assert_string_equal(loss(f, 0)->tag_name, "v2");
    assert_int_equal(loss(f, 0)->last_present, SIZE_MAX);
    assert_bound(&loss(f, 0)->from, RA_BOUND_NONE, RA_TIME_NONE, NULL);
    assert_bound(&loss(f, 0)->to, RA_BOUND_SNAPSHOT, APR(13, 1, 0), SNAP2);
}

static void test_losses__names(void **state)
{
    (void)state;
    assert_string_equal(ra_object_kind_name(RA_OBJ_BLOB), "blob");
    assert_string_equal(ra_object_kind_name(RA_OBJ_LAYER_LINK), "layer_link");
    assert_string_equal(ra_object_kind_name((enum ra_object_kind)99), "");
    assert_string_equal(ra_bound_kind_name(RA_BOUND_NONE), "none");
    assert_string_equal(ra_bound_kind_name(RA_BOUND_SNAPSHOT), "snapshot");
    assert_string_equal(ra_bound_kind_name(RA_BOUND_PARENT_PUSH), "parent_push");
    assert_string_equal(ra_bound_kind_name(RA_BOUND_OWN_LINK), "own_link");
    assert_string_equal(ra_bound_kind_name(RA_BOUND_LOG), "log");
    assert_string_equal(ra_bound_kind_name((enum ra_bound_kind)99), "");
}

/* ---- the first 404, found once ------------------------------------------------ */

#define HEX_L "73af0327d64073e6c559e87a149b95d298e958f6bd6ea424cc7a4313a761fb26"
#define HEX_M "b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"

/* A log file tmpdir/<name> with text; the caller frees it. */
static struct ra_log *log_of(const char *name, const char *text, ra_time day)
{
    struct ra_buf path = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_log *log = NULL;
    FILE *f;

    ra_buf_printf(&path, "%s/%s", tmpdir, name);
    assert_non_null(f = fopen(path.ptr, "wb"));
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
    assert_int_equal(ra_log_read(&log, path.ptr, day, &err), 0);
    ra_buf_release(&path);
    return log;
}

static struct ra_loss *hand_loss(struct ra_losses *ls, enum ra_object_kind kind,
                                 const char *repo, const char *hex)
{
    struct ra_loss *l = ra_pool_alloc(&ls->pool, sizeof(*l));

    l->object = kind;
    l->root = "";
    l->repository = repo;
    if (hex)
        assert_int_equal(ra_digest_from_hex(&l->digest, hex, 64), 0);
    l->tag_name = kind == RA_OBJ_TAG ? "latest" : NULL;
    l->from = (struct ra_bound){APR(11, 1, 0), RA_BOUND_SNAPSHOT, SNAP0};
    l->to = (struct ra_bound){APR(12, 1, 0), RA_BOUND_SNAPSHOT, SNAP1};
    ra_vec_push(&ls->items, l);
    return l;
}

static void assert_first_404(const struct ra_loss *l, ra_time t, const char *log,
                             unsigned line)
{
    struct ra_buf ev = RA_BUF_INIT;

    ra_buf_printf(&ev, "%s/%s:%u", tmpdir, log, line);
    assert_non_null(l->first_404_event);
    assert_int_equal(l->first_404_event->line, line);
    assert_string_equal(ra_bound_kind_name(l->first_404.kind), "log");
    assert_int_equal(l->first_404.time, t);
    assert_string_equal(l->first_404.evidence, ev.ptr);
    assert_string_equal(l->first_404_log + strlen(tmpdir) + 1, log);
    ra_buf_release(&ev);
}

#define ACCESS(day, hms, repo, hex, status)                                              \
    "10.0.0.7 - - [" day "/Apr/2026:" hms " +0000] \"GET /v2/" repo "/blobs/sha256:" hex \
    " HTTP/1.1\" " status " 3 \"\" \"docker\"\n"

/* One rule: per log the first 404 for the digest (a link's in its repository, blob
 * data's in any), the earliest across logs; it ends the window only when exact and
 * inside it. Readers (timeline, post-mortem) take it from the loss. */
static void test_losses__first_404_found_once_as_a_bound(void **state)
{
    struct ra_losses ls = {0};
    struct ra_log *logs[3];
    struct ra_loss *blob, *link, *early, *dayonly, *tag;

    (void)state;
    logs[0] = log_of(
        "a.log",
        ACCESS("11", "00:30:00", "other", HEX_M, "404") /* before `from`: no bound */
        ACCESS("11", "09:00:00", "other", HEX_L, "404") /* blob: any repository */
        ACCESS("11", "09:30:00", "infra-ci", HEX_L, "200")
            ACCESS("11", "10:00:00", "infra-ci", HEX_L, "404"), /* the link's */
        RA_TIME_NONE);
    logs[1] =
        log_of("b.log",
               ACCESS("11", "08:00:00", "infra-ci", HEX_L, "404") /* earlier: wins */
               ACCESS("12", "00:30:00", "infra-ci", HEX_L, "404"),
               RA_TIME_NONE);
    logs[2] =
        log_of("2026-04-11.log",
               "level=error msg=\"response completed with error\" "
               "http.request.method=GET http.request.uri=\"/v2/x/blobs/sha256:" HEX_M
               "\" http.response.status=404\n",
               APR(11, 0, 0));
    blob = hand_loss(&ls, RA_OBJ_BLOB, "", HEX_L);
    link = hand_loss(&ls, RA_OBJ_MANIFEST_LINK, "other", HEX_L);
    early = hand_loss(&ls, RA_OBJ_LAYER_LINK, "other", HEX_M);
    dayonly = hand_loss(&ls, RA_OBJ_LAYER_LINK, "x", HEX_M);
    tag = hand_loss(&ls, RA_OBJ_TAG, REPO, NULL);

    ra_losses_narrow_by_logs(&ls, logs, 3);

    /* blob data: b.log's 08:00 (infra-ci) beats a.log's 09:00 (other) */
    assert_first_404(blob, APR(11, 8, 0), "b.log", 1);
    assert_int_equal(blob->to.time, APR(11, 8, 0));
    assert_string_equal(blob->to.evidence, blob->first_404.evidence);
    /* a link in 'other': only requests in 'other' count */
    assert_first_404(link, APR(11, 9, 0), "a.log", 2);
    assert_int_equal(link->to.time, APR(11, 9, 0));
    /* before the window: kept as the first 404, but bounds nothing */
    assert_first_404(early, APR(11, 0, 30), "a.log", 1);
    assert_string_equal(ra_bound_kind_name(early->to.kind), "snapshot");
    assert_int_equal(early->to.time, APR(12, 1, 0));
    /* a time from the file name (a day) is a first 404, not a bound */
    assert_first_404(dayonly, APR(11, 0, 0), "2026-04-11.log", 1);
    assert_false(dayonly->first_404_event->time_exact);
    assert_string_equal(ra_bound_kind_name(dayonly->to.kind), "snapshot");
    /* a tag has no 404 */
    assert_null(tag->first_404_event);
    assert_int_equal(tag->first_404.time, RA_TIME_NONE);
    /* the earliest of all, the first loss on a tie */
    assert_ptr_equal(ra_losses_first_404(&ls), dayonly);

    ra_log_free(logs[0]);
    ra_log_free(logs[1]);
    ra_log_free(logs[2]);
    ra_vec_release(&ls.items);
    ra_pool_release(&ls.pool);
}

static void test_losses__no_logs_no_first_404(void **state)
{
    struct ra_losses ls = {0};
    struct ra_loss *l;

    (void)state;
    l = hand_loss(&ls, RA_OBJ_BLOB, "", HEX_L);
    ra_losses_narrow_by_logs(&ls, NULL, 0);
    assert_null(l->first_404_event);
    assert_null(ra_losses_first_404(&ls));
    assert_int_equal(l->to.time, APR(12, 1, 0));
    ra_vec_release(&ls.items);
    ra_pool_release(&ls.pool);
}

#define T(name) cmocka_unit_test_setup_teardown(test_losses__##name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(time_macro_is_right),
        T(gc_between_two_snapshots),
        T(scans_sorted_by_time_in_place),
        T(no_loss_while_intact),
        T(folder_mtime_not_used_after_an_addition),
        T(folder_mtime_outside_window_not_used),
        T(revision_added_after_disqualifies_folder),
        T(first_snapshot_bounds_from_mtimes),
        T(parent_push_bounds_a_lost_layer),
        T(untrusted_mtimes_bound_nothing),
        T(untrusted_single_snapshot_has_no_start),
        T(mtimes_before_2000_untrusted),
        T(mtimes_after_snapshot_untrusted),
        T(mtimes_trusted_rules),
        T(tag_losses),
        T(tag_loss_in_first_snapshot),
        T(names),
        T(folder_mtime_not_used_when_nas_metadata_moved_it),
        T(first_404_found_once_as_a_bound),
        T(no_logs_no_first_404),
    };

    return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
