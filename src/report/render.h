/* SPDX-License-Identifier: MIT */
/* Rendering the post-mortem: the report model through a template and its partials. */
#ifndef RA_REPORT_RENDER_H
#define RA_REPORT_RENDER_H

#include "util/buf.h"

struct json_t;

/* The default template's file name inside a template directory. */
#define RA_REPORT_TEMPLATE "postmortem.md.mustache"

/* Render model with template, which is a file (its partials are looked up beside it)
 * or a directory holding RA_REPORT_TEMPLATE and its partials. Errors: RA_ENOTFOUND (no
 * such template or partial), RA_EFORMAT (template syntax: name, line, column), RA_EIO. */
int ra_report_render(struct ra_buf *out, struct json_t *model, const char *template,
                     struct ra_err *err);

/* Render model with the default templates compiled into the binary (report/builtin.h):
 * the same output as ra_report_render with the templates/ directory they were made from.
 */
int ra_report_render_builtin(struct ra_buf *out, struct json_t *model,
                             struct ra_err *err);

#endif
