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

/* Wall-clock runs in a zone say the zone after the time of day. */
static void test_focus__cadence_zone(void **state)
{
    struct ra_buf b = RA_BUF_INIT;
    struct ra_cadence c = RA_CADENCE_INIT;
    size_t i;

    (void)state;
    c.zone = "Europe/Berlin";
    for (i = 0; i < 14; i++)
        ra_cadence_add(&c, T("2026-04-05T02:00:00Z") + (ra_time)i * 86400);
    ra_cadence_text(&b, &c);
    assert_string_equal(b.ptr, "daily at 02:00 Europe/Berlin, 14 times");
    c = (struct ra_cadence)RA_CADENCE_INIT;
    c.zone = "America/New_York";
    ra_cadence_add(&c, T("2026-04-05T03:25:00Z"));
    ra_cadence_add(&c, T("2026-04-12T03:25:00Z"));
    ra_buf_truncate(&b, 0);
    ra_cadence_text(&b, &c);
    assert_string_equal(b.ptr, "weekly on Sunday at 03:25 America/New_York, 2 times");
    ra_buf_release(&b);
}

/* The period: a week either side of the loss windows; without a timed loss, the week
 * before the first timed snapshot to the newest. */
static void test_focus__window(void **state)
{
    struct ra_losses ls;
    struct ra_loss l[2];
    void *items[2] = {&l[0], &l[1]};
    struct ra_snapshot snap[2];
    struct ra_scan scan[2];
    struct ra_scan *scans[2] = {&scan[0], &scan[1]};
    ra_time from, to;

    (void)state;
    memset(&ls, 0, sizeof(ls));
    memset(l, 0, sizeof(l));
    memset(snap, 0, sizeof(snap));
    memset(scan, 0, sizeof(scan));
    l[0].from.time = T("2026-04-12T01:00:00Z");
    l[0].to.time = T("2026-04-12T03:25:01Z");
    l[1].from.time = RA_TIME_NONE; /* only the first absence: it starts the window */
    l[1].to.time = T("2026-04-11T00:00:00Z");
    ls.items.items = items;
    ls.items.len = 2;
    snap[0].taken_at = T("2026-04-10T00:00:00Z");
    snap[1].taken_at = RA_TIME_NONE;
    scan[0].snap = &snap[0];
    scan[1].snap = &snap[1];
    ra_focus_window(&from, &to, &ls, scans, 2);
    assert_int_equal(from, T("2026-04-04T00:00:00Z"));
    assert_int_equal(to, T("2026-04-19T03:25:01Z"));
    ls.items.len = 0;
    ra_focus_window(&from, &to, &ls, scans, 2);
    assert_int_equal(from, T("2026-04-03T00:00:00Z"));
    assert_int_equal(to, T("2026-04-10T00:00:00Z"));
    ra_focus_window(&from, &to, NULL, scans, 0);
    assert_int_equal(from, RA_TIME_NONE);
    assert_int_equal(to, RA_TIME_NONE);
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

static void test_focus__push_related(void **state)
{
    struct ra_losses ls;
    struct ra_loss l;
    void *items[1] = {&l};
    struct ra_loss_tag latest = {"infra-ci", "latest", "infra-ci:latest"};
    void *tags[1] = {&latest};
    struct ra_event e = {0};

    (void)state;
    memset(&ls, 0, sizeof(ls));
    memset(&l, 0, sizeof(l));
    assert_int_equal(
        ra_digest_parse(&l.digest,
                        "sha256:73af0327d64073e6c559e87a149b95d298e958f6bd6ea424cc7a"
                        "4313a761fb26",
                        71),
        0);
    l.tags.items = tags;
    l.tags.len = 1;
    ls.items.items = items;
    ls.items.len = 1;
    e.kind = RA_EV_MANIFEST_PUSHED;
    e.message = "manifest "
                "sha256:73af0327d64073e6c559e87a149b95d298e958f6bd6ea424cc7a4313a761fb26 "
                "pushed to infra-ci";
    e.evidence = "";
    assert_true(ra_focus_push_related(&e, &ls, NULL));
    e.message = "manifest sha256:5ee120512f80aaaa pushed to infra-ci";
    assert_false(ra_focus_push_related(&e, &ls, NULL));
    e.kind = RA_EV_TAG_PUSHED;
    e.message = "infra-ci:latest pushed as sha256:e475600e8421";
    assert_true(ra_focus_push_related(&e, &ls, NULL));
    e.message = "infra-ci:latest2 pushed as sha256:e475600e8421";
    assert_false(ra_focus_push_related(&e, &ls, NULL));
    e.message = "base/debian:12 pushed as sha256:99074d9e35d3";
    assert_false(ra_focus_push_related(&e, &ls, NULL));
    e.kind = RA_EV_LOG; /* only pushes fold */
    assert_true(ra_focus_push_related(&e, &ls, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_focus__cadence),
        cmocka_unit_test(test_focus__cadence_zone),
        cmocka_unit_test(test_focus__window),
        cmocka_unit_test(test_focus__in_loss),
        cmocka_unit_test(test_focus__push_related),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
