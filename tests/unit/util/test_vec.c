/* SPDX-License-Identifier: MIT */
/* ra_vec: push and growth, sort with a qsort comparator, release and reuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/vec.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_int_desc(const void *a, const void *b)
{
    int x = **(const int *const *)a, y = **(const int *const *)b;
    return (y > x) - (y < x);
}

static void test_vec__init_is_empty(void **state)
{
    struct ra_vec v = RA_VEC_INIT;

    (void)state;
    assert_null(v.items);
    assert_int_equal(v.len, 0);
    assert_int_equal(v.cap, 0);
    ra_vec_sort(&v, cmp_str); /* sorting nothing is fine */
    ra_vec_release(&v);
    assert_null(v.items);
}

static void test_vec__push_keeps_order_and_pointers(void **state)
{
    struct ra_vec v = RA_VEC_INIT;
    int a = 1, b = 2, c = 3;

    (void)state;
    ra_vec_push(&v, &a);
    ra_vec_push(&v, &b);
    ra_vec_push(&v, NULL); /* NULL is an item like any other */
    ra_vec_push(&v, &c);
    assert_int_equal(v.len, 4);
    assert_int_equal(v.cap, 8);
    assert_ptr_equal(v.items[0], &a);
    assert_ptr_equal(v.items[1], &b);
    assert_null(v.items[2]);
    assert_ptr_equal(v.items[3], &c);
    ra_vec_release(&v);
}

static void test_vec__grows_by_doubling(void **state)
{
    struct ra_vec v = RA_VEC_INIT;
    static int vals[1000];

    (void)state;
    for (int i = 0; i < 8; i++)
        ra_vec_push(&v, &vals[i]);
    assert_int_equal(v.cap, 8);
    ra_vec_push(&v, &vals[8]);
    assert_int_equal(v.cap, 16);
    for (int i = 9; i < 1000; i++)
        ra_vec_push(&v, &vals[i]);
    assert_int_equal(v.len, 1000);
    assert_int_equal(v.cap, 1024);
    for (int i = 0; i < 1000; i++)
        assert_ptr_equal(v.items[i], &vals[i]);
    ra_vec_release(&v);
}

static void test_vec__sort_strings(void **state)
{
    struct ra_vec v = RA_VEC_INIT;
    char *words[] = {"tools/kubectl", "infra-ci", "base", "infra-ci/arm", "Base"};

    (void)state;
    for (size_t i = 0; i < RA_ARRAY_SIZE(words); i++)
        ra_vec_push(&v, words[i]);
    ra_vec_sort(&v, cmp_str);
    assert_int_equal(v.len, 5);
    assert_string_equal(v.items[0], "Base");
    assert_string_equal(v.items[1], "base");
    assert_string_equal(v.items[2], "infra-ci");
    assert_string_equal(v.items[3], "infra-ci/arm");
    assert_string_equal(v.items[4], "tools/kubectl");
    ra_vec_release(&v);
}

static void test_vec__sort_with_element_pointer_comparator(void **state)
{
    struct ra_vec v = RA_VEC_INIT;
    int vals[] = {5, -3, 12, 0, 5, 7};

    (void)state;
    for (size_t i = 0; i < RA_ARRAY_SIZE(vals); i++)
        ra_vec_push(&v, &vals[i]);
    ra_vec_sort(&v, cmp_int_desc);
    assert_int_equal(*(int *)v.items[0], 12);
    assert_int_equal(*(int *)v.items[1], 7);
    assert_int_equal(*(int *)v.items[2], 5);
    assert_int_equal(*(int *)v.items[3], 5);
    assert_int_equal(*(int *)v.items[4], 0);
    assert_int_equal(*(int *)v.items[5], -3);
    /* the pointers are moved, not the values */
    assert_int_equal(vals[0], 5);
    assert_int_equal(vals[1], -3);
    ra_vec_release(&v);
}

static void test_vec__sort_single_item(void **state)
{
    struct ra_vec v = RA_VEC_INIT;
    char *one = "x";

    (void)state;
    ra_vec_push(&v, one);
    ra_vec_sort(&v, cmp_str);
    assert_int_equal(v.len, 1);
    assert_ptr_equal(v.items[0], one);
    ra_vec_release(&v);
}

static void test_vec__release_resets_and_allows_reuse(void **state)
{
    struct ra_vec v = RA_VEC_INIT;
    int a = 1;

    (void)state;
    ra_vec_push(&v, &a);
    ra_vec_release(&v);
    assert_null(v.items);
    assert_int_equal(v.len, 0);
    assert_int_equal(v.cap, 0);
    ra_vec_release(&v); /* twice is harmless */
    ra_vec_push(&v, &a);
    assert_int_equal(v.len, 1);
    assert_ptr_equal(v.items[0], &a);
    ra_vec_release(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vec__init_is_empty),
        cmocka_unit_test(test_vec__push_keeps_order_and_pointers),
        cmocka_unit_test(test_vec__grows_by_doubling),
        cmocka_unit_test(test_vec__sort_strings),
        cmocka_unit_test(test_vec__sort_with_element_pointer_comparator),
        cmocka_unit_test(test_vec__sort_single_item),
        cmocka_unit_test(test_vec__release_resets_and_allows_reuse),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
