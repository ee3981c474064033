/* SPDX-License-Identifier: MIT */
/* ingest/inflow: decompression on a second thread hands back exactly the uncompressed
 * bytes, in order; a damaged stream ends in -1 with libarchive's message after what
 * could be read; plain files are left to the ordinary reader; closing part-way neither
 * hangs nor leaks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "ingest/inflow.h"

struct fixture {
    char dir[64];
    char path[PATH_MAX];
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));

    snprintf(fx->dir, sizeof(fx->dir), "/tmp/ra-inflow.XXXXXX");
    if (!mkdtemp(fx->dir))
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0)
        return -1;
    free(fx);
    return 0;
}

static const char *at(void **state, const char *name)
{
    struct fixture *fx = *state;

    snprintf(fx->path, sizeof(fx->path), "%s/%s", fx->dir, name);
    return fx->path;
}

/* len bytes, half of them noise and half a repeating text, so that compressed output
 * has both stored and compressed blocks. */
static char *content(size_t len)
{
    char *p = malloc(len);
    uint32_t x = 2463534242u;
    size_t i;

    for (i = 0; i < len; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        p[i] = (i / 65536) % 2 ? (char)(x & 0xff) : "registry/v2 "[i % 12];
    }
    return p;
}

/* The bytes as one compressed stream (format raw: no archive around them). */
static void write_compressed(const char *path, int filter, const char *data, size_t len)
{
    struct archive *a = archive_write_new();
    struct archive_entry *e = archive_entry_new();

    assert_int_equal(archive_write_set_format_raw(a), ARCHIVE_OK);
    assert_int_equal(archive_write_add_filter(a, filter), ARCHIVE_OK);
    assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
    archive_entry_set_pathname(e, "data");
    archive_entry_set_filetype(e, AE_IFREG);
    assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
    assert_int_equal(archive_write_data(a, data, len), (la_ssize_t)len);
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    archive_entry_free(e);
}

static off_t file_size(const char *path)
{
    struct stat st;

    assert_int_equal(stat(path, &st), 0);
    return st.st_size;
}

/* Read everything; returns the last ra_inflow_read result (0 or -1) and the bytes in
 * *got (compared as they come against want). */
static ssize_t drain(struct ra_inflow *f, const char *want, size_t want_len, size_t *got)
{
    const void *buf;
    ssize_t n;

    *got = 0;
    while ((n = ra_inflow_read(f, &buf)) > 0) {
        assert_true(*got + (size_t)n <= want_len);
        assert_memory_equal(buf, want + *got, (size_t)n);
        *got += (size_t)n;
    }
    return n;
}

/* Write data compressed with filter to name (cut to half its size with cut), open it
 * and check that the thread started. */
static struct ra_inflow *start(void **state, const char *name, int filter,
                               const char *data, size_t len, int cut)
{
    const char *path = at(state, name);
    struct ra_err err = RA_ERR_INIT;
    struct ra_inflow *f;

    write_compressed(path, filter, data, len);
    if (cut)
        assert_int_equal(truncate(path, file_size(path) / 2), 0);
    assert_int_equal(ra_inflow_open(&f, path, 1, &err), 1);
    assert_non_null(f);
    return f;
}

static void round_trip(void **state, const char *name, int filter, size_t len)
{
    char *data = content(len);
    struct ra_inflow *f = start(state, name, filter, data, len, 0);
    size_t got;

    assert_int_equal(drain(f, data, len, &got), 0);
    assert_int_equal(got, len);
    assert_string_equal(ra_inflow_error(f), "");
    assert_int_equal(ra_inflow_bytes_in(f), (uint64_t)file_size(at(state, name)));
    /* reading past the end stays at the end */
    {
        const void *buf;
        assert_int_equal(ra_inflow_read(f, &buf), 0);
    }
    ra_inflow_close(f);
    free(data);
}

static void test_inflow__gzip(void **state)
{
    round_trip(state, "d.gz", ARCHIVE_FILTER_GZIP, 5 * 1024 * 1024 + 17);
}

static void test_inflow__zstd(void **state)
{
    round_trip(state, "d.zst", ARCHIVE_FILTER_ZSTD, 3 * 1024 * 1024 + 1);
}

static void test_inflow__xz_small(void **state)
{
    round_trip(state, "d.xz", ARCHIVE_FILTER_XZ, 100);
}

/* libarchive's raw format has no header to read in an empty stream: the ordinary
 * reader takes it (and says it is not an archive). zlib reads an empty gzip member as
 * no bytes. */
static void test_inflow__empty_stream(void **state)
{
    const char *path = at(state, "e.zst");
    struct ra_err err = RA_ERR_INIT;
    struct ra_inflow *f;
    const void *buf;

    write_compressed(path, ARCHIVE_FILTER_ZSTD, "", 0);
    assert_int_equal(ra_inflow_open(&f, path, 1, &err), 0);
    assert_null(f);
    path = at(state, "e.gz");
    write_compressed(path, ARCHIVE_FILTER_GZIP, "", 0);
    assert_int_equal(ra_inflow_open(&f, path, 1, &err), 1);
    assert_int_equal(ra_inflow_read(f, &buf), 0);
    assert_string_equal(ra_inflow_error(f), "");
    ra_inflow_close(f);
}

/* Neither compressed nor a tar (a short file, an uncompressed zip), missing, a
 * directory: nothing started, the caller reads it itself. */
static void test_inflow__not_compressed(void **state)
{
    struct ra_err err = RA_ERR_INIT;
    struct ra_inflow *f = (struct ra_inflow *)&err;
    const char *path = at(state, "plain");
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    fputs("not compressed at all\n", fp);
    fclose(fp);
    assert_int_equal(ra_inflow_open(&f, path, 1, &err), 0);
    assert_null(f);
    path = at(state, "a.zip");
    {
        struct archive *a = archive_write_new();
        struct archive_entry *e = archive_entry_new();
        char *data = content(4096);

        assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
        assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
        archive_entry_set_pathname(e, "f");
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_size(e, 4096);
        assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
        assert_int_equal(archive_write_data(a, data, 4096), 4096);
        assert_int_equal(archive_write_close(a), ARCHIVE_OK);
        archive_write_free(a);
        archive_entry_free(e);
        free(data);
    }
    assert_int_equal(ra_inflow_open(&f, path, 1, &err), 0);
    assert_null(f);
    assert_int_equal(ra_inflow_open(&f, at(state, "missing.gz"), 1, &err), 0);
    assert_null(f);
    assert_int_equal(ra_inflow_open(&f, at(state, ""), 1, &err), 0);
    assert_null(f);
    assert_int_equal(err.code, 0);
    ra_inflow_close(NULL);
}

/* A gzip stream cut in half: every byte before the cut that the decompressor could
 * produce comes first, then -1 with libarchive's message. */
static void test_inflow__truncated(void **state)
{
    size_t len = 4 * 1024 * 1024, got;
    char *data = content(len);
    struct ra_inflow *f = start(state, "cut.gz", ARCHIVE_FILTER_GZIP, data, len, 1);

    assert_int_equal(drain(f, data, len, &got), -1);
    assert_true(got > len / 4 && got < len);
    assert_non_null(strstr(ra_inflow_error(f), "gzip"));
    assert_true(ra_inflow_bytes_in(f) <= (uint64_t)file_size(at(state, "cut.gz")));
    ra_inflow_close(f);
    free(data);
}

/* A gzip file of len bytes of data, stored (level 0: a flipped byte still inflates). */
static void write_stored_gzip(const char *path, const char *data, size_t len)
{
    struct archive *a = archive_write_new();
    struct archive_entry *e = archive_entry_new();

    assert_int_equal(archive_write_set_format_raw(a), ARCHIVE_OK);
    assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
    assert_int_equal(archive_write_set_filter_option(a, "gzip", "compression-level", "0"),
                     ARCHIVE_OK);
    assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
    archive_entry_set_pathname(e, "data");
    archive_entry_set_filetype(e, AE_IFREG);
    assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
    assert_int_equal(archive_write_data(a, data, len), (la_ssize_t)len);
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    archive_entry_free(e);
}

/* Change the byte at off (from the end when negative) of path. */
static void flip(const char *path, off_t off)
{
    FILE *fp = fopen(path, "r+b");
    int c;

    assert_non_null(fp);
    assert_int_equal(fseeko(fp, off, off < 0 ? SEEK_END : SEEK_SET), 0);
    c = fgetc(fp);
    assert_int_equal(fseeko(fp, -1, SEEK_CUR), 0);
    fputc(c ^ 0x20, fp);
    fclose(fp);
}

/* Read everything, not comparing; returns the last ra_inflow_read result. */
static ssize_t count(struct ra_inflow *f, size_t *got)
{
    const void *buf;
    ssize_t n;

    *got = 0;
    while ((n = ra_inflow_read(f, &buf)) > 0)
        *got += (size_t)n;
    return n;
}

static struct ra_inflow *open_ok(const char *path)
{
    struct ra_err err = RA_ERR_INIT;
    struct ra_inflow *f = NULL;

    assert_int_equal(ra_inflow_open(&f, path, 1, &err), 1);
    return f;
}

/* Corrupt data that still inflates (a byte of a stored block) and a trailer whose CRC-32
 * or length is wrong: every byte comes out, then -1 saying which check failed; also
 * when the rest is skipped (ra_inflow_finish, as after the tar's last member). */
static void test_inflow__gzip_trailer_checked(void **state)
{
    static const struct {
        off_t off;
        const char *says;
    } cases[] = {
        {100000, "gzip member 1 (at byte 0): the CRC-32 in its trailer does not match"},
        {-8, "gzip member 1 (at byte 0): the CRC-32 in its trailer does not match"},
        {-3, "gzip member 1 (at byte 0): the length in its trailer does not match"},
    };
    size_t len = 3 * 1024 * 1024 + 5, got, i;
    char *data = content(len);
    const char *path = at(state, "bad.gz");
    struct ra_inflow *f;
    const void *buf;

    for (i = 0; i < RA_ARRAY_SIZE(cases); i++) {
        write_stored_gzip(path, data, len);
        flip(path, cases[i].off);
        f = open_ok(path);
        assert_int_equal(count(f, &got), -1);
        assert_int_equal(got, len);
        assert_non_null(strstr(ra_inflow_error(f), cases[i].says));
        ra_inflow_close(f);

        f = open_ok(path);
        assert_true(ra_inflow_read(f, &buf) > 0);
        assert_int_equal(ra_inflow_finish(f), -1);
        assert_non_null(strstr(ra_inflow_error(f), cases[i].says));
        ra_inflow_close(f);
    }
    write_stored_gzip(path, data, len); /* unchanged: clean */
    f = open_ok(path);
    assert_int_equal(drain(f, data, len, &got), 0);
    assert_int_equal(got, len);
    assert_int_equal(ra_inflow_finish(f), 0);
    ra_inflow_close(f);
    free(data);
}

/* Append src to the file dst. */
static void append(const char *dst, const char *src, const char *extra, size_t extra_len)
{
    FILE *out = fopen(dst, "ab"), *in = fopen(src, "rb");
    char buf[65536];
    size_t n;

    assert_non_null(out);
    assert_non_null(in);
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    assert_int_equal(fwrite(extra, 1, extra_len, out), extra_len);
    fclose(in);
    fclose(out);
}

/* Several members (gzip's concatenation, pigz, bgzip) read as one stream, each checked;
 * zeros after the last are padding; anything else after it is reported. */
static void test_inflow__gzip_members(void **state)
{
    static const char zeros[512];
    size_t len = 2 * 1024 * 1024 + 3, got;
    char *data = content(len);
    char multi[PATH_MAX], part[PATH_MAX];
    struct ra_inflow *f;

    snprintf(multi, sizeof(multi), "%s", at(state, "multi.gz"));
    snprintf(part, sizeof(part), "%s", at(state, "part.gz"));
    write_compressed(multi, ARCHIVE_FILTER_GZIP, data, len / 2);
    write_compressed(part, ARCHIVE_FILTER_GZIP, data + len / 2, len - len / 2);
    append(multi, part, zeros, sizeof(zeros));
    f = open_ok(multi);
    assert_int_equal(drain(f, data, len, &got), 0);
    assert_int_equal(got, len);
    assert_string_equal(ra_inflow_error(f), "");
    ra_inflow_close(f);

    append(multi, part, "junk", 4); /* zeros, a third member, then not gzip */
    f = open_ok(multi);
    assert_int_equal(count(f, &got), -1);
    assert_int_equal(got, len + (len - len / 2));
    assert_non_null(strstr(ra_inflow_error(f), ", after member 3, is not gzip"));
    ra_inflow_close(f);

    write_stored_gzip(part, data + len / 2, len - len / 2); /* second member damaged */
    flip(part, 5000);
    write_compressed(multi, ARCHIVE_FILTER_GZIP, data, len / 2);
    append(multi, part, "", 0);
    f = open_ok(multi);
    assert_int_equal(count(f, &got), -1);
    assert_int_equal(got, len);
    assert_non_null(strstr(ra_inflow_error(f), "gzip member 2 (at byte "));
    assert_non_null(strstr(ra_inflow_error(f), "CRC-32"));
    ra_inflow_close(f);
    free(data);
}

/* A plain tar is read ahead too: the file's bytes, in order; skips seek, and one past
 * the end stops at the end. */
static void test_inflow__plain_tar(void **state)
{
    const char *path = at(state, "p.tar");
    size_t len = 6 * 1024 * 1024 + 100, i;
    char *data = content(len), *file;
    struct ra_err err = RA_ERR_INIT;
    struct ra_inflow *f;
    struct archive *a = archive_write_new();
    struct archive_entry *e = archive_entry_new();
    const void *buf;
    size_t flen, pos, got;
    FILE *fp;
    ssize_t n;

    assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
    assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
    archive_entry_set_pathname(e, "blob");
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_size(e, (la_int64_t)len);
    assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
    assert_int_equal(archive_write_data(a, data, len), (la_ssize_t)len);
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    archive_entry_free(e);

    flen = (size_t)file_size(path);
    file = malloc(flen);
    fp = fopen(path, "rb");
    assert_int_equal(fread(file, 1, flen, fp), flen);
    fclose(fp);

    assert_int_equal(ra_inflow_open(&f, path, 0, &err), 0); /* only when asked */
    assert_null(f);
    assert_int_equal(ra_inflow_open(&f, path, 1, &err), 1);
    assert_int_equal(drain(f, file, flen, &got), 0);
    assert_int_equal(got, flen);
    assert_int_equal(ra_inflow_bytes_in(f), flen);
    ra_inflow_close(f);

    assert_int_equal(ra_inflow_open(&f, path, 1, &err), 1);
    for (pos = 0, i = 0; i < 3; i++) {
        n = ra_inflow_read(f, &buf);
        assert_true(n > 0);
        assert_memory_equal(buf, file + pos, (size_t)n);
        pos += (size_t)n;
        assert_int_equal(ra_inflow_skip(f, 1024 * 1024 + 7), 1024 * 1024 + 7);
        pos += 1024 * 1024 + 7;
    }
    n = ra_inflow_read(f, &buf);
    assert_true(n > 0);
    assert_memory_equal(buf, file + pos, (size_t)n);
    pos += (size_t)n;
    assert_int_equal(ra_inflow_skip(f, (int64_t)flen), (int64_t)(flen - pos));
    assert_int_equal(ra_inflow_read(f, &buf), 0);
    assert_int_equal(ra_inflow_bytes_in(f), flen);
    ra_inflow_close(f);
    free(file);
    free(data);
}

/* Skips of every size, mixed with reads: the bytes after each skip are the right ones,
 * and a skip past the end passes over what there is. */
static void test_inflow__skip(void **state)
{
    static const int64_t skips[] = {
        1, 1000, 3 * 1024 * 1024, 1024 * 1024 - 1, 7 * 1024 * 1024 + 3, 0, 65536};
    size_t len = 24 * 1024 * 1024 + 5, pos = 0, i;
    char *data = content(len);
    struct ra_inflow *f = start(state, "skip.zst", ARCHIVE_FILTER_ZSTD, data, len, 0);
    const void *buf;
    ssize_t n;

    for (i = 0; i < sizeof(skips) / sizeof(skips[0]); i++) {
        n = ra_inflow_read(f, &buf);
        assert_true(n > 0);
        assert_memory_equal(buf, data + pos, (size_t)n);
        pos += (size_t)n;
        if (i == 2)
            usleep(20000); /* the ring full: the skip drops it, then the thread */
        assert_int_equal(ra_inflow_skip(f, skips[i]), skips[i]);
        pos += (size_t)skips[i];
    }
    assert_true(pos < len);
    assert_int_equal(ra_inflow_skip(f, (int64_t)len), (int64_t)(len - pos));
    assert_int_equal(ra_inflow_read(f, &buf), 0);
    assert_string_equal(ra_inflow_error(f), "");
    ra_inflow_close(f);
    free(data);
}

/* A skip into a damaged part: fewer bytes than asked, then the failure. */
static void test_inflow__skip_truncated(void **state)
{
    size_t len = 8 * 1024 * 1024;
    char *data = content(len);
    struct ra_inflow *f = start(state, "skipcut.gz", ARCHIVE_FILTER_GZIP, data, len, 1);
    const void *buf;

    assert_true(ra_inflow_skip(f, (int64_t)len) < (int64_t)len);
    assert_int_equal(ra_inflow_read(f, &buf), -1);
    assert_non_null(strstr(ra_inflow_error(f), "gzip"));
    ra_inflow_close(f);
    free(data);
}

/* Close after one chunk, with the thread blocked on a full ring; and close before
 * reading anything. */
static void test_inflow__close_early(void **state)
{
    size_t len = 16 * 1024 * 1024;
    char *data = content(len);
    struct ra_inflow *f = start(state, "big.zst", ARCHIVE_FILTER_ZSTD, data, len, 0);
    const void *buf;

    assert_true(ra_inflow_read(f, &buf) > 0);
    usleep(20000); /* let the thread fill the ring and wait */
    ra_inflow_close(f);
    ra_inflow_close(start(state, "big.zst", ARCHIVE_FILTER_ZSTD, data, len, 0));
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inflow__gzip),
        cmocka_unit_test(test_inflow__zstd),
        cmocka_unit_test(test_inflow__xz_small),
        cmocka_unit_test(test_inflow__empty_stream),
        cmocka_unit_test(test_inflow__not_compressed),
        cmocka_unit_test(test_inflow__truncated),
        cmocka_unit_test(test_inflow__gzip_trailer_checked),
        cmocka_unit_test(test_inflow__gzip_members),
        cmocka_unit_test(test_inflow__plain_tar),
        cmocka_unit_test(test_inflow__skip),
        cmocka_unit_test(test_inflow__skip_truncated),
        cmocka_unit_test(test_inflow__close_early),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
