/* SPDX-License-Identifier: MIT */
/* ra_investigate (analysis/investigate.h), through its public contract only: two
 * directory snapshots laid out in a temporary folder (the second lost a layer's data,
 * as a garbage-collect leaves it) give the scans sorted by time, the one loss with its
 * window and broken tag, the timeline's rows and no notes; a log that cannot be read
 * (RA_EIO) and a missing snapshot (RA_ENOTFOUND) fail with the file named; no
 * snapshot at all is a usage error. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/investigate.h"
#include "util/buf.h"

#include "fixture.h"

#define SNAP1 "reg-2026-04-12T0100Z"
#define SNAP2 "reg-2026-04-13T0100Z"
#define T_PUSH APR(6, 9, 0)
#define CONFIG "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{}}"
#define LAYER "layer data of infra-ci:latest"

static char tmpdir[] = "/tmp/ra-test-investigate-XXXXXX";

/* tmpdir/<snap>/docker/registry/v2 */
static const char *at(struct ra_buf *p, const char *snap)
{
    ra_buf_truncate(p, 0);
    ra_buf_printf(p, "%s/%s/docker/registry/v2", tmpdir, snap);
    return p->ptr;
}

static int setup_group(void **state)
{
    struct fix_disk_image x;
    struct ra_buf p = RA_BUF_INIT;

    (void)state;
    if (fix_tmpdir_make(tmpdir) < 0)
        return -1;
    /* infra-ci:latest pushed on the 6th; by the 13th its layer's data is gone */
    fix_disk_push(&x, at(&p, SNAP1), REPO, "latest", CONFIG, LAYER, 1, T_PUSH);
    fix_disk_push(&x, at(&p, SNAP2), REPO, "latest", CONFIG, LAYER, 0, T_PUSH);
    ra_buf_release(&p);
    return 0;
}

static int teardown_group(void **state)
{
    (void)state;
    return fix_tmpdir_remove(tmpdir);
}

struct run {
    char *snaps[3];
    char *logs[1];
    struct ra_investigate_opts opts;
    struct ra_investigation *inv;
    struct ra_err err;
};

/* Snapshots named in the order given (NULL ends), tmpdir-relative. */
static int investigate(struct run *r, const char *a, const char *b)
{
    const char *names[2] = {a, b};
    size_t i;

    memset(r, 0, sizeof(*r));
    for (i = 0; i < 2 && names[i]; i++) {
        struct ra_buf p = RA_BUF_INIT;
        ra_buf_printf(&p, "%s/%s", tmpdir, names[i]);
        r->snaps[i] = ra_buf_detach(&p);
    }
    r->opts.snapshots = r->snaps;
    r->opts.nsnapshots = i;
    return ra_investigate(&r->inv, &r->opts, &r->err);
}

static void run_release(struct run *r)
{
    size_t i;

    ra_investigation_free(r->inv);
    for (i = 0; i < 3; i++)
        free(r->snaps[i]);
    free(r->logs[0]);
}

static const struct ra_event *event(const struct run *r, size_t i)
{
    assert_true(i < r->inv->timeline->events.len);
    return r->inv->timeline->events.items[i];
}

/* Row i of the timeline; snap: the evidence is tmpdir/snap (NULL: not checked here). */
static void expect_event(const struct run *r, size_t i, ra_time time, ra_time until,
                         enum ra_event_kind kind, const char *source, const char *message,
                         const char *snap)
{
    const struct ra_event *e = event(r, i);

    assert_int_equal(e->time, time);
    assert_int_equal(e->until, until);
    assert_int_equal(e->kind, kind);
    assert_string_equal(e->source, source);
    assert_string_equal(e->message, message);
    assert_int_equal(e->count, 1);
    if (snap) {
        struct ra_buf p = RA_BUF_INIT;
        ra_buf_printf(&p, "%s/%s", tmpdir, snap);
        assert_string_equal(e->evidence, p.ptr);
        ra_buf_release(&p);
    }
}

static void test_investigate__lost_layer(void **state)
{
    struct run r;
    const struct ra_loss *l;
    char hex[65], want[80];

    (void)state;
    fix_hex(hex, LAYER, strlen(LAYER));
    /* given newest first: the scans come back sorted by time */
    assert_int_equal(investigate(&r, SNAP2, SNAP1), 0);
    assert_non_null(r.inv);
    assert_int_equal(r.inv->nscans, 2);
    assert_string_equal(r.inv->scans[0]->snap->name, SNAP1);
    assert_int_equal(r.inv->scans[0]->snap->taken_at, APR(12, 1, 0));
    assert_string_equal(r.inv->scans[1]->snap->name, SNAP2);
    assert_int_equal(r.inv->scans[1]->snap->taken_at, APR(13, 1, 0));

    assert_int_equal(r.inv->losses->items.len, 1);
    l = r.inv->losses->items.items[0];
    assert_int_equal(l->object, RA_OBJ_BLOB);
    assert_string_equal(l->repository, "");
    assert_string_equal(ra_digest_format(want, &l->digest) + strlen("sha256:"), hex);
    assert_int_equal(l->tags.len, 1);
    assert_string_equal(((const struct ra_loss_tag *)l->tags.items[0])->ref,
                        "infra-ci:latest");
    assert_int_equal(l->last_present, 0);
    assert_int_equal(l->first_missing, 1);
    /* the folders were made now, after the snapshots' names: their times are not used */
    assert_int_equal(r.inv->losses->mtimes_untrusted, 1);
    assert_int_equal(l->from.time, APR(12, 1, 0));
    assert_int_equal(l->from.kind, RA_BOUND_SNAPSHOT);
    assert_string_equal(l->from.evidence, SNAP1);
    assert_int_equal(l->to.time, APR(13, 1, 0));
    assert_int_equal(l->to.kind, RA_BOUND_SNAPSHOT);
    assert_string_equal(l->to.evidence, SNAP2);

    assert_int_equal(r.inv->timeline->events.len, 6);
    expect_event(&r, 0, APR(12, 1, 0), RA_TIME_NONE, RA_EV_SNAPSHOT, SNAP1,
                 "snapshot " SNAP1 " taken (name)", SNAP1);
    expect_event(&r, 1, APR(12, 1, 0), RA_TIME_NONE, RA_EV_MTIMES_UNTRUSTED, SNAP1,
                 "times inside " SNAP1
                 " are not used: member mtimes after the snapshot was taken",
                 SNAP1);
    expect_event(&r, 2, APR(12, 1, 0), APR(13, 1, 0), RA_EV_VANISHED, SNAP2,
                 "between " SNAP1 " and " SNAP2
                 ": 0 tags, 0 revision links and 1 blobs disappeared",
                 NULL);
    assert_string_equal(event(&r, 2)->evidence, "docker/registry/v2");
    expect_event(&r, 3, APR(12, 1, 0), APR(13, 1, 0), RA_EV_LOSS, SNAP2,
                 "1 object that infra-ci:latest needs went missing (1 blob)", NULL);
    assert_string_equal(event(&r, 3)->evidence, SNAP2);
    expect_event(&r, 4, APR(13, 1, 0), RA_TIME_NONE, RA_EV_SNAPSHOT, SNAP2,
                 "snapshot " SNAP2 " taken (name)", SNAP2);
    expect_event(&r, 5, APR(13, 1, 0), RA_TIME_NONE, RA_EV_MTIMES_UNTRUSTED, SNAP2,
                 "times inside " SNAP2
                 " are not used: member mtimes after the snapshot was taken",
                 SNAP2);

    /* nothing else given: no notes, firings, logs or predictions */
    assert_int_equal(r.inv->notes.len, 0);
    assert_int_equal(r.inv->nfirings, 0);
    assert_int_equal(r.inv->nlogs, 0);
    assert_null(ra_losses_first_404(r.inv->losses));
    assert_int_equal(r.inv->predictions.len, 0);
    run_release(&r);
}

static void test_investigate__no_snapshot(void **state)
{
    struct run r;

    (void)state;
    assert_int_equal(investigate(&r, NULL, NULL), RA_EUSAGE);
    assert_null(r.inv);
    assert_string_equal(r.err.msg, "no SNAPSHOT given");
    run_release(&r);
}

static void test_investigate__missing_snapshot(void **state)
{
    struct run r;

    (void)state;
    assert_int_equal(investigate(&r, SNAP1, "reg-2026-04-14T0100Z"), RA_ENOTFOUND);
    assert_null(r.inv);
    assert_non_null(strstr(r.err.msg, "reg-2026-04-14T0100Z"));
    run_release(&r);
}

static void test_investigate__unreadable_log(void **state)
{
    struct run r;
    struct ra_buf p = RA_BUF_INIT;

    (void)state;
    memset(&r, 0, sizeof(r));
    ra_buf_printf(&p, "%s/" SNAP1, tmpdir);
    r.snaps[0] = ra_buf_detach(&p);
    ra_buf_printf(&p, "%s/no-such.log", tmpdir);
    r.logs[0] = ra_buf_detach(&p);
    r.opts.snapshots = r.snaps;
    r.opts.nsnapshots = 1;
    r.opts.logs = r.logs;
    r.opts.nlogs = 1;
    assert_int_equal(ra_investigate(&r.inv, &r.opts, &r.err), RA_EIO);
    assert_null(r.inv);
    ra_buf_printf(&p, "'%s': cannot open: No such file or directory", r.logs[0]);
    assert_string_equal(r.err.msg, p.ptr);
    ra_buf_release(&p);
    run_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_investigate__lost_layer),
        cmocka_unit_test(test_investigate__no_snapshot),
        cmocka_unit_test(test_investigate__missing_snapshot),
        cmocka_unit_test(test_investigate__unreadable_log),
    };

    return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
