/* SPDX-License-Identifier: MIT */
/* Growable array of pointers. The vector does not own what the pointers point to. */
#ifndef RA_UTIL_VEC_H
#define RA_UTIL_VEC_H

#include "util/common.h"

struct ra_vec {
    void **items;
    size_t len;
    size_t cap;
};

/* clang-format off */
#define RA_VEC_INIT {NULL, 0, 0}
/* clang-format on */

void ra_vec_push(struct ra_vec *v, void *item);
void ra_vec_sort(struct ra_vec *v, int (*cmp)(const void *a, const void *b));
void ra_vec_release(struct ra_vec *v);

#endif
