/* SPDX-License-Identifier: MIT */
/* Content digests. */
#include "model/digest.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int ra_digest_from_hex(struct ra_digest *out, const char *hex, size_t len)
{
    size_t i;

    if (len != 64)
        return RA_EFORMAT;
    for (i = 0; i < 32; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return RA_EFORMAT;
        out->b[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

int ra_digest_parse(struct ra_digest *out, const char *s, size_t len)
{
    if (len < 7 || memcmp(s, "sha256:", 7))
        return RA_EFORMAT;
    return ra_digest_from_hex(out, s + 7, len - 7);
}

char *ra_digest_format(char out[RA_DIGEST_STRLEN], const struct ra_digest *d)
{
    static const char hex[] = "0123456789abcdef";
    size_t i;

    memcpy(out, "sha256:", 7);
    for (i = 0; i < 32; i++) {
        out[7 + 2 * i] = hex[d->b[i] >> 4];
        out[8 + 2 * i] = hex[d->b[i] & 15];
    }
    out[71] = '\0';
    return out;
}

char *ra_digest_short(char out[RA_DIGEST_STRLEN], const struct ra_digest *d)
{
    ra_digest_format(out, d);
    out[7 + 12] = '\0';
    return out;
}

int ra_digest_cmp(const struct ra_digest *a, const struct ra_digest *b)
{
    return memcmp(a->b, b->b, sizeof(a->b));
}

int ra_digest_is_zero(const struct ra_digest *d)
{
    static const struct ra_digest zero;
    return !memcmp(d, &zero, sizeof(zero));
}
