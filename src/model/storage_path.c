/* SPDX-License-Identifier: MIT */
/* Writing storage paths. */
#include "model/storage_path.h"

#include <assert.h>
#include <string.h>

#include "util/buf.h"

static void put_hex(struct ra_buf *out, const struct ra_digest *d, size_t n)
{
    char hex[RA_DIGEST_STRLEN];

    assert(d);
    ra_digest_format(hex, d);
    ra_buf_put(out, hex + 7, n);
}

static void put_repo(struct ra_buf *out, const char *repo, const char *rest)
{
    assert(repo);
    ra_buf_puts(out, "repositories/");
    ra_buf_puts(out, repo);
    ra_buf_puts(out, rest);
}

static void put_tag(struct ra_buf *out, const char *repo, const char *tag,
                    const char *rest)
{
    assert(tag);
    put_repo(out, repo, "/_manifests/tags/");
    ra_buf_puts(out, tag);
    ra_buf_puts(out, rest);
}

static void put_sha_link(struct ra_buf *out, const struct ra_digest *d)
{
    put_hex(out, d, 64);
    ra_buf_puts(out, "/link");
}

void ra_storage_path(struct ra_buf *out, const char *root, enum ra_storage_kind kind,
                     const char *repo, const char *name, const struct ra_digest *d)
{
    assert(out && root);
    ra_buf_truncate(out, 0);
    if (root[0]) {
        ra_buf_puts(out, root);
        ra_buf_putc(out, '/');
    }
    switch (kind) {
    case RA_STORE_BLOB_DATA:
    case RA_STORE_BLOB_PREFIX:
        ra_buf_puts(out, "blobs/sha256/");
        put_hex(out, d, 2);
        if (kind == RA_STORE_BLOB_PREFIX)
            break;
        ra_buf_putc(out, '/');
        put_hex(out, d, 64);
        ra_buf_puts(out, "/data");
        break;
    case RA_STORE_LAYER_LINK:
        put_repo(out, repo, "/_layers/sha256/");
        put_sha_link(out, d);
        break;
    case RA_STORE_REVISION_LINK:
        put_repo(out, repo, "/_manifests/revisions/sha256/");
        put_sha_link(out, d);
        break;
    case RA_STORE_TAG_CURRENT:
        put_tag(out, repo, name, "/current/link");
        break;
    case RA_STORE_TAG_INDEX:
        put_tag(out, repo, name, "/index/sha256/");
        put_sha_link(out, d);
        break;
    case RA_STORE_UPLOAD:
        assert(name);
        put_repo(out, repo, "/_uploads/");
        ra_buf_puts(out, name);
        break;
    case RA_STORE_REPOSITORY:
        put_repo(out, repo, "");
        break;
    case RA_STORE_TAGS:
        put_repo(out, repo, "/_manifests/tags");
        break;
    case RA_STORE_TAG:
        put_tag(out, repo, name, "");
        break;
    case RA_STORE_REVISIONS:
        put_repo(out, repo, "/_manifests/revisions/sha256");
        break;
    }
}

void ra_storage_folder(struct ra_buf *out, const char *root, enum ra_storage_kind kind,
                       const char *repo, const char *name, const struct ra_digest *d)
{
    const char *slash;

    ra_storage_path(out, root, kind, repo, name, d);
    if (kind > RA_STORE_TAG_INDEX)
        return;
    slash = strrchr(out->ptr, '/');
    ra_buf_truncate(out, (size_t)(slash - out->ptr));
}
