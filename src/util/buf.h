/* SPDX-License-Identifier: MIT */
/* Growable byte/string buffer, always NUL-terminated (libgit2 git_str, git strbuf). */
#ifndef RA_UTIL_BUF_H
#define RA_UTIL_BUF_H

#include "util/common.h"

struct ra_buf {
    char *ptr; /* NUL-terminated; never NULL after the first write */
    size_t len;
    size_t cap;
};

/* clang-format off */
#define RA_BUF_INIT {NULL, 0, 0}
/* clang-format on */

/* Make room for at least `extra` more bytes. Aborts on OOM. */
void ra_buf_grow(struct ra_buf *b, size_t extra);
void ra_buf_put(struct ra_buf *b, const void *data, size_t len);
void ra_buf_puts(struct ra_buf *b, const char *s);
void ra_buf_putc(struct ra_buf *b, char c);
void ra_buf_printf(struct ra_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ra_buf_vprintf(struct ra_buf *b, const char *fmt, va_list ap);

/* The contents as a C string ("" when empty); borrowed. */
const char *ra_buf_cstr(const struct ra_buf *b);

/* Empty the buffer, keeping its allocation. */
void ra_buf_truncate(struct ra_buf *b, size_t len);

/* Take the string; the buffer is left empty. The caller frees the result. */
char *ra_buf_detach(struct ra_buf *b);

/* Free the contents; the buffer is left as RA_BUF_INIT. */
void ra_buf_release(struct ra_buf *b);

#endif
