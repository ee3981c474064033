/* SPDX-License-Identifier: MIT */
/* config/text/problem: problems recorded with formatted messages in a pool, and the
 * order of the layer's lists (path, line, then the tie-breaker). */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <string.h>

#include "config/text/problem.h"

static void add(struct ra_vec *list, struct ra_pool *pool, const char *path,
                unsigned line, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    ra_problem_addv(list, pool, path, line, code, fmt, ap);
    va_end(ap);
}

static void test_problem__add_and_sort(void **state)
{
    struct ra_vec list = RA_VEC_INIT;
    struct ra_pool pool = RA_POOL_INIT;
    const struct ra_problem *p;

    (void)state;
    add(&list, &pool, "b.yml", 3, RA_EFORMAT, "'%s:%u': YAML: %s", "b.yml", 3u, "bad");
    add(&list, &pool, "a/crontab", 0, RA_ELIMIT, "'%s': %zu bytes", "a/crontab",
        (size_t)2000000);
    add(&list, &pool, "b.yml", 1, RA_EIO, "'%s': %s", "b.yml", "missing");
    add(&list, &pool, "b.yml", 3, RA_EFORMAT, "%s", "another");
    assert_int_equal(list.len, 4);
    ra_vec_sort(&list, ra_problem_cmp);
    p = list.items[0];
    assert_string_equal(p->path, "a/crontab");
    assert_int_equal(p->line, 0);
    assert_int_equal(p->code, RA_ELIMIT);
    assert_string_equal(p->msg, "'a/crontab': 2000000 bytes");
    p = list.items[1];
    assert_int_equal(p->line, 1);
    assert_string_equal(p->msg, "'b.yml': missing");
    p = list.items[2];
    assert_string_equal(p->msg, "'b.yml:3': YAML: bad");
    p = list.items[3];
    assert_string_equal(p->msg, "another");
    ra_vec_release(&list);
    ra_pool_release(&pool);
}

static void test_problem__cmp_place(void **state)
{
    (void)state;
    assert_true(ra_problem_cmp_place("a", 9, "z", "b", 1, "a") < 0);
    assert_true(ra_problem_cmp_place("a", 2, "a", "a", 10, "a") <
                0); /* lines as numbers */
    assert_true(ra_problem_cmp_place("a", 10, "a", "a", 2, "a") > 0);
    assert_true(ra_problem_cmp_place("a", 2, "y", "a", 2, "x") > 0);
    assert_int_equal(ra_problem_cmp_place("a", 2, "x", "a", 2, "x"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_problem__add_and_sort),
        cmocka_unit_test(test_problem__cmp_place),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
