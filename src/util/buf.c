/* SPDX-License-Identifier: MIT */
/* Growable byte/string buffer. */
#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>

void ra_buf_grow(struct ra_buf *b, size_t extra)
{
    size_t need, cap;

    if (ra_add_overflow(&need, b->len, extra) || ra_add_overflow(&need, need, 1))
        ra_xmalloc(SIZE_MAX); /* aborts */
    if (need <= b->cap)
        return;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    b->ptr = ra_xrealloc(b->ptr, cap);
    b->cap = cap;
}

void ra_buf_put(struct ra_buf *b, const void *data, size_t len)
{
    ra_buf_grow(b, len);
    if (len)
        memcpy(b->ptr + b->len, data, len);
    b->len += len;
    b->ptr[b->len] = '\0';
}

void ra_buf_puts(struct ra_buf *b, const char *s)
{
    ra_buf_put(b, s, strlen(s));
}

void ra_buf_putc(struct ra_buf *b, char c)
{
    ra_buf_put(b, &c, 1);
}

void ra_buf_vprintf(struct ra_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    int n;

    va_copy(cp, ap);
    n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return;
    ra_buf_grow(b, (size_t)n);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void ra_buf_printf(struct ra_buf *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    ra_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

const char *ra_buf_cstr(const struct ra_buf *b)
{
    return b->ptr ? b->ptr : "";
}

void ra_buf_truncate(struct ra_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->ptr[len] = '\0';
    }
}

char *ra_buf_detach(struct ra_buf *b)
{
    char *p = b->ptr ? b->ptr : ra_xstrdup("");

    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}

void ra_buf_release(struct ra_buf *b)
{
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}
