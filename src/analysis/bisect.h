/* SPDX-License-Identifier: MIT */
/* Bisect: over snapshots ordered by time, the last one where an object was pullable
 * (or present) and the first where it was not, reading O(log N) of them. The search
 * assumes the object's state changes once; a probe that contradicts it (not pullable
 * in the oldest snapshot read, pullable in the newest) is reported, never hidden. */
#ifndef RA_ANALYSIS_BISECT_H
#define RA_ANALYSIS_BISECT_H

#include "analysis/findings.h"
#include "analysis/scan.h"
#include "model/digest.h"

enum ra_bisect_state {
    RA_BISECT_UNREAD = 0, /* skipped: not needed */
    RA_BISECT_GOOD,       /* read: pullable / present */
    RA_BISECT_BAD,        /* read: not */
    RA_BISECT_UNREADABLE, /* reading it failed: skipped, a neighbour read instead */
};

enum ra_bisect_outcome {
    RA_BISECT_FOUND = 0, /* good in `good`, bad in `bad` = good + 1 among readable */
    RA_BISECT_NEVER,     /* not pullable in the oldest nor the newest snapshot */
    RA_BISECT_STILL,     /* pullable in the newest snapshot (and the oldest) */
    RA_BISECT_APPEARED,  /* not pullable in the oldest, pullable in the newest:
                            non-monotone (pushed later, or repaired); bad..good bracketed
                          */
    RA_BISECT_NONE_READ, /* no snapshot could be read */
};

/* Read snapshot i and say whether the object is good there: 0 with *good set, or a
 * negative RA_E* code (the snapshot is then skipped as unreadable). */
typedef int (*ra_bisect_probe_cb)(int *good, size_t i, void *payload);

struct ra_bisect {
    size_t n;
    enum ra_bisect_state *state; /* per snapshot */
    size_t *order;               /* indices in the order they were read */
    size_t nread;                /* probes made (readable or not) */
    enum ra_bisect_outcome outcome;
    size_t good, bad; /* the bracketing pair (FOUND: good < bad; APPEARED: bad < good) */
    int non_monotone;
};

/* Search n snapshots (oldest first) with probe. Reads at most ceil(log2 n) + 1 of them
 * when all are readable. */
void ra_bisect_run(struct ra_bisect *out, size_t n, ra_bisect_probe_cb probe,
                   void *payload);
void ra_bisect_release(struct ra_bisect *b);

const char *ra_bisect_outcome_name(enum ra_bisect_outcome o);
const char *ra_bisect_state_name(enum ra_bisect_state s);

/* What to look for: a tag (and optionally one platform of it), a manifest in a
 * repository by digest, or a blob anywhere. */
struct ra_bisect_target {
    char *repo;     /* NULL for a bare digest */
    char *tag;      /* NULL for a digest */
    char *platform; /* "linux/arm64/v8", or NULL */
    struct ra_digest digest;
    int by_digest;
};

/* Parse REPO:TAG[@PLATFORM], REPO@sha256:HEX or sha256:HEX. RA_EUSAGE with err set. */
int ra_bisect_target_parse(struct ra_bisect_target *out, const char *arg,
                           struct ra_err *err);
void ra_bisect_target_release(struct ra_bisect_target *t);

/* Judge target in one scan: *good, and when not, *reason (static text: a finding
 * code such as "blob_missing", or "tag_absent", "platform_absent",
 * "revision_link_absent", "blob_absent") and *root (the registry root judged, or
 * NULL). For a tag, good when any registry root serves it pullable. */
void ra_bisect_judge(int *good, const char **reason, const char **root,
                     const struct ra_scan *s, const struct ra_bisect_target *t);

/* The folders of a directory snapshot one target needs: the tag's folder, and the
 * revision links, _layers links and blob folders of the digests found so far. */
struct ra_bisect_paths {
    const struct ra_bisect_target *target;
    struct ra_vec hexes; /* char *: 64 hex digits */
};

void ra_bisect_paths_init(struct ra_bisect_paths *p, const struct ra_bisect_target *t);
/* A ra_dir_filter (payload: the paths): walk into rel or not. */
int ra_bisect_dir_filter(const char *rel, size_t len, void *payload);
/* Add the digests a scan made with the filter shows the target needs (the tag's
 * manifest, its children, their configs and layers); how many were new. */
size_t ra_bisect_paths_grow(struct ra_bisect_paths *p, const struct ra_scan *s);
void ra_bisect_paths_release(struct ra_bisect_paths *p);

/* One snapshot of a bisect over snapshot specs. */
struct ra_bisect_snap {
    const struct ra_snapshot_spec *spec; /* borrowed */
    size_t arg;                          /* its position in the specs given */
    ra_time taken_at;                    /* from the spec, or as read */
    enum ra_taken_source taken_source;
    uint64_t entries;   /* members read, when read (over every round of a directory) */
    unsigned rounds;    /* targeted walks of a directory; 0 for an archive read whole */
    const char *reason; /* not pullable: why (static text) */
    char *root;         /* the registry root judged, or NULL */
    char *error;        /* unreadable: what the reader said */
};

struct ra_bisect_opts {
    int verify;
    /* Called before snapshot i of n is read, to set up progress for it. */
    ra_progress_cb (*progress_for)(const char *name, size_t i, size_t n, void *payload);
    void (*progress_done)(void *payload);
    void *progress_payload;
};

struct ra_bisect_result {
    const char *target; /* the argument, borrowed */
    struct ra_bisect search;
    struct ra_bisect_snap *snaps; /* in time order, search.n of them */
    int ordered_by_time;          /* every spec had a time; else the order given */
};

/* Order specs by time (stable; when any lacks a time, the order given is kept) and
 * bisect them for target. */
void ra_bisect_specs(struct ra_bisect_result **out, struct ra_snapshot_spec *const *specs,
                     size_t n, const char *target_arg,
                     const struct ra_bisect_target *target,
                     const struct ra_bisect_opts *opts);
void ra_bisect_result_free(struct ra_bisect_result *r);

#endif
