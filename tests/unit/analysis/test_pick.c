/* SPDX-License-Identifier: MIT */
/* ra_pick (analysis/pick.c), the choice of the snapshots `report` reads, on crafted
 * answers: per object a string of "lost" answers ('L' lost, 'N' not) and one of
 * "present" answers ('P' present, 'A' absent), 'X' for a snapshot that cannot be read.
 * The oldest and the newest are answered first (read whole), then the snapshots
 * ra_pick_next asks for. Asserted: the exact bracket (last present, first missing), the
 * exact snapshots probed and read whole, at most about log2 n probes, and what a flap
 * (missing, back, missing) gives. */

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

#include "analysis/pick.h"

struct sim {
    struct ra_pick p;
    size_t order[64]; /* snapshots probed, in order (not the oldest and newest) */
    size_t nprobes;
    char whole[64];
};

static void answer(struct sim *s, const char *const *lost, const char *const *present,
                   size_t i)
{
    size_t j;

    ra_pick_mark_read(&s->p, i);
    if (lost[0][i] == 'X')
        return; /* unreadable: no answers */
    for (j = 0; j < s->p.m; j++)
        ra_pick_answer(&s->p, i, j, lost[j][i] == 'L', present[j][i] == 'P');
}

/* Objects: lost[j], present[j], all of length n. */
static void run(struct sim *s, size_t m, const char *const *lost,
                const char *const *present)
{
    size_t n = strlen(lost[0]), next;

    memset(s, 0, sizeof(*s));
    ra_pick_init(&s->p, n, m);
    answer(s, lost, present, 0);
    answer(s, lost, present, n - 1);
    while ((next = ra_pick_next(&s->p)) != SIZE_MAX) {
        assert_false(s->p.read[next]); /* never asked twice */
        assert_true(s->nprobes < 64);
        s->order[s->nprobes++] = next;
        answer(s, lost, present, next);
    }
    ra_pick_whole(&s->p, s->whole);
}

static void bracket(const struct sim *s, size_t j, size_t lp, size_t fm)
{
    size_t got_lp, got_fm, next;

    assert_int_equal(ra_pick_bracket(&s->p, j, &got_lp, &got_fm, &next), 1);
    assert_int_equal(got_lp, lp);
    assert_int_equal(got_fm, fm);
    assert_int_equal(next, SIZE_MAX);
}

/* "W" whole, "p" probed only, "-" skipped, per snapshot */
static void reads(const struct sim *s, const char *want)
{
    char got[65];
    size_t i;

    for (i = 0; i < s->p.n; i++)
        got[i] = s->whole[i] ? 'W' : s->p.read[i] ? 'p' : '-';
    got[i] = '\0';
    assert_string_equal(got, want);
}

static void test_monotone_twelve(void **state)
{
    const char *lost[] = {"NNNNNNNLLLLL"}, *present[] = {"PPPPPPPAAAAA"};
    struct sim s;

    (void)state;
    run(&s, 1, lost, present);
    bracket(&s, 0, 6, 7);
    /* halves of 1..10: 5, then 8, 6, 7 */
    assert_int_equal(s.nprobes, 4);
    assert_int_equal(s.order[0], 5);
    assert_int_equal(s.order[1], 8);
    assert_int_equal(s.order[2], 6);
    assert_int_equal(s.order[3], 7);
    reads(&s, "W----pWWp--W");
    assert_false(ra_pick_flapped(&s.p, 0));
    ra_pick_release(&s.p);
}

static size_t ceil_log2(size_t n)
{
    size_t k = 0;

    while (((size_t)1 << k) < n)
        k++;
    return k;
}

/* Every position of a single loss in 2..40 snapshots: the pair every snapshot gives,
 * at most ceil(log2(n - 2)) probes for it (its present bracket then comes free). */
static void test_monotone_every_position(void **state)
{
    char l[41], pr[41];
    const char *lost[] = {l}, *present[] = {pr};
    struct sim s;
    size_t n, k;

    (void)state;
    for (n = 2; n <= 40; n++) {
        for (k = 1; k < n; k++) { /* k snapshots before the loss */
            memset(l, 'N', k);
            memset(l + k, 'L', n - k);
            memset(pr, 'P', k);
            memset(pr + k, 'A', n - k);
            l[n] = pr[n] = '\0';
            run(&s, 1, lost, present);
            bracket(&s, 0, k - 1, k);
            assert_true(s.nprobes <= ceil_log2(n > 2 ? n - 2 : 1) + 1);
            assert_true(s.whole[k - 1] && s.whole[k] && s.whole[0] && s.whole[n - 1]);
            ra_pick_release(&s.p);
        }
    }
}

/* keep:2 re-pointed on day 11 to a manifest gone since day 8: lost from 10 (0-based),
 * last present 6, as the history of every snapshot says. */
static void test_lost_later_than_gone(void **state)
{
    const char *lost[] = {"NNNNNNNNNNLL"}, *present[] = {"PPPPPPPAAAAA"};
    struct sim s;

    (void)state;
    run(&s, 1, lost, present);
    bracket(&s, 0, 6, 10);
    assert_int_equal(s.nprobes, 6); /* 5, 8, 9, 10; then 6, 7 for the present one */
    reads(&s, "W----pWpppWW");
    ra_pick_release(&s.p);
}

/* A tag pushed on day 5 with a blob deleted before day 9: absent in the oldest, not
 * lost there (no tag needed it). */
static void test_pushed_in_between(void **state)
{
    const char *lost[] = {"NNNNNNNNLLLL"}, *present[] = {"AAAAPPPPAAAA"};
    struct sim s;

    (void)state;
    run(&s, 1, lost, present);
    bracket(&s, 0, 7, 8);
    ra_pick_release(&s.p);
}

/* Two objects lost at once share every probe; a third lost earlier adds its own. */
static void test_shared_probes(void **state)
{
    const char *lost[] = {"NNNNNNNLLLLL", "NNNNNNNLLLLL", "NNNLLLLLLLLL"},
               *present[] = {"PPPPPPPAAAAA", "PPPPPPPAAAAA", "PPPAAAAAAAAA"};
    struct sim s;

    (void)state;
    run(&s, 2, lost, present);
    bracket(&s, 0, 6, 7);
    bracket(&s, 1, 6, 7);
    assert_int_equal(s.nprobes, 4);
    ra_pick_release(&s.p);
    run(&s, 3, lost, present);
    bracket(&s, 2, 2, 3);
    reads(&s, "W-WW-pWWp--W"); /* 5, 8, 6, 7; then 2, 3 */
    ra_pick_release(&s.p);
}

/* Lost in the oldest already: nothing to bisect, no present snapshot. */
static void test_lost_in_oldest(void **state)
{
    const char *lost[] = {"LLLLLLLL"}, *present[] = {"AAAAAAAA"};
    struct sim s;

    (void)state;
    run(&s, 1, lost, present);
    bracket(&s, 0, SIZE_MAX, 0);
    assert_int_equal(s.nprobes, 0);
    reads(&s, "W------W");
    ra_pick_release(&s.p);
}

/* Missing, back, missing: bisect brackets the disappearance its halving lands on.
 * In the first string the first probe (5) is lost, so the first disappearance (2 -> 3)
 * is found and the later one (7 -> 8) never seen; in the second the first probe is not
 * lost, so the later one is found. A probe narrows towards earlier snapshots after a
 * lost answer, so one object's own probes never show it come back: another object's
 * probes can (third case: object 1's probe 6 finds object 0 back after 5 lost it). */
static void test_flap(void **state)
{
    const char *lost1[] = {"NNNLLLNNLLLL"}, *present1[] = {"PPPAAAPPAAAA"};
    const char *lost2[] = {"NNLLNNNNNLLL"}, *present2[] = {"PPAAPPPPPAAA"};
    const char *lost3[] = {"NNNLLLNNLLLL", "NNNNNNNLLLLL"},
               *present3[] = {"PPPAAAPPAAAA", "PPPPPPPAAAAA"};
    struct sim s;

    (void)state;
    run(&s, 1, lost1, present1);
    bracket(&s, 0, 2, 3);
    assert_false(ra_pick_flapped(&s.p, 0));
    ra_pick_release(&s.p);

    run(&s, 1, lost2, present2);
    bracket(&s, 0, 8, 9);
    assert_false(ra_pick_flapped(&s.p, 0));
    ra_pick_release(&s.p);

    run(&s, 2, lost3, present3);
    bracket(&s, 0, 7, 8); /* the later one: probes 6 and 7 saw it back */
    bracket(&s, 1, 6, 7);
    assert_true(ra_pick_flapped(&s.p, 0));
    assert_false(ra_pick_flapped(&s.p, 1));
    ra_pick_release(&s.p);
}

/* An unreadable snapshot gives no answer: a neighbour is read instead. */
static void test_unreadable(void **state)
{
    const char *lost[] = {"NNNNNXLLLLLL"}, *present[] = {"PPPPPXAAAAAA"};
    struct sim s;

    (void)state;
    run(&s, 1, lost, present);
    bracket(&s, 0, 4, 6);
    assert_true(s.p.read[5]);
    assert_false(s.whole[5]);
    ra_pick_release(&s.p);
}

/* Nothing lost in the newest: the oldest and the newest only. */
static void test_no_loss(void **state)
{
    struct ra_pick p;
    char whole[5];

    (void)state;
    ra_pick_init(&p, 5, 0);
    ra_pick_mark_read(&p, 0);
    ra_pick_mark_read(&p, 4);
    assert_int_equal(ra_pick_next(&p), SIZE_MAX);
    ra_pick_whole(&p, whole);
    assert_memory_equal(whole, "\1\0\0\0\1", 5);
    ra_pick_release(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_monotone_twelve),
        cmocka_unit_test(test_monotone_every_position),
        cmocka_unit_test(test_lost_later_than_gone),
        cmocka_unit_test(test_pushed_in_between),
        cmocka_unit_test(test_shared_probes),
        cmocka_unit_test(test_lost_in_oldest),
        cmocka_unit_test(test_flap),
        cmocka_unit_test(test_unreadable),
        cmocka_unit_test(test_no_loss),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
