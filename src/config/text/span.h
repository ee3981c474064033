/* SPDX-License-Identifier: MIT */
/* Spans of text ([s, s + len)) cut to what they hold: white space around them, a pair of
 * quotes. For expressions and values read from config files. */
#ifndef RA_CONFIG_TEXT_SPAN_H
#define RA_CONFIG_TEXT_SPAN_H

#include <stddef.h>

/* Move *s and shorten *len past white space (isspace) at both ends. */
void ra_span_trim(const char **s, size_t *len);

/* Drop one pair of matching quotes ('...' or "...") around the span, if it has them. */
void ra_span_unquote(const char **s, size_t *len);

#endif
