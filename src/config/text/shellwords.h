/* SPDX-License-Identifier: MIT */
/* Shell text split into words, as a POSIX shell would for reading commands: quotes,
 * backslashes, comments, the operators that separate commands; on request line
 * continuations, $(...) kept whole and redirections dropped. Not a shell: nothing is
 * expanded. The one splitter of config/ (jobs classify commands, pipelines find pushes).
 */
#ifndef RA_CONFIG_TEXT_SHELLWORDS_H
#define RA_CONFIG_TEXT_SHELLWORDS_H

#include "util/buf.h"
#include "util/common.h"

#define RA_SHELLWORDS_MAX 256

enum ra_shellwords_flags {
    /* '\n' separates commands and "\<newline>" continues a line; a comment ends at the
     * newline. Without it a newline is a blank and a comment ends the text. */
    RA_SHELLWORDS_LINES = 1 << 0,
    /* $(...), `...` and ${...} stay whole inside their word. Without it "$(" and '`' are
     * operators. */
    RA_SHELLWORDS_GROUPS = 1 << 1,
    /* Redirections (">", "2>&1", "<<EOF", "> file") are dropped with their target. */
    RA_SHELLWORDS_REDIRECTS = 1 << 2,
};

/* Words and operators (; && || | & ( ), and with no GROUPS $( and `). */
struct ra_shellwords {
    struct ra_buf buf; /* NUL-separated words */
    size_t off[RA_SHELLWORDS_MAX];
    unsigned char op[RA_SHELLWORDS_MAX]; /* 1: an operator */
    size_t n;
    unsigned line; /* ra_shellwords_command: the line of the first word */
};

/* Where reading a text has got to: set p to the text, flags, line to its first line. */
struct ra_shellwords_lexer {
    const char *p;
    unsigned flags;
    unsigned line;
};

/* Split s into words and operators, at most RA_SHELLWORDS_MAX (the rest is not read). */
void ra_shellwords_split(struct ra_shellwords *w, const char *s, unsigned flags);

/* The next simple command of lx: its words (no operators; at most RA_SHELLWORDS_MAX, the
 * rest dropped) into w, emptied first, and the line its first word is on. Returns 0 when
 * the text has ended and no word was read (w->n may be 0 otherwise: ";;"). */
int ra_shellwords_command(struct ra_shellwords *w, struct ra_shellwords_lexer *lx);

/* Word i (borrowed from w). */
const char *ra_shellwords_at(const struct ra_shellwords *w, size_t i);

void ra_shellwords_release(struct ra_shellwords *w);

/* Is s a variable assignment ("NAME=...")? */
int ra_shellwords_is_assign(const char *s);

/* The last path segment of a program ("/usr/bin/docker" -> "docker"). */
const char *ra_shellwords_base(const char *s);

/* Is s one of the NULL-terminated list (NULL: none)? */
int ra_shellwords_one_of(const char *s, const char *const *list);

#endif
