/* SPDX-License-Identifier: MIT */
/* ingest/snapshot: argument expansion (@time, Synology folders), several registry roots
 * in one snapshot, snapshot time from the name or the newest mtime, blob hashing. */

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

#include "ingest/snapshot.h"
#include "model/graph.h"
#include "util/buf.h"
#include "util/sha256.h"

#include "fixture.h"

static char tmpdir[] = "/tmp/ra-test-snapshot-XXXXXX";

static void put_tag(const char *root, const char *repo, const char *tag, const char *hex,
                    time_t mtime)
{
    struct ra_buf p = RA_BUF_INIT;

    ra_buf_printf(&p, "%s/repositories/%s/_manifests/tags/%s/current/link", root, repo,
                  tag);
    fix_disk_link(p.ptr, hex, mtime);
    ra_buf_truncate(&p, 0);
    ra_buf_printf(&p, "%s/repositories/%s/_manifests/revisions/sha256/%s/link", root,
                  repo, hex);
    fix_disk_link(p.ptr, hex, mtime);
    ra_buf_release(&p);
}

static int setup(void **state)
{
    (void)state;
    return fix_tmpdir_make(tmpdir);
}

static int teardown(void **state)
{
    (void)state;
    return fix_tmpdir_remove(tmpdir);
}

static void free_specs(struct ra_vec *v)
{
    size_t i;

    for (i = 0; i < v->len; i++)
        ra_snapshot_spec_free(v->items[i]);
    ra_vec_release(v);
}

static void test_snapshot__explicit_time_suffix(void **state)
{
    struct ra_vec specs = RA_VEC_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_buf arg = RA_BUF_INIT;
    const struct ra_snapshot_spec *s;

    (void)state;
    ra_buf_printf(&arg, "%s/plain", tmpdir);
    fix_mkdirs(arg.ptr);
    ra_buf_puts(&arg, "@2026-04-12T01:00Z");
    assert_int_equal(ra_snapshot_expand(&specs, arg.ptr, &err), 0);
    assert_int_equal(specs.len, 1);
    s = specs.items[0];
    assert_int_equal(s->taken_source, RA_TAKEN_EXPLICIT);
    assert_int_equal(s->taken_at, 1775955600); /* 2026-04-12T01:00:00Z */
    assert_string_equal(s->name, "plain");
    free_specs(&specs);
    ra_buf_release(&arg);
}

static void test_snapshot__missing_path(void **state)
{
    struct ra_vec specs = RA_VEC_INIT;
    struct ra_err err = RA_ERR_INIT;

    (void)state;
    assert_int_equal(ra_snapshot_expand(&specs, "/nonexistent/x.tar@2026-04-12", &err),
                     RA_ENOTFOUND);
    assert_int_equal(err.code, RA_ENOTFOUND);
    assert_non_null(strstr(err.msg, "'/nonexistent/x.tar': no such file"));
    assert_int_equal(specs.len, 0);
    free_specs(&specs);
}

static void test_snapshot__synology_folders_oldest_first(void **state)
{
    struct ra_vec specs = RA_VEC_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_buf d = RA_BUF_INIT;
    const struct ra_snapshot_spec *a, *b;

    (void)state;
    ra_buf_printf(&d, "%s/syno/#snapshot/GMT+00_2026.04.13-01.00", tmpdir);
    fix_mkdirs(d.ptr);
    ra_buf_truncate(&d, 0);
    ra_buf_printf(&d, "%s/syno/#snapshot/GMT+02_2026.04.12-03.00", tmpdir);
    fix_mkdirs(d.ptr);
    ra_buf_truncate(&d, 0);
    ra_buf_printf(&d, "%s/syno/#snapshot/not-a-snapshot", tmpdir);
    fix_mkdirs(d.ptr);
    ra_buf_truncate(&d, 0);
    ra_buf_printf(&d, "%s/syno/#snapshot", tmpdir);
    assert_int_equal(ra_snapshot_expand(&specs, d.ptr, &err), 0);
    assert_int_equal(specs.len, 2);
    a = specs.items[0];
    b = specs.items[1];
    assert_string_equal(a->name, "GMT+02_2026.04.12-03.00");
    assert_int_equal(a->taken_at, 1775955600); /* 03:00 at +02 = 01:00Z */
    assert_int_equal(a->taken_source, RA_TAKEN_NAME);
    assert_string_equal(b->name, "GMT+00_2026.04.13-01.00");
    assert_int_equal(b->taken_at, 1775955600 + 86400);
    free_specs(&specs);
    ra_buf_release(&d);
}

static const char image_manifest[] =
    "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
    "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
    "\"digest\":\"sha256:%s\",\"size\":%zu},\"layers\":[]}";

/* Two registry roots in one directory snapshot, no date in its name. */
static void test_snapshot__two_roots_and_mtime_time(void **state)
{
    struct ra_vec specs = RA_VEC_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_snapshot_opts opts = RA_SNAPSHOT_OPTS_INIT;
    struct ra_snapshot *snap = NULL;
    struct ra_buf root = RA_BUF_INIT, m = RA_BUF_INIT, dir = RA_BUF_INIT;
    const char *cfg = "{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}";
    char chex[65], mhex[65];
    const struct ra_graph *g;
    const struct ra_blob *b;
    struct ra_digest d;

    (void)state;
    ra_buf_printf(&dir, "%s/copy", tmpdir);
    ra_buf_printf(&root, "%s/srv/a/docker/registry/v2", dir.ptr);
    fix_disk_blob(chex, root.ptr, cfg, strlen(cfg), 1775900000);
    ra_buf_printf(&m, image_manifest, chex, strlen(cfg));
    fix_disk_blob(mhex, root.ptr, m.ptr, m.len, 1775900100);
    put_tag(root.ptr, "tools/kubectl", "1.29", mhex, 1775900200);
    ra_buf_truncate(&root, 0);
    ra_buf_printf(&root, "%s/srv/b/docker/registry/v2", dir.ptr);
    fix_disk_blob(chex, root.ptr, "not json", 8, 1775900300);

    assert_int_equal(ra_snapshot_expand(&specs, dir.ptr, &err), 0);
    assert_int_equal(ra_snapshot_load(&snap, specs.items[0], &opts, &err), 0);
    assert_int_equal(snap->complete, 1);
    assert_int_equal(snap->taken_source, RA_TAKEN_MTIME);
    assert_int_equal(snap->taken_at, snap->newest_mtime);
    assert_int_equal(snap->graphs.len, 2);
    g = snap->graphs.items[0];
    assert_string_equal(g->root, "srv/a/docker/registry/v2");
    assert_int_equal(g->repos.count, 1);
    assert_non_null(ra_map_gets(&g->repos, "tools/kubectl"));
    assert_int_equal(ra_digest_from_hex(&d, mhex, 64), 0);
    assert_non_null(b = ra_graph_find_blob(g, &d));
    assert_int_equal(b->hash, RA_HASH_OK); /* JSON blobs are always hashed */
    assert_non_null(b->manifest);
    assert_int_equal(b->manifest->kind, RA_MANIFEST_IMAGE);
    g = snap->graphs.items[1];
    assert_string_equal(g->root, "srv/b/docker/registry/v2");
    assert_int_equal(ra_digest_from_hex(&d, chex, 64), 0);
    assert_non_null(b = ra_graph_find_blob(g, &d));
    assert_int_equal(b->present, 1);
    assert_int_equal(b->size, 8);
    assert_int_equal(b->hash, RA_HASH_UNKNOWN); /* not JSON, no --verify: not read */
    ra_snapshot_free(snap);
    free_specs(&specs);
    ra_buf_release(&root);
    ra_buf_release(&m);
    ra_buf_release(&dir);
}

/* --verify hashes every blob; a blob whose bytes changed is a mismatch. */
static void test_snapshot__verify_finds_flipped_blob(void **state)
{
    struct ra_vec specs = RA_VEC_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_snapshot_opts opts = RA_SNAPSHOT_OPTS_INIT;
    struct ra_snapshot *snap = NULL;
    struct ra_buf root = RA_BUF_INIT, p = RA_BUF_INIT;
    char good[65], bad[65];
    const struct ra_graph *g;
    const struct ra_blob *b;
    struct ra_digest d;

    (void)state;
    ra_buf_printf(&root, "%s/verify/docker/registry/v2", tmpdir);
    fix_disk_blob(good, root.ptr, "layer-bytes-1", 13, 1775900000);
    fix_disk_blob(bad, root.ptr, "layer-bytes-2", 13, 1775900000);
    ra_buf_printf(&p, "%s/blobs/sha256/%.2s/%s/data", root.ptr, bad, bad);
    fix_write(p.ptr, "layer-bytes-X", 13, 1775900000);

    ra_buf_truncate(&p, 0);
    ra_buf_printf(&p, "%s/verify", tmpdir);
    opts.verify = 1;
    assert_int_equal(ra_snapshot_expand(&specs, p.ptr, &err), 0);
    assert_int_equal(ra_snapshot_load(&snap, specs.items[0], &opts, &err), 0);
    assert_int_equal(snap->graphs.len, 1);
    g = snap->graphs.items[0];
    ra_digest_from_hex(&d, good, 64);
    assert_non_null(b = ra_graph_find_blob(g, &d));
    assert_int_equal(b->hash, RA_HASH_OK);
    ra_digest_from_hex(&d, bad, 64);
    assert_non_null(b = ra_graph_find_blob(g, &d));
    assert_int_equal(b->hash, RA_HASH_MISMATCH);
    ra_sha256_buf(d.b, "layer-bytes-X", 13);
    assert_int_equal(ra_digest_cmp(&b->actual, &d), 0);
    ra_snapshot_free(snap);
    free_specs(&specs);
    ra_buf_release(&root);
    ra_buf_release(&p);
}

/* A Synology share: metadata in the registry's folders, a recycle bin with one good and
 * one damaged blob, a #snapshot folder. Read as a directory and as a tar of it, the
 * same: metadata counted once per item, never a tag, repository, upload or blob. */
static void load_share(struct ra_snapshot **out, const char *path)
{
    struct ra_vec specs = RA_VEC_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_snapshot_opts opts = RA_SNAPSHOT_OPTS_INIT;

    assert_int_equal(ra_snapshot_expand(&specs, path, &err), 0);
    assert_int_equal(specs.len, 1);
    assert_int_equal(ra_snapshot_load(out, specs.items[0], &opts, &err), 0);
    free_specs(&specs);
}

static void check_share(const struct ra_snapshot *snap, const char *lhex, const char *bad)
{
    const struct ra_graph *g;
    const struct ra_repo *r;
    const struct ra_recycled_blob *rb;
    const struct ra_meta_item *m;
    struct ra_digest d;

    assert_int_equal(snap->graphs.len, 1); /* #recycle and #snapshot are no roots */
    g = snap->graphs.items[0];
    assert_string_equal(g->root, "docker/registry/v2");
    assert_int_equal(g->repos.count, 1);
    assert_non_null(r = ra_map_gets(&g->repos, "app"));
    assert_int_equal(r->tags.count, 1);
    assert_non_null(ra_map_gets(&r->tags, "1"));
    assert_int_equal(r->uploads.count, 0);
    assert_int_equal(g->blobs.count, 1);
    assert_int_equal(snap->meta.items[RA_META_EADIR], 3);
    assert_int_equal(snap->meta.items[RA_META_RECYCLE], 1);
    assert_int_equal(snap->meta.items[RA_META_SNAPSHOT], 1);
    assert_int_equal(snap->meta.items[RA_META_DS_STORE], 1);
    assert_int_equal(snap->meta.items[RA_META_APPLEDOUBLE], 1);
    assert_int_equal(snap->meta.total, 7);
    assert_string_equal(snap->meta.example[RA_META_EADIR],
                        "docker/registry/v2/blobs/sha256/@eaDir");
    /* the tags folder's items, for gc-sim: a folder and a file */
    m = ra_graph_meta_in(g, "repositories/app/_manifests/tags");
    assert_non_null(m);
    assert_non_null(m->next_in_dir);
    assert_null(m->next_in_dir->next_in_dir);
    assert_int_equal(!strcmp(m->name, "@eaDir") ? m->is_dir : m->next_in_dir->is_dir, 1);
    assert_int_equal(!strcmp(m->name, ".DS_Store") ? m->is_dir : m->next_in_dir->is_dir,
                     0);
    /* the recycle bin: both copies found, only the good one verified */
    assert_int_equal(snap->recycled.len, 2);
    ra_digest_from_hex(&d, lhex, 64);
    rb = snap->recycled.items
             [ra_digest_cmp(
                  &((const struct ra_recycled_blob *)snap->recycled.items[0])->digest, &d)
                  ? 1
                  : 0];
    assert_int_equal(ra_digest_cmp(&rb->digest, &d), 0);
    assert_int_equal(rb->verified, 1);
    assert_int_equal(rb->size, 13);
    assert_non_null(strstr(rb->path, "#recycle/docker/registry/v2/blobs/sha256/"));
    ra_digest_from_hex(&d, bad, 64);
    rb = snap->recycled.items[rb == snap->recycled.items[0] ? 1 : 0];
    assert_int_equal(ra_digest_cmp(&rb->digest, &d), 0);
    assert_int_equal(rb->verified, 0);
}

static void test_snapshot__synology_share_metadata(void **state)
{
    struct ra_snapshot *snap = NULL;
    struct ra_buf share = RA_BUF_INIT, root = RA_BUF_INIT, p = RA_BUF_INIT;
    char hex[65], lhex[65], bad[65];
    static const char *const meta[] = {
        "docker/registry/v2/repositories/app/_manifests/tags/@eaDir/SYNO@.fileindexdb",
        "docker/registry/v2/repositories/app/_manifests/tags/.DS_Store",
        "docker/registry/v2/repositories/app/_uploads/@eaDir/_uploads@SynoEAStream",
        "docker/registry/v2/blobs/sha256/@eaDir/sha256@SynoEAStream",
        "docker/registry/v2/blobs/._sha256",
        "#snapshot/GMT+00_2026.04.12-01.00/docker/registry/v2/repositories/old/"
        "_manifests/tags/x/current/link",
    };
    size_t i;

    (void)state;
    ra_buf_printf(&share, "%s/share", tmpdir);
    ra_buf_printf(&root, "%s/docker/registry/v2", share.ptr);
    fix_disk_blob(hex, root.ptr, "{\"schemaVersion\":2}", 19, 1775900100);
    put_tag(root.ptr, "app", "1", hex, 1775900200);
    for (i = 0; i < RA_ARRAY_SIZE(meta); i++) {
        ra_buf_truncate(&p, 0);
        ra_buf_printf(&p, "%s/%s", share.ptr, meta[i]);
        fix_write(p.ptr, "syno", 4, 1775999999);
    }
    ra_buf_truncate(&root, 0);
    ra_buf_printf(&root, "%s/#recycle/docker/registry/v2", share.ptr);
    fix_disk_blob(lhex, root.ptr, "layer-bytes-1", 13, 1775800000);
    fix_disk_blob(bad, root.ptr, "layer-bytes-2", 13, 1775800000);
    ra_buf_truncate(&p, 0);
    ra_buf_printf(&p, "%s/blobs/sha256/%.2s/%s/data", root.ptr, bad, bad);
    fix_write(p.ptr, "layer-bytes-X", 13, 1775800000);

    load_share(&snap, share.ptr);
    check_share(snap, lhex, bad);
    ra_snapshot_free(snap);

    ra_buf_truncate(&p, 0);
    ra_buf_printf(&p, "tar -C '%s' --sort=name -cf '%s/share.tar' .", share.ptr, tmpdir);
    assert_int_equal(system(p.ptr), 0);
    ra_buf_truncate(&p, 0);
    ra_buf_printf(&p, "%s/share.tar", tmpdir);
    load_share(&snap, p.ptr);
    check_share(snap, lhex, bad);
    ra_snapshot_free(snap);
    ra_buf_release(&share);
    ra_buf_release(&root);
    ra_buf_release(&p);
}

/* tar -r appends a second copy of a member: the later copy is read (the blob hashes
 * right), and the graph notes where both were. */
static void test_snapshot__duplicate_member_last_copy_read(void **state)
{
    struct ra_vec specs = RA_VEC_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_snapshot_opts opts = RA_SNAPSHOT_OPTS_INIT;
    struct ra_snapshot *snap = NULL;
    struct ra_buf root = RA_BUF_INIT, p = RA_BUF_INIT, cmd = RA_BUF_INIT;
    const struct ra_dup_member *dup;
    const struct ra_graph *g;
    const struct ra_blob *b;
    struct ra_digest d;
    char hex[65];

    (void)state;
    ra_buf_printf(&root, "%s/dup/docker/registry/v2", tmpdir);
    fix_disk_blob(hex, root.ptr, "the right bytes", 15, 1775900000);
    ra_buf_printf(&p, "%s/blobs/sha256/%.2s/%s/data", root.ptr, hex, hex);
    fix_write(p.ptr, "the wrong bytes", 15, 1775900000);
    ra_buf_printf(
        &cmd,
        "cd '%s/dup' && tar -cf ../dup.tar docker && "
        "printf 'the right bytes' > 'docker/registry/v2/blobs/sha256/%.2s/%s/data' && "
        "tar -rf ../dup.tar docker/registry/v2/blobs",
        tmpdir, hex, hex);
    assert_int_equal(system(cmd.ptr), 0);
    ra_buf_truncate(&p, 0);
    ra_buf_printf(&p, "%s/dup.tar", tmpdir);
    opts.verify = 1;
    assert_int_equal(ra_snapshot_expand(&specs, p.ptr, &err), 0);
    assert_int_equal(ra_snapshot_load(&snap, specs.items[0], &opts, &err), 0);
    g = snap->graphs.items[0];
    ra_digest_from_hex(&d, hex, 64);
    assert_non_null(b = ra_graph_find_blob(g, &d));
    assert_int_equal(b->hash, RA_HASH_OK);
    assert_int_equal(g->dups.len, 1);
    dup = g->dups.items[0];
    assert_non_null(strstr(dup->path, "/data"));
    assert_true(dup->earlier < dup->later);
    assert_int_equal(b->member, dup->later + 1);
    ra_snapshot_free(snap);
    free_specs(&specs);
    ra_buf_release(&root);
    ra_buf_release(&p);
    ra_buf_release(&cmd);
}

/* A FIFO as SNAPSHOT is refused before anything opens it (open would wait for a
 * writer). */
static void test_snapshot__fifo_refused(void **state)
{
    struct ra_vec specs = RA_VEC_INIT;
    struct ra_err err = RA_ERR_INIT;
    struct ra_buf p = RA_BUF_INIT;

    (void)state;
    ra_buf_printf(&p, "%s/fifo", tmpdir);
    assert_int_equal(mkfifo(p.ptr, 0600), 0);
    assert_int_equal(ra_snapshot_expand(&specs, p.ptr, &err), RA_EUSAGE);
    assert_non_null(strstr(err.msg, "fifo': not a regular file or a directory (a FIFO)"));
    assert_int_equal(specs.len, 0);
    free_specs(&specs);
    ra_buf_release(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snapshot__explicit_time_suffix),
        cmocka_unit_test(test_snapshot__missing_path),
        cmocka_unit_test(test_snapshot__synology_folders_oldest_first),
        cmocka_unit_test(test_snapshot__two_roots_and_mtime_time),
        cmocka_unit_test(test_snapshot__verify_finds_flipped_blob),
        cmocka_unit_test(test_snapshot__synology_share_metadata),
        cmocka_unit_test(test_snapshot__duplicate_member_last_copy_read),
        cmocka_unit_test(test_snapshot__fifo_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
