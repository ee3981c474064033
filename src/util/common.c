/* SPDX-License-Identifier: MIT */
/* Error detail and aborting allocators. */
#include "util/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int ra_err_set(struct ra_err *err, int code, const char *fmt, ...)
{
    va_list ap;

    if (err) {
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
    }
    return code;
}

void ra_err_clear(struct ra_err *err)
{
    if (err) {
        err->code = 0;
        err->msg[0] = '\0';
    }
}

static void oom(size_t n)
{
    /* The one place below cli/ that may print: there is nothing else to do. */
    fprintf(stderr, "regautopsy: out of memory allocating %zu bytes\n", n);
    abort();
}

void *ra_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *ra_xcalloc(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
    if (!p)
        oom(nmemb * size);
    return p;
}

void *ra_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *ra_xstrdup(const char *s)
{
    return ra_xstrndup(s, strlen(s));
}

char *ra_xstrndup(const char *s, size_t n)
{
    char *p = ra_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

const char *ra_file_kind(unsigned int mode)
{
    switch (mode & S_IFMT) {
    case S_IFIFO:
        return "a FIFO";
    case S_IFSOCK:
        return "a socket";
    case S_IFCHR:
        return "a character device";
    case S_IFBLK:
        return "a block device";
    case S_IFDIR:
        return "a directory";
    case S_IFLNK:
        return "a symbolic link";
    default:
        return "a regular file";
    }
}
