/* SPDX-License-Identifier: MIT */
/* Content digests: sha256 as 32 raw bytes, the key type of every table. */
#ifndef RA_MODEL_DIGEST_H
#define RA_MODEL_DIGEST_H

#include "util/common.h"

struct ra_digest {
    uint8_t b[32];
};

/* "sha256:" + 64 hex + NUL */
#define RA_DIGEST_STRLEN 72

/* Parse "sha256:<64 lowercase hex>". RA_EFORMAT otherwise (the registry accepts
 * only lowercase hex). */
int ra_digest_parse(struct ra_digest *out, const char *s, size_t len);
/* Parse 64 lowercase hex characters (a path segment). */
int ra_digest_from_hex(struct ra_digest *out, const char *hex, size_t len);
/* Format as "sha256:<hex>" into out; returns out. */
char *ra_digest_format(char out[RA_DIGEST_STRLEN], const struct ra_digest *d);
/* Short form "sha256:abcdef012345" for human output. */
char *ra_digest_short(char out[RA_DIGEST_STRLEN], const struct ra_digest *d);
int ra_digest_cmp(const struct ra_digest *a, const struct ra_digest *b);
int ra_digest_is_zero(const struct ra_digest *d);

#endif
