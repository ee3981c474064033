/* SPDX-License-Identifier: MIT */
/* ingest/walk and incremental snapshot reading: the rules that prove an entry
 * unchanged, and a property test: random registry operations (push, re-push, re-tag,
 * prune, garbage-collect, API delete, partial restore, uploads, NAS metadata, damage by
 * hand) applied to a real tree the way Distribution's filesystem driver writes it,
 * snapshotted after each step with `cp -al`, with `cp -a`, with times cut to the second,
 * and read in place; every snapshot read with the previous one as prev dumps exactly as
 * a full read (ra_snapshot_dump). RA_WALK_SEEDS=N runs N seeds (default 3),
 * RA_WALK_STEPS=M steps each (default 12). */

#define _XOPEN_SOURCE 700 /* nftw */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/snapshot.h"
#include "ingest/walk.h"
#include "model/docs.h"
#include "model/graph.h"
#include "util/buf.h"
#include "util/map.h"
#include "util/sha256.h"

#include "fixture.h"

#define V2 "docker/registry/v2"
#define NMODES 4
#define MAX_SNAPS 256

static const char *const mode_names[NMODES] = {"cp -al", "cp -a", "seconds", "in place"};
static const char *const repos[] = {"app", "tools/kubectl", "base"};
static const char *const tags[] = {"latest", "1.0", "2.0", "stable"};

struct world {
    char base[64];
    char live[96];
    char root[160];
    uint64_t rng;
    int nsnaps;                       /* cp -a copies made, restore sources */
    struct ra_snapshot *prev[NMODES]; /* last incremental read, per mode */
    uint64_t reused[NMODES];          /* entries reused over the run, per mode */
    int steps_checked;
    int verify;           /* read with --verify: every blob hashed */
    struct ra_docs *docs; /* shared by the incremental reads, as in one run */
    size_t shared;        /* blobs whose document an incremental read shared with prev */
};

/* ---- small helpers -------------------------------------------------------------------
 */

static uint64_t rnd(struct world *w)
{
    w->rng ^= w->rng << 13;
    w->rng ^= w->rng >> 7;
    w->rng ^= w->rng << 17;
    return w->rng * 0x2545F4914F6CDD1DULL;
}

static size_t below(struct world *w, size_t n)
{
    return n ? (size_t)(rnd(w) % n) : 0;
}

static void hex_of(char out[65], const uint8_t d[32])
{
    static const char x[] = "0123456789abcdef";
    int i;

    for (i = 0; i < 32; i++) {
        out[2 * i] = x[d[i] >> 4];
        out[2 * i + 1] = x[d[i] & 15];
    }
    out[64] = '\0';
}

static void mkparent(const char *path)
{
    char dir[1024];
    const char *slash = strrchr(path, '/');

    memcpy(dir, path, (size_t)(slash - path));
    dir[slash - path] = '\0';
    fix_mkdirs(dir);
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* The filesystem driver's PutContent: create or open, truncate, write in place. */
static void put_content(const char *path, const void *data, size_t len)
{
    int fd;

    mkparent(path);
    assert_true((fd = open(path, O_WRONLY | O_CREAT, 0644)) >= 0);
    assert_int_equal(ftruncate(fd, 0), 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* The driver's Delete: the whole path, whatever it holds. */
static void rm_rf(const char *path)
{
    if (exists(path))
        assert_int_equal(nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static void run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void run(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    if (system(cmd) != 0)
        fail_msg("command failed: %s", cmd);
}

static struct ra_snapshot *load(const char *path, const struct ra_snapshot *prev,
                                int verify, struct ra_docs *docs)
{
    struct ra_snapshot_opts opts = RA_SNAPSHOT_OPTS_INIT;
    struct ra_snapshot_spec spec = {(char *)path, (char *)"snap", RA_TIME_NONE,
                                    RA_TAKEN_UNKNOWN};
    struct ra_err err = RA_ERR_INIT;
    struct ra_snapshot *s = NULL;

    opts.prev = prev;
    opts.verify = verify;
    opts.docs = docs;
    if (ra_snapshot_load(&s, &spec, &opts, &err) < 0)
        fail_msg("load '%s': %s", path, err.msg);
    return s;
}

static const struct ra_graph *registry(const struct ra_snapshot *s)
{
    size_t i;

    for (i = 0; i < s->graphs.len; i++) {
        const struct ra_graph *g = s->graphs.items[i];
        if (!strcmp(g->root, V2))
            return g;
    }
    return NULL;
}

/* ---- the registry's writes -----------------------------------------------------------
 */

static void blob_path(char *out, size_t n, const struct world *w, const char *hex)
{
    snprintf(out, n, "%s/blobs/sha256/%.2s/%s/data", w->root, hex, hex);
}

static void repo_path(char *out, size_t n, const struct world *w, const char *repo,
                      const char *rest)
{
    snprintf(out, n, "%s/repositories/%s/%s", w->root, repo, rest);
}

static void link_content(char *out, const char *hex)
{
    snprintf(out, 72, "sha256:%s", hex);
}

/* A blob upload: _uploads/<uuid>/{startedat,data}, then the data moved into place
 * (skipped when the blob exists: content-addressed), the upload removed, the
 * repository's _layers link written. */
static void upload(struct world *w, const char *repo, const void *data, size_t len,
                   char hex[65])
{
    char up[512], p[512], rel[128], link[72], uuid[40];
    uint8_t d[32];

    ra_sha256_buf(d, data, len);
    hex_of(hex, d);
    snprintf(uuid, sizeof(uuid), "%016llx", (unsigned long long)rnd(w));
    snprintf(rel, sizeof(rel), "_uploads/%s/startedat", uuid);
    repo_path(up, sizeof(up), w, repo, rel);
    put_content(up, "2026-04-12T01:00:00Z", 20);
    snprintf(rel, sizeof(rel), "_uploads/%s/data", uuid);
    repo_path(up, sizeof(up), w, repo, rel);
    put_content(up, data, len);
    blob_path(p, sizeof(p), w, hex);
    if (!exists(p)) {
        mkparent(p);
        assert_int_equal(rename(up, p), 0);
    }
    snprintf(rel, sizeof(rel), "_uploads/%s", uuid);
    repo_path(up, sizeof(up), w, repo, rel);
    rm_rf(up);
    snprintf(rel, sizeof(rel), "_layers/sha256/%s/link", hex);
    repo_path(up, sizeof(up), w, repo, rel);
    link_content(link, hex);
    put_content(up, link, 71);
}

/* A manifest PUT: the blob written in place when new, the revision link rewritten. */
static void put_manifest(struct world *w, const char *repo, const char *json,
                         char hex[65])
{
    char p[512], rel[128], link[72];
    uint8_t d[32];

    ra_sha256_buf(d, json, strlen(json));
    hex_of(hex, d);
    blob_path(p, sizeof(p), w, hex);
    if (!exists(p))
        put_content(p, json, strlen(json));
    snprintf(rel, sizeof(rel), "_manifests/revisions/sha256/%s/link", hex);
    repo_path(p, sizeof(p), w, repo, rel);
    link_content(link, hex);
    put_content(p, link, 71);
}

/* The tag store: the tag's index link and current link, both rewritten in place. */
static void tag(struct world *w, const char *repo, const char *t, const char *hex)
{
    char p[512], rel[160], link[72];

    link_content(link, hex);
    snprintf(rel, sizeof(rel), "_manifests/tags/%s/index/sha256/%s/link", t, hex);
    repo_path(p, sizeof(p), w, repo, rel);
    put_content(p, link, 71);
    snprintf(rel, sizeof(rel), "_manifests/tags/%s/current/link", t);
    repo_path(p, sizeof(p), w, repo, rel);
    put_content(p, link, 71);
}

/* Layer i of a pool shared across repositories: seeded bytes, never '{' first; a few
 * are empty. */
static size_t layer_bytes(unsigned char *out, unsigned i)
{
    uint64_t x = 0x9E3779B97F4A7C15ULL * (i + 1);
    size_t n = i % 13 == 5 ? 0 : 16 + (i * 37) % 200, k;

    for (k = 0; k < n; k++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out[k] = (unsigned char)x;
    }
    if (n && out[0] == '{')
        out[0] = 'x';
    return n;
}

/* One image: a config, 1-3 layers, a manifest; returns the manifest's digest and
 * size. */
static size_t push_image(struct world *w, const char *repo, const char *arch,
                         char hex[65])
{
    char config[256], man[1024], chex[65], lhex[65];
    unsigned char layer[256];
    size_t n, nl = 1 + below(w, 3), i, len;

    n = (size_t)snprintf(config, sizeof(config),
                         "{\"architecture\":\"%s\",\"os\":\"linux\",\"rootfs\":"
                         "{\"type\":\"layers\",\"diff_ids\":[]},\"n\":%u}",
                         arch, (unsigned)below(w, 50));
    upload(w, repo, config, n, chex);
    len = (size_t)snprintf(
        man, sizeof(man),
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image."
        "manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd."
        "oci.image.config.v1+json\",\"digest\":\"sha256:%s\",\"size\":%zu},"
        "\"layers\":[",
        chex, n);
    for (i = 0; i < nl; i++) {
        n = layer_bytes(layer, (unsigned)below(w, 40));
        upload(w, repo, layer, n, lhex);
        len += (size_t)snprintf(man + len, sizeof(man) - len,
                                "%s{\"mediaType\":\"application/vnd.oci.image.layer.v1."
                                "tar+gzip\",\"digest\":\"sha256:%s\",\"size\":%zu}",
                                i ? "," : "", lhex, n);
    }
    snprintf(man + len, sizeof(man) - len, "]}");
    put_manifest(w, repo, man, hex);
    return strlen(man);
}

static void op_push(struct world *w)
{
    const char *repo = repos[below(w, RA_ARRAY_SIZE(repos))];
    const char *t = tags[below(w, RA_ARRAY_SIZE(tags))];
    char a[65], b[65], idx[1024], hex[65];
    size_t na, nb;

    na = push_image(w, repo, "amd64", a);
    if (below(w, 3)) {
        tag(w, repo, t, a);
        return;
    }
    nb = push_image(w, repo, "arm64", b);
    snprintf(
        idx, sizeof(idx),
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
        "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        "\"digest\":\"sha256:%s\",\"size\":%zu,\"platform\":{\"architecture\":\"amd64\","
        "\"os\":\"linux\"}},{\"mediaType\":\"application/"
        "vnd.oci.image.manifest.v1+json\","
        "\"digest\":\"sha256:%s\",\"size\":%zu,\"platform\":{\"architecture\":\"arm64\","
        "\"os\":\"linux\"}}]}",
        a, na, b, nb);
    put_manifest(w, repo, idx, hex);
    tag(w, repo, t, hex);
}

/* A repository of the live tree and one of its revisions, at random; 0 when none. */
static int pick_revision(struct world *w, const struct ra_graph *g,
                         const struct ra_repo **r, char hex[65])
{
    struct ra_vec v = RA_VEC_INIT, l = RA_VEC_INIT;
    int found = 0;

    if (!g)
        return 0;
    ra_graph_sorted_repos(&v, g);
    if (v.len) {
        *r = v.items[below(w, v.len)];
        ra_graph_sorted_links(&l, &(*r)->revisions);
        if (l.len) {
            hex_of(hex, ((const struct ra_link *)l.items[below(w, l.len)])->key.b);
            found = 1;
        }
    }
    ra_vec_release(&l);
    ra_vec_release(&v);
    return found;
}

/* A re-push of what is there: every link rewritten in place with the same content. */
static void op_repush(struct world *w, const struct ra_graph *g)
{
    const struct ra_repo *r;
    const struct ra_blob *b;
    struct ra_digest d;
    char hex[65], p[512], rel[160], link[72], h2[65];
    size_t i;

    if (!pick_revision(w, g, &r, hex))
        return;
    ra_digest_from_hex(&d, hex, 64);
    b = ra_graph_find_blob(g, &d);
    if (b && b->manifest && b->manifest->kind == RA_MANIFEST_IMAGE) {
        for (i = 0; i <= b->manifest->nrefs; i++) {
            const struct ra_descriptor *x =
                i < b->manifest->nrefs ? &b->manifest->refs[i] : &b->manifest->config;
            hex_of(h2, x->digest.b);
            snprintf(rel, sizeof(rel), "_layers/sha256/%s/link", h2);
            repo_path(p, sizeof(p), w, r->name, rel);
            if (exists(p)) {
                link_content(link, h2);
                put_content(p, link, 71);
            }
        }
    }
    snprintf(rel, sizeof(rel), "_manifests/revisions/sha256/%s/link", hex);
    repo_path(p, sizeof(p), w, r->name, rel);
    link_content(link, hex);
    put_content(p, link, 71);
}

static void op_retag(struct world *w, const struct ra_graph *g)
{
    const struct ra_repo *r;
    char hex[65];

    if (pick_revision(w, g, &r, hex))
        tag(w, r->name, tags[below(w, RA_ARRAY_SIZE(tags))], hex);
}

/* A re-tag in the same clock tick as the tag's last write (file times move in ticks of
 * 1-10 ms): current/link gets other content and keeps its modification time. */
static void op_retag_same_tick(struct world *w, const struct ra_graph *g)
{
    const struct ra_repo *r;
    struct ra_vec v = RA_VEC_INIT;
    const struct ra_tag *t;
    char hex[65], p[512], rel[128];
    struct timespec ts[2];
    struct ra_digest d;
    struct stat st;

    if (!pick_revision(w, g, &r, hex))
        return;
    ra_digest_from_hex(&d, hex, 64);
    ra_graph_sorted_tags(&v, r);
    if (!v.len)
        goto done;
    t = v.items[below(w, v.len)];
    snprintf(rel, sizeof(rel), "_manifests/tags/%s/current/link", t->name);
    repo_path(p, sizeof(p), w, r->name, rel);
    if (!t->has_current || !ra_digest_cmp(&t->current.target, &d) || lstat(p, &st) < 0)
        goto done;
    tag(w, r->name, t->name, hex);
    ts[0] = st.st_atim;
    ts[1] = st.st_mtim;
    assert_int_equal(utimensat(AT_FDCWD, p, ts, AT_SYMLINK_NOFOLLOW), 0);
done:
    ra_vec_release(&v);
}

/* cleanup-tags.sh: rm -rf a tag folder. */
static void op_prune(struct world *w, const struct ra_graph *g)
{
    const struct ra_repo *r;
    char hex[65], p[512], rel[128];

    if (!pick_revision(w, g, &r, hex))
        return;
    snprintf(rel, sizeof(rel), "_manifests/tags/%s", tags[below(w, RA_ARRAY_SIZE(tags))]);
    repo_path(p, sizeof(p), w, r->name, rel);
    rm_rf(p);
}

/* DELETE /v2/<name>/manifests/<digest>: the revision link and every tag folder that
 * points at it. */
static void op_api_delete(struct world *w, const struct ra_graph *g)
{
    const struct ra_repo *r;
    struct ra_vec v = RA_VEC_INIT;
    char hex[65], p[512], rel[160];
    struct ra_digest d;
    size_t i;

    if (!pick_revision(w, g, &r, hex))
        return;
    ra_digest_from_hex(&d, hex, 64);
    snprintf(rel, sizeof(rel), "_manifests/revisions/sha256/%s", hex);
    repo_path(p, sizeof(p), w, r->name, rel);
    rm_rf(p);
    ra_graph_sorted_tags(&v, r);
    for (i = 0; i < v.len; i++) {
        const struct ra_tag *t = v.items[i];
        if (t->has_current && t->current.valid &&
            !ra_digest_cmp(&t->current.target, &d)) {
            snprintf(rel, sizeof(rel), "_manifests/tags/%s", t->name);
            repo_path(p, sizeof(p), w, r->name, rel);
            rm_rf(p);
        }
    }
    ra_vec_release(&v);
}

static int is_current(const struct ra_repo *r, const struct ra_digest *d)
{
    struct ra_vec v = RA_VEC_INIT;
    size_t i;
    int yes = 0;

    ra_graph_sorted_tags(&v, r);
    for (i = 0; i < v.len; i++) {
        const struct ra_tag *t = v.items[i];
        yes |=
            t->has_current && t->current.valid && !ra_digest_cmp(&t->current.target, d);
    }
    ra_vec_release(&v);
    return yes;
}

static void mark(struct ra_map *marked, const struct ra_graph *g,
                 const struct ra_digest *d)
{
    const struct ra_blob *b = ra_graph_find_blob(g, d);
    size_t i;

    ra_map_put(marked, d->b, 32, (void *)1);
    if (!b || !b->manifest)
        return;
    if (b->manifest->has_config)
        ra_map_put(marked, b->manifest->config.digest.b, 32, (void *)1);
    for (i = 0; i < b->manifest->nrefs; i++)
        ra_map_put(marked, b->manifest->refs[i].digest.b, 32, (void *)1);
}

/* Unlink an untagged manifest as garbage-collect -m does: its revision link and its
 * tag index entries. */
static void unlink_manifest(struct world *w, const struct ra_repo *r, const char *hex)
{
    struct ra_vec t = RA_VEC_INIT;
    char p[512], rel[200];
    size_t k;

    snprintf(rel, sizeof(rel), "_manifests/revisions/sha256/%s", hex);
    repo_path(p, sizeof(p), w, r->name, rel);
    rm_rf(p);
    ra_graph_sorted_tags(&t, r);
    for (k = 0; k < t.len; k++) {
        snprintf(rel, sizeof(rel), "_manifests/tags/%s/index/sha256/%s",
                 ((const struct ra_tag *)t.items[k])->name, hex);
        repo_path(p, sizeof(p), w, r->name, rel);
        rm_rf(p);
    }
    ra_vec_release(&t);
}

/* garbage-collect [-m] as 2.8 does it: mark each revision (with -m only tagged ones)
 * and its direct references, unlink untagged ones, delete the data of every unmarked
 * blob (whole <hex> folders). */
static void op_gc(struct world *w, const struct ra_graph *g, int untagged)
{
    struct ra_map marked = RA_MAP_INIT;
    struct ra_vec repos_v = RA_VEC_INIT, v = RA_VEC_INIT;
    char hex[65], p[512];
    size_t i, j;

    if (!g)
        return;
    ra_graph_sorted_repos(&repos_v, g);
    for (i = 0; i < repos_v.len; i++) {
        const struct ra_repo *r = repos_v.items[i];
        v.len = 0;
        ra_graph_sorted_links(&v, &r->revisions);
        for (j = 0; j < v.len; j++) {
            const struct ra_link *l = v.items[j];
            hex_of(hex, l->key.b);
            if (untagged && !is_current(r, &l->key))
                unlink_manifest(w, r, hex);
            else
                mark(&marked, g, &l->key);
        }
    }
    v.len = 0;
    ra_graph_sorted_blobs(&v, g);
    for (i = 0; i < v.len; i++) {
        const struct ra_blob *b = v.items[i];
        if (ra_map_get(&marked, b->digest.b, 32))
            continue;
        hex_of(hex, b->digest.b);
        snprintf(p, sizeof(p), "%s/blobs/sha256/%.2s/%s", w->root, hex, hex);
        rm_rf(p);
    }
    ra_vec_release(&v);
    ra_vec_release(&repos_v);
    ra_map_release(&marked);
}

/* Copy folders back from an older copy (often the last one: last night's backup) with
 * `cp -a`, merged into what is there: the folders' times are set back to the old ones
 * while they may hold more than then. The blob store, one blob folder, or a
 * repository. */
static void op_restore(struct world *w, const struct ra_graph *g)
{
    char src[512], dst[512];
    struct ra_vec v = RA_VEC_INIT;
    size_t what = below(w, 3);
    int j;

    if (!w->nsnaps || !g)
        return;
    j = below(w, 2) ? w->nsnaps - 1 : (int)below(w, (size_t)w->nsnaps);
    if (what == 0) {
        snprintf(src, sizeof(src), "%s/copy%d/" V2 "/blobs", w->base, j);
        snprintf(dst, sizeof(dst), "%s/", w->root);
    } else if (what == 1) {
        char hex[65];
        ra_graph_sorted_blobs(&v, g);
        if (!v.len)
            goto done;
        hex_of(hex, ((const struct ra_blob *)v.items[below(w, v.len)])->digest.b);
        snprintf(src, sizeof(src), "%s/copy%d/" V2 "/blobs/sha256/%.2s", w->base, j, hex);
        snprintf(dst, sizeof(dst), "%s/blobs/sha256/", w->root);
    } else {
        const char *repo = repos[below(w, RA_ARRAY_SIZE(repos))];
        const char *slash = strrchr(repo, '/');
        snprintf(src, sizeof(src), "%s/copy%d/" V2 "/repositories/%s", w->base, j, repo);
        snprintf(dst, sizeof(dst), "%s/repositories/%.*s", w->root,
                 slash ? (int)(slash - repo + 1) : 0, repo);
    }
    if (exists(src)) {
        fix_mkdirs(dst);
        run("cp -a '%s' '%s'", src, dst);
    }
done:
    ra_vec_release(&v);
}

/* An upload left behind (a client that gave up). */
static void op_abandon(struct world *w)
{
    char p[512], rel[96];
    const char *repo = repos[below(w, RA_ARRAY_SIZE(repos))];
    unsigned long long u = (unsigned long long)rnd(w);

    snprintf(rel, sizeof(rel), "_uploads/%016llx/startedat", u);
    repo_path(p, sizeof(p), w, repo, rel);
    put_content(p, "2026-04-12T02:00:00Z", 20);
    snprintf(rel, sizeof(rel), "_uploads/%016llx/data", u);
    repo_path(p, sizeof(p), w, repo, rel);
    put_content(p, "partial", 7);
}

/* What a NAS adds: @eaDir in a registry folder, a blob in #recycle. */
static void op_nas(struct world *w, const struct ra_graph *g)
{
    struct ra_vec v = RA_VEC_INIT;
    char p[512], hex[65];

    if (!g)
        return;
    ra_graph_sorted_blobs(&v, g);
    if (v.len) {
        hex_of(hex, ((const struct ra_blob *)v.items[below(w, v.len)])->digest.b);
        if (below(w, 2))
            snprintf(p, sizeof(p), "%s/blobs/sha256/%.2s/@eaDir/SYNO@.fileindexdb",
                     w->root, hex);
        else
            snprintf(p, sizeof(p), "%s/#recycle/" V2 "/blobs/sha256/%.2s/%s/data",
                     w->live, hex, hex);
        put_content(p, "x", 1);
    }
    ra_vec_release(&v);
}

/* Damage by hand: a blob's data overwritten (same size) or deleted, not its folder. */
static void op_damage(struct world *w, const struct ra_graph *g)
{
    struct ra_vec v = RA_VEC_INIT;
    char p[512], hex[65];
    const struct ra_blob *b;

    if (!g)
        return;
    ra_graph_sorted_blobs(&v, g);
    if (v.len) {
        b = v.items[below(w, v.len)];
        hex_of(hex, b->digest.b);
        blob_path(p, sizeof(p), w, hex);
        if (!exists(p) || below(w, 2)) {
            unlink(p);
        } else {
            char junk[4096];
            size_t n =
                b->size > 0 && (size_t)b->size < sizeof(junk) ? (size_t)b->size : 1;
            memset(junk, b->is_json ? ' ' : 'z', n);
            junk[0] = b->is_json ? '{' : 'z';
            put_content(p, junk, n);
        }
    }
    ra_vec_release(&v);
}

static void apply_op(struct world *w)
{
    struct ra_snapshot *s = load(w->live, NULL, 0, NULL);
    const struct ra_graph *g = registry(s);
    size_t op = below(w, 22);

    if (op < 5)
        op_push(w);
    else if (op < 7)
        op_repush(w, g);
    else if (op < 9)
        op_retag(w, g);
    else if (op < 11)
        op_prune(w, g);
    else if (op < 13)
        op_gc(w, g, (int)below(w, 2));
    else if (op < 14)
        op_api_delete(w, g);
    else if (op < 17)
        op_restore(w, g);
    else if (op < 18)
        op_abandon(w);
    else if (op < 19)
        op_nas(w, g);
    else if (op < 20)
        op_damage(w, g);
    else
        op_retag_same_tick(w, g); /* op 20 and 21 */
    ra_snapshot_free(s);
}

/* ---- snapshots and the comparison ----------------------------------------------------
 */

static int cut_ns(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    struct timespec ts[2];

    (void)flag;
    (void)ftw;
    ts[0].tv_sec = st->st_atim.tv_sec;
    ts[1].tv_sec = st->st_mtim.tv_sec;
    ts[0].tv_nsec = ts[1].tv_nsec = 0;
    return utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW);
}

/* Make this step's copy for mode m; returns its path. */
static void take(struct world *w, int m, int step, char *out, size_t n)
{
    if (m == 3) {
        snprintf(out, n, "%s", w->live);
        return;
    }
    snprintf(out, n, "%s/%s%d", w->base, m == 0 ? "link" : m == 1 ? "copy" : "sec", step);
    run("cp %s '%s' '%s'", m == 0 ? "-al" : "-a", w->live, out);
    if (m == 2)
        assert_int_equal(nftw(out, cut_ns, 16, FTW_DEPTH | FTW_PHYS), 0);
    if (m == 1)
        w->nsnaps = step + 1;
}

static void first_difference(const char *a, const char *b)
{
    size_t line = 1;

    while (*a && *a == *b) {
        line += *a == '\n';
        a++;
        b++;
    }
    while (line > 1 && a[-1] != '\n') { /* back to the line's start */
        a--;
        b--;
    }
    print_error("line %zu differs:\n full: %.300s\n incr: %.300s\n", line, a, b);
}

/* Blobs of s whose parsed document is prev's own (through the run's documents); a blob
 * whose bytes hashed to its digest in both reads and whose document is a copy fails. */
static size_t shared_docs(const struct ra_snapshot *s, const struct ra_snapshot *prev)
{
    const struct ra_graph *g = s ? registry(s) : NULL, *pg = prev ? registry(prev) : NULL;
    const struct ra_blob *pb;
    size_t it = 0, n = 0;
    void *v;

    while (g && pg && ra_map_next(&g->blobs, &it, NULL, NULL, &v)) {
        const struct ra_blob *b = v;
        if (!b->manifest || !(pb = ra_graph_find_blob(pg, &b->digest)) || !pb->manifest)
            continue;
        if (b->hash == RA_HASH_OK && pb->hash == RA_HASH_OK &&
            pb->manifest != b->manifest)
            fail_msg("blob %02x%02x…: its document was copied, not shared",
                     b->digest.b[0], b->digest.b[1]);
        n += pb->manifest == b->manifest;
    }
    return n;
}

static void check_step(struct world *w, int step)
{
    char path[256];
    int m;

    for (m = 0; m < NMODES; m++) {
        struct ra_buf full = RA_BUF_INIT, incr = RA_BUF_INIT;
        struct ra_snapshot *f, *i;

        take(w, m, step, path, sizeof(path));
        i = load(path, w->prev[m], w->verify, w->docs);
        f = load(path, NULL, w->verify, NULL);
        w->shared += shared_docs(i, w->prev[m]);
        ra_snapshot_dump(&full, f);
        ra_snapshot_dump(&incr, i);
        if (strcmp(ra_buf_cstr(&full), ra_buf_cstr(&incr))) {
            first_difference(ra_buf_cstr(&full), ra_buf_cstr(&incr));
            fail_msg("step %d, %s: the incremental read differs from the full read", step,
                     mode_names[m]);
        }
        w->reused[m] += i->reused;
        ra_snapshot_free(w->prev[m]);
        w->prev[m] = i;
        ra_snapshot_free(f);
        ra_buf_release(&full);
        ra_buf_release(&incr);
    }
    w->steps_checked++;
}

static int env_int(const char *name, int dflt)
{
    const char *s = getenv(name);
    return s && *s ? (int)strtol(s, NULL, 10) : dflt;
}

static void run_seed(uint64_t seed, int steps, uint64_t total[NMODES])
{
    struct world w;
    int step, k, m;

    memset(&w, 0, sizeof(w));
    w.rng = seed * 0x9E3779B97F4A7C15ULL + 1;
    w.verify = seed % 3 == 0;
    snprintf(w.base, sizeof(w.base), "/tmp/ra-test-walk-XXXXXX");
    assert_non_null(mkdtemp(w.base));
    snprintf(w.live, sizeof(w.live), "%s/live", w.base);
    snprintf(w.root, sizeof(w.root), "%s/" V2, w.live);
    fix_mkdirs(w.root);
    ra_docs_new(&w.docs);
    op_push(&w);
    for (step = 0; step < steps; step++) {
        for (k = 1 + (int)below(&w, 3); k > 0; k--)
            apply_op(&w);
        check_step(&w, step);
    }
    for (m = 0; m < NMODES; m++) {
        total[m] += w.reused[m];
        ra_snapshot_free(w.prev[m]);
    }
    /* documents are shared, never copied, between reads with the same docs */
    assert_true(ra_docs_count(w.docs) > 0);
    assert_true(w.verify || w.shared > 0);
    ra_docs_free(w.docs);
    rm_rf(w.base);
}

static void test_walk__incremental_equals_full(void **state)
{
    uint64_t total[NMODES] = {0};
    int seeds = env_int("RA_WALK_SEEDS", 3), steps = env_int("RA_WALK_STEPS", 12), s;

    (void)state;
    for (s = 1; s <= seeds; s++)
        run_seed((uint64_t)s, steps, total);
    print_message(
        "entries reused: cp -al %llu, cp -a %llu, seconds %llu, in place %llu\n",
        (unsigned long long)total[0], (unsigned long long)total[1],
        (unsigned long long)total[2], (unsigned long long)total[3]);
    /* it proved something where it can, and nothing from times cut to the second */
    assert_true(total[0] > 0);
    assert_true(total[1] > 0);
    assert_true(total[3] > 0);
    assert_int_equal(total[2], 0);
}

/* ---- the rules -----------------------------------------------------------------------
 */

static char rules_dir[] = "/tmp/ra-test-walk-rules-XXXXXX";

static void stat_of(struct stat *st, const char *name)
{
    char p[256];

    snprintf(p, sizeof(p), "%s/%s", rules_dir, name);
    assert_int_equal(lstat(p, st), 0);
}

static void test_walk__same_rules(void **state)
{
    struct ra_walk *w = NULL;
    struct stat st, x;
    char p[256];
    uint32_t f, d;

    (void)state;
    assert_non_null(mkdtemp(rules_dir));
    snprintf(p, sizeof(p), "%s/d", rules_dir);
    mkdir(p, 0755);
    snprintf(p, sizeof(p), "%s/f", rules_dir);
    put_content(p, "sha256:x", 8);
    ra_walk_new(&w);
    stat_of(&st, "f");
    f = ra_walk_add(w, RA_WALK_NONE, "f", &st);
    x = st;
    assert_true(ra_walk_same(w, f, &x)); /* the same inode, not changed */
    x.st_mtim.tv_nsec = 0;
    st.st_mtim.tv_nsec = 0;
    f = ra_walk_add(w, RA_WALK_NONE, "f", &st);
    assert_true(ra_walk_same(w, f, &x)); /* even with times to the second */
    x.st_ino++;
    assert_false(ra_walk_same(w, f, &x)); /* a copy with times to the second: no proof */
    stat_of(&st, "f");
    st.st_mtim.tv_nsec = st.st_mtim.tv_nsec ? st.st_mtim.tv_nsec : 1;
    f = ra_walk_add(w, RA_WALK_NONE, "f", &st);
    x = st;
    x.st_ino++;
    assert_true(ra_walk_same(w, f, &x)); /* a copy, to the nanosecond */
    x.st_mtim.tv_nsec ^= 2;
    assert_false(ra_walk_same(w, f, &x));
    x = st;
    x.st_size++;
    assert_false(ra_walk_same(w, f, &x));
    x = st;
    x.st_mode ^= 0400;
    assert_false(ra_walk_same(w, f, &x));
    x = st;
    x.st_ctim.tv_sec++; /* a hard link more: a file is still the same */
    x.st_nlink++;
    assert_true(ra_walk_same(w, f, &x));

    stat_of(&st, "d");
    st.st_mtim.tv_nsec = st.st_mtim.tv_nsec ? st.st_mtim.tv_nsec : 1;
    d = ra_walk_add(w, RA_WALK_NONE, "d", &st);
    ra_walk_close_dir(w, d);
    x = st;
    assert_true(ra_walk_same(w, d, &x));
    x.st_ctim.tv_nsec ^= 1; /* same folder, times set back by a restore */
    assert_false(ra_walk_same(w, d, &x));
    x.st_ino++; /* another folder (a copy) with the same times */
    assert_true(ra_walk_same(w, d, &x));
    x.st_nlink++; /* a sub-folder more */
    assert_false(ra_walk_same(w, d, &x));
    assert_int_equal(ra_walk_count(w), 4);
    assert_false(ra_walk_same(w, ra_walk_add(w, RA_WALK_NONE, "u", NULL), &st));
    ra_walk_free(w);
    rm_rf(rules_dir);
}

static void test_walk__children_in_order(void **state)
{
    struct ra_walk *w = NULL;
    struct stat st;
    uint32_t root, a, hint = RA_WALK_NONE;

    (void)state;
    memset(&st, 0, sizeof(st));
    st.st_mode = S_IFDIR | 0755;
    ra_walk_new(&w);
    root = ra_walk_add(w, RA_WALK_NONE, "", &st);
    a = ra_walk_add(w, root, "a", &st);
    ra_walk_add(w, a, "inner", &st);
    ra_walk_close_dir(w, a);
    st.st_mode = S_IFREG | 0644;
    ra_walk_add(w, root, "b", &st);
    ra_walk_add(w, root, "d", &st);
    ra_walk_close_dir(w, root);
    assert_int_equal(ra_walk_child(w, root, "a", &hint), a);
    assert_int_equal(ra_walk_child(w, root, "c", &hint), RA_WALK_NONE);
    assert_string_equal(ra_walk_name(w, ra_walk_child(w, root, "d", &hint)), "d");
    assert_int_equal(ra_walk_child(w, root, "e", &hint), RA_WALK_NONE);
    assert_int_equal(ra_walk_dtype(w, a), DT_DIR);
    assert_int_equal(ra_walk_first_child(w, 3), RA_WALK_NONE); /* a file */
    ra_walk_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk__same_rules),
        cmocka_unit_test(test_walk__children_in_order),
        cmocka_unit_test(test_walk__incremental_equals_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
