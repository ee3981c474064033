/* SPDX-License-Identifier: MIT */
/* Writing storage paths: the one formatter of Distribution's filesystem layout
 * (docs/storage.md). ingest/layout parses the same grammar; every path this program
 * writes, prints or looks up by name is formatted here. */
#ifndef RA_MODEL_STORAGE_PATH_H
#define RA_MODEL_STORAGE_PATH_H

#include "model/digest.h"

struct ra_buf;

/* What a path names, files first, then the folders that group them. In the paths,
 * <repo> is the repository, <tag> or <uuid> the name, <hh> and <hex> the digest. */
enum ra_storage_kind {
    RA_STORE_BLOB_DATA = 0, /* blobs/sha256/<hh>/<hex>/data */
    RA_STORE_LAYER_LINK,    /* repositories/<repo>/_layers/sha256/<hex>/link */
    RA_STORE_REVISION_LINK, /* <repo folder>/_manifests/revisions/sha256/<hex>/link */
    RA_STORE_TAG_CURRENT,   /* <repo folder>/_manifests/tags/<tag>/current/link */
    RA_STORE_TAG_INDEX,  /* <repo folder>/_manifests/tags/<tag>/index/sha256/<hex>/link */
    RA_STORE_UPLOAD,     /* repositories/<repo>/_uploads/<uuid> */
    RA_STORE_REPOSITORY, /* repositories/<repo> */
    RA_STORE_TAGS,       /* repositories/<repo>/_manifests/tags */
    RA_STORE_TAG,        /* repositories/<repo>/_manifests/tags/<tag> */
    RA_STORE_REVISIONS,  /* repositories/<repo>/_manifests/revisions/sha256 */
    RA_STORE_BLOB_PREFIX, /* blobs/sha256/<hh> */
};

/* Replace out's contents with the path of kind, under root ("" for a path relative to
 * the registry root; otherwise root and a '/' come first). repo, name (the tag or the
 * upload's uuid) and d are read only where the kind's path has them; the others may be
 * NULL. */
void ra_storage_path(struct ra_buf *out, const char *root, enum ra_storage_kind kind,
                     const char *repo, const char *name, const struct ra_digest *d);

/* The folder that holds the file of kind (its path without the last segment, "data"
 * or "link"); for a folder kind, the folder itself. */
void ra_storage_folder(struct ra_buf *out, const char *root, enum ra_storage_kind kind,
                       const char *repo, const char *name, const struct ra_digest *d);

#endif
