/* SPDX-License-Identifier: MIT */
/* A flat JSON tokenizer that gives up on anything jansson might read differently. */
#include "util/jsontok.h"

#include <stdlib.h>

#define JTOK_MAX_DEPTH 64
#define JTOK_MAX_NUMBER 18 /* bytes: fits a long long, and a double exactly */

struct tz {
    const unsigned char *base, *p, *end;
    struct ra_jdoc *doc;
};

static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_ws(struct tz *z)
{
    while (z->p < z->end && is_ws(*z->p))
        z->p++;
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static size_t push(struct tz *z, enum ra_jtok_type type)
{
    struct ra_jdoc *d = z->doc;
    struct ra_jtok *t;

    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 256;
        d->toks = ra_xrealloc(d->toks, d->cap * sizeof(*d->toks));
    }
    t = &d->toks[d->n];
    memset(t, 0, sizeof(*t));
    t->type = (uint8_t)type;
    t->start = (uint32_t)(z->p - z->base);
    t->next = (uint32_t)++d->n;
    return d->n - 1;
}

static int hex4(const unsigned char *p, unsigned *out)
{
    unsigned v = 0, c;
    int i;

    for (i = 0; i < 4; i++) {
        c = p[i];
        if (is_digit((unsigned char)c))
            c -= '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            c = (c | 0x20) - 'a' + 10;
        else
            return -1;
        v = v << 4 | c;
    }
    *out = v;
    return 0;
}

/* A string at z->p (its opening quote). */
static int string(struct tz *z, int key)
{
    size_t t = push(z, RA_JTOK_STRING);
    const unsigned char *p = z->p + 1;
    unsigned u;
    int escaped = 0;

    for (; p < z->end; p++) {
        if (*p == '"') {
            z->doc->toks[t].start = (uint32_t)(z->p + 1 - z->base);
            z->doc->toks[t].len = (uint32_t)(p - z->p - 1);
            z->doc->toks[t].escaped = (uint8_t)escaped;
            z->doc->escaped_key |= key && escaped;
            z->p = p + 1;
            return 0;
        }
        if (*p < 0x20 || *p >= 0x80)
            return -1;
        if (*p != '\\')
            continue;
        escaped = 1;
        if (++p >= z->end)
            return -1;
        if (*p == 'u') {
            if (z->end - p < 5 || hex4(p + 1, &u) < 0 || !u ||
                (u >= 0xd800 && u <= 0xdfff))
                return -1;
            p += 4;
        } else if (!*p || !strchr("\"\\/bfnrt", *p)) {
            return -1;
        }
    }
    return -1;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)? in at most JTOK_MAX_NUMBER bytes; no exponent. */
static int number(struct tz *z)
{
    const unsigned char *p = z->p, *end = z->end;
    enum ra_jtok_type type = RA_JTOK_INT;
    size_t t;

    if (p < end && *p == '-')
        p++;
    if (p >= end || !is_digit(*p))
        return -1;
    if (*p == '0')
        p++;
    else
        while (p < end && is_digit(*p))
            p++;
    if (p < end && *p == '.') {
        type = RA_JTOK_REAL;
        if (++p >= end || !is_digit(*p))
            return -1;
        while (p < end && is_digit(*p))
            p++;
    }
    if (p - z->p > JTOK_MAX_NUMBER || (p < end && (*p == 'e' || *p == 'E')))
        return -1;
    t = push(z, type);
    z->doc->toks[t].len = (uint32_t)(p - z->p);
    z->p = p;
    return 0;
}

static int literal(struct tz *z, const char *lit, enum ra_jtok_type type)
{
    size_t n = strlen(lit);
    size_t t;

    if ((size_t)(z->end - z->p) < n || memcmp(z->p, lit, n))
        return -1;
    t = push(z, type);
    z->doc->toks[t].len = (uint32_t)n;
    z->p += n;
    return 0;
}

static int value(struct tz *z, int depth);

static int container(struct tz *z, int depth)
{
    int object = *z->p == '{';
    unsigned char close = object ? '}' : ']';
    size_t t = push(z, object ? RA_JTOK_OBJECT : RA_JTOK_ARRAY);

    if (depth >= JTOK_MAX_DEPTH)
        return -1;
    z->p++;
    skip_ws(z);
    if (z->p < z->end && *z->p == close) {
        z->p++;
        return 0;
    }
    for (;;) {
        if (object) {
            if (z->p >= z->end || *z->p != '"' || string(z, 1) < 0)
                return -1;
            skip_ws(z);
            if (z->p >= z->end || *z->p++ != ':')
                return -1;
            skip_ws(z);
        }
        if (value(z, depth + 1) < 0)
            return -1;
        z->doc->toks[t].size++;
        z->doc->toks[t].next = (uint32_t)z->doc->n;
        skip_ws(z);
        if (z->p >= z->end)
            return -1;
        if (*z->p == close) {
            z->p++;
            return 0;
        }
        if (*z->p++ != ',')
            return -1;
        skip_ws(z);
    }
}

static int value(struct tz *z, int depth)
{
    if (z->p >= z->end)
        return -1;
    switch (*z->p) {
    case '{':
    case '[':
        return container(z, depth);
    case '"':
        return string(z, 0);
    case 't':
        return literal(z, "true", RA_JTOK_TRUE);
    case 'f':
        return literal(z, "false", RA_JTOK_FALSE);
    case 'n':
        return literal(z, "null", RA_JTOK_NULL);
    default:
        return number(z);
    }
}

int ra_jdoc_parse(struct ra_jdoc *doc, const char *text, size_t len)
{
    struct tz z;

    doc->text = text;
    doc->n = 0;
    doc->escaped_key = 0;
    if (len > UINT32_MAX)
        return RA_EFORMAT;
    z.base = z.p = (const unsigned char *)text;
    z.end = z.p + len;
    z.doc = doc;
    skip_ws(&z);
    if (value(&z, 0) < 0)
        return RA_EFORMAT;
    skip_ws(&z);
    return z.p == z.end ? 0 : RA_EFORMAT;
}

size_t ra_jdoc_get(const struct ra_jdoc *doc, size_t obj, const char *key)
{
    const struct ra_jtok *t = doc->toks;
    size_t klen = strlen(key), i, k, found = 0;

    if (obj >= doc->n || t[obj].type != RA_JTOK_OBJECT)
        return 0;
    for (i = 0, k = obj + 1; i < t[obj].size; i++, k = t[k + 1].next) {
        if (t[k].len == klen && !memcmp(doc->text + t[k].start, key, klen))
            found = k + 1;
    }
    return found;
}

long long ra_jdoc_int(const struct ra_jdoc *doc, size_t tok)
{
    const char *p = doc->text + doc->toks[tok].start, *end = p + doc->toks[tok].len;
    long long v = 0;
    int neg = *p == '-';

    for (p += neg; p < end; p++)
        v = v * 10 + (*p - '0');
    return neg ? -v : v;
}

void ra_jdoc_release(struct ra_jdoc *doc)
{
    free(doc->toks);
    doc->toks = NULL;
    doc->n = doc->cap = 0;
}
