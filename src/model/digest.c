/* SPDX-License-Identifier: MIT */
/* Content digests. */
#include "model/digest.h"

/* 1 + the value of each lowercase hex digit; 0 for every other byte. */
static const uint8_t hexval[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,
    ['6'] = 7,  ['7'] = 8,  ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12,
    ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
};

int ra_digest_from_hex(struct ra_digest *out, const char *hex, size_t len)
{
    const unsigned char *p = (const unsigned char *)hex;
    struct ra_digest d;
    size_t i;
    int ok = 1;

    if (len != 64)
        return RA_EFORMAT;
    for (i = 0; i < 32; i++) {
        unsigned hi = hexval[p[2 * i]], lo = hexval[p[2 * i + 1]];
        ok &= hi && lo;
        d.b[i] = (uint8_t)((hi - 1) << 4 | ((lo - 1) & 15));
    }
    if (ok) {
        *out = d;
        return 0;
    }
    /* as before: the bytes before the first bad pair are written */
    for (i = 0; hexval[p[2 * i]] && hexval[p[2 * i + 1]]; i++)
        out->b[i] = d.b[i];
    return RA_EFORMAT;
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
