/* SPDX-License-Identifier: MIT */
/* Open-addressing hash map from byte keys to pointers. Keys are borrowed: the caller
 * keeps them alive (usually in a ra_pool) as long as the map. Digest keys hash cheaply
 * because their bytes are already uniform. */
#ifndef RA_UTIL_MAP_H
#define RA_UTIL_MAP_H

#include "util/common.h"

struct ra_map_slot {
    const void *key;
    size_t keylen;
    uint64_t hash;
    void *value;
};

struct ra_map {
    struct ra_map_slot *slots;
    size_t cap; /* power of two, or 0 */
    size_t count;
};

/* clang-format off */
#define RA_MAP_INIT {NULL, 0, 0}
/* clang-format on */

/* Look a key up; NULL when absent. */
void *ra_map_get(const struct ra_map *m, const void *key, size_t keylen);
/* Insert or replace. Returns the previous value, or NULL. Aborts on OOM. */
void *ra_map_put(struct ra_map *m, const void *key, size_t keylen, void *value);
/* Address of the value slot for key, inserting NULL when absent (*created set). */
void **ra_map_slot(struct ra_map *m, const void *key, size_t keylen, int *created);
/* Remove a key; returns its value, or NULL when absent. Invalidates iterators. */
void *ra_map_del(struct ra_map *m, const void *key, size_t keylen);
/* Iterate: start with *iter = 0; returns 0 at the end. Order is not meaningful. */
int ra_map_next(const struct ra_map *m, size_t *iter, const void **key, size_t *keylen,
                void **value);
/* Convenience for NUL-terminated string keys. */
void *ra_map_gets(const struct ra_map *m, const char *key);
void ra_map_release(struct ra_map *m);

#endif
