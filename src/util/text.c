/* SPDX-License-Identifier: MIT */
/* Safe printing of untrusted names. */
#include "util/text.h"

/* Length of the valid UTF-8 sequence at p, or 0. */
static size_t utf8_len(const unsigned char *p)
{
    unsigned c = p[0];
    size_t n, i;
    unsigned cp;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        n = 3, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 4, cp = c & 0x07;
    else
        return 0;
    for (i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3f);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return n;
}

/* C0 controls, DEL, and the C1 controls U+0080..U+009F (CSI is U+009B). */
static int is_control(const unsigned char *p)
{
    return *p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f);
}

const char *ra_text_safe(struct ra_buf *out, const char *s, unsigned flags)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        size_t n = utf8_len(p);
        if ((!n && (flags & RA_TEXT_UTF8)) ||
            ((flags & RA_TEXT_CONTROLS) && is_control(p))) {
            n = n ? n : 1; /* a C1 control: escape both of its bytes */
            while (n--)
                ra_buf_printf(out, "\\x%02x", *p++);
        } else {
            n = n ? n : 1;
            ra_buf_put(out, p, n);
            p += n;
        }
    }
    return ra_buf_cstr(out);
}

int ra_text_is_clean(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        size_t n = utf8_len(p);
        if (!n || is_control(p))
            return 0;
        p += n;
    }
    return 1;
}

const char *ra_text_plural(unsigned long long n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}
