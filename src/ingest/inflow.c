/* SPDX-License-Identifier: MIT */
/* Reading on a second thread. For a gzip file, zlib inflates it (ingest/gunzip.h: every
 * member's trailer is checked, which libarchive does not do); for another compressed
 * file, libarchive's "raw" format over all its filters yields the uncompressed stream;
 * either is copied into a ring of chunks. For a plain tar, read(2) fills the chunks
 * straight from the file. The
 * caller's reader takes one chunk at a time. One mutex and two condition variables
 * guard the ring's counters; a chunk's bytes are written by the thread before it is
 * counted and read by the caller after, so neither side touches them under the lock.
 *
 * A skip (the tar reader passing over a layer's content it was not asked to read) first
 * drops what the ring holds, then has the thread pass over the rest: a plain file
 * seeks, a compressed one is decompressed without being copied (with archives of large
 * layers the copy would be most of the thread's work). */
#include "ingest/inflow.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "ingest/gunzip.h"

#define INFLOW_CHUNK (1024 * 1024)
#define INFLOW_CHUNKS 4
#define INFLOW_BLOCK (1024 * 1024) /* what libarchive reads from the file at a time */
#define INFLOW_SCRATCH (256 * 1024)

struct chunk {
    char *buf;
    size_t off; /* bytes a skip dropped from the front */
    size_t len;
};

struct ra_inflow {
    struct archive *a;    /* compressed: libarchive's filters, format raw */
    int fd;               /* plain or gzip: the file; -1 */
    struct ra_gunzip *gz; /* gzip: zlib, every member's trailer checked; NULL */
    char *scratch;        /* gzip: where a skip inflates to, INFLOW_SCRATCH bytes */
    uint64_t size;        /* plain: its size */
    uint64_t pos;         /* plain: bytes read or passed over (the thread's) */
    const void *block;    /* compressed: the rest of libarchive's current block */
    size_t left;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t filled;  /* a chunk was counted, or the thread finished */
    pthread_cond_t emptied; /* a chunk was handed back, or the caller stopped */
    struct chunk ring[INFLOW_CHUNKS];
    unsigned head;  /* the chunk the caller takes next (or holds) */
    unsigned count; /* chunks filled and not yet handed back, held one included */
    int holding;    /* the caller holds ring[head] */
    uint64_t skip;  /* bytes past those taken that the caller wants dropped */
    int done;       /* the thread has finished: end of data, or failed */
    int stop;       /* the caller wants the thread to finish now */
    int failed;
    char error[512];
    _Atomic uint64_t bytes_in;
};

/* Compressed: the next bytes of the stream, what is left of the current block else a
 * new block. Returns 1 with f->left > 0, 0 at the end, -1 on failure (f->error set). */
static int next_block(struct ra_inflow *f)
{
    la_int64_t offset;
    int r;

    while (!f->left) {
        r = archive_read_data_block(f->a, &f->block, &f->left, &offset);
        atomic_store_explicit(&f->bytes_in, (uint64_t)archive_filter_bytes(f->a, -1),
                              memory_order_relaxed);
        if (r == ARCHIVE_EOF)
            return 0;
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
            const char *msg = archive_error_string(f->a);
            snprintf(f->error, sizeof(f->error), "%s", msg ? msg : "unknown error");
            return -1;
        }
    }
    return 1;
}

/* Plain or gzip: up to len bytes of the file or of what it inflates to. Returns the
 * count, 0 at the end, -1 on failure (f->error set). */
static ssize_t read_file(struct ra_inflow *f, char *buf, size_t len)
{
    ssize_t got;

    if (f->gz) {
        got = ra_gunzip_read(f->gz, buf, len, f->error, sizeof(f->error));
        atomic_store_explicit(&f->bytes_in, ra_gunzip_bytes_in(f->gz),
                              memory_order_relaxed);
        return got;
    }
    do
        got = read(f->fd, buf, len);
    while (got < 0 && errno == EINTR);
    if (got < 0) {
        snprintf(f->error, sizeof(f->error), "read failed: %s", strerror(errno));
        return -1;
    }
    f->pos += (uint64_t)got;
    atomic_store_explicit(&f->bytes_in, f->pos, memory_order_relaxed);
    return got;
}

/* Fill c; returns as next_block (1: there may be more). */
static int fill(struct ra_inflow *f, struct chunk *c)
{
    size_t n;
    ssize_t got;
    int r = 1;

    c->off = c->len = 0;
    while (c->len < INFLOW_CHUNK) {
        if (f->fd >= 0) {
            if ((got = read_file(f, c->buf + c->len, INFLOW_CHUNK - c->len)) <= 0)
                return got < 0 ? -1 : 0;
            c->len += (size_t)got;
            continue;
        }
        if ((r = next_block(f)) <= 0)
            return r;
        n = INFLOW_CHUNK - c->len < f->left ? INFLOW_CHUNK - c->len : f->left;
        memcpy(c->buf + c->len, f->block, n);
        f->block = (const char *)f->block + n;
        f->left -= n;
        c->len += n;
    }
    return r;
}

/* Pass over up to want bytes; *done says how many. Returns as next_block. */
static int drop(struct ra_inflow *f, uint64_t want, uint64_t *done)
{
    ssize_t got;
    size_t n;
    int r;

    *done = 0;
    while (f->gz && *done < want) {
        got = read_file(f, f->scratch,
                        want - *done < INFLOW_SCRATCH ? (size_t)(want - *done)
                                                      : INFLOW_SCRATCH);
        if (got <= 0)
            return got < 0 ? -1 : 0;
        *done += (uint64_t)got;
    }
    if (f->gz)
        return 1;
    if (f->fd >= 0) {
        /* lseek past the end succeeds: stop at the size (a file that grew while it
         * was read ends where it was read to) */
        uint64_t left = f->pos < f->size ? f->size - f->pos : 0;
        *done = want < left ? want : left;
        if (lseek(f->fd, (off_t)(f->pos + *done), SEEK_SET) < 0) {
            snprintf(f->error, sizeof(f->error), "seek failed: %s", strerror(errno));
            *done = 0;
            return -1;
        }
        f->pos += *done;
        atomic_store_explicit(&f->bytes_in, f->pos, memory_order_relaxed);
        return *done == want;
    }
    while (*done < want) {
        if ((r = next_block(f)) <= 0)
            return r;
        n = want - *done < f->left ? (size_t)(want - *done) : f->left;
        f->block = (const char *)f->block + n;
        f->left -= n;
        *done += n;
    }
    return 1;
}

/* Thread: fill chunks, or drop what the caller skips, until the end, a failure, or
 * stop. */
static void *pump(void *arg)
{
    struct ra_inflow *f = arg;
    uint64_t skip, dropped;
    struct chunk *c;
    int r = 1;

    while (r > 0) {
        pthread_mutex_lock(&f->mu);
        /* a pending skip drops the ring first: wait until the caller has */
        while ((f->count == INFLOW_CHUNKS || (f->skip && f->count)) && !f->stop)
            pthread_cond_wait(&f->emptied, &f->mu);
        if (f->stop) {
            pthread_mutex_unlock(&f->mu);
            break;
        }
        skip = f->skip;
        c = &f->ring[(f->head + f->count) % INFLOW_CHUNKS];
        pthread_mutex_unlock(&f->mu);

        if (skip) {
            r = drop(f, skip, &dropped);
            pthread_mutex_lock(&f->mu);
            f->skip -= dropped;
        } else {
            r = fill(f, c);
            pthread_mutex_lock(&f->mu);
            if (c->len)
                f->count++;
        }
        f->failed = r < 0;
        f->done = r <= 0;
        pthread_cond_signal(&f->filled);
        pthread_mutex_unlock(&f->mu);
    }
    pthread_mutex_lock(&f->mu);
    f->done = 1;
    pthread_cond_signal(&f->filled);
    pthread_mutex_unlock(&f->mu);
    return NULL;
}

static void inflow_free(struct ra_inflow *f)
{
    unsigned i;

    if (f->a)
        archive_read_free(f->a);
    ra_gunzip_free(f->gz);
    free(f->scratch);
    if (f->fd >= 0)
        close(f->fd);
    for (i = 0; i < INFLOW_CHUNKS; i++)
        free(f->ring[i].buf);
    free(f);
}

/* A regular file holding a POSIX or GNU tar: "ustar" at byte 257 of the first header. */
static int open_plain_tar(struct ra_inflow *f, const char *path)
{
    char head[512];
    struct stat st;
    ssize_t n;

    f->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (f->fd < 0)
        return 0;
    if (fstat(f->fd, &st) < 0 || !S_ISREG(st.st_mode))
        return 0;
    do
        n = pread(f->fd, head, sizeof(head), 0);
    while (n < 0 && errno == EINTR);
    if (n != (ssize_t)sizeof(head) || memcmp(head + 257, "ustar", 5))
        return 0;
    f->size = (uint64_t)st.st_size;
    return 1;
}

/* A regular file holding gzip data: zlib inflates it here, member by member, and
 * checks each trailer, which libarchive's gzip filter does not. */
static int open_gzip(struct ra_inflow *f, const char *path)
{
    struct stat st;

    f->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (f->fd < 0 || fstat(f->fd, &st) < 0 || !S_ISREG(st.st_mode) ||
        !ra_gunzip_sniff(f->fd))
        return 0;
    ra_gunzip_new(&f->gz, f->fd);
    f->scratch = ra_xmalloc(INFLOW_SCRATCH);
    return 1;
}

/* A file libarchive decompresses: a filter other than "none" applies. */
static int open_compressed(struct ra_inflow *f, const char *path)
{
    struct archive_entry *ae;
    int r;

    f->a = archive_read_new();
    if (!f->a)
        return 0;
    archive_read_support_filter_all(f->a);
    archive_read_support_format_raw(f->a);
    return archive_read_open_filename(f->a, path, INFLOW_BLOCK) == ARCHIVE_OK &&
           archive_filter_count(f->a) >= 2 &&
           ((r = archive_read_next_header(f->a, &ae)) == ARCHIVE_OK || r == ARCHIVE_WARN);
}

int ra_inflow_open(struct ra_inflow **out, const char *path, int plain_tar,
                   struct ra_err *err)
{
    struct ra_inflow *f;
    unsigned i;
    int r;

    assert(out && path);
    *out = NULL;
    f = ra_xcalloc(1, sizeof(*f));
    f->fd = -1;
    if (!plain_tar || !open_plain_tar(f, path)) {
        if (f->fd >= 0)
            close(f->fd);
        f->fd = -1;
    }
    if (f->fd < 0 && !open_gzip(f, path)) {
        if (f->fd >= 0)
            close(f->fd);
        f->fd = -1;
        if (!open_compressed(f, path)) {
            inflow_free(f); /* neither: the ordinary path reads it and says what it is */
            return 0;
        }
    }
    for (i = 0; i < INFLOW_CHUNKS; i++)
        f->ring[i].buf = ra_xmalloc(INFLOW_CHUNK);
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->filled, NULL);
    pthread_cond_init(&f->emptied, NULL);
    if ((r = pthread_create(&f->thread, NULL, pump, f))) {
        pthread_cond_destroy(&f->emptied);
        pthread_cond_destroy(&f->filled);
        pthread_mutex_destroy(&f->mu);
        inflow_free(f);
        return ra_err_set(err, RA_ERROR, "'%s': cannot start a thread: %s", path,
                          strerror(r));
    }
    *out = f;
    return 1;
}

/* Hand back the chunk the caller holds. Under the lock. */
static void release(struct ra_inflow *f)
{
    if (f->holding) {
        f->holding = 0;
        f->head = (f->head + 1) % INFLOW_CHUNKS;
        f->count--;
        pthread_cond_signal(&f->emptied);
    }
}

ssize_t ra_inflow_read(struct ra_inflow *f, const void **buf)
{
    struct chunk *c;
    ssize_t n;

    pthread_mutex_lock(&f->mu);
    release(f);
    while (!f->count && !f->done)
        pthread_cond_wait(&f->filled, &f->mu);
    if (f->count) {
        c = &f->ring[f->head];
        f->holding = 1;
        *buf = c->buf + c->off;
        n = (ssize_t)(c->len - c->off);
    } else {
        *buf = NULL;
        n = f->failed ? -1 : 0;
    }
    pthread_mutex_unlock(&f->mu);
    return n;
}

int64_t ra_inflow_skip(struct ra_inflow *f, int64_t request)
{
    struct chunk *c;
    uint64_t got;

    if (request <= 0)
        return 0;
    pthread_mutex_lock(&f->mu);
    release(f);
    f->skip = (uint64_t)request;
    for (;;) {
        while (f->count && f->skip) {
            c = &f->ring[f->head];
            if (c->len - c->off > f->skip) {
                c->off += (size_t)f->skip;
                f->skip = 0;
                break;
            }
            f->skip -= c->len - c->off;
            f->head = (f->head + 1) % INFLOW_CHUNKS;
            f->count--;
        }
        if (!f->skip || (f->done && !f->count))
            break;
        pthread_cond_signal(
            &f->emptied); /* the ring is empty: the thread drops the rest */
        pthread_cond_wait(&f->filled, &f->mu);
    }
    got = (uint64_t)request - f->skip;
    f->skip = 0;
    pthread_cond_signal(&f->emptied);
    pthread_mutex_unlock(&f->mu);
    return (int64_t)got;
}

int ra_inflow_finish(struct ra_inflow *f)
{
    ra_inflow_skip(f, INT64_MAX);
    return *ra_inflow_error(f) ? -1 : 0;
}

const char *ra_inflow_error(struct ra_inflow *f)
{
    const char *s;

    pthread_mutex_lock(&f->mu);
    s = f->failed ? f->error : "";
    pthread_mutex_unlock(&f->mu);
    return s;
}

uint64_t ra_inflow_bytes_in(struct ra_inflow *f)
{
    return atomic_load_explicit(&f->bytes_in, memory_order_relaxed);
}

void ra_inflow_close(struct ra_inflow *f)
{
    if (!f)
        return;
    pthread_mutex_lock(&f->mu);
    f->stop = 1;
    pthread_cond_signal(&f->emptied);
    pthread_mutex_unlock(&f->mu);
    pthread_join(f->thread, NULL);
    pthread_cond_destroy(&f->emptied);
    pthread_cond_destroy(&f->filled);
    pthread_mutex_destroy(&f->mu);
    inflow_free(f);
}
