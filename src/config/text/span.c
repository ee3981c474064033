/* SPDX-License-Identifier: MIT */
/* Trimming and unquoting spans of text. */
#include "config/text/span.h"

#include <ctype.h>

void ra_span_trim(const char **s, size_t *len)
{
    while (*len && isspace((unsigned char)**s))
        ++*s, --*len;
    while (*len && isspace((unsigned char)(*s)[*len - 1]))
        --*len;
}

void ra_span_unquote(const char **s, size_t *len)
{
    if (*len >= 2 && (**s == '"' || **s == '\'') && (*s)[*len - 1] == **s) {
        ++*s;
        *len -= 2;
    }
}
