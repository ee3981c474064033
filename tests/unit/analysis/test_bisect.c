/* SPDX-License-Identifier: MIT */
/* ra_bisect_run on crafted presence sequences (monotone, repaired, appeared, never,
 * always, one snapshot, unreadable ones): the exact bracketing pair, the outcome, and
 * that at most ceil(log2 n) + 1 snapshots are read; ra_bisect_target_parse; the folders
 * a target needs (bisect_paths.c: ra_bisect_dir_filter, ra_bisect_paths_grow);
 * ra_bisect_judge's reasons on hand-built scans; and ra_bisect_specs (bisect_specs.c)
 * over directory snapshots laid out in a temporary folder, given out of time order. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <stdlib.h>
#include <string.h>

#include "analysis/bisect.h"
#include "util/buf.h"

#include "fixture_analysis.h"

/* 'G' good, 'B' bad, 'X' unreadable */
struct seq {
    const char *s;
    size_t calls;
    size_t seen[64];
};

static int probe(int *good, size_t i, void *payload)
{
    struct seq *q = payload;

    assert_true(i < strlen(q->s));
    for (size_t k = 0; k < q->calls; k++)
        assert_int_not_equal(q->seen[k], i); /* never read twice */
    q->seen[q->calls++] = i;
    if (q->s[i] == 'X')
        return RA_EIO;
    *good = q->s[i] == 'G';
    return 0;
}

static size_t ceil_log2(size_t n)
{
    size_t k = 0;

    while (((size_t)1 << k) < n)
        k++;
    return k;
}

static void run(struct ra_bisect *b, struct seq *q, const char *s)
{
    memset(q, 0, sizeof(*q));
    q->s = s;
    ra_bisect_run(b, strlen(s), probe, q);
    assert_int_equal(b->nread, q->calls);
}

static void test_monotone_every_position(void **state)
{
    char s[40];
    struct ra_bisect b;
    struct seq q;
    size_t n, k;

    (void)state;
    for (n = 2; n <= 33; n++) {
        for (k = 1; k < n; k++) { /* k good snapshots, then bad */
            memset(s, 'G', k);
            memset(s + k, 'B', n - k);
            s[n] = 0;
            run(&b, &q, s);
            assert_int_equal(b.outcome, RA_BISECT_FOUND);
            assert_int_equal(b.good, k - 1);
            assert_int_equal(b.bad, k);
            assert_false(b.non_monotone);
            assert_true(b.nread <= ceil_log2(n) + 1);
            assert_int_equal(b.state[k - 1], RA_BISECT_GOOD);
            assert_int_equal(b.state[k], RA_BISECT_BAD);
            ra_bisect_release(&b);
        }
    }
}

static void test_ten(void **state)
{
    struct ra_bisect b;
    struct seq q;

    (void)state;
    run(&b, &q, "GGGGGGBBBB");
    assert_int_equal(b.outcome, RA_BISECT_FOUND);
    assert_int_equal(b.good, 5);
    assert_int_equal(b.bad, 6);
    /* newest first, then halves of 0..8 */
    assert_int_equal(b.nread, 4);
    assert_int_equal(b.order[0], 9);
    assert_int_equal(b.order[1], 4);
    assert_int_equal(b.state[0], RA_BISECT_UNREAD);
    assert_int_equal(b.state[9], RA_BISECT_BAD);
    ra_bisect_release(&b);
}

static void test_never_and_always(void **state)
{
    struct ra_bisect b;
    struct seq q;

    (void)state;
    run(&b, &q, "BBBBBBB");
    assert_int_equal(b.outcome, RA_BISECT_NEVER);
    assert_int_equal(b.bad, 0);
    assert_true(b.nread <= 4);
    ra_bisect_release(&b);

    run(&b, &q, "GGGGGGG");
    assert_int_equal(b.outcome, RA_BISECT_STILL);
    assert_int_equal(b.good, 6);
    assert_int_equal(b.nread, 2); /* newest, then oldest to check */
    assert_false(b.non_monotone);
    ra_bisect_release(&b);
}

static void test_single(void **state)
{
    struct ra_bisect b;
    struct seq q;

    (void)state;
    run(&b, &q, "G");
    assert_int_equal(b.outcome, RA_BISECT_STILL);
    assert_int_equal(b.good, 0);
    assert_int_equal(b.nread, 1);
    ra_bisect_release(&b);
    run(&b, &q, "B");
    assert_int_equal(b.outcome, RA_BISECT_NEVER);
    assert_int_equal(b.bad, 0);
    assert_int_equal(b.nread, 1);
    ra_bisect_release(&b);
    run(&b, &q, "");
    assert_int_equal(b.outcome, RA_BISECT_NONE_READ);
    ra_bisect_release(&b);
}

/* Broken, then pullable again (repaired) or pushed later: reported as non-monotone,
 * with the bad -> good pair bracketed. */
static void test_repaired(void **state)
{
    struct ra_bisect b;
    struct seq q;

    (void)state;
    run(&b, &q, "BBBBGGGG");
    assert_int_equal(b.outcome, RA_BISECT_APPEARED);
    assert_true(b.non_monotone);
    assert_int_equal(b.bad, 3);
    assert_int_equal(b.good, 4);
    assert_true(b.nread <= 5);
    ra_bisect_release(&b);

    /* good, broken, repaired, broken again: one real good -> bad pair is named */
    run(&b, &q, "GGBBGGBB");
    assert_int_equal(b.outcome, RA_BISECT_FOUND);
    assert_int_equal(q.s[b.good], 'G');
    assert_int_equal(q.s[b.bad], 'B');
    assert_int_equal(b.bad, b.good + 1);
    ra_bisect_release(&b);
}

static void test_unreadable_skipped(void **state)
{
    struct ra_bisect b;
    struct seq q;

    (void)state;
    run(&b, &q, "GGGXXBBX");
    assert_int_equal(b.outcome, RA_BISECT_FOUND);
    assert_int_equal(b.good, 2);
    assert_int_equal(b.bad, 5);
    assert_int_equal(b.state[7], RA_BISECT_UNREADABLE);
    assert_int_equal(b.state[3], RA_BISECT_UNREADABLE);
    assert_int_equal(b.state[4], RA_BISECT_UNREADABLE);
    ra_bisect_release(&b);

    run(&b, &q, "XXX");
    assert_int_equal(b.outcome, RA_BISECT_NONE_READ);
    assert_int_equal(b.nread, 3);
    ra_bisect_release(&b);
}

static void test_target_parse(void **state)
{
    struct ra_bisect_target t;
    struct ra_err err = RA_ERR_INIT;
    const char *d =
        "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    char buf[128];

    (void)state;
    assert_int_equal(ra_bisect_target_parse(&t, "infra/ci:latest@linux/arm64/v8", &err),
                     0);
    assert_string_equal(t.repo, "infra/ci");
    assert_string_equal(t.tag, "latest");
    assert_string_equal(t.platform, "linux/arm64/v8");
    ra_bisect_target_release(&t);
    assert_int_equal(ra_bisect_target_parse(&t, "app:1", &err), 0);
    assert_null(t.platform);
    assert_false(t.by_digest);
    ra_bisect_target_release(&t);
    assert_int_equal(ra_bisect_target_parse(&t, d, &err), 0);
    assert_true(t.by_digest);
    assert_null(t.repo);
    ra_bisect_target_release(&t);
    snprintf(buf, sizeof(buf), "app@%s", d);
    assert_int_equal(ra_bisect_target_parse(&t, buf, &err), 0);
    assert_string_equal(t.repo, "app");
    assert_true(t.by_digest);
    ra_bisect_target_release(&t);
    assert_int_equal(ra_bisect_target_parse(&t, "app", &err), RA_EUSAGE);
    assert_int_equal(ra_bisect_target_parse(&t, "app:", &err), RA_EUSAGE);
    assert_int_equal(ra_bisect_target_parse(&t, ":x", &err), RA_EUSAGE);
    assert_int_equal(ra_bisect_target_parse(&t, "app:1@", &err), RA_EUSAGE);
    assert_int_equal(ra_bisect_target_parse(&t, "sha256:ABC", &err), RA_EUSAGE);
    assert_int_equal(ra_bisect_target_parse(&t, "app@sha256:12", &err), RA_EUSAGE);
}

static int walk(struct ra_bisect_paths *p, const char *rel)
{
    return ra_bisect_dir_filter(rel, strlen(rel), p);
}

/* The folders a targeted read walks into, before and after the tag's digest is known. */
static void test_dir_filter(void **state)
{
    struct ra_bisect_target t;
    struct ra_bisect_paths p;
    struct ra_err err = RA_ERR_INIT;
    const char *hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const char *other =
        "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
    char buf[256];

    (void)state;
    assert_int_equal(ra_bisect_target_parse(&t, "team/app:1", &err), 0);
    ra_bisect_paths_init(&p, &t);
    assert_true(walk(&p, "blobs"));
    assert_true(walk(&p, "blobs/sha256"));
    assert_false(walk(&p, "blobs/sha256/01"));
    assert_true(walk(&p, "repositories"));
    assert_true(walk(&p, "repositories/team"));
    assert_true(walk(&p, "repositories/team/app"));
    assert_false(walk(&p, "repositories/team/ap"));
    assert_false(walk(&p, "repositories/other"));
    assert_false(walk(&p, "repositories/team/app2"));
    assert_false(walk(&p, "repositories/team/app/sub"));
    assert_false(walk(&p, "repositories/team/app/_uploads"));
    assert_true(walk(&p, "repositories/team/app/_manifests/tags"));
    assert_true(walk(&p, "repositories/team/app/_manifests/tags/1"));
    assert_true(walk(&p, "repositories/team/app/_manifests/tags/1/current"));
    assert_false(walk(&p, "repositories/team/app/_manifests/tags/10"));
    assert_true(walk(&p, "repositories/team/app/_manifests/revisions/sha256"));
    snprintf(buf, sizeof(buf), "repositories/team/app/_manifests/revisions/sha256/%s",
             hex);
    assert_false(walk(&p, buf));
    assert_false(walk(&p, "_uploads"));
    ra_vec_push(&p.hexes, ra_xstrdup(hex)); /* as ra_bisect_paths_grow adds it */
    assert_true(walk(&p, buf));
    assert_true(walk(&p, "blobs/sha256/01"));
    snprintf(buf, sizeof(buf), "blobs/sha256/01/%s", hex);
    assert_true(walk(&p, buf));
    snprintf(buf, sizeof(buf), "blobs/sha256/01/%s", other);
    assert_false(walk(&p, buf));
    snprintf(buf, sizeof(buf), "repositories/team/app/_layers/sha256/%s", other);
    assert_false(walk(&p, buf));
    ra_bisect_paths_release(&p);
    ra_bisect_target_release(&t);

    /* a bare digest: its blob folder only, no repository */
    snprintf(buf, sizeof(buf), "sha256:%s", hex);
    assert_int_equal(ra_bisect_target_parse(&t, buf, &err), 0);
    ra_bisect_paths_init(&p, &t);
    assert_false(walk(&p, "repositories"));
    assert_true(walk(&p, "blobs/sha256/01"));
    ra_bisect_paths_release(&p);
    ra_bisect_target_release(&t);
}

/* ---- judging one scan (ra_bisect_judge) ------------------------------------------- */

static void judge(const char *arg, struct ra_graph *g, int want_good,
                  const char *want_reason)
{
    struct ra_bisect_target t;
    struct ra_err err = RA_ERR_INIT;
    struct ra_scan *s = fix_scan("snap", "snap", APR(12, 1, 0), &g, 1, NULL);
    const char *reason = "unset", *root = "unset";
    int good = -1;

    assert_int_equal(ra_bisect_target_parse(&t, arg, &err), 0);
    ra_bisect_judge(&good, &reason, &root, s, &t);
    assert_int_equal(good, want_good);
    if (want_good) {
        assert_string_equal(root, ROOT);
    } else {
        assert_non_null(reason);
        assert_string_equal(reason, want_reason);
    }
    ra_bisect_target_release(&t);
    ra_scan_free(s);
}

/* infra-ci:latest -> index '1' over '2' (amd64: '4', '6') and '3' (arm64: '5', '7'). */
static struct ra_graph *index_graph(int drop_layer7)
{
    struct ra_graph *g = fix_graph(ROOT);

    fix_push_image(g, REPO, '2', '4', '6', "amd64", RA_TIME_NONE);
    fix_push_image(g, REPO, '3', '5', '7', "arm64", RA_TIME_NONE);
    fix_index(g, '1', "23", FIX_AMD64_ARM64, -1);
    fix_revision_link(g, REPO, '1', RA_TIME_NONE);
    fix_tag(g, REPO, "latest", '1', RA_TIME_NONE);
    if (drop_layer7) {
        struct ra_digest d = dg('7');
        ra_graph_find_blob(g, &d)->present = 0;
    }
    return g;
}

static void test_judge(void **state)
{
    char arg[128];

    (void)state;
    judge(REPO ":latest", index_graph(0), 1, NULL);
    judge(REPO ":latest", index_graph(1), 0, "blob_missing");
    /* one platform: amd64 still pulls when arm64's layer is gone */
    judge(REPO ":latest@linux/amd64", index_graph(1), 1, NULL);
    judge(REPO ":latest@linux/arm64", index_graph(1), 0, "blob_missing");
    judge(REPO ":latest@linux/s390x", index_graph(0), 0, "platform_absent");
    judge(REPO ":stable", index_graph(0), 0, "tag_absent");
    judge("other:latest", index_graph(0), 0, "tag_absent");
    /* a manifest by digest: its revision link in that repository */
    snprintf(arg, sizeof(arg), REPO "@%s", ds('2'));
    judge(arg, index_graph(0), 1, NULL);
    snprintf(arg, sizeof(arg), "other@%s", ds('2'));
    judge(arg, index_graph(0), 0, "revision_link_absent");
    /* a blob anywhere */
    snprintf(arg, sizeof(arg), "%s", ds('6'));
    judge(arg, index_graph(1), 1, NULL);
    snprintf(arg, sizeof(arg), "%s", ds('7'));
    judge(arg, index_graph(1), 0, "blob_absent");
}

/* ---- the folders a target needs (ra_bisect_paths_grow) ---------------------------- */

static void test_paths_grow(void **state)
{
    struct ra_bisect_target t;
    struct ra_bisect_paths p;
    struct ra_err err = RA_ERR_INIT;
    struct ra_graph *g = index_graph(0);
    struct ra_scan *s = fix_scan("snap", "snap", APR(12, 1, 0), &g, 1, NULL);
    const char want[] = "1234657"; /* as found: index, children, theirs */
    char buf[256];
    size_t i;

    (void)state;
    assert_int_equal(ra_bisect_target_parse(&t, REPO ":latest", &err), 0);
    ra_bisect_paths_init(&p, &t);
    assert_int_equal(p.hexes.len, 0);
    /* the tag's index, its children, their configs and layers: all 7, once */
    assert_int_equal(ra_bisect_paths_grow(&p, s), 7);
    assert_int_equal(ra_bisect_paths_grow(&p, s), 0);
    assert_int_equal(p.hexes.len, 7);
    for (i = 0; i < 7; i++) {
        snprintf(buf, sizeof(buf), "%s", ds(want[i]) + 7);
        assert_string_equal(p.hexes.items[i], buf);
        snprintf(buf, sizeof(buf), "blobs/sha256/%.2s/%s", ds(want[i]) + 7,
                 ds(want[i]) + 7);
        assert_true(walk(&p, buf));
        snprintf(buf, sizeof(buf), "repositories/" REPO "/_layers/sha256/%s",
                 ds(want[i]) + 7);
        assert_true(walk(&p, buf));
    }
    snprintf(buf, sizeof(buf), "blobs/sha256/88/%s", ds('8') + 7);
    assert_false(walk(&p, buf));
    assert_false(walk(&p, "blobs/sha256/88"));
    ra_bisect_paths_release(&p);
    ra_bisect_target_release(&t);
    ra_scan_free(s);
}

/* ---- over snapshots on disk (ra_bisect_specs) -------------------------------------- */

#define CONFIG "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{}}"
#define LAYER "layer data of infra-ci:latest"

static char tmpdir[] = "/tmp/ra-test-bisect-XXXXXX";

/* Five daily snapshots reg-2026-04-1<d>T0100Z, d = 0..4; the layer's data is gone from
 * the 13th on. */
static int setup_disk(void **state)
{
    struct ra_buf p = RA_BUF_INIT;
    struct fix_disk_image x;
    int d;

    (void)state;
    if (fix_tmpdir_make(tmpdir) < 0)
        return -1;
    for (d = 0; d < 5; d++) {
        ra_buf_truncate(&p, 0);
        ra_buf_printf(&p, "%s/reg-2026-04-1%dT0100Z/docker/registry/v2", tmpdir, d);
        fix_disk_push(&x, p.ptr, REPO, "latest", CONFIG, LAYER, d < 3, APR(6, 9, 0));
    }
    ra_buf_release(&p);
    return 0;
}

static int teardown_disk(void **state)
{
    (void)state;
    return fix_tmpdir_remove(tmpdir);
}

static void test_specs_found(void **state)
{
    static const int given[] = {3, 0, 4, 1, 2}; /* days, out of order */
    struct ra_snapshot_spec *specs[5];
    struct ra_bisect_opts opts = {0};
    struct ra_bisect_target t;
    struct ra_bisect_result *r = NULL;
    struct ra_err err = RA_ERR_INIT;
    struct ra_vec v = RA_VEC_INIT;
    struct ra_buf p = RA_BUF_INIT;
    size_t i, nread = 0;

    (void)state;
    for (i = 0; i < 5; i++) {
        ra_buf_truncate(&p, 0);
        ra_buf_printf(&p, "%s/reg-2026-04-1%dT0100Z", tmpdir, given[i]);
        assert_int_equal(ra_snapshot_expand(&v, p.ptr, &err), 0);
    }
    assert_int_equal(v.len, 5);
    for (i = 0; i < 5; i++)
        specs[i] = v.items[i];
    assert_int_equal(ra_bisect_target_parse(&t, REPO ":latest", &err), 0);
    ra_bisect_specs(&r, specs, 5, REPO ":latest", &t, &opts);
    assert_non_null(r);
    assert_string_equal(r->target, REPO ":latest");
    assert_int_equal(r->ordered_by_time, 1);
    assert_int_equal(r->search.n, 5);
    assert_string_equal(ra_bisect_outcome_name(r->search.outcome),
                        ra_bisect_outcome_name(RA_BISECT_FOUND));
    assert_int_equal(r->search.good, 2);
    assert_int_equal(r->search.bad, 3);
    assert_int_equal(r->search.non_monotone, 0);
    for (i = 0; i < 5; i++) {
        const struct ra_bisect_snap *sn = &r->snaps[i];
        char name[32];
        snprintf(name, sizeof(name), "reg-2026-04-1%zuT0100Z", i);
        assert_string_equal(sn->spec->name, name);
        assert_int_equal(sn->taken_at, APR(10 + (int)i, 1, 0));
        assert_int_equal(sn->taken_source, RA_TAKEN_NAME);
        assert_int_equal(given[sn->arg], (int)i);
        assert_null(sn->error);
        if (r->search.state[i] == RA_BISECT_UNREAD) {
            assert_int_equal(sn->rounds, 0);
            assert_int_equal(sn->entries, 0);
            continue;
        }
        nread++;
        /* a directory is read in targeted rounds: tag, manifest, what it names */
        assert_true(sn->rounds >= 2);
        assert_true(sn->entries > 0);
        if (i < 3) {
            assert_int_equal(r->search.state[i], RA_BISECT_GOOD);
            assert_null(sn->reason);
        } else {
            assert_int_equal(r->search.state[i], RA_BISECT_BAD);
            assert_string_equal(sn->reason, "blob_missing");
            assert_string_equal(sn->root, "docker/registry/v2");
        }
    }
    /* the bracketing pair is read, and no more than ceil(log2 5) + 1 */
    assert_int_equal(r->search.state[2], RA_BISECT_GOOD);
    assert_int_equal(r->search.state[3], RA_BISECT_BAD);
    assert_int_equal(nread, r->search.nread);
    assert_true(nread <= ceil_log2(5) + 1);
    assert_string_equal(ra_bisect_state_name(RA_BISECT_GOOD), "pullable");
    ra_bisect_result_free(r);
    ra_bisect_target_release(&t);
    for (i = 0; i < 5; i++)
        ra_snapshot_spec_free(specs[i]);
    ra_vec_release(&v);
    ra_buf_release(&p);
}

/* A snapshot that cannot be read is skipped with what the reader said; one without a
 * time keeps the order given. */
static void test_specs_unreadable_and_untimed(void **state)
{
    struct ra_snapshot_spec gone = {0}, *specs[3];
    struct ra_bisect_opts opts = {0};
    struct ra_bisect_target t;
    struct ra_bisect_result *r = NULL;
    struct ra_err err = RA_ERR_INIT;
    struct ra_vec v = RA_VEC_INIT;
    struct ra_buf p = RA_BUF_INIT, want = RA_BUF_INIT;
    size_t i;

    (void)state;
    ra_buf_printf(&p, "%s/reg-2026-04-14T0100Z", tmpdir);
    assert_int_equal(ra_snapshot_expand(&v, p.ptr, &err), 0);
    ra_buf_truncate(&p, 0);
    ra_buf_printf(&p, "%s/reg-2026-04-10T0100Z", tmpdir);
    assert_int_equal(ra_snapshot_expand(&v, p.ptr, &err), 0);
    ra_buf_truncate(&p, 0);
    ra_buf_printf(&p, "%s/no-such-snapshot", tmpdir);
    gone.path = p.ptr;
    gone.name = "no-such-snapshot";
    gone.taken_at = RA_TIME_NONE;
    specs[0] = v.items[0]; /* the 14th: bad */
    specs[1] = &gone;
    specs[2] = v.items[1]; /* the 10th: good */
    assert_int_equal(ra_bisect_target_parse(&t, REPO ":latest", &err), 0);
    ra_bisect_specs(&r, specs, 3, REPO ":latest", &t, &opts);
    assert_int_equal(r->ordered_by_time, 0);
    for (i = 0; i < 3; i++)
        assert_int_equal(r->snaps[i].arg, i);
    assert_int_equal(r->search.state[1], RA_BISECT_UNREADABLE);
    ra_buf_printf(&want, "'%s': no such file or directory", p.ptr);
    assert_string_equal(r->snaps[1].error, want.ptr);
    /* in the order given, bad then good: it appeared */
    assert_string_equal(ra_bisect_outcome_name(r->search.outcome),
                        ra_bisect_outcome_name(RA_BISECT_APPEARED));
    assert_int_equal(r->search.bad, 0);
    assert_int_equal(r->search.good, 2);
    assert_int_equal(r->search.non_monotone, 1);
    ra_bisect_result_free(r);
    ra_bisect_target_release(&t);
    ra_snapshot_spec_free(v.items[0]);
    ra_snapshot_spec_free(v.items[1]);
    ra_vec_release(&v);
    ra_buf_release(&p);
    ra_buf_release(&want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_monotone_every_position),
        cmocka_unit_test(test_ten),
        cmocka_unit_test(test_never_and_always),
        cmocka_unit_test(test_single),
        cmocka_unit_test(test_repaired),
        cmocka_unit_test(test_unreadable_skipped),
        cmocka_unit_test(test_target_parse),
        cmocka_unit_test(test_dir_filter),
        cmocka_unit_test(test_judge),
        cmocka_unit_test(test_paths_grow),
        cmocka_unit_test(test_specs_found),
        cmocka_unit_test(test_specs_unreadable_and_untimed),
    };
    return cmocka_run_group_tests(tests, setup_disk, teardown_disk);
}
