/* SPDX-License-Identifier: MIT */
/* The post-mortem's decisions, made once from an investigation: when the loss began and
 * was first seen, the focus window, the suspects ranked across losses, which fingerprints
 * matched, and the recovery plan for every tag the newest snapshot cannot pull. The
 * report layer (report/pm_*.c) only maps these to the template model. */
#ifndef RA_ANALYSIS_POSTMORTEM_H
#define RA_ANALYSIS_POSTMORTEM_H

#include "analysis/correlate.h"
#include "analysis/bystanders.h"
#include "analysis/logs.h"
#include "analysis/recurrence.h"
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
    RA_PM_RECYCLED,    /* no snapshot's registry holds it, a NAS recycle bin's verified
                          copy does */
    RA_PM_LOST,        /* no snapshot holds it (recycled: a copy that does not match) */
};

struct ra_pm_repair {
    const struct ra_loss *loss;
    enum ra_pm_repair_kind kind;
    const struct ra_scan *from; /* RA_PM_RESTORE, RA_PM_MANUAL_PATH: the snapshot */
    int from_dir;               /* that snapshot is a directory (else an archive) */
    const struct ra_recycled_blob *recycled; /* RA_PM_RECYCLED, RA_PM_LOST: the copy */
    const struct ra_snapshot *recycled_in;   /* and the snapshot it is in */
};

/* The plan for one tag the newest snapshot cannot pull. */
struct ra_pm_tag_plan {
    const struct ra_registry_result *reg;
    const struct ra_tag_result *tag;
    int named;                    /* repository and tag within Distribution's grammar */
    struct ra_pm_repair *repairs; /* the losses that break it, in loss order */
    size_t nrepairs;
    size_t count[RA_PM_LOST + 1]; /* repairs of each kind */
};

enum ra_pm_state {
    RA_PM_NO_INCIDENT, /* no loss breaks a tag */
    RA_PM_ONGOING,     /* the newest snapshot still cannot pull a tag a loss broke */
    RA_PM_REPAIRED,    /* every tag a loss broke pulls again */
};

/* What the evidence says about the response: the wording is the report's. */
enum ra_pm_lesson {
    RA_PM_L_INDEX_RESOLVED = 0, /* wrong: a broken tag still resolves to its index */
    RA_PM_L_NO_ALERT,           /* wrong: no alert before the first failure */
    RA_PM_L_FLOATING_GC,        /* wrong: garbage-collect ran from a floating image */
    RA_PM_L_GC_UNTAGGED,        /* wrong: 2.x garbage-collect with --delete-untagged */
    RA_PM_L_UNRECOVERABLE,      /* wrong: some lost objects are in no snapshot */
    RA_PM_L_LOG_DATES,          /* well: a registry log dates the failures */
    RA_PM_L_GC_LOG,             /* well: a garbage-collect log lists the lost objects */
    RA_PM_L_TRIGGER_KNOWN,      /* well: the config history names the trigger */
    RA_PM_L_ALERTED,            /* well: an alert fired before any failure was logged */
    RA_PM_L_ALL_IN_SNAPSHOT,    /* lucky: every lost object is in a snapshot or storage */
    RA_PM_L_DATA_KEPT,          /* lucky: manifest data stayed; only links went */
    RA_PM_L_RECYCLED,           /* lucky: a recycle bin kept lost blobs */
    RA_PM_L__COUNT
};

/* The clients whose requests for lost objects were answered 404, by address (without
 * its port) and user agent; "" when the log has none. */
struct ra_pm_client {
    const char *addr; /* the log's remote address; addr_len bytes of it, port cut */
    size_t addr_len;
    const char *agent;
    size_t requests;
    size_t in_runs; /* of those, made while a failed pipeline run was running */
    ra_time first, last;
};

struct ra_sched_job;
struct ra_job_version;

struct ra_postmortem {
    const struct ra_scan *newest; /* NULL without snapshots */
    ra_time loss_from;            /* the earliest start of a loss window */
    ra_time loss_to;              /* the earliest end of a loss window */
    ra_time focus_from, focus_to; /* the incident's period (see ra_postmortem_new) */
    /* detection */
    const struct ra_loss *first_bounded; /* the loss whose window ends first */
    const struct ra_scan *first_missing; /* the first snapshot to show a loss */
    struct ra_pm_event first_404;        /* the first 404 for a lost digest */
    struct ra_pm_event
        first_failed_pipeline;       /* the first failed pipeline from loss_from */
    struct ra_pm_event last_failure; /* the latest of either */
    /* root cause */
    struct ra_pm_suspect *suspects; /* best first */
    size_t nsuspects;
    unsigned fingerprints; /* bit (1u << enum ra_fingerprint) per fingerprint matched */
    int floating_gc;       /* a garbage-collect ran from a floating or unknown image */
    int v2_children;       /* ra_correlation_v2_children: 1 a GC -m could make the
                              index-children pattern, 2 only where it could not run */
    /* recovery */
    struct ra_pm_tag_plan *plans; /* newest snapshot's unpullable tags, registry order */
    size_t nplans;
    /* the incident's span: start is the loss's exact time when its window is a point,
     * else the earliest bound (the latest time the object was known to exist; the
     * earliest time it was missing when that is all there is); end the repair, else
     * the newest snapshot's time or the last failure a log shows, whichever is later
     * (ongoing). A top suspect rated high that ran inside the
     * loss window narrows the start to its run. */
    enum ra_pm_state state;
    ra_time start;
    int start_exact;
    const struct ra_firing *start_firing; /* the top suspect, rated high, whose run inside
                                             the loss window is taken as the start */
    ra_time end;
    /* RA_PM_REPAIRED: when the last broken tag was; the first snapshot every broken tag
     * pulls in, or NULL when a rebuild ended it */
    ra_time repaired_at;
    const struct ra_scan *repaired_in;
    /* the successful run of a pipeline that pushes a broken image (the config repo's
     * pushers) after the newest snapshot that shows it broken, and the image */
    struct ra_pm_event rebuilt;
    const char *rebuilt_ref;
    struct ra_pm_event first_success; /* the first successful pull of a lost object
                                         after the loss, from the logs */
    /* what failed, from the logs, from the loss on */
    size_t failed_pipelines;
    struct ra_pm_event *failed_runs; /* the failed_pipelines runs, in time order */
    size_t failed_pulls;             /* requests for a lost digest answered 404 */
    /* who made them, by first request */
    struct ra_pm_client *clients;
    size_t nclients;
    /* the lost objects those requests asked for, in loss order */
    const struct ra_loss **failed_objects;
    size_t nfailed_objects;
    /* time to detect: the first failure the logs show (404 or failed pipeline) */
    struct ra_pm_event detected;
    /* when users first met the damage: the end of the detected event (a 404's time, a
     * failed run's finish), RA_TIME_NONE when no log shows a failure */
    ra_time outage_from;
    /* the first alert that fired from the loss on and concerns the incident (an
       Alertmanager alert in a log, RA_LOG_ALERT, that ra_alert_concerns); event NULL:
       none in the evidence */
    struct ra_pm_event first_alert;
    size_t other_alerts; /* alerts from the loss on that concern neither the registry
                            nor a lost repository */
    /* trigger: the config commit that brought in the top suspect's damaging version */
    const struct ra_sched_job *trigger_job;
    const struct ra_job_version *trigger;
    /* the first broken tag that is an index, when its current link's time is known in
     * the newest snapshot (its push), and whether start_firing is its job's first run
     * after that push (the run that met the index first: the trigger) */
    const struct ra_tag_result *index_tag;
    ra_time index_pushed;
    int first_run_since_push;
    /* what else went in the first loss's window and breaks no tag */
    struct ra_bystanders bystanders;
    /* the run taken as the start (start_firing, else the top suspect): did its job run
     * again unchanged inside the period, and when did the config take the damage out */
    struct ra_recurrence recurrence;
    unsigned lessons; /* bit (1u << enum ra_pm_lesson) per lesson the evidence supports */
    size_t unrecoverable; /* lost objects for broken tags that no snapshot holds */
};

/* Decide. The focus window is a week either side of the loss windows; without losses,
 * the week before the first snapshot to the newest. */
int ra_postmortem_new(struct ra_postmortem **out, const struct ra_investigation *inv,
                      struct ra_err *err);
void ra_postmortem_free(struct ra_postmortem *pm);

/* Seconds from a to b, or -1 when either is unknown or b is before a. */
int64_t ra_postmortem_span(ra_time a, ra_time b);

/* The damage lay latent from the start to the first failure the logs show (outage_from);
 * the outage users saw ran from that failure to the end (the repair, or the end of the
 * evidence while ongoing). Seconds, or -1 when a bound is unknown or no incident. */
int64_t ra_postmortem_latent(const struct ra_postmortem *pm);
int64_t ra_postmortem_outage(const struct ra_postmortem *pm);

/* Does the evidence support lesson l? */
int ra_postmortem_lesson(const struct ra_postmortem *pm, enum ra_pm_lesson l);

/* Did any loss match fingerprint fp? */
int ra_postmortem_matched(const struct ra_postmortem *pm, enum ra_fingerprint fp);

/* Does event e (time, or time..until) overlap the focus window? */
int ra_postmortem_in_focus(const struct ra_postmortem *pm, ra_time time, ra_time until);

/* Is t the time of a suspect firing rated medium or high? */
int ra_postmortem_suspect_at(const struct ra_postmortem *pm, ra_time t);

/* The newest verified copy of d in a snapshot's recycle bin, else the newest; NULL when
 * none (*snap: its snapshot). */
const struct ra_recycled_blob *
ra_postmortem_recycled_copy(const struct ra_investigation *inv, const struct ra_digest *d,
                            const struct ra_snapshot **snap);

struct ra_event;

/* The timeline's diagram draws at most this many key events (the latest), then the
 * repair; the table has every key event and row. */
#define RA_PM_DIAGRAM_MAX 12

/* Where an event of the incident's period goes in the post-mortem's timeline. */
enum ra_pm_role {
    RA_PM_ROLE_KEY = 0, /* a row of the table and an event of the diagram */
    RA_PM_ROLE_ROW,     /* a row of the table only */
    RA_PM_ROLE_ROUTINE, /* routine: folded into one sentence (the JSON keeps the row) */
    RA_PM_ROLE_REPEAT,  /* says again what the report shows elsewhere: folded too */
};

/* The role of e, an event of the focus window:
 * - key: the losses, config commits, a push of a lost object or of a broken tag, the
 *   run of a suspect rated medium or high, the first signs of the damage (the first
 *   failed pipeline, each lost object's first 404, the first alert) and every log line
 *   up to the earliest of them (ra_postmortem_first_sign: API deletes, say);
 * - row: the other manifests of such a push, runs inside a loss window of jobs rated
 *   low, later log lines (more failures, later 404s and alerts), log lines dated to the
 * day only, snapshots whose mtimes are not used, a storage diff no loss row covers;
 * - routine: each job's runs over the period, blob uploads, layer links, uploads,
 *   alerts that do not concern the incident (ra_postmortem_alert_unrelated),
 *   pushes unrelated to the losses, routine log lines folded per day (requests answered
 *   404, pipelines that did not fail);
 * - repeat: a snapshot taken (Evidence examined lists it), the storage diff between two
 *   snapshots where a loss row says what went, a garbage-collect log's day-dated line
 *   whose run has a row (ra_postmortem_gc_run_of). */
enum ra_pm_role ra_postmortem_role(const struct ra_postmortem *pm,
                                   const struct ra_investigation *inv,
                                   const struct ra_event *e);

/* A garbage-collect log's line dated to the day only (from its file name): the one
 * garbage-collect run of the config inside that day, which wrote it; NULL when e is no
 * such line or the day has no run or more than one. Its role is repeat: the run's row
 * says what its log says. */
const struct ra_firing *ra_postmortem_gc_run_of(const struct ra_investigation *inv,
                                                const struct ra_event *e);

/* The repositories of the lost objects and of the tags they break, each once, appended
 * to out (borrowed from the losses); returns out's length. */
size_t ra_postmortem_lost_repositories(struct ra_vec *out,
                                       const struct ra_investigation *inv);

/* Is e an alert's timeline event (RA_EV_LOG from an RA_LOG_ALERT line) whose alert
 * concerns neither the registry nor a lost repository (ra_alert_concerns)? Such an
 * alert is routine: counted in the timeline's sentence, no row, not drawn. */
int ra_postmortem_alert_unrelated(const struct ra_investigation *inv,
                                  const struct ra_event *e);

/* The earliest of the first failed pipeline, the first 404 for a lost object and the
 * first alert (RA_TIME_NONE when none). */
ra_time ra_postmortem_first_sign(const struct ra_postmortem *pm);

#endif
