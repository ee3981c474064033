/* SPDX-License-Identifier: MIT */
/* ra_pool: aligned zeroed allocations, big one-offs, string copies, release. */
#include <setjmp.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/pool.h"

#define ALIGN alignof(max_align_t)

static int aligned(const void *p)
{
    return (uintptr_t)p % ALIGN == 0;
}

static int all_zero(const unsigned char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (p[i])
            return 0;
    }
    return 1;
}

static void test_pool__small_allocations_aligned_and_zeroed(void **state)
{
    struct ra_pool pool = RA_POOL_INIT;
    size_t n;

    (void)state;
    for (n = 1; n <= 200; n++) {
        unsigned char *p = ra_pool_alloc(&pool, n);
        assert_non_null(p);
        assert_true(aligned(p));
        assert_true(all_zero(p, n));
        memset(p, 0xa5, n); /* dirty it: the next allocation must still be zeroed */
    }
    ra_pool_release(&pool);
}

static void test_pool__allocations_do_not_overlap(void **state)
{
    struct ra_pool pool = RA_POOL_INIT;
    unsigned char *p[3000];
    size_t i, j;

    (void)state;
    /* enough to fill several pages */
    for (i = 0; i < RA_ARRAY_SIZE(p); i++) {
        size_t n = 1 + i % 97;
        p[i] = ra_pool_alloc(&pool, n);
        memset(p[i], (int)(i & 0xff), n);
    }
    for (i = 0; i < RA_ARRAY_SIZE(p); i++) {
        for (j = 0; j < 1 + i % 97; j++)
            assert_int_equal(p[i][j], i & 0xff);
    }
    ra_pool_release(&pool);
}

static void test_pool__zero_size_gives_distinct_pointers(void **state)
{
    struct ra_pool pool = RA_POOL_INIT;
    void *a, *b;

    (void)state;
    a = ra_pool_alloc(&pool, 0);
    b = ra_pool_alloc(&pool, 0);
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    assert_true(aligned(a) && aligned(b));
    ra_pool_release(&pool);
}

static void test_pool__used_counts_rounded_sizes(void **state)
{
    struct ra_pool pool = RA_POOL_INIT;

    (void)state;
    assert_int_equal(pool.used, 0);
    ra_pool_alloc(&pool, 1);
    assert_int_equal(pool.used, ALIGN);
    ra_pool_alloc(&pool, ALIGN + 1);
    assert_int_equal(pool.used, 3 * ALIGN);
    ra_pool_alloc(&pool, 1 << 20);
    assert_int_equal(pool.used, 3 * ALIGN + (1 << 20));
    ra_pool_release(&pool);
    assert_int_equal(pool.used, 0);
    assert_null(pool.pages);
}

static void test_pool__big_allocations(void **state)
{
    struct ra_pool pool = RA_POOL_INIT;
    size_t sizes[] = {16 * 1024, 64 * 1024 - 64, 64 * 1024, 1 << 20, 5u << 20};
    unsigned char *p;
    size_t i;

    (void)state;
    for (i = 0; i < RA_ARRAY_SIZE(sizes); i++) {
        p = ra_pool_alloc(&pool, sizes[i]);
        assert_true(aligned(p));
        assert_true(all_zero(p, sizes[i]));
        memset(p, 0xff, sizes[i]); /* all of it is writable (ASan checks) */
    }
    ra_pool_release(&pool);
}

static void test_pool__big_allocation_keeps_current_page(void **state)
{
    struct ra_pool pool = RA_POOL_INIT;
    unsigned char *a, *big, *b;

    (void)state;
    a = ra_pool_alloc(&pool, 8);
    big = ra_pool_alloc(&pool, 1 << 20);
    b = ra_pool_alloc(&pool, 8);
    /* a one-off does not waste the page small allocations are coming from */
    assert_ptr_equal(b, a + ALIGN);
    assert_true(big + (1 << 20) <= a || big >= b + ALIGN);
    ra_pool_release(&pool);
}

static void test_pool__strdup(void **state)
{
    struct ra_pool pool = RA_POOL_INIT;
    char src[] = "tools/kubectl";
    char *s;

    (void)state;
    s = ra_pool_strdup(&pool, src);
    assert_ptr_not_equal(s, src);
    assert_string_equal(s, "tools/kubectl");
    src[0] = 'X';
    assert_string_equal(s, "tools/kubectl");
    assert_string_equal(ra_pool_strdup(&pool, ""), "");
    ra_pool_release(&pool);
}

static void test_pool__strndup_cuts_and_terminates(void **state)
{
    struct ra_pool pool = RA_POOL_INIT;
    const char path[] = "repositories/infra-ci/_manifests";
    char *s;

    (void)state;
    s = ra_pool_strndup(&pool, path + 13, 8);
    assert_string_equal(s, "infra-ci");
    assert_string_equal(ra_pool_strndup(&pool, path, 0), "");
    /* bytes are copied as they are, NUL included */
    s = ra_pool_strndup(&pool, "a\0b", 3);
    assert_memory_equal(s, "a\0b\0", 4);
    ra_pool_release(&pool);
}

static void test_pool__reusable_after_release(void **state)
{
    struct ra_pool pool = RA_POOL_INIT;
    size_t i;

    (void)state;
    for (i = 0; i < 100000; i++)
        ra_pool_alloc(&pool, 24);
    ra_pool_release(&pool);
    ra_pool_release(&pool);
    assert_string_equal(ra_pool_strdup(&pool, "again"), "again");
    ra_pool_release(&pool);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool__small_allocations_aligned_and_zeroed),
        cmocka_unit_test(test_pool__allocations_do_not_overlap),
        cmocka_unit_test(test_pool__zero_size_gives_distinct_pointers),
        cmocka_unit_test(test_pool__used_counts_rounded_sizes),
        cmocka_unit_test(test_pool__big_allocations),
        cmocka_unit_test(test_pool__big_allocation_keeps_current_page),
        cmocka_unit_test(test_pool__strdup),
        cmocka_unit_test(test_pool__strndup_cuts_and_terminates),
        cmocka_unit_test(test_pool__reusable_after_release),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
