/* SPDX-License-Identifier: MIT */
/* ra_bisect_run on crafted presence sequences (monotone, repaired, appeared, never,
 * always, one snapshot, unreadable ones): the exact bracketing pair, the outcome, and
 * that at most ceil(log2 n) + 1 snapshots are read; ra_bisect_target_parse. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <string.h>

#include "analysis/bisect.h"

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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
