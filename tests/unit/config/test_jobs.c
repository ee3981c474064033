/* SPDX-License-Identifier: MIT */
/* config/jobs: every definition format on literal file contents, with odd spellings, the
 * incident's two jobs classified, and files that cannot be read. */

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

/* ---- the incident ---- */

static const char cleanup_sh[] =
    "#!/bin/bash\n"
    "# Remove old tags, keep the newest ten of each repository\n"
    "set -eu\n"
    "REG=/var/lib/registry/docker/registry/v2/repositories\n"
    "for repo in infra-ci tools/kubectl; do\n"
    "  tags_dir=\"$REG/$repo/_manifests/tags\"\n"
    "  ls -t \"$tags_dir\" | tail -n +11 | while read -r tag; do\n"
    "    rm -rf \"$tags_dir/$tag\"\n"
    "  done\n"
    "done\n";

static void test_jobs__incident_crond(void **state)
{
    const struct ra_jobs_file files[] = {
        F("hosts/registry/etc/cron.d/registry",
          "SHELL=/bin/sh\n"
          "PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin\n"
          "\n"
          "0 2 * * *\troot\t/opt/ci/cleanup-tags.sh >>/var/log/cleanup-tags.log 2>&1\n"
          "25 3 * * 0 root docker exec registry registry garbage-collect -m "
          "/etc/docker/registry/config.yml\n"),
        F("scripts/cleanup-tags.sh", cleanup_sh),
        F("README.md", "Run ./scripts/cleanup-tags.sh by hand with care.\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;

    (void)state;
    assert_int_equal(js->jobs.len, 2);
    assert_int_equal(js->problems.len, 0);

    j = job_at(js, 0);
    assert_string_equal(j->name, "cleanup-tags.sh");
    assert_string_equal(j->id,
                        "cron.d:hosts/registry/etc/cron.d/registry:cleanup-tags.sh");
    assert_int_equal(j->def, RA_JOBDEF_CROND);
    assert_string_equal(j->schedule, "0 2 * * *");
    assert_int_equal(j->syntax, RA_SCHED_CRON);
    assert_null(j->timezone);
    assert_string_equal(j->user, "root");
    assert_int_equal(j->line, 4);
    assert_string_equal(j->command,
                        "/opt/ci/cleanup-tags.sh >>/var/log/cleanup-tags.log 2>&1");
    assert_int_equal(j->cls, RA_JOB_TAG_PRUNE);
    assert_string_equal(ra_job_class_name(j->cls), "tag-prune");
    assert_string_equal(j->keep, "keeps newest 10");
    assert_int_equal(j->scripts.len, 1);
    assert_string_equal(j->scripts.items[0], "scripts/cleanup-tags.sh");
    assert_int_equal(j->evidence.len, 1);
    assert_string_equal(ev_at(j, 0)->path, "scripts/cleanup-tags.sh");
    assert_int_equal(ev_at(j, 0)->line, 8);
    assert_string_equal(ev_at(j, 0)->text, "rm -rf \"$tags_dir/$tag\"");
    assert_false(j->disabled);

    j = job_at(js, 1);
    assert_string_equal(j->name, "registry garbage-collect");
    assert_string_equal(
        j->id, "cron.d:hosts/registry/etc/cron.d/registry:registry garbage-collect");
    assert_string_equal(j->schedule, "25 3 * * 0");
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_int_equal(j->classes, RA_JOB_GARBAGE_COLLECT);
    assert_true(j->gc.delete_untagged);
    assert_false(j->gc.dry_run);
    assert_string_equal(j->gc.config, "/etc/docker/registry/config.yml");
    assert_null(j->keep);
    assert_int_equal(ev_at(j, 0)->line, 5);
    assert_string_equal(ev_at(j, 0)->path, "hosts/registry/etc/cron.d/registry");
    ra_jobs_free(js);
}

/* ---- crontab spellings ---- */

static void test_jobs__crontab_odd_spellings(void **state)
{
    const struct ra_jobs_file files[] = {
        F("hosts/ci/crontab",
          "# m h  dom mon dow   command\n"        /* 1 */
          "SHELL=/bin/bash\n"                     /* 2 */
          "MAILTO = \"ops@example.org\"\n"        /* 3 */
          "0\t2 * * *\t/opt/ci/cleanup-tags.sh\n" /* 4 */
          "CRON_TZ=Europe/London\n"               /* 5 */
          "  25  3   *   *   Sun   docker exec registry registry garbage-collect "
          "--delete-untagged --dry-run /etc/docker/registry/config.yml   \n" /* 6 */
          "@weekly /usr/local/bin/weekly-report \\\n"                        /* 7 */
          "#30 4 * * * /opt/ci/old-backup.sh\n"                              /* 8 */
          "*/15 * * * * curl -fsS http://localhost:5000/v2/ > /dev/null\r\n" /* 9 */
          "bad line here\n"                                                  /* 10 */
          "TZ=UTC\n"                                                         /* 11 */
          "CRON_TZ=\n"                                                       /* 12 */
          "@hourly   /usr/local/bin/weekly-report --hourly\n"                /* 13 */
          "@every 5m nope\n"),                                               /* 14 */
        F("opt/ci/old-backup.sh",
          "#!/bin/sh\ntar czf /backup/registry.tgz /var/lib/registry\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;

    (void)state;
    assert_int_equal(js->jobs.len, 6);
    j = job_at(js, 0);
    assert_int_equal(j->def, RA_JOBDEF_CRONTAB);
    assert_null(j->user);
    assert_string_equal(j->schedule, "0\t2 * * *");
    assert_null(j->timezone);

    j = job_at(js, 1);
    assert_int_equal(j->line, 6);
    assert_string_equal(j->schedule, "25  3   *   *   Sun");
    assert_string_equal(j->timezone, "Europe/London");
    assert_string_equal(j->command, "docker exec registry registry garbage-collect "
                                    "--delete-untagged --dry-run "
                                    "/etc/docker/registry/config.yml");
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_true(j->gc.delete_untagged);
    assert_true(j->gc.dry_run);

    j = job_at(js, 2); /* no line continuation in cron: the backslash stays */
    assert_string_equal(j->schedule, "@weekly");
    assert_string_equal(j->command, "/usr/local/bin/weekly-report \\");
    assert_string_equal(j->name, "weekly-report");
    assert_int_equal(j->cls, RA_JOB_OTHER);

    j = job_at(js, 3); /* the commented-out line after it is a disabled job */
    assert_int_equal(j->line, 8);
    assert_true(j->disabled);
    assert_string_equal(j->name, "old-backup.sh");
    assert_int_equal(j->cls, RA_JOB_BACKUP);
    assert_string_equal(j->timezone, "Europe/London");

    j = job_at(js, 4);
    assert_string_equal(j->schedule, "*/15 * * * *");
    assert_string_equal(j->command, "curl -fsS http://localhost:5000/v2/ > /dev/null");
    assert_int_equal(j->cls, RA_JOB_PROBE);
    assert_string_equal(j->name, "curl");

    j = job_at(js, 5); /* CRON_TZ= emptied: TZ= is the command's, not the schedule's */
    assert_int_equal(j->line, 13);
    assert_null(j->timezone);
    assert_string_equal(j->warning, "TZ=UTC sets the command's environment, not the "
                                    "schedule: cron reads the times in the host's zone");
    assert_string_equal(j->name, "weekly-report");
    assert_string_equal(j->id, "crontab:hosts/ci/crontab:weekly-report#2");

    assert_int_equal(js->problems.len, 2);
    assert_int_equal(problem_at(js, 0)->line, 10);
    assert_int_equal(problem_at(js, 0)->code, RA_EFORMAT);
    assert_string_equal(problem_at(js, 0)->msg,
                        "'hosts/ci/crontab:10': bad time field: 'bad line here'");
    assert_string_equal(problem_at(js, 1)->msg,
                        "'hosts/ci/crontab:14': unknown @ schedule: '@every 5m nope'");
    ra_jobs_free(js);
}

static void test_jobs__which_files_carry_a_user(void **state)
{
    const struct ra_jobs_file files[] = {
        F("etc/crontab",
          "# Example of job definition:\n"
          "# .---------------- minute (0 - 59)\n"
          "# *  *  *  *  * user-name command to be executed\n"
          "17 *\t* * *\troot    cd / && run-parts --report /etc/cron.hourly\n"
          "25 6\t* * *\troot\ttest -x /usr/sbin/anacron || ( cd / && run-parts --report "
          "/etc/cron.daily )\n"),
        F("roles/x/files/backup.cron",
          "30 1 * * * rsync -a /srv/registry/ nas:/backup/\n"),
        F("var/spool/cron/crontabs/root",
          "# For example, you can run a backup of all your user accounts\n"
          "# at 5 a.m every week with:\n"
          "# 0 5 * * 1 tar -zcf /var/backups/home.tgz /home/\n"
          "0 5 * * 1 restic backup /srv/registry\n"),
        F("templates/cron.d/probe.j2",
          "#Ansible: registry probe\n"
          "*/5 * * * * nobody wget -q -O- http://127.0.0.1:5000/v2/_catalog\n"),
        F("etc/cron.daily/registry-backup",
          "#!/bin/sh\nborg create ::reg /srv/registry\n"),
        F("etc/cron.daily/gc.sh", "#!/bin/sh\nregistry garbage-collect /etc/r.yml\n"),
        F("etc/cron.daily/.placeholder", "# DO NOT EDIT OR REMOVE\n"),
        F("etc/cron.d/README.md", ""),
        F("etc/weekly/cron.weekly/prune", "#!/bin/sh\nskopeo delete docker://r/x:old\n"),
        F("etc/cron.d/registry-gc.cron",
          "0 1 * * * root registry garbage-collect /c.yml\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;

    (void)state;
    assert_int_equal(js->jobs.len, 9);
    j = by_name(js, "run-parts");
    assert_int_equal(j->def, RA_JOBDEF_CROND);
    assert_string_equal(j->user, "root");
    assert_string_equal(j->command, "cd / && run-parts --report /etc/cron.hourly");
    j = by_name(js, "rsync");
    assert_int_equal(j->def, RA_JOBDEF_CRONTAB);
    assert_null(j->user);
    assert_int_equal(j->cls, RA_JOB_BACKUP);
    j = by_name(js, "restic backup");
    assert_int_equal(j->def, RA_JOBDEF_CRONTAB);
    assert_int_equal(j->cls, RA_JOB_BACKUP);
    j = by_name(js, "registry probe"); /* the "#Ansible:" marker names it */
    assert_int_equal(j->def, RA_JOBDEF_CROND);
    assert_string_equal(j->user, "nobody");
    assert_int_equal(j->cls, RA_JOB_PROBE);
    assert_string_equal(j->id, "cron.d:templates/cron.d/probe.j2:registry probe");

    /* run-parts jobs run when etc/crontab says, here through anacron's test */
    j = by_name(js, "registry-backup");
    assert_int_equal(j->def, RA_JOBDEF_RUNPARTS);
    assert_string_equal(ra_job_def_name(j->def), "run-parts");
    assert_string_equal(j->schedule, "25 6\t* * *");
    assert_string_equal(j->command, "/etc/cron.daily/registry-backup");
    assert_int_equal(j->cls, RA_JOB_BACKUP);
    assert_false(j->disabled);
    assert_string_equal(
        j->warning, "run by anacron where it is installed (times from /etc/anacrontab)");
    j = by_name(js, "gc.sh"); /* run-parts skips names with a dot */
    assert_true(j->disabled);
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_string_equal(j->warning,
                        "run-parts skips names with '.' or other signs: it never runs");
    j = by_name(js, "prune"); /* no etc/crontab says when: Debian's default */
    assert_string_equal(j->schedule, "47 6 * * 7");
    assert_null(j->warning);
    j = by_name(js, "registry garbage-collect");
    assert_false(j->disabled);
    assert_string_equal(j->warning,
                        "Debian's cron ignores cron.d files with '.' in their name");
    j = by_name(js, "registry probe"); /* the deployed name has no ".j2" */
    assert_null(j->warning);
    assert_int_equal(js->problems.len, 0);
    ra_jobs_free(js);
}

/* ---- Ansible ---- */

static void test_jobs__ansible(void **state)
{
    const struct ra_jobs_file files[] = {
        F("roles/registry/tasks/main.yml",
          "---\n"
          "- name: Registry GC\n"
          "  ansible.builtin.cron:\n"
          "    name: registry-gc\n"
          "    special_time: daily\n"
          "    job: \"docker exec registry registry garbage-collect --dry-run "
          "/etc/docker/registry/config.yml\"\n"
          "    user: root\n"
          "    cron_file: registry\n"
          "- name: Old prune job\n"
          "  cron:\n"
          "    name: prune\n"
          "    state: absent\n"
          "- name: Prune tags on weekdays\n"
          "  cron:\n"
          "    minute: \"0\"\n"
          "    hour: 2\n"
          "    weekday: 1-5\n"
          "    job: >-\n"
          "      /opt/ci/cleanup-tags.sh\n"
          "    disabled: yes\n"
          "- name: CRON_TZ for the rest\n"
          "  cron:\n"
          "    name: CRON_TZ\n"
          "    env: true\n"
          "    job: Europe/London\n"
          "- name: not a cron task\n"
          "  set_fact:\n"
          "    cron: hello\n"),
        F("site.yaml",
          "- hosts: registry\n"
          "  become: true\n"
          "  tasks:\n"
          "    - cron: name=backup minute=30 hour=1 job=\"rsync -a /srv/registry "
          "nas:/b\"\n"
          "    - block:\n"
          "        - community.general.cron:\n"
          "            name: tags-probe\n"
          "            minute: \"*/10\"\n"
          "            job: skopeo inspect docker://localhost:5000/infra-ci:latest\n"),
        F("scripts/cleanup-tags.sh", cleanup_sh),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;

    (void)state;
    assert_int_equal(js->problems.len, 0);
    assert_int_equal(js->jobs.len, 5);
    j = by_name(js, "registry-gc");
    assert_int_equal(j->def, RA_JOBDEF_ANSIBLE);
    assert_string_equal(j->id, "ansible:roles/registry/tasks/main.yml:registry-gc");
    assert_int_equal(j->line, 3);
    assert_int_equal(j->command_line, 6);
    assert_string_equal(j->schedule, "@daily");
    assert_string_equal(j->user, "root");
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_true(j->gc.dry_run);
    assert_false(j->gc.delete_untagged);

    j = by_name(js, "prune");
    assert_true(j->absent);
    assert_null(j->command);
    assert_string_equal(j->schedule, "* * * * *");
    assert_int_equal(j->cls, RA_JOB_OTHER);

    j = by_name(js, "Prune tags on weekdays"); /* no cron name: the task's */
    assert_string_equal(j->schedule, "0 2 * * 1-5");
    assert_string_equal(j->command, "/opt/ci/cleanup-tags.sh");
    assert_true(j->disabled);
    assert_int_equal(j->cls, RA_JOB_TAG_PRUNE);
    assert_string_equal(j->keep, "keeps newest 10");

    j = by_name(js, "backup"); /* the inline k=v form */
    assert_string_equal(j->path, "site.yaml");
    assert_string_equal(j->schedule, "30 1 * * *");
    assert_string_equal(j->command, "rsync -a /srv/registry nas:/b");
    assert_int_equal(j->cls, RA_JOB_BACKUP);

    j = by_name(js, "tags-probe");
    assert_string_equal(j->schedule, "*/10 * * * *");
    assert_int_equal(j->cls, RA_JOB_PROBE);
    ra_jobs_free(js);
}

/* ---- systemd ---- */

/* A time with a "/" in it is not a zone: "*-*-* *:0/15:00" runs in the host's zone. */
static void test_jobs__calendar_step_is_not_a_zone(void **state)
{
    const struct ra_jobs_file files[] = {
        F("u/q.timer", "[Timer]\nOnCalendar=*-*-* *:0/15:00\n"),
        F("u/q.service", "[Service]\nExecStart=/usr/bin/true\n"),
        F("u/z.timer", "[Timer]\nOnCalendar=*-*-* 03:00 Etc/GMT+2\n"),
        F("u/z.service", "[Service]\nExecStart=/usr/bin/true\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));

    (void)state;
    assert_int_equal(js->jobs.len, 2);
    assert_null(by_name(js, "q")->timezone);
    assert_string_equal(by_name(js, "z")->timezone, "Etc/GMT+2");
    ra_jobs_free(js);
}

/* A 400 KB crontab line: the command kept is cut to RA_JOBS_TEXT_MAX bytes (not inside a
 * UTF-8 sequence), with a problem naming the line. */
static void test_jobs__long_command_is_cut(void **state)
{
    size_t n = 400 * 1024, i;
    char *text = malloc(n + 64);
    struct ra_jobs_file files[1];
    struct ra_jobs *js;
    const struct ra_job *j;

    (void)state;
    i = (size_t)snprintf(text, 64, "* * * * * root /bin/echo ");
    for (; i < n; i += 2)
        memcpy(text + i, "\xc3\xa9", 2); /* é: a cut must not split it */
    memcpy(text + i, "\n", 2);
    files[0] = (struct ra_jobs_file){"etc/cron.d/long", text, i + 1};
    js = scan(files, 1);
    assert_int_equal(js->jobs.len, 1);
    j = js->jobs.items[0];
    assert_true(strlen(j->command) <= RA_JOBS_TEXT_MAX);
    assert_true(strlen(j->command) >= RA_JOBS_TEXT_MAX - 1);
    assert_int_equal(((unsigned char)j->command[strlen(j->command) - 1]), 0xa9);
    assert_int_equal(js->problems.len, 1);
    assert_string_equal(problem_at(js, 0)->msg, "etc/cron.d/long:1: command of 409586 "
                                                "bytes: only the first 16384 are read");
    ra_jobs_free(js);
    free(text);
}

static void test_jobs__systemd(void **state)
{
    const struct ra_jobs_file files[] = {
        F("systemd/registry-gc.timer", "[Unit]\n"
                                       "Description=Weekly registry GC\n"
                                       "\n"
                                       "[Timer]\n"
                                       "OnCalendar=Sun *-*-* 03:25:00\n"
                                       "Persistent=true\n"
                                       "RandomizedDelaySec=10min\n"
                                       "\n"
                                       "[Install]\n"
                                       "WantedBy=timers.target\n"),
        F("systemd/registry-gc.service",
          "[Unit]\nDescription=registry GC\n\n[Service]\nType=oneshot\n"
          "ExecStart=/usr/bin/docker exec registry registry garbage-collect -m "
          "/etc/docker/registry/config.yml\n"),
        F("roles/b/templates/nightly.timer.j2", "[Timer]\n"
                                                "OnCalendar=\n"
                                                "OnCalendar = Mon..Fri *-*-* 01:00\n"
                                                "OnCalendar=Sat,Sun 04:00 Europe/Berlin\n"
                                                "Unit=registry-backup.service\n"),
        F("roles/b/files/registry-backup.service",
          "[Service]\n"
          "User=backup\n"
          "# a comment\n"
          "ExecStart=-/usr/bin/rsync -a --delete \\\n"
          "    /srv/registry/ nas:/backup/registry/\n"),
        F("units/probe.timer", "[Timer]\nOnBootSec=5min\nOnUnitActiveSec=15min\n"),
        F("units/probe.service",
          "[Service]\nExecStart=/usr/bin/curl -fsS http://localhost:5000/v2/\n"),
        F("units/lonely.timer", "[Timer]\nOnCalendar=daily\n"),
        F("units/empty.timer", "[Timer]\nPersistent=true\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;

    (void)state;
    assert_int_equal(js->jobs.len, 4);
    j = by_name(js, "registry-gc");
    assert_int_equal(j->def, RA_JOBDEF_SYSTEMD);
    assert_string_equal(j->id, "systemd:systemd/registry-gc.timer:registry-gc");
    assert_int_equal(j->syntax, RA_SCHED_CALENDAR);
    assert_string_equal(j->schedule, "Sun *-*-* 03:25:00");
    assert_int_equal(j->line, 5);
    assert_null(j->timezone);
    assert_true(j->persistent);
    assert_string_equal(j->random_delay, "10min");
    assert_string_equal(j->command,
                        "/usr/bin/docker exec registry registry garbage-collect -m "
                        "/etc/docker/registry/config.yml");
    assert_string_equal(j->command_path, "systemd/registry-gc.service");
    assert_int_equal(j->command_line, 6);
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_true(j->gc.delete_untagged);
    assert_string_equal(ev_at(j, 0)->path, "systemd/registry-gc.service");
    assert_int_equal(ev_at(j, 0)->line, 6);

    j = by_name(js, "nightly"); /* an empty OnCalendar= resets the list */
    assert_string_equal(j->schedule, "Mon..Fri *-*-* 01:00; Sat,Sun 04:00 Europe/Berlin");
    assert_int_equal(j->line, 3);
    assert_string_equal(j->timezone, "Europe/Berlin");
    assert_false(j->persistent);
    assert_null(j->random_delay);
    assert_string_equal(
        j->command, "/usr/bin/rsync -a --delete  /srv/registry/ nas:/backup/registry/");
    assert_string_equal(j->user, "backup");
    assert_int_equal(j->cls, RA_JOB_BACKUP);

    j = by_name(js, "probe");
    assert_int_equal(j->syntax, RA_SCHED_MONOTONIC);
    assert_string_equal(j->schedule, "OnBootSec=5min; OnUnitActiveSec=15min");
    assert_int_equal(j->cls, RA_JOB_PROBE);

    j = by_name(js, "lonely");
    assert_null(j->command);
    assert_int_equal(js->problems.len, 2);
    assert_string_equal(problem_at(js, 0)->msg,
                        "'units/empty.timer': timer without OnCalendar= or On*Sec=");
    assert_string_equal(problem_at(js, 1)->msg,
                        "'units/lonely.timer': its unit 'lonely.service' not found");
    assert_int_equal(problem_at(js, 1)->code, RA_ENOTFOUND);
    ra_jobs_free(js);
}

/* ---- Kubernetes ---- */

static void test_jobs__kubernetes(void **state)
{
    const struct ra_jobs_file files[] = {
        F("k8s/registry.yaml",
          "apiVersion: apps/v1\n" /* 1 */
          "kind: Deployment\n"
          "metadata:\n"
          "  name: registry\n"
          "spec:\n" /* 5 */
          "  template:\n"
          "    spec:\n"
          "      containers:\n"
          "        - name: registry\n"
          "          image: registry:2.8.3\n" /* 10 */
          "---\n"
          "# the GC\n"
          "apiVersion: batch/v1\n"
          "kind: CronJob\n"
          "metadata:\n" /* 15 */
          "  name: registry-gc\n"
          "spec:\n"
          "  schedule: \"25 3 * * 0\"\n"
          "  timeZone: Europe/Berlin\n"
          "  suspend: true\n" /* 20 */
          "  jobTemplate:\n"
          "    spec:\n"
          "      template:\n"
          "        spec:\n"
          "          containers:\n" /* 25 */
          "            - name: gc\n"
          "              image: docker.io/library/registry:2\n"
          "              command: [\"/bin/sh\", \"-c\"]\n"
          "              args:\n"
          "                - registry garbage-collect --delete-untagged=true "
          "/etc/docker/registry/config.yml\n" /* 30 */
          "---\n"
          "...\n"),
        F("k8s/list.yml",
          "apiVersion: v1\n"
          "kind: List\n"
          "items:\n"
          "  - apiVersion: batch/v1\n"
          "    kind: CronJob\n"
          "    metadata: {name: prune}\n"
          "    spec:\n"
          "      schedule: '@daily'\n"
          "      jobTemplate:\n"
          "        spec:\n"
          "          template:\n"
          "            spec:\n"
          "              containers:\n"
          "                - image: regclient/regctl\n"
          "                  command: [regctl, tag, rm, reg.local/a:old]\n"
          "  - kind: CronJob\n"
          "    metadata: {name: broken}\n"
          "    spec: {}\n"
          "  - kind: CronJob\n"
          "    metadata: {name: old-style-zone}\n"
          "    spec: {schedule: CRON_TZ=Europe/London  30 1 * * *}\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;

    (void)state;
    assert_int_equal(js->jobs.len, 3);
    j = by_name(js, "old-style-zone");
    assert_string_equal(j->schedule, "30 1 * * *");
    assert_string_equal(j->timezone, "Europe/London");
    j = by_name(js, "registry-gc");
    assert_int_equal(j->def, RA_JOBDEF_KUBERNETES);
    assert_string_equal(j->id, "kubernetes:k8s/registry.yaml:registry-gc");
    assert_int_equal(j->line, 18);
    assert_string_equal(j->schedule, "25 3 * * 0");
    assert_string_equal(j->timezone, "Europe/Berlin");
    assert_true(j->disabled);
    assert_string_equal(j->command,
                        "/bin/sh -c 'registry garbage-collect "
                        "--delete-untagged=true /etc/docker/registry/config.yml'");
    assert_int_equal(j->command_line, 28);
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_true(j->gc.delete_untagged);
    assert_string_equal(j->gc.config, "/etc/docker/registry/config.yml");

    j = by_name(js, "prune");
    assert_string_equal(j->schedule, "@daily");
    assert_null(j->timezone);
    assert_false(j->disabled);
    assert_int_equal(j->cls, RA_JOB_TAG_PRUNE);

    assert_int_equal(js->images.len, 2);
    assert_string_equal(image_at(js, 0)->image, "registry:2.8.3");
    assert_string_equal(image_at(js, 0)->version, "2.8.3");
    assert_false(image_at(js, 0)->floating);
    assert_int_equal(image_at(js, 0)->line, 10);
    assert_string_equal(image_at(js, 1)->image, "docker.io/library/registry:2");
    assert_true(image_at(js, 1)->floating);

    assert_int_equal(js->problems.len, 1);
    assert_string_equal(problem_at(js, 0)->msg,
                        "'k8s/list.yml:16': CronJob without spec.schedule");
    ra_jobs_free(js);
}

/* ---- Terraform ---- */

static void test_jobs__terraform(void **state)
{
    const struct ra_jobs_file files[] = {
        F("infra/registry.tf",
          "# the registry and its jobs\n"
          "resource \"kubernetes_deployment\" \"registry\" {\n"
          "  spec {\n"
          "    template {\n"
          "      spec {\n"
          "        container {\n"
          "          image = \"docker.io/library/registry:2\"   # floats\n"
          "          name  = \"registry\"\n"
          "        }\n"
          "      }\n"
          "    }\n"
          "  }\n"
          "}\n"
          "\n"
          "resource \"kubernetes_cron_job_v1\" \"prune\" {\n"
          "  metadata {\n"
          "    name = \"tag-prune\"\n"
          "  }\n"
          "  spec {\n"
          "    schedule                  = \"0 2 * * *\"\n"
          "    timezone = \"Etc/UTC\"\n"
          "    suspend = false\n"
          "    job_template {\n"
          "      metadata {}\n"
          "      spec {\n"
          "        template {\n"
          "          metadata {}\n"
          "          spec {\n"
          "            container {\n"
          "              name    = \"prune\"\n"
          "              image   = \"regclient/regctl:v0.5.0\"\n"
          "              command = [\"regctl\", \"tag\", \"rm\",\n"
          "                         \"registry.local/infra-ci:old\"]\n"
          "              args = <<-EOT\n"
          "                } not a brace {\n"
          "              EOT\n"
          "            }\n"
          "          }\n"
          "        }\n"
          "      }\n"
          "    }\n"
          "  }\n"
          "}\n"
          "resource \"kubernetes_cron_job\" \"gc\" {\n"
          "  metadata { name = \"gc\" }\n"
          "  spec {\n"
          "    schedule = \"${var.gc_schedule}\"\n"
          "    suspend  = true\n"
          "    job_template { spec { template { spec { container {\n"
          "      image   = \"distribution/distribution:3.0.0\"\n"
          "      args    = [\"garbage-collect\", \"--delete-untagged\", "
          "\"/etc/distribution/config.yml\"]\n"
          "      command = [\"/bin/registry\"]\n"
          "    } } } } }\n"
          "  }\n"
          "}\n"
          "resource \"kubernetes_cron_job_v1\" \"zoned\" {\n"
          "  spec {\n"
          "    schedule = \"TZ=Asia/Tokyo 0 9 * * 1\"\n"
          "  }\n"
          "}\n"
          "module_like = 1\n"
          "resource \"kubernetes_cron_job_v1\" \"job\" {\n"
          "  spec {\n"
          "    schedule = var.schedule\n"
          "    job_template { spec { template { spec {\n"
          "      container {\n"
          "        name = \"container-name\"\n"
          "      }\n"
          "    } } } }\n"
          "  }\n"
          "  metadata {\n"
          "    name = var.name\n"
          "  }\n"
          "}\n"
          "resource \"kubernetes_cron_job_v1\" \"nosched\" {\n"
          "  spec {}\n"
          "}\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;

    (void)state;
    assert_int_equal(js->jobs.len, 4);
    j = by_name(js, "tag-prune");
    assert_int_equal(j->def, RA_JOBDEF_TERRAFORM);
    assert_string_equal(j->id, "terraform:infra/registry.tf:tag-prune");
    assert_int_equal(j->line, 20);
    assert_string_equal(j->schedule, "0 2 * * *");
    assert_string_equal(j->timezone, "Etc/UTC");
    assert_false(j->disabled);
    assert_string_equal(j->command, "regctl tag rm registry.local/infra-ci:old");
    assert_int_equal(j->command_line, 32);
    assert_int_equal(j->cls, RA_JOB_TAG_PRUNE);

    j = by_name(js, "job"); /* var.name says nothing: the label */
    assert_string_equal(j->schedule, "var.schedule");
    j = by_name(js, "zoned");
    assert_string_equal(j->schedule, "0 9 * * 1");
    assert_string_equal(j->timezone, "Asia/Tokyo");
    j = by_name(js, "gc");
    assert_string_equal(j->schedule, "${var.gc_schedule}");
    assert_true(j->disabled);
    assert_string_equal(
        j->command,
        "/bin/registry garbage-collect --delete-untagged /etc/distribution/config.yml");
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_true(j->gc.delete_untagged);

    assert_int_equal(js->images.len, 2);
    assert_string_equal(image_at(js, 0)->image, "docker.io/library/registry:2");
    assert_int_equal(image_at(js, 0)->line, 7);
    assert_true(image_at(js, 0)->floating);
    assert_string_equal(image_at(js, 1)->image, "distribution/distribution:3.0.0");
    assert_false(image_at(js, 1)->floating);
    assert_int_equal(js->problems.len, 1);
    assert_string_equal(problem_at(js, 0)->msg,
                        "'infra/registry.tf:75': cron job 'nosched' without schedule");
    ra_jobs_free(js);
}

/* ---- registry images ---- */

static void test_jobs__compose_images(void **state)
{
    const struct ra_jobs_file files[] = {
        F("docker-compose.yml", "services:\n"
                                "  registry:\n"
                                "    image: registry:2\n"
                                "  mirror:\n"
                                "    image: \"distribution/distribution:3.0.0\"\n"
                                "  hub-mirror:\n"
                                "    image: 'registry@sha256:0123abcd'\n"
                                "  app:\n"
                                "    image: nginx:1.25\n"
                                "  ui:\n"
                                "    image: joxit/docker-registry-ui:2\n"),
        F("charts/registry/values.yaml",
          "image:\n  repository: registry\n  tag: \"2.8\"\n"),
        F("ansible/registry.yml", "- community.docker.docker_container:\n"
                                  "    name: registry\n"
                                  "    image: \"registry:{{ registry_version }}\"\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));

    (void)state;
    assert_int_equal(js->jobs.len, 0);
    assert_int_equal(js->images.len, 5);
    assert_string_equal(image_at(js, 0)->path, "ansible/registry.yml");
    assert_string_equal(image_at(js, 0)->version, "{{ registry_version }}");
    assert_true(image_at(js, 0)->floating);
    assert_string_equal(image_at(js, 1)->image, "registry:2.8");
    assert_true(image_at(js, 1)->floating);
    assert_string_equal(image_at(js, 2)->image, "registry:2");
    assert_string_equal(image_at(js, 2)->version, "2");
    assert_int_equal(image_at(js, 2)->line, 3);
    assert_true(image_at(js, 2)->floating);
    assert_string_equal(image_at(js, 3)->version, "3.0.0");
    assert_false(image_at(js, 3)->floating);
    assert_string_equal(image_at(js, 4)->version, "sha256:0123abcd");
    assert_false(image_at(js, 4)->floating);
    ra_jobs_free(js);
}

/* ---- classification details ---- */

static void test_jobs__classify_variants(void **state)
{
    const struct ra_jobs_file files[] = {
        F("crontab",
          "0 1 * * * curl -s -X DELETE "
          "http://localhost:5000/v2/infra-ci/manifests/sha256:ab\n"
          "0 2 * * * /usr/bin/flock -n /run/gc.lock ./scripts/gc.sh\n"
          "0 3 * * * bash scripts/prune-api.sh --keep 5\n"
          "0 4 * * * tar -czf /backup/registry-$(date +\\%F).tgz -C /var/lib registry\n"
          "0 5 * * * sudo -u reg sh -c 'cd /srv && skopeo delete docker://r/a:b'\n"
          "0 6 * * * ssh reg-host \"docker exec registry registry garbage-collect -dm "
          "/etc/docker/registry/config.yml\"\n"
          "0 7 * * * docker run --rm -v /srv/registry:/var/lib/registry registry:2.8.3 "
          "garbage-collect /etc/docker/registry/config.yml\n"
          "0 8 * * * find /srv/registry/docker/registry/v2/repositories -path "
          "'*/_manifests/tags/*' -mtime +30 -exec rm -rf {} +\n"
          "0 9 * * * echo \"registry garbage-collect -m is not run here\"\n"
          "0 10 * * * /opt/hyperbackup/run-task.sh\n"
          "0 11 * * * /opt/loop.sh\n"
          "0 12 * * * find /srv/r/_manifests/tags -perm 644 -print\n"
          "0 13 * * * registry garbage-collect -m=false --dry-run=false 2>&1 /c.yml\n"
          "0 14 * * * tar --exclude '*.tmp' -C /var/lib -cf /backup/r.tar registry\n"
          "0 15 * * * tar -xzf /backup/r.tgz -C /restore\n"),
        F("scripts/gc.sh", "#!/bin/sh\n"
                           "docker stop registry\n"
                           "docker run --rm registry:2 garbage-collect --delete-untagged "
                           "/etc/docker/registry/config.yml\n"
                           "docker start registry\n"),
        F("scripts/prune-api.sh", "#!/bin/sh\n"
                                  "REG=https://registry.example.org/v2/\n"
                                  "for d in $(list_old \"$@\"); do\n"
                                  "  curl -fsS --request DELETE \"$REG$d\"\n"
                                  "done\n"),
        F("opt/hyperbackup/run-task.sh",
          "#!/bin/sh\n/usr/syno/bin/synobackup --backup 3\n"),
        F("opt/loop.sh", "#!/bin/sh\n. /opt/loop.sh\nsh ./loop.sh\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;

    (void)state;
    assert_int_equal(js->jobs.len, 15);
    j = job_at(js, 0);
    assert_int_equal(j->cls, RA_JOB_TAG_PRUNE);
    j = job_at(js, 1);
    assert_string_equal(j->name, "gc.sh");
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_true(j->gc.delete_untagged);
    assert_string_equal(ev_at(j, 0)->path, "scripts/gc.sh");
    assert_int_equal(ev_at(j, 0)->line, 3);
    j = job_at(js, 2);
    assert_string_equal(j->name, "prune-api.sh");
    assert_int_equal(j->cls, RA_JOB_TAG_PRUNE);
    assert_string_equal(j->keep, "keeps newest 5");
    assert_int_equal(ev_at(j, 0)->line, 4);
    j = job_at(js, 3);
    assert_string_equal(j->name, "tar");
    assert_int_equal(j->cls, RA_JOB_BACKUP);
    j = job_at(js, 4);
    assert_string_equal(j->name, "skopeo delete");
    assert_int_equal(j->cls, RA_JOB_TAG_PRUNE);
    j = job_at(js, 5);
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_true(j->gc.delete_untagged);
    assert_true(j->gc.dry_run);
    assert_string_equal(j->name, "registry garbage-collect");
    j = job_at(js, 6);
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_false(j->gc.delete_untagged);
    j = job_at(js, 7);
    assert_int_equal(j->cls, RA_JOB_TAG_PRUNE);
    assert_string_equal(j->name, "find");
    j = job_at(js, 8);
    assert_int_equal(j->cls, RA_JOB_OTHER);
    j = job_at(js, 9);
    assert_int_equal(j->cls, RA_JOB_BACKUP);
    j = job_at(js, 10); /* a script that runs itself: read once */
    assert_int_equal(j->cls, RA_JOB_OTHER);
    assert_int_equal(j->scripts.len, 1);
    j = job_at(js, 11); /* -perm is not rm */
    assert_int_equal(j->cls, RA_JOB_OTHER);
    j = job_at(js, 12); /* flags turned off, a redirection is not the config */
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_false(j->gc.delete_untagged);
    assert_false(j->gc.dry_run);
    assert_string_equal(j->gc.config, "/c.yml");
    assert_int_equal(job_at(js, 13)->cls, RA_JOB_BACKUP);
    assert_int_equal(job_at(js, 14)->cls, RA_JOB_OTHER); /* extracting is not a backup */
    ra_jobs_free(js);
}

/* ---- bad input ---- */

static void test_jobs__bad_files(void **state)
{
    char *huge = malloc(RA_JOBS_FILE_MAX + 2);
    struct ra_jobs_file files[] = {
        F("bad.yml", "a: [1, 2\nb: c\n"),
        F("k8s/two.yaml",
          "kind: CronJob\nmetadata: {name: first}\nspec: {schedule: '@hourly'}\n"
          "---\n"
          "kind: CronJob\n"
          "spec: [unclosed\n"),
        F("etc/cron.d/bin", "0 2 * * * root x\0\1\2"),
        F("crontab", ""),
        F("scripts/blob.sh", "\0\0\0"),
        F("notes.txt", "\0"),
        F("templates/cronjob.yaml.j2", "{% if x %}\nkind: CronJob\n"),
        F("anchors.yml", "a: &a [*a, *a]\nb: &b {c: *b}\n"),
        F("etc/crontab", "0 2 * * * /opt/ci/cleanup-tags.sh\n"),
        {"lost/file.sh", NULL, 0},
    };
    const char *why[RA_ARRAY_SIZE(files)] = {NULL};
    struct ra_jobs *js;

    (void)state;
    memset(huge, '#', RA_JOBS_FILE_MAX + 1);
    huge[RA_JOBS_FILE_MAX + 1] = '\0';
    files[3].data = huge;
    files[3].len = RA_JOBS_FILE_MAX + 1;
    why[RA_ARRAY_SIZE(files) - 1] = "missing from the repository (damaged)";
    assert_int_equal(ra_jobs_scan_why(&js, files, why, RA_ARRAY_SIZE(files), NULL), 0);
    assert_int_equal(js->jobs.len, 1);
    assert_string_equal(job_at(js, 0)->name, "first");
    assert_int_equal(js->problems.len, 6);
    assert_string_equal(problem_at(js, 0)->msg,
                        "'bad.yml:2': YAML: did not find expected ',' or ']' "
                        "while parsing a flow sequence (from line 1)");
    assert_int_equal(problem_at(js, 0)->code, RA_EFORMAT);
    assert_int_equal(problem_at(js, 1)->code, RA_ELIMIT);
    assert_string_equal(
        problem_at(js, 1)->msg,
        "'crontab': 1048577 bytes, more than the limit of 1048576: not read");
    assert_string_equal(problem_at(js, 2)->msg,
                        "'etc/cron.d/bin': binary file, not read");
    /* etc/crontab carries a user: "/opt/ci/cleanup-tags.sh" is taken for one */
    assert_string_equal(problem_at(js, 3)->msg, "'etc/crontab:1': no command: "
                                                "'0 2 * * * /opt/ci/cleanup-tags.sh'");
    assert_int_equal(problem_at(js, 5)->code, RA_EIO);
    assert_string_equal(problem_at(js, 5)->msg,
                        "'lost/file.sh': missing from the repository (damaged)");
    assert_string_equal(problem_at(js, 4)->msg,
                        "'k8s/two.yaml:7': YAML: did not find expected ',' or ']' "
                        "while parsing a flow sequence (from line 6)");
    assert_int_equal(problem_at(js, 4)->line, 7);
    ra_jobs_free(js);
    free(huge);
}

static void test_jobs__duplicate_and_empty(void **state)
{
    const struct ra_jobs_file files[] = {F("a", "x"), F("b", "y"), F("a", "z")};
    struct ra_jobs *js = (void *)1;
    struct ra_err err = RA_ERR_INIT;

    (void)state;
    assert_int_equal(ra_jobs_scan(&js, files, 3, &err), RA_EUSAGE);
    assert_null(js);
    assert_int_equal(err.code, RA_EUSAGE);
    assert_string_equal(err.msg, "'a': given twice");
    assert_int_equal(ra_jobs_scan(&js, NULL, 0, &err), 0);
    assert_int_equal(js->jobs.len, 0);
    ra_jobs_free(js);
    ra_jobs_free(NULL);
}

static void test_jobs__more_spellings(void **state)
{
    const struct ra_jobs_file files[] = {
        F("etc/cron.d/registry",
          "0 2 * * * /opt/ci/cleanup-tags.sh --all 2>&1 | logger -t cleanup\n"
          "*/30 * * * * root /usr/bin/docker run --rm -v /srv/registry:/var/lib/registry "
          "registry:2.8.3 garbage-collect --dry-run /etc/docker/registry/config.yml "
          ">/dev/null 2>&1\n"
          "#0 4 * * * root docker run --rm registry:2.7.1 garbage-collect /c.yml\n"),
        F("hosts/a/opt/ci/cleanup-tags.sh", "#!/bin/sh\necho nothing here\n"),
        F("etc/opt/ci/cleanup-tags.sh", cleanup_sh),
        F("roles/registry/tasks/cron.yml",
          "- name: zone for the registry crontab\n"
          "  ansible.builtin.cron:\n"
          "    name: CRON_TZ\n"
          "    env: yes\n"
          "    value: Europe/London\n"
          "    cron_file: registry\n"
          "    user: root\n"
          "- name: GC\n"
          "  ansible.builtin.cron:\n"
          "    name: gc\n"
          "    weekday: Sun\n"
          "    minute: 25\n"
          "    hour: 3\n"
          "    user: root\n"
          "    cron_file: registry\n"
          "    job: docker exec registry registry garbage-collect -m "
          "/etc/docker/registry/config.yml\n"
          "- name: Elsewhere\n"
          "  ansible.builtin.cron:\n"
          "    name: other\n"
          "    job: /bin/true\n"),
        F("k8s/gc.yaml",
          "kind: CronJob\n"
          "metadata: {name: gc}\n"
          "spec:\n"
          "  schedule: 25 3 * * 0\n"
          "  jobTemplate: {spec: {template: {spec: {containers: [\n"
          "    {name: gc, image: 'registry:2',\n"
          "     args: [garbage-collect, -m, /etc/docker/registry/config.yml]}]}}}}\n"),
        F("systemd/registry.service",
          "[Service]\nExecStartPre=-/usr/bin/docker rm -f registry\n"
          "ExecStart=/usr/bin/docker run --name registry -p 5000:5000 registry:2\n"),
        F("build/Dockerfile",
          "FROM --platform=linux/amd64 registry:2.8.3 AS base\nFROM alpine\n"),
        F("bin/pull-registry",
          "#!/bin/sh\nset -e\ndocker pull docker.io/library/registry:latest\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;

    (void)state;
    assert_int_equal(js->jobs.len, 6);
    /* cron.d without its user field: cron would look up the user "/opt/ci/..." */
    j = job_at(js, 0);
    assert_string_equal(j->user, "/opt/ci/cleanup-tags.sh");
    assert_true(j->disabled);
    assert_string_equal(j->warning,
                        "cron.d line without a user field: cron never runs it");
    assert_int_equal(js->problems.len, 0);

    j = job_at(js, 1);
    assert_string_equal(j->name, "registry garbage-collect");
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_true(j->gc.dry_run);
    assert_false(j->gc.delete_untagged);
    assert_string_equal(j->gc.config, "/etc/docker/registry/config.yml");

    j = job_at(js, 2); /* commented out: its image is not in effect */
    assert_true(j->disabled);
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);

    j = by_name(js, "gc");
    assert_int_equal(j->def, RA_JOBDEF_KUBERNETES);
    assert_string_equal(j->command,
                        "registry garbage-collect -m /etc/docker/registry/config.yml");
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_true(j->gc.delete_untagged);

    j = job_at(js, 4); /* Ansible: the CRON_TZ env task sets the zone of its crontab */
    assert_string_equal(j->name, "gc");
    assert_int_equal(j->def, RA_JOBDEF_ANSIBLE);
    assert_string_equal(j->schedule, "25 3 * * Sun");
    assert_string_equal(j->timezone, "Europe/London");
    assert_string_equal(j->cron_file, "registry");
    assert_true(j->gc.delete_untagged);
    j = by_name(js, "other");
    assert_null(j->timezone);
    assert_null(j->cron_file);

    assert_int_equal(js->images.len, 5);
    assert_string_equal(image_at(js, 0)->path, "bin/pull-registry");
    assert_string_equal(image_at(js, 0)->version, "latest");
    assert_int_equal(image_at(js, 0)->line, 3);
    assert_string_equal(image_at(js, 1)->path, "build/Dockerfile");
    assert_string_equal(image_at(js, 1)->image, "registry:2.8.3");
    assert_string_equal(image_at(js, 2)->path, "etc/cron.d/registry");
    assert_int_equal(image_at(js, 2)->line, 2);
    assert_false(image_at(js, 2)->floating);
    assert_string_equal(image_at(js, 3)->path, "k8s/gc.yaml");
    assert_string_equal(image_at(js, 4)->path, "systemd/registry.service");
    assert_string_equal(image_at(js, 4)->image, "registry:2");
    assert_int_equal(image_at(js, 4)->line, 3);
    ra_jobs_free(js);
}

static void test_jobs__nearest_script_wins(void **state)
{
    const struct ra_jobs_file files[] = {
        F("hosts/a/crontab", "0 2 * * * /usr/local/bin/cleanup.sh\n"),
        F("hosts/a/bin/cleanup.sh",
          "#!/bin/sh\nrm -rf "
          "/srv/r/docker/registry/v2/repositories/x/_manifests/tags/old\n"),
        F("hosts/b/crontab", "0 2 * * * /usr/local/bin/cleanup.sh\n"),
        F("hosts/b/bin/cleanup.sh", "#!/bin/sh\nrsync -a /srv/r nas:/r\n"),
        F("hosts/c/crontab", "0 2 * * * /usr/bin/docker ps\n"),
        F("hosts/c/etc/default/docker", "DOCKER_OPTS=\"--dns 8.8.8.8\"\n"),
        F("hosts/d/crontab", "25 3 * * 0 /bin/systemctl start --no-block registry-gc\n"),
        F("hosts/d/units/registry-gc.service.j2",
          "[Unit]\nDescription=rm -rf /x/_manifests/tags is not run\n[Service]\n"
          "ExecStartPre=-/usr/bin/docker stop registry\n"
          "ExecStart=/usr/bin/docker run --rm registry:2 garbage-collect -m /c.yml\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));

    (void)state;
    assert_int_equal(js->jobs.len, 4);
    assert_int_equal(job_at(js, 2)->scripts.len, 0); /* /usr/bin/docker is the system's */
    /* systemctl start: the unit's Exec lines, not its description */
    assert_int_equal(job_at(js, 3)->cls, RA_JOB_GARBAGE_COLLECT);
    assert_int_equal(job_at(js, 3)->classes, RA_JOB_GARBAGE_COLLECT);
    assert_true(job_at(js, 3)->gc.delete_untagged);
    assert_int_equal(ev_at(job_at(js, 3), 0)->line, 5);
    assert_int_equal(job_at(js, 0)->cls, RA_JOB_TAG_PRUNE);
    assert_string_equal(job_at(js, 0)->scripts.items[0], "hosts/a/bin/cleanup.sh");
    assert_int_equal(job_at(js, 1)->cls, RA_JOB_BACKUP);
    assert_string_equal(job_at(js, 1)->scripts.items[0], "hosts/b/bin/cleanup.sh");
    ra_jobs_free(js);
}

/* Helm and Jinja templates are not YAML; read with their markup neutralised. */
static void test_jobs__templates_and_argo(void **state)
{
    const struct ra_jobs_file files[] = {
        F("charts/registry/templates/gc-cronjob.yaml",
          "{{- if .Values.gc.enabled }}\n"
          "apiVersion: batch/v1\n"
          "kind: CronJob\n"
          "metadata:\n"
          "  name: {{ include \"registry.fullname\" . }}-gc\n"
          "  labels:\n"
          "    {{- include \"registry.labels\" . | nindent 4 }}\n"
          "spec:\n"
          "  schedule: {{ .Values.gc.schedule | quote }}\n"
          "  jobTemplate:\n"
          "    spec:\n"
          "      template:\n"
          "        spec:\n"
          "          containers:\n"
          "            - name: gc\n"
          "              image: \"registry:{{ .Values.image.tag }}\"\n"
          "              args: [garbage-collect, --delete-untagged, "
          "/etc/docker/registry/config.yml]\n"
          "{{- end }}\n"),
        F("roles/registry/templates/gc.yaml.j2",
          "kind: CronJob\n"
          "metadata:\n"
          "  name: registry-gc\n"
          "spec:\n"
          "  schedule: \"{{ registry_gc_schedule }}\"\n"
          "{% if registry_gc_tz is defined %}\n"
          "  timeZone: {{ registry_gc_tz }}\n"
          "{% endif %}\n"
          "  jobTemplate:\n"
          "    spec:\n"
          "      template:\n"
          "        spec:\n"
          "          containers:\n"
          "            - image: registry:2.8.3\n"
          "              args: [/bin/registry, garbage-collect, "
          "/etc/docker/registry/config.yml]\n"),
        F("charts/x/templates/broken.yaml", "{{ if .x }}\nkey: [unclosed\n{{ end }}\n"),
        F("argo/gc.yaml",
          "apiVersion: argoproj.io/v1alpha1\n"
          "kind: CronWorkflow\n"
          "metadata:\n"
          "  name: registry-gc\n"
          "spec:\n"
          "  schedules:\n"
          "    - \"0 2 * * *\"\n"
          "    - \"30 14 * * 6\"\n"
          "  timezone: America/New_York\n"
          "  workflowSpec:\n"
          "    entrypoint: main\n"
          "    templates:\n"
          "      - name: main\n"
          "        script:\n"
          "          image: alpine:3\n"
          "          command: [sh]\n"
          "          source: |\n"
          "            set -e\n"
          "            curl -fsS -X DELETE \"$REG/v2/infra-ci/manifests/$DIGEST\"\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;

    (void)state;
    assert_int_equal(js->jobs.len, 3);
    j = job_at(js, 0);
    assert_string_equal(j->path, "argo/gc.yaml");
    assert_string_equal(j->schedule, "0 2 * * *; 30 14 * * 6");
    assert_string_equal(j->timezone, "America/New_York");
    assert_int_equal(j->cls, RA_JOB_TAG_PRUNE);
    assert_null(j->warning);

    j = job_at(js, 1);
    assert_string_equal(j->name, "{{ include \"registry.fullname\" . }}-gc");
    assert_string_equal(j->schedule, "{{ .Values.gc.schedule | quote }}");
    assert_int_equal(j->line, 9);
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_true(j->gc.delete_untagged);
    assert_string_equal(j->command, "registry garbage-collect --delete-untagged "
                                    "/etc/docker/registry/config.yml");
    assert_string_equal(j->warning,
                        "from a template: its {{ }} expressions are not resolved");

    j = job_at(js, 2);
    assert_string_equal(j->path, "roles/registry/templates/gc.yaml.j2");
    assert_string_equal(j->schedule, "{{ registry_gc_schedule }}");
    assert_string_equal(j->timezone, "{{ registry_gc_tz }}");
    assert_string_equal(j->command,
                        "/bin/registry garbage-collect /etc/docker/registry/config.yml");
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_false(j->gc.delete_untagged);

    assert_int_equal(js->images.len, 2);
    assert_string_equal(image_at(js, 0)->image, "registry:{{ .Values.image.tag }}");
    assert_true(image_at(js, 0)->floating);
    assert_string_equal(image_at(js, 1)->image, "registry:2.8.3");

    assert_int_equal(js->problems.len, 1); /* the error as written */
    assert_string_equal(problem_at(js, 0)->msg,
                        "'charts/x/templates/broken.yaml:2': YAML: did not find expected "
                        "<document start>");
    ra_jobs_free(js);
}

/* Ansible template and copy tasks say what a file becomes: a ".cron.j2" template
 * installed in /etc/cron.d carries a user, a timer keeps its installed name. */
static void test_jobs__ansible_deployed_files(void **state)
{
    const struct ra_jobs_file files[] = {
        F("roles/registry/tasks/main.yml",
          "- name: cleanup cron\n"
          "  template: src=registry-gc.cron.j2 dest=/etc/cron.d/registry-gc mode=0644\n"
          "- name: GC timer\n"
          "  ansible.builtin.copy:\n"
          "    src: gc.timer\n"
          "    dest: /etc/systemd/system/registry-gc.timer\n"
          "- name: GC service\n"
          "  ansible.builtin.template:\n"
          "    src: gc.service.j2\n"
          "    dest: /etc/systemd/system/registry-gc.service\n"
          "- name: many\n"
          "  copy: {src: \"{{ item }}\", dest: /etc/cron.d/}\n"
          "  loop: [a, b]\n"),
        F("roles/registry/templates/registry-gc.cron.j2",
          "0 2 * * * root /opt/ci/cleanup-tags.sh\n"),
        F("roles/registry/files/gc.timer", "[Timer]\nOnCalendar=Sun *-*-* 03:25:00\n"),
        F("roles/registry/templates/gc.service.j2",
          "[Service]\nExecStart=/usr/bin/docker exec registry registry garbage-collect "
          "-m "
          "/etc/docker/registry/config.yml\n"),
        F("playbooks/site.yml", "- hosts: ci\n"
                                "  tasks:\n"
                                "    - template:\n"
                                "        src: backup.j2\n"
                                "        dest: /var/spool/cron/crontabs/root\n"),
        F("playbooks/templates/backup.j2", "30 1 * * * rsync -a /srv/registry nas:/b\n"),
        F("scripts/cleanup-tags.sh", cleanup_sh),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;

    (void)state;
    assert_int_equal(js->problems.len, 0);
    assert_int_equal(js->jobs.len, 3);
    j = job_at(js, 0);
    assert_string_equal(j->path, "playbooks/templates/backup.j2");
    assert_int_equal(j->def, RA_JOBDEF_CRONTAB);
    assert_string_equal(j->deployed, "/var/spool/cron/crontabs/root");
    assert_int_equal(j->cls, RA_JOB_BACKUP);

    j = job_at(js, 1);
    assert_string_equal(j->path, "roles/registry/files/gc.timer");
    assert_string_equal(j->name, "registry-gc");
    assert_string_equal(j->deployed, "/etc/systemd/system/registry-gc.timer");
    assert_string_equal(j->command_path, "roles/registry/templates/gc.service.j2");
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_true(j->gc.delete_untagged);

    j = job_at(js, 2);
    assert_string_equal(j->path, "roles/registry/templates/registry-gc.cron.j2");
    assert_int_equal(j->def, RA_JOBDEF_CROND);
    assert_string_equal(j->user, "root");
    assert_null(j->warning); /* installed as "registry-gc": no dot */
    assert_string_equal(j->deployed, "/etc/cron.d/registry-gc");
    assert_int_equal(j->cls, RA_JOB_TAG_PRUNE);
    ra_jobs_free(js);
}

/* copy: content: is a file of its own, at its lines of the YAML file. */
static void test_jobs__ansible_copy_content(void **state)
{
    const struct ra_jobs_file files[] = {
        F("roles/registry/tasks/gc.yml",
          "- name: registry GC cron\n" /* 1 */
          "  ansible.builtin.copy:\n"
          "    dest: /etc/cron.d/registry-gc\n"
          "    content: |\n"
          "      SHELL=/bin/sh\n" /* 5 */
          "      25 3 * * 0 root docker exec registry registry garbage-collect -m "
          "/etc/docker/registry/config.yml\n"
          "- name: timer\n"
          "  copy:\n"
          "    content: |\n"
          "      [Timer]\n" /* 10 */
          "      OnCalendar=*-*-* 02:00:00\n"
          "      Unit=registry-gc.service\n"
          "    dest: ~registry/.config/systemd/user/registry-gc.timer\n"
          "- copy:\n"
          "    content: \"0 5 * * * rsync -a /srv/registry nas:/b\\n\"\n" /* 15 */
          "    dest: /var/spool/cron/crontabs/backup\n"
          "- copy: {content: \"not a job\", dest: /etc/motd}\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;

    (void)state;
    assert_int_equal(js->jobs.len, 3);
    j = job_at(js, 0);
    assert_int_equal(j->def, RA_JOBDEF_CROND);
    assert_int_equal(j->line, 6);
    assert_int_equal(j->command_line, 6);
    assert_string_equal(j->deployed, "/etc/cron.d/registry-gc");
    assert_string_equal(j->user, "root");
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_true(j->gc.delete_untagged);
    assert_int_equal(ev_at(j, 0)->line, 6);
    assert_string_equal(ev_at(j, 0)->path, "roles/registry/tasks/gc.yml");

    j = job_at(js, 1);
    assert_int_equal(j->def, RA_JOBDEF_SYSTEMD);
    assert_string_equal(j->name, "registry-gc");
    assert_int_equal(j->line, 11);
    assert_string_equal(j->schedule, "*-*-* 02:00:00");
    assert_null(j->command);

    j = job_at(js, 2);
    assert_int_equal(j->def, RA_JOBDEF_CRONTAB);
    assert_int_equal(j->line, 15);
    assert_string_equal(j->deployed, "/var/spool/cron/crontabs/backup");
    assert_int_equal(j->cls, RA_JOB_BACKUP);

    assert_int_equal(js->problems.len, 1);
    assert_string_equal(
        problem_at(js, 0)->msg,
        "'roles/registry/tasks/gc.yml': its unit 'registry-gc.service' not found");
    ra_jobs_free(js);
}

/* ofelia runs jobs that labels of compose services define. */
static void test_jobs__ofelia_labels(void **state)
{
    const struct ra_jobs_file files[] = {
        F("registry/docker-compose.yml",
          "services:\n"
          "  registry:\n"
          "    image: registry:2\n"
          "    labels:\n"
          "      ofelia.enabled: \"true\"\n"
          "      ofelia.job-exec.registry-gc.schedule: \"0 25 3 * * 0\"\n"
          "      ofelia.job-exec.registry-gc.command: \"registry garbage-collect -m "
          "/etc/docker/registry/config.yml\"\n"
          "  ofelia:\n"
          "    image: mcuadros/ofelia:latest\n"
          "    command: daemon --docker\n"
          "    labels:\n"
          "      - \"ofelia.job-run.probe.schedule=@every 15m\"\n"
          "      - \"ofelia.job-run.probe.image=curlimages/curl\"\n"
          "      - \"ofelia.job-run.probe.command=curl -fsS http://registry:5000/v2/\"\n"
          "      - ofelia.job-local.prune.schedule=@daily\n"
          "      - ofelia.job-local.prune.command=/opt/ci/cleanup-tags.sh\n"
          "      - ofelia.job-local.prune.user=ci\n"
          "  app:\n"
          "    image: nginx\n"
          "    labels: {traefik.enable: \"true\", ofelia.job-exec.x.command: "
          "no-schedule}\n"),
        F("scripts/cleanup-tags.sh", cleanup_sh),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;

    (void)state;
    assert_int_equal(js->jobs.len, 3);
    j = job_at(js, 0);
    assert_string_equal(j->id, "ofelia:registry/docker-compose.yml:registry-gc");
    assert_string_equal(ra_job_def_name(j->def), "ofelia");
    assert_int_equal(j->line, 6);
    assert_string_equal(j->schedule, "0 25 3 * * 0");
    assert_int_equal(j->syntax, RA_SCHED_CRON_SECONDS);
    assert_int_equal(j->command_line, 7);
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_true(j->gc.delete_untagged);

    j = job_at(js, 1);
    assert_string_equal(j->name, "probe");
    assert_int_equal(j->syntax, RA_SCHED_MONOTONIC);
    assert_string_equal(j->command, "docker run --rm curlimages/curl curl -fsS "
                                    "http://registry:5000/v2/");
    assert_int_equal(j->cls, RA_JOB_PROBE);

    j = job_at(js, 2);
    assert_string_equal(j->name, "prune");
    assert_string_equal(j->schedule, "@daily");
    assert_int_equal(j->syntax, RA_SCHED_CRON_SECONDS); /* robfig reads it */
    assert_string_equal(j->user, "ci");
    assert_int_equal(j->cls, RA_JOB_TAG_PRUNE);
    ra_jobs_free(js);
}

/* Probes that pull: skopeo copy (--all), crane validate and crane pull read blobs. */
static void test_jobs__pulling_probes(void **state)
{
    static const char tab[] =
        "*/30 * * * * skopeo copy --all docker://r.example/infra-ci:latest "
        "dir:/tmp/probe\n"
        "0 * * * * crane validate --remote r.example/infra-ci:latest\n"
        "5 * * * * crane pull r.example/app:1 /tmp/app.tar\n";
    const struct ra_jobs_file f = {"hosts/vm/crontab", tab, sizeof(tab) - 1};
    struct ra_jobs *js;
    size_t i;

    (void)state;
    js = scan(&f, 1);
    assert_int_equal(js->jobs.len, 3);
    for (i = 0; i < 3; i++)
        assert_int_equal(job_at(js, i)->cls, RA_JOB_PROBE);
    ra_jobs_free(js);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jobs__incident_crond),
        cmocka_unit_test(test_jobs__pulling_probes),
        cmocka_unit_test(test_jobs__crontab_odd_spellings),
        cmocka_unit_test(test_jobs__which_files_carry_a_user),
        cmocka_unit_test(test_jobs__ansible),
        cmocka_unit_test(test_jobs__systemd),
        cmocka_unit_test(test_jobs__calendar_step_is_not_a_zone),
        cmocka_unit_test(test_jobs__long_command_is_cut),
        cmocka_unit_test(test_jobs__kubernetes),
        cmocka_unit_test(test_jobs__terraform),
        cmocka_unit_test(test_jobs__compose_images),
        cmocka_unit_test(test_jobs__classify_variants),
        cmocka_unit_test(test_jobs__bad_files),
        cmocka_unit_test(test_jobs__duplicate_and_empty),
        cmocka_unit_test(test_jobs__more_spellings),
        cmocka_unit_test(test_jobs__nearest_script_wins),
        cmocka_unit_test(test_jobs__templates_and_argo),
        cmocka_unit_test(test_jobs__ansible_deployed_files),
        cmocka_unit_test(test_jobs__ansible_copy_content),
        cmocka_unit_test(test_jobs__ofelia_labels),
    };

    return cmocka_run_group_tests_name("config/jobs", tests, NULL, NULL);
}
