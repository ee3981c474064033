/* SPDX-License-Identifier: MIT */
/* Problems with files: recorded in a list, sorted by place. */
#include "config/text/problem.h"

#include <string.h>

#include "util/buf.h"

void ra_problem_addv(struct ra_vec *list, struct ra_pool *pool, const char *path,
                     unsigned line, int code, const char *fmt, va_list ap)
{
    struct ra_problem *p = ra_pool_alloc(pool, sizeof(*p));
    struct ra_buf b = RA_BUF_INIT;

    ra_buf_vprintf(&b, fmt, ap);
    p->path = path;
    p->line = line;
    p->code = code;
    p->msg = ra_pool_strdup(pool, ra_buf_cstr(&b));
    ra_buf_release(&b);
    ra_vec_push(list, p);
}

int ra_problem_cmp_place(const char *path_a, unsigned line_a, const char *tie_a,
                         const char *path_b, unsigned line_b, const char *tie_b)
{
    int c = strcmp(path_a, path_b);

    if (c)
        return c;
    if (line_a != line_b)
        return line_a < line_b ? -1 : 1;
    return strcmp(tie_a, tie_b);
}

int ra_problem_cmp(const void *a, const void *b)
{
    const struct ra_problem *x = *(const struct ra_problem *const *)a;
    const struct ra_problem *y = *(const struct ra_problem *const *)b;

    return ra_problem_cmp_place(x->path, x->line, x->msg, y->path, y->line, y->msg);
}
