/* SPDX-License-Identifier: MIT */
/* SHA-256, the only module that touches OpenSSL. */
#ifndef RA_UTIL_SHA256_H
#define RA_UTIL_SHA256_H

#include "util/common.h"

#define RA_SHA256_LEN 32

struct ra_sha256;

/* Start a hash. The caller frees it with ra_sha256_free. */
int ra_sha256_new(struct ra_sha256 **out, struct ra_err *err);
void ra_sha256_update(struct ra_sha256 *h, const void *data, size_t len);
/* Finish into out; the context may then be reused after ra_sha256_reset. */
void ra_sha256_final(struct ra_sha256 *h, uint8_t out[RA_SHA256_LEN]);
void ra_sha256_reset(struct ra_sha256 *h);
void ra_sha256_free(struct ra_sha256 *h);

/* One-shot hash of a buffer. */
void ra_sha256_buf(uint8_t out[RA_SHA256_LEN], const void *data, size_t len);

#endif
