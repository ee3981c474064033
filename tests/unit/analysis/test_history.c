/* SPDX-License-Identifier: MIT */
/* ra_history: per-snapshot presence of every object as intervals, from hand-built
 * scans: an object that leaves and comes back, the latest snapshot before k that had
 * it, objects told apart by kind, root, repository and tag, blob entries without data,
 * invalid current links, tag pull results, names never seen, interning. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/history.h"
#include "model/graph.h"

#define ROOT "var/lib/registry/docker/registry/v2"
#define NSCANS 5

static struct ra_digest dg(char c)
{
    char hex[64];
    struct ra_digest d;

    memset(hex, c, sizeof(hex));
    assert_int_equal(ra_digest_from_hex(&d, hex, sizeof(hex)), 0);
    return d;
}

/* One scan: a graph under root and a registry result holding the given tag results. */
struct fake {
    struct ra_graph *g;
    struct ra_registry_result reg;
    struct ra_registry_result *regs[1];
    struct ra_tag_result tags[2];
    struct ra_scan scan;
};

static void fake_init(struct fake *f, const char *root)
{
    memset(f, 0, sizeof(*f));
    ra_graph_new(&f->g, root, strlen(root));
    f->reg.graph = f->g;
    f->reg.tags = f->tags;
    f->regs[0] = &f->reg;
    f->scan.regs = f->regs;
    f->scan.nregs = 1;
}

static void blob(struct fake *f, char c, int present)
{
    struct ra_digest d = dg(c);

    ra_graph_blob(f->g, &d)->present = present;
}

static struct ra_repo *repo(struct fake *f, const char *name)
{
    return ra_graph_repo(f->g, name, strlen(name));
}

static void revision(struct fake *f, const char *r, char c)
{
    struct ra_digest d = dg(c);

    ra_graph_link(f->g, &repo(f, r)->revisions, &d)->valid = 1;
}

static void layer(struct fake *f, const char *r, char c)
{
    struct ra_digest d = dg(c);

    ra_graph_link(f->g, &repo(f, r)->layers, &d)->valid = 1;
}

static void tag(struct fake *f, const char *r, const char *name, int valid)
{
    struct ra_repo *rp = repo(f, r);
    struct ra_tag *t = ra_graph_tag(f->g, rp, name, strlen(name));

    t->has_current = 1;
    t->current.valid = valid;
}

static void tag_result(struct fake *f, const char *r, const char *name, int pullable)
{
    struct ra_tag_result *t = &f->tags[f->reg.ntags++];

    t->repository = r;
    t->tag = name;
    t->resolves = 1;
    t->pullable = pullable;
}

static struct ra_hist_key key(enum ra_hist_kind kind, const char *root, const char *r,
                              const struct ra_digest *d, const char *t)
{
    struct ra_hist_key k = {kind, root, r, d, t};
    return k;
}

/* Blob 'a' in scans 0, 1 and 3 (gone in 2, an entry without data in 4); blob 'b' only
 * in scan 4. */
static void test_history__intervals_and_last_before(void **state)
{
    struct fake f[NSCANS];
    struct ra_history *h;
    struct ra_digest a = dg('a'), b = dg('b');
    struct ra_hist_key ka = key(RA_HIST_BLOB, ROOT, NULL, &a, NULL),
                       kb = key(RA_HIST_BLOB, ROOT, NULL, &b, NULL);
    size_t i, objects, changes;

    (void)state;
    ra_history_new(&h);
    for (i = 0; i < NSCANS; i++) {
        fake_init(&f[i], ROOT);
        if (i != 2)
            blob(&f[i], 'a', i != 4);
        if (i == 4)
            blob(&f[i], 'b', 1);
        ra_history_add(h, &f[i].scan);
    }
    assert_int_equal(ra_history_count(h), NSCANS);
    assert_true(ra_history_has(h, &ka, 0));
    assert_true(ra_history_has(h, &ka, 1));
    assert_false(ra_history_has(h, &ka, 2));
    assert_true(ra_history_has(h, &ka, 3));
    assert_false(ra_history_has(h, &ka, 4));
    assert_false(ra_history_has(h, &ka, 5));
    assert_int_equal(ra_history_last_before(h, &ka, 0), SIZE_MAX);
    assert_int_equal(ra_history_last_before(h, &ka, 1), 0);
    assert_int_equal(ra_history_last_before(h, &ka, 2), 1);
    assert_int_equal(ra_history_last_before(h, &ka, 3), 1);
    assert_int_equal(ra_history_last_before(h, &ka, 4), 3);
    assert_int_equal(ra_history_last_before(h, &ka, 9), 3);
    assert_false(ra_history_has(h, &kb, 3));
    assert_true(ra_history_has(h, &kb, 4));
    assert_int_equal(ra_history_last_before(h, &kb, 4), SIZE_MAX);
    assert_int_equal(ra_history_last_before(h, &kb, 5), 4);
    /* two objects; 'a' came back once: one interval beyond its first */
    ra_history_size(h, &objects, &changes);
    assert_int_equal(objects, 2);
    assert_int_equal(changes, 1);
    ra_history_free(h);
    for (i = 0; i < NSCANS; i++)
        ra_graph_free(f[i].g);
}

/* The same digest as a revision link, a layer link and blob data, in two repositories
 * and two roots: each its own object. */
static void test_history__kinds_repos_and_roots_apart(void **state)
{
    struct fake f[2];
    struct ra_history *h;
    struct ra_digest c = dg('c');
    size_t i;

    (void)state;
    ra_history_new(&h);
    fake_init(&f[0], ROOT);
    revision(&f[0], "app", 'c');
    layer(&f[0], "lib/base", 'c');
    fake_init(&f[1], "other");
    blob(&f[1], 'c', 1);
    revision(&f[1], "lib/base", 'c');
    for (i = 0; i < 2; i++)
        ra_history_add(h, &f[i].scan);
    assert_true(ra_history_has(
        h, &(struct ra_hist_key){RA_HIST_REVISION, ROOT, "app", &c, NULL}, 0));
    assert_false(ra_history_has(
        h, &(struct ra_hist_key){RA_HIST_LAYER, ROOT, "app", &c, NULL}, 0));
    assert_false(ra_history_has(
        h, &(struct ra_hist_key){RA_HIST_REVISION, ROOT, "lib/base", &c, NULL}, 0));
    assert_true(ra_history_has(
        h, &(struct ra_hist_key){RA_HIST_LAYER, ROOT, "lib/base", &c, NULL}, 0));
    assert_false(
        ra_history_has(h, &(struct ra_hist_key){RA_HIST_BLOB, ROOT, NULL, &c, NULL}, 0));
    assert_true(ra_history_has(
        h, &(struct ra_hist_key){RA_HIST_BLOB, "other", NULL, &c, NULL}, 1));
    assert_true(ra_history_has(
        h, &(struct ra_hist_key){RA_HIST_REVISION, "other", "lib/base", &c, NULL}, 1));
    assert_false(ra_history_has(
        h, &(struct ra_hist_key){RA_HIST_REVISION, ROOT, "lib/base", &c, NULL}, 1));
    /* repositories are objects too; the digest does not matter for them */
    assert_true(
        ra_history_has(h, &(struct ra_hist_key){RA_HIST_REPO, ROOT, "app", &c, NULL}, 0));
    assert_true(ra_history_has(
        h, &(struct ra_hist_key){RA_HIST_REPO, ROOT, "app", NULL, NULL}, 0));
    assert_false(ra_history_has(
        h, &(struct ra_hist_key){RA_HIST_REPO, ROOT, "app", NULL, NULL}, 1));
    /* a name never seen: nothing had it */
    assert_false(ra_history_has(
        h, &(struct ra_hist_key){RA_HIST_REPO, ROOT, "nope", NULL, NULL}, 0));
    assert_int_equal(
        ra_history_last_before(
            h, &(struct ra_hist_key){RA_HIST_BLOB, "nope", NULL, &c, NULL}, 2),
        SIZE_MAX);
    ra_history_free(h);
    for (i = 0; i < 2; i++)
        ra_graph_free(f[i].g);
}

/* Tags: a current link counts only when valid; the pull results: listed, and pulls. */
static void test_history__tags_and_pull_results(void **state)
{
    struct fake f[3];
    struct ra_history *h;
    struct ra_hist_key cur = key(RA_HIST_TAG, ROOT, "app", NULL, "latest"),
                       other = key(RA_HIST_TAG, ROOT, "app", NULL, "v1"),
                       listed = key(RA_HIST_TAG_LISTED, ROOT, "app", NULL, "latest"),
                       pulls = key(RA_HIST_TAG_PULLS, ROOT, "app", NULL, "latest");
    size_t i;

    (void)state;
    ra_history_new(&h);
    for (i = 0; i < 3; i++)
        fake_init(&f[i], ROOT);
    tag(&f[0], "app", "latest", 1);
    tag_result(&f[0], "app", "latest", 1);
    tag(&f[1], "app", "latest", 0); /* a broken current link */
    tag_result(&f[1], "app", "latest", 0);
    tag(&f[2], "app", "v1", 1);
    for (i = 0; i < 3; i++)
        ra_history_add(h, &f[i].scan);
    assert_true(ra_history_has(h, &cur, 0));
    assert_false(ra_history_has(h, &cur, 1));
    assert_false(ra_history_has(h, &cur, 2));
    assert_false(ra_history_has(h, &other, 0));
    assert_true(ra_history_has(h, &other, 2));
    assert_true(ra_history_has(h, &listed, 0));
    assert_true(ra_history_has(h, &listed, 1));
    assert_false(ra_history_has(h, &listed, 2));
    assert_true(ra_history_has(h, &pulls, 0));
    assert_false(ra_history_has(h, &pulls, 1));
    assert_int_equal(ra_history_last_before(h, &pulls, 3), 0);
    ra_history_free(h);
    for (i = 0; i < 3; i++)
        ra_graph_free(f[i].g);
}

static void test_history__intern(void **state)
{
    struct ra_history *h;
    char a[] = "infra-ci", b[] = "infra-ci";
    const char *x, *y, *z;

    (void)state;
    ra_history_new(&h);
    x = ra_history_intern(h, a);
    y = ra_history_intern(h, b);
    z = ra_history_intern(h, "other");
    assert_ptr_equal(x, y);
    assert_ptr_not_equal(x, a);
    assert_string_equal(x, "infra-ci");
    assert_string_equal(z, "other");
    ra_history_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_history__intervals_and_last_before),
        cmocka_unit_test(test_history__kinds_repos_and_roots_apart),
        cmocka_unit_test(test_history__tags_and_pull_results),
        cmocka_unit_test(test_history__intern),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
