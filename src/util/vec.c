/* SPDX-License-Identifier: MIT */
/* Growable array of pointers. */
#include "util/vec.h"

#include <stdlib.h>

void ra_vec_push(struct ra_vec *v, void *item)
{
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8, bytes;
        if (ra_mul_overflow(&bytes, cap, sizeof(*v->items)))
            ra_xmalloc(SIZE_MAX);
        v->items = ra_xrealloc(v->items, bytes);
        v->cap = cap;
    }
    v->items[v->len++] = item;
}

/* cmp receives pointers to elements, i.e. (void *const *), as qsort gives them. */
void ra_vec_sort(struct ra_vec *v, int (*cmp)(const void *a, const void *b))
{
    if (v->len > 1)
        qsort(v->items, v->len, sizeof(*v->items), cmp);
}

void ra_vec_release(struct ra_vec *v)
{
    free(v->items);
    v->items = NULL;
    v->len = v->cap = 0;
}
