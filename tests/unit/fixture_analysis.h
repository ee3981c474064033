/* SPDX-License-Identifier: MIT */
/* The builders shared by the analysis and report unit tests, on top of fixture.h
 * (tests/unit/fixture_analysis.c, linked into the tests of those two layers only: the
 * model's and ingest's tests do not link the analysis layer): scans made by hand and a
 * hand-built investigation. */
#ifndef RA_TESTS_FIXTURE_ANALYSIS_H
#define RA_TESTS_FIXTURE_ANALYSIS_H

#include "analysis/investigate.h"
#include "analysis/postmortem.h"
#include "analysis/pull.h"
#include "analysis/scan.h"
#include "model/graph.h"

#include "fixture.h"

/* ---- scans ------------------------------------------------------------------------ */

/* A scan made by hand: snapshot name from source, taken at taken (by its name),
 * complete, no mtimes, with graphs (taken over) judged by ra_pull_analyze with popts
 * (NULL: the defaults). Free with ra_scan_free. */
struct ra_scan *fix_scan(const char *name, const char *source, ra_time taken,
                         struct ra_graph *const *graphs, size_t n,
                         const struct ra_pull_opts *popts);

/* ---- an investigation ---------------------------------------------------------------
 */

/* One registry root "" with infra-ci:latest, snapshots on the 12th (pulls), 13th and
 * 14th (do not) at 01:00, losses of blobs between 01:00 and 03:25:01 on the 12th: for
 * the tests of what reads an investigation, ra_postmortem (test_postmortem.c) and the
 * post-mortem sections (report/pm_fixture.h). */

/* The members, so that a test's own fixture can hold them in an anonymous struct. */
#define FIX_INV_MEMBERS                                                                  \
    struct ra_investigation inv;                                                         \
    struct ra_losses losses;                                                             \
    struct ra_correlation corr;                                                          \
    struct ra_loss loss[2];                                                              \
    struct ra_cause cause[2];                                                            \
    struct ra_suspect sus[3];                                                            \
    struct ra_match match[2];                                                            \
    struct ra_firing firing[2];                                                          \
    struct ra_graph graph;                                                               \
    struct ra_snapshot snap[3];                                                          \
    struct ra_scan scan[3];                                                              \
    struct ra_scan *scans[3];                                                            \
    struct ra_registry_result reg[3];                                                    \
    struct ra_registry_result *regs[3][1];                                               \
    struct ra_tag_result tag[3];                                                         \
    struct ra_loss_tag latest; /* the tag every loss breaks */                           \
    struct ra_timeline timeline;

struct fix_inv {
    FIX_INV_MEMBERS
};

/* nscans snapshots (of 3) and nloss losses (of 2), wired into f->inv. */
void fix_inv_init(struct fix_inv *f, size_t nscans, size_t nloss);
void fix_inv_release(struct fix_inv *f);

#endif
