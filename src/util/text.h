/* SPDX-License-Identifier: MIT */
/* Making untrusted names (archive members, repository and tag names) safe to print:
 * valid UTF-8 for JSON, no control characters for terminals and Markdown. */
#ifndef RA_UTIL_TEXT_H
#define RA_UTIL_TEXT_H

#include "util/buf.h"

enum ra_text_flags {
    RA_TEXT_UTF8 = 1 << 0,     /* invalid UTF-8 bytes become "\xNN" */
    RA_TEXT_CONTROLS = 1 << 1, /* control characters become "\xNN" too */
};

/* Append s to out, escaped as flags say. Returns out's string (borrowed). */
const char *ra_text_safe(struct ra_buf *out, const char *s, unsigned flags);

/* Is s valid UTF-8 without control characters? */
int ra_text_is_clean(const char *s);

/* The noun for a count in English text: one when n == 1, else many
 * ("1 tag", "0 tags", "2 tags"). Returns one of the two (borrowed). */
const char *ra_text_plural(unsigned long long n, const char *one, const char *many);

#endif
