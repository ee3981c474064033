/* SPDX-License-Identifier: MIT */
/* ra_buf: appending bytes and formatted text, truncating, detaching, releasing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"

static void test_buf__init_is_empty_string(void **state)
{
    struct ra_buf b = RA_BUF_INIT;

    (void)state;
    assert_null(b.ptr);
    assert_int_equal(b.len, 0);
    assert_string_equal(ra_buf_cstr(&b), "");
    ra_buf_release(&b);
}

static void test_buf__put_appends_and_terminates(void **state)
{
    struct ra_buf b = RA_BUF_INIT;

    (void)state;
    ra_buf_put(&b, "sha256:", 7);
    ra_buf_puts(&b, "abc");
    ra_buf_putc(&b, '/');
    assert_int_equal(b.len, 11);
    assert_string_equal(b.ptr, "sha256:abc/");
    assert_int_equal(b.ptr[b.len], '\0');
    assert_true(b.cap > b.len);
    ra_buf_release(&b);
}

static void test_buf__put_keeps_embedded_nul(void **state)
{
    struct ra_buf b = RA_BUF_INIT;

    (void)state;
    ra_buf_put(&b, "a\0b", 3);
    ra_buf_putc(&b, '\0');
    assert_int_equal(b.len, 4);
    assert_memory_equal(b.ptr, "a\0b\0", 5);
    ra_buf_release(&b);
}

static void test_buf__empty_write_allocates(void **state)
{
    struct ra_buf b = RA_BUF_INIT;

    (void)state;
    /* "never NULL after the first write", even an empty one */
    ra_buf_put(&b, "", 0);
    assert_non_null(b.ptr);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.ptr, "");
    ra_buf_release(&b);
    ra_buf_printf(&b, "%s", "");
    assert_non_null(b.ptr);
    assert_string_equal(b.ptr, "");
    ra_buf_release(&b);
}

static void test_buf__printf(void **state)
{
    struct ra_buf b = RA_BUF_INIT;

    (void)state;
    ra_buf_printf(&b, "%s:%d", "tag", 42);
    ra_buf_printf(&b, " %lld bytes", (long long)3623807);
    assert_string_equal(b.ptr, "tag:42 3623807 bytes");
    assert_int_equal(b.len, strlen("tag:42 3623807 bytes"));
    ra_buf_release(&b);
}

static void test_buf__printf_grows_past_first_allocation(void **state)
{
    struct ra_buf b = RA_BUF_INIT;
    char big[1000];

    (void)state;
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    ra_buf_puts(&b, "<");
    ra_buf_printf(&b, "%s>%s", big, big);
    assert_int_equal(b.len, 1 + 999 + 1 + 999);
    assert_int_equal(b.ptr[0], '<');
    assert_int_equal(b.ptr[1000], '>');
    assert_int_equal(b.ptr[1999], 'x');
    assert_int_equal(b.ptr[2000], '\0');
    ra_buf_release(&b);
}

static void vappend(struct ra_buf *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    ra_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

static void test_buf__vprintf(void **state)
{
    struct ra_buf b = RA_BUF_INIT;

    (void)state;
    ra_buf_puts(&b, "x=");
    vappend(&b, "%05.1f|%c|%x", 3.25, 'q', 255u);
    assert_string_equal(b.ptr, "x=003.2|q|ff");
    ra_buf_release(&b);
}

static void test_buf__grow_reserves(void **state)
{
    struct ra_buf b = RA_BUF_INIT;
    char *before;

    (void)state;
    ra_buf_grow(&b, 5000);
    assert_true(b.cap >= 5001);
    assert_int_equal(b.len, 0);
    before = b.ptr;
    ra_buf_put(&b, "0123456789", 10);
    ra_buf_grow(&b, 100);
    assert_ptr_equal(b.ptr, before); /* already room: no reallocation */
    assert_string_equal(b.ptr, "0123456789");
    ra_buf_release(&b);
}

static void test_buf__many_appends(void **state)
{
    struct ra_buf b = RA_BUF_INIT;
    size_t i;

    (void)state;
    for (i = 0; i < 100000; i++)
        ra_buf_putc(&b, (char)('a' + i % 26));
    assert_int_equal(b.len, 100000);
    assert_int_equal(strlen(b.ptr), 100000);
    assert_int_equal(b.ptr[99999], 'a' + 99999 % 26);
    ra_buf_release(&b);
}

static void test_buf__truncate(void **state)
{
    struct ra_buf b = RA_BUF_INIT;
    char *ptr;
    size_t cap;

    (void)state;
    ra_buf_puts(&b, "repositories/infra-ci");
    ptr = b.ptr;
    cap = b.cap;
    ra_buf_truncate(&b, 12);
    assert_int_equal(b.len, 12);
    assert_string_equal(b.ptr, "repositories");
    /* truncating to the length or beyond changes nothing */
    ra_buf_truncate(&b, 12);
    ra_buf_truncate(&b, 100);
    assert_string_equal(b.ptr, "repositories");
    /* empty, keeping the allocation for reuse */
    ra_buf_truncate(&b, 0);
    assert_int_equal(b.len, 0);
    assert_string_equal(ra_buf_cstr(&b), "");
    assert_ptr_equal(b.ptr, ptr);
    assert_int_equal(b.cap, cap);
    ra_buf_puts(&b, "blobs");
    assert_string_equal(b.ptr, "blobs");
    ra_buf_release(&b);
}

static void test_buf__truncate_unallocated(void **state)
{
    struct ra_buf b = RA_BUF_INIT;

    (void)state;
    ra_buf_truncate(&b, 0);
    assert_null(b.ptr);
    assert_string_equal(ra_buf_cstr(&b), "");
}

static void test_buf__detach(void **state)
{
    struct ra_buf b = RA_BUF_INIT;
    char *s;

    (void)state;
    ra_buf_printf(&b, "%s/%s", "tools", "kubectl");
    s = ra_buf_detach(&b);
    assert_string_equal(s, "tools/kubectl");
    assert_null(b.ptr);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    assert_string_equal(ra_buf_cstr(&b), "");
    free(s);
    /* the buffer is reusable after detaching */
    ra_buf_puts(&b, "again");
    assert_string_equal(b.ptr, "again");
    ra_buf_release(&b);
}

static void test_buf__detach_empty_gives_string(void **state)
{
    struct ra_buf b = RA_BUF_INIT;
    char *s;

    (void)state;
    s = ra_buf_detach(&b);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
}

static void test_buf__release_resets(void **state)
{
    struct ra_buf b = RA_BUF_INIT;

    (void)state;
    ra_buf_puts(&b, "x");
    ra_buf_release(&b);
    assert_null(b.ptr);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    ra_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf__init_is_empty_string),
        cmocka_unit_test(test_buf__put_appends_and_terminates),
        cmocka_unit_test(test_buf__put_keeps_embedded_nul),
        cmocka_unit_test(test_buf__empty_write_allocates),
        cmocka_unit_test(test_buf__printf),
        cmocka_unit_test(test_buf__printf_grows_past_first_allocation),
        cmocka_unit_test(test_buf__vprintf),
        cmocka_unit_test(test_buf__grow_reserves),
        cmocka_unit_test(test_buf__many_appends),
        cmocka_unit_test(test_buf__truncate),
        cmocka_unit_test(test_buf__truncate_unallocated),
        cmocka_unit_test(test_buf__detach),
        cmocka_unit_test(test_buf__detach_empty_gives_string),
        cmocka_unit_test(test_buf__release_resets),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
