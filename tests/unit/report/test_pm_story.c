/* SPDX-License-Identifier: MIT */
/* report/pm_story: pushes unrelated to the lost objects fold into one row per day that
 * counts them and names their repositories, a push of a lost object stays a row of its
 * own; with no config repository the detection gap says that nothing probed and there
 * are no config changes to list. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <string.h>

#include "analysis/investigate.h"
#include "analysis/losses.h"
#include "report/pm_story.h"

static ra_time T(const char *s)
{
    ra_time t;

    assert_int_equal(ra_time_parse(&t, s), 0);
    return t;
}

static struct ra_losses ls;
static struct ra_loss l;
static void *items[1] = {&l};
static struct ra_loss_tag latest = {"infra-ci", "latest", "infra-ci:latest"};
static void *tags[1] = {&latest};
static struct ra_investigation inv;

static void setup_inv(void)
{
    memset(&ls, 0, sizeof(ls));
    memset(&l, 0, sizeof(l));
    memset(&inv, 0, sizeof(inv));
    assert_int_equal(
        ra_digest_parse(&l.digest,
                        "sha256:73af0327d64073e6c559e87a149b95d298e958f6bd6ea424cc7a"
                        "4313a761fb26",
                        71),
        0);
    l.from.time = T("2026-04-12T01:00:00Z");
    l.to.time = T("2026-04-12T03:25:01Z");
    l.tags.items = tags;
    l.tags.len = 1;
    ls.items.items = items;
    ls.items.len = 1;
    inv.losses = &ls;
}

static int fold(struct ra_pm_fold *f, json_t *rows, enum ra_event_kind kind,
                const char *time, const char *msg)
{
    struct ra_event e = {0};

    e.kind = kind;
    e.time = T(time);
    e.until = RA_TIME_NONE;
    e.source = "registry-2026-04-12T0100Z.tar.gz";
    e.message = msg;
    e.evidence = "";
    e.count = 1;
    return ra_pm_fold_event(f, rows, &e);
}

static const char *row_event(json_t *rows, size_t i)
{
    return json_string_value(json_object_get(json_array_get(rows, i), "event"));
}

static void test_pm_story__fold(void **state)
{
    json_t *rows = json_array();
    struct ra_pm_fold *f;

    (void)state;
    setup_inv();
    f = ra_pm_fold_new(&inv, NULL);
    assert_int_equal(fold(f, rows, RA_EV_MANIFEST_PUSHED, "2026-04-06T00:40:12Z",
                          "manifest sha256:5ee120512f80 pushed to infra-ci"),
                     1);
    assert_int_equal(fold(f, rows, RA_EV_TAG_PUSHED, "2026-04-06T09:12:30Z",
                          "base/debian:bookworm pushed as sha256:c7e24f0a860e"),
                     1);
    assert_int_equal(fold(f, rows, RA_EV_TAG_CURRENT, "2026-04-06T09:12:30Z",
                          "base/debian:bookworm now points at sha256:c7e24f0a860e"),
                     1);
    assert_int_equal(fold(f, rows, RA_EV_LOG, "2026-04-06T10:00:00Z", "a log line"), 0);
    assert_int_equal(fold(f, rows, RA_EV_TAG_PUSHED, "2026-04-08T10:05:47Z",
                          "tools/kubectl:1.29 pushed as sha256:853b015c8f1e"),
                     1);
    assert_int_equal(
        fold(f, rows, RA_EV_MANIFEST_PUSHED, "2026-04-11T07:45:21Z",
             "manifest sha256:73af0327d64073e6c559e87a149b95d298e958f6bd6ea424cc"
             "7a4313a761fb26 pushed to infra-ci"),
        0);
    assert_int_equal(fold(f, rows, RA_EV_TAG_PUSHED, "2026-04-11T07:45:21Z",
                          "infra-ci:latest pushed as sha256:e475600e8421"),
                     0);
    ra_pm_fold_free(f);
    /* one row for the period, from the first push to the last */
    assert_int_equal(json_array_size(rows), 1);
    /* pushes, not files: the tag's link and its manifest at 09:12:30 are one push;
     * manifests whose tag is gone are named by their repository */
    assert_string_equal(
        row_event(rows, 0),
        "3 pushes unrelated to the lost objects: infra-ci (manifests only: "
        "their tag is gone), base/debian:bookworm, tools/kubectl:1.29");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(rows, 0), "time")),
        "2026-04-06T00:40:12Z");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(rows, 0), "until")),
        "2026-04-08T10:05:47Z");
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(rows, 0), "count")), 3);
    json_decref(rows);
}

static void test_pm_story__no_config(void **state)
{
    json_t *gap, *changes;

    (void)state;
    setup_inv();
    gap = ra_pm_detection_gap_json(&inv, NULL);
    assert_false(json_is_true(json_object_get(gap, "has_probes")));
    assert_string_equal(
        json_string_value(json_object_get(gap, "verdict")),
        "Nothing in the config probed whether pushed images could still be "
        "pulled, so the damage was seen only when something pulled.");
    changes = ra_pm_config_changes_json(&inv);
    assert_false(json_is_true(json_object_get(changes, "has_changes")));
    assert_string_equal(json_string_value(json_object_get(changes, "since")),
                        "2026-04-12T01:00:00Z");
    json_decref(gap);
    json_decref(changes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pm_story__fold),
        cmocka_unit_test(test_pm_story__no_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
