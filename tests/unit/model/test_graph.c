/* SPDX-License-Identifier: MIT */
/* ra_graph: get-or-create identity, defaults, sorted views, counts, storage paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "model/graph.h"
#include "util/buf.h"

#include "fixture.h"

#define HEX_A "5861314d7fccb39c2192173240eab44fa35ca66426201ca2acd0630a6258dd51"
#define HEX_B "f69162950f235e3cdbbad33f1f912d1a504be90d8a37d002c735d6f3e3882265"
#define HEX_C "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"

/* A digest whose 32 bytes are all n. */
static struct ra_digest dn(unsigned n)
{
    struct ra_digest d;

    memset(d.b, (int)n, sizeof(d.b));
    return d;
}

static struct ra_tag *tag(struct ra_graph *g, struct ra_repo *r, const char *name)
{
    return ra_graph_tag(g, r, name, strlen(name));
}

static void test_graph__new_copies_root(void **state)
{
    char root[] = ROOT "/extra";
    struct ra_graph *g = NULL;

    (void)state;
    ra_graph_new(&g, root, strlen(ROOT));
    assert_string_equal(g->root, ROOT);
    assert_ptr_not_equal(g->root, root);
    root[0] = 'X';
    assert_string_equal(g->root, ROOT);
    assert_int_equal(g->blobs.count, 0);
    assert_int_equal(g->repos.count, 0);
    ra_graph_free(g);
    ra_graph_free(NULL);
}

static void test_graph__blob_get_or_create(void **state)
{
    struct ra_graph *g = fix_graph("");
    struct ra_digest a = fix_digest(HEX_A), a2 = fix_digest(HEX_A), b = fix_digest(HEX_B);
    struct ra_blob *x, *y;

    (void)state;
    assert_null(ra_graph_find_blob(g, &a));
    x = ra_graph_blob(g, &a);
    assert_non_null(x);
    assert_int_equal(ra_digest_cmp(&x->digest, &a), 0);
    assert_int_equal(x->present, 0);
    assert_int_equal(x->size, -1);
    assert_true(x->mtime == RA_TIME_NONE);
    assert_int_equal(x->hash, RA_HASH_UNKNOWN);
    assert_null(x->manifest);
    assert_null(x->parse_error);
    assert_ptr_equal(ra_graph_blob(g, &a2), x);
    assert_ptr_equal(ra_graph_find_blob(g, &a2), x);
    y = ra_graph_blob(g, &b);
    assert_ptr_not_equal(x, y);
    assert_int_equal(g->blobs.count, 2);
    ra_graph_free(g);
}

static void test_graph__nodes_stay_put_as_maps_grow(void **state)
{
    struct ra_graph *g = fix_graph("");
    struct ra_digest first = fix_digest(HEX_A), d;
    struct ra_blob *b;
    struct ra_repo *r;
    char name[32];
    uint32_t i;

    (void)state;
    b = ra_graph_blob(g, &first);
    b->present = 1;
    b->size = 1472;
    r = fix_repo(g, "infra-ci");
    for (i = 0; i < 10000; i++) {
        memset(&d, 0, sizeof(d));
        memcpy(d.b + 28, &i, sizeof(i));
        ra_graph_blob(g, &d);
        snprintf(name, sizeof(name), "repo-%u", (unsigned)i);
        fix_repo(g, name);
    }
    assert_ptr_equal(ra_graph_find_blob(g, &first), b);
    assert_int_equal(b->size, 1472);
    assert_ptr_equal(fix_repo(g, "infra-ci"), r);
    assert_string_equal(r->name, "infra-ci");
    assert_int_equal(g->blobs.count, 10001);
    assert_int_equal(g->repos.count, 10001);
    ra_graph_free(g);
}

static void test_graph__repo_get_or_create(void **state)
{
    struct ra_graph *g = fix_graph(ROOT);
    char name[] = "tools/kubectl/_layers";
    struct ra_repo *r, *k;

    (void)state;
    r = ra_graph_repo(g, name, strlen("tools/kubectl"));
    assert_string_equal(r->name, "tools/kubectl");
    assert_ptr_not_equal(r->name, name);
    assert_int_equal(r->layers.count, 0);
    assert_int_equal(r->tags.count, 0);
    k = fix_repo(g, "tools/kubectl");
    assert_ptr_equal(k, r);
    assert_ptr_not_equal(fix_repo(g, "tools"), r);
    assert_ptr_not_equal(fix_repo(g, "tools/kubectl/x"), r);
    assert_int_equal(g->repos.count, 3);
    ra_graph_free(g);
}

static void test_graph__tags_belong_to_their_repo(void **state)
{
    struct ra_graph *g = fix_graph("");
    struct ra_repo *a = fix_repo(g, "a"), *b = fix_repo(g, "b");
    struct ra_tag *ta, *tb;

    (void)state;
    ta = tag(g, a, "latest");
    tb = tag(g, b, "latest");
    assert_ptr_not_equal(ta, tb);
    assert_ptr_equal(tag(g, a, "latest"), ta);
    assert_string_equal(ta->name, "latest");
    assert_int_equal(ta->has_current, 0);
    assert_int_equal(ta->current.valid, 0);
    assert_true(ta->current.mtime == RA_TIME_NONE);
    assert_int_equal(ta->history.count, 0);
    assert_ptr_equal(ra_graph_tag(g, a, "v1.2.3-rc", 4), tag(g, a, "v1.2"));
    assert_int_equal(a->tags.count, 2);
    assert_int_equal(b->tags.count, 1);
    ra_graph_free(g);
}

static void test_graph__upload_get_or_create(void **state)
{
    struct ra_graph *g = fix_graph("");
    struct ra_repo *r = fix_repo(g, "infra-ci");
    struct ra_upload *u;
    const char *uuid = "3f2a9c1e-4b5d-4e6f-8a7b-9c0d1e2f3a4b";

    (void)state;
    u = ra_graph_upload(g, r, uuid, strlen(uuid));
    assert_string_equal(u->uuid, uuid);
    assert_true(u->started_at == RA_TIME_NONE);
    assert_true(u->mtime == RA_TIME_NONE);
    assert_int_equal(u->size, -1);
    assert_ptr_equal(ra_graph_upload(g, r, uuid, strlen(uuid)), u);
    assert_int_equal(r->uploads.count, 1);
    ra_graph_free(g);
}

static void test_graph__links_per_map(void **state)
{
    struct ra_graph *g = fix_graph("");
    struct ra_repo *r = fix_repo(g, "infra-ci");
    struct ra_tag *t = tag(g, r, "latest");
    struct ra_digest a = fix_digest(HEX_A), b = fix_digest(HEX_B);
    struct ra_link *l, *rev, *hist;

    (void)state;
    assert_null(ra_graph_find_link(&r->layers, &a));
    l = ra_graph_link(g, &r->layers, &a);
    assert_int_equal(ra_digest_cmp(&l->key, &a), 0);
    assert_int_equal(l->valid, 0);
    assert_true(l->mtime == RA_TIME_NONE);
    assert_ptr_equal(ra_graph_link(g, &r->layers, &a), l);
    assert_ptr_equal(ra_graph_find_link(&r->layers, &a), l);
    /* the same digest in another map is another link */
    rev = ra_graph_link(g, &r->revisions, &a);
    hist = ra_graph_link(g, &t->history, &a);
    assert_ptr_not_equal(rev, l);
    assert_ptr_not_equal(hist, l);
    assert_ptr_not_equal(hist, rev);
    assert_null(ra_graph_find_link(&r->revisions, &b));
    assert_int_equal(r->layers.count, 1);
    assert_int_equal(r->revisions.count, 1);
    assert_int_equal(t->history.count, 1);
    ra_graph_free(g);
}

static void test_graph__note_odd_keeps_order(void **state)
{
    struct ra_graph *g = fix_graph("");
    const char *p1 = "blobs/sha256/58/" HEX_A "/data";
    const char *p2 = "repositories/r/_layers/sha256/" HEX_B "/link.extra";
    const struct ra_odd_member *o;

    (void)state;
    ra_graph_note_odd(g, p1, strlen(p1), "symlink not followed");
    ra_graph_note_odd(g, p2, strlen(p2) - strlen(".extra"), "device");
    assert_int_equal(g->odd.len, 2);
    o = g->odd.items[0];
    assert_string_equal(o->path, p1);
    assert_string_equal(o->what, "symlink not followed");
    o = g->odd.items[1];
    assert_string_equal(o->path, "repositories/r/_layers/sha256/" HEX_B "/link");
    assert_string_equal(o->what, "device");
    ra_graph_free(g);
}

static void test_graph__sorted_repos_and_tags(void **state)
{
    static const char *const names[] = {"tools/kubectl", "a/b", "B",
                                        "a-b",           "a",   "infra-ci"};
    static const char *const want[] = {"B",   "a",        "a-b",
                                       "a/b", "infra-ci", "tools/kubectl"};
    struct ra_graph *g = fix_graph("");
    struct ra_vec v = RA_VEC_INIT;
    struct ra_repo *r;
    size_t i;

    (void)state;
    for (i = 0; i < RA_ARRAY_SIZE(names); i++)
        fix_repo(g, names[i]);
    ra_graph_sorted_repos(&v, g);
    assert_int_equal(v.len, RA_ARRAY_SIZE(want));
    for (i = 0; i < v.len; i++)
        assert_string_equal(((struct ra_repo *)v.items[i])->name, want[i]);
    /* the view is refilled, not appended to */
    ra_graph_sorted_repos(&v, g);
    assert_int_equal(v.len, RA_ARRAY_SIZE(want));

    r = fix_repo(g, "infra-ci");
    tag(g, r, "v1.10");
    tag(g, r, "v1.9");
    tag(g, r, "latest");
    tag(g, r, "Latest");
    ra_graph_sorted_tags(&v, r);
    assert_int_equal(v.len, 4);
    assert_string_equal(((struct ra_tag *)v.items[0])->name, "Latest");
    assert_string_equal(((struct ra_tag *)v.items[1])->name, "latest");
    assert_string_equal(((struct ra_tag *)v.items[2])->name, "v1.10");
    assert_string_equal(((struct ra_tag *)v.items[3])->name, "v1.9");
    ra_graph_sorted_tags(&v, fix_repo(g, "a"));
    assert_int_equal(v.len, 0);
    ra_vec_release(&v);
    ra_graph_free(g);
}

static void test_graph__sorted_uploads(void **state)
{
    struct ra_graph *g = fix_graph("");
    struct ra_repo *r = fix_repo(g, "infra-ci");
    struct ra_vec v = RA_VEC_INIT;

    (void)state;
    ra_graph_upload(g, r, "c", 1);
    ra_graph_upload(g, r, "a", 1);
    ra_graph_upload(g, r, "b", 1);
    ra_graph_sorted_uploads(&v, r);
    assert_int_equal(v.len, 3);
    assert_string_equal(((struct ra_upload *)v.items[0])->uuid, "a");
    assert_string_equal(((struct ra_upload *)v.items[1])->uuid, "b");
    assert_string_equal(((struct ra_upload *)v.items[2])->uuid, "c");
    ra_vec_release(&v);
    ra_graph_free(g);
}

static void test_graph__sorted_links_and_blobs_by_digest(void **state)
{
    struct ra_graph *g = fix_graph("");
    struct ra_repo *r = fix_repo(g, "r");
    struct ra_vec v = RA_VEC_INIT;
    unsigned order[] = {0x80, 0x01, 0xff, 0x7f, 0x00};
    size_t i;

    (void)state;
    for (i = 0; i < RA_ARRAY_SIZE(order); i++) {
        struct ra_digest d = dn(order[i]);
        ra_graph_link(g, &r->layers, &d);
        ra_graph_blob(g, &d);
    }
    ra_graph_sorted_links(&v, &r->layers);
    assert_int_equal(v.len, 5);
    assert_int_equal(((struct ra_link *)v.items[0])->key.b[0], 0x00);
    assert_int_equal(((struct ra_link *)v.items[1])->key.b[0], 0x01);
    assert_int_equal(((struct ra_link *)v.items[2])->key.b[0], 0x7f);
    assert_int_equal(((struct ra_link *)v.items[3])->key.b[0], 0x80);
    assert_int_equal(((struct ra_link *)v.items[4])->key.b[0], 0xff);
    ra_graph_sorted_blobs(&v, g);
    assert_int_equal(v.len, 5);
    for (i = 1; i < v.len; i++) {
        const struct ra_blob *a = v.items[i - 1], *b = v.items[i];
        assert_true(ra_digest_cmp(&a->digest, &b->digest) < 0);
    }
    ra_vec_release(&v);
    ra_graph_free(g);
}

static void test_graph__counts(void **state)
{
    struct ra_graph *g = fix_graph(ROOT);
    struct ra_digest a = fix_digest(HEX_A), b = fix_digest(HEX_B), c = fix_digest(HEX_C);
    struct ra_repo *r1 = fix_repo(g, "infra-ci"), *r2 = fix_repo(g, "tools/kubectl");
    struct ra_graph_counts n;
    struct ra_blob *x;

    (void)state;
    fix_repo(g, "empty");
    x = ra_graph_blob(g, &a);
    x->present = 1;
    x->size = 1000;
    x = ra_graph_blob(g, &b);
    x->present = 1;
    x->size = 24;
    x = ra_graph_blob(g, &c); /* referenced, data absent: not counted */
    x->size = 99999;
    /* manifest a is revision-linked in both repositories: one manifest */
    ra_graph_link(g, &r1->revisions, &a);
    ra_graph_link(g, &r2->revisions, &a);
    ra_graph_link(g, &r2->revisions, &c);
    ra_graph_link(g, &r1->layers, &b);
    ra_graph_link(g, &r2->layers, &b);
    ra_graph_link(g, &r2->layers, &c);
    tag(g, r1, "latest");
    tag(g, r1, "v1");
    tag(g, r2, "latest");
    ra_graph_upload(g, r1, "u1", 2);

    ra_graph_count(&n, g);
    assert_int_equal(n.blobs, 2);
    assert_int_equal(n.bytes, 1024);
    assert_int_equal(n.repositories, 3);
    assert_int_equal(n.tags, 3);
    assert_int_equal(n.manifests, 2);
    assert_int_equal(n.layer_links, 3);
    assert_int_equal(n.uploads, 1);
    ra_graph_free(g);
}

static void test_graph__counts_empty_and_unknown_sizes(void **state)
{
    struct ra_graph *g = fix_graph("");
    struct ra_graph_counts n;
    struct ra_digest a = fix_digest(HEX_A);
    struct ra_blob *x;

    (void)state;
    memset(&n, 0xff, sizeof(n));
    ra_graph_count(&n, g);
    assert_int_equal(n.blobs, 0);
    assert_int_equal(n.bytes, 0);
    assert_int_equal(n.repositories, 0);
    assert_int_equal(n.manifests, 0);
    x = ra_graph_blob(g, &a);
    x->present = 1; /* present, size never learned */
    ra_graph_count(&n, g);
    assert_int_equal(n.blobs, 1);
    assert_int_equal(n.bytes, 0);
    ra_graph_free(g);
}

static void test_graph__blob_path(void **state)
{
    struct ra_graph *g = fix_graph(ROOT), *bare = fix_graph("");
    struct ra_digest a = fix_digest(HEX_A);
    struct ra_buf b = RA_BUF_INIT;

    (void)state;
    ra_buf_puts(&b, "stale contents are replaced");
    ra_graph_blob_path(&b, g, &a);
    assert_string_equal(b.ptr, ROOT "/blobs/sha256/58/" HEX_A "/data");
    ra_graph_blob_path(&b, bare, &a);
    assert_string_equal(b.ptr, "blobs/sha256/58/" HEX_A "/data");
    ra_buf_release(&b);
    ra_graph_free(g);
    ra_graph_free(bare);
}

static void test_graph__link_paths(void **state)
{
    struct ra_graph *g = fix_graph(ROOT), *bare = fix_graph("");
    struct ra_digest a = fix_digest(HEX_A);
    struct ra_buf b = RA_BUF_INIT;

    (void)state;
    ra_buf_puts(&b, "stale");
    ra_graph_link_path(&b, g, RA_LINK_LAYER, "tools/kubectl", NULL, &a);
    assert_string_equal(b.ptr,
                        ROOT "/repositories/tools/kubectl/_layers/sha256/" HEX_A "/link");
    ra_graph_link_path(&b, g, RA_LINK_REVISION, "infra-ci", NULL, &a);
    assert_string_equal(
        b.ptr, ROOT "/repositories/infra-ci/_manifests/revisions/sha256/" HEX_A "/link");
    ra_graph_link_path(&b, g, RA_LINK_TAG_CURRENT, "infra-ci", "latest", NULL);
    assert_string_equal(b.ptr, ROOT
                        "/repositories/infra-ci/_manifests/tags/latest/current/link");
    ra_graph_link_path(&b, g, RA_LINK_TAG_INDEX, "infra-ci", "v1.2", &a);
    assert_string_equal(b.ptr, ROOT
                        "/repositories/infra-ci/_manifests/tags/v1.2/index/sha256/" HEX_A
                        "/link");
    ra_graph_link_path(&b, bare, RA_LINK_LAYER, "a/b/c", NULL, &a);
    assert_string_equal(b.ptr, "repositories/a/b/c/_layers/sha256/" HEX_A "/link");
    ra_graph_link_path(&b, bare, RA_LINK_REVISION, "r", NULL, &a);
    assert_string_equal(b.ptr,
                        "repositories/r/_manifests/revisions/sha256/" HEX_A "/link");
    ra_graph_link_path(&b, bare, RA_LINK_TAG_CURRENT, "r", "latest", NULL);
    assert_string_equal(b.ptr, "repositories/r/_manifests/tags/latest/current/link");
    ra_graph_link_path(&b, bare, RA_LINK_TAG_INDEX, "r", "latest", &a);
    assert_string_equal(b.ptr, "repositories/r/_manifests/tags/latest/index/sha256/" HEX_A
                               "/link");
    ra_buf_release(&b);
    ra_graph_free(g);
    ra_graph_free(bare);
}

static void test_graph__free_releases_everything(void **state)
{
    struct ra_graph *g = fix_graph(ROOT);
    struct ra_digest d;
    char name[16];
    unsigned i, j;

    (void)state;
    /* tags with history maps, uploads, odd members: ASan reports any leak */
    for (i = 0; i < 20; i++) {
        struct ra_repo *r;
        snprintf(name, sizeof(name), "r%u", i);
        r = fix_repo(g, name);
        for (j = 0; j < 20; j++) {
            struct ra_tag *t;
            snprintf(name, sizeof(name), "t%u", j);
            t = tag(g, r, name);
            d = dn(j);
            ra_graph_link(g, &t->history, &d);
            ra_graph_link(g, &r->layers, &d);
            ra_graph_link(g, &r->revisions, &d);
            ra_graph_upload(g, r, name, strlen(name));
        }
        ra_graph_note_odd(g, "x", 1, "symlink not followed");
    }
    ra_graph_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_graph__new_copies_root),
        cmocka_unit_test(test_graph__blob_get_or_create),
        cmocka_unit_test(test_graph__nodes_stay_put_as_maps_grow),
        cmocka_unit_test(test_graph__repo_get_or_create),
        cmocka_unit_test(test_graph__tags_belong_to_their_repo),
        cmocka_unit_test(test_graph__upload_get_or_create),
        cmocka_unit_test(test_graph__links_per_map),
        cmocka_unit_test(test_graph__note_odd_keeps_order),
        cmocka_unit_test(test_graph__sorted_repos_and_tags),
        cmocka_unit_test(test_graph__sorted_uploads),
        cmocka_unit_test(test_graph__sorted_links_and_blobs_by_digest),
        cmocka_unit_test(test_graph__counts),
        cmocka_unit_test(test_graph__counts_empty_and_unknown_sizes),
        cmocka_unit_test(test_graph__blob_path),
        cmocka_unit_test(test_graph__link_paths),
        cmocka_unit_test(test_graph__free_releases_everything),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
