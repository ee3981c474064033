/* SPDX-License-Identifier: MIT */
/* ra_pick (analysis/pick.c), the choice of the snapshots `report` reads, on crafted
 * answers: per object a string of "lost" answers ('L' lost, 'N' not) and one of
 * "present" answers ('P' present, 'A' absent), 'X' for a snapshot that cannot be read.
 * The oldest and the newest are answered first (read whole), then the snapshots
 * ra_pick_next asks for. Asserted: the exact bracket (last present, first missing), the
 * exact snapshots probed and read whole, at most about log2 n probes, and what a flap
 * (missing, back, missing) gives. Then through ra_investigate with opts.pick, over
 * directory snapshots laid out in a temporary folder: which snapshots are read whole,
 * in part and skipped, and the loss's window, against reading every one. */

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

#include "analysis/investigate.h"
#include "analysis/pick.h"
#include "util/buf.h"

#include "fixture.h"

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

/* Directory snapshots tmpdir/reg-2026-04-<dd>T0100Z, days 1..n: image a:latest in
 * every one, its layer kept where keep_a[d - 1] is 'K'; with keep_b, b:latest too. */
static char tmpdir[] = "/tmp/ra-test-pick-XXXXXX";
#define CONFIG "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{}}"

struct share {
    char *snaps[16];
    size_t n;
};

static void share_make(struct share *sh, const char *keep_a, const char *keep_b)
{
    struct fix_disk_image x;
    struct ra_buf p = RA_BUF_INIT;
    size_t d;

    memset(sh, 0, sizeof(*sh));
    memcpy(tmpdir + sizeof(tmpdir) - 7, "XXXXXX", 6); /* a new one each time */
    assert_int_equal(fix_tmpdir_make(tmpdir), 0);
    sh->n = strlen(keep_a);
    for (d = 1; d <= sh->n; d++) {
        ra_buf_truncate(&p, 0);
        ra_buf_printf(&p, "%s/reg-2026-04-%02zuT0100Z/docker/registry/v2", tmpdir, d);
        fix_disk_push(&x, p.ptr, "a", "latest", CONFIG, "layer of a",
                      keep_a[d - 1] == 'K', APR(1, 0, 0));
        if (keep_b)
            fix_disk_push(&x, p.ptr, "b", "latest", CONFIG, "layer of b",
                          keep_b[d - 1] == 'K', APR(1, 0, 0));
        ra_buf_truncate(&p, 0);
        ra_buf_printf(&p, "%s/reg-2026-04-%02zuT0100Z", tmpdir, d);
        sh->snaps[d - 1] = ra_xstrdup(p.ptr);
    }
    ra_buf_release(&p);
}

static void share_free(struct share *sh)
{
    size_t i;

    for (i = 0; i < sh->n; i++)
        free(sh->snaps[i]);
    assert_int_equal(fix_tmpdir_remove(tmpdir), 0);
}

static struct ra_investigation *investigate(struct share *sh, int pick)
{
    struct ra_investigate_opts o = {0};
    struct ra_investigation *inv = NULL;
    struct ra_err err = RA_ERR_INIT;

    o.snapshots = sh->snaps;
    o.nsnapshots = sh->n;
    o.fold = 1;
    o.pick = pick;
    assert_int_equal(ra_investigate(&inv, &o, &err), 0);
    return inv;
}

/* "W" whole, "p" in part, "-" skipped, per snapshot given */
static void inv_reads(const struct ra_investigation *inv, const char *want)
{
    static const char mark[] = "Wp-";
    char got[17];
    size_t i;

    assert_int_equal(inv->nreads, strlen(want));
    for (i = 0; i < inv->nreads; i++)
        got[i] = mark[inv->reads[i].how];
    got[i] = '\0';
    assert_string_equal(got, want);
}

/* The loss of the blob data with content (NULL: the only blob loss): its window by
 * snapshot names. */
static void layer_window(const struct ra_investigation *inv, const char *content,
                         const char *from, const char *to)
{
    const struct ra_loss *l = NULL;
    char hex[65], got[RA_DIGEST_STRLEN];
    size_t i;

    if (content)
        fix_hex(hex, content, strlen(content));
    for (i = 0; i < inv->losses->items.len; i++) {
        const struct ra_loss *x = inv->losses->items.items[i];
        if (x->object == RA_OBJ_BLOB &&
            (!content || !strcmp(ra_digest_format(got, &x->digest) + 7, hex)))
            l = x;
    }
    assert_non_null(l);
    assert_string_equal(l->from.evidence, from);
    assert_string_equal(l->to.evidence, to);
}

static void blob_window(const struct ra_investigation *inv, const char *from,
                        const char *to)
{
    layer_window(inv, NULL, from, to);
}

/* Lost on day 8, present every day before: the same window as reading all 12, read
 * whole only 1, 7, 8 and 12; 6, 9, 10 probed in part (halves of 2..11), the rest
 * skipped. */
static void test_investigate_monotone(void **state)
{
    struct share sh;
    struct ra_investigation *inv;

    (void)state;
    share_make(&sh, "KKKKKKKLLLLL", NULL);
    inv = investigate(&sh, 1);
    assert_true(inv->picked);
    assert_int_equal(inv->pick_objects, 1);
    inv_reads(inv, "W----pWWp--W");
    assert_int_equal(inv->nscans, 4);
    blob_window(inv, "reg-2026-04-07T0100Z", "reg-2026-04-08T0100Z");
    assert_int_equal(inv->notes.len, 0);
    ra_investigation_free(inv);
    inv = investigate(&sh, 0);
    assert_false(inv->picked);
    inv_reads(inv, "WWWWWWWWWWWW");
    blob_window(inv, "reg-2026-04-07T0100Z", "reg-2026-04-08T0100Z");
    ra_investigation_free(inv);
    share_free(&sh);
}

/* Missing on day 3, back on day 4 (pushed again), missing on day 8: every snapshot read
 * gives the first disappearance (2 -> 3); bisect's probes (4, 6, 7) all see the layer,
 * so the report brackets the last one (7 -> 8) and cannot tell that it flapped. */
static void test_investigate_flap_unseen(void **state)
{
    struct share sh;
    struct ra_investigation *inv;

    (void)state;
    share_make(&sh, "KKLKKKKL", NULL);
    inv = investigate(&sh, 1);
    inv_reads(inv, "W--p-pWW");
    blob_window(inv, "reg-2026-04-07T0100Z", "reg-2026-04-08T0100Z");
    assert_int_equal(inv->notes.len, 0);
    ra_investigation_free(inv);
    inv = investigate(&sh, 0);
    blob_window(inv, "reg-2026-04-02T0100Z", "reg-2026-04-03T0100Z");
    ra_investigation_free(inv);
    share_free(&sh);
}

/* a's layer missing on days 4-6 and from day 9, b's from day 8: the probe of day 6 lost
 * a's layer, the one of day 7 (bisecting b) finds it back, so the report says a's went
 * missing more than once; its window is then the later disappearance (8 -> 9), every
 * snapshot gives the first (3 -> 4); b's window (7 -> 8) is the same either way. */
static void test_investigate_flap_seen(void **state)
{
    struct share sh;
    struct ra_investigation *inv;
    struct ra_buf want = RA_BUF_INIT;
    char hex[65];

    (void)state;
    share_make(&sh, "KKKLLLKKLLLL", "KKKKKKKLLLLL");
    inv = investigate(&sh, 1);
    assert_int_equal(inv->pick_objects, 2);
    inv_reads(inv, "W----pWWW--W");
    layer_window(inv, "layer of a", "reg-2026-04-08T0100Z", "reg-2026-04-09T0100Z");
    layer_window(inv, "layer of b", "reg-2026-04-07T0100Z", "reg-2026-04-08T0100Z");
    assert_int_equal(inv->notes.len, 1);
    fix_hex(hex, "layer of a", strlen("layer of a"));
    ra_buf_printf(&want,
                  "blob sha256:%s went missing, came back and went missing again in the "
                  "snapshots read: its window is that of its first disappearance among "
                  "the snapshots read whole, which bisect may not have found "
                  "(--all-snapshots reads every snapshot)",
                  hex);
    assert_string_equal(inv->notes.items[0], want.ptr);
    ra_investigation_free(inv);
    inv = investigate(&sh, 0);
    layer_window(inv, "layer of a", "reg-2026-04-03T0100Z", "reg-2026-04-04T0100Z");
    layer_window(inv, "layer of b", "reg-2026-04-07T0100Z", "reg-2026-04-08T0100Z");
    ra_buf_release(&want);
    ra_investigation_free(inv);
    share_free(&sh);
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
        cmocka_unit_test(test_investigate_monotone),
        cmocka_unit_test(test_investigate_flap_unseen),
        cmocka_unit_test(test_investigate_flap_seen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
