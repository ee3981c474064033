/* SPDX-License-Identifier: MIT */
/* Fuzz target: the registry storage path grammar (ingest/layout). The input is one member
 * name, any bytes. Checks: every slice lies inside the input and the kind is one of the
 * enum's; for a name normalised as ingest/source delivers it (no NUL, no leading "/" or
 * "./", no "//", no trailing "/"), repository kinds have a name, and a path rebuilt from
 * what was parsed parses back to the same thing. */
#include "fuzz.h"

#include <string.h>

#include "ingest/layout.h"
#include "util/buf.h"

static void check_slice(const struct ra_slice *s, const char *path, size_t len)
{
    if (!s->len)
        return;
    FUZZ_CHECK(s->ptr >= path && s->ptr + s->len <= path + len);
}

static int has_repo(enum ra_path_kind k)
{
    return k >= RA_PATH_LAYER_LINK && k <= RA_PATH_REPO_OTHER;
}

/* The canonical path of a parsed member, or "" when the kind has none. */
static void rebuild(struct ra_buf *b, const struct ra_path *p)
{
    char d[RA_DIGEST_STRLEN];
    const char *hex = ra_digest_format(d, &p->digest) + strlen("sha256:");
    const char *sep = p->root.len ? "/" : "";
    int r = (int)p->root.len, n = (int)p->repo.len, t = (int)p->tag.len;
    int u = (int)p->upload.len;
    const char *R = p->root.ptr, *N = p->repo.ptr, *T = p->tag.ptr, *U = p->upload.ptr;

    switch (p->kind) {
    case RA_PATH_BLOB_DATA:
        ra_buf_printf(b, "%.*s%sblobs/sha256/%.2s/%s/data", r, R, sep, hex, hex);
        break;
    case RA_PATH_LAYER_LINK:
        ra_buf_printf(b, "%.*s%srepositories/%.*s/_layers/sha256/%s/link", r, R, sep, n,
                      N, hex);
        break;
    case RA_PATH_REVISION_LINK:
        ra_buf_printf(b, "%.*s%srepositories/%.*s/_manifests/revisions/sha256/%s/link", r,
                      R, sep, n, N, hex);
        break;
    case RA_PATH_TAG_CURRENT:
        ra_buf_printf(b, "%.*s%srepositories/%.*s/_manifests/tags/%.*s/current/link", r,
                      R, sep, n, N, t, T);
        break;
    case RA_PATH_TAG_INDEX:
        ra_buf_printf(b,
                      "%.*s%srepositories/%.*s/_manifests/tags/%.*s/index/sha256/%s/link",
                      r, R, sep, n, N, t, T, hex);
        break;
    case RA_PATH_UPLOAD_DATA:
        ra_buf_printf(b, "%.*s%srepositories/%.*s/_uploads/%.*s/data", r, R, sep, n, N, u,
                      U);
        break;
    case RA_PATH_UPLOAD_STARTED:
        ra_buf_printf(b, "%.*s%srepositories/%.*s/_uploads/%.*s/startedat", r, R, sep, n,
                      N, u, U);
        break;
    default:
        break;
    }
}

static int slice_eq(const struct ra_slice *a, const struct ra_slice *b)
{
    return a->len == b->len && (!a->len || !memcmp(a->ptr, b->ptr, a->len));
}

/* With an empty root, a repository named ".../docker/registry/v2/..." reads as a root
 * (the grammar's documented ambiguity), so the round trip only holds without one. */
static int round_trip_holds(const struct ra_path *p)
{
    static const char marker[] = "docker/registry/v2";
    const char *q;
    size_t left;

    if (p->root.len)
        return 1;
    for (q = p->repo.ptr, left = p->repo.len; left >= sizeof(marker) - 1; q++, left--)
        if (!memcmp(q, marker, sizeof(marker) - 1))
            return 0;
    return 1;
}

static int normalised(const char *path, size_t len)
{
    size_t i;

    if (len && (path[0] == '/' || path[len - 1] == '/'))
        return 0;
    if (len >= 2 && path[0] == '.' && path[1] == '/')
        return 0;
    for (i = 0; i < len; i++)
        if (!path[i] || (path[i] == '/' && i + 1 < len && path[i + 1] == '/'))
            return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = (const char *)data;
    struct ra_buf b = RA_BUF_INIT;
    struct ra_path p, q;

    ra_layout_parse(&p, path, size);
    FUZZ_CHECK(p.kind >= RA_PATH_NONE && p.kind <= RA_PATH_REPO_OTHER);
    check_slice(&p.root, path, size);
    check_slice(&p.repo, path, size);
    check_slice(&p.tag, path, size);
    check_slice(&p.upload, path, size);
    if (!normalised(path, size))
        return 0;
    FUZZ_CHECK(!has_repo(p.kind) || p.repo.len > 0);

    rebuild(&b, &p);
    if (b.len && round_trip_holds(&p)) {
        ra_layout_parse(&q, b.ptr, b.len);
        FUZZ_CHECK(q.kind == p.kind);
        FUZZ_CHECK(slice_eq(&q.root, &p.root) && slice_eq(&q.repo, &p.repo));
        FUZZ_CHECK(slice_eq(&q.tag, &p.tag) && slice_eq(&q.upload, &p.upload));
        FUZZ_CHECK(!ra_digest_cmp(&q.digest, &p.digest));
    }
    ra_buf_release(&b);
    return 0;
}
