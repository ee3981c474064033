/* SPDX-License-Identifier: MIT */
/* Picking the snapshots `report` reads: bisect over the answers, for every lost object
 * at once. */
#include "analysis/pick.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

void ra_pick_init(struct ra_pick *p, size_t n, size_t m)
{
    size_t cells = n * m > 0 ? n * m : 1;

    memset(p, 0, sizeof(*p));
    p->n = n;
    p->m = m;
    p->lost = ra_xcalloc(cells, 1);
    p->present = ra_xcalloc(cells, 1);
    p->read = ra_xcalloc(n ? n : 1, 1);
}

void ra_pick_release(struct ra_pick *p)
{
    free(p->lost);
    free(p->present);
    free(p->read);
    memset(p, 0, sizeof(*p));
}

void ra_pick_mark_read(struct ra_pick *p, size_t i)
{
    assert(i < p->n);
    p->read[i] = 1;
}

void ra_pick_answer(struct ra_pick *p, size_t i, size_t j, int lost, int present)
{
    assert(i < p->n && j < p->m);
    p->read[i] = 1;
    p->lost[i * p->m + j] = lost ? RA_PICK_YES : RA_PICK_NO;
    p->present[i * p->m + j] = present ? RA_PICK_YES : RA_PICK_NO;
}

static unsigned char lost_at(const struct ra_pick *p, size_t i, size_t j)
{
    return p->read[i] ? p->lost[i * p->m + j] : RA_PICK_UNKNOWN;
}

static unsigned char present_at(const struct ra_pick *p, size_t i, size_t j)
{
    return p->read[i] ? p->present[i * p->m + j] : RA_PICK_UNKNOWN;
}

/* The middle one of the unread snapshots in [from, to), or SIZE_MAX. */
static size_t middle(const struct ra_pick *p, size_t from, size_t to)
{
    size_t i, k = 0, want;

    for (i = from; i < to; i++)
        k += !p->read[i];
    if (!k)
        return SIZE_MAX;
    want = (k - 1) / 2;
    for (i = from; i < to; i++)
        if (!p->read[i] && !want--)
            return i;
    return SIZE_MAX;
}

int ra_pick_bracket(const struct ra_pick *p, size_t j, size_t *last_present,
                    size_t *first_missing, size_t *next)
{
    size_t i, fm = SIZE_MAX, lo = SIZE_MAX, lp = SIZE_MAX, hi;

    *last_present = *first_missing = *next = SIZE_MAX;
    for (i = p->n; i-- > 0;) { /* newest first: the run of lost snapshots at the end */
        unsigned char a = lost_at(p, i, j);
        if (a == RA_PICK_YES)
            fm = i;
        else if (a == RA_PICK_NO) {
            lo = i;
            break;
        } else if (fm == SIZE_MAX && p->read[i])
            break; /* the newest could not be read */
    }
    if (fm == SIZE_MAX)
        return 1;
    *first_missing = fm;
    if ((*next = middle(p, lo == SIZE_MAX ? 0 : lo + 1, fm)) != SIZE_MAX)
        return 0;
    for (i = fm; i-- > 0 && lp == SIZE_MAX;)
        if (present_at(p, i, j) == RA_PICK_YES)
            lp = i;
    if (lp == SIZE_MAX)
        return 1;
    *last_present = lp;
    for (hi = lp + 1; hi < fm && present_at(p, hi, j) != RA_PICK_NO; hi++)
        ;
    return (*next = middle(p, lp + 1, hi)) == SIZE_MAX;
}

size_t ra_pick_next(const struct ra_pick *p)
{
    size_t j, lp, fm, next;

    for (j = 0; j < p->m; j++)
        if (!ra_pick_bracket(p, j, &lp, &fm, &next))
            return next;
    return SIZE_MAX;
}

int ra_pick_flapped(const struct ra_pick *p, size_t j)
{
    size_t i;
    int seen_lost = 0;

    for (i = 0; i < p->n; i++) {
        unsigned char a = lost_at(p, i, j);
        if (a == RA_PICK_YES)
            seen_lost = 1;
        else if (a == RA_PICK_NO && seen_lost)
            return 1;
    }
    return 0;
}

void ra_pick_whole(const struct ra_pick *p, char *whole)
{
    size_t j, lp, fm, next;

    memset(whole, 0, p->n);
    if (!p->n)
        return;
    whole[0] = whole[p->n - 1] = 1;
    for (j = 0; j < p->m; j++) {
        ra_pick_bracket(p, j, &lp, &fm, &next);
        if (fm != SIZE_MAX)
            whole[fm] = 1;
        if (lp != SIZE_MAX)
            whole[lp] = 1;
    }
}
