/* SPDX-License-Identifier: MIT */
/* analysis/detection_gap: how deep each probe command looks (skopeo inspect --raw only
 * reads the index; skopeo copy --all and a blob walk read everything), the image it
 * names, and whether that depth sees a tag that fails below its index. */

/* cmocka needs these first, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <string.h>

#include "analysis/detection_gap.h"

static enum ra_probe_depth depth(struct ra_pool *pool, const char **target,
                                 const char *cmd)
{
    return ra_probe_depth_of(target, pool, cmd);
}

static void test_detection_gap__depths(void **state)
{
    struct ra_pool pool = RA_POOL_INIT;
    const char *t;

    (void)state;
    assert_int_equal(
        depth(&pool, &t,
              "skopeo inspect --raw "
              "docker://registry.example.internal/infra-ci:latest > /dev/null"),
        RA_PROBE_TOP);
    assert_string_equal(t, "infra-ci:latest");
    assert_int_equal(depth(&pool, &t, "/usr/bin/skopeo inspect docker://reg:5000/a/b"),
                     RA_PROBE_PLATFORM);
    assert_string_equal(t, "a/b:latest");
    assert_int_equal(depth(&pool, &t,
                           "skopeo copy --all docker://r.example/infra-ci:latest "
                           "dir:/tmp/probe"),
                     RA_PROBE_ALL);
    assert_string_equal(t, "infra-ci:latest");
    assert_int_equal(depth(&pool, &t, "skopeo copy docker://r.example/x:1 dir:/tmp/p"),
                     RA_PROBE_PULL);
    assert_int_equal(
        depth(&pool, &t, "curl -fsS https://r.example/v2/infra-ci/manifests/latest"),
        RA_PROBE_TOP);
    assert_string_equal(t, "infra-ci:latest");
    assert_int_equal(
        depth(&pool, &t, "curl -fsS https://r.example/v2/$repo/blobs/$d -o /dev/null"),
        RA_PROBE_ALL);
    assert_null(t);
    assert_int_equal(depth(&pool, &t, "curl -fsS https://r.example/v2/_catalog"),
                     RA_PROBE_LIST);
    assert_int_equal(depth(&pool, &t, "crane validate --remote r.example/app:v1"),
                     RA_PROBE_ALL);
    assert_string_equal(t, "app:v1");
    assert_int_equal(depth(&pool, &t, "crane digest r.example/app:v1"), RA_PROBE_TOP);
    assert_int_equal(depth(&pool, &t, "regctl image copy r.example/app:v1 other/app:v1"),
                     RA_PROBE_ALL);
    assert_string_equal(t, "app:v1");
    assert_int_equal(depth(&pool, &t, "regctl manifest head r.example/app:v1"),
                     RA_PROBE_TOP);
    assert_int_equal(depth(&pool, &t, "docker pull r.example/app:v1"), RA_PROBE_PULL);
    assert_int_equal(depth(&pool, &t, "/opt/ci/check.sh"), RA_PROBE_UNKNOWN);
    assert_null(t);
    assert_string_equal(ra_probe_depth_name(RA_PROBE_TOP), "top");
    assert_string_equal(ra_probe_depth_name(RA_PROBE_ALL), "all");
    ra_pool_release(&pool);
}

static void test_detection_gap__needed(void **state)
{
    (void)state;
    assert_int_equal(ra_probe_depth_needed(RA_F_TAG_TARGET_MISSING, 1), RA_PROBE_TOP);
    assert_int_equal(ra_probe_depth_needed(RA_F_INDEX_CHILD_MISSING, 1),
                     RA_PROBE_PLATFORM);
    assert_int_equal(ra_probe_depth_needed(RA_F_INDEX_CHILD_MISSING, 0), RA_PROBE_ALL);
    assert_int_equal(ra_probe_depth_needed(RA_F_BLOB_MISSING, 1), RA_PROBE_PULL);
    assert_int_equal(ra_probe_depth_needed(RA_F_BLOB_MISSING, 0), RA_PROBE_ALL);
}

/* infra-ci:latest: a tagged index whose two platforms lost their manifests (2.x GC -m).
 */
static struct ra_platform_result plats[2] = {
    {.platform = "linux/amd64", .reason = RA_F_INDEX_CHILD_MISSING},
    {.platform = "linux/arm64/v8", .reason = RA_F_INDEX_CHILD_MISSING},
};
static struct ra_tag_result infra = {.repository = "infra-ci",
                                     .tag = "latest",
                                     .resolves = 1,
                                     .is_index = 1,
                                     .reason = RA_F_INDEX_CHILD_MISSING,
                                     .platforms = plats,
                                     .nplatforms = 2};

static void check(struct ra_probe_check *c, struct ra_pool *pool, const char *cmd)
{
    static struct ra_job job;
    const struct ra_tag_result *broken[1] = {&infra};

    memset(&job, 0, sizeof(job));
    job.id = "crontab:hosts/registry-vm/crontab:probe";
    job.name = "probe";
    job.path = "hosts/registry-vm/crontab";
    job.line = 11;
    job.command = cmd;
    job.classes = RA_JOB_PROBE;
    ra_probe_check_job(c, pool, &job, broken, 1);
}

static void test_detection_gap__verdicts(void **state)
{
    struct ra_pool pool = RA_POOL_INIT;
    struct ra_probe_check c;

    (void)state;
    check(&c, &pool,
          "skopeo inspect --raw docker://registry.example.internal/infra-ci:latest");
    assert_int_equal(c.catches, 0);
    assert_string_equal(c.defined_in, "hosts/registry-vm/crontab:11");
    assert_string_equal(c.why,
                        "it fetches only the tag's manifest or index, not its platforms' "
                        "manifests or blobs; infra-ci:latest fails below its tag's "
                        "manifest, so it would not catch this damage");
    check(&c, &pool,
          "skopeo copy --all docker://registry.example.internal/infra-ci:latest dir:/x");
    assert_int_equal(c.catches, 1);
    assert_string_equal(c.why,
                        "it pulls every platform and every blob; infra-ci:latest fails "
                        "below its tag's manifest, so it would catch this damage");
    check(&c, &pool,
          "skopeo copy --all docker://registry.example.internal/base/debian:12 dir:/x");
    assert_int_equal(c.catches, 0);
    assert_string_equal(c.why, "it probes base/debian:12, which can still be pulled");
    check(&c, &pool, "/opt/ci/probe.sh");
    assert_int_equal(c.catches, -1);
    ra_pool_release(&pool);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detection_gap__depths),
        cmocka_unit_test(test_detection_gap__needed),
        cmocka_unit_test(test_detection_gap__verdicts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
