/* SPDX-License-Identifier: MIT */
/* Markdown and Mermaid escaping of untrusted text. */
#include "report/md.h"

#include <string.h>

/* GFM links an e-mail address after inline parsing, escapes or not: an invisible
 * U+2060 between its local part and '@' keeps it text. */
#define WORD_JOINER "&#8288;"

static int is_ctl(unsigned char c)
{
    return c < 0x20 || c == 0x7f;
}

/* A C1 control (U+0080..U+009F) starts at s[i]. */
static int is_c1(const char *s, size_t n, size_t i)
{
    return (unsigned char)s[i] == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
           (unsigned char)s[i + 1] <= 0x9f;
}

static int is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* "www" (any case) ends just before s[i], at the start of a word. */
static int after_www(const char *s, size_t i)
{
    size_t k;

    if (i < 3)
        return 0;
    for (k = i - 3; k < i; k++)
        if (s[k] != 'w' && s[k] != 'W')
            return 0;
    return i == 3 || !is_alnum(s[i - 4]);
}

/* Index of the '.' or ')' of a leading ordered-list marker ("12." / "3)"), or 0. */
static size_t list_marker(const char *s, size_t n)
{
    size_t i = 0;

    while (i < n && i < 9 && s[i] >= '0' && s[i] <= '9')
        i++;
    if (!i || i == n || (s[i] != '.' && s[i] != ')'))
        return 0;
    return i + 1 == n || s[i + 1] == ' ' || s[i + 1] == '\t' ? i : 0;
}

static int needs_escape(const char *s, size_t n, size_t i, size_t marker)
{
    char c = s[i];

    if (strchr("\\`*[]<>|&#~@", c) && c)
        return 1;
    if (c == '_') /* between two letters or digits it opens and closes nothing */
        return i == 0 || i + 1 == n || !is_alnum(s[i - 1]) || !is_alnum(s[i + 1]);
    if (i == 0 && (c == '-' || c == '+' || c == '=')) /* a list item, rule or underline */
        return n == 1 || s[1] == ' ' || s[1] == '\t' || s[1] == c;
    if (marker && i == marker)
        return 1;
    if (c == ':' && i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/')
        return 1;
    return c == '.' && after_www(s, i);
}

/* A control character at s[*i] (C0, DEL or a two-byte C1) written as \xNN escapes,
 * *i left on its last byte; 0 when s[*i] is none. */
static int put_control(struct ra_buf *out, const char *s, size_t n, size_t *i)
{
    unsigned char c = (unsigned char)s[*i];

    if (is_ctl(c)) {
        ra_buf_printf(out, "\\x%02x", c);
    } else if (is_c1(s, n, *i)) {
        ra_buf_printf(out, "\\x%02x\\x%02x", c, (unsigned char)s[*i + 1]);
        ++*i;
    } else {
        return 0;
    }
    return 1;
}

void ra_md_text(struct ra_buf *out, const char *s, size_t n)
{
    size_t i, marker = list_marker(s, n);

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!put_control(out, s, n, &i)) {
            if (c == '@' && i > 0 && (is_alnum(s[i - 1]) || strchr(".+-_", s[i - 1])))
                ra_buf_puts(out, WORD_JOINER);
            if (needs_escape(s, n, i, marker))
                ra_buf_putc(out, '\\');
            ra_buf_putc(out, (char)c);
        }
    }
}

static size_t longest_backticks(const char *s)
{
    size_t run = 0, best = 0;

    for (; *s; s++) {
        run = *s == '`' ? run + 1 : 0;
        if (run > best)
            best = run;
    }
    return best;
}

static void backticks(struct ra_buf *out, size_t n)
{
    while (n--)
        ra_buf_putc(out, '`');
}

void ra_md_code_cell(struct ra_buf *out, const char *s)
{
    size_t n = strlen(s), fence = longest_backticks(s) + 1, i;
    int pad;

    if (!n)
        return;
    pad = s[0] == '`' || s[n - 1] == '`' || s[0] == ' ' || s[n - 1] == ' ';
    backticks(out, fence);
    if (pad)
        ra_buf_putc(out, ' ');
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (put_control(out, s, n, &i))
            continue;
        if (c == '|')
            ra_buf_puts(out, "\\|");
        else
            ra_buf_putc(out, (char)c);
    }
    if (pad)
        ra_buf_putc(out, ' ');
    backticks(out, fence);
}

const char *ra_md_fence(struct ra_buf *out, const char *s)
{
    size_t n = longest_backticks(s) + 1;

    backticks(out, n < 3 ? 3 : n);
    return ra_buf_cstr(out);
}

void ra_md_mermaid(struct ra_buf *out, const char *s)
{
    static const char special[] = "%:;#`<>&\"";
    size_t n = strlen(s), i;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_ctl(c)) {
            ra_buf_putc(out, ' ');
        } else if (is_c1(s, n, i)) {
            ra_buf_putc(out, ' ');
            i++;
        } else if (strchr(special, c) && c) {
            ra_buf_printf(out, "#%u;", c);
        } else {
            ra_buf_putc(out, (char)c);
        }
    }
}
