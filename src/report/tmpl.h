/* SPDX-License-Identifier: MIT */
/* Mustache-subset template engine rendering a jansson document into Markdown:
 * variables, sections, inverted sections, partials, comments, set-delimiter. */
#ifndef RA_REPORT_TMPL_H
#define RA_REPORT_TMPL_H

#include "util/buf.h"

struct json_t; /* jansson's json_t, so includers need not include <jansson.h> */

/* Limits: partial nesting, section nesting within one template, context stack depth,
 * partial name length and the size of a partial read by ra_tmpl_dir_loader. */
#define RA_TMPL_MAX_PARTIAL_DEPTH 32
#define RA_TMPL_MAX_SECTION_DEPTH 64
#define RA_TMPL_MAX_CONTEXT 512
#define RA_TMPL_MAX_NAME 128
#define RA_TMPL_MAX_FILE (1024 * 1024)

/*
 * Fetch the source of partial `name` (a NUL-terminated tag name) by appending it to
 * `out`. Return 0, RA_ENOTFOUND when there is no such partial (the engine then reports
 * "unknown partial" with the tag's position, replacing any message set here), or
 * another negative code with `err` set, which the engine passes on unchanged.
 */
typedef int (*ra_tmpl_loader)(struct ra_buf *out, const char *name, void *payload,
                              struct ra_err *err);

/*
 * Render template `src` (`len` bytes, need not be NUL-terminated) against `data`,
 * appending the result to `out`. `name` is used in error messages only
 * ("template 'postmortem.md': line 12, column 5: unknown partial 'timelin'").
 * `data` is borrowed (not modified, no reference taken); it may be NULL.
 *
 * The language is the Mustache spec without lambdas: {{name}}, {{{name}}}, {{&name}},
 * {{#name}}...{{/name}}, {{^name}}...{{/name}}, {{> partial}}, {{! comment}},
 * {{=<% %>=}}, dotted names, {{.}}, and standalone-line removal; standalone partials
 * re-indent every line of their content. Differences from the spec:
 *
 *   - {{name}} escapes for Markdown, not HTML (ra_md_text in report/md.h): the
 *     value renders as literal text in a table cell, prose or a heading, with no
 *     HTML, link, image or emphasis; '|' becomes "\|" and control bytes, line breaks
 *     included, become "\xNN" so a value stays in one table row. {{{name}}} and
 *     {{&name}} write the value unchanged.
 *   - An unknown partial is an error, not the empty string.
 *
 * Values print as JSON would: strings as their contents, integers in decimal, reals
 * in the shortest "%.17g"-style form that reads back exactly (3.0 prints "3"),
 * true/false as "true"/"false"; null and missing names print nothing; arrays and
 * objects print as compact JSON with sorted keys. Falsy for sections: false, null,
 * missing and the empty array; everything else (including "" and 0) is truthy.
 *
 * Partials are fetched through `loader` (called with `payload`) at most once per name
 * per render; a NULL loader makes every partial unknown.
 *
 * Returns 0, RA_EFORMAT for a malformed template or partial (unclosed tag or section,
 * mismatched close tag, empty tag name, bad delimiters), RA_ENOTFOUND for an unknown
 * partial, RA_ELIMIT when a limit above is hit, or the loader's own error. Messages
 * name the template (or partial) with line and column. On failure `out` is restored to
 * its previous length.
 */
int ra_tmpl_render(struct ra_buf *out, const char *name, const char *src, size_t len,
                   struct json_t *data, ra_tmpl_loader loader, void *payload,
                   struct ra_err *err);

/*
 * A loader reading "<dir>/<name>.mustache", where `payload` is the directory as a
 * const char *. Names that are empty, start with '.' or contain '/' are refused with
 * RA_ENOTFOUND so partials stay inside the directory. Returns 0, RA_ENOTFOUND,
 * RA_ELIMIT for a file larger than RA_TMPL_MAX_FILE, or RA_EIO.
 */
int ra_tmpl_dir_loader(struct ra_buf *out, const char *name, void *payload,
                       struct ra_err *err);

#endif
