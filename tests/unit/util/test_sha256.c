/* SPDX-License-Identifier: MIT */
/* ra_sha256: known vectors, streaming in odd chunks equals one-shot, reset and reuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/sha256.h"

#define MIB (1024u * 1024u)

static const char *hex(char out[2 * RA_SHA256_LEN + 1], const uint8_t d[RA_SHA256_LEN])
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < RA_SHA256_LEN; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 0xf];
    }
    out[2 * RA_SHA256_LEN] = '\0';
    return out;
}

static void assert_oneshot(const void *data, size_t len, const char *want)
{
    uint8_t d[RA_SHA256_LEN];
    char h[2 * RA_SHA256_LEN + 1];

    ra_sha256_buf(d, data, len);
    assert_string_equal(hex(h, d), want);
}

static void test_sha256__empty(void **state)
{
    (void)state;
    assert_oneshot("", 0,
                   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_sha256__abc(void **state)
{
    (void)state;
    assert_oneshot("abc", 3,
                   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_sha256__two_block_vector(void **state)
{
    static const char msg[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

    (void)state;
    assert_oneshot(msg, strlen(msg),
                   "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_sha256__binary_bytes(void **state)
{
    uint8_t all[256];

    (void)state;
    for (size_t i = 0; i < sizeof(all); i++)
        all[i] = (uint8_t)i;
    assert_oneshot(all, sizeof(all),
                   "40aff2e9d2d8922e47afd4648e6967497158785fbd1da870e7110266bf944880");
}

static void test_sha256__context_empty_equals_oneshot(void **state)
{
    struct ra_sha256 *h = NULL;
    struct ra_err err = RA_ERR_INIT;
    uint8_t d[RA_SHA256_LEN];
    char s[2 * RA_SHA256_LEN + 1];

    (void)state;
    assert_int_equal(ra_sha256_new(&h, &err), 0);
    assert_non_null(h);
    assert_int_equal(err.code, 0);
    ra_sha256_update(h, "", 0);
    ra_sha256_final(h, d);
    assert_string_equal(
        hex(s, d), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    ra_sha256_free(h);
}

static void test_sha256__mib_streamed_in_odd_chunks(void **state)
{
    static const size_t chunks[] = {1, 3, 63, 64, 65, 127, 4093, 7};
    char *a = malloc(MIB);
    struct ra_sha256 *h = NULL;
    struct ra_err err = RA_ERR_INIT;
    uint8_t streamed[RA_SHA256_LEN], oneshot[RA_SHA256_LEN];
    char s[2 * RA_SHA256_LEN + 1];
    size_t off = 0, i = 0;

    (void)state;
    assert_non_null(a);
    memset(a, 'a', MIB);
    assert_int_equal(ra_sha256_new(&h, &err), 0);
    while (off < MIB) {
        size_t n = chunks[i++ % RA_ARRAY_SIZE(chunks)];
        if (n > MIB - off)
            n = MIB - off;
        ra_sha256_update(h, a + off, n);
        off += n;
    }
    assert_true(i > 100); /* many odd-sized calls, not one */
    ra_sha256_final(h, streamed);
    ra_sha256_buf(oneshot, a, MIB);
    assert_memory_equal(streamed, oneshot, RA_SHA256_LEN);
    assert_string_equal(
        hex(s, streamed),
        "9bc1b2a288b26af7257a36277ae3816a7d4f16e89c1e7e77d0a5c48bad62b360");
    ra_sha256_free(h);
    free(a);
}

static void test_sha256__million_a(void **state)
{
    char *a = malloc(1000000);

    (void)state;
    assert_non_null(a);
    memset(a, 'a', 1000000);
    assert_oneshot(a, 1000000,
                   "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

static void test_sha256__reset_and_reuse(void **state)
{
    struct ra_sha256 *h = NULL;
    struct ra_err err = RA_ERR_INIT;
    uint8_t d[RA_SHA256_LEN];
    char s[2 * RA_SHA256_LEN + 1];

    (void)state;
    assert_int_equal(ra_sha256_new(&h, &err), 0);
    ra_sha256_update(h, "ab", 2);
    ra_sha256_update(h, "c", 1);
    ra_sha256_final(h, d);
    assert_string_equal(
        hex(s, d), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    /* after final + reset the context starts from scratch */
    ra_sha256_reset(h);
    ra_sha256_final(h, d);
    assert_string_equal(
        hex(s, d), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    /* reset in the middle of a hash drops what was fed so far */
    ra_sha256_reset(h);
    ra_sha256_update(h, "garbage", 7);
    ra_sha256_reset(h);
    ra_sha256_update(h, "abc", 3);
    ra_sha256_final(h, d);
    assert_string_equal(
        hex(s, d), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    ra_sha256_free(h);
}

static void test_sha256__free_null(void **state)
{
    (void)state;
    ra_sha256_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256__empty),
        cmocka_unit_test(test_sha256__abc),
        cmocka_unit_test(test_sha256__two_block_vector),
        cmocka_unit_test(test_sha256__binary_bytes),
        cmocka_unit_test(test_sha256__context_empty_equals_oneshot),
        cmocka_unit_test(test_sha256__mib_streamed_in_odd_chunks),
        cmocka_unit_test(test_sha256__million_a),
        cmocka_unit_test(test_sha256__reset_and_reuse),
        cmocka_unit_test(test_sha256__free_null),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
