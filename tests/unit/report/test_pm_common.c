/* SPDX-License-Identifier: MIT */
/* report/pm_common.c: spans in words, capped lists, log events. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "pm_fixture.h"

static void test_span_text(void **state)
{
    struct ra_buf b = RA_BUF_INIT;

    (void)state;
    ra_pm_span_text(&b, 0);
    assert_string_equal(b.ptr, "0 s");
    ra_pm_span_text(&b, 59);
    assert_string_equal(b.ptr, "59 s");
    ra_pm_span_text(&b, 60);
    assert_string_equal(b.ptr, "1 min");
    ra_pm_span_text(&b, 3600);
    assert_string_equal(b.ptr, "1 h");
    ra_pm_span_text(&b, 86400);
    assert_string_equal(b.ptr, "1 d");
    ra_pm_span_text(&b, 90061);
    assert_string_equal(b.ptr, "1 d 1 h 1 min");
    ra_pm_span_text(&b, -1);
    assert_int_equal(b.len, 0);
    ra_buf_release(&b);
}

static void test_span_json(void **state)
{
    json_t *j = ra_pm_span(APR(12, 3, 25), APR(13, 8, 28));

    (void)state;
    assert_int_equal(json_integer_value(json_object_get(j, "seconds")), 104580);
    assert_string_equal(pm_str(j, "text"), "1 d 5 h 3 min");
    json_decref(j);
    j = ra_pm_span(APR(13, 0, 0), APR(12, 0, 0));
    assert_true(json_is_null(j));
    json_decref(j);
}

static void test_capped(void **state)
{
    json_t *o = json_object(), *all = json_pack("[i,i,i]", 1, 2, 3);

    (void)state;
    ra_pm_capped(o, "rows", all, 2);
    assert_int_equal(json_array_size(json_object_get(o, "rows")), 2);
    assert_int_equal(json_integer_value(json_object_get(o, "rows_omitted")), 1);
    assert_true(json_is_true(json_object_get(o, "rows_more")));
    json_decref(o);
}

/* Full digests cut to 12 hex; shorter ones and the text around them kept. */
static void test_short_digests(void **state)
{
    struct ra_buf b = RA_BUF_INIT;

    (void)state;
    ra_pm_short_digests(&b,
                        "GET /v2/infra-ci/manifests/sha256:"
                        "73af0327d64073e6c559e87a149b95d298e958f6bd6ea424cc7a4313a761fb26"
                        " and sha256:e475600e8421, sha256:");
    assert_string_equal(b.ptr, "GET /v2/infra-ci/manifests/sha256:73af0327d640 and "
                               "sha256:e475600e8421, sha256:");
    ra_pm_short_digests(&b, "no digest");
    assert_string_equal(b.ptr, "no digest");
    ra_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_span_text),
        cmocka_unit_test(test_span_json),
        cmocka_unit_test(test_capped),
        cmocka_unit_test(test_short_digests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
