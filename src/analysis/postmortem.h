/* SPDX-License-Identifier: MIT */
/* The post-mortem's decisions, made once from an investigation: when the loss began and
 * was first seen, the focus window, the suspects ranked across losses, which fingerprints
 * matched, and the recovery plan for every tag the newest snapshot cannot pull. The
 * report layer (report/pm_*.c) only maps these to the template model. */
#ifndef RA_ANALYSIS_POSTMORTEM_H
#define RA_ANALYSIS_POSTMORTEM_H

#include "analysis/correlate.h"
#include "analysis/logs.h"
#include "analysis/scan.h"
#include "util/common.h"
#include "util/time.h"
#include "util/vec.h"

struct ra_investigation;

/* One log record and the log it is in; event NULL when there is none. */
struct ra_pm_event {
    const struct ra_log_event *event;
    const char *log;
};

/* A firing suspected of one or more losses: its best rating over them. */
struct ra_pm_suspect {
    const struct ra_firing *firing;
    enum ra_confidence best;
    const char *reason; /* the reason of the best rating */
    size_t losses;      /* losses it is a suspect of */
};

enum ra_pm_repair_kind {
    RA_PM_RELINK,      /* re-create a revision link: the manifest data is still stored */
    RA_PM_RESTORE,     /* copy the blob back from the last snapshot that has it */
    RA_PM_MANUAL_NAME, /* the repository name is outside the grammar: by hand */
    RA_PM_MANUAL_PATH, /* the snapshot path cannot be given to a shell: by hand */
    RA_PM_LOST,        /* no snapshot holds it: rebuild */
};

struct ra_pm_repair {
    const struct ra_loss *loss;
    enum ra_pm_repair_kind kind;
    const struct ra_scan *from; /* RA_PM_RESTORE, RA_PM_MANUAL_PATH: the snapshot */
    int from_dir;               /* that snapshot is a directory (else an archive) */
};

/* The plan for one tag the newest snapshot cannot pull. */
struct ra_pm_tag_plan {
    const struct ra_registry_result *reg;
    const struct ra_tag_result *tag;
    int named; /* repository and tag within Distribution's grammar */
    struct ra_pm_repair *repairs; /* the losses that break it, in loss order */
    size_t nrepairs;
    size_t count[RA_PM_LOST + 1]; /* repairs of each kind */
};

struct ra_postmortem {
    const struct ra_scan *newest; /* NULL without snapshots */
    ra_time loss_from;            /* the earliest start of a loss window */
    ra_time loss_to;              /* the earliest end of a loss window */
    ra_time focus_from, focus_to; /* the incident's period (see ra_postmortem_new) */
    /* detection */
    const struct ra_loss *first_bounded;   /* the loss whose window ends first */
    const struct ra_scan *first_missing;   /* the first snapshot to show a loss */
    struct ra_pm_event first_404;          /* the first 404 for a lost digest */
    struct ra_pm_event first_failed_pipeline; /* the first failed pipeline from loss_from */
    struct ra_pm_event last_failure;       /* the latest of either */
    /* root cause */
    struct ra_pm_suspect *suspects; /* best first */
    size_t nsuspects;
    unsigned fingerprints; /* bit (1u << enum ra_fingerprint) per fingerprint matched */
    int floating_gc;       /* a garbage-collect ran from a floating or unknown image */
    /* recovery */
    struct ra_pm_tag_plan *plans; /* newest snapshot's unpullable tags, registry order */
    size_t nplans;
};

#define RA_PM_FOCUS_MARGIN (7 * 86400)

/* Decide. The focus window is a week either side of the loss windows; without losses,
 * the week before the first snapshot to the newest. */
int ra_postmortem_new(struct ra_postmortem **out, const struct ra_investigation *inv,
                      struct ra_err *err);
void ra_postmortem_free(struct ra_postmortem *pm);

/* Did any loss match fingerprint fp? */
int ra_postmortem_matched(const struct ra_postmortem *pm, enum ra_fingerprint fp);

/* Does event e (time, or time..until) overlap the focus window? */
int ra_postmortem_in_focus(const struct ra_postmortem *pm, ra_time time, ra_time until);

/* Is t the time of a suspect firing rated medium or high? */
int ra_postmortem_suspect_at(const struct ra_postmortem *pm, ra_time t);

/* Does loss l break repo:tag? */
int ra_postmortem_loss_breaks(const struct ra_loss *l, const char *repo, const char *tag);

#endif
