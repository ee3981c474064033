/* SPDX-License-Identifier: MIT */
/* analysis/actions: which action items the evidence calls for and their priority —
 * bring the tags back while the incident lasts, the 2.x -m item from the index-children
 * pattern, read-only GC at P0 only for the race, the probe at P0 when nothing showed
 * the damage within a day — ordered by priority; open without a config repository. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <string.h>

#include "analysis/actions.h"
#include "analysis/investigate.h"
#include "analysis/logs.h"
#include "analysis/postmortem.h"

#define T0 INT64_C(1775964300) /* 2026-04-12T03:25:00Z */

struct fix {
    struct ra_postmortem pm;
    struct ra_investigation inv;
    struct ra_log_event sign;
    struct ra_action out[RA_ACT__COUNT];
};

/* An ongoing incident of 2.x garbage-collect -m: the fingerprints of the sample. */
static void fix_init(struct fix *f)
{
    memset(f, 0, sizeof(*f));
    f->pm.state = RA_PM_ONGOING;
    f->pm.start = T0;
    f->pm.loss_from = T0 - 3 * 3600;
    f->pm.v2_children = 1;
    f->pm.floating_gc = 1;
    f->pm.fingerprints =
        1u << RA_FP_GC_V2_INDEX_CHILDREN | 1u << RA_FP_GC_SWEEP | 1u << RA_FP_GC_LOG;
    f->sign.kind = RA_LOG_PIPELINE;
}

static size_t decide(struct fix *f)
{
    return ra_actions_decide(f->out, &f->pm, &f->inv);
}

static void test_actions__sample(void **state)
{
    struct fix f;

    (void)state;
    fix_init(&f);
    f.sign.time = T0 + 26 * 3600 + 37 * 60; /* the first failure, 1 d 2 h 37 min on */
    f.pm.detected = (struct ra_pm_event){&f.sign, "ci.json"};
    assert_int_equal(decide(&f), 5);
    assert_int_equal(f.out[0].kind, RA_ACT_BRING_BACK);
    assert_int_equal(f.out[0].priority, 0);
    assert_int_equal(f.out[1].kind, RA_ACT_STOP_GC_UNTAGGED);
    assert_int_equal(f.out[1].priority, 0);
    assert_null(f.out[1].done_by);                 /* no config repository */
    assert_int_equal(f.out[2].kind, RA_ACT_PROBE); /* seen only after a day */
    assert_int_equal(f.out[2].priority, 0);
    assert_int_equal(f.out[3].kind, RA_ACT_PIN_IMAGE);
    assert_int_equal(f.out[3].priority, 1);
    assert_int_equal(f.out[4].kind, RA_ACT_GC_READONLY);
    assert_int_equal(f.out[4].priority, 1);
    assert_string_equal(ra_action_kind_name(f.out[4].kind), "gc_readonly");
}

/* Seen within a day (a failure, or an alert before it): the probe is P1; repaired: no
 * item to bring the tags back. */
static void test_actions__seen_soon(void **state)
{
    struct fix f;
    struct ra_log_event alert = {.kind = RA_LOG_ALERT, .time = T0 + 3600};

    (void)state;
    fix_init(&f);
    f.pm.state = RA_PM_REPAIRED;
    f.sign.time = T0 + 20 * 3600;
    f.pm.detected = (struct ra_pm_event){&f.sign, "ci.json"};
    assert_int_equal(decide(&f), 4);
    assert_int_equal(f.out[0].kind, RA_ACT_STOP_GC_UNTAGGED);
    assert_int_equal(f.out[1].kind, RA_ACT_PIN_IMAGE);
    assert_int_equal(f.out[3].kind, RA_ACT_PROBE);
    assert_int_equal(f.out[3].priority, 1);
    /* the failure a week later, an alert after an hour */
    f.sign.time = T0 + 7 * 86400;
    f.pm.first_alert = (struct ra_pm_event){&alert, "alerts.jsonl"};
    decide(&f);
    assert_int_equal(f.out[3].kind, RA_ACT_PROBE);
    assert_int_equal(f.out[3].priority, 1);
    /* nothing logged at all */
    f.pm.first_alert.event = NULL;
    f.pm.detected.event = NULL;
    decide(&f);
    assert_int_equal(f.out[1].kind, RA_ACT_PROBE);
    assert_int_equal(f.out[1].priority, 0);
}

/* The GC race makes read-only GC P0; tag pruning and API deletes are P0, files lost
 * without a collector P2; nothing lost leaves only the probe, at P1. */
static void test_actions__fingerprints(void **state)
{
    struct fix f;

    (void)state;
    fix_init(&f);
    f.pm.state = RA_PM_REPAIRED;
    f.pm.v2_children = 0;
    f.pm.floating_gc = 0;
    f.pm.fingerprints = 1u << RA_FP_GC_RACE | 1u << RA_FP_TAG_PRUNE |
                        1u << RA_FP_API_DELETE | 1u << RA_FP_LOST_FILES;
    assert_int_equal(decide(&f), 5);
    assert_int_equal(f.out[0].kind, RA_ACT_GC_READONLY);
    assert_int_equal(f.out[0].priority, 0);
    assert_int_equal(f.out[1].kind, RA_ACT_PRUNE_API);
    assert_int_equal(f.out[2].kind, RA_ACT_RESTRICT_DELETE);
    assert_int_equal(f.out[3].kind, RA_ACT_PROBE);
    assert_int_equal(f.out[3].priority, 0);
    assert_int_equal(f.out[4].kind, RA_ACT_VERIFY_RESTORES);
    assert_int_equal(f.out[4].priority, 2);

    memset(&f.pm, 0, sizeof(f.pm));
    f.pm.state = RA_PM_NO_INCIDENT;
    assert_int_equal(decide(&f), 1);
    assert_int_equal(f.out[0].kind, RA_ACT_PROBE);
    assert_int_equal(f.out[0].priority, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_actions__sample),
        cmocka_unit_test(test_actions__seen_soon),
        cmocka_unit_test(test_actions__fingerprints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
