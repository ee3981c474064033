/* SPDX-License-Identifier: MIT */
/* The registry storage path grammar (Distribution's filesystem layout, docs/storage.md):
 *   <root>/blobs/sha256/<hh>/<hex>/data
 *   <root>/repositories/<name>/_layers/sha256/<hex>/link
 *   <root>/repositories/<name>/_manifests/revisions/sha256/<hex>/link
 *   <root>/repositories/<name>/_manifests/tags/<tag>/current/link
 *   <root>/repositories/<name>/_manifests/tags/<tag>/index/sha256/<hex>/link
 *   <root>/repositories/<name>/_uploads/<uuid>/{data,startedat,hashstates/...}
 * where <root> ends in "docker/registry/v2" (any prefix), or is empty when the
 * snapshot is the v2 folder itself. Pure string work: nothing is opened. */
#ifndef RA_INGEST_LAYOUT_H
#define RA_INGEST_LAYOUT_H

#include "model/digest.h"
#include "model/graph.h"
#include "util/common.h"

enum ra_path_kind {
    RA_PATH_NONE = 0,       /* not inside a registry root */
    RA_PATH_ROOT_OTHER,     /* inside a root, but not a file the registry reads */
    RA_PATH_BLOB_DATA,      /* digest */
    RA_PATH_LAYER_LINK,     /* repo, digest */
    RA_PATH_REVISION_LINK,  /* repo, digest */
    RA_PATH_TAGS_ROOT,      /* repo: its _manifests/tags folder itself */
    RA_PATH_TAG_DIR,        /* repo, tag: the tag's directory or anything else in it */
    RA_PATH_TAG_CURRENT,    /* repo, tag */
    RA_PATH_TAG_INDEX,      /* repo, tag, digest */
    RA_PATH_UPLOAD_DATA,    /* repo, upload */
    RA_PATH_UPLOAD_STARTED, /* repo, upload */
    RA_PATH_UPLOAD_OTHER,   /* repo, upload (hashstates, the directory) */
    RA_PATH_REPO_OTHER,     /* repo: its directory or anything not listed above */
    RA_PATH_META,           /* meta, item: NAS or desktop metadata, or inside it */
    RA_PATH_RECYCLED_BLOB,  /* meta, item, digest: blob data in a "#recycle" folder */
};

/* Slices into the parsed path; valid as long as the path string is. */
struct ra_slice {
    const char *ptr;
    size_t len;
};

struct ra_path {
    enum ra_path_kind kind;
    struct ra_slice root; /* "var/lib/registry/docker/registry/v2", or "" */
    struct ra_slice repo;
    struct ra_slice tag;
    struct ra_slice upload;
    struct ra_digest digest;
    /* META and RECYCLED_BLOB: the first segment a NAS or a desktop made ("@eaDir",
     * "#recycle", "#snapshot", "@tmp", ".DS_Store", "._<name>", "<name>@SynoEAStream"),
     * the path up to and including it, and whether it lies inside a registry root
     * (then root is that root). */
    enum ra_meta_kind meta;
    struct ra_slice item;
    int meta_in_root;
};

/* Classify a normalised member path. Metadata wins: a path with a metadata segment
 * anywhere is META (or RECYCLED_BLOB when what follows "#recycle/" is blob data of a
 * registry root), never a tag, repository, upload, blob or link. Otherwise, by the
 * grammar above. The path has no leading "/" or "./", no "//". Always succeeds:
 * paths that fit no rule get RA_PATH_NONE or a *_OTHER kind. A path whose digest
 * segment is not 64 lowercase hex characters, or whose <hh> does not match the digest,
 * is *_OTHER (the registry would never read it). */
void ra_layout_parse(struct ra_path *out, const char *path, size_t len);

/* Distribution's name grammar, which the registry checks before it writes anything:
 * a repository is components [a-z0-9]+([._-][a-z0-9]+)* joined by '/', at most 255
 * bytes; a tag is [A-Za-z0-9_][A-Za-z0-9._-]{0,127}. A storage entry whose name fails
 * was not written by the registry ("..", "@eaDir", spaces, quotes, line breaks). */
int ra_layout_repository_valid(const char *name);
int ra_layout_tag_valid(const char *tag);

#endif
