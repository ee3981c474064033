/* SPDX-License-Identifier: MIT */
/* Shared basics: error codes, the error-detail struct, allocation that aborts on OOM. */
#ifndef RA_UTIL_COMMON_H
#define RA_UTIL_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Return codes: 0 is success, negative values are failures. */
enum ra_error_code {
    RA_OK = 0,
    RA_ERROR = -1,     /* anything unexpected */
    RA_ENOTFOUND = -2, /* the thing asked for is not there */
    RA_EFORMAT = -3,   /* malformed input */
    RA_ELIMIT = -4,    /* a size or count cap was hit */
    RA_EIO = -5,       /* reading failed */
    RA_EUSAGE = -6,    /* the caller asked for something impossible */
};

/* Error detail, owned by the caller and passed down (jansson's json_error_t). */
struct ra_err {
    int code;
    char msg[512];
};

/* clang-format off */
#define RA_ERR_INIT {0, {0}}
/* clang-format on */

/* Format the message into err (if not NULL) and return code. */
int ra_err_set(struct ra_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reset err to "no error". */
void ra_err_clear(struct ra_err *err);

/* What a file of this st_mode is, for messages: "a FIFO", "a socket", "a character
 * device", "a block device", "a directory", "a symbolic link", "a regular file". */
const char *ra_file_kind(unsigned int mode);

/* Allocation that aborts with a message on OOM (git's xmalloc). */
void *ra_xmalloc(size_t n);
void *ra_xcalloc(size_t nmemb, size_t size);
void *ra_xrealloc(void *p, size_t n);
char *ra_xstrdup(const char *s);
char *ra_xstrndup(const char *s, size_t n);

/* Overflow-checked size arithmetic: 0 on success, RA_ELIMIT on overflow. */
static inline int ra_add_overflow(size_t *out, size_t a, size_t b)
{
    return __builtin_add_overflow(a, b, out) ? RA_ELIMIT : 0;
}

static inline int ra_mul_overflow(size_t *out, size_t a, size_t b)
{
    return __builtin_mul_overflow(a, b, out) ? RA_ELIMIT : 0;
}

#define RA_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Last, after the libc headers whose inline definitions the macros would break
 * (glibc defines atoi inline at -O2). */
#include "util/banned.h"

#endif
