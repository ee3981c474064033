/* SPDX-License-Identifier: MIT */
/* config/jobs, the schedulers beyond cron and systemd: Nomad periodic blocks (HCL),
 * EventBridge rules and schedules (Terraform, CloudFormation), scheduled CI pipelines
 * (GitHub Actions, GitLab CI, Woodpecker) and Argo CronWorkflows with several
 * schedules, ofelia with seconds and '?'. */

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

#include "jobs_fixture.h"

static void test_jobs_sched__nomad(void **state)
{
    const struct ra_jobs_file files[] = {
        F("nomad/registry-gc.nomad",
          "# weekly GC\n"
          "job \"registry-gc\" {\n"
          "  datacenters = [\"dc1\"]\n"
          "  type = \"batch\"\n"
          "  /* two launches */\n"
          "  periodic {\n"
          "    crons            = [\"0 25 3 * * 0 *\",\n"
          "                        \"@monthly\"]\n"
          "    time_zone        = \"Europe/London\"\n"
          "    prohibit_overlap = true\n"
          "  }\n"
          "  group \"gc\" {\n"
          "    task \"gc\" {\n"
          "      driver = \"docker\"\n"
          "      config {\n"
          "        image = \"registry:2.8.3\"\n"
          "        args  = [\"garbage-collect\", \"--delete-untagged\",\n"
          "                 \"/etc/docker/registry/config.yml\"]\n"
          "      }\n"
          "    }\n"
          "  }\n"
          "}\n"),
        F("nomad/prune.nomad.hcl",
          "job \"prune\" {\n"
          "  periodic {\n"
          "    cron    = \"*/15 * * * * *\"\n"
          "    enabled = false\n"
          "  }\n"
          "  group \"g\" {\n"
          "    task \"t\" {\n"
          "      driver = \"raw_exec\"\n"
          "      config {\n"
          "        command = \"/bin/sh\"\n"
          "        args    = [\"-c\", \"regctl tag delete r.example/a:old\"]\n"
          "      }\n"
          "      template {\n"
          "        data = <<EOH\n"
          "not = \"a block\" {\n"
          "EOH\n"
          "        destination = \"local/x\"\n"
          "      }\n"
          "    }\n"
          "  }\n"
          "}\n"
          "job \"service\" {\n"
          "  type = \"service\"\n"
          "}\n"),
        F("nomad/broken.nomad", "job \"x\" {\n  periodic {\n    prohibit_overlap = true\n"
                                "  }\n}\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;
    const struct ra_problem *p;

    (void)state;
    assert_int_equal(js->jobs.len, 2);
    j = job_at(js, 0);
    assert_string_equal(j->id, "nomad:nomad/prune.nomad.hcl:prune");
    assert_string_equal(j->schedule, "*/15 * * * * *");
    assert_int_equal(j->syntax, RA_SCHED_NOMAD);
    assert_null(j->timezone); /* none written: Nomad's UTC, in schedule.c */
    assert_true(j->disabled);
    assert_int_equal(j->line, 3);
    assert_string_equal(j->command, "/bin/sh -c 'regctl tag delete r.example/a:old'");
    assert_int_equal(j->command_line, 10);
    assert_int_equal(j->cls, RA_JOB_TAG_PRUNE);
    j = job_at(js, 1);
    assert_string_equal(ra_job_def_name(j->def), "nomad");
    assert_string_equal(j->name, "registry-gc");
    assert_string_equal(j->schedule, "0 25 3 * * 0 *; @monthly");
    assert_string_equal(j->timezone, "Europe/London");
    assert_true(j->prohibit_overlap);
    assert_non_null(strstr(j->warning, "prohibit_overlap"));
    assert_false(j->disabled);
    assert_int_equal(j->line, 7);
    assert_string_equal(j->command, "registry garbage-collect --delete-untagged "
                                    "/etc/docker/registry/config.yml");
    assert_int_equal(j->command_line, 17);
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_true(j->gc.delete_untagged);
    assert_int_equal(js->problems.len, 1);
    p = js->problems.items[0];
    assert_string_equal(p->path, "nomad/broken.nomad");
    assert_int_equal(p->code, RA_EFORMAT);
    assert_non_null(strstr(p->msg, "periodic block without cron"));
    assert_int_equal(js->images.len, 1);
    ra_jobs_free(js);
}

static void test_jobs_sched__eventbridge(void **state)
{
    const struct ra_jobs_file files[] = {
        F("infra/events.tf",
          "resource \"aws_cloudwatch_event_rule\" \"gc\" {\n"
          "  name                = \"registry-gc\"\n"
          "  schedule_expression = \"cron(25 3 ? * SUN *)\"\n"
          "}\n"
          "resource \"aws_cloudwatch_event_target\" \"gc\" {\n"
          "  rule  = aws_cloudwatch_event_rule.gc.name\n"
          "  arn   = aws_ecs_cluster.main.arn\n"
          "  input = jsonencode({\n"
          "    containerOverrides = [{\n"
          "      name    = \"registry\"\n"
          "      command = [\"registry\", \"garbage-collect\", \"-m\", \"/etc/r.yml\"]\n"
          "    }]\n"
          "  })\n"
          "}\n"
          "resource \"aws_cloudwatch_event_rule\" \"on_push\" {\n"
          "  event_pattern = jsonencode({ source = [\"aws.ecr\"] })\n"
          "}\n"
          "resource \"aws_scheduler_schedule\" \"backup\" {\n"
          "  name                         = \"registry-backup\"\n"
          "  schedule_expression          = \"rate(6 hours)\"\n"
          "  schedule_expression_timezone = \"Europe/Berlin\"\n"
          "  state                        = \"DISABLED\"\n"
          "  target {\n"
          "    arn   = \"arn:x\"\n"
          "    input = \"{\\\"command\\\": [\\\"restic\\\", \\\"backup\\\", "
          "\\\"/var/lib/registry\\\"]}\"\n"
          "  }\n"
          "}\n"),
        F("cfn/rules.yaml",
          "AWSTemplateFormatVersion: '2010-09-09'\n"
          "Resources:\n"
          "  ProbeRule:\n"
          "    Type: AWS::Events::Rule\n"
          "    Properties:\n"
          "      ScheduleExpression: cron(0/15 * * * ? *)\n"
          "      Targets:\n"
          "        - Id: probe\n"
          "          Arn: arn:x\n"
          "          Input: '{\"command\": [\"skopeo\", \"inspect\", "
          "\"docker://r.example/a:latest\"]}'\n"
          "  Prune:\n"
          "    Type: AWS::Scheduler::Schedule\n"
          "    Properties:\n"
          "      Name: prune-tags\n"
          "      ScheduleExpression: cron(0 2 * * ? *)\n"
          "      ScheduleExpressionTimezone: America/New_York\n"
          "      Target:\n"
          "        Arn: arn:x\n"
          "        Input: '{\"command\": [\"crane\", \"delete\", \"r.example/a:old\"]}'\n"
          "  Bucket:\n"
          "    Type: AWS::S3::Bucket\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;

    (void)state;
    assert_int_equal(js->jobs.len, 4);
    j = job_at(js, 0);
    assert_string_equal(j->name, "ProbeRule");
    assert_string_equal(ra_job_def_name(j->def), "eventbridge");
    assert_int_equal(j->syntax, RA_SCHED_EVENTBRIDGE);
    assert_null(j->timezone); /* none written: rules run in UTC (schedule.c) */
    assert_int_equal(j->line, 6);
    assert_int_equal(j->cls, RA_JOB_PROBE);
    j = job_at(js, 1);
    assert_string_equal(j->name, "prune-tags");
    assert_string_equal(j->schedule, "cron(0 2 * * ? *)");
    assert_string_equal(j->timezone, "America/New_York");
    assert_int_equal(j->cls, RA_JOB_TAG_PRUNE);
    j = job_at(js, 2);
    assert_string_equal(j->name, "registry-gc");
    assert_string_equal(j->schedule, "cron(25 3 ? * SUN *)");
    assert_int_equal(j->line, 3);
    assert_string_equal(j->command, "registry garbage-collect -m /etc/r.yml");
    assert_int_equal(j->command_line, 8);
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_true(j->gc.delete_untagged);
    j = job_at(js, 3);
    assert_string_equal(j->name, "registry-backup");
    assert_int_equal(j->syntax, RA_SCHED_MONOTONIC); /* rate(): no wall-clock times */
    assert_string_equal(j->timezone, "Europe/Berlin");
    assert_true(j->disabled);
    assert_string_equal(j->command, "restic backup /var/lib/registry");
    assert_int_equal(j->cls, RA_JOB_BACKUP);
    ra_jobs_free(js);
}

static void test_jobs_sched__ci_pipelines(void **state)
{
    const struct ra_jobs_file files[] = {
        F(".github/workflows/prune.yml", "name: prune old tags\n"
                                         "on:\n"
                                         "  schedule:\n"
                                         "    - cron: '15 2 * * *'\n"
                                         "    - cron: '45 14 * * 5'\n"
                                         "  workflow_dispatch: {}\n"
                                         "jobs:\n"
                                         "  prune:\n"
                                         "    runs-on: ubuntu-latest\n"
                                         "    steps:\n"
                                         "      - uses: actions/checkout@v4\n"
                                         "      - run: |\n"
                                         "          for t in $(cat old.txt); do regctl "
                                         "tag delete r.example/a:$t; done\n"),
        F(".github/workflows/build.yml",
          "on: [push]\njobs:\n  b:\n    steps:\n      - run: make\n"),
        F(".gitlab-ci.yml",
          "stages: [build, maintenance]\n"
          "build:\n"
          "  script: [make]\n"
          "gc:\n"
          "  stage: maintenance\n"
          "  rules:\n"
          "    - if: $CI_PIPELINE_SOURCE == \"schedule\"\n"
          "  script:\n"
          "    - ssh reg1 'docker exec registry registry garbage-collect -m /etc/r.yml'\n"
          "not-scheduled:\n"
          "  rules:\n"
          "    - if: $CI_PIPELINE_SOURCE == \"schedule\"\n"
          "      when: never\n"
          "    - when: always\n"
          "  script: [crane delete r/a:b]\n"
          "old-style:\n"
          "  only: [schedules]\n"
          "  script: skopeo delete docker://r/a:b\n"
          ".hidden:\n"
          "  only: [schedules]\n"
          "  script: [x]\n"),
        F(".woodpecker/cleanup.yml",
          "when:\n"
          "  - event: cron\n"
          "    cron: nightly-cleanup\n"
          "steps:\n"
          "  cleanup:\n"
          "    image: alpine\n"
          "    commands:\n"
          "      - crane ls r.example/app | xargs -I {} crane delete r.example/app:{}\n"),
        F(".woodpecker/build.yml",
          "steps:\n"
          "  - name: build\n"
          "    image: alpine\n"
          "    commands: [make]\n"
          "  - name: backup\n"
          "    image: alpine\n"
          "    when:\n"
          "      cron: weekly-backup\n"
          "    commands:\n"
          "      - rsync -a /data/registry/ backup:/registry/\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;

    (void)state;
    assert_int_equal(js->jobs.len, 5);
    j = job_at(js, 0);
    assert_string_equal(ra_job_def_name(j->def), "github-actions");
    assert_string_equal(j->name, "prune old tags");
    assert_string_equal(j->schedule, "15 2 * * *; 45 14 * * 5");
    assert_int_equal(j->syntax, RA_SCHED_CRON);
    assert_null(j->timezone); /* GitHub's UTC, in schedule.c */
    assert_int_equal(j->line, 4);
    assert_int_equal(j->command_line, 13);
    assert_int_equal(j->cls, RA_JOB_TAG_PRUNE);
    j = job_at(js, 1);
    assert_string_equal(ra_job_def_name(j->def), "gitlab-ci");
    assert_string_equal(j->name, "gc");
    assert_null(j->schedule);
    assert_int_equal(j->syntax, RA_SCHED_EXTERNAL);
    assert_non_null(strstr(j->warning, "set in GitLab"));
    assert_int_equal(j->line, 4);
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_true(j->gc.delete_untagged);
    j = job_at(js, 2);
    assert_string_equal(j->name, "old-style");
    assert_int_equal(j->cls, RA_JOB_TAG_PRUNE);
    j = job_at(js, 3);
    assert_string_equal(ra_job_def_name(j->def), "woodpecker");
    assert_string_equal(j->name, "weekly-backup"); /* "cron:" alone: the cron event */
    assert_int_equal(j->cls, RA_JOB_BACKUP);
    assert_int_equal(j->line, 8);
    j = job_at(js, 4);
    assert_string_equal(j->name, "nightly-cleanup");
    assert_int_equal(j->syntax, RA_SCHED_EXTERNAL);
    assert_non_null(strstr(j->warning, "cron 'nightly-cleanup'"));
    assert_int_equal(j->cls, RA_JOB_TAG_PRUNE);
    ra_jobs_free(js);
}

static void test_jobs_sched__argo_and_ofelia(void **state)
{
    const struct ra_jobs_file files[] = {
        F("argo/gc.yaml", "apiVersion: argoproj.io/v1alpha1\n"
                          "kind: CronWorkflow\n"
                          "metadata:\n"
                          "  name: registry-gc\n"
                          "spec:\n"
                          "  schedules:\n"
                          "    - \"25 3 * * 0\"\n"
                          "    - \"0 12 * * 3\"\n"
                          "  timezone: America/New_York\n"
                          "  workflowSpec:\n"
                          "    templates:\n"
                          "      - name: gc\n"
                          "        container:\n"
                          "          image: registry:2.8.3\n"
                          "          command: [registry, garbage-collect, /etc/r.yml]\n"),
        F("docker-compose.yml",
          "services:\n"
          "  registry:\n"
          "    image: registry:2.8.3\n"
          "    labels:\n"
          "      ofelia.job-exec.gc.schedule: \"0 25 3 * * ?\"\n"
          "      ofelia.job-exec.gc.command: \"sh -c 'registry garbage-collect "
          "/c.yml'\"\n"
          "      ofelia.job-exec.probe.schedule: \"CRON_TZ=Asia/Tokyo @every 1h30m\"\n"
          "      ofelia.job-exec.probe.command: \"wget -qO- "
          "http://localhost:5000/v2/\"\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;

    (void)state;
    assert_int_equal(js->jobs.len, 3);
    j = job_at(js, 0);
    assert_string_equal(j->schedule, "25 3 * * 0; 0 12 * * 3");
    assert_string_equal(j->timezone, "America/New_York");
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    j = job_at(js, 1);
    assert_string_equal(j->schedule, "0 25 3 * * ?");
    assert_int_equal(j->syntax, RA_SCHED_CRON_SECONDS);
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    j = job_at(js, 2);
    assert_int_equal(j->syntax, RA_SCHED_MONOTONIC);
    assert_string_equal(j->schedule, "@every 1h30m");
    assert_string_equal(j->timezone, "Asia/Tokyo"); /* robfig's CRON_TZ= prefix */
    assert_int_equal(j->cls, RA_JOB_PROBE);
    ra_jobs_free(js);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jobs_sched__nomad),
        cmocka_unit_test(test_jobs_sched__eventbridge),
        cmocka_unit_test(test_jobs_sched__ci_pipelines),
        cmocka_unit_test(test_jobs_sched__argo_and_ofelia),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
