/* SPDX-License-Identifier: MIT */
/* Decompress an archive file on a second thread. libarchive runs its filters (gzip,
 * zstd, xz, ...) and the format reader (tar, ...) on one thread, one after the other;
 * here the filters run on a thread of their own, feeding the uncompressed bytes through
 * a ring of a few fixed-size chunks to the caller, whose libarchive reader then only
 * parses the format. Memory: the ring (INFLOW_CHUNKS x INFLOW_CHUNK bytes) plus
 * libarchive's buffers, whatever the file's size. */
#ifndef RA_INGEST_INFLOW_H
#define RA_INGEST_INFLOW_H

#include <stdint.h>
#include <sys/types.h>

#include "util/common.h"

struct ra_inflow;

/* Open path with every libarchive filter and start the thread if a compression filter
 * applies. Returns 1 and *out when it started; 0 and *out = NULL when the file is not
 * compressed or libarchive cannot open it (read it the ordinary way, which also gives
 * the ordinary error); RA_ENOMEM-style failures of the thread itself return negative
 * with err set. */
int ra_inflow_open(struct ra_inflow **out, const char *path, struct ra_err *err);

/* The next chunk of uncompressed bytes, valid until the next call (libarchive's read
 * callback contract). Returns its length, 0 at the end, -1 when decompression failed:
 * ra_inflow_error() says why. Blocks until the thread has filled a chunk. */
ssize_t ra_inflow_read(struct ra_inflow *f, const void **buf);

/* libarchive's message for the failure; "" before one. */
const char *ra_inflow_error(struct ra_inflow *f);

/* Compressed bytes the thread has consumed from the file so far (it runs ahead of the
 * reader by at most the ring). */
uint64_t ra_inflow_bytes_in(struct ra_inflow *f);

/* Stop the thread (wherever it is) and free everything. NULL is fine. */
void ra_inflow_close(struct ra_inflow *f);

#endif
