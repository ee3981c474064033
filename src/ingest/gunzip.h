/* SPDX-License-Identifier: MIT */
/* Decompress a gzip file with zlib, checking every member's trailer. libarchive's gzip
 * filter stops at the end of the deflate data and never compares the trailer's CRC-32
 * and length with what it produced, so a corrupted .tar.gz that still inflates would
 * read as complete; zlib's inflate in gzip mode checks both, member after member. */
#ifndef RA_INGEST_GUNZIP_H
#define RA_INGEST_GUNZIP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ra_gunzip;

/* Does the file open as fd start like a gzip file (bytes 1f 8b, method deflate)? Reads
 * its first bytes with pread; the file offset does not move. */
int ra_gunzip_sniff(int fd);

/* Decompress from fd (borrowed: the caller closes it), from its start. Memory: zlib's
 * state and a 1 MiB input buffer, whatever the file's size. */
void ra_gunzip_new(struct ra_gunzip **out, int fd);

/* Up to len uncompressed bytes into buf. Returns how many, 0 at the end of the last
 * member, -1 on a failure with msg (msg_len bytes, NUL-terminated) saying what: a
 * trailer whose CRC-32 or length does not match the data, corrupt deflate data, a
 * file that ends inside a member, data after the last member that is not gzip, or a
 * read error. */
ssize_t ra_gunzip_read(struct ra_gunzip *g, void *buf, size_t len, char *msg,
                       size_t msg_len);

/* Compressed bytes consumed from the file so far. */
uint64_t ra_gunzip_bytes_in(const struct ra_gunzip *g);

/* NULL is fine. */
void ra_gunzip_free(struct ra_gunzip *g);

#endif
