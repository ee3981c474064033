/* SPDX-License-Identifier: MIT */
/* Arena allocator: many small allocations freed at once (libgit2 src/util/pool.h). */
#ifndef RA_UTIL_POOL_H
#define RA_UTIL_POOL_H

#include "util/common.h"

struct ra_pool_page;

struct ra_pool {
    struct ra_pool_page *pages;
    size_t used; /* bytes handed out, for memory figures */
};

/* clang-format off */
#define RA_POOL_INIT {NULL, 0}
/* clang-format on */

/* Zeroed memory of n bytes, aligned for any type; lives until ra_pool_release. */
void *ra_pool_alloc(struct ra_pool *p, size_t n);
/* Copies of strings and byte ranges (NUL-terminated) in the pool. */
char *ra_pool_strdup(struct ra_pool *p, const char *s);
char *ra_pool_strndup(struct ra_pool *p, const char *s, size_t n);
void ra_pool_release(struct ra_pool *p);

#endif
