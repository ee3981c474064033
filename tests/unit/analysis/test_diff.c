/* SPDX-License-Identifier: MIT */
/* ra_diff_compute: every change kind between two hand-built scans (graphs built through
 * the model API, manifests parsed from real JSON, tags judged by ra_pull_analyze),
 * registry roots present on one side only, and the sorted order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/diff.h"
#include "model/graph.h"
#include "util/buf.h"

#include "fixture_analysis.h"

#define MIRROR "mirror/docker/registry/v2"
#define LATER "zz/docker/registry/v2"

/* ---- graphs --------------------------------------------------------------------- */

static const char *image_json(char cfg, char layer)
{
    static char doc[1024];

    snprintf(
        doc, sizeof(doc),
        "{\"schemaVersion\":2,\"mediaType\":\"" RA_MT_OCI_MANIFEST "\","
        "\"config\":{\"mediaType\":\"" MT_CONFIG "\",\"digest\":\"%s\",\"size\":%zu},"
        "\"layers\":[{\"mediaType\":\"" MT_LAYER "\",\"digest\":\"%s\",\"size\":%d}]}",
        ds(cfg), strlen(fix_config_json(cfg, "amd64")), ds(layer), LAYER_SIZE);
    return doc;
}

static void drop_blob(struct ra_graph *g, char c)
{
    struct ra_digest d = dg(c);
    struct ra_blob *b = ra_graph_find_blob(g, &d);

    assert_non_null(b);
    b->present = 0;
    b->manifest = NULL;
}

static void drop_link(struct ra_map *map, char c)
{
    struct ra_digest d = dg(c);

    assert_non_null(ra_map_del(map, d.b, sizeof(d.b)));
}

struct fx {
    struct ra_scan *old, *new_;
    struct ra_diff *diff;
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
    free(f);
    return 0;
}

/* ---- expectations --------------------------------------------------------------- */

/* "kind repo:tag old>new [size] [reason]" with digests as their first hex character or
 * '-' for none. */
static void describe(struct ra_buf *out, const struct ra_change *c)
{
    char o[RA_DIGEST_STRLEN], n[RA_DIGEST_STRLEN];

    ra_buf_printf(out, "%s %s:%s %c>%c", ra_change_kind_name(c->kind), c->repository,
                  c->tag, c->has_old ? ra_digest_format(o, &c->old_digest)[7] : '-',
                  c->has_new ? ra_digest_format(n, &c->new_digest)[7] : '-');
    if (c->size >= 0)
        ra_buf_printf(out, " %lld", (long long)c->size);
    if (c->reason != RA_F_NONE)
        ra_buf_printf(out, " %s", ra_finding_code_name(c->reason));
}

static void expect_changes(const struct ra_diff_registry *reg, const char *const *want,
                           size_t n)
{
    struct ra_buf got = RA_BUF_INIT, all = RA_BUF_INIT;
    size_t i, counts[RA_CHANGE__COUNT] = {0};

    for (i = 0; i < reg->changes.len; i++) {
        const struct ra_change *c = reg->changes.items[i];
        ra_buf_truncate(&got, 0);
        describe(&got, c);
        ra_buf_printf(&all, "  %s\n", got.ptr);
        counts[c->kind]++;
    }
    if (reg->changes.len != n) {
        print_message("%s", ra_buf_cstr(&all));
        ra_buf_release(&got);
        ra_buf_release(&all);
        fail_msg("%zu changes, want %zu", reg->changes.len, n);
    }
    for (i = 0; i < n; i++) {
        ra_buf_truncate(&got, 0);
        describe(&got, reg->changes.items[i]);
        if (strcmp(got.ptr, want[i])) {
            print_message("%s", ra_buf_cstr(&all));
            fail_msg("change %zu: '%s', want '%s'", i, got.ptr, want[i]);
        }
    }
    for (i = 0; i < RA_CHANGE__COUNT; i++)
        assert_int_equal(reg->counts[i], counts[i]);
    ra_buf_release(&got);
    ra_buf_release(&all);
}

/* Full digests, not only their first characters. */
static void assert_change_digests(const struct ra_change *c, char old_c, char new_c)
{
    struct ra_digest d;

    if (old_c) {
        d = dg(old_c);
        assert_int_equal(ra_digest_cmp(&c->old_digest, &d), 0);
    }
    if (new_c) {
        d = dg(new_c);
        assert_int_equal(ra_digest_cmp(&c->new_digest, &d), 0);
    }
}

/* ---- the scenario ---------------------------------------------------------------- */

/* Old: infra-ci has '2' (config '4', layer '6') as latest, broken and old, '3' (config
 * '5', layer '7') as stable; base:v1 is 'a' (config 'b', layer 'c' missing); 'e' is an
 * unreferenced upload. */
static struct ra_graph *old_graph(void)
{
    struct ra_graph *g = fix_graph(ROOT);
    struct ra_digest c = dg('c');

    fix_push_image(g, REPO, '2', '4', '6', "amd64", RA_TIME_NONE);
    fix_push_image(g, REPO, '3', '5', '7', "amd64", RA_TIME_NONE);
    fix_tag(g, REPO, "latest", '2', RA_TIME_NONE);
    fix_tag(g, REPO, "broken", '2', RA_TIME_NONE);
    fix_tag(g, REPO, "old", '2', RA_TIME_NONE);
    fix_tag(g, REPO, "stable", '3', RA_TIME_NONE);
    fix_push_image(g, "base", 'a', 'b', 'c', "amd64", RA_TIME_NONE);
    ra_graph_blob(g, &c)->present = 0;
    fix_tag(g, "base", "v1", 'a', RA_TIME_NONE);
    fix_layer(g, 'e');
    return g;
}

/* New: old pruned (folder gone); broken lost its current link; stable moved to '8'
 * (config '9', layer '6') and lost its '3' history entry, '3' its revision link, its
 * blobs and the _layers link of '7'; new -> '2' added; '2' lost its config '4';
 * base:v1 repaired ('c' restored); 'e' swept. */
static struct ra_graph *new_graph(void)
{
    struct ra_graph *g = old_graph();
    struct ra_repo *r = fix_repo(g, REPO);
    struct ra_tag *t;

    /* the graph frees tags it holds: release what the removed one owns */
    assert_non_null(t = ra_map_del(&r->tags, "old", 3));
    ra_map_release(&t->history);
    t = ra_map_gets(&r->tags, "broken");
    t->has_current = 0;
    fix_push_image(g, REPO, '8', '9', '6', "amd64", RA_TIME_NONE);
    fix_tag(g, REPO, "stable", '8', RA_TIME_NONE);
    t = ra_map_gets(&r->tags, "stable");
    drop_link(&t->history, '3');
    drop_link(&r->revisions, '3');
    drop_link(&r->layers, '7');
    drop_blob(g, '3');
    drop_blob(g, '5');
    drop_blob(g, '7');
    fix_tag(g, REPO, "new", '2', RA_TIME_NONE);
    drop_blob(g, '4');
    fix_layer(g, 'c');
    drop_blob(g, 'e');
    return g;
}

static void test_diff__every_change_kind(void **state)
{
    struct fx *f = *state;
    struct ra_graph *og = old_graph(), *ng = new_graph();
    const struct ra_diff_registry *reg;
    char line[128];
    size_t n3, n5;
    const char *want[32];
    size_t n = 0;
    static char sizes[3][64];

    n3 = strlen(image_json('5', '7'));
    n5 = strlen(fix_config_json('5', "amd64"));
    f->old = fix_scan("reg-2026-04-12T0100Z", "reg-2026-04-12T0100Z", 1775955600, &og, 1,
                      NULL);
    f->new_ = fix_scan("reg-2026-04-13T0100Z", "reg-2026-04-13T0100Z", 1776042000, &ng, 1,
                       NULL);
    ra_diff_compute(&f->diff, f->old, f->new_);

    assert_ptr_equal(f->diff->old_scan, f->old);
    assert_ptr_equal(f->diff->new_scan, f->new_);
    assert_int_equal(f->diff->nregs, 1);
    reg = &f->diff->regs[0];
    assert_string_equal(reg->root, ROOT);
    assert_true(reg->in_old);
    assert_true(reg->in_new);

    want[n++] = "tag_added infra-ci:new ->2";
    want[n++] = "tag_removed infra-ci:broken 2>-";
    want[n++] = "tag_removed infra-ci:old 2>-";
    want[n++] = "tag_moved infra-ci:stable 3>8";
    want[n++] = "revision_removed infra-ci: 3>-";
    want[n++] = "revision_added infra-ci: ->8";
    want[n++] = "layer_link_removed infra-ci: 7>-";
    want[n++] = "layer_link_added infra-ci: ->9";
    want[n++] = "tag_history_removed infra-ci:old 2>-";
    want[n++] = "tag_history_removed infra-ci:stable 3>-";
    snprintf(sizes[0], sizeof(sizes[0]), "blob_deleted : 3>- %zu", n3);
    want[n++] = sizes[0];
    snprintf(sizes[1], sizeof(sizes[1]), "blob_deleted : 4>- %zu",
             strlen(fix_config_json('4', "amd64")));
    want[n++] = sizes[1];
    snprintf(sizes[2], sizeof(sizes[2]), "blob_deleted : 5>- %zu", n5);
    want[n++] = sizes[2];
    want[n++] = "blob_deleted : 7>- 1000";
    want[n++] = "blob_deleted : e>- 1000";
    {
        static char s8[64], s9[64];
        snprintf(s8, sizeof(s8), "blob_added : ->8 %zu", strlen(image_json('9', '6')));
        snprintf(s9, sizeof(s9), "blob_added : ->9 %zu",
                 strlen(fix_config_json('9', "amd64")));
        want[n++] = s8;
        want[n++] = s9;
    }
    want[n++] = "blob_added : ->c 1000";
    want[n++] = "became_unpullable infra-ci:broken 2>- tag_target_missing";
    want[n++] = "became_unpullable infra-ci:latest 2>2 blob_missing";
    want[n++] = "repaired base:v1 a>a";
    /* 'e' sorts after the digits: sha256:eeee… > sha256:7777… */
    expect_changes(reg, want, n);

    assert_int_equal(reg->counts[RA_CHANGE_TAG_REMOVED], 2);
    assert_int_equal(reg->counts[RA_CHANGE_BLOB_DELETED], 5);
    assert_int_equal(reg->counts[RA_CHANGE_BLOB_ADDED], 3);
    assert_int_equal(reg->counts[RA_CHANGE_REPAIRED], 1);
    /* full digests and the empty strings for what does not apply */
    assert_change_digests(reg->changes.items[3], '3', '8');
    assert_change_digests(reg->changes.items[10], '3', 0);
    assert_string_equal(((struct ra_change *)reg->changes.items[10])->repository, "");
    assert_string_equal(((struct ra_change *)reg->changes.items[10])->tag, "");
    assert_int_equal(((struct ra_change *)reg->changes.items[0])->size, -1);
    snprintf(line, sizeof(line), "%s",
             ra_change_kind_name(RA_CHANGE_TAG_HISTORY_REMOVED));
    assert_string_equal(line, "tag_history_removed");
}

static void test_diff__identical_scans_have_no_changes(void **state)
{
    struct fx *f = *state;
    struct ra_graph *og = old_graph(), *ng = old_graph();

    f->old = fix_scan("a", "a", 1, &og, 1, NULL);
    f->new_ = fix_scan("b", "b", 2, &ng, 1, NULL);
    ra_diff_compute(&f->diff, f->old, f->new_);
    assert_int_equal(f->diff->nregs, 1);
    expect_changes(&f->diff->regs[0], NULL, 0);
}

static void test_diff__repository_gone(void **state)
{
    struct fx *f = *state;
    struct ra_graph *og = fix_graph(ROOT), *ng = fix_graph(ROOT);
    static const char *const want[] = {
        "tag_removed base:v1 a>-",         "revision_removed base: a>-",
        "layer_link_removed base: b>-",    "layer_link_removed base: c>-",
        "tag_history_removed base:v1 a>-",
    };

    fix_push_image(og, "base", 'a', 'b', 'c', "amd64", RA_TIME_NONE);
    fix_tag(og, "base", "v1", 'a', RA_TIME_NONE);
    /* the blobs stay: nothing swept yet */
    fix_json(ng, 'a', image_json('b', 'c'));
    fix_json(ng, 'b', fix_config_json('b', "amd64"));
    fix_layer(ng, 'c');
    f->old = fix_scan("a", "a", 1, &og, 1, NULL);
    f->new_ = fix_scan("b", "b", 2, &ng, 1, NULL);
    ra_diff_compute(&f->diff, f->old, f->new_);
    expect_changes(&f->diff->regs[0], want, RA_ARRAY_SIZE(want));
}

static void test_diff__roots_on_one_side(void **state)
{
    struct fx *f = *state;
    struct ra_graph *og[2], *ng[2];
    static const char *const only_old[] = {
        "tag_removed base:v1 a>-",
        "revision_removed base: a>-",
        "layer_link_removed base: b>-",
        "layer_link_removed base: c>-",
        "tag_history_removed base:v1 a>-",
        "blob_deleted : a>- 0", /* size patched below */
        "blob_deleted : b>- 0",
        "blob_deleted : c>- 1000",
    };
    static const char *const only_new[] = {
        "tag_added tools/kubectl:v2 ->2",
        "revision_added tools/kubectl: ->2",
        "layer_link_added tools/kubectl: ->4",
        "layer_link_added tools/kubectl: ->6",
        "blob_added : ->2 0",
        "blob_added : ->4 0",
        "blob_added : ->6 1000",
    };
    char a[64], b[64], two[64], four[64];
    const char *want_old[RA_ARRAY_SIZE(only_old)], *want_new[RA_ARRAY_SIZE(only_new)];
    size_t i;

    og[0] = fix_graph(MIRROR);
    og[1] = fix_graph(ROOT);
    ng[0] = fix_graph(ROOT);
    ng[1] = fix_graph(LATER);
    fix_push_image(og[0], "base", 'a', 'b', 'c', "amd64", RA_TIME_NONE);
    fix_tag(og[0], "base", "v1", 'a', RA_TIME_NONE);
    fix_push_image(ng[1], "tools/kubectl", '2', '4', '6', "amd64", RA_TIME_NONE);
    fix_tag(ng[1], "tools/kubectl", "v2", '2', RA_TIME_NONE);
    f->old = fix_scan("a", "a", 1, og, 2, NULL);
    f->new_ = fix_scan("b", "b", 2, ng, 2, NULL);
    ra_diff_compute(&f->diff, f->old, f->new_);

    /* sorted by root; the shared root has no changes */
    assert_int_equal(f->diff->nregs, 3);
    assert_string_equal(f->diff->regs[0].root, MIRROR);
    assert_true(f->diff->regs[0].in_old);
    assert_false(f->diff->regs[0].in_new);
    assert_string_equal(f->diff->regs[1].root, ROOT);
    assert_true(f->diff->regs[1].in_old);
    assert_true(f->diff->regs[1].in_new);
    expect_changes(&f->diff->regs[1], NULL, 0);
    assert_string_equal(f->diff->regs[2].root, LATER);
    assert_false(f->diff->regs[2].in_old);
    assert_true(f->diff->regs[2].in_new);

    for (i = 0; i < RA_ARRAY_SIZE(only_old); i++)
        want_old[i] = only_old[i];
    snprintf(a, sizeof(a), "blob_deleted : a>- %zu", strlen(image_json('b', 'c')));
    snprintf(b, sizeof(b), "blob_deleted : b>- %zu",
             strlen(fix_config_json('b', "amd64")));
    want_old[5] = a;
    want_old[6] = b;
    expect_changes(&f->diff->regs[0], want_old, RA_ARRAY_SIZE(want_old));

    for (i = 0; i < RA_ARRAY_SIZE(only_new); i++)
        want_new[i] = only_new[i];
    snprintf(two, sizeof(two), "blob_added : ->2 %zu", strlen(image_json('4', '6')));
    snprintf(four, sizeof(four), "blob_added : ->4 %zu",
             strlen(fix_config_json('4', "amd64")));
    want_new[4] = two;
    want_new[5] = four;
    /* no pullability change for a root the old snapshot lacks */
    expect_changes(&f->diff->regs[2], want_new, RA_ARRAY_SIZE(want_new));
}

static void test_diff__tag_resolving_again_is_added(void **state)
{
    struct fx *f = *state;
    struct ra_graph *og = fix_graph(ROOT), *ng = fix_graph(ROOT);
    struct ra_tag *t;
    static const char *const want[] = {
        "tag_added infra-ci:latest ->2",
        "repaired infra-ci:latest ->2",
    };

    fix_push_image(og, REPO, '2', '4', '6', "amd64", RA_TIME_NONE);
    t = fix_tag(og, REPO, "latest", '2', RA_TIME_NONE);
    t->current.valid = 0; /* junk in current/link */
    fix_push_image(ng, REPO, '2', '4', '6', "amd64", RA_TIME_NONE);
    fix_tag(ng, REPO, "latest", '2', RA_TIME_NONE);
    f->old = fix_scan("a", "a", 1, &og, 1, NULL);
    f->new_ = fix_scan("b", "b", 2, &ng, 1, NULL);
    ra_diff_compute(&f->diff, f->old, f->new_);
    expect_changes(&f->diff->regs[0], want, RA_ARRAY_SIZE(want));
}

static void test_diff__changes_sorted_within_kind(void **state)
{
    struct fx *f = *state;
    struct ra_graph *og = fix_graph(ROOT), *ng = fix_graph(ROOT);
    static const char *const want[] = {
        "tag_added a/b:x ->2",       "tag_added a/b:y ->2",
        "tag_added b:x ->2",         "revision_added a/b: ->2",
        "revision_added b: ->2",     "layer_link_added a/b: ->4",
        "layer_link_added a/b: ->6", "layer_link_added b: ->4",
        "layer_link_added b: ->6",
    };

    fix_push_image(og, "other", '2', '4', '6', "amd64", RA_TIME_NONE);
    fix_push_image(ng, "other", '2', '4', '6', "amd64", RA_TIME_NONE);
    fix_push_image(ng, "b", '2', '4', '6', "amd64", RA_TIME_NONE);
    fix_push_image(ng, "a/b", '2', '4', '6', "amd64", RA_TIME_NONE);
    fix_tag(ng, "b", "x", '2', RA_TIME_NONE);
    fix_tag(ng, "a/b", "y", '2', RA_TIME_NONE);
    fix_tag(ng, "a/b", "x", '2', RA_TIME_NONE);
    f->old = fix_scan("a", "a", 1, &og, 1, NULL);
    f->new_ = fix_scan("b", "b", 2, &ng, 1, NULL);
    ra_diff_compute(&f->diff, f->old, f->new_);
    expect_changes(&f->diff->regs[0], want, RA_ARRAY_SIZE(want));
}

static void test_diff__kind_names(void **state)
{
    static const char *const names[RA_CHANGE__COUNT] = {
        "tag_added",        "tag_removed",         "tag_moved",
        "revision_removed", "revision_added",      "layer_link_removed",
        "layer_link_added", "tag_history_removed", "blob_deleted",
        "blob_added",       "became_unpullable",   "repaired",
    };
    int k;

    (void)state;
    for (k = 0; k < RA_CHANGE__COUNT; k++)
        assert_string_equal(ra_change_kind_name((enum ra_change_kind)k), names[k]);
    assert_string_equal(ra_change_kind_name(RA_CHANGE__COUNT), "");
}

#define T(name) cmocka_unit_test_setup_teardown(test_diff__##name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(every_change_kind),
        T(identical_scans_have_no_changes),
        T(repository_gone),
        T(roots_on_one_side),
        T(tag_resolving_again_is_added),
        T(changes_sorted_within_kind),
        T(kind_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
