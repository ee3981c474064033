/* SPDX-License-Identifier: MIT */
/* ra_map: insert, lookup, replace, growth, iteration, digest-length keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/map.h"
#include "util/pool.h"

#define MANY 100000

/* Deterministic pseudo-random bytes (splitmix64), so failures reproduce. */
static uint64_t next_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void test_map__empty(void **state)
{
    struct ra_map m = RA_MAP_INIT;
    size_t it = 0;

    (void)state;
    assert_null(ra_map_get(&m, "a", 1));
    assert_null(ra_map_gets(&m, ""));
    assert_int_equal(ra_map_next(&m, &it, NULL, NULL, NULL), 0);
    assert_int_equal(m.count, 0);
    ra_map_release(&m);
    ra_map_release(&m);
    assert_null(m.slots);
}

static void test_map__put_and_get(void **state)
{
    struct ra_map m = RA_MAP_INIT;
    int one = 1, two = 2;

    (void)state;
    assert_null(ra_map_put(&m, "alpha", 5, &one));
    assert_null(ra_map_put(&m, "beta", 4, &two));
    assert_int_equal(m.count, 2);
    assert_ptr_equal(ra_map_get(&m, "alpha", 5), &one);
    assert_ptr_equal(ra_map_gets(&m, "beta"), &two);
    assert_null(ra_map_gets(&m, "gamma"));
    ra_map_release(&m);
    assert_int_equal(m.count, 0);
    assert_int_equal(m.cap, 0);
}

static void test_map__keys_compare_bytes_not_pointers(void **state)
{
    struct ra_map m = RA_MAP_INIT;
    char key[] = "tools/kubectl", other[] = "tools/kubectl";
    int v;

    (void)state;
    ra_map_put(&m, key, strlen(key), &v);
    assert_ptr_equal(ra_map_gets(&m, other), &v);
    ra_map_release(&m);
}

static void test_map__key_length_matters(void **state)
{
    struct ra_map m = RA_MAP_INIT;
    int a, ab, empty, nul;

    (void)state;
    ra_map_put(&m, "ab", 1, &a);
    ra_map_put(&m, "ab", 2, &ab);
    ra_map_put(&m, "", 0, &empty);
    ra_map_put(&m, "a\0b", 3, &nul);
    assert_int_equal(m.count, 4);
    assert_ptr_equal(ra_map_get(&m, "a", 1), &a);
    assert_ptr_equal(ra_map_get(&m, "ab", 2), &ab);
    assert_ptr_equal(ra_map_get(&m, "zz", 0), &empty);
    assert_ptr_equal(ra_map_get(&m, "a\0b", 3), &nul);
    assert_null(ra_map_get(&m, "a\0c", 3));
    ra_map_release(&m);
}

static void test_map__replace_returns_old_value(void **state)
{
    struct ra_map m = RA_MAP_INIT;
    int one = 1, two = 2;

    (void)state;
    assert_null(ra_map_put(&m, "latest", 6, &one));
    assert_ptr_equal(ra_map_put(&m, "latest", 6, &two), &one);
    assert_int_equal(m.count, 1);
    assert_ptr_equal(ra_map_gets(&m, "latest"), &two);
    /* NULL is a value like any other; the key stays */
    assert_ptr_equal(ra_map_put(&m, "latest", 6, NULL), &two);
    assert_int_equal(m.count, 1);
    assert_null(ra_map_gets(&m, "latest"));
    ra_map_release(&m);
}

static void test_map__slot_reports_creation(void **state)
{
    struct ra_map m = RA_MAP_INIT;
    int created = -1, v;
    void **slot;

    (void)state;
    slot = ra_map_slot(&m, "k", 1, &created);
    assert_int_equal(created, 1);
    assert_null(*slot);
    assert_int_equal(m.count, 1);
    *slot = &v;
    slot = ra_map_slot(&m, "k", 1, &created);
    assert_int_equal(created, 0);
    assert_ptr_equal(*slot, &v);
    assert_int_equal(m.count, 1);
    slot = ra_map_slot(&m, "k2", 2, NULL);
    assert_null(*slot);
    assert_int_equal(m.count, 2);
    ra_map_release(&m);
}

static void test_map__grows_to_many_keys(void **state)
{
    struct ra_map m = RA_MAP_INIT;
    struct ra_pool pool = RA_POOL_INIT;
    char buf[32];
    size_t i;

    (void)state;
    for (i = 0; i < MANY; i++) {
        int n = snprintf(buf, sizeof(buf), "repo-%zu", i);
        char *k = ra_pool_strndup(&pool, buf, (size_t)n);
        assert_null(ra_map_put(&m, k, (size_t)n, (void *)(uintptr_t)(i + 1)));
    }
    assert_int_equal(m.count, MANY);
    /* a power of two, kept at most three quarters full */
    assert_int_equal(m.cap & (m.cap - 1), 0);
    assert_true(m.count * 4 <= m.cap * 3);
    for (i = 0; i < MANY; i++) {
        snprintf(buf, sizeof(buf), "repo-%zu", i);
        assert_int_equal((uintptr_t)ra_map_gets(&m, buf), i + 1);
    }
    assert_null(ra_map_gets(&m, "repo-100000"));
    assert_null(ra_map_gets(&m, "repo-"));
    ra_map_release(&m);
    ra_pool_release(&pool);
}

static void test_map__iterate_visits_each_key_once(void **state)
{
    struct ra_map m = RA_MAP_INIT;
    struct ra_pool pool = RA_POOL_INIT;
    unsigned char *seen = calloc(MANY, 1);
    const void *key;
    size_t i, it = 0, keylen, n = 0;
    void *value;
    char buf[32];

    (void)state;
    assert_non_null(seen);
    for (i = 0; i < MANY; i++) {
        int len = snprintf(buf, sizeof(buf), "%zu", i);
        ra_map_put(&m, ra_pool_strndup(&pool, buf, (size_t)len), (size_t)len,
                   (void *)(uintptr_t)i);
    }
    while (ra_map_next(&m, &it, &key, &keylen, &value)) {
        size_t v = (uintptr_t)value;
        assert_true(v < MANY);
        assert_int_equal(seen[v], 0);
        seen[v] = 1;
        snprintf(buf, sizeof(buf), "%zu", v);
        assert_int_equal(keylen, strlen(buf));
        assert_memory_equal(key, buf, keylen);
        n++;
    }
    assert_int_equal(n, MANY);
    /* the end is sticky */
    assert_int_equal(ra_map_next(&m, &it, &key, &keylen, &value), 0);
    free(seen);
    ra_map_release(&m);
    ra_pool_release(&pool);
}

static void test_map__iterate_with_null_outputs(void **state)
{
    struct ra_map m = RA_MAP_INIT;
    size_t it = 0, n = 0;

    (void)state;
    ra_map_put(&m, "a", 1, NULL);
    ra_map_put(&m, "b", 1, NULL);
    while (ra_map_next(&m, &it, NULL, NULL, NULL))
        n++;
    assert_int_equal(n, 2);
    ra_map_release(&m);
}

static void test_map__digest_keys(void **state)
{
    struct ra_map m = RA_MAP_INIT;
    uint8_t(*keys)[32] = malloc(sizeof(*keys) * MANY);
    uint64_t seed = 42;
    uint8_t probe[32];
    size_t i, j;

    (void)state;
    assert_non_null(keys);
    for (i = 0; i < MANY; i++) {
        for (j = 0; j < 32; j += 8) {
            uint64_t r = next_rand(&seed);
            memcpy(keys[i] + j, &r, 8);
        }
        assert_null(ra_map_put(&m, keys[i], 32, (void *)(uintptr_t)(i + 1)));
    }
    assert_int_equal(m.count, MANY);
    for (i = 0; i < MANY; i++) {
        memcpy(probe, keys[i], 32);
        assert_int_equal((uintptr_t)ra_map_get(&m, probe, 32), i + 1);
    }
    /* same first bytes, different last byte: another key */
    memcpy(probe, keys[7], 32);
    probe[31] ^= 1;
    assert_null(ra_map_get(&m, probe, 32));
    /* a prefix of a digest is another key too */
    assert_null(ra_map_get(&m, keys[7], 31));
    free(keys);
    ra_map_release(&m);
}

/* Count the distinct hashes stored: a cheap, deterministic proxy for probe lengths. */
static size_t distinct_hashes(const struct ra_map *m)
{
    struct ra_map hashes = RA_MAP_INIT;
    size_t i, n;

    for (i = 0; i < m->cap; i++) {
        if (m->slots[i].hash)
            ra_map_put(&hashes, &m->slots[i].hash, sizeof(m->slots[i].hash), (void *)1);
    }
    n = hashes.count;
    ra_map_release(&hashes);
    return n;
}

static void test_map__digest_length_names_spread(void **state)
{
    struct ra_map m = RA_MAP_INIT;
    struct ra_pool pool = RA_POOL_INIT;
    char buf[40];
    size_t i, n = 4096;

    (void)state;
    /* 32-byte keys that are not digests (repository or tag names from an untrusted
     * archive) share their first bytes; they must not all land in one probe run */
    for (i = 0; i < n; i++) {
        snprintf(buf, sizeof(buf), "registry.example.com/lib/%07zu", i);
        assert_int_equal(strlen(buf), 32);
        ra_map_put(&m, ra_pool_strdup(&pool, buf), 32, (void *)(uintptr_t)(i + 1));
    }
    assert_int_equal(m.count, n);
    assert_true(distinct_hashes(&m) > n / 2);
    for (i = 0; i < n; i++) {
        snprintf(buf, sizeof(buf), "registry.example.com/lib/%07zu", i);
        assert_int_equal((uintptr_t)ra_map_get(&m, buf, 32), i + 1);
    }
    ra_map_release(&m);
    ra_pool_release(&pool);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map__empty),
        cmocka_unit_test(test_map__put_and_get),
        cmocka_unit_test(test_map__keys_compare_bytes_not_pointers),
        cmocka_unit_test(test_map__key_length_matters),
        cmocka_unit_test(test_map__replace_returns_old_value),
        cmocka_unit_test(test_map__slot_reports_creation),
        cmocka_unit_test(test_map__grows_to_many_keys),
        cmocka_unit_test(test_map__iterate_visits_each_key_once),
        cmocka_unit_test(test_map__iterate_with_null_outputs),
        cmocka_unit_test(test_map__digest_keys),
        cmocka_unit_test(test_map__digest_length_names_spread),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
