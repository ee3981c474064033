/* SPDX-License-Identifier: MIT */
/* Stream the entries of one snapshot source (an archive libarchive reads, or a directory
 * tree) without extracting anything. Entry names are data, never paths to open: the
 * directory walker opens only what it found by readdir, relative to the tree's root,
 * and never follows symbolic links. */
#ifndef RA_INGEST_SOURCE_H
#define RA_INGEST_SOURCE_H

#include "util/common.h"
#include "util/time.h"

enum ra_entry_type {
    RA_ENTRY_FILE = 0,
    RA_ENTRY_DIR,
    RA_ENTRY_SYMLINK,  /* never followed */
    RA_ENTRY_HARDLINK, /* archive hardlink to an earlier member: link_target names it */
    RA_ENTRY_OTHER,    /* device, fifo, socket */
    /* Directory trees: a file or folder that cannot be opened (permission denied);
     * link_target says why. Its content (a folder's entries) is not walked; the walk
     * goes on with the next entry. */
    RA_ENTRY_UNREADABLE,
};

struct ra_entry {
    /* Member name, normalised: leading "./" and "/" removed, repeated "/" folded, no
     * trailing "/". Any bytes but NUL. Borrowed: valid during the callback only. */
    const char *path;
    size_t path_len;
    enum ra_entry_type type;
    /* SYMLINK/HARDLINK target (normalised like path for HARDLINK). Also set on a FILE
     * that is a hard link carrying its own content (cpio newc stores data on the last
     * link); such a member is read like any file. NULL otherwise. */
    const char *link_target;
    int64_t size;   /* bytes of content; 0 for non-files */
    ra_time mtime;  /* RA_TIME_NONE when the source has none */
    uint64_t index; /* 0-based position in the stream */
    /* Directory trees walked with an earlier walk's record (ra_source_opts.prev): the
     * same path was there, provably unchanged (ingest/walk.h): for a folder, its
     * listing; for a file, its content as the registry writes it. 0 otherwise. */
    int same;
};

struct ra_source;
struct ra_walk;

/* Read up to len bytes of the current entry's content (only during the callback of a
 * RA_ENTRY_FILE). *nread = 0 at the end of the content. RA_EIO on a read failure.
 * Content not read is skipped by the walker. */
int ra_source_read(struct ra_source *src, void *buf, size_t len, size_t *nread,
                   struct ra_err *err);

/* Called once per entry in stream order (archives) or in sorted order (directories).
 * Return 0 to go on, a negative code to stop the walk with that code, or, for a
 * RA_ENTRY_DIR, RA_SOURCE_SKIP not to walk into it (a directory tree then skips what
 * it holds; an archive still delivers those members, as they come in its stream). */
#define RA_SOURCE_SKIP 1
typedef int (*ra_entry_cb)(const struct ra_entry *e, struct ra_source *src,
                           void *payload);

/* Progress, updated as the walk goes; the walker calls progress_cb at most a few times
 * a second when set. */
struct ra_source_stats {
    uint64_t entries;
    uint64_t bytes_in;    /* bytes consumed from the file(s) on disk */
    uint64_t bytes_total; /* size of the archive file(s), 0 when unknown (directories) */
    uint64_t bytes_out;   /* uncompressed content bytes seen */
    /* When the walk stops early on a damaged archive: where. */
    uint64_t stop_offset;  /* bytes_in at the failure */
    char stop_member[256]; /* last member whose header was read, "" if none */
    /* Directory trees read while something writes to them (a live registry): entries
     * listed but gone before they could be opened or read (skipped, not an error),
     * and folders whose modification time changed while they were walked (an entry
     * appeared or went away after the listing). */
    uint64_t vanished;
    uint64_t changed_dirs;
};

typedef void (*ra_progress_cb)(const struct ra_source_stats *st, void *payload);

struct ra_source_opts {
    ra_progress_cb progress_cb;
    void *progress_payload;
    /* The caller reads every member's content (to hash it): a plain tar is then read
     * ahead on a second thread too, as compressed archives always are. Without it a
     * plain tar is read on the caller's thread, which skips content by seeking. */
    int read_all;
    /* Directory trees: record the walk here (ingest/walk.h), and take what an earlier
     * walk of a copy of the same tree proves unchanged from its record. NULL: not. */
    struct ra_walk *record;
    const struct ra_walk *prev;
};

/* clang-format off */
#define RA_SOURCE_OPTS_INIT {NULL, NULL, 0, NULL, NULL}
/* clang-format on */

/* Is path a directory (after following a symlink given on the command line)? */
int ra_source_is_dir(const char *path);
/* 1 when path is "-": an archive read from standard input, as a stream (tar, cpio). */
int ra_source_is_stdin(const char *path);

/* Walk an archive file (any format and filter libarchive reads: tar, gz, zst, xz, zip,
 * cpio, ...) or a directory tree, calling cb for every entry.
 * Returns 0, the callback's code, or:
 *   RA_ENOTFOUND  path does not exist;
 *   RA_EFORMAT    not an archive libarchive recognises (no entry was read);
 *   RA_EIO        reading stopped part-way (truncated, corrupt compression, I/O
 *                 error): entries before the failure were delivered; stats->stop_*
 *                 say where, err says what;
 *   RA_ELIMIT     a directory tree deeper than 256 levels, or a member name over
 *                 64 KiB: as RA_EIO, entries before it were delivered. */
int ra_source_walk(const char *path, const struct ra_source_opts *opts, ra_entry_cb cb,
                   void *payload, struct ra_source_stats *stats, struct ra_err *err);

#endif
