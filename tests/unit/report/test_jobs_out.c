/* SPDX-License-Identifier: MIT */
/* report/jobs_out: the regautopsy.jobs/1 document (docs/json.md) and the text table of
 * a config repo made here with git (a registry garbage-collect in a cron.d file, run
 * without and then, from a later commit, with --delete-untagged; the registry image
 * from a compose file, a dry run weekly and a mirror's GC without flags) and its
 * firings over three days, each with the version in effect; and the table without
 * firings asked for. */

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

#include "config/sched/schedule.h"
#include "report/jobs_out.h"
#include "util/buf.h"

#include "fixture.h"
#include "json_fixture.h"

#define CRON_V1                                                                          \
    "25 3 * * * root /usr/bin/docker-registry garbage-collect "                          \
    "/etc/docker/registry/config.yml\n"
#define CRON_V2                                                                          \
    "25 3 * * * root /usr/bin/docker-registry garbage-collect -m "                       \
    "/etc/docker/registry/config.yml\n"
#define WEEKLY                                                                           \
    "0 4 * * 0 root /usr/bin/docker-registry garbage-collect --dry-run "                 \
    "/etc/docker/registry/config.yml\n"
#define MIRROR                                                                           \
    "30 2 * * * root /usr/bin/docker-registry garbage-collect "                          \
    "/etc/docker/mirror/config.yml\n"
#define COMPOSE                                                                          \
    "services:\n  registry:\n    image: registry:2\n    ports: [\"5000:5000\"]\n"

static char tmpdir[] = "/tmp/ra-test-jobs-out-XXXXXX";
static struct ra_schedule *sched;

static int commit(const char *date, const char *msg)
{
    struct ra_buf cmd = RA_BUF_INIT;
    int rc;

    ra_buf_printf(
        &cmd,
        "cd '%s/config' && export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 "
        "GIT_AUTHOR_DATE='%s' GIT_COMMITTER_DATE='%s' && git add -A && git -c "
        "user.name=ops -c user.email=ops@example.org commit -q -m '%s'",
        tmpdir, date, date, msg);
    rc = system(cmd.ptr);
    ra_buf_release(&cmd);
    return rc;
}

static int setup_group(void **state)
{
    struct ra_buf p = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;

    (void)state;
    if (fix_tmpdir_make(tmpdir) < 0)
        return -1;
    ra_buf_printf(&p, "git init -q '%s/config'", tmpdir);
    if (system(p.ptr) != 0)
        return -1;
    ra_buf_truncate(&p, 0);
    ra_buf_printf(&p, "%s/config/etc/cron.d/registry-gc", tmpdir);
    fix_write(p.ptr, CRON_V1, strlen(CRON_V1), RA_TIME_NONE);
    ra_buf_truncate(&p, 0);
    ra_buf_printf(&p, "%s/config/etc/cron.d/mirror-gc", tmpdir);
    fix_write(p.ptr, MIRROR, strlen(MIRROR), RA_TIME_NONE);
    ra_buf_truncate(&p, 0);
    ra_buf_printf(&p, "%s/config/registry/docker-compose.yml", tmpdir);
    fix_write(p.ptr, COMPOSE, strlen(COMPOSE), RA_TIME_NONE);
    if (commit("2026-04-01T10:00:00Z", "registry and its nightly GC") != 0)
        return -1;
    ra_buf_truncate(&p, 0);
    ra_buf_printf(&p, "%s/config/etc/cron.d/registry-gc", tmpdir);
    fix_write(p.ptr, CRON_V2, strlen(CRON_V2), RA_TIME_NONE);
    ra_buf_truncate(&p, 0);
    ra_buf_printf(&p, "%s/config/etc/cron.d/registry-gc-weekly", tmpdir);
    fix_write(p.ptr, WEEKLY, strlen(WEEKLY), RA_TIME_NONE);
    if (commit("2026-04-10T10:00:00Z", "gc: also delete untagged manifests") != 0)
        return -1;
    ra_buf_truncate(&p, 0);
    ra_buf_printf(&p, "%s/config", tmpdir);
    if (ra_schedule_load(&sched, p.ptr, NULL, &err) < 0) {
        print_message("%s\n", err.msg);
        return -1;
    }
    ra_buf_release(&p);
    return 0;
}

static int teardown_group(void **state)
{
    (void)state;
    ra_schedule_free(sched);
    return fix_tmpdir_remove(tmpdir);
}

/* The full id of HEAD~n in the config repo. */
static const char *rev(int n)
{
    static char ids[2][48];
    struct ra_buf cmd = RA_BUF_INIT;
    FILE *p;

    if (!ids[n][0]) {
        ra_buf_printf(&cmd, "git -C '%s/config' rev-parse HEAD~%d", tmpdir, n);
        assert_non_null(p = popen(cmd.ptr, "r"));
        assert_non_null(fgets(ids[n], sizeof(ids[n]), p));
        ids[n][strcspn(ids[n], "\n")] = '\0';
        assert_int_equal(pclose(p), 0);
        assert_int_equal(strlen(ids[n]), 40);
        ra_buf_release(&cmd);
    }
    return ids[n];
}

#define GC "registry garbage-collect"
#define REG_CONF "/etc/docker/registry/config.yml"

/* The table of the three jobs and the registry image (the same with and without
 * firings): head is HEAD's short id, first the first commit's. */
static void jobs_table(struct ra_buf *out, const char *head, const char *first)
{
    ra_buf_printf(
        out,
        "%s/config at %s: 3 jobs over 2 commits\n"
        "\n" GC " [garbage-collect]\n"
        "  schedule  30 2 * * *\n"
        "  defined   etc/cron.d/mirror-gc:1 @ %s\n"
        "  command   /usr/bin/docker-registry garbage-collect "
        "/etc/docker/mirror/config.yml\n"
        "  flags     none\n"
        "  2026-04-01 %s added (registry and its nightly GC)\n"
        "\n" GC " [garbage-collect]\n"
        "  schedule  0 4 * * 0\n"
        "  defined   etc/cron.d/registry-gc-weekly:1 @ %s\n"
        "  command   /usr/bin/docker-registry garbage-collect --dry-run " REG_CONF "\n"
        "  flags     --dry-run\n"
        "  2026-04-10 %s added (gc: also delete untagged manifests)\n"
        "\n" GC " [garbage-collect]\n"
        "  schedule  25 3 * * *\n"
        "  defined   etc/cron.d/registry-gc:1 @ %s\n"
        "  command   /usr/bin/docker-registry garbage-collect -m " REG_CONF "\n"
        "  flags     --delete-untagged\n"
        "  2026-04-01 %s added (registry and its nightly GC)\n"
        "  2026-04-10 %s adds --delete-untagged; command changed (gc: also delete "
        "untagged "
        "manifests)\n"
        "\n"
        "registry images:\n"
        "  registry:2 (floating)  registry/docker-compose.yml:3 @ %s\n",
        tmpdir, head, head, first, head, head, head, first, head, head);
}

static void test_jobs_out__text(void **state)
{
    struct ra_vec firings = RA_VEC_INIT;
    struct ra_buf out = RA_BUF_INIT, want = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    char head[13], first[13];

    (void)state;
    snprintf(head, sizeof(head), "%s", rev(0));
    snprintf(first, sizeof(first), "%s", rev(1));
    /* without firings asked for: the table only */
    ra_jobs_write_text(&out, sched, &firings);
    jobs_table(&want, head, first);
    assert_string_equal(out.ptr, want.ptr);
    /* three days: the mirror's and the nightly's runs, each with the version in effect
     * (the nightly's new version from the 10th at 10:00); the weekly's Sunday is out */
    assert_int_equal(
        ra_schedule_firings(&firings, sched, APR(9, 0, 0), APR(12, 0, 0), NULL, &err), 0);
    ra_buf_truncate(&out, 0);
    ra_jobs_write_text(&out, sched, &firings);
    ra_buf_printf(&want,
                  "\n6 firings:\n"
                  "  2026-04-09T02:30:00Z  " GC "  etc/cron.d/mirror-gc:1 @ %s\n"
                  "  2026-04-09T03:25:00Z  " GC "  etc/cron.d/registry-gc:1 @ %s\n"
                  "  2026-04-10T02:30:00Z  " GC "  etc/cron.d/mirror-gc:1 @ %s\n"
                  "  2026-04-10T03:25:00Z  " GC "  etc/cron.d/registry-gc:1 @ %s\n"
                  "  2026-04-11T02:30:00Z  " GC "  etc/cron.d/mirror-gc:1 @ %s\n"
                  "  2026-04-11T03:25:00Z  " GC "  etc/cron.d/registry-gc:1 @ %s\n",
                  first, first, first, first, first, head);
    assert_string_equal(out.ptr, want.ptr);
    ra_buf_release(&out);
    ra_buf_release(&want);
    ra_vec_release(&firings);
}

static void test_jobs_out__json(void **state)
{
    struct ra_vec firings = RA_VEC_INIT;
    struct ra_buf out = RA_BUF_INIT, want = RA_BUF_INIT;
    struct ra_err err = RA_ERR_INIT;
    json_t *doc, *jobs;

    (void)state;
    assert_int_equal(
        ra_schedule_firings(&firings, sched, APR(11, 0, 0), APR(12, 0, 0), NULL, &err),
        0);
    assert_int_equal(ra_jobs_write_json(&out, sched, &firings, &err), 0);
    assert_int_equal(out.ptr[out.len - 1], '\n');
    doc = fix_json_load((&out)->ptr, (&out)->len);
    fix_json_expect(json_object_get(doc, "schema"), "\"regautopsy.jobs/1\"");
    ra_buf_printf(&want, "\"%s\"", rev(0));
    fix_json_expect(json_object_get(doc, "commit"), want.ptr);
    ra_buf_truncate(&want, 0);
    ra_buf_printf(&want, "\"%s/config\"", tmpdir);
    fix_json_expect(json_object_get(doc, "repo"), want.ptr);
    fix_json_expect(json_object_get(doc, "shallow"), "false");
    fix_json_expect(json_object_get(doc, "problems"), "[]");
    fix_json_expect(json_object_get(doc, "pipelines"), "[]");
    fix_json_expect(json_object_get(doc, "examples"),
                    "{\"jobs\":[],\"registry_images\":[]}");
    ra_buf_truncate(&want, 0);
    ra_buf_printf(
        &want,
        "[{\"defined_in\":\"etc/cron.d/mirror-gc:1\",\"job\":"
        "\"cron.d:etc/cron.d/mirror-gc:" GC "\",\"time\":\"2026-04-11T02:30:00Z\","
        "\"version\":\"%s\"},{\"defined_in\":\"etc/cron.d/registry-gc:1\",\"job\":"
        "\"cron.d:etc/cron.d/registry-gc:" GC "\",\"time\":\"2026-04-11T03:25:00Z\","
        "\"version\":\"%s\"}]",
        rev(1), rev(0));
    fix_json_expect(json_object_get(doc, "firings"), want.ptr);
    ra_buf_truncate(&want, 0);
    ra_buf_printf(
        &want,
        "[{\"defined_at\":\"%s\",\"defined_in\":\"registry/docker-compose.yml:3\","
        "\"floating\":true,\"image\":\"registry:2\",\"image_raw\":null,"
        "\"version\":\"2\"}]",
        rev(0));
    fix_json_expect(json_object_get(doc, "registry_images"), want.ptr);
    jobs = json_object_get(doc, "jobs");
    assert_int_equal(json_array_size(jobs), 3);
    ra_buf_truncate(&want, 0);
    ra_buf_printf(
        &want,
        "{\"backup_to\":null,\"classes\":[\"garbage-collect\"],\"command\":"
        "\"/usr/bin/docker-registry garbage-collect -m " REG_CONF
        "\",\"command_raw\":null,"
        "\"cron_file\":null,\"defined_at\":\"%s\",\"defined_by\":\"cron.d\",\"defined_"
        "in\":"
        "\"etc/cron.d/registry-gc:1\",\"deployed\":null,\"disabled\":false,\"evidence\":"
        "[{\"class\":\"garbage-collect\",\"defined_in\":\"etc/cron.d/registry-gc:1\","
        "\"text\":\"/usr/bin/docker-registry garbage-collect -m " REG_CONF
        "\"}],\"flags\":"
        "{\"config\":\"" REG_CONF
        "\",\"delete_untagged\":true,\"dry_run\":false,\"keep\":"
        "null},\"id\":\"cron.d:etc/cron.d/registry-gc:" GC
        "\",\"in_effect\":true,\"kind\":"
        "\"garbage-collect\",\"name\":\"" GC
        "\",\"no_firings\":null,\"persistent\":false,"
        "\"prohibit_overlap\":false,\"random_delay\":null,\"schedule\":\"25 3 * * *\","
        "\"schedule_raw\":null,\"scripts\":[],\"timezone\":null,\"user\":\"root\","
        "\"versions\":[{\"author\":\"ops\",\"change\":\"added\",\"commit\":\"%s\","
        "\"defined_in\":\"etc/cron.d/registry-gc:1\",\"summary\":\"registry and its "
        "nightly "
        "GC\",\"time\":\"2026-04-01T10:00:00Z\"},{\"author\":\"ops\",\"change\":\"adds "
        "--delete-untagged; command changed\",\"commit\":\"%s\",\"defined_in\":"
        "\"etc/cron.d/registry-gc:1\",\"summary\":\"gc: also delete untagged manifests\","
        "\"time\":\"2026-04-10T10:00:00Z\"}],\"warning\":null}",
        rev(0), rev(1), rev(0));
    fix_json_expect(json_array_get(jobs, 2), want.ptr);
    /* the other two by id, with their flags */
    fix_json_expect(json_object_get(json_array_get(jobs, 0), "id"),
                    "\"cron.d:etc/cron.d/mirror-gc:" GC "\"");
    fix_json_expect(
        json_object_get(json_array_get(jobs, 0), "flags"),
        "{\"config\":\"/etc/docker/mirror/config.yml\",\"delete_untagged\":false,"
        "\"dry_run\":false,\"keep\":null}");
    fix_json_expect(json_object_get(json_array_get(jobs, 1), "id"),
                    "\"cron.d:etc/cron.d/registry-gc-weekly:" GC "\"");
    fix_json_expect(json_object_get(json_array_get(jobs, 1), "flags"),
                    "{\"config\":\"" REG_CONF
                    "\",\"delete_untagged\":false,\"dry_run\":true,"
                    "\"keep\":null}");
    json_decref(doc);
    ra_buf_release(&out);
    ra_buf_release(&want);
    ra_vec_release(&firings);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jobs_out__text),
        cmocka_unit_test(test_jobs_out__json),
    };

    return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
