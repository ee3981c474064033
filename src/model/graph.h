/* SPDX-License-Identifier: MIT */
/* The in-memory image graph of one registry root: blobs, repositories, links, tags,
 * tag history and uploads. No I/O. The graph owns every node (allocated from its pool);
 * pointers returned by getters are borrowed and live as long as the graph. */
#ifndef RA_MODEL_GRAPH_H
#define RA_MODEL_GRAPH_H

#include "model/digest.h"
#include "model/manifest.h"
#include "util/common.h"
#include "util/map.h"
#include "util/pool.h"
#include "util/time.h"
#include "util/vec.h"

struct ra_buf;

enum ra_hash_state {
    RA_HASH_UNKNOWN = 0, /* not hashed */
    RA_HASH_OK,
    RA_HASH_MISMATCH,
};

struct ra_blob {
    struct ra_digest digest; /* from the path */
    int present;             /* a data file was seen */
    int64_t size;
    ra_time mtime;
    enum ra_hash_state hash;
    struct ra_digest actual;      /* the content's digest when hash == RA_HASH_MISMATCH */
    struct ra_manifest *manifest; /* parsed JSON (manifest or config), or NULL */
    const char *parse_error;      /* why JSON content did not parse, or NULL */
    int is_json;                  /* content started like JSON and fit the cap */
    int not_regular;              /* a symlink or other non-file member, not followed */
    int truncated;   /* the snapshot broke off inside its data (present = 0) */
    uint64_t member; /* 1 + the archive position of its member; 0: none */
};

/* A link file: its content names a digest. */
struct ra_link {
    struct ra_digest key; /* the digest in the path */
    int valid;            /* content parsed as "sha256:<hex>" */
    struct ra_digest target;
    ra_time mtime;
    uint64_t member; /* 1 + the archive position of its member; 0: none */
};

struct ra_tag {
    const char *name;
    int has_current;
    struct ra_link current;
    struct ra_map history; /* digest -> struct ra_link (index/sha256/<hex>/link) */
};

struct ra_upload {
    const char *uuid;
    ra_time started_at; /* RA_TIME_NONE when startedat is absent or unreadable */
    int64_t size;
    ra_time mtime; /* newest mtime seen inside the upload */
};

struct ra_repo {
    const char *name;
    struct ra_map layers;    /* digest -> struct ra_link */
    struct ra_map revisions; /* digest -> struct ra_link */
    struct ra_map tags;      /* name -> struct ra_tag */
    struct ra_map uploads;   /* uuid -> struct ra_upload */
    int has_tags_dir;        /* _manifests/tags was seen (GC 2.8 -m needs it) */
};

/* A member inside the root that the registry would not read as we do: a symlink,
 * hardlink or device where a file belongs. Kept so the report can say so. */
struct ra_odd_member {
    const char *path;
    const char *what; /* "symlink not followed", ... */
};

/* A member whose path an earlier member of the archive already had (an archive
 * appended to, `tar -r`): the later copy is what extraction leaves, and what is read. */
struct ra_dup_member {
    const char *path;
    uint64_t earlier, later; /* 0-based positions in the archive */
};

/* Metadata a NAS or a desktop adds to a share, never written by the registry: never a
 * tag, repository, upload, blob or link. */
enum ra_meta_kind {
    RA_META_EADIR =
        0, /* Synology "@eaDir" folder (SYNO@.fileindexdb, <name>@SynoEAStream) */
    RA_META_RECYCLE,     /* Synology "#recycle" folder: the share's recycle bin */
    RA_META_SNAPSHOT,    /* Synology "#snapshot" folder inside the share */
    RA_META_TMP,         /* Synology "@tmp" folder */
    RA_META_DS_STORE,    /* macOS ".DS_Store" */
    RA_META_APPLEDOUBLE, /* AppleDouble "._<name>" */
    RA_META__COUNT
};

const char *ra_meta_kind_name(enum ra_meta_kind k);

/* One metadata folder or file inside a root: "blobs/sha256/1b/@eaDir". */
struct ra_meta_item {
    const char *path; /* relative to the root */
    const char *name; /* its last segment, inside path */
    enum ra_meta_kind kind;
    int is_dir;    /* a folder, or something was seen inside it */
    ra_time mtime; /* newest mtime of it and of anything seen inside it */
    struct ra_meta_item *next_in_dir; /* the next item in the same folder */
};

struct ra_graph {
    const char *root; /* "var/lib/registry/docker/registry/v2", or "" */
    struct ra_pool pool;
    struct ra_map blobs; /* digest -> struct ra_blob */
    struct ra_map repos; /* name -> struct ra_repo */
    struct ra_vec odd;   /* struct ra_odd_member *, in stream order */
    struct ra_vec dups;  /* struct ra_dup_member *, in stream order */
    /* mtimes of the folders whose entries GC and pushes add and delete:
     * "blobs/sha256/<hh>" and "repositories/<name>/_manifests/revisions/sha256"
     * (relative to the root) -> ra_time * */
    struct ra_map dirs;
    struct ra_map meta;    /* path relative to the root -> struct ra_meta_item */
    struct ra_map meta_in; /* folder relative to the root -> its first ra_meta_item */
};

void ra_graph_new(struct ra_graph **out, const char *root, size_t root_len);
void ra_graph_free(struct ra_graph *g);

/* Get or create nodes. Names are copied into the graph's pool. */
struct ra_blob *ra_graph_blob(struct ra_graph *g, const struct ra_digest *d);
struct ra_repo *ra_graph_repo(struct ra_graph *g, const char *name, size_t len);
struct ra_tag *ra_graph_tag(struct ra_graph *g, struct ra_repo *r, const char *name,
                            size_t len);
struct ra_upload *ra_graph_upload(struct ra_graph *g, struct ra_repo *r, const char *uuid,
                                  size_t len);
/* Get or create the link keyed by d in map (a repo's layers/revisions or a tag's
 * history). */
struct ra_link *ra_graph_link(struct ra_graph *g, struct ra_map *map,
                              const struct ra_digest *d);

/* Remember a folder's mtime (rel is relative to the root; copied). */
void ra_graph_note_dir(struct ra_graph *g, const char *rel, size_t len, ra_time mtime);
/* A folder's mtime, or RA_TIME_NONE. */
ra_time ra_graph_dir_mtime(const struct ra_graph *g, const char *rel);

/* Remember that the member at position later has the path of the one at earlier (path
 * copied). */
void ra_graph_note_dup(struct ra_graph *g, const char *path, size_t len, uint64_t earlier,
                       uint64_t later);

/* Remember a metadata item (rel: its path relative to the root, ending in its name) or
 * something inside it. Returns the item, created on first sight. */
struct ra_meta_item *ra_graph_note_meta(struct ra_graph *g, const char *rel, size_t len,
                                        enum ra_meta_kind kind, int inside,
                                        ra_time mtime);
/* The metadata items directly in folder rel (relative to the root), a NULL-terminated
 * chain through next_in_dir; NULL when none. */
const struct ra_meta_item *ra_graph_meta_in(const struct ra_graph *g, const char *rel);

/* Remember an odd member (path copied). */
void ra_graph_note_odd(struct ra_graph *g, const char *path, size_t len,
                       const char *what);

/* Lookups; NULL when absent. */
struct ra_blob *ra_graph_find_blob(const struct ra_graph *g, const struct ra_digest *d);
struct ra_link *ra_graph_find_link(const struct ra_map *map, const struct ra_digest *d);

/* Sorted views, filled into out (borrowed pointers). */
void ra_graph_sorted_repos(struct ra_vec *out, const struct ra_graph *g);
void ra_graph_sorted_tags(struct ra_vec *out, const struct ra_repo *r);
void ra_graph_sorted_uploads(struct ra_vec *out, const struct ra_repo *r);
/* Links or blobs sorted by digest. */
void ra_graph_sorted_links(struct ra_vec *out, const struct ra_map *map);
void ra_graph_sorted_blobs(struct ra_vec *out, const struct ra_graph *g);

/* Counts for the summary. */
struct ra_graph_counts {
    size_t blobs; /* blobs with data present */
    size_t repositories;
    size_t tags;
    size_t manifests; /* distinct revision-linked digests across repositories */
    size_t layer_links;
    size_t uploads;
    uint64_t bytes; /* total size of blob data */
};

void ra_graph_count(struct ra_graph_counts *out, const struct ra_graph *g);

/* Storage path of a node, relative to the snapshot (root prepended), written by
 * model/storage_path. */
void ra_graph_blob_path(struct ra_buf *out, const struct ra_graph *g,
                        const struct ra_digest *d);
enum ra_link_kind {
    RA_LINK_LAYER,
    RA_LINK_REVISION,
    RA_LINK_TAG_CURRENT,
    RA_LINK_TAG_INDEX
};
void ra_graph_link_path(struct ra_buf *out, const struct ra_graph *g,
                        enum ra_link_kind kind, const char *repo, const char *tag,
                        const struct ra_digest *d);

#endif
