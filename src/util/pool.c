/* SPDX-License-Identifier: MIT */
/* Arena allocator. */
#include "util/pool.h"

#include <stdalign.h>
#include <stdlib.h>

#define POOL_PAGE_SIZE (64 * 1024 - 64)

struct ra_pool_page {
    struct ra_pool_page *next;
    size_t size;
    size_t avail;
    alignas(max_align_t) unsigned char data[];
};

void *ra_pool_alloc(struct ra_pool *p, size_t n)
{
    struct ra_pool_page *page = p->pages;
    size_t align = alignof(max_align_t), size;
    void *ptr;

    if (ra_add_overflow(&n, n, align - 1))
        ra_xmalloc(SIZE_MAX);
    n &= ~(align - 1);
    if (!n)
        n = align;

    if (!page || page->avail < n) {
        size = n > POOL_PAGE_SIZE / 4 ? n : POOL_PAGE_SIZE;
        page = ra_xmalloc(sizeof(*page) + size);
        page->size = size;
        page->avail = size;
        if (p->pages && size != POOL_PAGE_SIZE) {
            /* a big one-off: keep the current page for small allocations */
            page->next = p->pages->next;
            p->pages->next = page;
        } else {
            page->next = p->pages;
            p->pages = page;
        }
    }
    ptr = page->data + (page->size - page->avail);
    page->avail -= n;
    p->used += n;
    memset(ptr, 0, n);
    return ptr;
}

char *ra_pool_strndup(struct ra_pool *p, const char *s, size_t n)
{
    char *d = ra_pool_alloc(p, n + 1);

    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *ra_pool_strdup(struct ra_pool *p, const char *s)
{
    return ra_pool_strndup(p, s, strlen(s));
}

void ra_pool_release(struct ra_pool *p)
{
    struct ra_pool_page *page = p->pages, *next;

    while (page) {
        next = page->next;
        free(page);
        page = next;
    }
    p->pages = NULL;
    p->used = 0;
}
