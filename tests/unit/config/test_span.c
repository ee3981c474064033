/* SPDX-License-Identifier: MIT */
/* config/text/span: white space and one pair of quotes cut off a span. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <string.h>

#include "config/text/span.h"

static void assert_cut(const char *s, size_t len, int unquote, const char *want)
{
    const char *p = s;
    size_t n = len;

    ra_span_trim(&p, &n);
    if (unquote)
        ra_span_unquote(&p, &n);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(p, want, n);
}

static void test_span__trim(void **state)
{
    (void)state;
    assert_cut("  0 3 * * *\t\n", 13, 0, "0 3 * * *");
    assert_cut("x", 1, 0, "x");
    assert_cut(" \t\r\n ", 5, 0, "");
    assert_cut("", 0, 0, "");
    assert_cut(" a b XYZ", 4, 0, "a b"); /* only the span is looked at */
}

static void test_span__unquote(void **state)
{
    (void)state;
    assert_cut(" \"registry:2\" ", 14, 1, "registry:2");
    assert_cut("'x'", 3, 1, "x");
    assert_cut("''", 2, 1, "");
    assert_cut("'x\"", 3, 1, "'x\"");   /* not a pair */
    assert_cut("\"", 1, 1, "\"");       /* one quote alone */
    assert_cut("\"'x'\"", 5, 1, "'x'"); /* one pair only */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_span__trim),
        cmocka_unit_test(test_span__unquote),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
