/* SPDX-License-Identifier: MIT */
/* The unit tests' shared builders: see fixture.h. */

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

#include "fixture.h"
#include "model/manifest.h"
#include "util/sha256.h"

/* ---- digests ---------------------------------------------------------------------- */

struct ra_digest dg(char c)
{
    char hex[64];
    struct ra_digest d;

    memset(hex, c, sizeof(hex));
    assert_int_equal(ra_digest_from_hex(&d, hex, sizeof(hex)), 0);
    return d;
}

const char *ds(char c)
{
    static char buf[4][RA_DIGEST_STRLEN];
    static unsigned next;
    char *s = buf[next++ % 4];
    struct ra_digest d = dg(c);

    return ra_digest_format(s, &d);
}

struct ra_digest fix_digest(const char *hex)
{
    struct ra_digest d;

    assert_int_equal(ra_digest_from_hex(&d, hex, strlen(hex)), 0);
    return d;
}

void fix_hex(char out[65], const void *data, size_t len)
{
    uint8_t d[32];
    int i;

    ra_sha256_buf(d, data, len);
    for (i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* ---- graphs ----------------------------------------------------------------------- */

struct ra_graph *fix_graph(const char *root)
{
    struct ra_graph *g = NULL;

    ra_graph_new(&g, root, strlen(root));
    assert_non_null(g);
    return g;
}

struct ra_repo *fix_repo(struct ra_graph *g, const char *name)
{
    return ra_graph_repo(g, name, strlen(name));
}

struct ra_blob *fix_blob(struct ra_graph *g, char c, const char *content)
{
    struct ra_digest d = dg(c);
    struct ra_blob *b = ra_graph_blob(g, &d);
    struct ra_err err = RA_ERR_INIT;
    struct ra_manifest *m = NULL;
    size_t len = strlen(content);

    b->present = 1;
    b->size = (int64_t)len;
    b->hash = RA_HASH_OK;
    b->manifest = NULL;
    b->parse_error = NULL;
    b->is_json = 0;
    if (ra_manifest_looks_like_json(content, len)) {
        b->is_json = 1;
        if (ra_manifest_parse(&m, &g->pool, content, len, &err) < 0)
            b->parse_error = ra_pool_strdup(&g->pool, err.msg);
        b->manifest = m;
    }
    return b;
}

struct ra_blob *fix_json(struct ra_graph *g, char c, const char *content)
{
    struct ra_blob *b = fix_blob(g, c, content);

    assert_null(b->parse_error);
    assert_non_null(b->manifest);
    return b;
}

struct ra_blob *fix_layer(struct ra_graph *g, char c)
{
    struct ra_digest d = dg(c);
    struct ra_blob *b = ra_graph_blob(g, &d);

    b->present = 1;
    b->size = LAYER_SIZE;
    b->hash = RA_HASH_OK;
    return b;
}

int64_t fix_blob_size(const struct ra_graph *g, char c, int64_t dflt)
{
    struct ra_digest d = dg(c);
    struct ra_blob *b = ra_graph_find_blob(g, &d);

    return b && b->present ? b->size : dflt;
}

struct ra_link *fix_link(struct ra_graph *g, struct ra_map *map, char key, char target,
                         ra_time t)
{
    struct ra_digest k = dg(key);
    struct ra_link *l = ra_graph_link(g, map, &k);

    l->valid = 1;
    l->target = dg(target);
    l->mtime = t;
    return l;
}

struct ra_link *fix_layer_link(struct ra_graph *g, const char *r, char c, ra_time t)
{
    return fix_link(g, &fix_repo(g, r)->layers, c, c, t);
}

struct ra_link *fix_revision_link(struct ra_graph *g, const char *r, char c, ra_time t)
{
    return fix_link(g, &fix_repo(g, r)->revisions, c, c, t);
}

struct ra_tag *fix_tag(struct ra_graph *g, const char *r, const char *name, char c,
                       ra_time t)
{
    struct ra_tag *tag = ra_graph_tag(g, fix_repo(g, r), name, strlen(name));

    fix_repo(g, r)->has_tags_dir = 1;
    tag->has_current = 1;
    tag->current.valid = 1;
    tag->current.target = dg(c);
    tag->current.mtime = t;
    fix_link(g, &tag->history, c, c, t);
    return tag;
}

const char *fix_config_json(char c, const char *arch)
{
    static char doc[128];

    snprintf(doc, sizeof(doc), "{\"architecture\":\"%s\",\"os\":\"linux\",\"n\":\"%c\"}",
             arch, c);
    return doc;
}

void fix_push_image_mt(struct ra_graph *g, const char *r, const char *media_type, char m,
                       char cfg, char layer, const char *arch, ra_time t)
{
    char doc[1024];

    fix_json(g, cfg, fix_config_json(cfg, arch));
    fix_layer_link(g, r, cfg, t);
    fix_layer(g, layer);
    fix_layer_link(g, r, layer, t);
    snprintf(
        doc, sizeof(doc),
        "{\"schemaVersion\":2,\"mediaType\":\"%s\","
        "\"config\":{\"mediaType\":\"" MT_CONFIG "\",\"digest\":\"%s\",\"size\":%zu},"
        "\"layers\":[{\"mediaType\":\"" MT_LAYER "\",\"digest\":\"%s\",\"size\":%d}]}",
        media_type, ds(cfg), strlen(fix_config_json(cfg, arch)), ds(layer), LAYER_SIZE);
    fix_json(g, m, doc);
    fix_revision_link(g, r, m, t);
}

void fix_push_image(struct ra_graph *g, const char *r, char m, char cfg, char layer,
                    const char *arch, ra_time t)
{
    fix_push_image_mt(g, r, RA_MT_OCI_MANIFEST, m, cfg, layer, arch, t);
}

void fix_config(struct ra_graph *g, char c, const char *os, const char *arch)
{
    char doc[256];

    snprintf(doc, sizeof(doc),
             "{\"architecture\":\"%s\",\"os\":\"%s\",\"rootfs\":{\"type\":\"layers\","
             "\"diff_ids\":[]}}",
             arch, os);
    fix_json(g, c, doc);
}

int64_t fix_image(struct ra_graph *g, char m, char cfg, const char *layers,
                  int64_t cfg_absent, int64_t layer_absent)
{
    struct ra_buf json = RA_BUF_INIT;
    const char *p;
    int foreign = 0, n = 0;
    int64_t len;

    ra_buf_printf(&json,
                  "{\"schemaVersion\":2,\"mediaType\":\"" RA_MT_OCI_MANIFEST "\","
                  "\"config\":{\"mediaType\":\"" MT_CONFIG "\",\"digest\":\"%s\","
                  "\"size\":%lld},\"layers\":[",
                  ds(cfg), (long long)fix_blob_size(g, cfg, cfg_absent));
    for (p = layers; *p; p++) {
        if (*p == '|') {
            foreign = 1;
            continue;
        }
        ra_buf_printf(
            &json, "%s{\"mediaType\":\"" MT_LAYER "\",\"digest\":\"%s\",\"size\":%lld%s}",
            n++ ? "," : "", ds(*p), (long long)fix_blob_size(g, *p, layer_absent),
            foreign ? ",\"urls\":[\"https://example.com/layer\"]" : "");
    }
    ra_buf_puts(&json, "]}");
    fix_json(g, m, json.ptr);
    len = (int64_t)json.len;
    ra_buf_release(&json);
    return len;
}

struct ra_blob *fix_index(struct ra_graph *g, char i, const char *children,
                          const char *const *platforms, int64_t size)
{
    struct ra_buf json = RA_BUF_INIT;
    struct ra_blob *b;
    size_t k;

    ra_buf_puts(&json, "{\"schemaVersion\":2,\"mediaType\":\"" RA_MT_OCI_INDEX
                       "\",\"manifests\":[");
    for (k = 0; children[k]; k++) {
        char os[32], arch[32];
        const char *slash = strchr(platforms[k], '/');

        assert_non_null(slash);
        snprintf(os, sizeof(os), "%.*s", (int)(slash - platforms[k]), platforms[k]);
        snprintf(arch, sizeof(arch), "%s", slash + 1);
        ra_buf_printf(
            &json,
            "%s{\"mediaType\":\"" RA_MT_OCI_MANIFEST "\",\"digest\":\"%s\","
            "\"size\":%lld,\"platform\":{\"architecture\":\"%s\",\"os\":\"%s\"}}",
            k ? "," : "", ds(children[k]),
            (long long)(size >= 0 ? size : fix_blob_size(g, children[k], 555)), arch, os);
    }
    ra_buf_puts(&json, "]}");
    b = fix_json(g, i, json.ptr);
    ra_buf_release(&json);
    return b;
}

int64_t fix_push_layers(struct ra_graph *g, const char *r, char m, char cfg,
                        const char *arch, const char *layers)
{
    const char *p;
    int64_t n;

    fix_config(g, cfg, "linux", arch);
    fix_layer_link(g, r, cfg, RA_TIME_NONE);
    for (p = layers; *p; p++) {
        fix_layer(g, *p);
        fix_layer_link(g, r, *p, RA_TIME_NONE);
    }
    n = fix_image(g, m, cfg, layers, 1234, LAYER_SIZE);
    fix_revision_link(g, r, m, RA_TIME_NONE);
    return n;
}

/* ---- files on disk ---------------------------------------------------------------- */

void fix_mkdirs(const char *path)
{
    char buf[1024];
    size_t i, n = strlen(path);

    assert_true(n < sizeof(buf));
    memcpy(buf, path, n + 1);
    for (i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            mkdir(buf, 0755);
            buf[i] = c;
        }
    }
}

void fix_set_mtime(const char *path, ra_time t)
{
    struct timespec ts[2];

    ts[0].tv_sec = ts[1].tv_sec = (time_t)t;
    ts[0].tv_nsec = ts[1].tv_nsec = 0;
    assert_int_equal(utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW), 0);
}

void fix_write(const char *path, const void *data, size_t len, ra_time t)
{
    char dir[1024];
    const char *slash = strrchr(path, '/');
    FILE *f;

    if (slash && slash != path) {
        assert_true((size_t)(slash - path) < sizeof(dir));
        memcpy(dir, path, (size_t)(slash - path));
        dir[slash - path] = '\0';
        fix_mkdirs(dir);
    }
    assert_non_null(f = fopen(path, "wb"));
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    if (t != RA_TIME_NONE)
        fix_set_mtime(path, t);
}

void fix_disk_blob(char hex[65], const char *root, const void *data, size_t len,
                   ra_time t)
{
    struct ra_buf p = RA_BUF_INIT;

    fix_hex(hex, data, len);
    ra_buf_printf(&p, "%s/blobs/sha256/%.2s/%s/data", root, hex, hex);
    fix_write(p.ptr, data, len, t);
    ra_buf_release(&p);
}

void fix_disk_link(const char *path, const char *hex, ra_time t)
{
    char v[80];

    snprintf(v, sizeof(v), "sha256:%s", hex);
    fix_write(path, v, strlen(v), t);
}

/* root/repositories/r/rel, formatted with hex, holding "sha256:<hex>". */
static void repo_link(const char *root, const char *r, const char *rel, const char *hex,
                      ra_time t)
{
    struct ra_buf p = RA_BUF_INIT;

    ra_buf_printf(&p, "%s/repositories/%s/", root, r);
    ra_buf_printf(&p, rel, hex);
    fix_disk_link(p.ptr, hex, t);
    ra_buf_release(&p);
}

void fix_disk_push(struct fix_disk_image *x, const char *root, const char *r,
                   const char *tag, const char *config, const char *layer, int keep_layer,
                   ra_time t)
{
    struct ra_buf m = RA_BUF_INIT, rel = RA_BUF_INIT;

    fix_disk_blob(x->cfg, root, config, strlen(config), t);
    if (keep_layer)
        fix_disk_blob(x->layer, root, layer, strlen(layer), t);
    else
        fix_hex(x->layer, layer, strlen(layer));
    ra_buf_printf(&m,
                  "{\"schemaVersion\":2,\"mediaType\":\"" RA_MT_OCI_MANIFEST "\","
                  "\"config\":{\"mediaType\":\"" MT_CONFIG "\",\"digest\":\"sha256:%s\","
                  "\"size\":%zu},\"layers\":[{\"mediaType\":\"" MT_LAYER
                  "\",\"digest\":\"sha256:%s\",\"size\":%zu}]}",
                  x->cfg, strlen(config), x->layer, strlen(layer));
    fix_disk_blob(x->m, root, m.ptr, m.len, t);
    x->m_size = m.len;
    repo_link(root, r, "_layers/sha256/%s/link", x->cfg, t);
    repo_link(root, r, "_layers/sha256/%s/link", x->layer, t);
    repo_link(root, r, "_manifests/revisions/sha256/%s/link", x->m, t);
    ra_buf_printf(&rel, "_manifests/tags/%s/current/link", tag);
    repo_link(root, r, rel.ptr, x->m, t);
    ra_buf_truncate(&rel, 0);
    ra_buf_printf(&rel, "_manifests/tags/%s/index/sha256/%%s/link", tag);
    repo_link(root, r, rel.ptr, x->m, t);
    ra_buf_release(&m);
    ra_buf_release(&rel);
}

int fix_tmpdir_make(char *tmpl)
{
    return mkdtemp(tmpl) ? 0 : -1;
}

int fix_tmpdir_remove(const char *dir)
{
    char cmd[1100];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}
