/* SPDX-License-Identifier: MIT */
/* report/pm_summary.c: the default title and the summary paragraph. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "pm_fixture.h"

static void test_summary(void **state)
{
    struct pmfix f;
    struct ra_buf b = RA_BUF_INIT;
    json_t *impact, *cause;

    (void)state;
    pmfix_init(&f, 2, 1);
    pmfix_gc(&f, RA_CONF_HIGH);
    pmfix_decide(&f);
    impact = ra_pm_impact(&f.m);
    cause = ra_pm_root_cause(&f.m);
    ra_pm_default_title(&b, impact);
    assert_string_equal(b.ptr, "infra-ci:latest cannot be pulled");
    ra_buf_truncate(&b, 0);
    ra_pm_summary_text(&f.m, &b, impact, cause);
    assert_non_null(strstr(b.ptr,
                           "1 tag cannot be pulled: infra-ci:latest (all). 1 object that "
                           "it needs went missing between 2026-04-12T01:00:00Z and "
                           "2026-04-12T03:25:01Z. "));
    assert_non_null(strstr(b.ptr,
                           "The most likely cause is registry garbage-collect "
                           "(etc/cron.d/registry-gc:8 @ a1e4392215f7), which ran at "
                           "2026-04-12T03:25:00Z (confidence high)."));
    assert_non_null(
        strstr(b.ptr, "(confidence high). It is not repaired in the evidence."));
    json_decref(impact);
    json_decref(cause);
    ra_buf_release(&b);
    pmfix_release(&f);
}

/* The same job version ran again inside the period: the summary says so, and that the
 * evidence ends before that run. */
static void test_summary_recurrence(void **state)
{
    struct pmfix f;
    struct ra_buf b = RA_BUF_INIT;
    json_t *impact, *cause;

    (void)state;
    pmfix_init(&f, 2, 1);
    pmfix_gc(&f, RA_CONF_HIGH);
    f.firing[1] = f.firing[0];
    f.firing[1].time = APR(19, 3, 25);
    f.inv.nfirings = 2;
    pmfix_decide(&f);
    impact = ra_pm_impact(&f.m);
    cause = ra_pm_root_cause(&f.m);
    ra_pm_summary_text(&f.m, &b, impact, cause);
    assert_non_null(strstr(b.ptr, " It is not repaired in the evidence. The same job, "
                                  "registry garbage-collect, ran again, unchanged, at "
                                  "2026-04-19T03:25:00Z, inside this report's period; "
                                  "the evidence ends before that run."));
    json_decref(impact);
    json_decref(cause);
    ra_buf_release(&b);
    pmfix_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_summary_recurrence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
