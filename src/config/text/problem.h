/* SPDX-License-Identifier: MIT */
/* The one problem type of config/: a file (or a line of it) that could not be read, for
 * jobs and pipelines alike, and the order every list of the layer is sorted in. */
#ifndef RA_CONFIG_TEXT_PROBLEM_H
#define RA_CONFIG_TEXT_PROBLEM_H

#include <stdarg.h>

#include "util/common.h"
#include "util/pool.h"
#include "util/vec.h"

/* A file that could not be read, or only in part. The rest of the set is still read. */
struct ra_problem {
    const char *path;
    unsigned line; /* 0 when not about one line */
    int code; /* RA_EFORMAT (unparsable), RA_ELIMIT (too large), RA_ENOTFOUND (a timer's
                 service), RA_EIO (the caller could not read it), RA_ERROR */
    const char *msg;
};

/* Append a struct ra_problem * to list, allocated with msg (formatted from fmt and ap)
 * in pool; path is kept as given (it must live as long as pool). */
void ra_problem_addv(struct ra_vec *list, struct ra_pool *pool, const char *path,
                     unsigned line, int code, const char *fmt, va_list ap);

/* The order of every list of this layer: by path, then line, then a string that breaks
 * ties (an id, an image, a message). strcmp-like. */
int ra_problem_cmp_place(const char *path_a, unsigned line_a, const char *tie_a,
                         const char *path_b, unsigned line_b, const char *tie_b);

/* qsort/ra_vec_sort comparator of struct ra_problem pointers, in that order. */
int ra_problem_cmp(const void *a, const void *b);

#endif
