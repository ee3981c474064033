/* SPDX-License-Identifier: MIT */
/* ra_text: escaping untrusted names (invalid UTF-8, control characters) for output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/text.h"

#define BOTH (RA_TEXT_UTF8 | RA_TEXT_CONTROLS)

/* Escape s into a fresh buffer and compare. */
static void assert_safe(const char *s, unsigned flags, const char *want)
{
    struct ra_buf b = RA_BUF_INIT;

    assert_string_equal(ra_text_safe(&b, s, flags), want);
    assert_int_equal(b.len, strlen(want));
    ra_buf_release(&b);
}

static void test_text__clean_strings_untouched(void **state)
{
    static const char *const clean[] = {
        "infra-ci",
        "tools/kubectl",
        "v2.8.3_rc-1",
        "a b ~!@#$%^&*()[]{}<>|\\'\"",
        "caf\xc3\xa9",              /* U+00E9, 2 bytes */
        "\xe6\x97\xa5\xe6\x9c\xac", /* U+65E5 U+672C, 3 bytes each */
        "\xf0\x9f\x90\xb3",         /* U+1F433, 4 bytes */
        "\xc2\xa0",                 /* U+00A0, first after the C1 block */
        "\xe0\xa0\x80",             /* U+0800, smallest 3-byte */
        "\xed\x9f\xbf",             /* U+D7FF, just below the surrogates */
        "\xee\x80\x80",             /* U+E000, just above them */
        "\xf0\x90\x80\x80",         /* U+10000, smallest 4-byte */
        "\xf4\x8f\xbf\xbf",         /* U+10FFFF, the last code point */
        "",
    };
    size_t i;

    (void)state;
    for (i = 0; i < RA_ARRAY_SIZE(clean); i++) {
        assert_safe(clean[i], BOTH, clean[i]);
        assert_safe(clean[i], RA_TEXT_UTF8, clean[i]);
        assert_safe(clean[i], 0, clean[i]);
        assert_true(ra_text_is_clean(clean[i]));
    }
}

static void test_text__invalid_utf8_escaped(void **state)
{
    (void)state;
    assert_safe("a\xff-b", RA_TEXT_UTF8, "a\\xff-b");
    assert_safe("\xfe\xff", RA_TEXT_UTF8, "\\xfe\\xff");
    /* Latin-1 from an old tar: one byte, not a sequence */
    assert_safe("caf\xe9", RA_TEXT_UTF8, "caf\\xe9");
    /* a lone continuation byte */
    assert_safe("\x80x", RA_TEXT_UTF8, "\\x80x");
    /* a sequence cut short by the end or by another character */
    assert_safe("x\xc3", RA_TEXT_UTF8, "x\\xc3");
    assert_safe("\xc3(", RA_TEXT_UTF8, "\\xc3(");
    assert_safe("\xe6\x97", RA_TEXT_UTF8, "\\xe6\\x97");
    assert_safe("\xf0\x9f\x90", RA_TEXT_UTF8, "\\xf0\\x9f\\x90");
    /* the valid parts around it are kept */
    assert_safe("caf\xc3\xa9\xff\xc3\xa9", RA_TEXT_UTF8, "caf\xc3\xa9\\xff\xc3\xa9");
}

static void test_text__overlong_encodings_rejected(void **state)
{
    (void)state;
    /* '/' as 2, 3 and 4 bytes: the classic path-traversal disguise */
    assert_safe("\xc0\xaf", RA_TEXT_UTF8, "\\xc0\\xaf");
    assert_safe("\xc1\xbf", RA_TEXT_UTF8, "\\xc1\\xbf");
    assert_safe("\xe0\x80\xaf", RA_TEXT_UTF8, "\\xe0\\x80\\xaf");
    assert_safe("\xe0\x9f\xbf", RA_TEXT_UTF8, "\\xe0\\x9f\\xbf");
    assert_safe("\xf0\x80\x80\xaf", RA_TEXT_UTF8, "\\xf0\\x80\\x80\\xaf");
    assert_safe("\xf0\x8f\xbf\xbf", RA_TEXT_UTF8, "\\xf0\\x8f\\xbf\\xbf");
    assert_false(ra_text_is_clean("\xc0\xaf"));
    assert_false(ra_text_is_clean("\xe0\x80\xaf"));
    assert_false(ra_text_is_clean("\xf0\x80\x80\xaf"));
}

static void test_text__surrogates_and_beyond_unicode_rejected(void **state)
{
    (void)state;
    assert_safe("\xed\xa0\x80", RA_TEXT_UTF8, "\\xed\\xa0\\x80"); /* U+D800 */
    assert_safe("\xed\xbf\xbf", RA_TEXT_UTF8, "\\xed\\xbf\\xbf"); /* U+DFFF */
    assert_safe("\xf4\x90\x80\x80", RA_TEXT_UTF8, "\\xf4\\x90\\x80\\x80");
    assert_safe("\xf5\x80\x80\x80", RA_TEXT_UTF8, "\\xf5\\x80\\x80\\x80");
    assert_safe("\xf8\x88\x80\x80\x80", RA_TEXT_UTF8, "\\xf8\\x88\\x80\\x80\\x80");
    assert_false(ra_text_is_clean("\xed\xa0\x80"));
    assert_false(ra_text_is_clean("\xf4\x90\x80\x80"));
}

static void test_text__control_characters_escaped(void **state)
{
    (void)state;
    assert_safe("\x1b[31mred", BOTH, "\\x1b[31mred");
    assert_safe("a\nb\tc\rd", BOTH, "a\\x0ab\\x09c\\x0dd");
    assert_safe("\x01\x1f\x7f", BOTH, "\\x01\\x1f\\x7f");
    /* JSON output escapes controls itself: UTF8 alone leaves them */
    assert_safe("a\nb\x1b", RA_TEXT_UTF8, "a\nb\x1b");
    assert_false(ra_text_is_clean("a\nb"));
    assert_false(ra_text_is_clean("\x7f"));
    assert_false(ra_text_is_clean("\x1b[2J"));
}

static void test_text__c1_controls_escaped(void **state)
{
    (void)state;
    /* U+009B is CSI and U+0085 NEL: terminals act on them like ESC [ and newline */
    assert_safe("a\xc2\x9b[31mb", BOTH, "a\\xc2\\x9b[31mb");
    assert_safe("\xc2\x80\xc2\x85\xc2\x9f", BOTH, "\\xc2\\x80\\xc2\\x85\\xc2\\x9f");
    assert_safe("\xc2\x9b", RA_TEXT_CONTROLS, "\\xc2\\x9b");
    /* valid UTF-8, so JSON output keeps them */
    assert_safe("\xc2\x9b", RA_TEXT_UTF8, "\xc2\x9b");
    assert_false(ra_text_is_clean("\xc2\x9b"));
    assert_false(ra_text_is_clean("x\xc2\x85"));
}

static void test_text__flags_select_what_is_escaped(void **state)
{
    (void)state;
    assert_safe("\xff\n", 0, "\xff\n");
    assert_safe("\xff\n", RA_TEXT_CONTROLS, "\xff\\x0a");
    assert_safe("\xff\n", RA_TEXT_UTF8, "\\xff\n");
    assert_safe("\xff\n", BOTH, "\\xff\\x0a");
}

static void test_text__appends_to_buffer(void **state)
{
    struct ra_buf b = RA_BUF_INIT;
    const char *s;

    (void)state;
    ra_buf_puts(&b, "tag '");
    s = ra_text_safe(&b, "la\xfftest", BOTH);
    ra_buf_putc(&b, '\'');
    assert_ptr_equal(s, b.ptr);
    assert_string_equal(b.ptr, "tag 'la\\xfftest'");
    ra_buf_release(&b);
    /* nothing to append still yields a string */
    assert_string_equal(ra_text_safe(&b, "", BOTH), "");
    ra_buf_release(&b);
}

static void test_text__is_clean(void **state)
{
    (void)state;
    assert_true(ra_text_is_clean(""));
    assert_true(ra_text_is_clean("infra-ci:latest"));
    assert_true(ra_text_is_clean("caf\xc3\xa9"));
    assert_false(ra_text_is_clean("caf\xe9"));
    assert_false(ra_text_is_clean("\xc3"));
    assert_false(ra_text_is_clean("tab\there"));
}

static void test_text__plural_picks_noun_by_count(void **state)
{
    (void)state;
    assert_string_equal(ra_text_plural(0, "tag", "tags"), "tags");
    assert_string_equal(ra_text_plural(1, "tag", "tags"), "tag");
    assert_string_equal(ra_text_plural(2, "tag", "tags"), "tags");
    assert_string_equal(ra_text_plural(11, "request", "requests"), "requests");
    assert_string_equal(ra_text_plural(1, "job was", "jobs were"), "job was");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text__clean_strings_untouched),
        cmocka_unit_test(test_text__invalid_utf8_escaped),
        cmocka_unit_test(test_text__overlong_encodings_rejected),
        cmocka_unit_test(test_text__surrogates_and_beyond_unicode_rejected),
        cmocka_unit_test(test_text__control_characters_escaped),
        cmocka_unit_test(test_text__c1_controls_escaped),
        cmocka_unit_test(test_text__flags_select_what_is_escaped),
        cmocka_unit_test(test_text__appends_to_buffer),
        cmocka_unit_test(test_text__is_clean),
        cmocka_unit_test(test_text__plural_picks_noun_by_count),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
