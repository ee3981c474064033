/* SPDX-License-Identifier: MIT */
/* The registry storage path grammar. */
#include "ingest/layout.h"

#include <string.h>

/* A cursor over '/'-separated segments. */
struct segs {
    const char *p, *end;
};

static int next_seg(struct segs *s, struct ra_slice *out)
{
    const char *q;

    if (s->p >= s->end)
        return 0;
    q = memchr(s->p, '/', (size_t)(s->end - s->p));
    if (!q)
        q = s->end;
    out->ptr = s->p;
    out->len = (size_t)(q - s->p);
    s->p = q < s->end ? q + 1 : s->end;
    return 1;
}

static int seg_is(const struct ra_slice *s, const char *lit)
{
    size_t n = strlen(lit);
    return s->len == n && !memcmp(s->ptr, lit, n);
}

static int at_end(const struct segs *s)
{
    return s->p >= s->end;
}

/* Find where the root ends: after a "docker/registry/v2" segment triple, or at the
 * start when the path begins with "blobs/" or "repositories/". */
static int find_root(const char *path, size_t len, struct ra_slice *root,
                     struct segs *rest)
{
    static const char marker[] = "docker/registry/v2";
    const size_t mlen = sizeof(marker) - 1;
    size_t i;

    for (i = 0; i + mlen <= len; i++) {
        if ((i == 0 || path[i - 1] == '/') && !memcmp(path + i, marker, mlen) &&
            (i + mlen == len || path[i + mlen] == '/')) {
            root->ptr = path;
            root->len = i + mlen;
            rest->p = path + i + mlen + (i + mlen < len);
            rest->end = path + len;
            return 1;
        }
    }
    if ((len >= 5 && !memcmp(path, "blobs", 5) && (len == 5 || path[5] == '/')) ||
        (len >= 12 && !memcmp(path, "repositories", 12) &&
         (len == 12 || path[12] == '/'))) {
        root->ptr = path;
        root->len = 0;
        rest->p = path;
        rest->end = path + len;
        return 1;
    }
    return 0;
}

/* "sha256/<hex>/link" at the cursor, and nothing after. */
static int sha_link(struct segs *s, struct ra_digest *d)
{
    struct ra_slice a, hex, link;

    return next_seg(s, &a) && seg_is(&a, "sha256") && next_seg(s, &hex) &&
           !ra_digest_from_hex(d, hex.ptr, hex.len) && next_seg(s, &link) &&
           seg_is(&link, "link") && at_end(s);
}

static void parse_blob(struct ra_path *out, struct segs *s)
{
    struct ra_slice alg, hh, hex, data;

    if (next_seg(s, &alg) && seg_is(&alg, "sha256") && next_seg(s, &hh) && hh.len == 2 &&
        next_seg(s, &hex) && !ra_digest_from_hex(&out->digest, hex.ptr, hex.len) &&
        !memcmp(hh.ptr, hex.ptr, 2) && next_seg(s, &data) && seg_is(&data, "data") &&
        at_end(s))
        out->kind = RA_PATH_BLOB_DATA;
}

static void parse_tag(struct ra_path *out, struct segs *s)
{
    struct ra_slice seg, link;

    if (!next_seg(s, &out->tag))
        return;
    out->kind = RA_PATH_TAG_DIR;
    if (!next_seg(s, &seg))
        return;
    if (seg_is(&seg, "current")) {
        if (next_seg(s, &link) && seg_is(&link, "link") && at_end(s))
            out->kind = RA_PATH_TAG_CURRENT;
    } else if (seg_is(&seg, "index")) {
        if (sha_link(s, &out->digest))
            out->kind = RA_PATH_TAG_INDEX;
    }
}

static void parse_manifests(struct ra_path *out, struct segs *s)
{
    struct ra_slice seg;

    if (!next_seg(s, &seg))
        return;
    if (seg_is(&seg, "revisions")) {
        if (sha_link(s, &out->digest))
            out->kind = RA_PATH_REVISION_LINK;
    } else if (seg_is(&seg, "tags")) {
        out->kind = RA_PATH_TAGS_ROOT;
        parse_tag(out, s);
    }
}

static void parse_upload(struct ra_path *out, struct segs *s)
{
    struct ra_slice seg;

    if (!next_seg(s, &out->upload))
        return;
    out->kind = RA_PATH_UPLOAD_OTHER;
    if (next_seg(s, &seg) && at_end(s)) {
        if (seg_is(&seg, "data"))
            out->kind = RA_PATH_UPLOAD_DATA;
        else if (seg_is(&seg, "startedat"))
            out->kind = RA_PATH_UPLOAD_STARTED;
    }
}

static void parse_repo(struct ra_path *out, struct segs *s)
{
    struct ra_slice seg;
    const char *start = s->p;

    /* The name runs until the first _layers, _manifests or _uploads segment. */
    while (next_seg(s, &seg)) {
        if (seg_is(&seg, "_layers") || seg_is(&seg, "_manifests") ||
            seg_is(&seg, "_uploads")) {
            if (seg.ptr == start)
                return; /* no name */
            out->repo.ptr = start;
            out->repo.len = (size_t)(seg.ptr - 1 - start);
            out->kind = RA_PATH_REPO_OTHER;
            if (seg_is(&seg, "_layers")) {
                if (sha_link(s, &out->digest))
                    out->kind = RA_PATH_LAYER_LINK;
            } else if (seg_is(&seg, "_manifests")) {
                parse_manifests(out, s);
            } else {
                parse_upload(out, s);
            }
            return;
        }
    }
}

static int ends_with(const struct ra_slice *s, const char *lit)
{
    size_t n = strlen(lit);
    return s->len > n && !memcmp(s->ptr + s->len - n, lit, n);
}

/* Is seg a name a NAS or a desktop makes? The registry never writes a segment that
 * starts with '@', '#' or '.', nor one holding '@'. */
static int meta_name(const struct ra_slice *seg, enum ra_meta_kind *kind)
{
    if (seg_is(seg, "@eaDir") || ends_with(seg, "@SynoEAStream") ||
        ends_with(seg, "@SynoResource"))
        *kind = RA_META_EADIR;
    else if (seg_is(seg, "#recycle"))
        *kind = RA_META_RECYCLE;
    else if (seg_is(seg, "#snapshot"))
        *kind = RA_META_SNAPSHOT;
    else if (seg_is(seg, "@tmp"))
        *kind = RA_META_TMP;
    else if (seg_is(seg, ".DS_Store"))
        *kind = RA_META_DS_STORE;
    else if (seg->len > 2 && !memcmp(seg->ptr, "._", 2))
        *kind = RA_META_APPLEDOUBLE;
    else
        return 0;
    return 1;
}

static void parse_registry(struct ra_path *out, const char *path, size_t len);

static int more_meta(struct segs s)
{
    struct ra_slice seg;
    enum ra_meta_kind kind;

    while (next_seg(&s, &seg))
        if (meta_name(&seg, &kind))
            return 1;
    return 0;
}

/* The first metadata segment, if any: the item it names, the root it lies in, and for
 * "#recycle" the blob data it keeps. */
static int parse_meta(struct ra_path *out, const char *path, size_t len)
{
    struct segs s = {path, path + len}, rest;
    struct ra_slice seg, root;
    struct ra_path inner;
    size_t end;

    while (next_seg(&s, &seg)) {
        if (!meta_name(&seg, &out->meta))
            continue;
        end = (size_t)(seg.ptr - path) + seg.len;
        out->kind = RA_PATH_META;
        out->item.ptr = path;
        out->item.len = end;
        if (seg.ptr > path &&
            find_root(path, (size_t)(seg.ptr - 1 - path), &root, &rest)) {
            out->root = root;
            out->meta_in_root = 1;
        }
        if (out->meta == RA_META_RECYCLE && end < len && !more_meta(s)) {
            memset(&inner, 0, sizeof(inner));
            parse_registry(&inner, path + end + 1, len - end - 1);
            if (inner.kind == RA_PATH_BLOB_DATA) {
                out->kind = RA_PATH_RECYCLED_BLOB;
                out->digest = inner.digest;
            }
        }
        return 1;
    }
    return 0;
}

void ra_layout_parse(struct ra_path *out, const char *path, size_t len)
{
    memset(out, 0, sizeof(*out));
    if (!parse_meta(out, path, len))
        parse_registry(out, path, len);
}

static void parse_registry(struct ra_path *out, const char *path, size_t len)
{
    struct segs s;
    struct ra_slice top;

    if (!find_root(path, len, &out->root, &s))
        return;
    out->kind = RA_PATH_ROOT_OTHER;
    if (!next_seg(&s, &top))
        return;
    if (seg_is(&top, "blobs"))
        parse_blob(out, &s);
    else if (seg_is(&top, "repositories"))
        parse_repo(out, &s);
}

static int lower_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* [a-z0-9]+([._-][a-z0-9]+)* at s, up to the next '/' or the end; its length, or 0. */
static size_t repo_component(const char *s)
{
    size_t i = 0;

    for (;;) {
        if (!lower_alnum(s[i]))
            return 0;
        while (lower_alnum(s[i]))
            i++;
        if (s[i] == '\0' || s[i] == '/')
            return i;
        if (s[i] != '.' && s[i] != '_' && s[i] != '-')
            return 0;
        i++;
        if (s[i - 1] == '_' && s[i] == '_') /* "__" is one separator in the grammar */
            i++;
        else if (s[i - 1] == '-')
            while (s[i] == '-')
                i++;
    }
}

int ra_layout_repository_valid(const char *name)
{
    const char *s = name;
    size_t n;

    if (strlen(name) > 255)
        return 0;
    for (;;) {
        if (!(n = repo_component(s)))
            return 0;
        s += n;
        if (!*s)
            return 1;
        s++; /* '/' */
    }
}

int ra_layout_tag_valid(const char *tag)
{
    size_t i;

    if (!((tag[0] >= 'a' && tag[0] <= 'z') || (tag[0] >= 'A' && tag[0] <= 'Z') ||
          (tag[0] >= '0' && tag[0] <= '9') || tag[0] == '_'))
        return 0;
    for (i = 1; tag[i]; i++) {
        char c = tag[i];
        if (i >= 128 || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
            return 0;
    }
    return 1;
}
