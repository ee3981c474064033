/* SPDX-License-Identifier: MIT */
/* Shell quoting for the commands a report prints for an operator to paste: the one
 * function every value from the evidence or the command line goes through. */
#ifndef RA_UTIL_SHELL_H
#define RA_UTIL_SHELL_H

#include "util/buf.h"

/*
 * Append s to out as one POSIX shell word that expands to exactly s, with no
 * expansion, substitution or globbing: s itself when it is non-empty and made only of
 * [A-Za-z0-9_./:@%+,=-] (and does not start with '=' or '-'), else s in single quotes
 * with each "'" written as '\''. Every byte but NUL is kept, so a printed command is
 * only safe to paste when ra_shell_pasteable(s) holds too.
 */
void ra_shell_quote(struct ra_buf *out, const char *s);

/*
 * Can s appear in a printed command? It must be valid UTF-8 without control bytes
 * (line breaks, ESC, DEL, C1): what a report shows is then what the shell receives,
 * never a "\xff" stand-in for a byte and never a line break inside a quoted word.
 */
int ra_shell_pasteable(const char *s);

#endif
