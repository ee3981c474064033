/* SPDX-License-Identifier: MIT */
/* ingest/source: archives of every common kind written at test time with libarchive,
 * damaged archives, non-archives, and directory trees with links pointing outside. */
#define _XOPEN_SOURCE 700 /* nftw */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "ingest/source.h"

#include "fixture.h"

#define T0 1776000000 /* 2026-04-12T13:20:00Z, even: zip keeps 2-second times */
#define MAX_SEEN 320

enum mtype { M_FILE, M_DIR, M_SYMLINK, M_HARDLINK };

struct member {
    const char *name;
    enum mtype type;
    const char *data; /* M_FILE content; link target for links */
    size_t len;       /* 0: strlen(data) */
    int64_t mtime;
};

struct seen {
    char path[256];
    enum ra_entry_type type;
    char link[256];
    int64_t size;
    ra_time mtime;
    char data[64]; /* first bytes read, NUL-terminated */
    uint64_t total;
    uint64_t weighted; /* sum of (offset + 1) * byte: where the bytes were */
};

struct walk {
    struct seen seen[MAX_SEEN];
    size_t n;
    const size_t *plan; /* bytes to read per entry; NULL: read everything */
    size_t plan_len;
    size_t stop_at; /* 1-based entry at which to return stop_code */
    int stop_code;
    int ignore_read_errors;
    int read_rc;
    struct ra_err read_err;
};

struct fixture {
    char dir[256];
};

static const char *at(const void **state, const char *name)
{
    static char out[32][PATH_MAX]; /* a ring: each result lives for 31 more calls */
    static unsigned next;
    const struct fixture *fx = *state;
    char *p = out[next++ % 32];

    snprintf(p, PATH_MAX, "%s/%s", fx->dir, name);
    return p;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    const char *tmp = getenv("TMPDIR");

    snprintf(fx->dir, sizeof(fx->dir), "%s/ra-test-source-XXXXXX", tmp ? tmp : "/tmp");
    if (!mkdtemp(fx->dir))
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    int rc = nftw(fx->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);

    free(fx);
    return rc;
}

static size_t member_len(const struct member *m)
{
    return m->len ? m->len : (m->data ? strlen(m->data) : 0);
}

static void write_archive(const char *path, int format, int filter,
                          const struct member *m, size_t n)
{
    struct archive *a = archive_write_new();
    struct archive_entry *e;
    size_t i;

    assert_int_equal(archive_write_set_format(a, format), ARCHIVE_OK);
    assert_int_equal(archive_write_add_filter(a, filter), ARCHIVE_OK);
    assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
    for (i = 0; i < n; i++) {
        e = archive_entry_new();
        archive_entry_set_pathname(e, m[i].name);
        archive_entry_set_mtime(e, m[i].mtime ? m[i].mtime : T0, 0);
        archive_entry_set_filetype(e, m[i].type == M_DIR       ? AE_IFDIR
                                      : m[i].type == M_SYMLINK ? AE_IFLNK
                                                               : AE_IFREG);
        archive_entry_set_perm(e, m[i].type == M_DIR ? 0755 : 0644);
        if (m[i].type == M_SYMLINK)
            archive_entry_set_symlink(e, m[i].data);
        if (m[i].type == M_HARDLINK)
            archive_entry_set_hardlink(e, m[i].data);
        archive_entry_set_size(e, m[i].type == M_FILE ? (int64_t)member_len(&m[i]) : 0);
        assert_true(archive_write_header(a, e) >= ARCHIVE_WARN);
        if (m[i].type == M_FILE && member_len(&m[i]))
            assert_int_equal(archive_write_data(a, m[i].data, member_len(&m[i])),
                             (la_ssize_t)member_len(&m[i]));
        archive_entry_free(e);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
}

static int read_content(struct walk *w, struct seen *s, struct ra_source *src)
{
    size_t want = w->plan && w->n <= w->plan_len ? w->plan[w->n - 1] : SIZE_MAX, n, k;
    char buf[7]; /* small, to read in many pieces */
    int rc;

    while (s->total < want) {
        k = want - s->total < sizeof(buf) ? (size_t)(want - s->total) : sizeof(buf);
        if ((rc = ra_source_read(src, buf, k, &n, &w->read_err)) < 0) {
            w->read_rc = rc;
            return w->ignore_read_errors ? 0 : rc;
        }
        if (!n)
            break;
        if (s->total + n < sizeof(s->data))
            memcpy(s->data + s->total, buf, n);
        for (k = 0; k < n; k++)
            s->weighted += (s->total + k + 1) * (unsigned char)buf[k];
        s->total += n;
    }
    return 0;
}

static int collect(const struct ra_entry *e, struct ra_source *src, void *payload)
{
    struct walk *w = payload;
    struct seen *s;
    int rc;

    assert_true(w->n < MAX_SEEN);
    assert_int_equal(e->index, w->n);
    assert_int_equal(strlen(e->path), e->path_len);
    s = &w->seen[w->n++];
    memset(s, 0, sizeof(*s));
    snprintf(s->path, sizeof(s->path), "%s", e->path);
    snprintf(s->link, sizeof(s->link), "%s", e->link_target ? e->link_target : "");
    s->type = e->type;
    s->size = e->size;
    s->mtime = e->mtime;
    if ((rc = read_content(w, s, src)) < 0)
        return rc;
    return w->n == w->stop_at ? w->stop_code : 0;
}

/* ra_source_opts.read_all for walk(): the tests that set it run both ways. */
static int read_all;

static int walk(struct walk *w, const char *path, struct ra_source_stats *st,
                struct ra_err *err)
{
    struct ra_source_stats local;
    struct ra_source_opts opts = RA_SOURCE_OPTS_INIT;

    opts.read_all = read_all;
    return ra_source_walk(path, &opts, collect, w, st ? st : &local, err);
}

static void check_entry(const struct seen *s, const char *path, enum ra_entry_type type,
                        int64_t size, ra_time mtime, const char *data)
{
    assert_string_equal(s->path, path);
    assert_int_equal(s->type, type);
    assert_int_equal(s->size, size);
    assert_int_equal(s->mtime, mtime);
    if (data) {
        assert_string_equal(s->data, data);
        assert_int_equal(s->total, strlen(data));
    }
}

static const struct member standard[] = {
    {"repo", M_DIR, NULL, 0, T0},
    {"repo/a.txt", M_FILE, "hello\n", 0, T0 + 100},
    {"repo/sub", M_DIR, NULL, 0, T0 + 200},
    {"repo/sub/b.bin", M_FILE, "0123456789abcdefXYZ", 0, T0 + 300},
    {"repo/empty", M_FILE, "", 0, T0 + 400},
};

static void check_standard(const void **state, const char *name, int format, int filter)
{
    struct walk *w = calloc(1, sizeof(*w));
    struct ra_source_stats st;
    struct ra_err err = RA_ERR_INIT;
    const char *path = at(state, name);
    struct stat sb;

    write_archive(path, format, filter, standard, RA_ARRAY_SIZE(standard));
    assert_int_equal(stat(path, &sb), 0);
    for (read_all = 0; read_all < 2; read_all++) { /* a plain tar read ahead, or not */
        memset(w, 0, sizeof(*w));
        assert_int_equal(walk(w, path, &st, &err), 0);
        assert_int_equal(err.code, 0);
        assert_int_equal(w->n, 5);
        check_entry(&w->seen[0], "repo", RA_ENTRY_DIR, 0, T0, "");
        check_entry(&w->seen[1], "repo/a.txt", RA_ENTRY_FILE, 6, T0 + 100, "hello\n");
        check_entry(&w->seen[2], "repo/sub", RA_ENTRY_DIR, 0, T0 + 200, "");
        check_entry(&w->seen[3], "repo/sub/b.bin", RA_ENTRY_FILE, 19, T0 + 300,
                    "0123456789abcdefXYZ");
        check_entry(&w->seen[4], "repo/empty", RA_ENTRY_FILE, 0, T0 + 400, "");
        assert_int_equal(st.entries, 5);
        assert_int_equal(st.bytes_out, 25);
        assert_int_equal(st.bytes_total, (uint64_t)sb.st_size);
        assert_true(st.bytes_in > 0 && st.bytes_in <= st.bytes_total);
        assert_string_equal(st.stop_member, "");
    }
    read_all = 0;
    free(w);
}

static void test_source__tar(void **state)
{
    check_standard((const void **)state, "std.tar", ARCHIVE_FORMAT_TAR_PAX_RESTRICTED,
                   ARCHIVE_FILTER_NONE);
}

static void test_source__tar_gz(void **state)
{
    check_standard((const void **)state, "std.tar.gz", ARCHIVE_FORMAT_TAR_USTAR,
                   ARCHIVE_FILTER_GZIP);
}

static void test_source__tar_zst(void **state)
{
    check_standard((const void **)state, "std.tar.zst", ARCHIVE_FORMAT_TAR_GNUTAR,
                   ARCHIVE_FILTER_ZSTD);
}

static void test_source__tar_xz(void **state)
{
    check_standard((const void **)state, "std.tar.xz", ARCHIVE_FORMAT_TAR_PAX_RESTRICTED,
                   ARCHIVE_FILTER_XZ);
}

static void test_source__zip(void **state)
{
    check_standard((const void **)state, "std.zip", ARCHIVE_FORMAT_ZIP,
                   ARCHIVE_FILTER_NONE);
}

static void test_source__cpio_newc(void **state)
{
    check_standard((const void **)state, "std.cpio", ARCHIVE_FORMAT_CPIO_SVR4_NOCRC,
                   ARCHIVE_FILTER_NONE);
}

/* "-" walks an archive on standard input as a stream; zip (index at the end) is refused.
 */
static void test_source__stdin(void **state)
{
    static const struct {
        const char *name;
        int format, filter, ok;
    } cases[] = {
        {"in.tar.gz", ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_GZIP, 1},
        {"in.cpio", ARCHIVE_FORMAT_CPIO_SVR4_NOCRC, ARCHIVE_FILTER_NONE, 1},
        {"in.zip", ARCHIVE_FORMAT_ZIP, ARCHIVE_FILTER_NONE, 0},
    };
    struct walk *w = calloc(1, sizeof(*w));
    struct ra_source_stats st;
    struct ra_err err = RA_ERR_INIT;
    int saved = dup(STDIN_FILENO), fd;
    size_t i;

    for (i = 0; i < RA_ARRAY_SIZE(cases); i++) {
        const char *path = at((const void **)state, cases[i].name);
        write_archive(path, cases[i].format, cases[i].filter, standard,
                      RA_ARRAY_SIZE(standard));
        assert_true((fd = open(path, O_RDONLY)) >= 0);
        assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
        close(fd);
        memset(w, 0, sizeof(*w));
        assert_int_equal(walk(w, "-", &st, &err), cases[i].ok ? 0 : RA_EFORMAT);
        assert_int_equal(w->n, cases[i].ok ? 5 : 0);
        if (cases[i].ok)
            check_entry(&w->seen[3], "repo/sub/b.bin", RA_ENTRY_FILE, 19, T0 + 300,
                        "0123456789abcdefXYZ");
        else
            assert_non_null(strstr(err.msg, "zip and 7z need seeking"));
        assert_int_equal(st.bytes_total, 0); /* size unknown on a stream */
    }
    assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
    close(saved);
    free(w);
}

static void test_source__names_normalised(void **state)
{
    static const struct member m[] = {
        {"./", M_DIR, NULL, 0, 0},         {"./top.txt", M_FILE, "t", 0, 0},
        {"/abs//dir/", M_DIR, NULL, 0, 0}, {"/abs//dir///f", M_FILE, "f", 0, 0},
        {".//./x", M_FILE, "x", 0, 0},     {"../evil", M_FILE, "e", 0, 0},
        {"a/../b", M_FILE, "b", 0, 0},     {"c/./d", M_FILE, "d", 0, 0},
    };
    static const char *want[] = {"top.txt", "abs/dir", "abs/dir/f", "x",
                                 "../evil", "a/../b",  "c/./d"};
    struct walk *w = calloc(1, sizeof(*w));
    struct ra_err err = RA_ERR_INIT;
    const char *path = at((const void **)state, "names.tar");
    size_t i;

    write_archive(path, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_NONE, m,
                  RA_ARRAY_SIZE(m));
    assert_int_equal(walk(w, path, NULL, &err), 0);
    assert_int_equal(w->n, RA_ARRAY_SIZE(want));
    for (i = 0; i < RA_ARRAY_SIZE(want); i++)
        assert_string_equal(w->seen[i].path, want[i]);
    free(w);
}

static void test_source__dotdot_is_data_nothing_written(void **state)
{
    const void **cst = (const void **)state;
    char abs[PATH_MAX], cwd[PATH_MAX];
    struct member m[] = {
        {"../evil", M_FILE, "evil", 0, 0},
        {"../../evil2", M_FILE, "evil", 0, 0},
        {abs, M_FILE, "evil", 0, 0},
        {"../evil-link", M_SYMLINK, "/etc/passwd", 0, 0},
    };
    struct walk *w = calloc(1, sizeof(*w));
    struct ra_err err = RA_ERR_INIT;
    const char *path = at(cst, "dotdot.tar.gz");
    struct stat sb;
    DIR *d;
    int entries = 0;

    snprintf(abs, sizeof(abs), "%s", at(cst, "abs-evil"));
    write_archive(path, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_GZIP, m, 4);
    assert_int_equal(mkdir(at(cst, "dotdot-cwd"), 0755), 0);
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(at(cst, "dotdot-cwd")), 0);
    assert_int_equal(walk(w, path, NULL, &err), 0);
    assert_int_equal(chdir(cwd), 0);

    assert_int_equal(w->n, 4);
    assert_string_equal(w->seen[0].path, "../evil");
    assert_string_equal(w->seen[0].data, "evil");
    assert_string_equal(w->seen[2].path, abs + 1);
    assert_int_equal(w->seen[3].type, RA_ENTRY_SYMLINK);
    assert_int_equal(lstat(at(cst, "evil"), &sb), -1);
    assert_int_equal(lstat(at(cst, "evil-link"), &sb), -1);
    assert_int_equal(lstat(abs, &sb), -1);
    assert_non_null(d = opendir(at(cst, "dotdot-cwd")));
    while (readdir(d))
        entries++;
    closedir(d);
    assert_int_equal(entries, 2); /* "." and ".." */
    free(w);
}

static void test_source__symlink_and_hardlink_members(void **state)
{
    static const struct member m[] = {
        {"./data", M_FILE, "payload", 0, T0},
        {"sym", M_SYMLINK, "../outside//target", 0, T0 + 2},
        {"abs", M_SYMLINK, "/etc/passwd", 0, T0 + 4},
        {"./hard", M_HARDLINK, "./data", 0, T0 + 6},
    };
    struct walk *w = calloc(1, sizeof(*w));
    struct ra_err err = RA_ERR_INIT;
    const char *path = at((const void **)state, "links.tar");

    write_archive(path, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_NONE, m, 4);
    assert_int_equal(walk(w, path, NULL, &err), 0);
    assert_int_equal(w->n, 4);
    check_entry(&w->seen[0], "data", RA_ENTRY_FILE, 7, T0, "payload");
    check_entry(&w->seen[1], "sym", RA_ENTRY_SYMLINK, 0, T0 + 2, "");
    assert_string_equal(w->seen[1].link, "../outside//target"); /* raw */
    check_entry(&w->seen[2], "abs", RA_ENTRY_SYMLINK, 0, T0 + 4, "");
    assert_string_equal(w->seen[2].link, "/etc/passwd");
    check_entry(&w->seen[3], "hard", RA_ENTRY_HARDLINK, 0, T0 + 6, "");
    assert_string_equal(w->seen[3].link, "data"); /* normalised */
    free(w);
}

/* newc stores a link set's content on its last member; libarchive names the first. */
static void test_source__cpio_hardlink_with_content_is_a_file(void **state)
{
    static const char *names[] = {"first", "second"};
    const char *path = at((const void **)state, "links.cpio");
    struct archive *a = archive_write_new();
    struct archive_entry *e;
    struct walk *w = calloc(1, sizeof(*w));
    struct ra_err err = RA_ERR_INIT;
    int i;

    assert_int_equal(archive_write_set_format_cpio_newc(a), ARCHIVE_OK);
    assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
    for (i = 0; i < 2; i++) {
        e = archive_entry_new();
        archive_entry_set_pathname(e, names[i]);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_nlink(e, 2);
        archive_entry_set_ino(e, 42);
        archive_entry_set_mtime(e, T0, 0);
        archive_entry_set_size(e, i ? 3 : 0);
        assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
        if (i)
            assert_int_equal(archive_write_data(a, "abc", 3), 3);
        archive_entry_free(e);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);

    assert_int_equal(walk(w, path, NULL, &err), 0);
    assert_int_equal(w->n, 2);
    check_entry(&w->seen[0], "first", RA_ENTRY_FILE, 0, T0, "");
    check_entry(&w->seen[1], "second", RA_ENTRY_FILE, 3, T0, "abc");
    assert_string_equal(w->seen[1].link, "first");
    free(w);
}

static void test_source__non_utf8_name_kept_as_bytes(void **state)
{
    static const struct member m[] = {{"caf\xe9/\xff\xfe.txt", M_FILE, "x", 0, 0}};
    static const int formats[] = {ARCHIVE_FORMAT_TAR_USTAR,
                                  ARCHIVE_FORMAT_TAR_PAX_RESTRICTED};
    const char *path = at((const void **)state, "latin1.tar");
    struct ra_err err = RA_ERR_INIT;
    struct walk *w = calloc(1, sizeof(*w));
    size_t i;

    for (i = 0; i < RA_ARRAY_SIZE(formats); i++) {
        memset(w, 0, sizeof(*w));
        write_archive(path, formats[i], ARCHIVE_FILTER_NONE, m, 1);
        assert_int_equal(walk(w, path, NULL, &err), 0);
        assert_int_equal(w->n, 1);
        assert_string_equal(w->seen[0].path, "caf\xe9/\xff\xfe.txt");
        assert_string_equal(w->seen[0].data, "x");
    }
    free(w);
}

/* Four members of incompressible bytes, so that half the file cuts the stream. */
static void write_noisy(const char *path, int filter, size_t size)
{
    static const char *names[] = {"n/one", "n/two", "n/three", "n/four"};
    struct member m[4];
    char *noise = malloc(size * 4);
    uint32_t x = 2463534242u;
    size_t i;

    for (i = 0; i < size * 4; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        noise[i] = (char)(x & 0xff);
    }
    for (i = 0; i < 4; i++)
        m[i] = (struct member){names[i], M_FILE, noise + i * size, size, T0};
    write_archive(path, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, filter, m, 4);
    free(noise);
}

static void cut_in_half(const char *path)
{
    struct stat sb;

    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(truncate(path, sb.st_size / 2), 0);
}

/* Sparse members from GNU tar (--sparse, GNU and pax formats): read as the extracted
 * file reads, zeros in the holes, up to the real size, also when the file ends in a
 * hole or has no data at all. */
static void test_source__sparse_members_read_with_their_holes(void **state)
{
    static const char *const formats[] = {"gnu", "pax"};
    const void **cst = (const void **)state;
    struct walk *w = calloc(1, sizeof(*w));
    struct ra_err err = RA_ERR_INIT;
    char cmd[3 * PATH_MAX];
    int fd, f;

    assert_int_equal(mkdir(at(cst, "sp"), 0755), 0);
    fd = open(at(cst, "sp/holes"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, "DATA", 4, 300000), 4);
    assert_int_equal(ftruncate(fd, 900000), 0); /* a hole before and after */
    close(fd);
    fd = open(at(cst, "sp/zeros"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 500000), 0); /* nothing but a hole */
    close(fd);
    for (f = 0; f < 2; f++) {
        for (read_all = 0; read_all < 2; read_all++) {
            snprintf(cmd, sizeof(cmd),
                     "tar --sparse --format=%s -C '%s' -cf '%s' holes zeros", formats[f],
                     at(cst, "sp"), at(cst, "sp.tar"));
            assert_int_equal(system(cmd), 0);
            memset(w, 0, sizeof(*w));
            assert_int_equal(walk(w, at(cst, "sp.tar"), NULL, &err), 0);
            assert_int_equal(w->n, 2);
            check_entry(&w->seen[0], "holes", RA_ENTRY_FILE, 900000, w->seen[0].mtime,
                        NULL);
            assert_int_equal(w->seen[0].total, 900000);
            assert_int_equal(w->seen[0].weighted,
                             300001 * 'D' + 300002 * 'A' + 300003 * 'T' + 300004 * 'A');
            check_entry(&w->seen[1], "zeros", RA_ENTRY_FILE, 500000, w->seen[1].mtime,
                        NULL);
            assert_int_equal(w->seen[1].total, 500000);
            assert_int_equal(w->seen[1].weighted, 0);
        }
    }
    read_all = 0;
    free(w);
}

static void test_source__truncated_tar_gz(void **state)
{
    static const size_t skip_all[] = {0, 0, 0, 0};
    const char *path = at((const void **)state, "cut.tar.gz");
    struct walk *w = calloc(1, sizeof(*w));
    struct ra_source_stats st;
    struct ra_err err = RA_ERR_INIT;
    int pass;

    write_noisy(path, ARCHIVE_FILTER_GZIP, 32 * 1024);
    cut_in_half(path);
    for (pass = 0; pass < 2; pass++) { /* reading the content, then skipping it */
        memset(w, 0, sizeof(*w));
        w->plan = pass ? skip_all : NULL;
        w->plan_len = pass ? 4 : 0;
        assert_int_equal(walk(w, path, &st, &err), RA_EIO);
        assert_int_equal(err.code, RA_EIO);
        assert_non_null(strstr(err.msg, "damaged after member 'n/"));
        assert_non_null(strstr(err.msg, path));
        assert_true(w->n >= 1 && w->n < 4);
        assert_string_equal(w->seen[0].path, "n/one");
        assert_string_equal(st.stop_member, w->seen[w->n - 1].path);
        assert_true(st.stop_offset > 0 && st.stop_offset <= st.bytes_total);
        assert_int_equal(w->read_rc, pass ? 0 : RA_EIO);
    }
    free(w);
}

/* A .tar.gz whose data was corrupted but still inflates (stored blocks): libarchive
 * reads it without a word; the gzip trailer's CRC-32 says it, after every member was
 * delivered, whether the content was read or skipped. */
static void test_source__gzip_trailer_mismatch_is_damage(void **state)
{
    static const size_t skip_all[] = {0, 0, 0, 0};
    const char *path = at((const void **)state, "flip.tar.gz");
    struct walk *w = calloc(1, sizeof(*w));
    struct ra_err err = RA_ERR_INIT;
    struct archive *a = archive_write_new();
    struct archive_entry *e = archive_entry_new();
    char data[20000];
    FILE *fp;
    int pass;

    memset(data, 'x', sizeof(data));
    assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
    assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
    assert_int_equal(archive_write_set_filter_option(a, "gzip", "compression-level", "0"),
                     ARCHIVE_OK);
    assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
    archive_entry_set_pathname(e, "blob");
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_size(e, sizeof(data));
    assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
    assert_int_equal(archive_write_data(a, data, sizeof(data)), (la_ssize_t)sizeof(data));
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    archive_entry_free(e);
    fp = fopen(path, "r+b");
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 5000, SEEK_SET), 0); /* inside the member's content */
    fputc('y', fp);
    fclose(fp);
    for (pass = 0; pass < 2; pass++) {
        memset(w, 0, sizeof(*w));
        w->plan = pass ? skip_all : NULL;
        w->plan_len = pass ? 4 : 0;
        assert_int_equal(walk(w, path, NULL, &err), RA_EIO);
        assert_int_equal(w->n, 1);
        assert_int_equal(w->seen[0].total, pass ? 0 : sizeof(data));
        assert_non_null(strstr(err.msg, "damaged after member 'blob'"));
        assert_non_null(strstr(err.msg, "the CRC-32 in its trailer does not match"));
    }
    free(w);
}

static void test_source__truncated_zstd(void **state)
{
    const char *path = at((const void **)state, "cut.tar.zst");
    struct walk *w = calloc(1, sizeof(*w));
    struct ra_err err = RA_ERR_INIT;

    write_noisy(path, ARCHIVE_FILTER_ZSTD, 128 * 1024); /* zstd blocks are 128 KiB */
    cut_in_half(path);
    assert_int_equal(walk(w, path, NULL, &err), RA_EIO);
    assert_non_null(strstr(err.msg, "damaged after member"));
    assert_true(w->n >= 1);
    free(w);
}

static void test_source__declared_size_beyond_archive(void **state)
{
    const char *path = at((const void **)state, "short.tar");
    struct walk *w = calloc(1, sizeof(*w));
    struct ra_source_stats st;
    struct ra_err err = RA_ERR_INIT;
    int pass;

    write_noisy(path, ARCHIVE_FILTER_NONE, 10000);
    assert_int_equal(truncate(path, 512 + 2048), 0); /* header, 2 KiB of content */
    for (pass = 0; pass < 4; pass++) { /* a callback that passes the error on, or not;
                                        * read on this thread or ahead */
        memset(w, 0, sizeof(*w));
        w->ignore_read_errors = pass % 2;
        read_all = pass / 2;
        assert_int_equal(walk(w, path, &st, &err), RA_EIO);
        assert_int_equal(w->n, 1);
        assert_int_equal(w->seen[0].size, 10000);
        assert_int_equal(w->read_rc, RA_EIO);
        assert_int_equal(w->read_err.code, RA_EIO);
        assert_non_null(strstr(err.msg, "damaged after member 'n/one'"));
        assert_string_equal(err.msg, w->read_err.msg);
        assert_string_equal(st.stop_member, "n/one");
    }
    read_all = 0;
    free(w);
}

static void test_source__text_file_is_not_an_archive(void **state)
{
    const char *path = at((const void **)state, "notes.txt");
    struct walk w = {0};
    struct ra_err err = RA_ERR_INIT;

    fix_write(path, "just some notes\nnothing to see\n", 31, RA_TIME_NONE);
    assert_int_equal(walk(&w, path, NULL, &err), RA_EFORMAT);
    assert_int_equal(err.code, RA_EFORMAT);
    assert_non_null(strstr(err.msg, "not an archive libarchive can read ("));
    assert_int_equal(w.n, 0);
}

static void test_source__empty_file_is_not_an_archive(void **state)
{
    const char *path = at((const void **)state, "empty.tar");
    struct walk w = {0};
    struct ra_err err = RA_ERR_INIT;

    fix_write(path, "", 0, RA_TIME_NONE);
    assert_int_equal(walk(&w, path, NULL, &err), RA_EFORMAT);
    assert_non_null(strstr(err.msg, "not an archive libarchive can read"));
}

static void test_source__missing_file(void **state)
{
    const char *path = at((const void **)state, "no-such.tar");
    struct walk w = {0};
    struct ra_err err = RA_ERR_INIT;
    char want[PATH_MAX + 64];

    assert_int_equal(walk(&w, path, NULL, &err), RA_ENOTFOUND);
    assert_int_equal(err.code, RA_ENOTFOUND);
    snprintf(want, sizeof(want), "'%s': no such file or directory", path);
    assert_string_equal(err.msg, want);
}

static void make_tree(const void **state)
{
    struct stat sb;

    if (stat(at(state, "tree"), &sb) == 0)
        return;
    assert_int_equal(mkdir(at(state, "outside"), 0755), 0);
    fix_write(at(state, "outside/secret"), "secret", 6, RA_TIME_NONE);
    assert_int_equal(mkdir(at(state, "tree"), 0755), 0);
    assert_int_equal(mkdir(at(state, "tree/b"), 0755), 0);
    assert_int_equal(mkdir(at(state, "tree/b/c"), 0755), 0);
    fix_write(at(state, "tree/b/z"), "zz", 2, RA_TIME_NONE);
    fix_write(at(state, "tree/a.txt"), "hello", 5, RA_TIME_NONE);
    fix_write(at(state, "tree/B"), "", 0, RA_TIME_NONE);
    assert_int_equal(symlink("/", at(state, "tree/link")), 0);
    assert_int_equal(symlink("../outside", at(state, "tree/rel")), 0);
    fix_set_mtime(at(state, "tree/b/z"), T0 + 1);
    fix_set_mtime(at(state, "tree/a.txt"), T0 + 2);
    fix_set_mtime(at(state, "tree/B"), T0 + 3);
    fix_set_mtime(at(state, "tree/link"), T0 + 4);
    fix_set_mtime(at(state, "tree/rel"), T0 + 5);
    fix_set_mtime(at(state, "tree/b/c"), T0 + 6);
    fix_set_mtime(at(state, "tree/b"), T0 + 7);
}

static void test_source__directory_tree(void **state)
{
    const void **cst = (const void **)state;
    static const char *roots[] = {"tree", "tree/"};
    struct walk *w = calloc(1, sizeof(*w));
    struct ra_source_stats st;
    struct ra_err err = RA_ERR_INIT;
    size_t i;

    make_tree(cst);
    for (i = 0; i < RA_ARRAY_SIZE(roots); i++) {
        memset(w, 0, sizeof(*w));
        assert_int_equal(walk(w, at(cst, roots[i]), &st, &err), 0);
        assert_int_equal(w->n, 7); /* nothing below link/ or rel/ */
        check_entry(&w->seen[0], "B", RA_ENTRY_FILE, 0, T0 + 3, "");
        check_entry(&w->seen[1], "a.txt", RA_ENTRY_FILE, 5, T0 + 2, "hello");
        check_entry(&w->seen[2], "b", RA_ENTRY_DIR, 0, T0 + 7, "");
        check_entry(&w->seen[3], "b/c", RA_ENTRY_DIR, 0, T0 + 6, "");
        check_entry(&w->seen[4], "b/z", RA_ENTRY_FILE, 2, T0 + 1, "zz");
        check_entry(&w->seen[5], "link", RA_ENTRY_SYMLINK, 0, T0 + 4, "");
        assert_string_equal(w->seen[5].link, "/");
        check_entry(&w->seen[6], "rel", RA_ENTRY_SYMLINK, 0, T0 + 5, "");
        assert_string_equal(w->seen[6].link, "../outside");
        assert_int_equal(st.entries, 7);
        assert_int_equal(st.bytes_total, 0);
        assert_int_equal(st.bytes_out, 7);
        assert_int_equal(st.bytes_in, 7);
    }
    free(w);
}

static void test_source__unread_content_is_skipped(void **state)
{
    static const struct member m[] = {
        {"f1", M_FILE, "abcdefghijklmnop", 0, 0},
        {"f2", M_FILE, "0123456789", 0, 0},
        {"f3", M_FILE, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 0, 0},
        {"f4", M_FILE, "tail", 0, 0},
    };
    static const size_t plan[] = {3, 0, SIZE_MAX, 9};
    const void **cst = (const void **)state;
    const char *paths[3] = {at(cst, "skip.tar.gz"), at(cst, "skip.zip"),
                            at(cst, "skiptree")};
    struct walk *w = calloc(1, sizeof(*w));
    struct ra_err err = RA_ERR_INIT;
    size_t i;

    write_archive(paths[0], ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_GZIP, m, 4);
    write_archive(paths[1], ARCHIVE_FORMAT_ZIP, ARCHIVE_FILTER_NONE, m, 4);
    assert_int_equal(mkdir(paths[2], 0755), 0);
    for (i = 0; i < 4; i++)
        fix_write(at(cst, m[i].name[1] == '1'   ? "skiptree/f1"
                          : m[i].name[1] == '2' ? "skiptree/f2"
                          : m[i].name[1] == '3' ? "skiptree/f3"
                                                : "skiptree/f4"),
                  m[i].data, strlen(m[i].data), RA_TIME_NONE);
    for (i = 0; i < 3; i++) {
        memset(w, 0, sizeof(*w));
        w->plan = plan;
        w->plan_len = 4;
        assert_int_equal(walk(w, paths[i], NULL, &err), 0);
        assert_int_equal(w->n, 4);
        assert_string_equal(w->seen[0].data, "abc");
        assert_string_equal(w->seen[1].data, "");
        assert_string_equal(w->seen[2].data, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
        assert_string_equal(w->seen[3].data, "tail");
    }
    free(w);
}

static void test_source__callback_error_stops_walk(void **state)
{
    const void **cst = (const void **)state;
    const char *path = at(cst, "stop.tar");
    struct walk *w = calloc(1, sizeof(*w));
    struct ra_source_stats st;
    struct ra_err err = RA_ERR_INIT;

    write_archive(path, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_NONE, standard,
                  RA_ARRAY_SIZE(standard));
    w->stop_at = 2;
    w->stop_code = RA_ELIMIT;
    assert_int_equal(walk(w, path, &st, &err), RA_ELIMIT);
    assert_int_equal(err.code, RA_ELIMIT);
    assert_int_equal(w->n, 2);
    assert_string_equal(st.stop_member, "repo/a.txt");

    memset(w, 0, sizeof(*w));
    make_tree(cst);
    w->stop_at = 3;
    w->stop_code = RA_ERROR;
    assert_int_equal(walk(w, at(cst, "tree"), &st, &err), RA_ERROR);
    assert_int_equal(w->n, 3);
    assert_string_equal(st.stop_member, "b");
    free(w);
}

static void count_progress(const struct ra_source_stats *st, void *payload)
{
    uint64_t *calls = payload;

    calls[0]++;
    calls[1] = st->entries;
}

static void test_source__progress_is_throttled(void **state)
{
    const char *path = at((const void **)state, "progress.tar");
    struct ra_source_opts opts = RA_SOURCE_OPTS_INIT;
    struct ra_source_stats st;
    struct ra_err err = RA_ERR_INIT;
    struct walk *w = calloc(1, sizeof(*w));
    uint64_t calls[2] = {0, 0};

    write_archive(path, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED, ARCHIVE_FILTER_NONE, standard,
                  RA_ARRAY_SIZE(standard));
    opts.progress_cb = count_progress;
    opts.progress_payload = calls;
    assert_int_equal(ra_source_walk(path, &opts, collect, w, &st, &err), 0);
    assert_true(calls[0] >= 1 && calls[0] <= 3); /* a quick walk: first entry and end */
    assert_int_equal(calls[1], 5);
    free(w);
}

static void test_source__is_dir(void **state)
{
    const void **cst = (const void **)state;

    assert_int_equal(mkdir(at(cst, "isdir"), 0755), 0);
    fix_write(at(cst, "isdir/file"), "x", 1, RA_TIME_NONE);
    assert_int_equal(symlink("isdir", at(cst, "isdir-link")), 0);
    assert_int_equal(ra_source_is_dir(at(cst, "isdir")), 1);
    assert_int_equal(ra_source_is_dir(at(cst, "isdir-link")), 1);
    assert_int_equal(ra_source_is_dir(at(cst, "isdir/file")), 0);
    assert_int_equal(ra_source_is_dir(at(cst, "isdir/none")), 0);
}

/* The checks of test_source__unreadable_entries, as a process that permissions apply
 * to; returns 0 when they hold. */
static int unreadable_checks(const char *tree)
{
    struct walk *w = calloc(1, sizeof(*w));
    struct ra_err err = RA_ERR_INIT;
    int bad;

    bad = walk(w, tree, NULL, &err) != 0 || w->n != 3 || strcmp(w->seen[0].path, "a") ||
          w->seen[0].type != RA_ENTRY_FILE || strcmp(w->seen[0].data, "a") ||
          strcmp(w->seen[1].path, "closed") || w->seen[1].type != RA_ENTRY_UNREADABLE ||
          strcmp(w->seen[1].link, "cannot open: Permission denied") ||
          strcmp(w->seen[2].path, "locked") || w->seen[2].type != RA_ENTRY_UNREADABLE ||
          strcmp(w->seen[2].link, "cannot open directory: Permission denied");
    free(w);
    return bad;
}

/* A folder and a file that may not be opened are delivered as unreadable, with why,
 * and the walk goes on. Root reads anything: as root the checks run in a child that
 * has become nobody. */
static void test_source__unreadable_entries(void **state)
{
    const void **cst = (const void **)state;
    const struct fixture *fx = *state;
    int status;
    pid_t pid;

    assert_int_equal(mkdir(at(cst, "locked-tree"), 0755), 0);
    assert_int_equal(mkdir(at(cst, "locked-tree/locked"), 0755), 0);
    fix_write(at(cst, "locked-tree/locked/x"), "x", 1, RA_TIME_NONE);
    fix_write(at(cst, "locked-tree/a"), "a", 1, RA_TIME_NONE);
    fix_write(at(cst, "locked-tree/closed"), "c", 1, RA_TIME_NONE);
    assert_int_equal(chmod(at(cst, "locked-tree/locked"), 0), 0);
    assert_int_equal(chmod(at(cst, "locked-tree/closed"), 0), 0);
    if (geteuid() != 0) {
        status = unreadable_checks(at(cst, "locked-tree"));
    } else {
        assert_int_equal(chmod(fx->dir, 0755), 0);
        assert_true((pid = fork()) >= 0);
        if (!pid)
            _exit(setgid(65534) || setuid(65534)
                      ? 2
                      : unreadable_checks(at(cst, "locked-tree")));
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        status = WEXITSTATUS(status);
    }
    assert_int_equal(chmod(at(cst, "locked-tree/locked"), 0755), 0);
    assert_int_equal(status, 0);
}

static void test_source__directory_depth_is_bounded(void **state)
{
    const void **cst = (const void **)state;
    struct walk *w = calloc(1, sizeof(*w));
    struct ra_err err = RA_ERR_INIT;
    int fd, next, i;

    assert_int_equal(mkdir(at(cst, "deep"), 0755), 0);
    fd = open(at(cst, "deep"), O_RDONLY | O_DIRECTORY);
    for (i = 0; i < 300; i++) {
        assert_int_equal(mkdirat(fd, "d", 0755), 0);
        next = openat(fd, "d", O_RDONLY | O_DIRECTORY);
        close(fd);
        fd = next;
    }
    close(fd);
    assert_int_equal(walk(w, at(cst, "deep"), NULL, &err), RA_ELIMIT);
    assert_non_null(strstr(err.msg, "deeper than 256 levels"));
    assert_int_equal(w->n, 257);
    free(w);
}

/* A live tree: the callback of the first entry removes a file, a symbolic link and a
 * folder listed after it and adds a file; the walk goes on and counts what it saw. */
static const void **live_state;

static int change_tree(const struct ra_entry *e, struct ra_source *src, void *payload)
{
    const void **cst = live_state;
    struct walk *w = payload;

    if (w->n == 0) {
        assert_int_equal(unlink(at(cst, "live/c")), 0);
        assert_int_equal(unlink(at(cst, "live/d")), 0);
        assert_int_equal(unlink(at(cst, "live/e/y")), 0);
        assert_int_equal(rmdir(at(cst, "live/e")), 0);
        fix_write(at(cst, "live/new"), "new", 3, RA_TIME_NONE);
    }
    return collect(e, src, payload);
}

static void test_source__live_tree_changes_are_not_errors(void **state)
{
    const void **cst = (const void **)state;
    struct ra_source_opts opts = RA_SOURCE_OPTS_INIT;
    struct walk *w = calloc(1, sizeof(*w));
    struct ra_source_stats st;
    struct ra_err err = RA_ERR_INIT;

    assert_int_equal(mkdir(at(cst, "live"), 0755), 0);
    fix_write(at(cst, "live/a"), "a", 1, RA_TIME_NONE);
    assert_int_equal(mkdir(at(cst, "live/b"), 0755), 0);
    fix_write(at(cst, "live/b/x"), "x", 1, RA_TIME_NONE);
    fix_write(at(cst, "live/c"), "c", 1, RA_TIME_NONE);
    assert_int_equal(symlink("c", at(cst, "live/d")), 0);
    assert_int_equal(mkdir(at(cst, "live/e"), 0755), 0);
    fix_write(at(cst, "live/e/y"), "y", 1, RA_TIME_NONE);
    fix_set_mtime(at(cst, "live/a"), T0);
    fix_set_mtime(at(cst, "live/b/x"), T0);
    fix_set_mtime(at(cst, "live/e"), T0);
    fix_set_mtime(at(cst, "live/b"), T0);
    fix_set_mtime(at(cst, "live"), T0); /* any change now moves it, whatever the clock */
    live_state = cst;
    assert_int_equal(ra_source_walk(at(cst, "live"), &opts, change_tree, w, &st, &err),
                     0);
    assert_int_equal(err.code, 0);
    assert_int_equal(w->n, 3);
    check_entry(&w->seen[0], "a", RA_ENTRY_FILE, 1, T0, "a");
    check_entry(&w->seen[1], "b", RA_ENTRY_DIR, 0, T0, "");
    check_entry(&w->seen[2], "b/x", RA_ENTRY_FILE, 1, T0, "x");
    assert_int_equal(st.entries, 3);
    assert_int_equal(st.vanished, 3);     /* c, d, e: listed, gone */
    assert_int_equal(st.changed_dirs, 1); /* live/, not live/b */

    /* the same tree, unchanged, walks quietly */
    memset(w, 0, sizeof(*w));
    assert_int_equal(walk(w, at(cst, "live"), &st, &err), 0);
    assert_int_equal(w->n, 4);
    assert_string_equal(w->seen[3].path, "new");
    assert_int_equal(st.vanished, 0);
    assert_int_equal(st.changed_dirs, 0);
    free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_source__tar),
        cmocka_unit_test(test_source__tar_gz),
        cmocka_unit_test(test_source__tar_zst),
        cmocka_unit_test(test_source__tar_xz),
        cmocka_unit_test(test_source__zip),
        cmocka_unit_test(test_source__stdin),
        cmocka_unit_test(test_source__cpio_newc),
        cmocka_unit_test(test_source__names_normalised),
        cmocka_unit_test(test_source__dotdot_is_data_nothing_written),
        cmocka_unit_test(test_source__symlink_and_hardlink_members),
        cmocka_unit_test(test_source__cpio_hardlink_with_content_is_a_file),
        cmocka_unit_test(test_source__non_utf8_name_kept_as_bytes),
        cmocka_unit_test(test_source__sparse_members_read_with_their_holes),
        cmocka_unit_test(test_source__truncated_tar_gz),
        cmocka_unit_test(test_source__gzip_trailer_mismatch_is_damage),
        cmocka_unit_test(test_source__truncated_zstd),
        cmocka_unit_test(test_source__declared_size_beyond_archive),
        cmocka_unit_test(test_source__text_file_is_not_an_archive),
        cmocka_unit_test(test_source__empty_file_is_not_an_archive),
        cmocka_unit_test(test_source__missing_file),
        cmocka_unit_test(test_source__directory_tree),
        cmocka_unit_test(test_source__unread_content_is_skipped),
        cmocka_unit_test(test_source__callback_error_stops_walk),
        cmocka_unit_test(test_source__progress_is_throttled),
        cmocka_unit_test(test_source__is_dir),
        cmocka_unit_test(test_source__unreadable_entries),
        cmocka_unit_test(test_source__directory_depth_is_bounded),
        cmocka_unit_test(test_source__live_tree_changes_are_not_errors),
    };

    return cmocka_run_group_tests_name("ingest/source", tests, setup, teardown);
}
