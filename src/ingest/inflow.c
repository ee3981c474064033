/* SPDX-License-Identifier: MIT */
/* Decompression on a second thread: libarchive's "raw" format over all its filters
 * yields the uncompressed stream, which is copied into a ring of chunks that the
 * caller's reader takes one at a time. One mutex and two condition variables guard the
 * ring's counters; a chunk's bytes are written by the thread before it is counted and
 * read by the caller after, so neither side touches them under the lock. */
#include "ingest/inflow.h"

#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#define INFLOW_CHUNK (1024 * 1024)
#define INFLOW_CHUNKS 4
#define INFLOW_BLOCK (1024 * 1024) /* what libarchive reads from the file at a time */

struct chunk {
    char *buf;
    size_t len;
};

struct ra_inflow {
    struct archive *a;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t filled;  /* a chunk was counted, or the thread finished */
    pthread_cond_t emptied; /* a chunk was handed back, or the caller stopped */
    struct chunk ring[INFLOW_CHUNKS];
    unsigned head;  /* the chunk the caller takes next (or holds) */
    unsigned count; /* chunks filled and not yet handed back, held one included */
    int holding;    /* the caller holds ring[head] */
    int done;       /* the thread has finished: end of data, or failed */
    int stop;       /* the caller wants the thread to finish now */
    int failed;
    char error[512];
    _Atomic uint64_t bytes_in;
};

/* Thread: fill chunks until the end, a failure, or stop. */
static void *pump(void *arg)
{
    struct ra_inflow *f = arg;
    const void *block = NULL;
    size_t left = 0, len, n;
    la_int64_t offset;
    struct chunk *c;
    int eof = 0, failed = 0, r;

    while (!eof && !failed) {
        pthread_mutex_lock(&f->mu);
        while (f->count == INFLOW_CHUNKS && !f->stop)
            pthread_cond_wait(&f->emptied, &f->mu);
        if (f->stop) {
            pthread_mutex_unlock(&f->mu);
            break;
        }
        c = &f->ring[(f->head + f->count) % INFLOW_CHUNKS];
        pthread_mutex_unlock(&f->mu);

        for (len = 0; len < INFLOW_CHUNK;) {
            if (!left) {
                r = archive_read_data_block(f->a, &block, &left, &offset);
                atomic_store_explicit(&f->bytes_in,
                                      (uint64_t)archive_filter_bytes(f->a, -1),
                                      memory_order_relaxed);
                if (r == ARCHIVE_EOF) {
                    eof = 1;
                    break;
                }
                if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
                    const char *msg = archive_error_string(f->a);
                    snprintf(f->error, sizeof(f->error), "%s", msg ? msg : "unknown error");
                    failed = 1;
                    break;
                }
            }
            n = INFLOW_CHUNK - len < left ? INFLOW_CHUNK - len : left;
            memcpy(c->buf + len, block, n);
            block = (const char *)block + n;
            left -= n;
            len += n;
        }
        c->len = len;

        pthread_mutex_lock(&f->mu);
        if (len)
            f->count++;
        f->failed = failed;
        f->done = eof || failed;
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
    for (i = 0; i < INFLOW_CHUNKS; i++)
        free(f->ring[i].buf);
    free(f);
}

int ra_inflow_open(struct ra_inflow **out, const char *path, struct ra_err *err)
{
    struct archive_entry *ae;
    struct ra_inflow *f;
    unsigned i;
    int r;

    assert(out && path);
    *out = NULL;
    f = ra_xcalloc(1, sizeof(*f));
    f->a = archive_read_new();
    if (!f->a) {
        inflow_free(f);
        return ra_err_set(err, RA_ERROR, "'%s': cannot set up libarchive", path);
    }
    archive_read_support_filter_all(f->a);
    archive_read_support_format_raw(f->a);
    if (archive_read_open_filename(f->a, path, INFLOW_BLOCK) != ARCHIVE_OK ||
        archive_filter_count(f->a) < 2 ||
        ((r = archive_read_next_header(f->a, &ae)) != ARCHIVE_OK && r != ARCHIVE_WARN)) {
        inflow_free(f); /* not compressed, or not readable: the ordinary path says so */
        return 0;
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

ssize_t ra_inflow_read(struct ra_inflow *f, const void **buf)
{
    ssize_t n;

    pthread_mutex_lock(&f->mu);
    if (f->holding) {
        f->holding = 0;
        f->head = (f->head + 1) % INFLOW_CHUNKS;
        f->count--;
        pthread_cond_signal(&f->emptied);
    }
    while (!f->count && !f->done)
        pthread_cond_wait(&f->filled, &f->mu);
    if (f->count) {
        f->holding = 1;
        *buf = f->ring[f->head].buf;
        n = (ssize_t)f->ring[f->head].len;
    } else {
        *buf = NULL;
        n = f->failed ? -1 : 0;
    }
    pthread_mutex_unlock(&f->mu);
    return n;
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
