/* SPDX-License-Identifier: MIT */
/* report/timeline_out: the regautopsy.timeline/1 document, the JSON lines for forensic
 * timeline tools and the text table of ra_investigate on two directory snapshots laid
 * out in a temporary folder (folders and files dated, so their times are used: the
 * second snapshot lost a layer's data) with a crontab whose garbage-collect ran in
 * the loss window. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/investigate.h"
#include "report/timeline_out.h"
#include "util/buf.h"

#include "fixture_analysis.h"
#include "json_fixture.h"

#define SNAP1 "reg-2026-04-12T0100Z"
#define SNAP2 "reg-2026-04-13T0100Z"
#define T_DIRS APR(6, 8, 0)
#define T_PUSH APR(6, 9, 0)
#define T_GC APR(12, 3, 25)
#define CONFIG "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{}}"
#define LAYER "layer data of infra-ci:latest"
#define CRONTAB                                                                          \
    "25 3 * * * root /usr/bin/docker-registry garbage-collect -m "                       \
    "/etc/docker/registry/config.yml\n"

static char tmpdir[] = "/tmp/ra-test-timeline-out-XXXXXX";
static struct fix_disk_image x;
static struct ra_investigation *inv;

static int setup_group(void **state)
{
    struct ra_buf p = RA_BUF_INIT, cron = RA_BUF_INIT;
    struct ra_investigate_opts opts = {0};
    struct ra_err err = RA_ERR_INIT;
    char *snaps[2];

    (void)state;
    if (fix_tmpdir_make(tmpdir) < 0)
        return -1;
    ra_buf_printf(&p, "%s/" SNAP1 "/docker/registry/v2", tmpdir);
    fix_disk_push(&x, p.ptr, REPO, "latest", CONFIG, LAYER, 1, T_PUSH);
    ra_buf_truncate(&p, 0);
    ra_buf_printf(&p, "%s/" SNAP1, tmpdir);
    fix_disk_retime(p.ptr, T_DIRS);
    ra_buf_truncate(&p, 0);
    ra_buf_printf(&p, "%s/" SNAP2 "/docker/registry/v2", tmpdir);
    fix_disk_push(&x, p.ptr, REPO, "latest", CONFIG, LAYER, 0, T_PUSH);
    /* the garbage-collect emptied the layer's folder at T_GC */
    ra_buf_printf(&p, "/blobs/sha256/%.2s", x.layer);
    fix_mkdirs(p.ptr);
    ra_buf_truncate(&p, 0);
    ra_buf_printf(&p, "%s/" SNAP2, tmpdir);
    fix_disk_retime(p.ptr, T_DIRS);
    ra_buf_printf(&p, "/docker/registry/v2/blobs/sha256/%.2s", x.layer);
    fix_set_mtime(p.ptr, T_GC);
    /* the config repo: the GC's crontab, committed on the 1st */
    ra_buf_printf(&cron, "%s/config/etc/cron.d/registry-gc", tmpdir);
    fix_write(cron.ptr, CRONTAB, strlen(CRONTAB), RA_TIME_NONE);
    ra_buf_truncate(&cron, 0);
    ra_buf_printf(&cron,
                  "cd '%s/config' && export GIT_CONFIG_GLOBAL=/dev/null "
                  "GIT_CONFIG_NOSYSTEM=1 && git init -q . && git add -A && "
                  "GIT_AUTHOR_DATE='2026-04-01T10:00:00Z' "
                  "GIT_COMMITTER_DATE='2026-04-01T10:00:00Z' git -c user.name=ops "
                  "-c user.email=ops@example.org commit -q -m 'registry GC nightly'",
                  tmpdir);
    if (system(cron.ptr) != 0)
        return -1;
    ra_buf_truncate(&cron, 0);
    ra_buf_printf(&cron, "%s/config", tmpdir);
    snaps[0] = ra_xstrdup(p.ptr);
    ra_buf_truncate(&p, 0);
    ra_buf_printf(&p, "%s/" SNAP1, tmpdir);
    snaps[1] = ra_xstrdup(p.ptr);
    ra_buf_truncate(&p, 0);
    ra_buf_printf(&p, "%s/" SNAP2, tmpdir);
    free(snaps[0]);
    snaps[0] = ra_xstrdup(p.ptr);
    opts.snapshots = snaps;
    opts.nsnapshots = 2;
    opts.config = cron.ptr;
    opts.fold = 1;
    if (ra_investigate(&inv, &opts, &err) < 0) {
        print_message("%s\n", err.msg);
        return -1;
    }
    free(snaps[0]);
    free(snaps[1]);
    ra_buf_release(&p);
    ra_buf_release(&cron);
    return 0;
}

static int teardown_group(void **state)
{
    (void)state;
    ra_investigation_free(inv);
    return fix_tmpdir_remove(tmpdir);
}

/* The config repo's commit, as the timeline names it. */
static const char *commit_id(void)
{
    static char id[16];
    struct ra_buf cmd = RA_BUF_INIT;
    FILE *p;

    if (!id[0]) {
        ra_buf_printf(&cmd, "git -C '%s/config' rev-parse --short=12 HEAD", tmpdir);
        assert_non_null(p = popen(cmd.ptr, "r"));
        assert_non_null(fgets(id, sizeof(id), p));
        id[strcspn(id, "\n")] = '\0';
        assert_int_equal(pclose(p), 0);
        assert_int_equal(strlen(id), 12);
        ra_buf_release(&cmd);
    }
    return id;
}

#define GC_JOB "cron.d:etc/cron.d/registry-gc:registry garbage-collect"
#define LOST_FILES                                                                       \
    "no garbage-collect (2.x or 3.x, with or without --delete-untagged) run on "         \
    "snapshot " SNAP1 " deletes it"

/* The suspect's reason. */
static void reason(struct ra_buf *out)
{
    ra_buf_printf(
        out,
        "registry garbage-collect (etc/cron.d/registry-gc:1 @ %s) ran in the window "
        "and can delete this kind of object; simulating it (Distribution 2.x with "
        "--delete-untagged) on the previous snapshot does not delete this",
        commit_id());
}

static void test_timeline_out__text(void **state)
{
    struct ra_buf out = RA_BUF_INIT, want = RA_BUF_INIT, why = RA_BUF_INIT;
    const char *c = commit_id();

    (void)state;
    reason(&why);
    ra_timeline_write_text(&out, inv);
    ra_buf_printf(
        &want,
        "time (UTC)            precision  kind              event\n"
        "2026-04-01T10:00:00Z  exact      commit            config %s: job registry "
        "garbage-collect added (registry GC nightly)\n"
        "2026-04-05T03:25:00Z  window     firing            registry garbage-collect ran "
        "daily at 03:25, 8 times (x8)\n"
        "2026-04-06T00:00:00Z  window     blob_uploaded     blob uploads (x3)\n"
        "2026-04-06T00:00:00Z  window     layer_linked      layer links (x2)\n"
        "2026-04-06T09:00:00Z  exact      tag_pushed        infra-ci:latest pushed as "
        "sha256:%.12s\n"
        "2026-04-06T09:00:00Z  exact      tag_current       infra-ci:latest now points "
        "at "
        "sha256:%.12s\n"
        "2026-04-06T09:00:00Z  exact      manifest_pushed   manifest sha256:%.12s pushed "
        "to "
        "infra-ci\n"
        "2026-04-12T01:00:00Z  exact      snapshot          snapshot " SNAP1
        " taken (name)\n"
        "2026-04-12T01:00:00Z  window     vanished          between " SNAP1 " and " SNAP2
        ": 0 tags, 0 revision links and 1 blobs disappeared\n"
        "2026-04-12T01:00:00Z  window     loss              1 object that "
        "infra-ci:latest "
        "needs went missing (1 blob)\n"
        "2026-04-12T03:25:00Z  exact      firing            registry garbage-collect ran "
        "(garbage-collect --delete-untagged)\n"
        "2026-04-13T01:00:00Z  exact      snapshot          snapshot " SNAP2
        " taken (name)\n"
        "\n"
        "1 losses:\n"
        "  blob sha256:%s\n"
        "    missing between 2026-04-12T01:00:00Z (snapshot) and 2026-04-12T03:25:00Z "
        "(folder_mtime)\n"
        "    breaks infra-ci:latest\n"
        "    fingerprint lost_files: " LOST_FILES "\n"
        "    suspect [low] registry garbage-collect at 2026-04-12T03:25:00Z: %s\n",
        c, x.m, x.m, x.m, x.layer, why.ptr);
    assert_string_equal(out.ptr, want.ptr);
    ra_buf_release(&out);
    ra_buf_release(&want);
    ra_buf_release(&why);
}

static void test_timeline_out__json(void **state)
{
    struct ra_buf out = RA_BUF_INIT, want = RA_BUF_INIT, why = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    json_t *doc, *events;

    (void)state;
    reason(&why);
    assert_int_equal(ra_timeline_write_json(&out, inv, &err), 0);
    assert_int_equal(out.ptr[out.len - 1], '\n');
    doc = fix_json_load(out.ptr, out.len);
    fix_json_expect(json_object_get(doc, "schema"), "\"regautopsy.timeline/1\"");
    fix_json_expect(
        json_object_get(doc, "snapshots"),
        "[{\"complete\":true,\"mtimes_note\":null,\"mtimes_trusted\":true,\"name\":"
        "\"" SNAP1 "\",\"taken_at\":\"2026-04-12T01:00:00Z\",\"taken_at_source\":"
        "\"name\"},{\"complete\":true,\"mtimes_note\":null,\"mtimes_trusted\":true,"
        "\"name\":\"" SNAP2 "\",\"taken_at\":\"2026-04-13T01:00:00Z\","
        "\"taken_at_source\":\"name\"}]");
    fix_json_expect(json_object_get(doc, "folded"),
                    "{\"blob_uploaded\":3,\"layer_linked\":2}");
    fix_json_expect(json_object_get(doc, "notes"), "[]");
    events = json_object_get(doc, "events");
    assert_int_equal(json_array_size(events), 12);
    /* runs are counted up to the newest evidence, here the newest snapshot (no log):
     * the 8th run, on the 12th, is the last; the one on the 13th is the forecast's */
    assert_int_equal(inv->firings_until, APR(13, 1, 0));
    ra_buf_printf(
        &want,
        "{\"count\":8,\"evidence\":\"etc/cron.d/registry-gc:1 @ %s\",\"kind\":"
        "\"firing\",\"message\":\"registry garbage-collect ran daily at 03:25, 8 "
        "times\",\"precision\":\"window\",\"source\":\"config\",\"time\":"
        "\"2026-04-05T03:25:00Z\",\"until\":\"2026-04-12T03:25:00Z\"}",
        commit_id());
    fix_json_expect(json_array_get(events, 1), want.ptr);
    fix_json_expect(
        json_array_get(events, 2),
        "{\"count\":3,\"evidence\":null,\"kind\":\"blob_uploaded\",\"message\":"
        "\"blob uploads\",\"precision\":\"window\",\"source\":\"" SNAP1 "\",\"time\":"
        "\"2026-04-06T00:00:00Z\",\"until\":\"2026-04-06T23:59:59Z\"}");
    fix_json_expect(
        json_array_get(events, 9),
        "{\"count\":1,\"evidence\":\"docker/registry/v2/blobs/sha256/38\",\"kind\":"
        "\"loss\",\"message\":\"1 object that infra-ci:latest needs went missing (1 "
        "blob)\",\"precision\":\"window\",\"source\":\"" SNAP2 "\",\"time\":"
        "\"2026-04-12T01:00:00Z\",\"until\":\"2026-04-12T03:25:00Z\"}");
    ra_buf_truncate(&want, 0);
    ra_buf_printf(
        &want,
        "[{\"breaks\":[\"infra-ci:latest\"],\"digest\":\"sha256:%s\",\"fingerprints\":"
        "[{\"detail\":\"" LOST_FILES "\",\"name\":\"lost_files\"}],\"object\":\"blob\","
        "\"repository\":null,\"root\":\"docker/registry/v2\",\"suspects\":[{\"commit\":"
        "\"%s\",\"confidence\":\"low\",\"defined_in\":\"etc/cron.d/registry-gc:1\","
        "\"fired_at\":\"2026-04-12T03:25:00Z\",\"job\":\"" GC_JOB "\",\"kind\":"
        "\"garbage-collect\",\"name\":\"registry garbage-collect\",\"reason\":\"%s\","
        "\"request\":null}],\"tag\":null,\"window\":{\"from\":{\"evidence\":\"" SNAP1
        "\",\"kind\":\"snapshot\",\"time\":\"2026-04-12T01:00:00Z\"},\"note\":null,"
        "\"to\":"
        "{\"evidence\":\"docker/registry/v2/blobs/sha256/38\",\"kind\":\"folder_mtime\","
        "\"time\":\"2026-04-12T03:25:00Z\"}}}]",
        x.layer, commit_id(), why.ptr);
    fix_json_expect(json_object_get(doc, "losses"), want.ptr);
    /* the next run after the newest snapshot, simulated on it: nothing to delete */
    fix_json_expect(
        json_object_get(doc, "gc_prediction"),
        "{\"delete_untagged\":true,\"distribution\":\"2.8\",\"fires_at\":"
        "\"2026-04-13T03:25:00Z\",\"job\":\"" GC_JOB "\",\"name\":\"registry "
        "garbage-collect\",\"registries\":[{\"aborted\":null,\"blobs_deleted\":0,"
        "\"breaks\":[],\"bytes_deleted\":0,\"manifests_deleted\":0,\"root\":"
        "\"docker/registry/v2\"}]}");
    json_decref(doc);
    ra_buf_release(&out);
    ra_buf_release(&want);
    ra_buf_release(&why);
}

/* One line per event with Timesketch's fields, then one per loss. */
static void test_timeline_out__jsonl(void **state)
{
    struct ra_buf out = RA_BUF_INIT, want = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    const char *line, *nl;
    size_t n = 0;
    json_t *o = NULL;

    (void)state;
    assert_int_equal(ra_timeline_write_jsonl(&out, inv, &err), 0);
    for (line = out.ptr; (nl = strchr(line, '\n')); line = nl + 1) {
        json_decref(o);
        o = fix_json_load(line, (size_t)(nl - line));
        if (n++ == 0) {
            ra_buf_printf(
                &want,
                "{\"count\":1,\"data_type\":\"regautopsy:timeline:event\","
                "\"datetime\":\"2026-04-01T10:00:00Z\",\"display_name\":"
                "\"etc/cron.d/registry-gc\",\"evidence\":\"etc/cron.d/registry-gc\","
                "\"kind\":\"commit\",\"message\":\"config %s: job registry "
                "garbage-collect added (registry GC nightly)\",\"precision\":"
                "\"exact\",\"source\":\"config\",\"time\":\"2026-04-01T10:00:00Z\","
                "\"timestamp\":1775037600000000,\"timestamp_desc\":\"commit\","
                "\"until\":null}",
                commit_id());
            fix_json_expect(o, want.ptr);
            ra_buf_truncate(&want, 0);
        }
    }
    assert_int_equal(*line, '\0');
    assert_int_equal(n, 13);
    /* the last line: the loss, at its window's start */
    ra_buf_printf(&want,
                  "blob sha256:%s missing between 2026-04-12T01:00:00Z and "
                  "2026-04-12T03:25:00Z; breaks infra-ci:latest",
                  x.layer);
    assert_string_equal(json_string_value(json_object_get(o, "message")), want.ptr);
    fix_json_expect(json_object_get(o, "kind"), "\"loss\"");
    fix_json_expect(json_object_get(o, "data_type"), "\"regautopsy:timeline:loss\"");
    fix_json_expect(json_object_get(o, "datetime"), "\"2026-04-12T01:00:00Z\"");
    fix_json_expect(json_object_get(o, "timestamp"), "1775955600000000");
    fix_json_expect(json_object_get(o, "timestamp_desc"), "\"loss window start\"");
    fix_json_expect(json_object_get(o, "source"),
                    "\"docker/registry/v2/blobs/sha256/38\"");
    ra_buf_truncate(&want, 0);
    ra_buf_printf(&want, "\"sha256:%s\"", x.layer);
    fix_json_expect(json_object_get(o, "display_name"), want.ptr);
    json_decref(o);
    ra_buf_release(&out);
    ra_buf_release(&want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timeline_out__text),
        cmocka_unit_test(test_timeline_out__json),
        cmocka_unit_test(test_timeline_out__jsonl),
    };

    return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
