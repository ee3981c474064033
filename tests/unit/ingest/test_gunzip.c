/* SPDX-License-Identifier: MIT */
/* ingest/gunzip: gzip files made here with zlib, then read back through ra_gunzip: one
 * member read in small pieces, members one after another with zero padding, 3 MiB of
 * data that does not compress (more than the 1 MiB input buffer), and the exact message
 * for a bad CRC-32, a bad length, a file ending inside a member, corrupt deflate data,
 * something that is not gzip after a member and an empty file; what came out before a
 * bad trailer is delivered first, and a failure is said again on every later read.
 * ra_gunzip_sniff: gzip or not, without moving the file offset. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "ingest/gunzip.h"
#include "util/buf.h"

#include "fixture.h"

static char tmpdir[] = "/tmp/ra-test-gunzip-XXXXXX";

static int setup(void **state)
{
    (void)state;
    return fix_tmpdir_make(tmpdir);
}

static int teardown(void **state)
{
    (void)state;
    return fix_tmpdir_remove(tmpdir);
}

/* One gzip member of data appended to out; returns where it starts. */
static size_t member(struct ra_buf *out, const void *data, size_t len)
{
    z_stream z;
    unsigned char chunk[16384];
    size_t start = out->len;
    int r;

    memset(&z, 0, sizeof(z));
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY),
                     Z_OK);
    z.next_in = (unsigned char *)data;
    z.avail_in = (uInt)len;
    do {
        z.next_out = chunk;
        z.avail_out = sizeof(chunk);
        r = deflate(&z, Z_FINISH);
        assert_true(r == Z_OK || r == Z_STREAM_END);
        ra_buf_put(out, chunk, sizeof(chunk) - z.avail_out);
    } while (r != Z_STREAM_END);
    deflateEnd(&z);
    return start;
}

/* Writes bytes to tmpdir/name and opens it. */
static int open_file(const char *name, const struct ra_buf *bytes)
{
    struct ra_buf p = RA_BUF_INIT;
    int fd;

    ra_buf_printf(&p, "%s/%s", tmpdir, name);
    fix_write(p.ptr, bytes->ptr ? bytes->ptr : "", bytes->len, RA_TIME_NONE);
    fd = open(p.ptr, O_RDONLY);
    assert_true(fd >= 0);
    ra_buf_release(&p);
    return fd;
}

/* Everything ra_gunzip gives from fd, piece bytes at a time, into out. Returns 0 at the
 * end, or -1 with msg set. */
static int read_all(int fd, size_t piece, struct ra_buf *out, char msg[256],
                    uint64_t *bytes_in)
{
    struct ra_gunzip *g = NULL;
    char *buf = malloc(piece);
    ssize_t n;

    assert_non_null(buf);
    ra_gunzip_new(&g, fd);
    assert_non_null(g);
    msg[0] = '\0';
    while ((n = ra_gunzip_read(g, buf, piece, msg, 256)) > 0)
        ra_buf_put(out, buf, (size_t)n);
    if (n < 0) {
        char again[256];
        /* every later read says the same */
        assert_int_equal(ra_gunzip_read(g, buf, piece, again, sizeof(again)), -1);
        assert_string_equal(again, msg);
    } else {
        assert_int_equal(ra_gunzip_read(g, buf, piece, msg, 256), 0);
    }
    if (bytes_in)
        *bytes_in = ra_gunzip_bytes_in(g);
    ra_gunzip_free(g);
    free(buf);
    return n < 0 ? -1 : 0;
}

#define TEXT "blobs/sha256/63/6356e3a7/data\n"

static void test_gunzip__one_member_small_reads(void **state)
{
    struct ra_buf gz = RA_BUF_INIT, out = RA_BUF_INIT;
    char msg[256];
    uint64_t in = 0;
    int fd;

    (void)state;
    member(&gz, TEXT, strlen(TEXT));
    fd = open_file("one.gz", &gz);
    assert_int_equal(read_all(fd, 7, &out, msg, &in), 0);
    assert_int_equal(out.len, strlen(TEXT));
    assert_memory_equal(out.ptr, TEXT, strlen(TEXT));
    assert_int_equal(in, gz.len);
    close(fd);
    ra_buf_release(&gz);
    ra_buf_release(&out);
}

static void test_gunzip__members_and_zero_padding(void **state)
{
    struct ra_buf gz = RA_BUF_INIT, out = RA_BUF_INIT;
    char msg[256];
    uint64_t in = 0;
    int fd;

    (void)state;
    member(&gz, "abc", 3);
    member(&gz, "", 0);
    member(&gz, "defg", 4);
    ra_buf_put(&gz, "\0\0\0\0\0\0\0\0", 8);
    fd = open_file("members.gz", &gz);
    assert_int_equal(read_all(fd, 4096, &out, msg, &in), 0);
    assert_int_equal(out.len, 7);
    assert_memory_equal(out.ptr, "abcdefg", 7);
    assert_int_equal(in, gz.len);
    close(fd);
    ra_buf_release(&gz);
    ra_buf_release(&out);
}

static void test_gunzip__larger_than_the_input_buffer(void **state)
{
    struct ra_buf gz = RA_BUF_INIT, out = RA_BUF_INIT;
    size_t len = 3 * 1024 * 1024, i;
    unsigned char *data = malloc(len);
    uint32_t x = 2463534242u;
    char msg[256];
    uint64_t in = 0;
    int fd;

    (void)state;
    assert_non_null(data);
    for (i = 0; i < len; i++) { /* xorshift: does not compress */
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        data[i] = (unsigned char)x;
    }
    member(&gz, data, len);
    assert_true(gz.len > 2 * 1024 * 1024);
    fd = open_file("big.gz", &gz);
    assert_int_equal(read_all(fd, 65536, &out, msg, &in), 0);
    assert_int_equal(out.len, len);
    assert_memory_equal(out.ptr, data, len);
    assert_int_equal(in, gz.len);
    close(fd);
    free(data);
    ra_buf_release(&gz);
    ra_buf_release(&out);
}

/* gz with byte at (from the end when negative) xored with x: the failure's message,
 * and what came out before it into out. */
static void damaged(struct ra_buf *gz, long at, unsigned char x, struct ra_buf *out,
                    char msg[256])
{
    int fd;

    gz->ptr[at < 0 ? (long)gz->len + at : at] ^= (char)x;
    fd = open_file("damaged.gz", gz);
    assert_int_equal(read_all(fd, 4096, out, msg, NULL), -1);
    close(fd);
}

static void test_gunzip__bad_crc_after_the_data(void **state)
{
    struct ra_buf gz = RA_BUF_INIT, out = RA_BUF_INIT;
    char msg[256];

    (void)state;
    member(&gz, TEXT, strlen(TEXT));
    damaged(&gz, -8, 0x01, &out, msg); /* the CRC-32's first byte */
    assert_string_equal(msg,
                        "gzip member 1 (at byte 0): the CRC-32 in its trailer does not "
                        "match its data");
    /* the member's data came out first */
    assert_int_equal(out.len, strlen(TEXT));
    assert_memory_equal(out.ptr, TEXT, strlen(TEXT));
    ra_buf_release(&gz);
    ra_buf_release(&out);
}

static void test_gunzip__bad_length_in_second_member(void **state)
{
    struct ra_buf gz = RA_BUF_INIT, out = RA_BUF_INIT, want = RA_BUF_INIT;
    char msg[256];
    size_t second;

    (void)state;
    member(&gz, "abc", 3);
    second = member(&gz, "defg", 4);
    damaged(&gz, -4, 0x10, &out, msg); /* ISIZE */
    ra_buf_printf(&want,
                  "gzip member 2 (at byte %zu): the length in its trailer does not match "
                  "its data",
                  second);
    assert_string_equal(msg, want.ptr);
    assert_int_equal(out.len, 7);
    ra_buf_release(&gz);
    ra_buf_release(&out);
    ra_buf_release(&want);
}

static void test_gunzip__ends_inside_a_member(void **state)
{
    struct ra_buf gz = RA_BUF_INIT, out = RA_BUF_INIT;
    char msg[256];
    int fd;

    (void)state;
    member(&gz, TEXT, strlen(TEXT));
    ra_buf_truncate(&gz, gz.len - 5);
    fd = open_file("short.gz", &gz);
    assert_int_equal(read_all(fd, 4096, &out, msg, NULL), -1);
    assert_string_equal(msg, "gzip member 1 (at byte 0): the file ends inside it");
    close(fd);
    /* an empty file ends inside its first member too */
    ra_buf_truncate(&gz, 0);
    fd = open_file("empty.gz", &gz);
    assert_int_equal(read_all(fd, 4096, &out, msg, NULL), -1);
    assert_string_equal(msg, "gzip member 1 (at byte 0): the file ends inside it");
    close(fd);
    ra_buf_release(&gz);
    ra_buf_release(&out);
}

static void test_gunzip__corrupt_deflate_data(void **state)
{
    static const unsigned char bad[] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3,
                                        0x07, 0,    0, 0, 0, 0, 0, 0, 0, 0};
    struct ra_buf gz = RA_BUF_INIT, out = RA_BUF_INIT;
    char msg[256];
    int fd;

    (void)state;
    /* the first block's type is 3, which does not exist */
    ra_buf_put(&gz, bad, sizeof(bad));
    fd = open_file("corrupt.gz", &gz);
    assert_int_equal(read_all(fd, 4096, &out, msg, NULL), -1);
    assert_string_equal(msg, "gzip member 1 (at byte 0): invalid block type");
    assert_int_equal(out.len, 0);
    close(fd);
    ra_buf_release(&gz);
    ra_buf_release(&out);
}

static void test_gunzip__not_gzip_after_a_member(void **state)
{
    struct ra_buf gz = RA_BUF_INIT, out = RA_BUF_INIT, want = RA_BUF_INIT;
    char msg[256];
    size_t end;
    int fd;

    (void)state;
    member(&gz, "abc", 3);
    end = gz.len;
    ra_buf_put(&gz, "\0\0PK\3\4", 6);
    fd = open_file("trailing.gz", &gz);
    assert_int_equal(read_all(fd, 4096, &out, msg, NULL), -1);
    /* the zeros are padding; the data after them is not */
    ra_buf_printf(&want, "gzip: the data at byte %zu, after member 1, is not gzip",
                  end + 2);
    assert_string_equal(msg, want.ptr);
    assert_int_equal(out.len, 3);
    close(fd);
    ra_buf_release(&gz);
    ra_buf_release(&out);
    ra_buf_release(&want);
}

static void test_gunzip__sniff(void **state)
{
    struct ra_buf b = RA_BUF_INIT;
    int fd;

    (void)state;
    member(&b, "abc", 3);
    fd = open_file("sniff.gz", &b);
    assert_int_equal(ra_gunzip_sniff(fd), 1);
    assert_int_equal(lseek(fd, 0, SEEK_CUR), 0);
    /* after a read, sniffing still looks at the start and leaves the offset alone */
    assert_int_equal(lseek(fd, 2, SEEK_SET), 2);
    assert_int_equal(ra_gunzip_sniff(fd), 1);
    assert_int_equal(lseek(fd, 0, SEEK_CUR), 2);
    close(fd);

    ra_buf_truncate(&b, 0);
    ra_buf_put(&b, "\x1f\x8b\x07", 3); /* a method other than deflate */
    fd = open_file("method.gz", &b);
    assert_int_equal(ra_gunzip_sniff(fd), 0);
    close(fd);
    ra_buf_truncate(&b, 0);
    ra_buf_put(&b, "\x1f\x8b", 2); /* too short */
    fd = open_file("short2.gz", &b);
    assert_int_equal(ra_gunzip_sniff(fd), 0);
    close(fd);
    ra_buf_truncate(&b, 0);
    ra_buf_puts(&b, "ustar");
    fd = open_file("plain.tar", &b);
    assert_int_equal(ra_gunzip_sniff(fd), 0);
    close(fd);
    ra_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gunzip__one_member_small_reads),
        cmocka_unit_test(test_gunzip__members_and_zero_padding),
        cmocka_unit_test(test_gunzip__larger_than_the_input_buffer),
        cmocka_unit_test(test_gunzip__bad_crc_after_the_data),
        cmocka_unit_test(test_gunzip__bad_length_in_second_member),
        cmocka_unit_test(test_gunzip__ends_inside_a_member),
        cmocka_unit_test(test_gunzip__corrupt_deflate_data),
        cmocka_unit_test(test_gunzip__not_gzip_after_a_member),
        cmocka_unit_test(test_gunzip__sniff),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
