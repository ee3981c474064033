/* SPDX-License-Identifier: MIT */
/* config/jobs classification as teams write commands: loop bodies, xargs, sh -c,
 * '\'-continued lines in scripts and units, the common deleters, and backups known by
 * what they do whatever the job is called, with where they write. */

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

#include "jobs_fixture.h"
#include "util/buf.h"

/* One crontab line per case: the class each must get. */
static void test_jobs_classify__loops_and_wrappers(void **state)
{
    static const struct {
        const char *line;
        enum ra_job_class cls;
    } cases[] = {
        /* for ... do CMD; done: the body, not only the list it loops over */
        {"0 1 * * * for t in $(regctl tag ls r/a | head -n -5); do regctl tag delete "
         "r/a:$t; done",
         RA_JOB_TAG_PRUNE},
        /* while read ...; do CMD; done */
        {"0 1 * * * ls /srv/tags | while read -r t; do curl -fsS -X DELETE "
         "\"https://r.example/v2/a/manifests/$t\"; done",
         RA_JOB_TAG_PRUNE},
        /* xargs with options that take a value */
        {"0 1 * * * crane ls r/a | xargs -n 1 -P 4 -I {} crane delete r/a:{}",
         RA_JOB_TAG_PRUNE},
        {"0 1 * * * cat digests | xargs --max-args=1 skopeo delete", RA_JOB_TAG_PRUNE},
        /* if ...; then CMD; fi, and ! CMD */
        {"0 1 * * * if [ -f /run/gc.ok ]; then reg rm r.example/a:old; fi",
         RA_JOB_TAG_PRUNE},
        /* sh -c '...' and bash -c "..." */
        {"0 1 * * * sh -c 'reg rm -d r.example/a:old'", RA_JOB_TAG_PRUNE},
        {"0 1 * * * bash -c \"curl --request DELETE "
         "http://r:5000/v2/a/manifests/sha256:ab\"",
         RA_JOB_TAG_PRUNE},
        {"0 1 * * * /bin/sh -c 'for d in $(cat /d); do crane delete r/a@$d; done'",
         RA_JOB_TAG_PRUNE},
        /* each deleter alone */
        {"0 1 * * * regctl tag delete r.example/a:old", RA_JOB_TAG_PRUNE},
        {"0 1 * * * crane delete r.example/a:old", RA_JOB_TAG_PRUNE},
        {"0 1 * * * reg rm r.example/a:old", RA_JOB_TAG_PRUNE},
        {"0 1 * * * skopeo delete docker://r.example/a:old", RA_JOB_TAG_PRUNE},
        {"0 1 * * * curl -X DELETE https://r.example/v2/a/manifests/sha256:ab",
         RA_JOB_TAG_PRUNE},
        {"0 1 * * * curl --request DELETE https://r.example/v2/a/manifests/sha256:ab",
         RA_JOB_TAG_PRUNE},
        /* find | xargs rm: the paths come from the pipe */
        {"0 1 * * * find /srv/r/docker/registry/v2/repositories -path "
         "'*/_manifests/tags/*' -prune -mtime +30 -print0 | xargs -0 rm -rf",
         RA_JOB_TAG_PRUNE},
        {"0 1 * * * find /srv/r/_manifests/tags -name '*.tmp' | xargs ls -l",
         RA_JOB_OTHER},
        {"0 1 * * * find /tmp -mtime +3 | xargs rm -rf", RA_JOB_OTHER},
        /* reading is not deleting */
        {"0 1 * * * reg ls r.example", RA_JOB_PROBE},
        {"0 1 * * * for t in a b; do echo \"crane delete r/a:$t\"; done", RA_JOB_OTHER},
        {"0 1 * * * curl -X GET https://r.example/v2/a/manifests/latest", RA_JOB_PROBE},
    };
    struct ra_buf text = RA_BUF_INIT;
    struct ra_jobs_file file = {"crontab", NULL, 0};
    struct ra_jobs *js;
    size_t i;

    (void)state;
    for (i = 0; i < RA_ARRAY_SIZE(cases); i++)
        ra_buf_printf(&text, "%s\n", cases[i].line);
    file.data = text.ptr;
    file.len = text.len;
    js = scan(&file, 1);
    assert_int_equal(js->jobs.len, RA_ARRAY_SIZE(cases));
    for (i = 0; i < RA_ARRAY_SIZE(cases); i++) {
        const struct ra_job *j = job_at(js, i);
        if (j->cls != cases[i].cls)
            fail_msg("line %zu '%s': %s, want %s", i + 1, cases[i].line,
                     ra_job_class_name(j->cls), ra_job_class_name(cases[i].cls));
    }
    /* the name skips the loop's keywords */
    assert_string_equal(job_at(js, 0)->name, "regctl tag");
    ra_jobs_free(js);
    ra_buf_release(&text);
}

/* '\'-continued lines: a script's, a unit's ExecStart= and a unit reached through
 * systemctl start. Evidence names the first line of the command. */
static void test_jobs_classify__continuation(void **state)
{
    const struct ra_jobs_file files[] = {
        F("crontab", "0 2 * * * /opt/ci/gc.sh\n"
                     "0 3 * * * systemctl start registry-gc\n"),
        F("opt/ci/gc.sh", "#!/bin/sh\n"
                          "set -e\n"
                          "docker exec registry \\\n"
                          "  registry \\\n"
                          "  garbage-collect --delete-untagged \\\n"
                          "  /etc/docker/registry/config.yml\n"
                          "echo done\n"),
        F("units/registry-gc.service", "[Service]\n"
                                       "Type=oneshot\n"
                                       "ExecStart=/usr/bin/docker run --rm \\\n"
                                       "  -v /srv/registry:/var/lib/registry \\\n"
                                       "  registry:2.8.3 garbage-collect \\\n"
                                       "  --dry-run /etc/docker/registry/config.yml\n"),
        F("units/registry-gc.timer", "[Timer]\nOnCalendar=Sun *-*-* 03:25:00\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;

    (void)state;
    assert_int_equal(js->jobs.len, 3);
    j = job_at(js, 0);
    assert_string_equal(j->name, "gc.sh");
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_true(j->gc.delete_untagged);
    assert_string_equal(j->gc.config, "/etc/docker/registry/config.yml");
    assert_string_equal(ev_at(j, 0)->path, "opt/ci/gc.sh");
    assert_int_equal(ev_at(j, 0)->line, 3);
    j = job_at(js, 1); /* systemctl start: the unit's continued ExecStart */
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_true(j->gc.dry_run);
    assert_false(j->gc.delete_untagged);
    assert_string_equal(ev_at(j, 0)->path, "units/registry-gc.service");
    assert_int_equal(ev_at(j, 0)->line, 3);
    j = job_at(js, 2); /* the timer's own service */
    assert_int_equal(j->def, RA_JOBDEF_SYSTEMD);
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_true(j->gc.dry_run);
    assert_string_equal(j->gc.config, "/etc/docker/registry/config.yml");
    ra_jobs_free(js);
}

/* Backups by what they do: a job called "nightly" or "sync-nas" is a backup when it
 * copies the registry's storage elsewhere; where it writes is kept. */
static void test_jobs_classify__backups(void **state)
{
    const struct ra_jobs_file files[] = {
        F("roles/nas/tasks/main.yml",
          "- name: nightly\n"
          "  cron:\n"
          "    name: nightly\n"
          "    minute: '0'\n"
          "    hour: '1'\n"
          "    job: rsync -a --delete /var/lib/registry/ nas:/volume1/registry/\n"
          "- name: sync-nas\n"
          "  cron:\n"
          "    name: sync-nas\n"
          "    minute: '30'\n"
          "    hour: '1'\n"
          "    job: /usr/local/bin/sync-nas\n"),
        F("usr/local/bin/sync-nas", "#!/bin/sh\n"
                                    "tar -czf /mnt/nas/registry-$(date +%F).tgz \\\n"
                                    "  -C /var/lib registry\n"),
        F("crontab", "0 2 * * * restic -r s3:s3.example/reg backup /var/lib/registry\n"
                     "0 3 * * * borg create /mnt/b::reg-{now} /var/lib/registry\n"
                     "0 4 * * * rclone sync /var/lib/registry remote:registry\n"
                     "0 5 * * * tar -c /var/lib/registry | ssh nas 'cat > /b/r.tar'\n"
                     "0 6 * * * tar --create --file=/b/reg-$(date +\\%Y\\%m\\%d).tar "
                     "/var/lib/registry\n"),
    };
    struct ra_jobs *js = scan(files, RA_ARRAY_SIZE(files));
    const struct ra_job *j;
    size_t i;

    (void)state;
    assert_int_equal(js->jobs.len, 7);
    for (i = 0; i < js->jobs.len; i++)
        assert_int_equal(job_at(js, i)->cls, RA_JOB_BACKUP);
    assert_string_equal(job_at(js, 0)->backup_to, "s3:s3.example/reg");
    assert_string_equal(job_at(js, 1)->backup_to, "/mnt/b::reg-{now}");
    assert_string_equal(job_at(js, 2)->backup_to, "remote:registry");
    assert_null(job_at(js, 3)->backup_to); /* to stdout */
    assert_string_equal(job_at(js, 4)->backup_to, "/b/reg-$(date +%Y%m%d).tar");
    j = job_at(js, 5);
    assert_string_equal(j->name, "nightly");
    assert_string_equal(j->backup_to, "nas:/volume1/registry/");
    j = job_at(js, 6);
    assert_string_equal(j->name, "sync-nas");
    assert_string_equal(j->backup_to, "/mnt/nas/registry-$(date +%F).tgz");
    assert_string_equal(ev_at(j, 0)->path, "usr/local/bin/sync-nas");
    assert_int_equal(ev_at(j, 0)->line, 2);
    ra_jobs_free(js);
}

static const struct ra_job *job_in(const struct ra_vec *jobs, const char *path,
                                   unsigned line)
{
    size_t i;

    for (i = 0; i < jobs->len; i++) {
        const struct ra_job *j = jobs->items[i];
        if (!strcmp(j->path, path) && j->line == line)
            return j;
    }
    fail_msg("no job at %s:%u", path, line);
    return NULL;
}

/* A deployed job does not follow its command into a copy under an example path, even
 * one whose path matches better, nor into a unit that only an example directory has; an
 * example job may. */
static void test_jobs_classify__scripts_of_examples_not_followed(void **state)
{
    const struct ra_jobs_file files[] = {
        F("hosts/reg1/crontab", "0 3 * * * /opt/registry/gc.sh\n"
                                "30 4 * * * systemctl start registry-backup\n"),
        F("roles/registry/files/gc.sh", "#!/bin/sh\nregctl tag delete r.example/a:old\n"),
        F("examples/opt/registry/gc.sh",
          "#!/bin/sh\nregistry garbage-collect -m /etc/docker/registry/config.yml\n"),
        F("tests/units/registry-backup.service",
          "[Service]\nExecStart=/usr/bin/restic backup /var/lib/registry\n"),
        F("docs/cron/crontab", "0 5 * * * /opt/registry/gc.sh\n"),
    };
    struct ra_jobs *js = scan(files, sizeof(files) / sizeof(files[0]));
    const struct ra_job *j;

    (void)state;
    assert_int_equal(js->jobs.len, 2);
    j = job_in(&js->jobs, "hosts/reg1/crontab", 1);
    assert_int_equal(j->cls, RA_JOB_TAG_PRUNE);
    assert_int_equal(j->classes & RA_JOB_GARBAGE_COLLECT, 0);
    assert_int_equal(j->scripts.len, 1);
    assert_string_equal(j->scripts.items[0], "roles/registry/files/gc.sh");
    j = job_in(&js->jobs, "hosts/reg1/crontab", 2);
    assert_int_equal(j->cls, RA_JOB_OTHER);
    assert_int_equal(j->scripts.len, 0);
    /* the example reads the example copy, the nearest by path */
    assert_int_equal(js->examples.len, 1);
    j = job_in(&js->examples, "docs/cron/crontab", 1);
    assert_int_equal(j->cls, RA_JOB_GARBAGE_COLLECT);
    assert_int_equal(j->scripts.len, 1);
    assert_string_equal(j->scripts.items[0], "examples/opt/registry/gc.sh");
    ra_jobs_free(js);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jobs_classify__loops_and_wrappers),
        cmocka_unit_test(test_jobs_classify__continuation),
        cmocka_unit_test(test_jobs_classify__backups),
        cmocka_unit_test(test_jobs_classify__scripts_of_examples_not_followed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
