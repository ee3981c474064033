/* SPDX-License-Identifier: MIT */
/* Read an archive file on a second thread. libarchive runs its filters (gzip, zstd,
 * xz, ...) and the format reader (tar, ...) on one thread, one after the other; here
 * the filters (zlib for gzip, or, for a plain tar, the read system calls) run on a
 * thread of their own, feeding the bytes through a ring of a few fixed-size chunks to the
 * caller, whose libarchive reader then only parses the format. Memory: the ring (4 x 1
 * MiB) plus libarchive's buffers, whatever the file's size. */
#ifndef RA_INGEST_INFLOW_H
#define RA_INGEST_INFLOW_H

#include <stdint.h>
#include <sys/types.h>

#include "util/common.h"

struct ra_inflow;

/* Start the thread if path is a compressed file (a libarchive filter other than
 * "none" applies), or, with plain_tar, a plain POSIX/GNU tar. Returns 1 and *out when it
 * started; 0 and *out = NULL for anything else (a zip, 7-Zip or ISO needs seeking; an
 * unreadable file gets the ordinary reader's message); negative with err set when the
 * thread cannot be started. */
int ra_inflow_open(struct ra_inflow **out, const char *path, int plain_tar,
                   struct ra_err *err);

/* The next chunk of uncompressed bytes, valid until the next call (libarchive's read
 * callback contract). Returns its length, 0 at the end, -1 when decompression failed:
 * ra_inflow_error() says why. Blocks until the thread has filled a chunk. */
ssize_t ra_inflow_read(struct ra_inflow *f, const void **buf);

/* Pass over the next request bytes (libarchive's skip callback contract): what the
 * ring holds is dropped, the rest is decompressed by the thread without being copied.
 * Returns the bytes passed over: fewer than asked only at the end of the stream or on
 * a failure, which the next ra_inflow_read reports. */
int64_t ra_inflow_skip(struct ra_inflow *f, int64_t request);

/* Pass over everything the stream has left: the tar reader stops at its end-of-archive
 * blocks, and a gzip trailer or a zstd or xz check can come after them. Returns 0 when
 * the stream ended cleanly, -1 when it failed: ra_inflow_error() says why. */
int ra_inflow_finish(struct ra_inflow *f);

/* The message for the failure (libarchive's, zlib's or the file's); "" before one. */
const char *ra_inflow_error(struct ra_inflow *f);

/* Compressed bytes the thread has consumed from the file so far (it runs ahead of the
 * reader by at most the ring). */
uint64_t ra_inflow_bytes_in(struct ra_inflow *f);

/* Stop the thread (wherever it is) and free everything. NULL is fine. */
void ra_inflow_close(struct ra_inflow *f);

#endif
