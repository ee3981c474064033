/* SPDX-License-Identifier: MIT */
/* Which snapshots of a share `report` reads: the oldest and the newest whole; for each
 * object lost in the newest, the snapshots a bisect asks about (only the paths the
 * lost objects need), until its loss is bracketed; then each bracketing pair whole.
 * The choice (ra_pick_next, ra_pick_bracket, ra_pick_whole) is a pure function of the
 * answers so far; ra_pick_run (pick_read.c) reads the snapshots it asks for. */
#ifndef RA_ANALYSIS_PICK_H
#define RA_ANALYSIS_PICK_H

#include "analysis/findings.h"
#include "analysis/scan.h"

enum ra_pick_answer {
    RA_PICK_UNKNOWN = 0, /* not asked, or the snapshot could not be read */
    RA_PICK_NO,
    RA_PICK_YES,
};

/* The answers about m objects (each lost in the newest snapshot) in n snapshots, oldest
 * first. An object is lost in a snapshot when a tag there needs it and it is missing (a
 * tag: when it does not resolve); present when the snapshot has it, as the history
 * counts it (analysis/history.h). */
struct ra_pick {
    size_t n, m;
    unsigned char *lost;    /* [i * m + j]: enum ra_pick_answer */
    unsigned char *present; /* [i * m + j] */
    unsigned char *read;    /* [i]: answered (or tried) */
};

void ra_pick_init(struct ra_pick *p, size_t n, size_t m);
void ra_pick_release(struct ra_pick *p);
/* Snapshot i was read (a probe, or whole); answers for object j follow. */
void ra_pick_mark_read(struct ra_pick *p, size_t i);
void ra_pick_answer(struct ra_pick *p, size_t i, size_t j, int lost, int present);

/* Object j's bracket as the answers tell it. *first_missing: the earliest read
 * snapshot that lost j with every read snapshot after it losing j too (SIZE_MAX when
 * the newest is not known to lose j); *last_present: the latest read snapshot before
 * it that has j (SIZE_MAX: none). With j lost once (present, then missing for good)
 * and every snapshot between the two read, these are the pair reading every snapshot
 * finds; returns 1 when the pair is final (no unread snapshot between the last read
 * one that did not lose j and *first_missing, nor between *last_present and the first
 * read one after it that lacks j), else 0 with *next the snapshot to ask next (the
 * middle unread one of the open interval). */
int ra_pick_bracket(const struct ra_pick *p, size_t j, size_t *last_present,
                    size_t *first_missing, size_t *next);

/* The next snapshot to read (for the first object, in order, whose bracket is not
 * final), or SIZE_MAX when every bracket is final. */
size_t ra_pick_next(const struct ra_pick *p);

/* Did object j go missing and come back in the snapshots read (lost in one, not lost
 * in a later one)? Bisect then brackets one of its disappearances, not always the
 * first. */
int ra_pick_flapped(const struct ra_pick *p, size_t j);

/* The snapshots to read whole (whole[i] = 1): the oldest, the newest, and each
 * object's first_missing and last_present. */
void ra_pick_whole(const struct ra_pick *p, char *whole);

/* How `report` read one snapshot of those given. */
enum ra_read_how {
    RA_READ_WHOLE = 0, /* read whole: everything the report says may come from it */
    RA_READ_PART,      /* only the paths the lost objects need, for bisect */
    RA_READ_SKIPPED,   /* not read */
};

const char *ra_read_how_name(enum ra_read_how h); /* "whole", "part", "skipped" */

struct ra_pick_opts {
    int verify;
    /* Called before a snapshot is probed, to set up progress for it. */
    ra_progress_cb (*progress_for)(const char *name, void *payload);
    void (*progress_done)(void *payload);
    void *progress_payload;
};

struct ra_pick_result {
    size_t n;
    enum ra_read_how *how; /* per spec */
    uint64_t *entries;     /* per spec: members a probe read (RA_READ_PART), over its
                              rounds */
    size_t nobjects;       /* objects lost in the newest, bisected (and, not counted
                              here, the revision links of pruned tags' manifests) */
    struct ra_vec notes;   /* char *: flaps seen, probes that could not be read */
};

/* Pick what to read of specs[0..n) (oldest first, every time known), given the oldest
 * and the newest read whole: the objects lost in the newest (a finding there names
 * them, or a tag that resolves in the oldest does not in the newest) are bisected by
 * probing snapshots for only the paths they need (a directory in targeted rounds as
 * `bisect` reads one; an archive is read whole, its result used for the answers only),
 * then out->how says which to read whole. Never fails: a probe that cannot be read
 * gives no answer and a neighbour is read instead (a note says so). */
void ra_pick_run(struct ra_pick_result *out, struct ra_snapshot_spec *const *specs,
                 size_t n, const struct ra_scan *oldest, const struct ra_scan *newest,
                 const struct ra_pick_opts *opts);
void ra_pick_result_release(struct ra_pick_result *r);

#endif
