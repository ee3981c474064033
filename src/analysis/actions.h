/* SPDX-License-Identifier: MIT */
/* The post-mortem's action items, decided from the evidence: which ones the incident
 * calls for, the priority of each, and the commit of the config repository that already
 * made the change. The report words them (report/pm_prevention.c). */
#ifndef RA_ANALYSIS_ACTIONS_H
#define RA_ANALYSIS_ACTIONS_H

#include <stddef.h>

struct ra_commit_info;
struct ra_investigation;
struct ra_postmortem;

enum ra_action_kind {
    RA_ACT_BRING_BACK = 0,   /* the newest snapshot still cannot pull a broken tag */
    RA_ACT_STOP_GC_UNTAGGED, /* 2.x garbage-collect -m could take index children */
    RA_ACT_PIN_IMAGE,        /* the registry image floats, or 2.x took index children */
    RA_ACT_GC_READONLY,      /* a garbage-collect fingerprint matched */
    RA_ACT_PRUNE_API,        /* tags were pruned by removing folders */
    RA_ACT_RESTRICT_DELETE,  /* a DELETE through the API removed what was lost */
    RA_ACT_VERIFY_RESTORES,  /* objects went missing in a way no GC explains */
    RA_ACT_PROBE,            /* always: probe that pushed images stay pullable */
    RA_ACT_ACT_ON_FORECAST,  /* the next scheduled garbage-collect breaks a tag */
    RA_ACT__COUNT
};

/* "bring_back", "stop_gc_untagged", ...: the JSON's names. */
const char *ra_action_kind_name(enum ra_action_kind k);

/* Priorities: 0 ends this incident or removes what caused it (a cause the suspects and
 * fingerprints point at, a forecast break); 1 makes the next one visible or explainable,
 * or hardens against a cause that matched alongside; 2 hardens. */
struct ra_action {
    enum ra_action_kind kind;
    int priority;
    /* the first commit after the losses began from which the config repository's head
     * fulfils the item (no garbage-collect runs with -m; every registry image pinned);
     * for the probe, the commit from which the head has a probe that would have seen
     * this damage (ra_detection_gap_caught_since); NULL: open */
    const struct ra_commit_info *done_by;
};

/* The items the evidence calls for, by priority, then in enum order. Fills
 * out[0..RA_ACT__COUNT) and returns how many. The probe item is P0 when nothing in
 * the evidence showed the damage within a day of the start (no failure, 404 or alert
 * logged by then) and no probe of the config would have caught it; else P1. */
size_t ra_actions_decide(struct ra_action *out, const struct ra_postmortem *pm,
                         const struct ra_investigation *inv);

#endif
