/* SPDX-License-Identifier: MIT */
/* The default templates, compiled into the binary (generated at build time from
 * the .mustache files in templates/ by cmake/embed_templates.cmake), so that a copied
 * executable renders the post-mortem without its share directory. */
#ifndef RA_REPORT_BUILTIN_H
#define RA_REPORT_BUILTIN_H

#include <stddef.h>

struct ra_builtin_template {
    const char *name; /* file name without ".mustache": "postmortem.md", "summary" */
    const char *src;  /* its bytes, NUL-terminated */
    size_t len;
};

/* Sorted by name, ended by an entry with a NULL name. */
extern const struct ra_builtin_template ra_builtin_templates[];

#endif
