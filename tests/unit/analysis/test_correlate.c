/* SPDX-License-Identifier: MIT */
/* ra_correlate: fingerprints and ranked suspects for losses found across hand-built
 * scans (graphs through the model API, manifests parsed from real JSON, a 2.x
 * garbage-collect applied with ra_gc_apply), against hand-made firings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/correlate.h"
#include "analysis/gcsim.h"
#include "analysis/logs.h"
#include "config/jobs/jobs.h"
#include "model/graph.h"
#include "util/buf.h"

#include "fixture_analysis.h"

#define SNAP1 "reg-2026-04-12T0100Z"
#define SNAP2 "reg-2026-04-13T0100Z"
#define T1 APR(12, 1, 0)
#define T2 APR(13, 1, 0)

/* ---- graphs --------------------------------------------------------------------- */

/* infra-ci:latest -> index '1' over '2' (amd64: '4', '6') and '3' (arm64: '5', '7'),
 * pushed 2026-04-06T09:00Z. */
static struct ra_graph *index_graph(void)
{
    struct ra_graph *g = fix_graph(ROOT);
    ra_time t = APR(6, 9, 0);

    fix_push_image(g, REPO, '2', '4', '6', "amd64", t);
    fix_push_image(g, REPO, '3', '5', '7', "arm64", t);
    fix_index(g, '1', "23", FIX_AMD64_ARM64, 555);
    fix_revision_link(g, REPO, '1', t + 60);
    fix_tag(g, REPO, "latest", '1', t + 60);
    return g;
}

/* What Distribution 2.8 garbage-collect -m leaves of g. */
static struct ra_graph *after_v2_gc(struct ra_graph *g)
{
    struct ra_gc_opts o = {RA_GC_V2, 1, 0};
    struct ra_gc_result *r = NULL;

    ra_gc_simulate(&r, g, &o);
    assert_null(r->aborted);
    assert_int_equal(r->blobs.len, 4);
    ra_gc_apply(g, r);
    ra_gc_result_free(r);
    return g;
}

/* ---- scans made by hand ------------------------------------------------------- */

/* trusted: member mtimes look real (from 2026-04-01 to an hour before taken);
 * otherwise the snapshot carries none. */
static struct ra_scan *make_scan(const char *name, ra_time taken, struct ra_graph *g,
                                 int trusted)
{
    struct ra_scan *s = fix_scan(name, name, taken, &g, 1, NULL);

    s->snap->entries = 100;
    s->snap->newest_mtime = trusted ? taken - 3600 : RA_TIME_NONE;
    s->snap->oldest_mtime = trusted ? APR(1, 0, 0) : RA_TIME_NONE;
    return s;
}

struct fx {
    struct ra_scan *scans[3];
    size_t n;
    struct ra_losses *losses;
    struct ra_correlation *corr;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    *state = f;
    return f ? 0 : -1;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    size_t i;

    ra_correlation_free(f->corr);
    ra_losses_free(f->losses);
    for (i = 0; i < f->n; i++)
        ra_scan_free(f->scans[i]);
    free(f);
    return 0;
}

static void add_scan(struct fx *f, const char *name, ra_time taken, struct ra_graph *g,
                     int trusted)
{
    f->scans[f->n++] = make_scan(name, taken, g, trusted);
}

static void correlate(struct fx *f, const struct ra_firing *firings, size_t n)
{
    ra_losses_find(&f->losses, f->scans, f->n);
    ra_correlate(&f->corr, f->losses, firings, n);
    assert_int_equal(f->corr->causes.len, f->losses->items.len);
}

/* ---- firings -------------------------------------------------------------------- */

static struct ra_firing gc_firing(const char *id, ra_time t, int m, const char *version,
                                  int floating)
{
    struct ra_firing f;

    memset(&f, 0, sizeof(f));
    f.time = t;
    f.job_id = id;
    f.job_name = id;
    f.classes = RA_JOB_GARBAGE_COLLECT;
    f.delete_untagged = m;
    f.registry_version = version;
    f.version_floating = floating;
    f.defined_in = "etc/cron.d/registry-gc:3";
    return f;
}

static struct ra_firing job_firing(const char *id, ra_time t, unsigned classes)
{
    struct ra_firing f;

    memset(&f, 0, sizeof(f));
    f.time = t;
    f.job_id = id;
    f.job_name = id;
    f.classes = classes;
    f.defined_in = "cleanup/cleanup-tags.sh:1";
    return f;
}

/* ---- expectations ----------------------------------------------------------------- */

static const struct ra_cause *cause_of(struct fx *f, enum ra_object_kind obj, char c)
{
    struct ra_digest d = dg(c);
    size_t i;

    for (i = 0; i < f->corr->causes.len; i++) {
        const struct ra_cause *k = f->corr->causes.items[i];
        if (k->loss->object == obj && !ra_digest_cmp(&k->loss->digest, &d))
            return k;
    }
    fail_msg("no %s loss of %c", ra_object_kind_name(obj), c);
    return NULL;
}

static const struct ra_cause *tag_cause(struct fx *f, const char *tag)
{
    size_t i;

    for (i = 0; i < f->corr->causes.len; i++) {
        const struct ra_cause *k = f->corr->causes.items[i];
        if (k->loss->object == RA_OBJ_TAG && !strcmp(k->loss->tag_name, tag))
            return k;
    }
    fail_msg("no loss of tag %s", tag);
    return NULL;
}

static void dump(const struct ra_cause *c)
{
    size_t i;

    for (i = 0; i < c->matches.len; i++) {
        const struct ra_match *m = c->matches.items[i];
        print_message("  match %s: %s\n", ra_fingerprint_name(m->fp), m->detail);
    }
    for (i = 0; i < c->suspects.len; i++) {
        const struct ra_suspect *s = c->suspects.items[i];
        print_message("  suspect %s %s: %s\n", s->firing->job_id,
                      ra_confidence_name(s->confidence), s->reason);
    }
}

static int has_match(const struct ra_cause *c, enum ra_fingerprint fp)
{
    size_t i;

    for (i = 0; i < c->matches.len; i++)
        if (((const struct ra_match *)c->matches.items[i])->fp == fp)
            return 1;
    return 0;
}

/* Matches, in order: fingerprint name and detail. */
struct want_match {
    enum ra_fingerprint fp;
    const char *detail;
};

static void expect_matches(const struct ra_cause *c, const struct want_match *w, size_t n)
{
    size_t i;

    if (c->matches.len != n) {
        dump(c);
        fail_msg("%zu matches, want %zu", c->matches.len, n);
    }
    for (i = 0; i < n; i++) {
        const struct ra_match *m = c->matches.items[i];
        assert_string_equal(ra_fingerprint_name(m->fp), ra_fingerprint_name(w[i].fp));
        assert_string_equal(m->detail, w[i].detail);
    }
}

/* Suspects, best first: job id and confidence. */
struct want_suspect {
    const char *job;
    enum ra_confidence conf;
};

static void expect_suspects(const struct ra_cause *c, const struct want_suspect *w,
                            size_t n)
{
    size_t i;

    if (c->suspects.len != n) {
        dump(c);
        fail_msg("%zu suspects, want %zu", c->suspects.len, n);
    }
    for (i = 0; i < n; i++) {
        const struct ra_suspect *s = c->suspects.items[i];
        if (strcmp(s->firing->job_id, w[i].job) || s->confidence != w[i].conf) {
            dump(c);
            fail_msg("suspect %zu: %s %s, want %s %s", i, s->firing->job_id,
                     ra_confidence_name(s->confidence), w[i].job,
                     ra_confidence_name(w[i].conf));
        }
    }
}

static const struct ra_suspect *suspect(const struct ra_cause *c, size_t i)
{
    assert_true(i < c->suspects.len);
    return c->suspects.items[i];
}

/* ---- the incident: 2.x GC -m took the children of a tagged index ---------------- */

static void incident(struct fx *f)
{
    add_scan(f, SNAP1, T1, index_graph(), 1);
    add_scan(f, SNAP2, T2, after_v2_gc(index_graph()), 1);
}

static void test_correlate__v2_index_children_fingerprints(void **state)
{
    struct fx *f = *state;
    static const struct want_match blob[] = {
        {RA_FP_GC_V2_INDEX_CHILDREN,
         "config sha256:444444444444 of the linux/amd64 manifest sha256:222222222222 "
         "in 'infra-ci' was deleted; its _layers link was left dangling"},
        {RA_FP_GC_SWEEP,
         "garbage-collect as Distribution 2.x with --delete-untagged, run "
         "on snapshot " SNAP1 ", deletes it"},
    };
    static const struct want_match blob6[] = {
        {RA_FP_GC_V2_INDEX_CHILDREN,
         "layer sha256:666666666666 of the linux/amd64 manifest sha256:222222222222 "
         "in 'infra-ci' was deleted; its _layers link was left dangling"},
        {RA_FP_GC_SWEEP,
         "garbage-collect as Distribution 2.x with --delete-untagged, run "
         "on snapshot " SNAP1 ", deletes it"},
    };
    static const struct want_match link[] = {
        {RA_FP_GC_V2_INDEX_CHILDREN, "child of tagged index sha256:111111111111 lost its "
                                     "revision link; its manifest data is still present"},
        {RA_FP_GC_SWEEP,
         "garbage-collect as Distribution 2.x with --delete-untagged, run "
         "on snapshot " SNAP1 ", deletes it"},
    };
    static const struct want_match blob3[] = {
        {RA_FP_GC_V2_INDEX_CHILDREN,
         "layer sha256:777777777777 of the linux/arm64 manifest sha256:333333333333 "
         "in 'infra-ci' was deleted; its _layers link was left dangling"},
        {RA_FP_GC_SWEEP,
         "garbage-collect as Distribution 2.x with --delete-untagged, run "
         "on snapshot " SNAP1 ", deletes it"},
    };

    incident(f);
    correlate(f, NULL, 0);
    assert_int_equal(f->corr->causes.len, 6);
    /* the causes follow the losses */
    assert_ptr_equal(((struct ra_cause *)f->corr->causes.items[0])->loss,
                     f->losses->items.items[0]);
    expect_matches(cause_of(f, RA_OBJ_BLOB, '4'), blob, RA_ARRAY_SIZE(blob));
    expect_matches(cause_of(f, RA_OBJ_BLOB, '6'), blob6, RA_ARRAY_SIZE(blob6));
    expect_matches(cause_of(f, RA_OBJ_BLOB, '7'), blob3, RA_ARRAY_SIZE(blob3));
    expect_matches(cause_of(f, RA_OBJ_MANIFEST_LINK, '2'), link, RA_ARRAY_SIZE(link));
    expect_matches(cause_of(f, RA_OBJ_MANIFEST_LINK, '3'), link, RA_ARRAY_SIZE(link));
    /* no firings, no suspects */
    assert_int_equal(cause_of(f, RA_OBJ_BLOB, '4')->suspects.len, 0);
}

static void test_correlate__v2_delete_untagged_firing_is_high(void **state)
{
    struct fx *f = *state;
    const struct ra_firing firings[] = {
        gc_firing("gc-plain", APR(12, 4, 0), 0, "2", 1),     /* no -m */
        gc_firing("gc-v3", APR(12, 6, 0), 1, "3.0.0", 0),    /* 3.x keeps children */
        gc_firing("gc", APR(12, 3, 25), 1, "2", 1),          /* the culprit */
        gc_firing("gc-early", APR(12, 3, 0), 1, "2.8.3", 0), /* as guilty, earlier */
        gc_firing("gc-before", APR(11, 3, 25), 1, "2", 1),   /* before the window */
        gc_firing("gc-at-start", T1, 1, "2", 1),             /* (from, to]: excluded */
        gc_firing("gc-at-end", T2, 1, "2", 1),               /* included */
        gc_firing("gc-after", APR(13, 3, 25), 1, "2", 1),    /* after the window */
        job_firing("backup", APR(12, 2, 0), RA_JOB_BACKUP),
        job_firing("probe", APR(12, 2, 0), RA_JOB_PROBE),
    };
    struct ra_firing dry = gc_firing("gc-dry", APR(12, 5, 0), 1, "2", 1);
    struct ra_firing all[RA_ARRAY_SIZE(firings) + 1];
    static const struct want_suspect blob[] = {
        {"gc-early", RA_CONF_HIGH}, {"gc", RA_CONF_HIGH},   {"gc-at-end", RA_CONF_HIGH},
        {"gc-plain", RA_CONF_LOW},  {"gc-v3", RA_CONF_LOW},
    };
    static const struct want_suspect link[] = {
        {"gc-early", RA_CONF_HIGH},
        {"gc", RA_CONF_HIGH},
        {"gc-at-end", RA_CONF_HIGH},
        {"gc-v3", RA_CONF_LOW},
    };
    const struct ra_cause *c;

    memcpy(all, firings, sizeof(firings));
    dry.dry_run = 1;
    all[RA_ARRAY_SIZE(firings)] = dry;
    incident(f);
    correlate(f, all, RA_ARRAY_SIZE(all));

    c = cause_of(f, RA_OBJ_BLOB, '6');
    expect_suspects(c, blob, RA_ARRAY_SIZE(blob));
    assert_string_equal(
        suspect(c, 1)->reason,
        "gc (etc/cron.d/registry-gc:3) ran in the window and can delete this kind of "
        "object; it runs with --delete-untagged on registry 2 (a floating tag: 2.x was "
        "likely in effect), and the loss has the fingerprint of 2.x GC taking index "
        "children; simulating it (Distribution 2.x with --delete-untagged) on the "
        "previous "
        "snapshot deletes exactly this");
    assert_string_equal(
        suspect(c, 0)->reason,
        "gc-early (etc/cron.d/registry-gc:3) ran in the window and can delete this kind "
        "of "
        "object; it runs with --delete-untagged on registry 2.8.3, and the loss has the "
        "fingerprint of 2.x GC taking index children; simulating it (Distribution 2.x "
        "with "
        "--delete-untagged) on the previous snapshot deletes exactly this");
    assert_string_equal(
        suspect(c, 3)->reason,
        "gc-plain (etc/cron.d/registry-gc:3) ran in the window and can delete this kind "
        "of "
        "object; but it runs without --delete-untagged, which keeps index children; "
        "simulating it (Distribution 2.x) on the previous snapshot does not delete this");
    assert_string_equal(
        suspect(c, 4)->reason,
        "gc-v3 (etc/cron.d/registry-gc:3) ran in the window and can delete this kind of "
        "object; but registry 3.x keeps index children; simulating it (Distribution 3.x "
        "with --delete-untagged) on the previous snapshot does not delete this");
    /* the firing struct is the caller's, borrowed */
    assert_ptr_equal(suspect(c, 1)->firing, &all[2]);

    /* a revision link: only GC with -m (or a tag prune) can delete it */
    c = cause_of(f, RA_OBJ_MANIFEST_LINK, '2');
    expect_suspects(c, link, RA_ARRAY_SIZE(link));
    assert_non_null(strstr(suspect(c, 0)->reason, "--delete-untagged"));
}

static void test_correlate__unknown_version_counts_as_floating(void **state)
{
    struct fx *f = *state;
    const struct ra_firing firings[] = {gc_firing("gc", APR(12, 3, 25), 1, NULL, 0)};
    const struct ra_cause *c;

    incident(f);
    correlate(f, firings, 1);
    c = cause_of(f, RA_OBJ_MANIFEST_LINK, '3');
    assert_int_equal(c->suspects.len, 1);
    assert_int_equal(suspect(c, 0)->confidence, RA_CONF_HIGH);
    assert_non_null(
        strstr(suspect(c, 0)->reason,
               "it runs with --delete-untagged on registry (version unknown) (a "
               "floating tag: 2.x was likely in effect)"));
}

static void test_correlate__window_without_start(void **state)
{
    struct fx *f = *state;
    const struct ra_firing firings[] = {
        gc_firing("gc-9-days", T2 - 9 * 86400, 1, "2", 1),
        gc_firing("gc-8-days", T2 - 8 * 86400, 1, "2", 1), /* (to - 8 days, to] */
        gc_firing("gc-7-days", T2 - 7 * 86400, 1, "2", 1),
        gc_firing("gc", APR(12, 3, 25), 1, "2", 1),
    };
    static const struct want_suspect w[] = {
        {"gc-7-days", RA_CONF_MEDIUM},
        {"gc", RA_CONF_MEDIUM},
    };
    const struct ra_cause *c;

    /* one snapshot, times not trusted: no bound on the start */
    add_scan(f, SNAP2, T2, after_v2_gc(index_graph()), 0);
    correlate(f, firings, RA_ARRAY_SIZE(firings));
    c = cause_of(f, RA_OBJ_BLOB, '4');
    assert_int_equal(c->loss->from.time, RA_TIME_NONE);
    assert_int_equal(c->loss->to.time, T2);
    expect_suspects(c, w, RA_ARRAY_SIZE(w));
    assert_string_equal(
        suspect(c, 1)->reason,
        "gc (etc/cron.d/registry-gc:3) ran in the window and can delete this kind of "
        "object; it runs with --delete-untagged on registry 2 (a floating tag: 2.x was "
        "likely in effect), and the loss has the fingerprint of 2.x GC taking index "
        "children; the window has no known start");
    /* no previous snapshot: no simulation, only the fingerprint of what is left */
    assert_int_equal(c->matches.len, 1);
    assert_int_equal(((struct ra_match *)c->matches.items[0])->fp,
                     RA_FP_GC_V2_INDEX_CHILDREN);
}

/* ---- other losses ----------------------------------------------------------------- */

/* infra-ci:latest -> '2' ('4', '6'), pushed at t. */
static struct ra_graph *image_graph(ra_time t)
{
    struct ra_graph *g = fix_graph(ROOT);

    fix_push_image(g, REPO, '2', '4', '6', "amd64", t);
    fix_tag(g, REPO, "latest", '2', t);
    return g;
}

static void drop_blob(struct ra_graph *g, char c)
{
    struct ra_digest d = dg(c);

    ra_graph_find_blob(g, &d)->present = 0;
}

static void test_correlate__lost_files_when_no_gc_deletes_it(void **state)
{
    struct fx *f = *state;
    struct ra_graph *g2 = image_graph(APR(6, 9, 0));
    const struct ra_firing firings[] = {gc_firing("gc", APR(12, 3, 25), 1, "2", 1)};
    static const struct want_match w[] = {
        {RA_FP_LOST_FILES, "no garbage-collect (2.x or 3.x, with or without "
                           "--delete-untagged) run on snapshot " SNAP1 " deletes it"},
    };
    const struct ra_cause *c;

    drop_blob(g2, '6');
    add_scan(f, SNAP1, T1, image_graph(APR(6, 9, 0)), 1);
    add_scan(f, SNAP2, T2, g2, 1);
    correlate(f, firings, 1);
    assert_int_equal(f->corr->causes.len, 1);
    c = cause_of(f, RA_OBJ_BLOB, '6');
    expect_matches(c, w, RA_ARRAY_SIZE(w));
    assert_true(ra_correlation_lost_files_alone(f->corr)); /* its data is gone too */
    assert_int_equal(c->suspects.len, 1);
    assert_int_equal(suspect(c, 0)->confidence, RA_CONF_LOW);
    assert_string_equal(
        suspect(c, 0)->reason,
        "gc (etc/cron.d/registry-gc:3) ran in the window and can delete this "
        "kind of object; simulating it (Distribution 2.x with "
        "--delete-untagged) on the previous snapshot does not delete this");
}

static void test_correlate__lost_files_without_earlier_snapshot(void **state)
{
    struct fx *f = *state;
    struct ra_graph *g = image_graph(APR(6, 9, 0));
    static const struct want_match w[] = {
        {RA_FP_LOST_FILES, "tag 'infra-ci:latest' references it directly: every GC marks "
                           "it, yet its data is gone"},
    };

    drop_blob(g, '6');
    add_scan(f, SNAP2, T2, g, 0);
    correlate(f, NULL, 0);
    expect_matches(cause_of(f, RA_OBJ_BLOB, '6'), w, RA_ARRAY_SIZE(w));
}

/* A manifest pushed at 03:10 whose layer a GC at 03:25 swept (uploaded after its mark).
 */
static void race(struct fx *f, ra_time pushed)
{
    struct ra_graph *g = image_graph(pushed);

    drop_blob(g, '6');
    add_scan(f, SNAP1, T1, fix_graph(ROOT), 1);
    add_scan(f, SNAP2, T2, g, 1);
}

static void test_correlate__gc_race_push(void **state)
{
    struct fx *f = *state;
    const struct ra_firing firings[] = {gc_firing("gc", APR(12, 3, 25), 1, "2", 1)};
    static const struct want_match w[] = {
        /* a race is what the GC did: lost_files, which it would match too, is dropped */
        {RA_FP_GC_RACE,
         "manifest sha256:222222222222 was pushed at 2026-04-12T03:10:00Z, "
         "within 30 minutes of gc running"},
    };
    const struct ra_cause *c;

    race(f, APR(12, 3, 10));
    correlate(f, firings, 1);
    c = cause_of(f, RA_OBJ_BLOB, '6');
    /* dated by the push of the manifest that references it */
    assert_int_equal(c->loss->from.kind, RA_BOUND_PARENT_PUSH);
    assert_int_equal(c->loss->from.time, APR(12, 3, 10));
    expect_matches(c, w, RA_ARRAY_SIZE(w));
    assert_int_equal(c->suspects.len, 1);
    assert_int_equal(suspect(c, 0)->confidence, RA_CONF_MEDIUM);
    assert_string_equal(
        suspect(c, 0)->reason,
        "gc (etc/cron.d/registry-gc:3) ran in the window and can delete this "
        "kind of object; a push ran minutes before it (GC is unsafe during "
        "pushes)");
}

static void test_correlate__gc_race_needs_30_minutes(void **state)
{
    struct fx *f = *state;
    /* exactly 30 minutes: a race; the dry run and the backup never count */
    struct ra_firing firings[] = {
        gc_firing("gc-dry", APR(12, 3, 20), 1, "2", 1),
        job_firing("backup", APR(12, 3, 20), RA_JOB_BACKUP),
        gc_firing("gc", APR(12, 3, 40), 1, "2", 1),
    };
    const struct ra_cause *c;

    firings[0].dry_run = 1;
    race(f, APR(12, 3, 10));
    correlate(f, firings, RA_ARRAY_SIZE(firings));
    c = cause_of(f, RA_OBJ_BLOB, '6');
    assert_int_equal(c->matches.len, 1);
    assert_int_equal(((struct ra_match *)c->matches.items[0])->fp, RA_FP_GC_RACE);
    assert_non_null(
        strstr(((struct ra_match *)c->matches.items[0])->detail, "of gc running"));
}

static void test_correlate__no_race_past_30_minutes(void **state)
{
    struct fx *f = *state;
    const struct ra_firing firings[] = {gc_firing("gc", APR(12, 3, 41), 1, "2", 1)};
    const struct ra_cause *c;

    race(f, APR(12, 3, 10));
    correlate(f, firings, 1);
    c = cause_of(f, RA_OBJ_BLOB, '6');
    assert_int_equal(c->matches.len, 1);
    assert_int_equal(((struct ra_match *)c->matches.items[0])->fp, RA_FP_LOST_FILES);
    /* still a suspect: it ran in the window and deletes blobs */
    assert_int_equal(c->suspects.len, 1);
    assert_int_equal(suspect(c, 0)->confidence, RA_CONF_MEDIUM);
}

static void test_correlate__race_needs_trusted_times(void **state)
{
    struct fx *f = *state;
    const struct ra_firing firings[] = {gc_firing("gc", APR(12, 3, 25), 1, "2", 1)};
    struct ra_graph *g = image_graph(APR(12, 3, 10));
    const struct ra_cause *c;

    drop_blob(g, '6');
    add_scan(f, SNAP1, T1, fix_graph(ROOT), 1);
    add_scan(f, SNAP2, T2, g, 0);
    correlate(f, firings, 1);
    c = cause_of(f, RA_OBJ_BLOB, '6');
    assert_int_equal(c->matches.len, 1);
    assert_int_equal(((struct ra_match *)c->matches.items[0])->fp, RA_FP_LOST_FILES);
}

/* tools/kubectl:v1, :v2 and :v3 -> '2'. Then v1's folder is removed, v2 loses its
 * current link, and (unlinked) a garbage-collect -m takes '2': its revision link and,
 * since nothing marks them any more, its data, config and layer. */
static struct ra_graph *tags_graph(int pruned, int unlinked)
{
    struct ra_graph *g = fix_graph(ROOT);
    struct ra_repo *r;
    struct ra_tag *t;
    struct ra_digest two = dg('2');

    fix_push_image(g, "tools/kubectl", '2', '4', '6', "amd64", APR(6, 9, 0));
    fix_tag(g, "tools/kubectl", "v1", '2', APR(6, 9, 0));
    fix_tag(g, "tools/kubectl", "v2", '2', APR(6, 9, 0));
    if (!pruned)
        return g;
    r = fix_repo(g, "tools/kubectl");
    t = ra_map_del(&r->tags, "v1", 2);
    ra_map_release(&t->history);
    ((struct ra_tag *)ra_map_gets(&r->tags, "v2"))->has_current = 0;
    if (unlinked) {
        ra_map_del(&r->revisions, two.b, sizeof(two.b));
        drop_blob(g, '2');
        drop_blob(g, '4');
        drop_blob(g, '6');
    }
    return g;
}

static void test_correlate__tag_prune_is_high_when_folder_gone(void **state)
{
    struct fx *f = *state;
    const struct ra_firing firings[] = {
        job_firing("cleanup-tags", APR(12, 2, 0), RA_JOB_TAG_PRUNE),
        gc_firing("gc", APR(12, 3, 25), 1, "2", 1), /* cannot delete tags */
        job_firing("backup", APR(12, 2, 0), RA_JOB_BACKUP),
    };
    static const struct want_match w[] = {
        {RA_FP_TAG_PRUNE, "the folder of tag 'tools/kubectl:v1' is gone in " SNAP2},
    };
    const struct ra_cause *c;

    add_scan(f, SNAP1, T1, tags_graph(0, 0), 1);
    add_scan(f, SNAP2, T2, tags_graph(1, 0), 1);
    correlate(f, firings, RA_ARRAY_SIZE(firings));
    assert_int_equal(f->corr->causes.len, 2);

    c = tag_cause(f, "v1");
    expect_matches(c, w, RA_ARRAY_SIZE(w));
    assert_int_equal(c->suspects.len, 1);
    assert_string_equal(suspect(c, 0)->firing->job_id, "cleanup-tags");
    assert_int_equal(suspect(c, 0)->confidence, RA_CONF_HIGH);
    assert_string_equal(
        suspect(c, 0)->reason,
        "cleanup-tags (cleanup/cleanup-tags.sh:1) ran in the window and can "
        "delete tags; it removes tag folders, and this tag's folder is gone");

    /* the folder is still there: the prune job remains a plain suspect */
    c = tag_cause(f, "v2");
    assert_int_equal(c->matches.len, 0);
    assert_int_equal(c->suspects.len, 1);
    assert_int_equal(suspect(c, 0)->confidence, RA_CONF_MEDIUM);
    assert_string_equal(
        suspect(c, 0)->reason,
        "cleanup-tags (cleanup/cleanup-tags.sh:1) ran in the window and can "
        "delete tags");
}

static void test_correlate__tag_prune_then_gc(void **state)
{
    struct fx *f = *state;
    const struct ra_cause *c;
    size_t i;
    int found = 0;

    add_scan(f, SNAP1, T1, tags_graph(0, 0), 1);
    add_scan(f, SNAP2, T2, tags_graph(1, 1), 1);
    correlate(f, NULL, 0);
    c = tag_cause(f, "v1");
    for (i = 0; i < c->matches.len; i++) {
        const struct ra_match *m = c->matches.items[i];
        if (m->fp == RA_FP_TAG_PRUNE_THEN_GC) {
            found = 1;
            assert_string_equal(m->detail,
                                "its manifest sha256:222222222222 lost its revision "
                                "link by " SNAP2);
        }
    }
    assert_true(found);
}

/* A _layers link a tag needs is gone: only a 3.x GC deletes those. */
static void test_correlate__layer_link_suspects_only_v3(void **state)
{
    struct fx *f = *state;
    struct ra_graph *g2 = image_graph(APR(6, 9, 0));
    struct ra_digest six = dg('6');
    const struct ra_firing firings[] = {
        gc_firing("gc-v2", APR(12, 3, 25), 1, "2", 1),
        gc_firing("gc-v3", APR(12, 4, 25), 0, "3.0.0", 0),
    };
    const struct ra_cause *c;

    ra_map_del(&fix_repo(g2, REPO)->layers, six.b, sizeof(six.b));
    add_scan(f, SNAP1, T1, image_graph(APR(6, 9, 0)), 1);
    add_scan(f, SNAP2, T2, g2, 1);
    correlate(f, firings, RA_ARRAY_SIZE(firings));
    c = cause_of(f, RA_OBJ_LAYER_LINK, '6');
    assert_string_equal(c->loss->repository, REPO);
    /* the blob's data is still there: the trace of a blob DELETE through the API */
    assert_int_equal(c->suspects.len, 2);
    assert_true(suspect(c, 0)->firing->api_delete);
    assert_int_equal(suspect(c, 0)->confidence, RA_CONF_MEDIUM);
    assert_string_equal(suspect(c, 1)->firing->job_id, "gc-v3");
    /* 3.x marks the layer of a tagged image: the simulation keeps the link */
    assert_int_equal(suspect(c, 1)->confidence, RA_CONF_LOW);
    assert_non_null(strstr(suspect(c, 1)->reason,
                           "simulating it (Distribution 3.x) on the "
                           "previous snapshot does not delete this"));
}

/* ---- NAS metadata a garbage-collect with -m aborts on -------------------------------
 */

#define EADIR "repositories/" REPO "/_manifests/tags/@eaDir"

/* A Synology indexer's @eaDir in infra-ci's tags folder: 2.8's TagService.Lookup fails
 * on it, and a garbage-collect with -m aborts in its mark phase and deletes nothing. */
static struct ra_graph *with_eadir(struct ra_graph *g)
{
    ra_graph_note_meta(g, EADIR, strlen(EADIR), RA_META_EADIR, 1, APR(6, 12, 0));
    return g;
}

/* The arm64 child '3' deleted through the API (its revision link only), then a
 * garbage-collect without -m: it sweeps the child's config and layer, as 2.x -m would. */
static struct ra_graph *after_child_delete_and_plain_gc(struct ra_graph *g)
{
    struct ra_gc_opts o = {RA_GC_V2, 0, 0};
    struct ra_gc_result *r = NULL;
    struct ra_digest three = dg('3');

    ra_map_del(&fix_repo(g, REPO)->revisions, three.b, sizeof(three.b));
    ra_gc_simulate(&r, g, &o);
    assert_null(r->aborted);
    assert_int_equal(r->blobs.len, 2);
    ra_gc_apply(g, r);
    ra_gc_result_free(r);
    return g;
}

#define ABORTS_BOTH                                                                      \
    "a garbage-collect with --delete-untagged aborts on " EADIR                          \
    ", which snapshots " SNAP1 " and " SNAP2 " both hold"

static void test_correlate__gc_m_aborts_on_both_sides(void **state)
{
    struct fx *f = *state;
    const struct ra_firing firings[] = {
        gc_firing("gc", APR(12, 3, 25), 1, "2", 1),
        gc_firing("gc-plain", APR(12, 4, 0), 0, "2", 1),
        job_firing("cleanup-tags", APR(12, 2, 0), RA_JOB_TAG_PRUNE),
    };
    static const struct want_match blob[] = {
        {RA_FP_GC_V2_INDEX_CHILDREN,
         "layer sha256:777777777777 of the linux/arm64 manifest sha256:333333333333 in "
         "'infra-ci' was deleted; its _layers link was left dangling; but " ABORTS_BOTH
         ", so it could not have made "
         "this: a garbage-collect without --delete-untagged sweeps the same blobs once "
         "something else (a DELETE through the registry API, or a hand) removed the "
         "child's revision link"},
    };
    static const struct want_match blob5[] = {
        {RA_FP_GC_V2_INDEX_CHILDREN,
         "config sha256:555555555555 of the linux/arm64 manifest sha256:333333333333 in "
         "'infra-ci' was deleted; its _layers link was left dangling; but " ABORTS_BOTH
         ", so it could not have made "
         "this: a garbage-collect without --delete-untagged sweeps the same blobs once "
         "something else (a DELETE through the registry API, or a hand) removed the "
         "child's revision link"},
    };
    static const struct want_match link[] = {
        {RA_FP_GC_V2_INDEX_CHILDREN,
         "child of tagged index sha256:111111111111 lost its revision link; its manifest "
         "data is still present; but " ABORTS_BOTH ", so it could not have made this: a "
         "DELETE of the child through the registry API, or a hand, removes the same "
         "link"},
        {RA_FP_LOST_FILES,
         "no garbage-collect (2.x or 3.x, with or without "
         "--delete-untagged) run on snapshot " SNAP1 " deletes it (with "
         "--delete-untagged it aborts on " EADIR ")"},
        {RA_FP_API_DELETE,
         "the revision link of sha256:"
         "3333333333333333333333333333333333333333333333333333333333333333 in 'infra-ci' "
         "is gone while the manifest's data is still there, and no garbage-collect with "
         "--delete-untagged could run in the window (it aborts on " EADIR
         "): a DELETE of "
         "the manifest through the registry API removes exactly this link; so does a "
         "hand, "
         "and without the registry's log (--log) the two cannot be told apart"},
    };
    static const struct want_suspect blob_suspects[] = {
        {"gc-plain", RA_CONF_MEDIUM},
        {"gc", RA_CONF_LOW},
    };
    static const struct want_suspect link_suspects[] = {
        {"cleanup-tags", RA_CONF_MEDIUM},
        {"api-delete", RA_CONF_MEDIUM},
        {"gc", RA_CONF_LOW},
    };
    const struct ra_cause *c;

    add_scan(f, SNAP1, T1, with_eadir(index_graph()), 1);
    add_scan(f, SNAP2, T2, with_eadir(after_child_delete_and_plain_gc(index_graph())), 1);
    correlate(f, firings, RA_ARRAY_SIZE(firings));
    assert_int_equal(f->corr->causes.len, 3); /* '5', '7' and the link of '3' */

    c = cause_of(f, RA_OBJ_BLOB, '7');
    assert_string_equal(c->m_abort, EADIR);
    expect_matches(c, blob, RA_ARRAY_SIZE(blob));
    expect_suspects(c, blob_suspects, RA_ARRAY_SIZE(blob_suspects));
    assert_string_equal(
        suspect(c, 0)->reason,
        "gc-plain (etc/cron.d/registry-gc:3) ran in the window and can delete this kind "
        "of "
        "object; it runs without --delete-untagged, which keeps index children, but it "
        "sweeps the config and layers of a child whose revision link something else "
        "removed (a DELETE through the registry API, or a hand), and no garbage-collect "
        "with --delete-untagged could run in the window");
    assert_string_equal(suspect(c, 1)->reason,
                        "gc (etc/cron.d/registry-gc:3) ran in the window and can delete "
                        "this kind of object; but " ABORTS_BOTH
                        ": it could not have deleted this");
    expect_matches(cause_of(f, RA_OBJ_BLOB, '5'), blob5, RA_ARRAY_SIZE(blob5));

    c = cause_of(f, RA_OBJ_MANIFEST_LINK, '3');
    expect_matches(c, link, RA_ARRAY_SIZE(link));
    expect_suspects(c, link_suspects, RA_ARRAY_SIZE(link_suspects));
    assert_string_equal(suspect(c, 0)->reason,
                        "cleanup-tags (cleanup/cleanup-tags.sh:1) "
                        "ran in the window and can delete this kind "
                        "of object");
    assert_string_equal(suspect(c, 2)->reason,
                        "gc (etc/cron.d/registry-gc:3) ran in the window and can delete "
                        "this kind of object; but " ABORTS_BOTH
                        ": it could not have deleted this");
    /* the summary must not call it the work of GC -m */
    assert_int_equal(ra_correlation_v2_children(f->corr), 2);
}

/* A file in the tags folder (.DS_Store: not a directory) aborts it as well; a different
 * entry on each side still leaves no moment for a run. */
static void test_correlate__gc_m_aborts_on_different_entries(void **state)
{
    struct fx *f = *state;
    const struct ra_firing firings[] = {gc_firing("gc", APR(12, 3, 25), 1, "2.8.3", 0)};
    static const char ds[] = "repositories/" REPO "/_manifests/tags/.DS_Store";
    struct ra_graph *g2 = after_child_delete_and_plain_gc(index_graph());
    const struct ra_cause *c;

    ra_graph_note_meta(g2, ds, strlen(ds), RA_META_DS_STORE, 0, APR(12, 12, 0));
    add_scan(f, SNAP1, T1, with_eadir(index_graph()), 1);
    add_scan(f, SNAP2, T2, g2, 1);
    correlate(f, firings, RA_ARRAY_SIZE(firings));
    c = cause_of(f, RA_OBJ_BLOB, '7');
    assert_string_equal(c->m_abort, ds);
    assert_int_equal(c->suspects.len, 1);
    assert_int_equal(suspect(c, 0)->confidence, RA_CONF_LOW);
    assert_string_equal(
        suspect(c, 0)->reason,
        "gc (etc/cron.d/registry-gc:3) ran in the window and can delete "
        "this kind of object; but a garbage-collect with --delete-untagged "
        "aborts on " EADIR " in snapshot " SNAP1 " and on repositories/" REPO
        "/_manifests/tags/.DS_Store in " SNAP2 ": it could not have deleted "
        "this");
}

/* Metadata only in the later snapshot: the run may have come before it appeared. */
static void test_correlate__gc_m_abort_appeared_in_window(void **state)
{
    struct fx *f = *state;
    const struct ra_firing firings[] = {gc_firing("gc", APR(12, 3, 25), 1, "2", 1)};
    static const struct want_match link[] = {
        {RA_FP_GC_V2_INDEX_CHILDREN,
         "child of tagged index sha256:111111111111 lost its revision link; its manifest "
         "data is still present; a garbage-collect with --delete-untagged aborts "
         "on " EADIR ", which snapshot " SNAP2 " holds and " SNAP1
         " did not: it can only have run "
         "before that appeared"},
        {RA_FP_GC_SWEEP,
         "garbage-collect as Distribution 2.x with --delete-untagged, run "
         "on snapshot " SNAP1 ", deletes it"},
    };
    const struct ra_cause *c;

    add_scan(f, SNAP1, T1, index_graph(), 1);
    add_scan(f, SNAP2, T2, with_eadir(after_v2_gc(index_graph())), 1);
    correlate(f, firings, RA_ARRAY_SIZE(firings));
    c = cause_of(f, RA_OBJ_MANIFEST_LINK, '3');
    assert_null(c->m_abort);
    expect_matches(c, link, RA_ARRAY_SIZE(link));
    assert_int_equal(c->suspects.len, 1);
    assert_int_equal(suspect(c, 0)->confidence, RA_CONF_HIGH);
    assert_string_equal(
        suspect(c, 0)->reason,
        "gc (etc/cron.d/registry-gc:3) ran in the window and can delete this kind of "
        "object; it runs with --delete-untagged on registry 2 (a floating tag: 2.x was "
        "likely in effect), and the loss has the fingerprint of 2.x GC taking index "
        "children; simulating it (Distribution 2.x with --delete-untagged) on the "
        "previous "
        "snapshot deletes exactly this; a garbage-collect with --delete-untagged aborts "
        "on " EADIR ", which snapshot " SNAP2 " holds and " SNAP1
        " did not: it can only have "
        "run before that appeared");
    assert_int_equal(ra_correlation_v2_children(f->corr), 1);
}

/* Metadata removed in the window (the operator's fix): a run after that deletes what a
 * run on the earlier snapshot without it deletes. */
static void test_correlate__gc_m_abort_removed_in_window(void **state)
{
    struct fx *f = *state;
    const struct ra_firing firings[] = {gc_firing("gc", APR(12, 3, 25), 1, "2", 1)};
    static const struct want_match blob[] = {
        {RA_FP_GC_V2_INDEX_CHILDREN,
         "layer sha256:777777777777 of the linux/arm64 manifest sha256:333333333333 in "
         "'infra-ci' was deleted; its _layers link was left dangling; a garbage-collect "
         "with --delete-untagged aborts "
         "on " EADIR ", which snapshot " SNAP1 " holds and " SNAP2
         " no longer does: it can "
         "only have run after that was removed"},
        {RA_FP_GC_SWEEP,
         "garbage-collect as Distribution 2.x with --delete-untagged, run "
         "on snapshot " SNAP1 " once " EADIR " is gone, deletes it"},
    };
    const struct ra_cause *c;

    add_scan(f, SNAP1, T1, with_eadir(index_graph()), 1);
    add_scan(f, SNAP2, T2, after_v2_gc(index_graph()), 1);
    correlate(f, firings, RA_ARRAY_SIZE(firings));
    c = cause_of(f, RA_OBJ_BLOB, '7');
    assert_null(c->m_abort);
    expect_matches(c, blob, RA_ARRAY_SIZE(blob));
    assert_int_equal(c->suspects.len, 1);
    assert_int_equal(suspect(c, 0)->confidence, RA_CONF_HIGH);
    assert_string_equal(
        suspect(c, 0)->reason,
        "gc (etc/cron.d/registry-gc:3) ran in the window and can delete this kind of "
        "object; it runs with --delete-untagged on registry 2 (a floating tag: 2.x was "
        "likely in effect), and the loss has the fingerprint of 2.x GC taking index "
        "children; simulating it (Distribution 2.x with --delete-untagged) on the "
        "previous "
        "snapshot, once " EADIR " is gone, deletes exactly this; a garbage-collect with "
        "--delete-untagged aborts on " EADIR ", which snapshot " SNAP1 " holds and " SNAP2
        " no longer does: it can only have run after that was removed");
}

/* A repository the mark phase never reaches (no revision it serves) aborts nothing. */
static void test_correlate__gc_m_abort_needs_a_manifest_to_look_up(void **state)
{
    struct fx *f = *state;
    const struct ra_firing firings[] = {gc_firing("gc", APR(12, 3, 25), 1, "2", 1)};
    static const char other[] = "repositories/other/_manifests/tags/@eaDir";
    struct ra_graph *g1 = index_graph(), *g2 = after_v2_gc(index_graph());
    const struct ra_cause *c;

    ra_graph_note_meta(g1, other, strlen(other), RA_META_EADIR, 1, APR(6, 12, 0));
    ra_graph_note_meta(g2, other, strlen(other), RA_META_EADIR, 1, APR(6, 12, 0));
    add_scan(f, SNAP1, T1, g1, 1);
    add_scan(f, SNAP2, T2, g2, 1);
    correlate(f, firings, RA_ARRAY_SIZE(firings));
    c = cause_of(f, RA_OBJ_BLOB, '7');
    assert_null(c->m_abort);
    assert_int_equal(suspect(c, 0)->confidence, RA_CONF_HIGH);
    assert_null(strstr(suspect(c, 0)->reason, "aborts"));
}

/* ---- DELETE through the registry API ------------------------------------------------
 */

/* app:1.0 and app:stable -> '2' ('4', '6'); after (deleted) a DELETE of '2' through the
 * API, as Distribution 2.8.2 does it: both tag folders and the revision link are gone,
 * the data stays until a garbage-collect. */
static struct ra_graph *api_graph(int deleted)
{
    struct ra_graph *g = fix_graph(ROOT);
    struct ra_repo *r;
    struct ra_tag *t;
    struct ra_digest two = dg('2');

    fix_push_image(g, "app", '2', '4', '6', "amd64", APR(6, 9, 0));
    fix_tag(g, "app", "1.0", '2', APR(6, 9, 0));
    fix_tag(g, "app", "stable", '2', APR(6, 9, 0));
    if (!deleted)
        return g;
    r = fix_repo(g, "app");
    t = ra_map_del(&r->tags, "1.0", 3);
    ra_map_release(&t->history);
    t = ra_map_del(&r->tags, "stable", 6);
    ra_map_release(&t->history);
    ra_map_del(&r->revisions, two.b, sizeof(two.b));
    return g;
}

#define TRACE_DETAIL(tag)                                                                \
    "the folder of tag 'app:" tag "' and the revision link of its manifest sha256:"      \
    "2222222222222222222222222222222222222222222222222222222222222222 vanished "         \
    "together "                                                                          \
    "between " SNAP1 " and " SNAP2 ", the manifest's data is still there, and no "       \
    "garbage-collect with --delete-untagged is known to run in between: a DELETE of "    \
    "the "                                                                               \
    "manifest through the registry API does exactly this (it removes the revision link " \
    "and the folder of every tag pointing at it); a script that removes both leaves "    \
    "the "                                                                               \
    "same trace, and without the registry's log (--log) the two cannot be told apart"

static void api_delete_story(struct fx *f, const struct ra_firing *firings, size_t n)
{
    add_scan(f, SNAP1, T1, api_graph(0), 1);
    add_scan(f, SNAP2, T2, api_graph(1), 1);
    correlate(f, firings, n);
    assert_int_equal(f->corr->causes.len, 2); /* the two tags */
}

static void test_correlate__api_delete_trace_cannot_tell_from_prune(void **state)
{
    struct fx *f = *state;
    const struct ra_firing firings[] = {
        job_firing("cleanup-tags", APR(12, 2, 0), RA_JOB_TAG_PRUNE),
        gc_firing("gc", APR(13, 3, 25), 1, "2", 1), /* after the window */
    };
    static const struct want_match w[] = {
        {RA_FP_TAG_PRUNE, "the folder of tag 'app:1.0' is gone in " SNAP2},
        {RA_FP_API_DELETE, TRACE_DETAIL("1.0")}, /* and no tag_prune_then_gc */
    };
    static const struct want_suspect ws[] = {
        {"cleanup-tags", RA_CONF_MEDIUM},
        {"api-delete", RA_CONF_MEDIUM},
    };
    const struct ra_cause *c;

    api_delete_story(f, firings, RA_ARRAY_SIZE(firings));
    c = tag_cause(f, "1.0");
    expect_matches(c, w, RA_ARRAY_SIZE(w));
    expect_suspects(c, ws, RA_ARRAY_SIZE(ws));
    assert_string_equal(
        suspect(c, 0)->reason,
        "cleanup-tags (cleanup/cleanup-tags.sh:1) ran in the window and can "
        "delete tags; it removes tag folders, and this tag's folder is gone; "
        "but a DELETE through the registry API leaves the same trace, and "
        "without the registry's log (--log) the two cannot be told apart");
    assert_true(suspect(c, 1)->firing->api_delete);
    assert_null(suspect(c, 1)->firing->request);
    assert_int_equal(suspect(c, 1)->firing->time, RA_TIME_NONE);
    assert_string_equal(
        suspect(c, 1)->reason,
        "the storage shows the trace of a DELETE through the registry API; "
        "without the registry's log (--log) it cannot be told apart from a "
        "script that removed the same files, nor dated or tied to a client");
    /* one suspect shared by both tags */
    assert_ptr_equal(suspect(tag_cause(f, "stable"), 1)->firing, suspect(c, 1)->firing);
    assert_ptr_equal(f->corr->unlogged_delete, suspect(c, 1)->firing);
    assert_true(ra_correlation_unlogged_delete(f->corr));

    /* no config repo: the trace alone, one suspect */
    ra_correlation_free(f->corr);
    ra_losses_free(f->losses);
    correlate(f, NULL, 0);
    c = tag_cause(f, "stable");
    assert_int_equal(c->suspects.len, 1);
    assert_true(suspect(c, 0)->firing->api_delete);
}

static void test_correlate__no_api_delete_trace_after_a_gc(void **state)
{
    struct fx *f = *state;
    const struct ra_firing firings[] = {gc_firing("gc", APR(12, 3, 25), 1, "2", 1)};
    struct ra_graph *swept = api_graph(1);
    size_t i;

    /* a garbage-collect -m fired in the window: it may have taken the revision link */
    api_delete_story(f, firings, 1);
    for (i = 0; i < 2; i++)
        assert_false(has_match(f->corr->causes.items[i], RA_FP_API_DELETE) ||
                     ((const struct ra_cause *)f->corr->causes.items[i])->suspects.len);
    teardown(state);
    setup(state);
    f = *state;

    /* the manifest's data is gone: a GC swept it with the revision link */
    drop_blob(swept, '2');
    add_scan(f, SNAP1, T1, api_graph(0), 1);
    add_scan(f, SNAP2, T2, swept, 1);
    correlate(f, NULL, 0);
    for (i = 0; i < 2; i++) {
        const struct ra_cause *c = f->corr->causes.items[i];
        assert_int_equal(c->matches.len, 2);
        assert_int_equal(((const struct ra_match *)c->matches.items[1])->fp,
                         RA_FP_TAG_PRUNE_THEN_GC);
        assert_int_equal(c->suspects.len, 0);
    }
    *state = f;
}

/* A log in memory, read through ra_log_read_stream. */
struct mem {
    const char *p;
    size_t left;
};

static int mem_read(void *buf, size_t len, size_t *nread, void *payload,
                    struct ra_err *err)
{
    struct mem *m = payload;

    (void)err;
    *nread = len < m->left ? len : m->left;
    memcpy(buf, m->p, *nread);
    m->p += *nread;
    m->left -= *nread;
    return 0;
}

static struct ra_log *mem_log(const char *name, const char *text)
{
    struct mem m = {text, strlen(text)};
    struct ra_err err = RA_ERR_INIT;
    struct ra_log *log = NULL;

    assert_int_equal(ra_log_read_stream(&log, name, RA_TIME_NONE, mem_read, &m, &err), 0);
    return log;
}

#define HEX2 "2222222222222222222222222222222222222222222222222222222222222222"
#define HEX6 "6666666666666666666666666666666666666666666666666666666666666666"

/* 2.8.2's lines for a DELETE at 2026-04-12T14:30:00Z: access (stdout), logrus (stderr).
 */
static const char delete_log[] =
    "10.0.0.9 - - [12/Apr/2026:14:30:00 +0000] \"DELETE /v2/app/manifests/sha256:" HEX2
    " HTTP/1.1\" 202 0 \"\" \"curl/7.88.1\"\n"
    "time=\"2026-04-12T14:30:00.4Z\" level=info msg=\"response completed\" "
    "http.request.id=75 http.request.method=DELETE "
    "http.request.remoteaddr=\"10.0.0.9:47296\" "
    "http.request.uri=\"/v2/app/manifests/sha256:" HEX2
    "\" http.request.useragent=curl/7.88.1 "
    "http.response.status=202 auth.user.name=alice\n";

static void test_correlate__api_delete_logged_is_top(void **state)
{
    struct fx *f = *state;
    const struct ra_firing firings[] = {
        job_firing("cleanup-tags", APR(12, 2, 0), RA_JOB_TAG_PRUNE),
        job_firing("prune-api", APR(12, 14, 0), RA_JOB_TAG_PRUNE), /* 30 min before */
    };
    struct ra_log *log = mem_log("registry.log", delete_log);
    static const struct want_match w[] = {
        {RA_FP_API_DELETE, "registry.log:2: DELETE /v2/app/manifests/sha256:" HEX2
                           " answered 202 at 2026-04-12T14:30:00Z (from 10.0.0.9:47296, "
                           "user alice, agent curl/7.88.1)"},
    };
    static const struct want_suspect ws[] = {
        {"api-delete:registry.log:2", RA_CONF_HIGH},
        {"prune-api", RA_CONF_MEDIUM},
        {"cleanup-tags", RA_CONF_LOW},
    };
    const struct ra_cause *c;
    const struct ra_firing *api;

    api_delete_story(f, firings, RA_ARRAY_SIZE(firings));
    ra_correlate_logs(f->corr, &log, 1);
    c = tag_cause(f, "stable");
    expect_matches(c, w,
                   RA_ARRAY_SIZE(w)); /* the tag_prune fingerprint no longer claims it */
    expect_suspects(c, ws, RA_ARRAY_SIZE(ws));
    api = suspect(c, 0)->firing;
    assert_true(api->api_delete);
    assert_int_equal(api->time, APR(12, 14, 30));
    assert_string_equal(api->defined_in, "registry.log:2");
    assert_string_equal(api->job_name, "DELETE /v2/app/manifests/sha256:" HEX2);
    assert_string_equal(api->request_log, "registry.log");
    assert_string_equal(api->request->user, "alice");
    assert_string_equal(
        suspect(c, 0)->reason,
        "the registry's log records this DELETE through its API "
        "(registry.log:2), answered 202 at 2026-04-12T14:30:00Z (from "
        "10.0.0.9:47296, user alice, agent curl/7.88.1): a manifest DELETE "
        "removes its revision link and the folder of every tag pointing at it");
    assert_non_null(strstr(suspect(c, 1)->reason,
                           "; it ran 1800 seconds before the logged "
                           "DELETE (registry.log:2) and may be the "
                           "client that sent it"));
    assert_string_equal(
        suspect(c, 2)->reason,
        "cleanup-tags (cleanup/cleanup-tags.sh:1) ran in the window and can "
        "delete tags; it removes tag folders, and this tag's folder is gone; "
        "but the registry's log shows the DELETE through its API that "
        "removed this (registry.log:2)");
    /* one request, one suspect for both tags; the unlogged one is gone */
    assert_ptr_equal(suspect(tag_cause(f, "1.0"), 0)->firing, api);
    assert_int_equal(f->corr->logged_deletes.len, 1);
    assert_int_equal(tag_cause(f, "1.0")->suspects.len, 3);
    assert_false(ra_correlation_unlogged_delete(f->corr));
    ra_log_free(log);
}

static void test_correlate__api_delete_log_must_match(void **state)
{
    struct fx *f = *state;
    /* refused, another repository, before the window, another digest: none explains;
     * the log covers the window (requests from before it to after it) */
    struct ra_log *log = mem_log(
        "registry.log",
        "10.0.0.9 - - [11/Apr/2026:14:30:00 +0000] \"GET /v2/ HTTP/1.1\" 200 2 \"\" "
        "\"x\"\n"
        "10.0.0.9 - - [12/Apr/2026:14:30:00 +0000] \"DELETE "
        "/v2/app/manifests/sha256:" HEX2 " HTTP/1.1\" 401 0 \"\" \"curl/7.88.1\"\n"
        "10.0.0.9 - - [12/Apr/2026:14:30:00 +0000] \"DELETE "
        "/v2/other/manifests/sha256:" HEX2 " HTTP/1.1\" 202 0 \"\" \"curl/7.88.1\"\n"
        "10.0.0.9 - - [12/Apr/2026:00:59:00 +0000] \"DELETE "
        "/v2/app/manifests/sha256:" HEX2 " HTTP/1.1\" 202 0 \"\" \"curl/7.88.1\"\n"
        "10.0.0.9 - - [12/Apr/2026:14:30:00 +0000] \"DELETE "
        "/v2/app/manifests/sha256:" HEX6 " HTTP/1.1\" 202 0 \"\" \"curl/7.88.1\"\n"
        "10.0.0.9 - - [14/Apr/2026:14:30:00 +0000] \"GET /v2/ HTTP/1.1\" 200 2 \"\" "
        "\"x\"\n");
    const struct ra_cause *c;

    api_delete_story(f, NULL, 0);
    ra_correlate_logs(f->corr, &log, 1);
    c = tag_cause(f, "1.0");
    assert_int_equal(c->matches.len, 2);
    assert_true(has_match(c, RA_FP_API_DELETE)); /* the trace stays */
    assert_int_equal(c->suspects.len, 1);
    assert_int_equal(suspect(c, 0)->confidence, RA_CONF_LOW);
    assert_non_null(
        strstr(suspect(c, 0)->reason,
               "; but the registry logs given cover the window (requests from "
               "2026-04-11T14:30:00Z to 2026-04-14T14:30:00Z) and record no such "
               "DELETE"));
    assert_false(ra_correlation_unlogged_delete(f->corr)); /* low: the logs refute it */
    ra_log_free(log);
}

/* A logged DELETE of an index child: what removed its revision link is the request, not
 * the GC whose pattern it fits; the child's blobs are still the GC's. */
static void test_correlate__api_delete_logged_child_link(void **state)
{
    struct fx *f = *state;
    const struct ra_firing firings[] = {gc_firing("gc", APR(12, 3, 25), 1, "2", 1)};
    struct ra_log *log = mem_log(
        "registry.log", "10.0.0.9 - bob [12/Apr/2026:03:00:00 +0000] \"DELETE /v2/" REPO
                        "/manifests/sha256:" HEX2 " HTTP/1.1\" 202 0 \"\" \"regctl\"\n");
    static const struct want_match w[] = {
        {RA_FP_API_DELETE,
         "registry.log:1: DELETE /v2/infra-ci/manifests/sha256:" HEX2
         " answered 202 at 2026-04-12T03:00:00Z (from 10.0.0.9, user bob, "
         "agent regctl)"},
    };
    static const struct want_suspect ws[] = {
        {"api-delete:registry.log:1", RA_CONF_HIGH},
        {"gc", RA_CONF_LOW},
    };
    const struct ra_cause *c;

    incident(f);
    correlate(f, firings, 1);
    ra_correlate_logs(f->corr, &log, 1);
    c = cause_of(f, RA_OBJ_MANIFEST_LINK, '2');
    expect_matches(c, w, RA_ARRAY_SIZE(w));
    expect_suspects(c, ws, RA_ARRAY_SIZE(ws));
    assert_non_null(strstr(suspect(c, 1)->reason,
                           "; but the registry's log shows the DELETE "
                           "through its API that removed this "
                           "(registry.log:1)"));
    /* the other child and the blobs: untouched */
    c = cause_of(f, RA_OBJ_MANIFEST_LINK, '3');
    assert_false(has_match(c, RA_FP_API_DELETE));
    assert_int_equal(suspect(c, 0)->confidence, RA_CONF_HIGH);
    assert_false(has_match(cause_of(f, RA_OBJ_BLOB, '4'), RA_FP_API_DELETE));
    ra_log_free(log);
}

#define HEX3 "3333333333333333333333333333333333333333333333333333333333333333"

/* 2.8.2's DELETE of a manifest over an @eaDir in its repository's tags folder: the
 * revision link goes, then the tag lookup fails and the answer is 500. */
static const char delete_500_log[] =
    "10.0.0.9 - bob [12/Apr/2026:02:00:00 +0000] \"DELETE /v2/" REPO
    "/manifests/sha256:" HEX3 " HTTP/1.1\" 500 231 \"\" \"regctl\"\n";

static void test_correlate__api_delete_500_over_eadir(void **state)
{
    struct fx *f = *state;
    const struct ra_firing firings[] = {gc_firing("gc", APR(12, 3, 25), 1, "2", 1)};
    struct ra_log *log = mem_log("registry.log", delete_500_log);
    static const struct want_match w[] = {
        {RA_FP_API_DELETE,
         "registry.log:1: DELETE /v2/infra-ci/manifests/sha256:" HEX3
         " answered 500 at 2026-04-12T02:00:00Z (from 10.0.0.9, user bob, "
         "agent regctl)"},
    };
    static const struct want_suspect ws[] = {
        {"api-delete:registry.log:1", RA_CONF_HIGH},
        {"gc", RA_CONF_LOW},
    };
    const struct ra_cause *c;

    add_scan(f, SNAP1, T1, with_eadir(index_graph()), 1);
    add_scan(f, SNAP2, T2, with_eadir(after_child_delete_and_plain_gc(index_graph())), 1);
    correlate(f, firings, RA_ARRAY_SIZE(firings));
    ra_correlate_logs(f->corr, &log, 1);
    c = cause_of(f, RA_OBJ_MANIFEST_LINK, '3');
    expect_matches(c, w, RA_ARRAY_SIZE(w));
    expect_suspects(c, ws, RA_ARRAY_SIZE(ws));
    assert_string_equal(suspect(c, 0)->reason,
                        "the registry's log records this DELETE through its API "
                        "(registry.log:1), answered "
                        "500 at 2026-04-12T02:00:00Z (from 10.0.0.9, user bob, agent "
                        "regctl): Distribution "
                        "2.8 removes the manifest's revision link first, then looks up "
                        "the tags to untag, "
                        "which fails on " EADIR ", and answers 500 (tags stay)");
    ra_log_free(log);
}

/* Without such an entry a 500 says nothing of what was removed. */
static void test_correlate__api_delete_500_needs_the_entry(void **state)
{
    struct fx *f = *state;
    struct ra_log *log = mem_log("registry.log", delete_500_log);
    const struct ra_cause *c;

    add_scan(f, SNAP1, T1, index_graph(), 1);
    add_scan(f, SNAP2, T2, after_child_delete_and_plain_gc(index_graph()), 1);
    correlate(f, NULL, 0);
    ra_correlate_logs(f->corr, &log, 1);
    c = cause_of(f, RA_OBJ_MANIFEST_LINK, '3');
    assert_false(has_match(c, RA_FP_API_DELETE));
    assert_int_equal(c->suspects.len, 0);
    ra_log_free(log);
}

/* Distribution 3.x deletes a tag by name (2.8.2 answers 400): only that tag's folder. */
static void test_correlate__api_delete_logged_by_tag(void **state)
{
    struct fx *f = *state;
    struct ra_graph *g2 = api_graph(0);
    struct ra_repo *r = fix_repo(g2, "app");
    struct ra_tag *t = ra_map_del(&r->tags, "stable", 6);
    struct ra_log *log = mem_log(
        "registry.log",
        "10.0.0.9 - - [12/Apr/2026:14:30:00 +0000] \"DELETE /v2/app/manifests/1.0 "
        "HTTP/1.1\" "
        "400 98 \"\" \"curl/7.88.1\"\n"
        "10.0.0.9 - - [12/Apr/2026:14:31:00 +0000] \"DELETE /v2/app/manifests/stable "
        "HTTP/1.1\" 202 0 \"\" \"regctl\"\n");
    const struct ra_cause *c;

    ra_map_release(&t->history);
    add_scan(f, SNAP1, T1, api_graph(0), 1);
    add_scan(f, SNAP2, T2, g2, 1);
    correlate(f, NULL, 0);
    c = tag_cause(f, "stable");
    /* the revision link stays: no trace of a 2.8 DELETE, only the folder */
    assert_false(has_match(c, RA_FP_API_DELETE));
    assert_true(has_match(c, RA_FP_TAG_PRUNE));
    ra_correlate_logs(f->corr, &log, 1);
    assert_int_equal(c->matches.len, 1);
    assert_string_equal(
        ((const struct ra_match *)c->matches.items[0])->detail,
        "registry.log:2: DELETE /v2/app/manifests/stable answered 202 at "
        "2026-04-12T14:31:00Z (from 10.0.0.9, no user logged, agent regctl)");
    assert_int_equal(c->suspects.len, 1);
    assert_string_equal(suspect(c, 0)->firing->job_id, "api-delete:registry.log:2");
    assert_int_equal(suspect(c, 0)->confidence, RA_CONF_HIGH);
    ra_log_free(log);
}

static void test_correlate__api_blob_delete_explains_layer_link(void **state)
{
    struct fx *f = *state;
    struct ra_graph *g2 = image_graph(APR(6, 9, 0));
    struct ra_digest six = dg('6');
    struct ra_log *log = mem_log(
        "registry.jsonl",
        "{\"http.request.method\":\"DELETE\",\"http.request.uri\":\"/v2/" REPO
        "/blobs/sha256:" HEX6
        "\",\"http.response.status\":202,\"http.request.remoteaddr\":\"10.1.1.1:5\","
        "\"level\":\"info\",\"msg\":\"response "
        "completed\",\"time\":\"2026-04-12T09:00:00Z\"}\n");
    static const struct want_match w[] = {
        {RA_FP_API_DELETE,
         "registry.jsonl:1: DELETE /v2/infra-ci/blobs/sha256:" HEX6
         " answered 202 at 2026-04-12T09:00:00Z (from 10.1.1.1:5, no user "
         "logged)"},
    };
    const struct ra_cause *c;

    ra_map_del(&fix_repo(g2, REPO)->layers, six.b, sizeof(six.b));
    add_scan(f, SNAP1, T1, image_graph(APR(6, 9, 0)), 1);
    add_scan(f, SNAP2, T2, g2, 1);
    correlate(f, NULL, 0);
    c = cause_of(f, RA_OBJ_LAYER_LINK, '6');
    assert_true(has_match(c, RA_FP_LOST_FILES)); /* no GC removes such a link */
    assert_false(ra_correlation_lost_files_alone(f->corr)); /* a blob DELETE would */
    ra_correlate_logs(f->corr, &log, 1);
    expect_matches(c, w, RA_ARRAY_SIZE(w)); /* lost_files is what the DELETE did */
    assert_int_equal(c->suspects.len, 1);
    assert_int_equal(suspect(c, 0)->confidence, RA_CONF_HIGH);
    assert_non_null(strstr(suspect(c, 0)->reason,
                           "a blob DELETE removes the repository's "
                           "_layers link"));
    ra_log_free(log);
}

static void test_correlate__names(void **state)
{
    (void)state;
    assert_string_equal(ra_fingerprint_name(RA_FP_GC_V2_INDEX_CHILDREN),
                        "gc_v2_untagged_index_children");
    assert_string_equal(ra_fingerprint_name(RA_FP_GC_SWEEP), "gc_sweep");
    assert_string_equal(ra_fingerprint_name(RA_FP_TAG_PRUNE), "tag_prune");
    assert_string_equal(ra_fingerprint_name(RA_FP_TAG_PRUNE_THEN_GC),
                        "tag_prune_then_gc");
    assert_string_equal(ra_fingerprint_name(RA_FP_GC_RACE), "gc_race_push");
    assert_string_equal(ra_fingerprint_name(RA_FP_LOST_FILES), "lost_files");
    assert_string_equal(ra_fingerprint_name(RA_FP_GC_LOG), "gc_log");
    assert_string_equal(ra_fingerprint_name(RA_FP_API_DELETE), "api_delete");
    assert_string_equal(ra_fingerprint_name(RA_FP__COUNT), "");
    assert_string_equal(ra_confidence_name(RA_CONF_HIGH), "high");
    assert_string_equal(ra_confidence_name(RA_CONF_MEDIUM), "medium");
    assert_string_equal(ra_confidence_name(RA_CONF_LOW), "low");
    assert_string_equal(ra_confidence_name((enum ra_confidence)7), "");
}

#define T(name) cmocka_unit_test_setup_teardown(test_correlate__##name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(v2_index_children_fingerprints),
        T(v2_delete_untagged_firing_is_high),
        T(unknown_version_counts_as_floating),
        T(window_without_start),
        T(lost_files_when_no_gc_deletes_it),
        T(lost_files_without_earlier_snapshot),
        T(gc_race_push),
        T(gc_race_needs_30_minutes),
        T(no_race_past_30_minutes),
        T(race_needs_trusted_times),
        T(tag_prune_is_high_when_folder_gone),
        T(tag_prune_then_gc),
        T(layer_link_suspects_only_v3),
        T(gc_m_aborts_on_both_sides),
        T(gc_m_aborts_on_different_entries),
        T(gc_m_abort_appeared_in_window),
        T(gc_m_abort_removed_in_window),
        T(gc_m_abort_needs_a_manifest_to_look_up),
        T(api_delete_trace_cannot_tell_from_prune),
        T(no_api_delete_trace_after_a_gc),
        T(api_delete_logged_is_top),
        T(api_delete_log_must_match),
        T(api_blob_delete_explains_layer_link),
        T(api_delete_logged_child_link),
        T(api_delete_500_over_eadir),
        T(api_delete_500_needs_the_entry),
        T(api_delete_logged_by_tag),
        T(names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
