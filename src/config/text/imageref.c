/* SPDX-License-Identifier: MIT */
/* Image references: the one parser of config/, normal form, matching, version, and
 * whether a reference names the registry. */
#include "config/text/imageref.h"

#include <assert.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

static int span_eq(const char *a, size_t an, const char *b, size_t bn)
{
    return an == bn && !memcmp(a, b, an);
}

static int span_ieq(const char *a, size_t an, const char *b)
{
    return an == strlen(b) && !strncasecmp(a, b, an);
}

/* Docker's rule: a first segment with '.' or ':' or "localhost" is a registry host. A
 * variable there ("$REGISTRY/app", "{{ registry }}/app") is taken for one too. */
static int is_host(const char *s, size_t n)
{
    return memchr(s, '.', n) || memchr(s, ':', n) || memchr(s, '$', n) ||
           memchr(s, '{', n) || span_ieq(s, n, "localhost");
}

int ra_imageref_has_host(const char *ref)
{
    const char *slash = strchr(ref, '/');

    return slash && is_host(ref, (size_t)(slash - ref));
}

static int is_hub(const char *s, size_t n)
{
    return span_ieq(s, n, "docker.io") || span_ieq(s, n, "index.docker.io") ||
           span_ieq(s, n, "registry-1.docker.io");
}

void ra_imageref_parse(struct ra_imageref *r, const char *s)
{
    size_t len = strlen(s);
    const char *at, *end, *slash = NULL, *colon, *p;

    memset(r, 0, sizeof(*r));
    at = memchr(s, '@', len);
    end = at ? at : s + len;
    for (p = s; p < end; p++) {
        if (*p == '/')
            slash = p;
    }
    /* the first ':' after the last '/': "${TAG:-latest}" holds one more */
    for (colon = slash ? slash : s; colon < end && *colon != ':'; colon++)
        ;
    if (colon == end)
        colon = NULL;
    if (at) {
        r->digest = at + 1;
        r->digest_len = len - (size_t)(at + 1 - s);
    }
    if (colon) {
        r->tag = colon + 1;
        r->tag_len = (size_t)(end - colon - 1);
        end = colon;
    }
    r->path = s;
    r->path_len = (size_t)(end - s);
    r->name_len = r->path_len;
    p = memchr(s, '/', r->path_len);
    if (p && is_host(s, (size_t)(p - s))) {
        r->host = s;
        r->host_len = (size_t)(p - s);
        r->path = p + 1;
        r->path_len = (size_t)(end - p - 1);
        r->explicit_host = 1;
        if (is_hub(r->host, r->host_len))
            r->host = NULL;
    }
    if (!r->host && r->path_len > 8 && !memcmp(r->path, "library/", 8) &&
        !memchr(r->path + 8, '/', r->path_len - 8)) {
        r->path += 8;
        r->path_len -= 8;
    }
}

/* "library/x" on a mirror's host is Docker Hub's "x". */
static void strip_library(const char **p, size_t *n)
{
    if (*n > 8 && !memcmp(*p, "library/", 8) && !memchr(*p + 8, '/', *n - 8)) {
        *p += 8;
        *n -= 8;
    }
}

/* Same tag (a missing one is "latest" unless a digest is given) and same digest when
 * both have one. */
static int version_eq(const struct ra_imageref *a, const struct ra_imageref *b)
{
    const char *ta = a->tag ? a->tag : a->digest ? NULL : "latest";
    const char *tb = b->tag ? b->tag : b->digest ? NULL : "latest";
    size_t na = a->tag ? a->tag_len : 6, nb = b->tag ? b->tag_len : 6;

    if (a->digest && b->digest &&
        !span_eq(a->digest, a->digest_len, b->digest, b->digest_len))
        return 0;
    if (ta && tb)
        return span_eq(ta, na, tb, nb);
    return a->digest && b->digest; /* a digest alone: the digests decide */
}

static int host_eq(const struct ra_imageref *a, const struct ra_imageref *b)
{
    if (!a->host || !b->host)
        return !a->host && !b->host;
    return a->host_len == b->host_len && !strncasecmp(a->host, b->host, a->host_len);
}

int ra_imageref_match(const char *a, const char *b)
{
    struct ra_imageref x, y;

    assert(a && b);
    ra_imageref_parse(&x, a);
    ra_imageref_parse(&y, b);
    return host_eq(&x, &y) && span_eq(x.path, x.path_len, y.path, y.path_len) &&
           version_eq(&x, &y);
}

int ra_imageref_answers(const struct ra_imageref *q, const struct ra_imageref *c)
{
    const char *qp = q->path, *cp = c->path;
    size_t qn = q->path_len, cn = c->path_len;

    if (!version_eq(q, c))
        return 0;
    if (q->explicit_host)
        return host_eq(q, c) && span_eq(qp, qn, cp, cn);
    strip_library(&qp, &qn);
    strip_library(&cp, &cn);
    return span_eq(qp, qn, cp, cn);
}

void ra_imageref_normalize(struct ra_buf *out, const char *ref)
{
    struct ra_imageref r;

    assert(out && ref);
    ra_buf_truncate(out, 0);
    ra_imageref_parse(&r, ref);
    if (r.host) {
        ra_buf_put(out, r.host, r.host_len);
        ra_buf_putc(out, '/');
    }
    ra_buf_put(out, r.path, r.path_len);
    if (r.tag) {
        ra_buf_putc(out, ':');
        ra_buf_put(out, r.tag, r.tag_len);
    } else if (!r.digest) {
        ra_buf_puts(out, ":latest");
    }
    if (r.digest) {
        ra_buf_putc(out, '@');
        ra_buf_put(out, r.digest, r.digest_len);
    }
}

static int pinned_tag(const char *t, size_t n)
{
    size_t i = 0, dots = 0;

    if (i < n && t[i] == 'v')
        i++;
    for (;;) {
        size_t d = i;
        while (i < n && isdigit((unsigned char)t[i]))
            i++;
        if (i == d)
            return 0;
        if (dots == 2)
            return 1; /* 2.8.3, 2.8.3-alpine, 3.0.0-rc.1 */
        if (i == n || t[i] != '.')
            return 0;
        dots++;
        i++;
    }
}

void ra_imageref_version(const char **version, size_t *version_len, int *floating,
                         const char *ref)
{
    struct ra_imageref r;

    ra_imageref_parse(&r, ref);
    if (r.digest) {
        *version = r.digest;
        *version_len = r.digest_len;
        *floating = 0;
    } else if (r.tag && r.tag_len) {
        *version = r.tag;
        *version_len = r.tag_len;
        *floating = !pinned_tag(r.tag, r.tag_len) || memchr(r.tag, '$', r.tag_len) ||
                    memchr(r.tag, '{', r.tag_len);
    } else {
        *version = "latest";
        *version_len = 6;
        *floating = 1;
    }
}

static int seg_eq(const char *s, size_t n, const char *want)
{
    size_t i;

    if (n != strlen(want))
        return 0;
    for (i = 0; i < n; i++) {
        if (tolower((unsigned char)s[i]) != want[i])
            return 0;
    }
    return 1;
}

int ra_imageref_is_registry(const char *ref)
{
    size_t name_len, nseg = 0, i, start = 0;
    const char *seg[8];
    size_t seglen[8];
    struct ra_imageref r;

    ra_imageref_parse(&r, ref);
    name_len = r.name_len;
    for (i = 0; i <= name_len; i++) {
        if (i == name_len || ref[i] == '/') {
            if (nseg == 8)
                return 0;
            seg[nseg] = ref + start;
            seglen[nseg++] = i - start;
            start = i + 1;
        }
    }
    if (nseg >= 2 && seg_eq(seg[nseg - 2], seglen[nseg - 2], "distribution") &&
        seg_eq(seg[nseg - 1], seglen[nseg - 1], "distribution"))
        return 1;
    if (!seg_eq(seg[nseg - 1], seglen[nseg - 1], "registry"))
        return 0;
    if (nseg == 1)
        return 1;
    if (seg_eq(seg[nseg - 2], seglen[nseg - 2], "library"))
        return 1;
    /* "host/registry": a mirror of the official image */
    return nseg == 2 &&
           (memchr(seg[0], '.', seglen[0]) || memchr(seg[0], ':', seglen[0]) ||
            seg_eq(seg[0], seglen[0], "localhost"));
}
