/* SPDX-License-Identifier: MIT */
/* util/common: ra_err_set formats the message and returns the code it was given (and
 * takes NULL), ra_err_clear, the message cut at its fixed size, ra_file_kind's words
 * for every st_mode type, the aborting allocators' copies and zero sizes, and the
 * overflow-checked size arithmetic. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <string.h>
#include <sys/stat.h>

#include "util/common.h"

static void test_common__err_set_returns_code(void **state)
{
    struct ra_err err = RA_ERR_INIT;

    (void)state;
    assert_int_equal(err.code, 0);
    assert_string_equal(err.msg, "");
    assert_int_equal(ra_err_set(&err, RA_EFORMAT, "'%s': line %d: bad", "jobs.yaml", 7),
                     RA_EFORMAT);
    assert_int_equal(err.code, RA_EFORMAT);
    assert_string_equal(err.msg, "'jobs.yaml': line 7: bad");
    /* set again: the newest message wins */
    assert_int_equal(ra_err_set(&err, RA_ENOTFOUND, "gone"), RA_ENOTFOUND);
    assert_int_equal(err.code, RA_ENOTFOUND);
    assert_string_equal(err.msg, "gone");
    ra_err_clear(&err);
    assert_int_equal(err.code, 0);
    assert_string_equal(err.msg, "");
}

static void test_common__err_null_is_fine(void **state)
{
    (void)state;
    assert_int_equal(ra_err_set(NULL, RA_ELIMIT, "%s", "ignored"), RA_ELIMIT);
    ra_err_clear(NULL);
}

static void test_common__err_message_cut_at_its_size(void **state)
{
    struct ra_err err = RA_ERR_INIT;
    char big[2 * sizeof(err.msg)];

    (void)state;
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(ra_err_set(&err, RA_ERROR, "%s", big), RA_ERROR);
    assert_int_equal(strlen(err.msg), sizeof(err.msg) - 1);
    assert_int_equal(err.msg[0], 'x');
}

static void test_common__codes(void **state)
{
    (void)state;
    assert_int_equal(RA_OK, 0);
    assert_int_equal(RA_ERROR, -1);
    assert_int_equal(RA_ENOTFOUND, -2);
    assert_int_equal(RA_EFORMAT, -3);
    assert_int_equal(RA_ELIMIT, -4);
    assert_int_equal(RA_EIO, -5);
    assert_int_equal(RA_EUSAGE, -6);
}

static void test_common__file_kind(void **state)
{
    (void)state;
    assert_string_equal(ra_file_kind(S_IFIFO | 0644), "a FIFO");
    assert_string_equal(ra_file_kind(S_IFSOCK | 0755), "a socket");
    assert_string_equal(ra_file_kind(S_IFCHR | 0666), "a character device");
    assert_string_equal(ra_file_kind(S_IFBLK | 0660), "a block device");
    assert_string_equal(ra_file_kind(S_IFDIR | 0755), "a directory");
    assert_string_equal(ra_file_kind(S_IFLNK | 0777), "a symbolic link");
    assert_string_equal(ra_file_kind(S_IFREG | 0644), "a regular file");
}

static void test_common__allocators(void **state)
{
    char *s, *t;
    unsigned char *z;
    size_t i;

    (void)state;
    s = ra_xstrdup("infra-ci:latest");
    assert_string_equal(s, "infra-ci:latest");
    t = ra_xstrndup("infra-ci:latest", 8);
    assert_string_equal(t, "infra-ci");
    free(t);
    t = ra_xstrndup(s, 0);
    assert_string_equal(t, "");
    free(t);
    z = ra_xcalloc(16, 4);
    for (i = 0; i < 64; i++)
        assert_int_equal(z[i], 0);
    z = ra_xrealloc(z, 128);
    for (i = 0; i < 64; i++)
        assert_int_equal(z[i], 0);
    free(z);
    /* zero sizes still give memory to free */
    z = ra_xmalloc(0);
    assert_non_null(z);
    free(z);
    z = ra_xcalloc(0, 0);
    assert_non_null(z);
    free(z);
    z = ra_xrealloc(NULL, 0);
    assert_non_null(z);
    free(z);
    free(s);
}

static void test_common__overflow(void **state)
{
    size_t out = 7;

    (void)state;
    assert_int_equal(ra_add_overflow(&out, 40, 2), 0);
    assert_int_equal(out, 42);
    assert_int_equal(ra_add_overflow(&out, SIZE_MAX, 1), RA_ELIMIT);
    assert_int_equal(ra_add_overflow(&out, SIZE_MAX - 1, 1), 0);
    assert_true(out == SIZE_MAX);
    assert_int_equal(ra_mul_overflow(&out, 6, 7), 0);
    assert_int_equal(out, 42);
    assert_int_equal(ra_mul_overflow(&out, SIZE_MAX / 2 + 1, 2), RA_ELIMIT);
    assert_int_equal(ra_mul_overflow(&out, SIZE_MAX, 0), 0);
    assert_int_equal(out, 0);
    assert_int_equal(RA_ARRAY_SIZE(((int[5]){0})), 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_common__err_set_returns_code),
        cmocka_unit_test(test_common__err_null_is_fine),
        cmocka_unit_test(test_common__err_message_cut_at_its_size),
        cmocka_unit_test(test_common__codes),
        cmocka_unit_test(test_common__file_kind),
        cmocka_unit_test(test_common__allocators),
        cmocka_unit_test(test_common__overflow),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
