/* SPDX-License-Identifier: MIT */
/* ra_digest: parsing, formatting, short form, ordering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/digest.h"

#define HEX "5861314d7fccb39c2192173240eab44fa35ca66426201ca2acd0630a6258dd51"
#define DIGEST "sha256:" HEX

static int parse(struct ra_digest *d, const char *s)
{
    return ra_digest_parse(d, s, strlen(s));
}

static void test_digest__parse_and_format_round_trip(void **state)
{
    struct ra_digest d;
    char buf[RA_DIGEST_STRLEN];

    (void)state;
    assert_int_equal(parse(&d, DIGEST), 0);
    assert_int_equal(d.b[0], 0x58);
    assert_int_equal(d.b[1], 0x61);
    assert_int_equal(d.b[31], 0x51);
    assert_string_equal(ra_digest_format(buf, &d), DIGEST);
    assert_int_equal(strlen(buf), RA_DIGEST_STRLEN - 1);
}

static void test_digest__parse_uses_len_not_nul(void **state)
{
    struct ra_digest d;
    const char *s = DIGEST "trailing";

    (void)state;
    assert_int_equal(ra_digest_parse(&d, s, strlen(DIGEST)), 0);
    assert_int_equal(ra_digest_parse(&d, s, strlen(s)), RA_EFORMAT);
}

static void test_digest__uppercase_hex_rejected(void **state)
{
    struct ra_digest d;

    (void)state;
    assert_int_equal(
        parse(&d, "sha256:5861314D7FCCB39C2192173240EAB44FA35CA66426201CA2ACD0630A6"
                  "258DD51"),
        RA_EFORMAT);
    assert_int_equal(
        parse(&d, "sha256:5861314d7fccb39c2192173240eab44fa35ca66426201ca2acd0630a6"
                  "258dd5F"),
        RA_EFORMAT);
    assert_int_equal(parse(&d, "SHA256:" HEX), RA_EFORMAT);
}

static void test_digest__non_hex_rejected(void **state)
{
    struct ra_digest d;

    (void)state;
    assert_int_equal(
        parse(&d, "sha256:g861314d7fccb39c2192173240eab44fa35ca66426201ca2acd0630a6"
                  "258dd51"),
        RA_EFORMAT);
    assert_int_equal(
        parse(&d, "sha256: 861314d7fccb39c2192173240eab44fa35ca66426201ca2acd0630a6"
                  "258dd51"),
        RA_EFORMAT);
}

static void test_digest__wrong_length_rejected(void **state)
{
    struct ra_digest d;

    (void)state;
    assert_int_equal(parse(&d, "sha256:" HEX "0"), RA_EFORMAT);
    assert_int_equal(ra_digest_parse(&d, DIGEST, strlen(DIGEST) - 1), RA_EFORMAT);
    assert_int_equal(parse(&d, "sha256:"), RA_EFORMAT);
    assert_int_equal(parse(&d, "sha256"), RA_EFORMAT);
    assert_int_equal(parse(&d, ""), RA_EFORMAT);
}

static void test_digest__wrong_algorithm_rejected(void **state)
{
    struct ra_digest d;

    (void)state;
    assert_int_equal(parse(&d, "sha512:" HEX HEX), RA_EFORMAT);
    assert_int_equal(parse(&d, "sha384:" HEX), RA_EFORMAT);
    assert_int_equal(parse(&d, "md5:" HEX), RA_EFORMAT);
    assert_int_equal(parse(&d, HEX), RA_EFORMAT);
    assert_int_equal(parse(&d, "sha256-" HEX), RA_EFORMAT);
}

static void test_digest__from_hex(void **state)
{
    struct ra_digest a, b;

    (void)state;
    assert_int_equal(ra_digest_from_hex(&a, HEX, 64), 0);
    assert_int_equal(parse(&b, DIGEST), 0);
    assert_int_equal(ra_digest_cmp(&a, &b), 0);
    assert_int_equal(ra_digest_from_hex(&a, HEX, 63), RA_EFORMAT);
    assert_int_equal(ra_digest_from_hex(&a, DIGEST, strlen(DIGEST)), RA_EFORMAT);
}

static void test_digest__short_form(void **state)
{
    struct ra_digest d;
    char buf[RA_DIGEST_STRLEN];

    (void)state;
    assert_int_equal(parse(&d, DIGEST), 0);
    assert_string_equal(ra_digest_short(buf, &d), "sha256:5861314d7fcc");
}

/* "sha256:" + 64 times c, with the last hex digit replaced by last. */
static void fill(struct ra_digest *d, char c, char last)
{
    char buf[RA_DIGEST_STRLEN];

    memcpy(buf, "sha256:", 7);
    memset(buf + 7, c, 64);
    buf[70] = last;
    buf[71] = '\0';
    assert_int_equal(parse(d, buf), 0);
}

static void test_digest__cmp_orders_bytes(void **state)
{
    struct ra_digest lo, hi, same, first;

    (void)state;
    fill(&lo, '0', '1');
    fill(&hi, 'f', 'f');
    fill(&same, '0', '1');
    fill(&first, '0', '2');
    assert_true(ra_digest_cmp(&lo, &hi) < 0);
    assert_true(ra_digest_cmp(&hi, &lo) > 0);
    assert_true(ra_digest_cmp(&lo, &first) < 0);
    assert_int_equal(ra_digest_cmp(&lo, &same), 0);
}

static void test_digest__is_zero(void **state)
{
    struct ra_digest d = {{0}};

    (void)state;
    assert_true(ra_digest_is_zero(&d));
    assert_int_equal(parse(&d, DIGEST), 0);
    assert_false(ra_digest_is_zero(&d));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_digest__parse_and_format_round_trip),
        cmocka_unit_test(test_digest__parse_uses_len_not_nul),
        cmocka_unit_test(test_digest__uppercase_hex_rejected),
        cmocka_unit_test(test_digest__non_hex_rejected),
        cmocka_unit_test(test_digest__wrong_length_rejected),
        cmocka_unit_test(test_digest__wrong_algorithm_rejected),
        cmocka_unit_test(test_digest__from_hex),
        cmocka_unit_test(test_digest__short_form),
        cmocka_unit_test(test_digest__cmp_orders_bytes),
        cmocka_unit_test(test_digest__is_zero),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
