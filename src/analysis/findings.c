/* SPDX-License-Identifier: MIT */
/* Findings. */
#include "analysis/findings.h"

#include <stdio.h>

#include "util/buf.h"

static const char *const code_names[RA_F__COUNT] = {
    [RA_F_NONE] = "",
    [RA_F_TAG_TARGET_MISSING] = "tag_target_missing",
    [RA_F_MANIFEST_LINK_MISSING] = "manifest_link_missing",
    [RA_F_MANIFEST_BLOB_MISSING] = "manifest_blob_missing",
    [RA_F_INDEX_CHILD_MISSING] = "index_child_missing",
    [RA_F_BLOB_MISSING] = "blob_missing",
    [RA_F_LAYER_LINK_MISSING] = "layer_link_missing",
    [RA_F_LAYER_LINK_DANGLING] = "layer_link_dangling",
    [RA_F_LINK_INVALID] = "link_invalid",
    [RA_F_DIGEST_MISMATCH] = "digest_mismatch",
    [RA_F_SIZE_MISMATCH] = "size_mismatch",
    [RA_F_MANIFEST_UNPARSEABLE] = "manifest_unparseable",
    [RA_F_UPLOAD_STALE] = "upload_stale",
    [RA_F_BLOB_UNREFERENCED] = "blob_unreferenced",
    [RA_F_MEMBER_NOT_REGULAR] = "member_not_regular",
    [RA_F_READ_ERROR] = "read_error",
    [RA_F_NAS_METADATA] = "nas_metadata",
    [RA_F_MEMBER_DUPLICATE] = "member_duplicate",
    [RA_F_UNREADABLE] = "unreadable",
    [RA_F_NAME_INVALID] = "name_invalid",
    [RA_F_LIVE_TREE] = "live_tree",
};

const char *ra_finding_code_name(enum ra_finding_code code)
{
    return (unsigned)code < RA_F__COUNT ? code_names[code] : "";
}

const char *ra_severity_name(enum ra_severity sev)
{
    static const char *const names[] = {"critical", "error", "warning", "info"};
    return (unsigned)sev < RA_ARRAY_SIZE(names) ? names[sev] : "";
}

const char *ra_object_kind_name(enum ra_object_kind k)
{
    static const char *const names[] = {"blob", "manifest_link", "layer_link", "tag"};
    return (unsigned)k < RA_ARRAY_SIZE(names) ? names[k] : "";
}

static struct ra_finding *add_v(struct ra_findings *f, enum ra_finding_code code,
                                enum ra_severity sev, const char *repo, const char *tag,
                                const struct ra_digest *digest,
                                const struct ra_digest *parent, const char *path,
                                const char *fmt, va_list ap)
{
    struct ra_buf key = RA_BUF_INIT, msg = RA_BUF_INIT;
    struct ra_finding *x;
    char d1[RA_DIGEST_STRLEN] = "", d2[RA_DIGEST_STRLEN] = "";

    if (digest)
        ra_digest_format(d1, digest);
    if (parent)
        ra_digest_format(d2, parent);
    ra_buf_printf(&key, "%d%c%s%c%s%c%s%c%s%c%s", (int)code, 0, repo ? repo : "", 0,
                  tag ? tag : "", 0, d1, 0, d2, 0, path ? path : "");
    if ((x = ra_map_get(&f->seen, key.ptr, key.len))) {
        if (sev < x->severity)
            x->severity = sev;
        ra_buf_release(&key);
        return x;
    }
    ra_buf_vprintf(&msg, fmt, ap);
    x = ra_pool_alloc(&f->pool, sizeof(*x));
    x->code = code;
    x->severity = sev;
    x->repository = ra_pool_strdup(&f->pool, repo ? repo : "");
    x->tag = ra_pool_strdup(&f->pool, tag ? tag : "");
    x->has_digest = digest != NULL;
    x->has_parent = parent != NULL;
    if (digest)
        x->digest = *digest;
    if (parent)
        x->parent = *parent;
    x->path = ra_pool_strdup(&f->pool, path ? path : "");
    x->message = ra_pool_strdup(&f->pool, ra_buf_cstr(&msg));
    ra_map_put(&f->seen, ra_pool_strndup(&f->pool, key.ptr, key.len), key.len, x);
    ra_vec_push(&f->items, x);
    ra_buf_release(&key);
    ra_buf_release(&msg);
    return x;
}

const struct ra_finding *ra_findings_add(struct ra_findings *f, enum ra_finding_code code,
                                         enum ra_severity sev, const char *repo,
                                         const char *tag, const struct ra_digest *digest,
                                         const struct ra_digest *parent, const char *path,
                                         const char *fmt, ...)
{
    struct ra_finding *x;
    va_list ap;

    va_start(ap, fmt);
    x = add_v(f, code, sev, repo, tag, digest, parent, path, fmt, ap);
    va_end(ap);
    return x;
}

const struct ra_finding *ra_findings_add_missing(struct ra_findings *f,
                                                 enum ra_finding_code code,
                                                 const struct ra_object_ref *ref,
                                                 const struct ra_digest *parent,
                                                 const char *path, const char *fmt, ...)
{
    struct ra_object_ref *m;
    struct ra_finding *x;
    va_list ap;

    va_start(ap, fmt);
    x = add_v(f, code, RA_SEV_CRITICAL, ref->repository, ref->tag,
              ref->kind == RA_OBJ_TAG ? NULL : &ref->digest, parent, path, fmt, ap);
    va_end(ap);
    if (!x->missing) {
        m = ra_pool_alloc(&f->pool, sizeof(*m));
        *m = *ref;
        m->repository = x->repository;
        m->tag = x->tag;
        m->platform = ref->platform ? ra_pool_strdup(&f->pool, ref->platform) : NULL;
        x->missing = m;
    }
    return x;
}

static int cmp_finding(const void *a, const void *b)
{
    const struct ra_finding *x = *(void *const *)a, *y = *(void *const *)b;
    int c;

    if (x->severity != y->severity)
        return x->severity < y->severity ? -1 : 1;
    if ((c = strcmp(ra_finding_code_name(x->code), ra_finding_code_name(y->code))))
        return c;
    if ((c = strcmp(x->repository, y->repository)) || (c = strcmp(x->tag, y->tag)))
        return c;
    if (x->has_digest != y->has_digest)
        return x->has_digest - y->has_digest;
    if ((c = ra_digest_cmp(&x->digest, &y->digest)))
        return c;
    if (x->has_parent != y->has_parent)
        return x->has_parent - y->has_parent;
    if ((c = ra_digest_cmp(&x->parent, &y->parent)))
        return c;
    return strcmp(x->path, y->path);
}

void ra_findings_sort(struct ra_findings *f)
{
    ra_vec_sort(&f->items, cmp_finding);
}

void ra_findings_release(struct ra_findings *f)
{
    ra_map_release(&f->seen);
    ra_vec_release(&f->items);
    ra_pool_release(&f->pool);
}
