/* SPDX-License-Identifier: MIT */
/* The libgit2 adapter: open a config repository (working tree or bare), resolve a
 * revision, list and read the files of a commit, and say which commits changed which
 * paths. No libgit2 type leaves this module; objects are named by 40-hex strings. */
#ifndef RA_CONFIG_GIT_GITREPO_H
#define RA_CONFIG_GIT_GITREPO_H

#include "util/common.h"
#include "util/pool.h"
#include "util/time.h"
#include "util/vec.h"

struct ra_buf;

/* A SHA-1 object id as 40 lowercase hex digits and a NUL. */
#define RA_GIT_HEXSZ 40

/* Blobs larger than this are not read by callers that use the default. */
#define RA_GIT_BLOB_MAX (1024 * 1024)

/* A blob is binary when a NUL byte occurs in its first RA_GIT_BINARY_PROBE bytes
 * (git's own heuristic, buffer_is_binary). */
#define RA_GIT_BINARY_PROBE 8000

struct ra_gitrepo;

/*
 * Open the repository at path: a working tree (its top or any directory inside it), the
 * .git directory itself, or a bare repository. libgit2 is initialised on the first open
 * and shut down when the last repository is freed.
 * Returns RA_ENOTFOUND "'<path>': not a git repository" when there is none there, or
 * RA_ERROR with libgit2's message. A shallow clone opens fine: ra_gitrepo_is_shallow
 * says so, and history stops where the clone's history stops. A repository owned by
 * another user opens too (libgit2's owner validation is turned off for the process:
 * nothing here runs what a repository's config names, objects are only read).
 */
int ra_gitrepo_open(struct ra_gitrepo **out, const char *path, struct ra_err *err);

/* Close the repository. NULL is fine. */
void ra_gitrepo_free(struct ra_gitrepo *repo);

/* Is it a shallow clone (history truncated)? The caller should warn. */
int ra_gitrepo_is_shallow(const struct ra_gitrepo *repo);

/* Is it a bare repository? */
int ra_gitrepo_is_bare(const struct ra_gitrepo *repo);

/*
 * Resolve rev (anything `git rev-parse` takes: "HEAD", a branch, a tag, "HEAD~2", an
 * abbreviated id; NULL means "HEAD") to the id of a commit, peeling tags.
 * Returns RA_ENOTFOUND "revision 'x': not found" (also for HEAD in an empty repository),
 * RA_EFORMAT when it names something that is not a commit, RA_ERROR otherwise.
 */
int ra_gitrepo_resolve(char out[RA_GIT_HEXSZ + 1], struct ra_gitrepo *repo,
                       const char *rev, struct ra_err *err);

/* One file in a commit's tree. */
enum ra_gitfile_mode {
    RA_GITFILE_REGULAR = 0100644,
    RA_GITFILE_EXECUTABLE = 0100755,
    RA_GITFILE_SYMLINK = 0120000, /* content is the link target, never followed */
    RA_GITFILE_TREE = 0040000,    /* only for a directory whose tree is missing */
};

struct ra_gitfile {
    const char *path; /* "etc/cron.d/registry", '/'-separated, relative to the root */
    char blob[RA_GIT_HEXSZ + 1];
    uint64_t size; /* bytes of the blob */
    enum ra_gitfile_mode mode;
    /* The object is missing from the database or cannot be read (a damaged repository):
     * size is 0; for a missing tree, what it held is unknown. */
    int missing;
};

/* The files of one commit, sorted by path (byte order). Caller-embedded. */
struct ra_gitfiles {
    struct ra_gitfile *items;
    size_t len;
    struct ra_pool pool; /* owns the paths */
};

#define RA_GITFILES_INIT                                                                 \
    {                                                                                    \
        NULL, 0, RA_POOL_INIT                                                            \
    }

void ra_gitfiles_release(struct ra_gitfiles *files);

/*
 * List every blob in the tree of commit (40-hex id, e.g. from ra_gitrepo_resolve) into
 * files (which the caller initialised; it is released first). Submodules (gitlinks) are
 * skipped; symbolic links are listed with RA_GITFILE_SYMLINK. A blob or tree that
 * cannot be read is listed with missing set, and the listing goes on.
 * Returns RA_ENOTFOUND when the commit is not in the repository, RA_EFORMAT for a
 * malformed id, RA_ELIMIT for trees nested deeper than 256 levels, RA_ERROR otherwise.
 */
int ra_gitrepo_files(struct ra_gitfiles *files, struct ra_gitrepo *repo,
                     const char *commit, struct ra_err *err);

/*
 * Read the blob with the given id into out (replacing its contents), at most max bytes
 * (0 means RA_GIT_BLOB_MAX). *binary (if not NULL) is set when the content has a NUL in
 * its first RA_GIT_BINARY_PROBE bytes; the content is read anyway.
 * Returns RA_ELIMIT "blob '<id>': N bytes, more than the limit of M" (out left empty),
 * RA_ENOTFOUND when there is no such blob, RA_EFORMAT for a malformed id.
 */
int ra_gitrepo_read_blob(struct ra_buf *out, int *binary, struct ra_gitrepo *repo,
                         const char *blob, size_t max, struct ra_err *err);

/* One commit that changed at least one of the paths asked about. Borrowed: valid during
 * the callback only. */
struct ra_gitchange {
    char commit[RA_GIT_HEXSZ + 1];
    ra_time time;        /* committer time, UTC */
    ra_time author_time; /* author time, UTC */
    const char *author_name;
    const char *author_email;
    const char *summary; /* first paragraph of the message, on one line */
    size_t nparents;     /* as recorded; a shallow boundary commit may have none here */
    /* Which of the paths changed here, as indexes into the caller's array, with the
     * blob (or tree) id before (in the first parent; "" when absent there) and after
     * ("" when the commit deleted it). */
    size_t npaths;
    const size_t *path_index;
    const char (*before)[RA_GIT_HEXSZ + 1];
    const char (*after)[RA_GIT_HEXSZ + 1];
};

/* Return 0 to go on, a negative code to stop the walk with that code. */
typedef int (*ra_gitchange_cb)(const struct ra_gitchange *change, void *payload);

/*
 * Walk the history reachable from rev (NULL: HEAD) in topological and time order, newest
 * first, following every parent, and call cb for each commit that changed one of the
 * npaths paths (files or directories, '/'-separated). A commit changes a path when the
 * path's id differs from that in each of its parents (so a merge that takes one side's
 * version unchanged is not a change, as with `git log -- path`); a root commit changes
 * every path it has. A parent missing from the object database (a shallow clone's
 * boundary, a damaged repository) counts as absent, so the commit above the gap "adds"
 * what it has.
 * Returns 0, cb's code, or an error as ra_gitrepo_resolve.
 */
int ra_gitrepo_history(struct ra_gitrepo *repo, const char *rev, const char *const *paths,
                       size_t npaths, ra_gitchange_cb cb, void *payload,
                       struct ra_err *err);

#endif
