/* SPDX-License-Identifier: MIT */
/* Shell quoting of untrusted values. */
#include "util/shell.h"

#include <string.h>

#include "util/text.h"

static int plain(const char *s)
{
    if (!*s || *s == '=' || *s == '-')
        return 0;
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || (c && strchr("_./:@%+,=-", c))))
            return 0;
    }
    return 1;
}

void ra_shell_quote(struct ra_buf *out, const char *s)
{
    if (plain(s)) {
        ra_buf_puts(out, s);
        return;
    }
    ra_buf_putc(out, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            ra_buf_puts(out, "'\\''");
        else
            ra_buf_putc(out, *s);
    }
    ra_buf_putc(out, '\'');
}

int ra_shell_pasteable(const char *s)
{
    return ra_text_is_clean(s);
}
