/* SPDX-License-Identifier: MIT */
/* ra_timeline_build: events read from hand-built scans (link and blob mtimes set through
 * the model API), folded and unfolded routine events, the same event from two snapshots
 * kept once, what vanished between snapshots, losses, extra events, untrusted mtimes,
 * and the sorted order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis/gcsim.h"
#include "analysis/timeline.h"
#include "model/graph.h"
#include "util/buf.h"

#include "fixture_analysis.h"

#define SNAP1 "reg-2026-04-12T0100Z"
#define SNAP2 "reg-2026-04-13T0100Z"
#define T1 APR(12, 1, 0)
#define T2 APR(13, 1, 0)

/* ---- graphs --------------------------------------------------------------------- */

/* fix_push_image with the blobs' data written at t too. */
static void push_image(struct ra_graph *g, const char *r, char m, char cfg, char layer,
                       const char *arch, ra_time t)
{
    const char blobs[] = {cfg, layer, m};
    size_t i;

    fix_push_image(g, r, m, cfg, layer, arch, t);
    for (i = 0; i < sizeof(blobs); i++) {
        struct ra_digest d = dg(blobs[i]);
        ra_graph_find_blob(g, &d)->mtime = t;
    }
}

/* infra-ci:latest pushed as '2' ('4', '6') on 04-06 09:00, then moved to '3' ('5', '7')
 * on 04-07 10:00. */
static struct ra_graph *moved_graph(void)
{
    struct ra_graph *g = fix_graph(ROOT);

    push_image(g, REPO, '2', '4', '6', "amd64", APR(6, 9, 0));
    fix_tag(g, REPO, "latest", '2', APR(6, 9, 0));
    push_image(g, REPO, '3', '5', '7', "amd64", APR(7, 10, 0));
    fix_tag(g, REPO, "latest", '3', APR(7, 10, 0));
    return g;
}

/* What Distribution 2.8 garbage-collect -m leaves of g. */
static struct ra_graph *after_v2_gc(struct ra_graph *g)
{
    struct ra_gc_opts o = {RA_GC_V2, 1, 0};
    struct ra_gc_result *r = NULL;

    ra_gc_simulate(&r, g, &o);
    assert_null(r->aborted);
    ra_gc_apply(g, r);
    ra_gc_result_free(r);
    return g;
}

/* ---- scans made by hand --------------------------------------------------------- */

enum times { TRUSTED, ALL_EQUAL };

/* Read from /backups/registry/<name>. */
static struct ra_scan *make_scan(const char *name, ra_time taken, struct ra_graph *g,
                                 enum times times)
{
    struct ra_buf source = RA_BUF_INIT;
    struct ra_scan *s;

    ra_buf_printf(&source, "/backups/registry/%s", name);
    s = fix_scan(name, source.ptr, taken, &g, 1, NULL);
    ra_buf_release(&source);
    s->snap->entries = 40;
    if (times == TRUSTED) {
        s->snap->oldest_mtime = APR(6, 8, 0);
        s->snap->newest_mtime = taken - 3600;
    } else {
        s->snap->oldest_mtime = s->snap->newest_mtime = APR(12, 23, 0);
    }
    return s;
}

struct fx {
    struct ra_scan *scans[3];
    size_t n;
    struct ra_losses *losses;
    struct ra_timeline *tl;
    struct ra_timeline_opts opts;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    if (!f)
        return -1;
    f->opts.fold = 1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    size_t i;

    ra_timeline_free(f->tl);
    ra_losses_free(f->losses);
    for (i = 0; i < f->n; i++)
        ra_scan_free(f->scans[i]);
    free(f);
    return 0;
}

static void add_scan(struct fx *f, const char *name, ra_time taken, struct ra_graph *g,
                     enum times times)
{
    f->scans[f->n++] = make_scan(name, taken, g, times);
}

static void build(struct fx *f, int with_losses, const struct ra_event *extra,
                  size_t nextra)
{
    if (with_losses)
        ra_losses_find(&f->losses, f->scans, f->n);
    ra_timeline_build(&f->tl, f->scans, f->n, f->losses, extra, nextra, &f->opts);
    assert_non_null(f->tl);
}

/* ---- expectations --------------------------------------------------------------- */

/* "time[..until] kind xN source | message | evidence" */
static void describe(struct ra_buf *out, const struct ra_event *e)
{
    char a[RA_TIME_STRLEN], b[RA_TIME_STRLEN];

    ra_buf_printf(out, "%s", ra_time_format(a, e->time));
    if (e->until != RA_TIME_NONE)
        ra_buf_printf(out, "..%s", ra_time_format(b, e->until));
    ra_buf_printf(out, " %s x%zu %s | %s | %s", ra_event_kind_name(e->kind), e->count,
                  e->source, e->message, e->evidence);
}

static void expect_events(struct fx *f, const char *const *want, size_t n)
{
    struct ra_buf got = RA_BUF_INIT, all = RA_BUF_INIT;
    size_t i;

    for (i = 0; i < f->tl->events.len; i++) {
        ra_buf_truncate(&got, 0);
        describe(&got, f->tl->events.items[i]);
        ra_buf_printf(&all, "  [%zu] %s\n", i, got.ptr);
    }
    if (f->tl->events.len != n) {
        print_message("%s", ra_buf_cstr(&all));
        ra_buf_release(&got);
        ra_buf_release(&all);
        fail_msg("%zu events, want %zu", f->tl->events.len, n);
    }
    for (i = 0; i < n; i++) {
        ra_buf_truncate(&got, 0);
        describe(&got, f->tl->events.items[i]);
        if (strcmp(got.ptr, want[i])) {
            print_message("%s", ra_buf_cstr(&all));
            fail_msg("event %zu:\n  got  %s\n  want %s", i, got.ptr, want[i]);
        }
    }
    ra_buf_release(&got);
    ra_buf_release(&all);
}

#define H2 "sha256:222222222222"
#define H3 "sha256:333333333333"
#define HEX2 "2222222222222222222222222222222222222222222222222222222222222222"
#define HEX3 "3333333333333333333333333333333333333333333333333333333333333333"
#define HEX4 "4444444444444444444444444444444444444444444444444444444444444444"
#define HEX6 "6666666666666666666666666666666666666666666666666666666666666666"
#define RP ROOT "/repositories/" REPO
#define SRC1 "/backups/registry/" SNAP1

/* The events of SNAP1 (moved_graph), folded. */
static const char *const snap1_folded[] = {
    "2026-04-06T00:00:00Z..2026-04-06T23:59:59Z blob_uploaded x3 " SNAP1
    " | blob uploads | ",
    "2026-04-06T00:00:00Z..2026-04-06T23:59:59Z layer_linked x2 " SNAP1
    " | layer links | ",
    "2026-04-06T09:00:00Z tag_pushed x1 " SNAP1 " | infra-ci:latest pushed as " H2
    " | " RP "/_manifests/tags/latest/index/sha256/" HEX2 "/link",
    "2026-04-06T09:00:00Z manifest_pushed x1 " SNAP1 " | manifest " H2
    " pushed to infra-ci | " RP "/_manifests/revisions/sha256/" HEX2 "/link",
    "2026-04-07T00:00:00Z..2026-04-07T23:59:59Z blob_uploaded x3 " SNAP1
    " | blob uploads | ",
    "2026-04-07T00:00:00Z..2026-04-07T23:59:59Z layer_linked x2 " SNAP1
    " | layer links | ",
    "2026-04-07T10:00:00Z tag_pushed x1 " SNAP1 " | infra-ci:latest pushed as " H3
    " | " RP "/_manifests/tags/latest/index/sha256/" HEX3 "/link",
    "2026-04-07T10:00:00Z tag_current x1 " SNAP1 " | infra-ci:latest now points at " H3
    " | " RP "/_manifests/tags/latest/current/link",
    "2026-04-07T10:00:00Z manifest_pushed x1 " SNAP1 " | manifest " H3
    " pushed to infra-ci | " RP "/_manifests/revisions/sha256/" HEX3 "/link",
    "2026-04-12T01:00:00Z snapshot x1 " SNAP1 " | snapshot " SNAP1
    " taken (name) | " SRC1,
};

/* ---- tests ----------------------------------------------------------------------- */

static void test_timeline__events_from_a_snapshot_folded(void **state)
{
    struct fx *f = *state;
    size_t k;

    add_scan(f, SNAP1, T1, moved_graph(), TRUSTED);
    build(f, 0, NULL, 0);
    expect_events(f, snap1_folded, RA_ARRAY_SIZE(snap1_folded));
    for (k = 0; k < RA_EV__COUNT; k++) {
        size_t want = k == RA_EV_BLOB_UPLOADED ? 6 : k == RA_EV_LAYER_LINKED ? 4 : 0;
        assert_int_equal(f->tl->folded[k], want);
    }
    assert_string_equal(ra_event_precision(f->tl->events.items[0]), "window");
    assert_string_equal(ra_event_precision(f->tl->events.items[2]), "exact");
}

static void test_timeline__unfolded(void **state)
{
    struct fx *f = *state;
    static const char *const want[] = {
        "2026-04-06T09:00:00Z tag_pushed x1 " SNAP1 " | infra-ci:latest pushed as " H2
        " | " RP "/_manifests/tags/latest/index/sha256/" HEX2 "/link",
        "2026-04-06T09:00:00Z manifest_pushed x1 " SNAP1 " | manifest " H2
        " pushed to infra-ci | " RP "/_manifests/revisions/sha256/" HEX2 "/link",
        "2026-04-06T09:00:00Z blob_uploaded x1 " SNAP1 " | blob upload | " ROOT
        "/blobs/sha256/22/" HEX2 "/data",
        "2026-04-06T09:00:00Z blob_uploaded x1 " SNAP1 " | blob upload | " ROOT
        "/blobs/sha256/44/" HEX4 "/data",
        "2026-04-06T09:00:00Z blob_uploaded x1 " SNAP1 " | blob upload | " ROOT
        "/blobs/sha256/66/" HEX6 "/data",
        "2026-04-06T09:00:00Z layer_linked x1 " SNAP1 " | layer link | " RP
        "/_layers/sha256/" HEX4 "/link",
        "2026-04-06T09:00:00Z layer_linked x1 " SNAP1 " | layer link | " RP
        "/_layers/sha256/" HEX6 "/link",
    };
    size_t k;

    f->opts.fold = 0;
    add_scan(f, SNAP1, T1, moved_graph(), TRUSTED);
    build(f, 0, NULL, 0);
    /* the first day, then 3 + 3 + 2 more of the second day and the snapshot */
    assert_int_equal(f->tl->events.len, RA_ARRAY_SIZE(want) + 3 + 3 + 2 + 1);
    f->tl->events.len = RA_ARRAY_SIZE(want); /* compare the first day only */
    expect_events(f, want, RA_ARRAY_SIZE(want));
    f->tl->events.len = RA_ARRAY_SIZE(want) + 9;
    for (k = 0; k < RA_EV__COUNT; k++)
        assert_int_equal(f->tl->folded[k], 0);
}

static void test_timeline__same_event_in_two_snapshots_unfolded(void **state)
{
    struct fx *f = *state;
    size_t i, tag_pushed = 0, blob_events = 0;

    f->opts.fold = 0;
    add_scan(f, SNAP1, T1, moved_graph(), TRUSTED);
    add_scan(f, SNAP2, T2, moved_graph(), TRUSTED);
    build(f, 0, NULL, 0);
    /* everything once, plus a second snapshot event; nothing vanished */
    for (i = 0; i < f->tl->events.len; i++) {
        const struct ra_event *e = f->tl->events.items[i];
        tag_pushed += e->kind == RA_EV_TAG_PUSHED;
        blob_events += e->kind == RA_EV_BLOB_UPLOADED;
        assert_int_not_equal(e->kind, RA_EV_VANISHED);
        /* kept from the first snapshot that showed it */
        if (e->kind != RA_EV_SNAPSHOT)
            assert_string_equal(e->source, SNAP1);
    }
    assert_int_equal(tag_pushed, 2);
    assert_int_equal(blob_events, 6);
    assert_int_equal(f->tl->events.len, 2 + 1 + 2 + 6 + 4 + 2);
}

static void test_timeline__same_event_in_two_snapshots_folded(void **state)
{
    struct fx *f = *state;
    size_t i;

    add_scan(f, SNAP1, T1, moved_graph(), TRUSTED);
    add_scan(f, SNAP2, T2, moved_graph(), TRUSTED);
    build(f, 0, NULL, 0);
    assert_int_equal(f->tl->events.len, RA_ARRAY_SIZE(snap1_folded) + 1);
    for (i = 0; i < f->tl->events.len; i++) {
        const struct ra_event *e = f->tl->events.items[i];
        if (e->kind != RA_EV_BLOB_UPLOADED && e->kind != RA_EV_LAYER_LINKED)
            continue;
        assert_int_equal(e->count, e->kind == RA_EV_BLOB_UPLOADED ? 3u : 2u);
    }
    assert_int_equal(f->tl->folded[RA_EV_BLOB_UPLOADED], 6);
    assert_int_equal(f->tl->folded[RA_EV_LAYER_LINKED], 4);
}

static void test_timeline__vanished_between_snapshots(void **state)
{
    struct fx *f = *state;
    const struct ra_event *v = NULL;
    struct ra_graph *g2 = after_v2_gc(moved_graph());
    struct ra_repo *r = fix_repo(g2, REPO);
    struct ra_tag *t;
    size_t i, n = 0;

    /* and a second tag that resolved, now pruned */
    (void)r;
    f->opts.fold = 0;
    {
        struct ra_graph *g1 = moved_graph();
        fix_tag(g1, REPO, "stable", '3', APR(7, 10, 0));
        add_scan(f, SNAP1, T1, g1, TRUSTED);
    }
    fix_tag(g2, REPO, "stable", '3', APR(7, 10, 0));
    t = ra_graph_tag(g2, r, "stable", 6);
    t->has_current = 0;
    add_scan(f, SNAP2, T2, g2, TRUSTED);
    build(f, 0, NULL, 0);
    for (i = 0; i < f->tl->events.len; i++) {
        const struct ra_event *e = f->tl->events.items[i];
        if (e->kind == RA_EV_VANISHED) {
            v = e;
            n++;
        }
    }
    assert_int_equal(n, 1);
    assert_int_equal(v->time, T1);
    assert_int_equal(v->until, T2);
    assert_string_equal(v->source, SNAP2);
    assert_string_equal(v->evidence, ROOT);
    assert_int_equal(v->count, 1);
    /* GC -m took '2' (revision link) and its blobs 2, 4, 6 */
    assert_string_equal(v->message, "between " SNAP1 " and " SNAP2 ": 1 tags, 1 revision "
                                    "links and 3 blobs disappeared");
    assert_string_equal(ra_event_precision(v), "window");
}

static void test_timeline__nothing_vanished_no_event(void **state)
{
    struct fx *f = *state;
    size_t i;

    add_scan(f, SNAP1, T1, moved_graph(), TRUSTED);
    add_scan(f, SNAP2, T2, moved_graph(), TRUSTED);
    build(f, 0, NULL, 0);
    for (i = 0; i < f->tl->events.len; i++)
        assert_int_not_equal(((struct ra_event *)f->tl->events.items[i])->kind,
                             RA_EV_VANISHED);
}

/* infra-ci:latest -> index '1' over '2' ('4', '6') and '3' ('5', '7'). */
static struct ra_graph *index_graph(void)
{
    struct ra_graph *g = fix_graph(ROOT);
    ra_time t = APR(6, 9, 0);

    push_image(g, REPO, '2', '4', '6', "amd64", t);
    push_image(g, REPO, '3', '5', '7', "arm64", t);
    fix_index(g, '1', "23", FIX_AMD64_ARM64, 555)->mtime = t;
    fix_revision_link(g, REPO, '1', t);
    fix_tag(g, REPO, "latest", '1', t);
    return g;
}

/* Losses with the same window are one event, counted by object kind. */
static void test_timeline__loss_events(void **state)
{
    struct fx *f = *state;
    const struct ra_event *loss = NULL;
    struct ra_buf b = RA_BUF_INIT;
    size_t i, n = 0;

    add_scan(f, SNAP1, T1, index_graph(), TRUSTED);
    add_scan(f, SNAP2, T2, after_v2_gc(index_graph()), TRUSTED);
    build(f, 1, NULL, 0);
    assert_int_equal(f->losses->items.len, 6);
    for (i = 0; i < f->tl->events.len; i++) {
        const struct ra_event *e = f->tl->events.items[i];
        if (e->kind == RA_EV_LOSS) {
            loss = e;
            n++;
        }
    }
    assert_int_equal(n, 1);
    describe(&b, loss);
    assert_string_equal(b.ptr,
                        "2026-04-12T01:00:00Z..2026-04-13T01:00:00Z loss x1 " SNAP2
                        " | 6 objects that infra-ci:latest needs went missing (4 blob, "
                        "2 manifest_link) | " SNAP2);
    assert_string_equal(ra_event_precision(loss), "window");
    ra_buf_release(&b);
}

static const struct ra_event *only_loss_event(struct fx *f)
{
    const struct ra_event *loss = NULL;
    size_t i, n = 0;

    for (i = 0; i < f->tl->events.len; i++) {
        const struct ra_event *e = f->tl->events.items[i];
        if (e->kind == RA_EV_LOSS) {
            loss = e;
            n++;
        }
    }
    assert_int_equal(n, 1);
    return loss;
}

static void test_timeline__loss_without_start_and_tag_loss(void **state)
{
    struct fx *f = *state;
    struct ra_graph *g1 = moved_graph(), *g2 = moved_graph();
    struct ra_digest seven = dg('7');
    const struct ra_event *e;

    fix_tag(g1, REPO, "stable", '3', APR(7, 10, 0));
    /* in the second: stable's folder is gone, latest's layer '7' lost its data */
    ra_graph_find_blob(g2, &seven)->present = 0;
    add_scan(f, SNAP1, T1, g1, TRUSTED);
    add_scan(f, SNAP2, T2, g2, TRUSTED);
    build(f, 1, NULL, 0);
    assert_int_equal(f->losses->items.len, 2);
    e = only_loss_event(f);
    assert_string_equal(e->message,
                        "2 objects that infra-ci:latest and other tags need went "
                        "missing (1 blob, 1 tag)");
    assert_int_equal(e->time, T1);
    assert_int_equal(e->until, T2);
    assert_string_equal(e->source, SNAP2);
    assert_string_equal(e->evidence, SNAP2);

    /* one snapshot, untrusted times: the window has no start, the event sits at its end
     */
    ra_timeline_free(f->tl);
    ra_losses_free(f->losses);
    f->tl = NULL;
    f->losses = NULL;
    ra_scan_free(f->scans[0]);
    f->scans[0] = f->scans[1];
    f->n = 1;
    f->scans[0]->snap->newest_mtime = f->scans[0]->snap->oldest_mtime;
    build(f, 1, NULL, 0);
    e = only_loss_event(f);
    assert_string_equal(e->message,
                        "1 object that infra-ci:latest needs went missing (1 blob)");
    assert_int_equal(e->time, T2);
    assert_int_equal(e->until, T2);
    assert_string_equal(e->source, SNAP2);
}

static void test_timeline__extra_events_merged(void **state)
{
    struct fx *f = *state;
    struct ra_event extra[3];
    const struct ra_event *e;

    memset(extra, 0, sizeof(extra));
    extra[0].time = APR(12, 3, 25);
    extra[0].until = RA_TIME_NONE;
    extra[0].kind = RA_EV_FIRING;
    extra[0].source = "config";
    extra[0].message = "registry-gc ran (garbage-collect -m)";
    extra[0].evidence = "etc/cron.d/registry-gc:3";
    extra[1] = extra[0];
    extra[1].time = APR(7, 2, 0);
    extra[1].kind = RA_EV_FIRING;
    extra[1].message = "cleanup-tags ran";
    extra[1].evidence = "cleanup/cleanup-tags.sh:1";
    extra[1].count = 7;
    extra[2].time = APR(6, 9, 0);
    extra[2].until = RA_TIME_NONE;
    extra[2].kind = RA_EV_COMMIT;
    extra[2].source = NULL;
    extra[2].message = "commit 0123abcd: gc: add -m";
    extra[2].evidence = NULL;

    add_scan(f, SNAP1, T1, moved_graph(), TRUSTED);
    build(f, 0, extra, RA_ARRAY_SIZE(extra));
    assert_int_equal(f->tl->events.len, RA_ARRAY_SIZE(snap1_folded) + 3);
    /* 04-06 09:00: tag_pushed, manifest_pushed, then the commit (kind order) */
    e = f->tl->events.items[4];
    assert_int_equal(e->kind, RA_EV_COMMIT);
    assert_int_equal(e->time, APR(6, 9, 0));
    assert_string_equal(e->source, "");
    assert_string_equal(e->evidence, "");
    assert_int_equal(e->count, 1);
    /* 04-07 02:00: between the folded day events and the 10:00 pushes */
    e = f->tl->events.items[7];
    assert_int_equal(e->kind, RA_EV_FIRING);
    assert_string_equal(e->message, "cleanup-tags ran");
    assert_int_equal(e->count, 7);
    /* after the snapshot */
    e = f->tl->events.items[f->tl->events.len - 1];
    assert_int_equal(e->kind, RA_EV_FIRING);
    assert_int_equal(e->time, APR(12, 3, 25));
    assert_string_equal(e->source, "config");
    assert_string_equal(e->evidence, "etc/cron.d/registry-gc:3");
    assert_string_equal(e->message, "registry-gc ran (garbage-collect -m)");
    assert_int_equal(e->count, 1);
    /* copied, not borrowed */
    assert_ptr_not_equal(e->message, extra[0].message);
}

static void test_timeline__mtimes_untrusted(void **state)
{
    struct fx *f = *state;
    static const char *const want[] = {
        "2026-04-12T01:00:00Z snapshot x1 " SNAP1 " | snapshot " SNAP1
        " taken (name) | " SRC1,
        "2026-04-12T01:00:00Z mtimes_untrusted x1 " SNAP1 " | times inside " SNAP1
        " are not used: every member has the same mtime (copied without keeping times) "
        "| " SRC1,
    };
    size_t k;

    add_scan(f, SNAP1, T1, moved_graph(), ALL_EQUAL);
    build(f, 0, NULL, 0);
    expect_events(f, want, RA_ARRAY_SIZE(want));
    for (k = 0; k < RA_EV__COUNT; k++)
        assert_int_equal(f->tl->folded[k], 0);
}

static void test_timeline__sorted_across_snapshots(void **state)
{
    struct fx *f = *state;
    size_t i;

    f->opts.fold = 0;
    add_scan(f, SNAP1, T1, index_graph(), TRUSTED);
    add_scan(f, SNAP2, T2, after_v2_gc(index_graph()), TRUSTED);
    build(f, 1, NULL, 0);
    for (i = 1; i < f->tl->events.len; i++) {
        const struct ra_event *a = f->tl->events.items[i - 1],
                              *b = f->tl->events.items[i];
        int c = a->time < b->time ? -1 : a->time > b->time;
        if (!c)
            c = a->kind < b->kind ? -1 : a->kind > b->kind;
        if (!c)
            c = strcmp(a->message, b->message);
        if (!c)
            c = strcmp(a->evidence, b->evidence);
        assert_true(c < 0); /* strictly: no duplicates */
    }
    /* the last: SNAP2's snapshot event */
    assert_int_equal(
        ((struct ra_event *)f->tl->events.items[f->tl->events.len - 1])->kind,
        RA_EV_SNAPSHOT);
}

static void test_timeline__names(void **state)
{
    static const char *const names[RA_EV__COUNT] = {
        "snapshot",     "mtimes_untrusted", "tag_pushed",
        "tag_current",  "manifest_pushed",  "blob_uploaded",
        "layer_linked", "upload_started",   "vanished",
        "loss",         "commit",           "firing",
        "log",
    };
    int k;

    (void)state;
    for (k = 0; k < RA_EV__COUNT; k++)
        assert_string_equal(ra_event_kind_name((enum ra_event_kind)k), names[k]);
    assert_string_equal(ra_event_kind_name(RA_EV__COUNT), "");
}

#define T(name) cmocka_unit_test_setup_teardown(test_timeline__##name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(events_from_a_snapshot_folded),
        T(unfolded),
        T(same_event_in_two_snapshots_unfolded),
        T(same_event_in_two_snapshots_folded),
        T(vanished_between_snapshots),
        T(nothing_vanished_no_event),
        T(loss_events),
        T(loss_without_start_and_tag_loss),
        T(extra_events_merged),
        T(mtimes_untrusted),
        T(sorted_across_snapshots),
        T(names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
