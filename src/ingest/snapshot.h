/* SPDX-License-Identifier: MIT */
/* A snapshot: one archive or directory copy of registry storage at one time, read into
 * one graph per registry root found inside it. */
#ifndef RA_INGEST_SNAPSHOT_H
#define RA_INGEST_SNAPSHOT_H

#include "ingest/source.h"
#include "model/graph.h"
#include "util/common.h"
#include "util/time.h"
#include "util/vec.h"

struct ra_buf;

enum ra_taken_source {
    RA_TAKEN_EXPLICIT = 0, /* "@2026-04-12T01:00Z" suffix */
    RA_TAKEN_NAME,         /* a date-time in the file or folder name */
    RA_TAKEN_MTIME,        /* newest mtime inside: a lower bound */
    RA_TAKEN_UNKNOWN,      /* none of the above */
    RA_TAKEN_BACKUP_JOB,   /* a backup job's firing just after the newest mtime: likely
                              (set by analysis, from the config repo) */
};

/* What the command line names: a path and, optionally, when it was taken. */
struct ra_snapshot_spec {
    char *path;
    char *name; /* display name: the file or folder name */
    ra_time taken_at;
    enum ra_taken_source taken_source; /* EXPLICIT or NAME when taken_at is set */
};

/* NAS and desktop metadata (docs/storage.md): counted, never registry data. */
struct ra_snapshot_meta {
    uint64_t items[RA_META__COUNT]; /* distinct folders and files, by kind */
    char *example[RA_META__COUNT];  /* the smallest such path, or NULL */
    uint64_t total;                 /* sum of items */
};

/* Blob data kept in a "#recycle" folder: not a registry's, but a recovery source. */
struct ra_recycled_blob {
    char *path; /* member path in the snapshot */
    struct ra_digest digest;
    int64_t size;
    ra_time mtime;
    int verified; /* its content was read whole and hashes to digest */
};

struct ra_snapshot {
    char *name;
    char *source; /* the path as given */
    ra_time taken_at;
    enum ra_taken_source taken_source;
    ra_time newest_mtime; /* over all members, RA_TIME_NONE if none had one */
    ra_time oldest_mtime;
    uint64_t entries;
    uint64_t bytes_in;
    int complete;      /* 0 when reading stopped early */
    char *read_error;  /* what stopped it, or NULL */
    char *stop_member; /* last member read before the failure, or NULL */
    uint64_t stop_offset;
    /* A directory read while it changed (ra_source_stats): entries gone before they
     * were read, folders changed while walked. Both 0 for an archive. */
    uint64_t vanished;
    uint64_t changed_dirs;
    struct ra_vec graphs; /* struct ra_graph *, sorted by root */
    struct ra_snapshot_meta meta;
    struct ra_vec recycled; /* struct ra_recycled_blob *, by digest, then path */
    /* Evidence that was there but not read, in stream order: the registry would have
     * read it. */
    struct ra_vec unread; /* struct ra_unread * */
    /* A directory tree read whole: the record of its walk (ingest/walk.h), so that it
     * can be the prev of the next snapshot's read; NULL otherwise, or once dropped. */
    struct ra_walk *walk;
    int walk_verify; /* it was read with verify */
    uint64_t reused; /* entries proven unchanged since opts.prev (not read again) */
};

struct ra_unread {
    char *path; /* the member */
    char *why;  /* "cannot open: Permission denied", "the storage root is a symbolic
                   link to '<target>', not followed: ..." */
};

/* Directory trees only: whether to walk into a folder inside a registry root, given
 * its path relative to the root ("repositories/app/_manifests"); 0 skips what it holds
 * (a targeted read: bisect reads only the paths one tag needs). Archives ignore it. */
typedef int (*ra_dir_filter)(const char *rel, size_t len, void *payload);

struct ra_snapshot_opts {
    int verify; /* hash every blob, not only JSON ones */
    ra_progress_cb progress_cb;
    void *progress_payload;
    ra_dir_filter dir_filter; /* NULL: walk everything */
    void *filter_payload;
    /* The previous snapshot of the same share, read completely from a directory tree,
     * or NULL: read everything. When set and this snapshot is a directory tree, what is
     * provably unchanged since prev is taken from it instead of read again
     * (docs/snapshots.md); the result equals a full read. Borrowed: prev must stay
     * alive while ra_snapshot_load runs, not after. */
    const struct ra_snapshot *prev;
    /* Where documents whose bytes hashed to their digest are parsed and kept, shared
     * with every other snapshot read with the same docs (a blob taken over from prev
     * then points at prev's document instead of a copy), or NULL: each graph keeps
     * its own. Borrowed: docs must outlive the snapshot and everything that points at
     * its graphs' manifests. */
    struct ra_docs *docs;
};

/* clang-format off */
#define RA_SNAPSHOT_OPTS_INIT {0, NULL, NULL, NULL, NULL, NULL, NULL}
/* clang-format on */

/* Expand one command-line argument into snapshot specs, appended to out
 * (struct ra_snapshot_spec *, caller frees each with ra_snapshot_spec_free):
 * "PATH@2026-04-12T01:00Z" states the time; a directory holding Synology-style
 * sub-folders ("GMT+00_2026.04.12-01.00") gives one spec per sub-folder, oldest first.
 * RA_ENOTFOUND when the path does not exist. */
int ra_snapshot_expand(struct ra_vec *out, const char *arg, struct ra_err *err);
void ra_snapshot_spec_free(struct ra_snapshot_spec *spec);

/* Read a snapshot. Returns 0 also when reading stopped part-way (then complete = 0 and
 * read_error says where); RA_ENOTFOUND / RA_EFORMAT when nothing could be read. */
int ra_snapshot_load(struct ra_snapshot **out, const struct ra_snapshot_spec *spec,
                     const struct ra_snapshot_opts *opts, struct ra_err *err);
void ra_snapshot_free(struct ra_snapshot *s);
/* Append a canonical text dump of all of s that a read decides (every graph node and
 * field, counts, metadata, what was not read) to out; not bytes_in, reused or the walk
 * record, which tell how it was read. Two reads of the same tree dump the same. */
void ra_snapshot_dump(struct ra_buf *out, const struct ra_snapshot *s);
/* Free the record of s's walk (about 100 bytes an entry): s can no longer be a prev. */
void ra_snapshot_drop_walk(struct ra_snapshot *s);

const char *ra_taken_source_name(enum ra_taken_source s);

/* Can this snapshot's member mtimes be trusted as times? Not when they are all equal,
 * all zero or in the future of the snapshot (a copy that did not keep times). */
int ra_snapshot_mtimes_trusted(const struct ra_snapshot *s, const char **why);

#endif
