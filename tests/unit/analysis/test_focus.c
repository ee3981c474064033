/* SPDX-License-Identifier: MIT */
/* analysis/focus: a job's runs read as one row ("daily at 02:00, 14 times"), irregular
 * runs as a count; a run is in a loss window when after the last presence and at or
 * before the first absence. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <string.h>

#include "analysis/focus.h"

static ra_time T(const char *s)
{
    ra_time t;

    assert_int_equal(ra_time_parse(&t, s), 0);
    return t;
}

static void runs(struct ra_buf *b, const char *first, int64_t gap, size_t n)
{
    struct ra_cadence c = RA_CADENCE_INIT;
    size_t i;

    for (i = 0; i < n; i++)
        ra_cadence_add(&c, T(first) + (ra_time)i * gap);
    ra_buf_truncate(b, 0);
    ra_cadence_text(b, &c);
}

static void test_focus__cadence(void **state)
{
    struct ra_buf b = RA_BUF_INIT;
    struct ra_cadence c = RA_CADENCE_INIT;

    (void)state;
    runs(&b, "2026-04-05T02:00:00Z", 86400, 14);
    assert_string_equal(b.ptr, "daily at 02:00, 14 times");
    runs(&b, "2026-04-05T03:25:00Z", 7 * 86400, 2);
    assert_string_equal(b.ptr, "weekly on Sunday at 03:25, 2 times");
    runs(&b, "2026-04-05T00:15:00Z", 3600, 24);
    assert_string_equal(b.ptr, "hourly at :15, 24 times");
    runs(&b, "2026-04-05T00:00:00Z", 900, 96);
    assert_string_equal(b.ptr, "every 15 minutes, 96 times");
    runs(&b, "2026-04-05T00:00:00Z", 900, 1);
    assert_string_equal(b.ptr, "once");
    ra_cadence_add(&c, T("2026-04-05T02:00:00Z"));
    ra_cadence_add(&c, T("2026-04-06T02:00:00Z"));
    ra_cadence_add(&c, T("2026-04-06T05:00:00Z"));
    ra_buf_truncate(&b, 0);
    ra_cadence_text(&b, &c);
    assert_string_equal(b.ptr, "3 times");
    ra_buf_release(&b);
}

static void test_focus__in_loss(void **state)
{
    struct ra_losses ls;
    struct ra_loss l;
    void *items[1] = {&l};

    (void)state;
    memset(&ls, 0, sizeof(ls));
    memset(&l, 0, sizeof(l));
    l.from.time = T("2026-04-12T01:00:00Z");
    l.to.time = T("2026-04-12T03:25:01Z");
    ls.items.items = items;
    ls.items.len = 1;
    assert_true(ra_focus_in_loss(&ls, T("2026-04-12T02:00:00Z")));
    assert_true(ra_focus_in_loss(&ls, T("2026-04-12T03:25:00Z")));
    assert_true(ra_focus_in_loss(&ls, T("2026-04-12T03:25:01Z")));
    assert_false(ra_focus_in_loss(&ls, T("2026-04-12T01:00:00Z")));
    assert_false(ra_focus_in_loss(&ls, T("2026-04-13T02:00:00Z")));
    assert_false(ra_focus_in_loss(NULL, T("2026-04-12T02:00:00Z")));
    l.from.time = RA_TIME_NONE; /* no earlier snapshot: open start */
    assert_true(ra_focus_in_loss(&ls, T("2026-03-01T00:00:00Z")));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_focus__cadence),
        cmocka_unit_test(test_focus__in_loss),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
