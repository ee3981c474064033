/* SPDX-License-Identifier: MIT */
/* config/schedule: a config repository built with dated commits that insert and remove
 * lines around jobs, add a job of the same name above another, move jobs without changing
 * them and change them while they move; each job keeps its identity, each version its
 * line at its commit, and each firing the version in effect, in [from, to). Also the
 * zones: a CronJob without timeZone in the controller's zone, crontab TZ= vs CRON_TZ=. */

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
#include <unistd.h>

#include "config/sched/schedule.h"
#include "sched_fixture.h"
#include "gitfixture.h"

struct fixture {
    char dir[256];
    char repo[300];
    char c[5][RA_GIT_HEXSZ + 1]; /* the commits, oldest first */
};

#define CRON "registry/etc/cron.d/registry"
#define GC_LINE "25 3 * * 0 root docker exec registry registry garbage-collect"
#define CLEAN_LINE "0 2 * * * root /opt/ci/cleanup-tags.sh\n"
#define CJ "k8s/gc.yaml"

static const char cronjob[] = "apiVersion: batch/v1\n"
                              "kind: CronJob\n"
                              "metadata: {name: registry-probe}\n"
                              "spec:\n"
                              "  schedule: \"0 4 * * *\"\n"
                              "  jobTemplate:\n"
                              "    spec:\n"
                              "      template:\n"
                              "        spec:\n"
                              "          containers:\n"
                              "            - name: probe\n"
                              "              image: curlimages/curl:8.7.1\n"
                              "              command: [curl, -fsS, "
                              "\"http://registry:5000/v2/\"]\n";

static void head_of(struct fixture *fx, int i)
{
    char cmd[512];
    FILE *p;

    snprintf(cmd, sizeof(cmd), "git -C '%s' rev-parse HEAD", fx->repo);
    p = popen(cmd, "r");
    assert_non_null(p);
    assert_non_null(fgets(fx->c[i], sizeof(fx->c[i]), p));
    fx->c[i][RA_GIT_HEXSZ] = '\0';
    pclose(p);
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));

    git_sandbox(fx->dir, sizeof(fx->dir), "schedule");
    snprintf(fx->repo, sizeof(fx->repo), "%s/config", fx->dir);
    sh("git init -q -b main '%s'", fx->repo);

    put(fx->repo, CRON,
        "# registry jobs\n" CLEAN_LINE GC_LINE " /etc/docker/registry/config.yml\n");
    put(fx->repo, CJ, cronjob);
    put(fx->repo, "hosts/a/crontab",
        "TZ=Europe/Berlin\n0 2 * * * /usr/local/bin/backup-a\n");
    put(fx->repo, "hosts/b/crontab",
        "CRON_TZ=Europe/Berlin\n0 2 * * * /usr/local/bin/backup-b\n");
    commit(fx->repo, "2026-03-01T10:00:00Z", "alice", "registry jobs");
    head_of(fx, 0);

    /* lines inserted above; a new job of the same name as the cleanup, above it */
    put(fx->repo, CRON,
        "# registry jobs\n"
        "MAILTO=ops@example.org\n"
        "# extra prune at noon\n"
        "0 12 * * * root /opt/ci/cleanup-tags.sh --quick\n" CLEAN_LINE GC_LINE
        " /etc/docker/registry/config.yml\n");
    commit(fx->repo, "2026-03-05T09:00:00Z", "bob", "noon prune");
    head_of(fx, 1);

    /* a line removed above; the GC changes (-m) while it moves; exactly at a firing */
    put(fx->repo, CRON,
        "# registry jobs\n"
        "# extra prune at noon\n"
        "0 12 * * * root /opt/ci/cleanup-tags.sh --quick\n" CLEAN_LINE GC_LINE
        " -m /etc/docker/registry/config.yml\n");
    commit(fx->repo, "2026-03-15T03:25:00Z", "carol", "GC with -m");
    head_of(fx, 2);

    /* the noon prune removed; the others move again, unchanged */
    put(fx->repo, CRON,
        "# registry jobs\n"
        "# (noon prune removed)\n"
        "#\n#\n" CLEAN_LINE GC_LINE " -m /etc/docker/registry/config.yml\n");
    commit(fx->repo, "2026-03-15T09:00:00Z", "dave", "no noon prune");
    head_of(fx, 3);
    *state = fx;
    return 0;
}

static struct ra_schedule *load(const struct fixture *fx)
{
    struct ra_err err = RA_ERR_INIT;
    struct ra_schedule *s = NULL;

    if (ra_schedule_load(&s, fx->repo, NULL, &err) < 0)
        fail_msg("%s", err.msg);
    return s;
}

static ra_time at(const char *s)
{
    ra_time t;

    assert_int_equal(ra_time_parse(&t, s), 0);
    return t;
}

static void test_schedule__identity_across_inserted_and_removed_lines(void **state)
{
    struct fixture *fx = *state;
    struct ra_schedule *s = load(fx);
    const struct ra_sched_job *clean, *noon, *gc;
    const struct ra_job_version *v;

    assert_int_equal(s->jobs.len, 6);
    /* the 02:00 cleanup keeps its id though the scanner calls it "#2" at the middle
     * commits; it never changed: one version, at its line in the first commit */
    clean = sched_job(s, "cron.d:" CRON ":cleanup-tags.sh");
    assert_int_equal(clean->versions.len, 1);
    v = sched_version(clean, 0);
    assert_string_equal(v->commit->id, fx->c[0]);
    assert_string_equal(v->job->schedule, "0 2 * * *");
    assert_int_equal(v->job->line, 2);
    /* where it is now: line 5 at HEAD */
    assert_string_equal(clean->last_commit->id, fx->c[3]);
    assert_int_equal(clean->last->line, 5);

    /* the noon prune is the new job, added then removed */
    noon = sched_job(s, "cron.d:" CRON ":cleanup-tags.sh#2");
    assert_int_equal(noon->versions.len, 2);
    assert_string_equal(sched_version(noon, 0)->commit->id, fx->c[1]);
    assert_string_equal(sched_version(noon, 0)->change, "added");
    assert_string_equal(sched_version(noon, 0)->job->schedule, "0 12 * * *");
    assert_int_equal(sched_version(noon, 0)->job->line, 4);
    assert_string_equal(sched_version(noon, 1)->commit->id, fx->c[3]);
    assert_string_equal(sched_version(noon, 1)->change, "removed");
    assert_null(sched_version(noon, 1)->job);
    assert_string_equal(noon->last_commit->id, fx->c[2]); /* last seen before removal */
    assert_int_equal(noon->last->line, 3);

    /* the GC: added at line 3, moved to 6 unchanged (no version), changed at line 5 */
    gc = sched_job(s, "cron.d:" CRON ":registry garbage-collect");
    assert_int_equal(gc->versions.len, 2);
    assert_string_equal(sched_version(gc, 0)->commit->id, fx->c[0]);
    assert_int_equal(sched_version(gc, 0)->job->line, 3);
    assert_string_equal(sched_version(gc, 1)->commit->id, fx->c[2]);
    assert_int_equal(sched_version(gc, 1)->job->line, 5);
    assert_string_equal(sched_version(gc, 1)->change,
                        "adds --delete-untagged; command changed");
    assert_int_equal(gc->last->line, 6); /* moved again, unchanged, at HEAD */
    assert_string_equal(gc->last_commit->id, fx->c[3]);
    ra_schedule_free(s);
}

/* Two jobs of one name (the scanner's "prune.sh" and "prune.sh#2"); a third is added
 * above them while the first one changes: the changed one is matched by its place (lines
 * moved by the insertion), the unchanged one by content, and the new one is new. */
static void test_schedule__same_name_changed_while_lines_move(void **state)
{
    struct fixture *fx = *state;
    struct ra_err err = RA_ERR_INIT;
    struct ra_schedule *s = NULL;
    const struct ra_sched_job *app, *web, *db;
    char repo[400];

    snprintf(repo, sizeof(repo), "%s/prune", fx->dir);
    sh("git init -q -b main '%s'", repo);
    put(repo, "ops/crontab",
        "# prunes\n"
        "0 1 * * * /opt/prune.sh app\n"
        "#\n"
        "0 5 * * * /opt/prune.sh web\n");
    commit(repo, "2026-02-01T10:00:00Z", "alice", "prunes");
    put(repo, "ops/crontab",
        "0 0 * * * /opt/prune.sh db\n"
        "# prunes\n"
        "0 2 * * * /opt/prune.sh app\n"
        "#\n"
        "0 5 * * * /opt/prune.sh web\n");
    commit(repo, "2026-02-02T10:00:00Z", "bob", "db prune; app at 02:00");
    if (ra_schedule_load(&s, repo, NULL, &err) < 0)
        fail_msg("%s", err.msg);
    assert_int_equal(s->jobs.len, 3);
    app = sched_job(s, "crontab:ops/crontab:prune.sh");
    assert_int_equal(app->versions.len, 2);
    assert_string_equal(sched_version(app, 1)->change,
                        "schedule '0 1 * * *' -> '0 2 * * *'");
    assert_int_equal(sched_version(app, 0)->job->line, 2);
    assert_int_equal(sched_version(app, 1)->job->line, 3);
    web = sched_job(s, "crontab:ops/crontab:prune.sh#2");
    assert_int_equal(web->versions.len, 1);
    assert_string_equal(web->last->command, "/opt/prune.sh web");
    assert_int_equal(web->last->line, 5);
    db = sched_job(s, "crontab:ops/crontab:prune.sh#3");
    assert_int_equal(db->versions.len, 1);
    assert_string_equal(sched_version(db, 0)->change, "added");
    assert_string_equal(db->last->command, "/opt/prune.sh db");
    ra_schedule_free(s);
}

static size_t count_job(const struct ra_vec *firings, const char *id)
{
    size_t i, n = 0;

    for (i = 0; i < firings->len; i++)
        n += !strcmp(((const struct ra_sched_firing *)firings->items[i])->job->id, id);
    return n;
}

static const struct ra_sched_firing *firing(const struct ra_vec *firings, const char *id,
                                            size_t nth)
{
    size_t i;

    for (i = 0; i < firings->len; i++) {
        const struct ra_sched_firing *f = firings->items[i];
        if (!strcmp(f->job->id, id) && !nth--)
            return f;
    }
    fail_msg("no firing %zu of '%s'", nth, id);
    return NULL;
}

static void test_schedule__firings_tagged_with_the_version_in_effect(void **state)
{
    struct fixture *fx = *state;
    struct ra_schedule *s = load(fx);
    struct ra_err err = RA_ERR_INIT;
    struct ra_vec fs = RA_VEC_INIT;
    const char *gc = "cron.d:" CRON ":registry garbage-collect";
    const struct ra_sched_firing *f;
    char when[RA_TIME_STRLEN];

    assert_int_equal(ra_schedule_firings(&fs, s, at("2026-03-01T00:00:00Z"),
                                         at("2026-03-16T00:00:00Z"), NULL, &err),
                     0);
    /* the GC on Sundays: not 03-01 (committed at 10:00); 03-08 with the first version
     * at line 3; 03-15 03:25, the very second the -m version was committed: that one,
     * at line 5 */
    assert_int_equal(count_job(&fs, gc), 2);
    f = firing(&fs, gc, 0);
    assert_string_equal(ra_time_format(when, f->time), "2026-03-08T03:25:00Z");
    assert_string_equal(f->version->commit->id, fx->c[0]);
    assert_int_equal(f->version->job->line, 3);
    f = firing(&fs, gc, 1);
    assert_string_equal(ra_time_format(when, f->time), "2026-03-15T03:25:00Z");
    assert_string_equal(f->version->commit->id, fx->c[2]);
    assert_int_equal(f->version->job->line, 5);
    assert_true(f->version->job->gc.delete_untagged);
    /* the 02:00 cleanup every day from 03-02 to 03-15, all with its first version */
    assert_int_equal(count_job(&fs, "cron.d:" CRON ":cleanup-tags.sh"), 14);
    /* the noon prune from 03-05 to 03-14 (removed 03-15 09:00) */
    assert_int_equal(count_job(&fs, "cron.d:" CRON ":cleanup-tags.sh#2"), 10);
    f = firing(&fs, "cron.d:" CRON ":cleanup-tags.sh#2", 9);
    assert_string_equal(ra_time_format(when, f->time), "2026-03-14T12:00:00Z");
    assert_string_equal(f->version->commit->id, fx->c[1]);
    ra_vec_release(&fs);
    ra_schedule_free(s);
}

static void test_schedule__window_is_half_open(void **state)
{
    struct fixture *fx = *state;
    struct ra_schedule *s = load(fx);
    struct ra_err err = RA_ERR_INIT;
    struct ra_vec fs = RA_VEC_INIT;
    const char *gc = "cron.d:" CRON ":registry garbage-collect";
    char when[RA_TIME_STRLEN];

    /* [03-08 03:25, 03-15 03:25): the firing at from is in, the one at to is not */
    assert_int_equal(ra_schedule_firings(&fs, s, at("2026-03-08T03:25:00Z"),
                                         at("2026-03-15T03:25:00Z"), NULL, &err),
                     0);
    assert_int_equal(count_job(&fs, gc), 1);
    assert_string_equal(
        ra_time_format(when, ((const struct ra_sched_firing *)firing(&fs, gc, 0))->time),
        "2026-03-08T03:25:00Z");
    ra_vec_release(&fs);
    ra_schedule_free(s);
}

static void test_schedule__zones_as_the_scheduler_does_them(void **state)
{
    struct fixture *fx = *state;
    struct ra_schedule *s = load(fx);
    struct ra_err err = RA_ERR_INIT;
    struct ra_vec fs = RA_VEC_INIT;
    const char *cj = "kubernetes:" CJ ":registry-probe";
    const char *a = "crontab:hosts/a/crontab:backup-a",
               *b = "crontab:hosts/b/crontab:backup-b";
    char when[RA_TIME_STRLEN];

    /* hosts in Berlin (--tz): the CronJob without timeZone still runs in the cluster's
     * UTC; TZ= in a crontab does not move the schedule (the host's zone: 02:00 CET =
     * 01:00Z), CRON_TZ= does (here the same zone as the host's) */
    assert_int_equal(ra_schedule_firings(&fs, s, at("2026-03-02T00:00:00Z"),
                                         at("2026-03-03T00:00:00Z"), "Europe/Berlin",
                                         &err),
                     0);
    assert_string_equal(ra_time_format(when, firing(&fs, cj, 0)->time),
                        "2026-03-02T04:00:00Z");
    assert_string_equal(ra_time_format(when, firing(&fs, a, 0)->time),
                        "2026-03-02T01:00:00Z");
    assert_string_equal(ra_time_format(when, firing(&fs, b, 0)->time),
                        "2026-03-02T01:00:00Z");
    ra_vec_release(&fs);

    /* hosts in UTC: TZ=Europe/Berlin is ignored for the schedule, CRON_TZ= is not */
    assert_int_equal(ra_schedule_firings(&fs, s, at("2026-03-02T00:00:00Z"),
                                         at("2026-03-03T00:00:00Z"), NULL, &err),
                     0);
    assert_string_equal(ra_time_format(when, firing(&fs, a, 0)->time),
                        "2026-03-02T02:00:00Z");
    assert_string_equal(ra_time_format(when, firing(&fs, b, 0)->time),
                        "2026-03-02T01:00:00Z");
    ra_vec_release(&fs);

    /* a controller in New York (EST until 03-08, EDT after; croniter agrees) */
    s->cluster_tz = "America/New_York";
    assert_int_equal(ra_schedule_firings(&fs, s, at("2026-03-07T00:00:00Z"),
                                         at("2026-03-10T00:00:00Z"), NULL, &err),
                     0);
    assert_int_equal(count_job(&fs, cj), 3);
    assert_string_equal(ra_time_format(when, firing(&fs, cj, 0)->time),
                        "2026-03-07T09:00:00Z");
    assert_string_equal(ra_time_format(when, firing(&fs, cj, 1)->time),
                        "2026-03-08T08:00:00Z");
    assert_string_equal(ra_time_format(when, firing(&fs, cj, 2)->time),
                        "2026-03-09T08:00:00Z");
    ra_vec_release(&fs);
    ra_schedule_free(s);
}

/* Schedulers that are services of their own, in a repository of their own: Nomad
 * (time_zone, else UTC), EventBridge (a schedule's zone, else UTC), GitHub Actions (UTC),
 * an Argo CronWorkflow's timezone; none moves with the hosts' --tz. Lines inserted above
 * them in a second commit: same ids, no new version, the line at the head commit. */
static const char nomad_gc[] = "job \"registry-gc\" {\n"
                               "  type = \"batch\"\n"
                               "  periodic {\n"
                               "    crons = [\"0 3 * * *\"]\n"
                               "  }\n"
                               "  group \"g\" {\n"
                               "    task \"gc\" {\n"
                               "      driver = \"docker\"\n"
                               "      config {\n"
                               "        image = \"registry:2.8.3\"\n"
                               "        args  = [\"garbage-collect\", \"/etc/r.yml\"]\n"
                               "      }\n"
                               "    }\n"
                               "  }\n"
                               "}\n"
                               "job \"registry-gc-ny\" {\n"
                               "  type = \"batch\"\n"
                               "  periodic {\n"
                               "    crons     = [\"0 4 * * *\"]\n"
                               "    time_zone = \"America/New_York\"\n"
                               "  }\n"
                               "  group \"g\" {\n"
                               "    task \"gc\" {\n"
                               "      driver = \"docker\"\n"
                               "      config {\n"
                               "        image = \"registry:2.8.3\"\n"
                               "        args  = [\"garbage-collect\", \"/etc/r.yml\"]\n"
                               "      }\n"
                               "    }\n"
                               "  }\n"
                               "}\n";

static const char events_tf[] = "resource \"aws_cloudwatch_event_rule\" \"gc\" {\n"
                                "  name                = \"registry-gc\"\n"
                                "  schedule_expression = \"cron(30 5 * * ? *)\"\n"
                                "}\n"
                                "resource \"aws_cloudwatch_event_target\" \"gc\" {\n"
                                "  rule  = aws_cloudwatch_event_rule.gc.name\n"
                                "  arn   = \"arn:x\"\n"
                                "  input = jsonencode({ command = [\"registry\", "
                                "\"garbage-collect\", \"/etc/r.yml\"] })\n"
                                "}\n"
                                "resource \"aws_scheduler_schedule\" \"prune\" {\n"
                                "  name                         = \"registry-prune\"\n"
                                "  schedule_expression          = \"cron(0 6 * * ? *)\"\n"
                                "  schedule_expression_timezone = \"Europe/Berlin\"\n"
                                "  target {\n"
                                "    arn   = \"arn:x\"\n"
                                "    input = \"{\\\"command\\\": [\\\"crane\\\", "
                                "\\\"delete\\\", \\\"r/a:old\\\"]}\"\n"
                                "  }\n"
                                "}\n";

static const char prune_yml[] = "name: prune\n"
                                "on:\n"
                                "  schedule:\n"
                                "    - cron: '15 2 * * *'\n"
                                "jobs:\n"
                                "  prune:\n"
                                "    runs-on: ubuntu-latest\n"
                                "    steps:\n"
                                "      - run: regctl tag delete r.example/a:old\n";

static const char argo_yaml[] =
    "apiVersion: argoproj.io/v1alpha1\n"
    "kind: CronWorkflow\n"
    "metadata:\n"
    "  name: registry-gc-tokyo\n"
    "spec:\n"
    "  schedule: \"0 9 * * *\"\n"
    "  timezone: Asia/Tokyo\n"
    "  workflowSpec:\n"
    "    templates:\n"
    "      - name: gc\n"
    "        container:\n"
    "          image: registry:2.8.3\n"
    "          command: [registry, garbage-collect, /etc/r.yml]\n";

static void test_schedule__schedulers_of_their_own_ignore_the_hosts_zone(void **state)
{
    struct fixture fx;
    struct ra_err err = RA_ERR_INIT;
    struct ra_vec fs = RA_VEC_INIT;
    struct ra_schedule *s;
    const char *nomad = "nomad:nomad/gc.nomad:registry-gc",
               *nomad_ny = "nomad:nomad/gc.nomad:registry-gc-ny",
               *rule = "eventbridge:infra/events.tf:registry-gc",
               *sched = "eventbridge:infra/events.tf:registry-prune",
               *gh = "github-actions:.github/workflows/prune.yml:prune",
               *argo = "kubernetes:argo/gc.yaml:registry-gc-tokyo";
    const char *ids[] = {nomad, nomad_ny, rule, sched, gh, argo};
    char when[RA_TIME_STRLEN], body[4096];
    size_t i;

    (void)state;
    memset(&fx, 0, sizeof(fx));
    git_sandbox(fx.dir, sizeof(fx.dir), "schedule-zones");
    snprintf(fx.repo, sizeof(fx.repo), "%s/config", fx.dir);
    sh("git init -q -b main '%s'", fx.repo);
    put(fx.repo, "nomad/gc.nomad", nomad_gc);
    put(fx.repo, "infra/events.tf", events_tf);
    put(fx.repo, ".github/workflows/prune.yml", prune_yml);
    put(fx.repo, "argo/gc.yaml", argo_yaml);
    commit(fx.repo, "2026-03-01T10:00:00Z", "alice", "schedulers");
    head_of(&fx, 0);
    snprintf(body, sizeof(body), "# registry GC\n# (Nomad)\n%s", nomad_gc);
    put(fx.repo, "nomad/gc.nomad", body);
    snprintf(body, sizeof(body), "# EventBridge\n%s", events_tf);
    put(fx.repo, "infra/events.tf", body);
    commit(fx.repo, "2026-03-05T10:00:00Z", "bob", "comments");
    head_of(&fx, 1);

    s = load(&fx);
    assert_int_equal(s->jobs.len, 6);
    for (i = 0; i < RA_ARRAY_SIZE(ids); i++)
        assert_int_equal(sched_job(s, ids[i])->versions.len, 1);
    assert_int_equal(sched_version(sched_job(s, nomad), 0)->job->line, 4);
    assert_int_equal(sched_version(sched_job(s, rule), 0)->job->line, 3);
    assert_int_equal(sched_job(s, nomad)->last->line, 6); /* at the head commit */
    assert_int_equal(sched_job(s, rule)->last->line, 4);

    /* hosts in Los Angeles (PDT, UTC-7, on 03-20) */
    assert_int_equal(ra_schedule_firings(&fs, s, at("2026-03-20T00:00:00Z"),
                                         at("2026-03-21T00:00:00Z"),
                                         "America/Los_Angeles", &err),
                     0);
    assert_int_equal(fs.len, 6);
    /* Nomad without time_zone: UTC; with it: 04:00 EDT */
    assert_string_equal(ra_time_format(when, firing(&fs, nomad, 0)->time),
                        "2026-03-20T03:00:00Z");
    assert_string_equal(ra_time_format(when, firing(&fs, nomad_ny, 0)->time),
                        "2026-03-20T08:00:00Z");
    /* an EventBridge rule: UTC; a schedule in its zone: 06:00 CET */
    assert_string_equal(ra_time_format(when, firing(&fs, rule, 0)->time),
                        "2026-03-20T05:30:00Z");
    assert_string_equal(ra_time_format(when, firing(&fs, sched, 0)->time),
                        "2026-03-20T05:00:00Z");
    /* GitHub Actions: UTC; Argo: 09:00 JST */
    assert_string_equal(ra_time_format(when, firing(&fs, gh, 0)->time),
                        "2026-03-20T02:15:00Z");
    assert_string_equal(ra_time_format(when, firing(&fs, argo, 0)->time),
                        "2026-03-20T00:00:00Z");
    ra_vec_release(&fs);
    ra_schedule_free(s);
    sh("rm -rf '%s'", fx.dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schedule__identity_across_inserted_and_removed_lines),
        cmocka_unit_test(test_schedule__same_name_changed_while_lines_move),
        cmocka_unit_test(test_schedule__firings_tagged_with_the_version_in_effect),
        cmocka_unit_test(test_schedule__window_is_half_open),
        cmocka_unit_test(test_schedule__zones_as_the_scheduler_does_them),
        cmocka_unit_test(test_schedule__schedulers_of_their_own_ignore_the_hosts_zone),
    };

    return cmocka_run_group_tests_name("config/schedule", tests, setup, git_teardown);
}
