/* SPDX-License-Identifier: MIT */
/* Markdown and Mermaid from untrusted text: every value from the evidence renders as
 * literal text in GitHub's renderer (no HTML, links, images, emphasis or mentions). */
#ifndef RA_REPORT_MD_H
#define RA_REPORT_MD_H

#include <stddef.h>

#include "util/buf.h"

/*
 * Append the n bytes at s as inline Markdown text, valid in table cells, prose and
 * headings. Backslash-escaped: '\\', '`', '*', '[', ']', '<', '>', '|', '&', '#', '~'
 * and '@' ('!' is harmless once '[' is escaped); '_' unless between two letters or
 * digits; ':' before "//" and '.' after "www" (GFM's bare autolinks); a leading '-',
 * '+' or '=' that could start a list item, rule or heading underline; the '.' or ')'
 * of a leading "1. " list marker. An '@' after a letter, digit or one of ".+-_" gets
 * "&#8288;" (an invisible word joiner) before it: GFM links e-mail addresses after
 * escapes are resolved. Control
 * bytes (line breaks, ESC, NUL, DEL, C1) become "\xNN", as `scan` prints them.
 */
void ra_md_text(struct ra_buf *out, const char *s, size_t n);

/*
 * Append s as a code span for a table cell: a backtick fence longer than any run of
 * backticks in s (padded with spaces when s starts or ends with one), '|' as "\|",
 * control bytes as "\xNN". Nothing is appended for the empty string.
 */
void ra_md_code_cell(struct ra_buf *out, const char *s);

/* The backtick fence for a fenced code block holding s: three backticks, or one more
 * than the longest run of backticks in s. Returns out's string (borrowed). */
const char *ra_md_fence(struct ra_buf *out, const char *s);

/*
 * Append s as text for a Mermaid diagram line: the characters Mermaid or its fence
 * read as syntax ('%' of "%%" directives, ':', ';', '#', '`', '<', '>', '&', '"')
 * become Mermaid entity codes ("#37;", "#58;", ...), and control
 * bytes become spaces.
 */
void ra_md_mermaid(struct ra_buf *out, const char *s);

#endif
