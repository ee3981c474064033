/* SPDX-License-Identifier: MIT */
/* Stream the entries of an archive (through libarchive, in one pass) or of a directory
 * tree (sorted, relative to its root, never following symbolic links). Nothing is
 * written. */
#include "ingest/source.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "ingest/inflow.h"
#include "ingest/walk.h"
#include "util/buf.h"
#include "util/vec.h"

#define SOURCE_BLOCK_SIZE (1024 * 1024)
#define SOURCE_MAX_DEPTH 256
#define SOURCE_MAX_NAME (64 * 1024)
#define SOURCE_MAX_RETRY 16
#define SOURCE_PROGRESS_NS 250000000LL /* at most 4 calls a second */
#define SOURCE_DIRENTS_SIZE (32 * 1024)

struct ra_source {
    const char *path; /* as given, for messages */
    int path_len;     /* without trailing '/' */
    const struct ra_source_opts *opts;
    struct ra_source_stats *stats;
    int64_t next_progress; /* CLOCK_MONOTONIC, ns */
    uint64_t headers;      /* archive headers read, delivered or not */
    struct ra_buf name;    /* current entry: normalised (archive) or relative (tree) */
    struct ra_buf target;
    enum ra_entry_type type;
    int in_cb;
    struct ra_err read_err;   /* first content read failure; sticky */
    struct archive *a;        /* archives */
    struct ra_inflow *inflow; /* the reading thread (ingest/inflow.h), or NULL */
    int dirfd;                /* trees: directory holding the current entry */
    const char *leaf;         /* its name there */
    int fd;                   /* its content, opened on the first read; -1 */
    int64_t left;             /* content bytes not yet delivered */
    int sparse;               /* archives: the member has holes (tar --sparse) */
    int64_t served;           /* archives: content bytes delivered of the member */
    int64_t size;             /* archives: the member's (real) size */
    const char *block;        /* sparse member: data libarchive gave, not yet delivered */
    size_t block_len;
    int64_t block_off;          /* where it goes in the member; size at the end */
    char *dirents;              /* trees: getdents64 buffer, SOURCE_DIRENTS_SIZE bytes */
    struct ra_walk *rec;        /* trees: the record being made, or NULL */
    const struct ra_walk *prev; /* trees: an earlier walk's record, or NULL */
};

struct walk_pos { /* trees: a folder's node in the record made and the earlier one */
    uint32_t rec, prev;
};

static int64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sync_bytes_in(struct ra_source *src)
{
    int64_t n;

    if (src->inflow) {
        src->stats->bytes_in = ra_inflow_bytes_in(src->inflow);
    } else if (src->a) {
        n = archive_filter_bytes(src->a, -1);
        src->stats->bytes_in = n > 0 ? (uint64_t)n : 0;
    }
}

static void progress(struct ra_source *src, int force)
{
    int64_t now;

    sync_bytes_in(src);
    if (!src->opts || !src->opts->progress_cb)
        return;
    now = now_ns();
    if (!force && now < src->next_progress)
        return;
    src->next_progress = now + SOURCE_PROGRESS_NS;
    src->opts->progress_cb(src->stats, src->opts->progress_payload);
}

static void fill_stop(struct ra_source *src)
{
    sync_bytes_in(src);
    src->stats->stop_offset = src->stats->bytes_in;
    snprintf(src->stats->stop_member, sizeof(src->stats->stop_member), "%s",
             ra_buf_cstr(&src->name));
}

static const char *archive_msg(struct archive *a)
{
    const char *s = archive_error_string(a);

    return s ? s : "unknown error";
}

/* The one message for an archive that stops part-way, in a header or in content, or
 * whose compressed stream fails after the last member. */
static int damaged(struct ra_source *src, const char *why, struct ra_err *err)
{
    fill_stop(src);
    return ra_err_set(err, RA_EIO,
                      "'%s': archive damaged after member '%s' at byte %llu: %s",
                      src->path, src->stats->stop_member,
                      (unsigned long long)src->stats->stop_offset, why);
}

/* The reading thread's failure, which libarchive saw as the end of the data, comes
 * first: libarchive then only says the tar is truncated. */
static int archive_damaged(struct ra_source *src, struct ra_err *err)
{
    const char *why = src->inflow ? ra_inflow_error(src->inflow) : "";

    return damaged(src, *why ? why : archive_msg(src->a), err);
}

static int stream_failed(struct ra_source *src)
{
    return src->inflow && *ra_inflow_error(src->inflow);
}

/* The format's end: the compressed stream must end cleanly too (its last check, a gzip
 * trailer, comes after the tar's end-of-archive blocks). */
static int archive_end(struct ra_source *src, struct ra_err *err)
{
    if (src->inflow && ra_inflow_finish(src->inflow) < 0)
        return damaged(src, ra_inflow_error(src->inflow), err);
    return 0;
}

/* A failed system call on the current tree entry (rel == "" for the root itself). */
static int tree_fail(struct ra_source *src, const char *what, int errnum,
                     struct ra_err *err)
{
    fill_stop(src);
    return ra_err_set(err, RA_EIO, "'%.*s%s%s': %s: %s", src->path_len, src->path,
                      src->name.len ? "/" : "", ra_buf_cstr(&src->name), what,
                      strerror(errnum));
}

/* Member names are data: strip leading "/" and "./", fold "//", drop a trailing "/".
 * ".." segments stay as they are. */
static void normalise(struct ra_buf *out, const char *name)
{
    const char *p = name;

    while (*p == '/' || (p[0] == '.' && p[1] == '/'))
        p += *p == '/' ? 1 : 2;
    if (!strcmp(p, "."))
        p++;
    ra_buf_truncate(out, 0);
    while (*p) {
        /* copy up to the next "//" or trailing "/" in one go */
        const char *q = p;
        while ((q = strchr(q, '/')) && q[1] != '/' && q[1] != '\0')
            q++;
        if (!q) {
            ra_buf_puts(out, p);
            return;
        }
        ra_buf_put(out, p, (size_t)(q - p));
        for (p = q; *p == '/' && (p[1] == '/' || p[1] == '\0'); p++)
            ;
    }
}

/* Hand one entry to the callback; turn its code or a content read failure into the
 * walk's result, with err set and stats->stop_* filled. */
static int deliver(struct ra_source *src, struct ra_entry *e, ra_entry_cb cb,
                   void *payload, struct ra_err *err)
{
    int rc;

    e->path = ra_buf_cstr(&src->name);
    e->path_len = src->name.len;
    e->index = src->stats->entries;
    src->type = e->type;
    src->in_cb = 1;
    rc = cb(e, src, payload);
    src->in_cb = 0;
    src->stats->entries++;
    if (e->type == RA_ENTRY_FILE)
        src->stats->bytes_out += (uint64_t)e->size;
    if (rc >= 0 && src->read_err.code)
        rc = src->read_err.code;
    if (rc >= 0) {
        progress(src, 0);
        return rc == RA_SOURCE_SKIP ? rc : 0;
    }
    fill_stop(src);
    if (rc == src->read_err.code && err)
        *err = src->read_err;
    else if (err && !err->code)
        ra_err_set(err, rc, "'%s': walk stopped at member '%s'", src->path,
                   src->stats->stop_member);
    return rc;
}

static int read_fail(struct ra_source *src, int error, struct ra_err *err)
{
    if (err)
        *err = src->read_err;
    return error;
}

/* A sparse member (tar --sparse, GNU or pax) as the reader of the extracted file sees
 * it: its data blocks at their offsets, zeros in the holes and up to its real size.
 * libarchive's archive_read_data leaves out a hole that runs to the end (a file of
 * zeros has no data at all), so the blocks are placed here. Returns the bytes put in
 * buf (0 at the end), or -1 on a read failure. */
static la_ssize_t archive_read_sparse(struct ra_source *src, char *buf, size_t len)
{
    la_int64_t off;
    const void *p;
    size_t n;
    int r;

    while (!src->block_len && src->block_off <= src->served && src->served < src->size) {
        r = archive_read_data_block(src->a, &p, &src->block_len, &off);
        if (r == ARCHIVE_EOF) {
            src->block_len = 0;
            src->block_off = src->size;
            break;
        }
        if (r < ARCHIVE_WARN)
            return -1;
        src->block = p;
        src->block_off = off;
        if (off < src->served) { /* overlaps what was delivered: drop that part */
            n = src->served - off < (int64_t)src->block_len ? (size_t)(src->served - off)
                                                            : src->block_len;
            src->block += n;
            src->block_len -= n;
            src->block_off += (int64_t)n;
        }
    }
    if (src->served >= src->size)
        return 0;
    if ((uint64_t)(src->size - src->served) < len)
        len = (size_t)(src->size - src->served);
    if (src->block_off > src->served) { /* a hole */
        n = src->block_off - src->served < (int64_t)len
                ? (size_t)(src->block_off - src->served)
                : len;
        memset(buf, 0, n);
        return (la_ssize_t)n;
    }
    n = src->block_len < len ? src->block_len : len;
    memcpy(buf, src->block, n);
    src->block += n;
    src->block_len -= n;
    src->block_off += (int64_t)n;
    return (la_ssize_t)n;
}

static int archive_read(struct ra_source *src, void *buf, size_t len, size_t *nread,
                        struct ra_err *err)
{
    la_ssize_t n = src->sparse ? archive_read_sparse(src, buf, len)
                               : archive_read_data(src->a, buf, len);

    if (n < 0) {
        archive_damaged(src, &src->read_err);
        return read_fail(src, RA_EIO, err);
    }
    src->served += n;
    *nread = (size_t)n;
    return 0;
}

/* A live tree (a registry writing while it is read): an entry listed by getdents but
 * gone by the time it is opened is skipped and counted, not an error. */
static int vanished(struct ra_source *src, int errnum)
{
    if (errnum != ENOENT)
        return 0;
    src->stats->vanished++;
    return 1;
}

static int tree_open_content(struct ra_source *src)
{
    struct stat st;
    int fd =
        openat(src->dirfd, src->leaf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

    if (fd < 0 && vanished(src, errno)) {
        src->left = 0; /* reads as empty */
        return 0;
    }
    if (fd < 0)
        return tree_fail(src, "cannot open", errno, &src->read_err);
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return tree_fail(src, "cannot open", EINVAL, &src->read_err);
    }
    src->fd = fd;
    return 0;
}

static int tree_read(struct ra_source *src, void *buf, size_t len, size_t *nread,
                     struct ra_err *err)
{
    ssize_t n;

    if (len > (uint64_t)src->left)
        len = (size_t)src->left;
    if (!len)
        return 0;
    if (src->fd < 0 && tree_open_content(src) < 0)
        return read_fail(src, RA_EIO, err);
    if (src->fd < 0)
        return 0; /* gone since it was listed: reads as empty */
    do
        n = read(src->fd, buf, len);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        tree_fail(src, "read failed", errno, &src->read_err);
        return read_fail(src, RA_EIO, err);
    }
    src->left -= n;
    src->stats->bytes_in += (uint64_t)n;
    *nread = (size_t)n;
    return 0;
}

int ra_source_read(struct ra_source *src, void *buf, size_t len, size_t *nread,
                   struct ra_err *err)
{
    int error;

    assert(src && buf && nread && src->in_cb);
    *nread = 0;
    if (src->read_err.code)
        return read_fail(src, src->read_err.code, err);
    if (src->type != RA_ENTRY_FILE || !len)
        return 0;
    if (src->a)
        error = archive_read(src, buf, len, nread, err);
    else
        error = tree_read(src, buf, len, nread, err);
    progress(src, 0);
    return error;
}

/* Archives. */

static int archive_probe(struct ra_source *src, struct ra_err *err)
{
    struct stat st;
    int fd, error = 0;

    if (ra_source_is_stdin(src->path))
        return 0; /* size unknown: progress shows bytes read */
    fd = open(src->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0 && errno == ENOENT)
        return ra_err_set(err, RA_ENOTFOUND, "'%s': no such file or directory",
                          src->path);
    if (fd < 0 || fstat(fd, &st) < 0) {
        error = ra_err_set(err, RA_EIO, "'%s': %s", src->path, strerror(errno));
        goto done;
    }
    if (S_ISREG(st.st_mode) && st.st_size == 0) {
        error = ra_err_set(err, RA_EFORMAT,
                           "'%s': not an archive libarchive can read (empty file)",
                           src->path);
        goto done;
    }
    src->stats->bytes_total = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;

done:
    if (fd >= 0)
        close(fd);
    return error;
}

/* libarchive's read and skip callbacks over the reading thread. A failure of the
 * thread (a gzip trailer that does not match, corrupt compressed data) reads as the
 * end of the data: everything before it is parsed, and the walk then reports the
 * thread's message (archive_damaged, archive_end). */
static la_ssize_t inflow_cb(struct archive *a, void *payload, const void **buf)
{
    struct ra_source *src = payload;
    ssize_t n = ra_inflow_read(src->inflow, buf);

    (void)a;
    return n < 0 ? 0 : n;
}

static la_int64_t inflow_skip_cb(struct archive *a, void *payload, la_int64_t request)
{
    struct ra_source *src = payload;

    (void)a;
    return ra_inflow_skip(src->inflow, request);
}

static const char *stdin_hint(const struct ra_source *src)
{
    return ra_source_is_stdin(src->path)
               ? "; standard input is read as a stream: tar or cpio (any compression), "
                 "zip and 7z need seeking, give them as a file"
               : "";
}

/* An archive on standard input: read front to back, never seeked, so only the formats
 * libarchive reads as a stream (tar and cpio, compressed with any filter); zip's central
 * directory and 7-Zip's header sit at the end and need a seekable file. */
static int stdin_open(struct ra_source *src, struct ra_err *err)
{
    src->a = archive_read_new();
    if (!src->a)
        return ra_err_set(err, RA_ERROR, "standard input: cannot set up libarchive");
    archive_read_support_filter_all(src->a);
    archive_read_support_format_tar(src->a);
    archive_read_support_format_cpio(src->a);
    if (archive_read_open_fd(src->a, STDIN_FILENO, SOURCE_BLOCK_SIZE) != ARCHIVE_OK)
        return ra_err_set(err, RA_EFORMAT,
                          "'-': not an archive libarchive can read (%s)%s",
                          archive_msg(src->a), stdin_hint(src));
    return 0;
}

/* Every format but "raw" and "empty" (which accept anything) and "mtree" (which opens
 * the files it describes). tar first: libarchive breaks bid ties by registration
 * order, and iso9660's bidder reads 48 KiB ahead, which on a small truncated tar made
 * the truncation look like a clean end. A compressed file (and a plain tar whose every
 * member will be read) is read and decompressed on a second thread (ingest/inflow.h),
 * and this reader only parses the format; anything else is read straight from the
 * file, with seeking (a tar's skipped content, zip's central directory, 7-Zip). */
static int archive_open(struct ra_source *src, struct ra_err *err)
{
    static int (*const formats[])(struct archive *) = {
        archive_read_support_format_tar,     archive_read_support_format_zip,
        archive_read_support_format_cpio,    archive_read_support_format_7zip,
        archive_read_support_format_ar,      archive_read_support_format_cab,
        archive_read_support_format_iso9660, archive_read_support_format_lha,
        archive_read_support_format_rar,     archive_read_support_format_rar5,
        archive_read_support_format_warc,    archive_read_support_format_xar,
    };
    size_t i;
    int error, r;

    if (ra_source_is_stdin(src->path))
        return stdin_open(src, err);
    if ((error = ra_inflow_open(&src->inflow, src->path, src->opts && src->opts->read_all,
                                err)) < 0)
        return error;
    src->a = archive_read_new();
    if (!src->a)
        return ra_err_set(err, RA_ERROR, "'%s': cannot set up libarchive", src->path);
    if (!src->inflow)
        archive_read_support_filter_all(src->a);
    for (i = 0; i < RA_ARRAY_SIZE(formats); i++)
        formats[i](src->a); /* a format built without its library only warns */
    if (src->inflow)
        r = archive_read_open2(src->a, src, NULL, inflow_cb, inflow_skip_cb, NULL);
    else
        r = archive_read_open_filename(src->a, src->path, SOURCE_BLOCK_SIZE);
    if (r != ARCHIVE_OK && stream_failed(src))
        return archive_damaged(src, err);
    if (r != ARCHIVE_OK)
        return ra_err_set(err, RA_EFORMAT,
                          "'%s': not an archive libarchive can read (%s)", src->path,
                          archive_msg(src->a));
    return 0;
}

static int64_t archive_size(struct archive_entry *ae)
{
    int64_t size = archive_entry_size_is_set(ae) ? archive_entry_size(ae) : 0;

    return size > 0 ? size : 0;
}

static int archive_fill(struct ra_entry *e, struct ra_source *src,
                        struct archive_entry *ae, struct ra_err *err)
{
    const char *name = archive_entry_pathname(ae), *link;

    if (!name)
        name = archive_entry_pathname_utf8(ae);
    normalise(&src->name, name ? name : "");
    if (src->name.len > SOURCE_MAX_NAME) {
        ra_buf_truncate(&src->name, 200);
        fill_stop(src);
        return ra_err_set(err, RA_ELIMIT,
                          "'%s': member name longer than %d bytes ('%s...')", src->path,
                          SOURCE_MAX_NAME, src->stats->stop_member);
    }
    memset(e, 0, sizeof(*e));
    src->sparse = archive_entry_sparse_count(ae) > 0;
    src->served = 0;
    src->block = NULL;
    src->block_len = 0;
    src->block_off = 0;
    e->mtime =
        archive_entry_mtime_is_set(ae) ? (ra_time)archive_entry_mtime(ae) : RA_TIME_NONE;
    if ((link = archive_entry_hardlink(ae))) {
        /* cpio (and pax) can carry a link's content on the link itself: a file then */
        e->size = archive_size(ae);
        e->type = e->size ? RA_ENTRY_FILE : RA_ENTRY_HARDLINK;
        normalise(&src->target, link);
        e->link_target = ra_buf_cstr(&src->target);
        return 0;
    }
    switch (archive_entry_filetype(ae)) {
    case AE_IFREG:
        e->type = RA_ENTRY_FILE;
        e->size = archive_size(ae);
        break;
    case AE_IFDIR:
        e->type = RA_ENTRY_DIR;
        break;
    case AE_IFLNK:
        e->type = RA_ENTRY_SYMLINK;
        link = archive_entry_symlink(ae);
        ra_buf_truncate(&src->target, 0);
        ra_buf_puts(&src->target, link ? link : "");
        e->link_target = ra_buf_cstr(&src->target);
        break;
    default:
        e->type = RA_ENTRY_OTHER;
        break;
    }
    return 0;
}

static int archive_walk(struct ra_source *src, ra_entry_cb cb, void *payload,
                        struct ra_err *err)
{
    struct archive_entry *ae;
    struct ra_entry e;
    int r, retries = 0, error;

    if ((error = archive_probe(src, err)) < 0 || (error = archive_open(src, err)) < 0)
        return error;
    for (;;) {
        r = archive_read_next_header(src->a, &ae);
        if (r == ARCHIVE_EOF)
            return archive_end(src, err);
        if (r == ARCHIVE_RETRY && ++retries < SOURCE_MAX_RETRY)
            continue;
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN && !src->headers && !stream_failed(src))
            return ra_err_set(err, RA_EFORMAT,
                              "'%s': not an archive libarchive can read (%s)%s",
                              src->path, archive_msg(src->a), stdin_hint(src));
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
            return archive_damaged(src, err);
        retries = 0; /* ARCHIVE_WARN (e.g. an unconvertible name) is fine */
        src->headers++;
        if ((error = archive_fill(&e, src, ae, err)) < 0)
            return error;
        src->size = e.size;
        if (e.type == RA_ENTRY_DIR && !src->name.len)
            continue; /* "./": the archive's root */
        if ((error = deliver(src, &e, cb, payload, err)) < 0)
            return error;
    }
}

/* Directory trees. Most entries are a folder holding one folder or one small file
 * (blobs/sha256/ab/<hex>/data, .../<hex>/link), so system calls per entry are what a
 * tree walk costs: a folder or regular file is opened first and fstat'ed through its
 * descriptor (no fstatat, no fdopendir), and anything else, or anything that fails
 * that way, goes the old way (fstatat, then open on use) with the same messages. */

/* A folder's names, sorted: each item points to a type byte (DT_*, DT_UNKNOWN when
 * the file system does not say) followed by the NUL-terminated name, all in one
 * buffer. */
struct names {
    struct ra_buf buf;
    struct ra_vec items;
};

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

static void add_name(struct names *out, const char *name, unsigned char type)
{
    if (!strcmp(name, ".") || !strcmp(name, ".."))
        return;
    ra_vec_push(&out->items, (void *)(uintptr_t)out->buf.len);
    ra_buf_putc(&out->buf, (char)type);
    ra_buf_put(&out->buf, name, strlen(name) + 1);
}

/* Offsets into buf become pointers once buf stops moving. */
static void sort_names(struct names *out)
{
    size_t i;

    for (i = 0; i < out->items.len; i++)
        out->items.items[i] = out->buf.ptr + (uintptr_t)out->items.items[i];
    ra_vec_sort(&out->items, cmp_names);
}

#ifdef SYS_getdents64
struct dirent64_raw {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* Read the folder open as fd with getdents64 itself: fdopendir costs an fstat and
 * two fcntl calls per folder. Returns 0, or an errno value. */
static int read_names(struct names *out, int fd, char *block, size_t size)
{
    const struct dirent64_raw *de;
    long n, off;

    for (;;) {
        n = syscall(SYS_getdents64, fd, block, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        if (!n)
            return 0;
        for (off = 0; off < n; off += de->d_reclen) {
            de = (const void *)(block + off);
            add_name(out, de->d_name, de->d_type);
        }
    }
}
#else
static int read_names(struct names *out, int fd, char *block, size_t size)
{
    struct dirent *de;
    int dfd = dup(fd), errnum;
    DIR *d = dfd < 0 ? NULL : fdopendir(dfd);

    (void)block;
    (void)size;
    if (!d) {
        errnum = errno;
        if (dfd >= 0)
            close(dfd);
        return errnum;
    }
    for (;;) {
        errno = 0;
        if (!(de = readdir(d)))
            break;
        add_name(out, de->d_name, DT_UNKNOWN);
    }
    errnum = errno;
    closedir(d);
    return errnum;
}
#endif

static void free_names(struct names *names)
{
    ra_buf_release(&names->buf);
    ra_vec_release(&names->items);
}

static int list_names(struct names *out, struct ra_source *src, int fd,
                      struct ra_err *err)
{
    int errnum;

    if (!src->dirents)
        src->dirents = ra_xmalloc(SOURCE_DIRENTS_SIZE);
    if ((errnum = read_names(out, fd, src->dirents, SOURCE_DIRENTS_SIZE)) &&
        !vanished(src, errnum))
        return tree_fail(src, "cannot read directory", errnum, err);
    sort_names(out);
    return 0;
}

/* The listing of a folder the earlier walk proves unchanged, from its record. */
static void recorded_names(struct names *out, const struct ra_walk *prev, uint32_t dir)
{
    uint32_t c;

    for (c = ra_walk_first_child(prev, dir); c != RA_WALK_NONE;
         c = ra_walk_next_sibling(prev, dir, c))
        add_name(out, ra_walk_name(prev, c), ra_walk_dtype(prev, c));
    sort_names(out); /* already sorted: this only turns offsets into pointers */
}

static int tree_dir(struct ra_source *src, int fd, const struct stat *st,
                    struct walk_pos pos, int depth, ra_entry_cb cb, void *payload,
                    struct ra_err *err);

/* Walk into leaf, already open as fd (taken over) or, when fd is -1, opened here; st
 * is what fstat said of it before. */
static int tree_subdir(struct ra_source *src, int dfd, const char *leaf, int fd,
                       const struct stat *st, struct walk_pos pos, int depth,
                       ra_entry_cb cb, void *payload, struct ra_err *err)
{
    if (depth > SOURCE_MAX_DEPTH) {
        if (fd >= 0)
            close(fd);
        fill_stop(src);
        return ra_err_set(err, RA_ELIMIT,
                          "'%s': directory tree deeper than %d levels at '%s'", src->path,
                          SOURCE_MAX_DEPTH, ra_buf_cstr(&src->name));
    }
    if (fd < 0)
        fd = openat(dfd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && vanished(src, errno))
        return 0;
    if (fd < 0)
        return tree_fail(src, "cannot open directory", errno, err);
    return tree_dir(src, fd, st, pos, depth, cb, payload, err);
}

static int tree_symlink(struct ra_source *src, int dfd, const char *leaf,
                        struct ra_err *err)
{
    char target[4096];
    ssize_t n = readlinkat(dfd, leaf, target, sizeof(target));

    if (n < 0 && vanished(src, errno))
        return 1;
    if (n < 0)
        return tree_fail(src, "cannot read link", errno, err);
    if ((size_t)n == sizeof(target))
        return tree_fail(src, "cannot read link", ENAMETOOLONG, err);
    ra_buf_truncate(&src->target, 0);
    ra_buf_put(&src->target, target, (size_t)n);
    return 0;
}

/* Open a folder or regular file the listing says leaf is, and stat it through the
 * descriptor; -1 when that fails or leaf turns out to be something else. */
static int open_entry(int dfd, const char *leaf, unsigned char type, struct stat *st)
{
    int dir = type == DT_DIR, fd;

    if (type != DT_DIR && type != DT_REG)
        return -1;
    fd = openat(dfd, leaf,
                O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (dir ? O_DIRECTORY : O_NONBLOCK));
    if (fd < 0)
        return -1;
    if (fstat(fd, st) < 0 || (dir ? !S_ISDIR(st->st_mode) : !S_ISREG(st->st_mode))) {
        close(fd);
        return -1;
    }
    return fd;
}

/* A file or folder the walk may not open (permission denied): delivered as such, with
 * why, so that the caller can say what it could not read; the walk goes on. */
static int tree_unreadable(struct ra_source *src, uint32_t parent, const char *leaf,
                           const char *what, int errnum, const struct stat *st,
                           ra_entry_cb cb, void *payload, struct ra_err *err)
{
    struct ra_entry e = {0};
    int rc;

    if (src->rec)
        ra_walk_add(src->rec, parent, leaf, NULL);
    e.type = RA_ENTRY_UNREADABLE;
    e.mtime = (ra_time)st->st_mtim.tv_sec;
    ra_buf_truncate(&src->target, 0);
    ra_buf_printf(&src->target, "%s: %s", what, strerror(errnum));
    e.link_target = ra_buf_cstr(&src->target);
    rc = deliver(src, &e, cb, payload, err);
    return rc < 0 ? rc : 0;
}

static int denied(int errnum)
{
    return errnum == EACCES || errnum == EPERM;
}

/* A regular file or folder that open_entry could not open: why not, if it is a
 * permission (0 otherwise: the old way then says what went wrong). */
static int why_closed(int dfd, const char *leaf, const struct stat *st)
{
    int fd;

    if (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode))
        return 0;
    fd = openat(dfd, leaf,
                O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
                    (S_ISDIR(st->st_mode) ? O_DIRECTORY : O_NONBLOCK));
    if (fd >= 0) {
        close(fd);
        return 0;
    }
    return denied(errno) ? errno : 0;
}

/* A regular file the earlier walk proves unchanged: stat'ed, not opened (tree_read
 * opens it if its content is read). 1 when it is. */
static int tree_same_file(struct ra_source *src, int dfd, const char *leaf, uint32_t prev,
                          struct stat *st)
{
    if (prev == RA_WALK_NONE || ra_walk_dtype(src->prev, prev) != DT_REG ||
        fstatat(dfd, leaf, st, AT_SYMLINK_NOFOLLOW) < 0)
        return 0;
    return S_ISREG(st->st_mode) && ra_walk_same(src->prev, prev, st);
}

/* Deliver leaf, in the folder open as dfd (node parent of the record), and walk into
 * it if it is a folder; prev is its node in the earlier walk's record, if any. */
static int tree_entry(struct ra_source *src, int dfd, const char *leaf,
                      unsigned char type, uint32_t parent, uint32_t prev, int depth,
                      ra_entry_cb cb, void *payload, struct ra_err *err)
{
    struct ra_entry e = {0};
    struct stat st;
    int same = tree_same_file(src, dfd, leaf, prev, &st);
    int error, errnum, fd = same ? -1 : open_entry(dfd, leaf, type, &st);
    uint32_t node;

    if (!same && fd < 0 && fstatat(dfd, leaf, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return vanished(src, errno) ? 0 : tree_fail(src, "cannot stat", errno, err);
    if (!same && fd < 0 && (errnum = why_closed(dfd, leaf, &st)))
        return tree_unreadable(src, parent, leaf,
                               S_ISDIR(st.st_mode) ? "cannot open directory"
                                                   : "cannot open",
                               errnum, &st, cb, payload, err);
    e.mtime = (ra_time)st.st_mtim.tv_sec;
    e.type = S_ISREG(st.st_mode)   ? RA_ENTRY_FILE
             : S_ISDIR(st.st_mode) ? RA_ENTRY_DIR
             : S_ISLNK(st.st_mode) ? RA_ENTRY_SYMLINK
                                   : RA_ENTRY_OTHER;
    e.same = same || (prev != RA_WALK_NONE && ra_walk_same(src->prev, prev, &st));
    if (e.type == RA_ENTRY_FILE)
        e.size = st.st_size > 0 ? (int64_t)st.st_size : 0;
    if (e.type == RA_ENTRY_SYMLINK) {
        if ((error = tree_symlink(src, dfd, leaf, err)) < 0)
            return error;
        if (error > 0)
            return 0; /* gone */
        e.link_target = ra_buf_cstr(&src->target);
    }
    node = src->rec ? ra_walk_add(src->rec, parent, leaf, &st) : RA_WALK_NONE;
    src->dirfd = dfd;
    src->leaf = leaf;
    src->left = e.size;
    if (e.type == RA_ENTRY_FILE)
        src->fd = fd; /* read from, then closed below */
    error = deliver(src, &e, cb, payload, err);
    if (src->fd >= 0)
        close(src->fd);
    src->fd = -1;
    if (error < 0 || error == RA_SOURCE_SKIP || e.type != RA_ENTRY_DIR) {
        if (e.type == RA_ENTRY_DIR && fd >= 0)
            close(fd);
        return error < 0 ? error : 0;
    }
    return tree_subdir(src, dfd, leaf, fd, &st, (struct walk_pos){node, prev}, depth + 1,
                       cb, payload, err);
}

/* Has the folder open as fd changed since it had modification time mtime (an entry
 * added, removed or renamed)? Counted in stats->changed_dirs. */
static void check_changed(struct ra_source *src, int fd, const struct timespec *mtime)
{
    struct stat st;

    if (fstat(fd, &st) == 0 &&
        (st.st_mtim.tv_sec != mtime->tv_sec || st.st_mtim.tv_nsec != mtime->tv_nsec))
        src->stats->changed_dirs++;
}

/* Walk the directory open as fd (taken over and closed here), depth-first in sorted
 * order; src->name holds its path relative to the root, st what fstat said of it before
 * it was listed, pos where it is in the records. */
static int tree_dir(struct ra_source *src, int fd, const struct stat *st,
                    struct walk_pos pos, int depth, ra_entry_cb cb, void *payload,
                    struct ra_err *err)
{
    struct names names = {RA_BUF_INIT, RA_VEC_INIT};
    size_t i, base = src->name.len;
    uint32_t hint = RA_WALK_NONE, prev;
    const char *item;
    int error = 0;

    if (pos.prev != RA_WALK_NONE && ra_walk_listed(src->prev, pos.prev) &&
        ra_walk_same(src->prev, pos.prev, st))
        recorded_names(&names, src->prev, pos.prev);
    else if ((error = list_names(&names, src, fd, err)) < 0)
        goto done;
    for (i = 0; i < names.items.len; i++) {
        item = names.items.items[i];
        ra_buf_truncate(&src->name, base);
        if (base)
            ra_buf_putc(&src->name, '/');
        ra_buf_puts(&src->name, item + 1);
        prev = pos.prev == RA_WALK_NONE
                   ? RA_WALK_NONE
                   : ra_walk_child(src->prev, pos.prev, item + 1, &hint);
        if ((error = tree_entry(src, fd, item + 1, (unsigned char)item[0], pos.rec, prev,
                                depth, cb, payload, err)) < 0)
            goto done;
    }
    ra_buf_truncate(&src->name, base);
    check_changed(src, fd, &st->st_mtim);
    if (src->rec)
        ra_walk_close_dir(src->rec, pos.rec);

done:
    close(fd);
    free_names(&names);
    return error;
}

static int tree_walk(struct ra_source *src, ra_entry_cb cb, void *payload,
                     struct ra_err *err)
{
    int fd = open(src->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    struct walk_pos pos;
    struct stat st;

    if (fd < 0 && errno == ENOENT)
        return ra_err_set(err, RA_ENOTFOUND, "'%s': no such file or directory",
                          src->path);
    if (fd < 0 || fstat(fd, &st) < 0) {
        int errnum = errno;
        if (fd >= 0)
            close(fd);
        return tree_fail(src, "cannot open directory", errnum, err);
    }
    pos.rec = src->rec ? ra_walk_add(src->rec, RA_WALK_NONE, "", &st) : RA_WALK_NONE;
    pos.prev = src->prev && ra_walk_count(src->prev) ? 0 : RA_WALK_NONE;
    return tree_dir(src, fd, &st, pos, 0, cb, payload, err);
}

int ra_source_is_stdin(const char *path)
{
    return !strcmp(path, "-");
}

int ra_source_is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int ra_source_walk(const char *path, const struct ra_source_opts *opts, ra_entry_cb cb,
                   void *payload, struct ra_source_stats *stats, struct ra_err *err)
{
    struct ra_source_stats local;
    struct ra_source src;
    size_t len;
    int error;

    assert(path && cb);
    ra_err_clear(err);
    memset(&src, 0, sizeof(src));
    src.stats = stats ? stats : &local;
    memset(src.stats, 0, sizeof(*src.stats));
    src.path = path;
    for (len = strlen(path); len > 1 && path[len - 1] == '/'; len--)
        ;
    src.path_len = len > INT_MAX ? INT_MAX : (int)len;
    src.opts = opts;
    src.fd = -1;
    src.dirfd = -1;
    src.rec = opts ? opts->record : NULL;
    src.prev = opts ? opts->prev : NULL;

    if (!ra_source_is_stdin(path) && ra_source_is_dir(path))
        error = tree_walk(&src, cb, payload, err);
    else
        error = archive_walk(&src, cb, payload, err);
    progress(&src, 1);

    if (src.a)
        archive_read_free(src.a);
    ra_inflow_close(src.inflow);
    ra_buf_release(&src.name);
    ra_buf_release(&src.target);
    free(src.dirents);
    return error;
}
